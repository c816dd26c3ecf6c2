"""The withdrawal-sequencing model: parameters, derived conditions, numeric agreement.

Derived results tested (see models/withdrawal_sequencing.py and
docs/explanation/withdrawal_sequencing.md):

* withdraw_first: the DRC complies iff q (M_G + s) >= k_G, so q* = k_G / (M_G + s); the
  agreement holds iff that and M_R >= rho - c_R.
* neutralize_first: Rwanda withdraws iff q_R (M_R + s_R) >= rho - c_R.
* phased (n tranches): the DRC's constraint at tranche t is
  q (M_G + n s) >= k_G - (n - t)(M_G - k_G + W + H).
"""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.pure import pure_nash
from bargain.symbolic import conditions
from bargain.symbolic._inequalities import boolean_to_dnf

MODEL = bg.load_model("withdrawal_sequencing")
PS = MODEL.parameters
S = SimpleNamespace(**PS.symbol_map())
AGREEMENT = {name: r.agreement for name, r in MODEL.regimes.items()}
NAMES = ("rho", "c_R", "M_R", "M_G", "k_G", "theta", "q", "s", "q_R", "s_R", "H", "W", "n")


def sample(n_points: int, *, n: int = 1, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cols = [
        np.full(n_points, float(n)) if p.integer else rng.uniform(*p.bounds, n_points)
        for p in PS.parameters
    ]
    return np.column_stack(cols)


def values(row) -> dict:
    out = dict(zip(PS.names, (float(x) for x in row), strict=True))
    out["n"] = int(out["n"])
    return out


def cond(regime: str, n: int = 1):
    game = MODEL.game(regime, symbolic=True, n=n)
    return conditions(game, agreement=AGREEMENT[regime], fixed={"n": n})


def canonical_set(boolean):
    return {frozenset(c) for c in boolean_to_dnf(boolean)}


def numeric_path(regime: str, vals: dict) -> tuple:
    """Numeric SPE path of the regime's tree built directly with float parameters."""
    tree = MODEL.regime(regime).build(SimpleNamespace(**vals))
    r = bg.solve(tree, method="spe", priority=AGREEMENT[regime], all_equilibria=False)
    return r.equilibria[0].path


# -- parameters -----------------------------------------------------------------------------


def test_parameters_are_documented():
    assert PS.names == NAMES
    # units, descriptions, sources and finite bounds: tests/test_models.py, for every model
    assert PS["n"].integer
    assert PS["n"].default == 1
    assert set(MODEL.regimes) == {"withdraw_first", "neutralize_first", "simultaneous", "phased"}
    assert isinstance(MODEL.game("simultaneous"), NormalFormGame)


def test_baseline_outcomes():
    # Documented in the model: q = 0.3 < q* = 1/3, so withdrawal-first fails (the DRC would
    # renege and Rwanda, anticipating it, stays); neutralize-first holds; two tranches do.
    assert cond("withdraw_first").outcome() == ("Stay",)
    assert cond("neutralize_first").holds()
    assert cond("phased", 2).holds()
    t = MODEL.conditions("withdraw_first").threshold("q")
    assert t.holds(0.3, k_G=1.0, M_G=2.0, s=1.0) is False
    assert t.holds(1 / 3, k_G=1.0, M_G=2.0, s=1.0) is True
    with pytest.raises(bg.errors.ParameterError, match="'M_G': the threshold for 'q' needs"):
        t.holds(0.3, k_G=1.0)


# -- withdraw first -------------------------------------------------------------------------


def test_withdraw_first_threshold_q():
    t = cond("withdraw_first").threshold("q")
    assert t.parameter == "q"
    assert t.direction == ">="
    assert sympy.simplify(t.expression - S.k_G / (S.M_G + S.s)) == 0


def test_withdraw_first_agreement_condition():
    c = cond("withdraw_first")
    expected = sympy.And(S.q * (S.M_G + S.s) >= S.k_G, S.M_R >= S.rho - S.c_R)
    assert canonical_set(c.agreement()) == canonical_set(expected)  # symbolically
    X = sample(2000)
    got = np.array([c.paths[i] == ("Withdraw", "Comply") for i in c.lambdify()(X)])
    rho, c_R, M_R, M_G, k_G, _, q, s = X.T[:8]
    want = (q * (M_G + s) >= k_G) & (M_R >= rho - c_R)
    np.testing.assert_array_equal(got, want)
    for row in X[:200]:
        assert c.holds(**values(row)) == bool(
            row[6] * (row[3] + row[7]) >= row[4] and row[2] >= row[0] - row[1]
        )


# -- neutralize first -----------------------------------------------------------------------


def test_neutralize_first_rwanda_withdraws_iff_detection_deters():
    c = cond("neutralize_first")
    expected = sympy.And(S.q_R * (S.M_R + S.s_R) >= S.rho - S.c_R, S.M_G - S.k_G + S.W >= -S.H)
    assert canonical_set(c.agreement()) == canonical_set(expected)
    # Rwanda's reply after neutralization, read off the numeric solver at node 1
    X = sample(1000, seed=11)
    for row in X:
        vals = values(row)
        tree = MODEL.regime("neutralize_first").build(SimpleNamespace(**vals))
        r = bg.solve(
            tree, method="spe", priority=AGREEMENT["neutralize_first"], all_equilibria=False
        )
        withdraws = r.equilibria[0].info["choices"][1] == 0
        assert withdraws == (vals["q_R"] * (vals["M_R"] + vals["s_R"]) >= vals["rho"] - vals["c_R"])
    assert c.threshold("q_R").direction == ">="
    assert sympy.simplify(c.threshold("q_R").expression - (S.rho - S.c_R) / (S.M_R + S.s_R)) == 0


# -- simultaneous ---------------------------------------------------------------------------


def test_simultaneous_pure_equilibria_match_numeric():
    c = cond("simultaneous")
    assert c.kind == "normal_form"
    expected = sympy.And(S.q * (S.M_G + S.s) >= S.k_G, S.q_R * (S.M_R + S.s_R) >= S.rho - S.c_R)
    assert canonical_set(c.agreement()) == canonical_set(expected)
    pure = [p for p in c.paths if p != ("mixed",)]
    for row in sample(500, seed=3):
        vals = values(row)
        g = MODEL.regime("simultaneous").build(SimpleNamespace(**vals))
        found = {
            tuple(g.strategies[i][int(np.argmax(s))] for i, s in enumerate(e.strategies))
            for e in pure_nash(g).equilibria
        }
        assert {p for p in pure if c.holds(path=p, **vals)} == found
        if not found:  # no pure equilibrium: the interior mixed one exists
            assert c.holds(path=("mixed",), **vals)


# -- phased ---------------------------------------------------------------------------------


def ic_drc(n: int, t: int):
    """Right side of the DRC's constraint at tranche t: q (M_G + n s) >= this."""
    return S.k_G - (n - t) * (S.M_G - S.k_G + S.W + S.H)


@pytest.mark.parametrize("n", [1, 2, 3], ids=lambda n: f"n={n}")
def test_phased_incentive_constraints(n):
    c = cond("phased", n)
    assert c.agreement_path == ("Withdraw", "Comply") * n
    ts = c.thresholds("q")
    want = [ic_drc(n, t) / (S.M_G + n * S.s) for t in range(1, n + 1)]
    assert len(ts) == n
    assert all(t.direction == ">=" for t in ts)
    for w in want:  # each tranche's constraint is there, symbolically
        assert any(sympy.simplify(t.expression - w) == 0 for t in ts)
    # the last tranche's constraint: q* = k_G / (M_G + n s)
    assert sympy.simplify(want[-1] - S.k_G / (S.M_G + n * S.s)) == 0
    # agreement <=> Rwanda's constraint and the first and last tranches' constraints
    X = sample(1500, n=n, seed=n)
    got = np.array([c.paths[i] == c.agreement_path for i in c.lambdify()(X)])
    rho, c_R, M_R, M_G, k_G, _, q, s, _, _, H, W = X.T[:12]
    lhs = q * (M_G + n * s)
    want_np = (M_R >= rho - c_R) & (lhs >= k_G) & (lhs >= k_G - (n - 1) * (M_G - k_G + W + H))
    np.testing.assert_array_equal(got, want_np)
    # the last tranche binds when the DRC prefers the completed deal to the status quo
    prefers = M_G - k_G + W + H >= 0
    binding = np.maximum(k_G, k_G - (n - 1) * (M_G - k_G + W + H))
    np.testing.assert_allclose(binding[prefers], k_G[prefers])


def test_phased_with_one_tranche_is_withdraw_first():
    a, b = cond("phased", 1), cond("withdraw_first")
    assert a.paths == b.paths
    for x, y in zip(a.cases, b.cases, strict=True):
        assert canonical_set(x.condition) == canonical_set(y.condition)
    assert canonical_set(MODEL.conditions("phased").agreement()) == canonical_set(b.agreement())


# -- ties and the numeric solver ------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "n", "tie"),
    [
        # q (M_G + s) = k_G and M_R = rho - c_R exactly (binary-exact numbers)
        pytest.param(
            "withdraw_first",
            1,
            {"q": 0.25, "M_G": 2.0, "s": 2.0, "k_G": 1.0, "M_R": 1.0},
            id="withdraw",
        ),
        # q_R (M_R + s_R) = rho - c_R and M_G - k_G + W = -H is not needed
        pytest.param("neutralize_first", 1, {"q_R": 0.5, "M_R": 1.0, "s_R": 1.0}, id="neutralize"),
        # last tranche: q (M_G + 2 s) = k_G
        pytest.param("phased", 2, {"q": 0.25, "M_G": 2.0, "s": 1.0, "k_G": 1.0}, id="phased-2"),
    ],
)
def test_ties_resolve_to_the_agreement(regime, n, tie):
    vals = {**PS.defaults, **tie, "n": n}
    c = cond(regime, n)
    assert c.outcome(**vals) == c.agreement_path
    assert c.holds(**vals)
    assert numeric_path(regime, vals) == c.agreement_path
    assert (
        bg.solve(
            MODEL.game(regime, **vals),
            method="spe",
            priority=AGREEMENT[regime],
            all_equilibria=False,
        )
        .equilibria[0]
        .path
        == c.agreement_path
    )


@pytest.mark.parametrize(
    ("regime", "n"),
    [("withdraw_first", 1), ("neutralize_first", 1), ("phased", 1), ("phased", 2), ("phased", 3)],
    ids=["withdraw_first", "neutralize_first", "phased-1", "phased-2", "phased-3"],
)
def test_conditions_agree_with_numeric_spe(regime, n):
    c = cond(regime, n)
    X = sample(1000, n=n, seed=100 + n)
    ids = c.lambdify()(X)
    for row, k in zip(X, ids, strict=True):
        vals = values(row)
        path = numeric_path(regime, vals)
        assert c.paths[k] == path
        assert c.holds(**vals) == (path == c.agreement_path)
    # the documented API route: symbolic game -> numeric(**values) -> solve
    game = MODEL.game(regime, symbolic=True, n=n)
    for row in X[:25]:
        vals = values(row)
        r = bg.solve(
            game.numeric(**vals), method="spe", priority=AGREEMENT[regime], all_equilibria=False
        )
        assert c.outcome(**vals) == r.equilibria[0].path


def test_latex_of_the_model():
    tex = cond("phased", 2).latex(thresholds=["q"])
    assert r"\text{Withdraw} \to \text{Comply} \to \text{Withdraw} \to \text{Comply}" in tex
    assert r"q^{*} = \max\left(" in tex
    tex = cond("neutralize_first").latex(thresholds=["q_R"])
    assert r"q_{R}^{*} = \frac{- c_{R} + \rho}{M_{R} + s_{R}}" in tex


@pytest.mark.parametrize("regime", ["withdraw_first", "neutralize_first", "simultaneous"])
def test_model_solve_agrees_with_holds(regime):
    c = cond(regime)
    for row in sample(40, seed=5):
        vals = {k: v for k, v in values(row).items() if k != "n"}
        assert MODEL.solve(regime, **vals).agreement == c.holds(**vals)
