"""The deadline-bargaining model: derived conditions, numeric agreement, closed-form outputs.

Derived results tested (see models/deadline_bargaining.py and docs/explanation/
doha_and_linked_tracks.md, "Deadline bargaining"):

* per-round breakdown: 1 - (1 - p)**N = P_fail.
* two_rounds / three_rounds: the hard-line demand h is the SPE agreement iff
  w_G <= h <= x_n, x_n the first proposer's share of the n-round game with breakdown
  p_n = 1 - (1 - P_fail)**(1/n) and outside options = disagreement payoffs (w_G, w_R).
* outputs: Rubinstein (1982), Binmore, Rubinstein & Wolinsky (1986), the outside-option
  principle (Binmore, Shaked & Sutton 1989; Osborne & Rubinstein 1990).
"""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.bargaining import rubinstein
from bargain.errors import BargainError, ParameterError

MODEL = bg.load_model("deadline_bargaining")
PS = MODEL.parameters
S = SimpleNamespace(**PS.symbol_map())
NAMES = ("P_fail", "w_G", "w_R", "delta", "h", "N")
HORIZON = {"two_rounds": 2, "three_rounds": 3}


def sample(n_points: int, *, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    cols = []
    for p in PS.parameters:
        lo, hi = p.bounds
        cols.append(
            rng.integers(lo, hi + 1, n_points) if p.integer else rng.uniform(lo, hi, n_points)
        )
    return np.column_stack(cols).astype(float)


def values(row) -> dict:
    vals = dict(zip(PS.names, (float(x) for x in row), strict=True))
    vals["N"] = int(vals["N"])
    return vals


def ns(X: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(**{n: X[:, k] for k, n in enumerate(PS.names)})


def numeric_path(regime: str, vals: dict) -> tuple:
    tree = MODEL.regime(regime).build(SimpleNamespace(**vals))
    agreement = MODEL.regime(regime).agreement
    r = bg.solve(tree, method="spe", priority=agreement, all_equilibria=False)
    return r.equilibria[0].path


def backward_share(n, p, delta, w_g, w_r):
    """The DRC's round-1 share of the n-round game by backward induction (numpy, any shape).

    Outside-option principle (Binmore, Shaked & Sutton 1989): the responder gets
    max(w, value of rejecting); at the deadline the value of rejecting is w.
    """
    share = None
    for t in range(n, 0, -1):
        w = w_r if t % 2 else w_g  # responder: Rwanda in the DRC's (odd) rounds
        value = w if t == n else np.maximum(w, p * w + (1 - p) * delta * share)
        share = 1 - value
    return share


def test_parameters_are_documented():
    assert PS.names == NAMES
    # units, descriptions, sources and finite bounds: tests/test_models.py, for every model
    # options are valid disagreement points of `rubinstein` everywhere: w_G + w_R < 1
    assert PS["w_G"].bounds[1] + PS["w_R"].bounds[1] < 1
    assert PS["P_fail"].bounds[0] > 0
    assert PS["delta"].bounds[1] < 1
    assert PS["N"].integer
    assert MODEL.report_axes == ("P_fail", "w_G")
    assert set(MODEL.regimes) == {"two_rounds", "three_rounds"}


# -- the per-round breakdown identity -----------------------------------------------------


def test_breakdown_per_round_identity():
    X = sample(500, seed=11)
    p = MODEL.evaluate_output("breakdown_per_round", X)
    v = ns(X)
    # 1 - (1 - p)^N = P_fail: the talks fail within N rounds with probability P_fail
    np.testing.assert_allclose(1 - (1 - p) ** v.N, v.P_fail, rtol=0, atol=1e-12)
    assert ((p > 0) & (p <= v.P_fail + 1e-15)).all()
    # baseline: 1 - 0.7^(1/8)
    base = np.array([PS.vector()])
    assert MODEL.evaluate_output("breakdown_per_round", base)[0] == pytest.approx(1 - 0.7**0.125)


# -- derived conditions -------------------------------------------------------------------


def test_two_rounds_condition_is_the_demand_window():
    c = MODEL.conditions("two_rounds")
    s = sympy.sqrt(1 - S.P_fail)
    p = 1 - s
    expected = sympy.And(
        sympy.Ge(S.h, S.w_G),
        sympy.Ge(1 - S.h, S.w_R),
        sympy.Ge(1 - S.h, p * S.w_R + s * S.delta * (1 - S.w_G)),
    )
    X = sample(3000, seed=1)
    f = sympy.lambdify(PS.symbols(), expected, "numpy")
    got = np.array([c.paths[i] == c.agreement_path for i in c.lambdify()(X)])
    np.testing.assert_array_equal(got, f(*X.T))
    # the only thresholds on h: h >= w_G (the DRC's option) and h <= 1 - max(...)
    ts = c.thresholds("h")
    lows = [t.expression for t in ts if t.direction == ">="]
    highs = [t.expression for t in ts if t.direction == "<="]
    assert lows == [S.w_G]
    want = {sympy.expand(1 - S.w_R), sympy.expand(1 - p * S.w_R - s * S.delta * (1 - S.w_G))}
    assert {sympy.expand(e) for e in highs} == want
    with pytest.raises(BargainError, match="several directions"):
        c.threshold("h")


@pytest.mark.parametrize("regime", ["two_rounds", "three_rounds"])
def test_agreement_iff_demand_within_the_spe_share(regime):
    # w_G <= h <= x_n with x_n from independent backward induction (Rubinstein 1982 with
    # breakdown, Binmore, Rubinstein & Wolinsky 1986, and options, Binmore et al. 1989)
    n = HORIZON[regime]
    c = MODEL.conditions(regime)
    X = sample(3000, seed=2)
    v = ns(X)
    p = 1 - (1 - v.P_fail) ** (1 / n)
    x = backward_share(n, p, v.delta, v.w_G, v.w_R)
    margin = np.minimum(np.abs(x - v.h), np.abs(v.h - v.w_G))
    keep = margin > 1e-9  # ties are tested separately
    got = np.array([c.paths[i] == c.agreement_path for i in c.lambdify()(X)])
    want = (v.w_G <= v.h) & (v.h <= x)
    np.testing.assert_array_equal(got[keep], want[keep])
    assert want.any()
    assert (~want).any()
    # x_n is `rubinstein` with horizon n (the outputs' machinery)
    for row, xn in zip(X[:50], x[:50], strict=True):
        vals = values(row)
        b = 1 - (1 - vals["P_fail"]) ** (1 / n)
        w = (vals["w_G"], vals["w_R"])
        r = rubinstein(vals["delta"], vals["delta"], horizon=n, breakdown=b, disagreement=w,
                       outside_options=w)  # fmt: skip
        assert r.shares[0] == pytest.approx(xn, abs=1e-12)


@pytest.mark.parametrize("regime", ["two_rounds", "three_rounds"])
def test_conditions_agree_with_numeric_spe(regime):
    c = MODEL.conditions(regime)
    X = sample(1000, seed=100)
    ids = c.lambdify()(X)
    for row, k in zip(X, ids, strict=True):
        assert c.paths[k] == numeric_path(regime, values(row))
    for row in X[:20]:
        vals = values(row)
        del vals["N"]  # the trees do not depend on N; the conditions were derived at N = 8
        assert MODEL.solve(regime, **vals).agreement == c.holds(**vals)


@pytest.mark.parametrize("regime", ["two_rounds", "three_rounds"])
def test_spe_payoffs_match_rubinstein_at_the_spe_demand(regime):
    # when the DRC demands exactly x_n the tree's SPE is the Rubinstein split (Rubinstein
    # 1982; Binmore et al. 1986; the option principle of Binmore, Shaked & Sutton 1989)
    n = HORIZON[regime]
    X = sample(200, seed=5)
    for row in X:
        vals = values(row)
        b = 1 - (1 - vals["P_fail"]) ** (1 / n)
        w = (vals["w_G"], vals["w_R"])
        x = rubinstein(vals["delta"], vals["delta"], horizon=n, breakdown=b, disagreement=w,
                       outside_options=w).shares[0]  # fmt: skip
        vals["h"] = x
        tree = MODEL.regime(regime).build(SimpleNamespace(**vals))
        eq = bg.solve(tree, method="spe", priority=("Demand", "Accept"), all_equilibria=False)
        eq = eq.equilibria[0]
        assert eq.path == ("Demand", "Accept")  # x >= w_G always: the tie goes to agreement
        np.testing.assert_allclose(eq.payoffs, [x, 1 - x], atol=1e-12)


@pytest.mark.parametrize(
    ("regime", "overrides"),
    [
        # the DRC indifferent between its demand and walking out (h = w_G)
        pytest.param("two_rounds", {"h": 0.25, "w_G": 0.25}, id="two-drc-tie"),
        pytest.param("three_rounds", {"h": 0.25, "w_G": 0.25}, id="three-drc-tie"),
        # Rwanda indifferent between accepting and walking out (1 - h = w_R, option binds)
        pytest.param(
            "two_rounds",
            {"h": 0.5625, "w_R": 0.4375, "w_G": 0.45, "delta": 0.5, "P_fail": 0.5},
            id="two-option-tie",
        ),
    ],
)
def test_ties_resolve_to_the_agreement(regime, overrides):
    vals = {**PS.defaults, **overrides}
    vals["N"] = int(vals["N"])
    c = MODEL.conditions(regime)
    assert c.holds(**vals)
    assert numeric_path(regime, vals) == ("Demand", "Accept")


@pytest.mark.parametrize("regime", ["two_rounds", "three_rounds"])
def test_tie_at_the_spe_share_resolves_to_agreement(regime):
    # h = x_n: Rwanda is indifferent between accepting and rejecting
    n = HORIZON[regime]
    vals = {**PS.defaults}
    vals["N"] = int(vals["N"])
    p = 1 - (1 - vals["P_fail"]) ** (1 / n)
    vals["h"] = float(backward_share(n, p, vals["delta"], vals["w_G"], vals["w_R"]))
    assert MODEL.conditions(regime).holds(**vals)
    assert numeric_path(regime, vals) == ("Demand", "Accept")


def test_baseline_outcomes():
    # documented in the model: the hard line holds when the DRC makes the last offer (three
    # rounds, x_3 = 0.646) and fails when Rwanda does (two rounds, x_2 = 0.295)
    assert MODEL.solve("three_rounds").path == ("Demand", "Accept")
    assert MODEL.solve("two_rounds").path == ("Walk out",)
    assert not MODEL.conditions("two_rounds").holds()
    # three rounds: the hard line survives failure risks up to P_fail = 0.6147 (x_3 = h)
    c3 = MODEL.conditions("three_rounds")
    assert c3.holds(P_fail=0.61)
    assert not c3.holds(P_fail=0.62)
    d = PS.defaults
    for n, want in ((2, 0.295), (3, 0.646)):
        p = 1 - (1 - d["P_fail"]) ** (1 / n)
        x = backward_share(n, p, d["delta"], d["w_G"], d["w_R"])
        assert x == pytest.approx(want, abs=5e-4)


def test_structural_n_is_checked():
    c = MODEL.conditions("two_rounds", N=3)
    with pytest.raises(ParameterError, match="derived for N = 3"):
        c.holds(N=4)
    with pytest.raises(ParameterError, match="not structural"):
        MODEL.conditions("two_rounds", h=0.5)


# -- closed-form outputs against the published formulas -----------------------------------


def test_finite_horizon_share_matches_backward_induction():
    X = sample(400, seed=3)
    v = ns(X)
    got = MODEL.evaluate_output("share_first_proposer", X)
    p = 1 - (1 - v.P_fail) ** (1 / v.N)
    for n in range(2, 13):
        m = v.N == n
        if m.any():
            want = backward_share(n, p[m], v.delta[m], v.w_G[m], v.w_R[m])
            np.testing.assert_allclose(got[m], want, atol=1e-12)
    gap = MODEL.evaluate_output("demand_gap", X)
    np.testing.assert_allclose(gap, got - v.h, atol=1e-15)


def test_no_deadline_share_is_rubinstein_with_effective_discount():
    # Rubinstein (1982) with breakdown p (Binmore, Rubinstein & Wolinsky 1986): with no
    # options (w = 0) the first proposer's share is (1 - q)/(1 - q^2) = 1/(1 + q),
    # q = (1 - p) delta
    X = sample(300, seed=4)
    X[:, 1] = X[:, 2] = 0.0
    v = ns(X)
    q = (1 - v.P_fail) ** (1 / v.N) * v.delta
    got = MODEL.evaluate_output("share_no_deadline", X)
    np.testing.assert_allclose(got, 1 / (1 + q), atol=1e-12)


def test_brw_limit_without_discounting():
    # Binmore, Rubinstein & Wolinsky (1986): delta = 1 (outside the model's bounds, the
    # formula's home), breakdown p, disagreement b: x = b1 + (1 - b1 - b2)/(2 - p); options
    # equal to b never bind
    X = sample(300, seed=6)
    X[:, 3] = 1.0
    v = ns(X)
    p = 1 - (1 - v.P_fail) ** (1 / v.N)
    got = MODEL.evaluate_output("share_no_deadline", X)
    np.testing.assert_allclose(got, v.w_G + (1 - v.w_G - v.w_R) / (2 - p), atol=1e-12)


def test_outside_option_principle():
    # Binmore, Shaked & Sutton (1989); Osborne & Rubinstein (1990): equal delta, only the
    # responder (Rwanda) has an option w, no breakdown (P_fail = 0, outside the bounds):
    # x = 1/(1 + delta) if w <= delta/(1 + delta), else 1 - w
    X = sample(400, seed=8)
    X[:, 0] = 0.0
    X[:, 1] = 0.0
    v = ns(X)
    got = MODEL.evaluate_output("share_no_deadline", X)
    want = np.where(v.w_R <= v.delta / (1 + v.delta), 1 / (1 + v.delta), 1 - v.w_R)
    np.testing.assert_allclose(got, want, atol=1e-12)
    binds = v.w_R > v.delta / (1 + v.delta)
    assert binds.any()  # both branches of the principle are exercised
    assert (~binds).any()


def test_deadline_favours_the_last_proposer():
    # finite-horizon alternating offers: the last proposer gains from the deadline (Rwanda
    # when N is even, the DRC when N is odd); the effect shrinks as N grows
    X = sample(400, seed=9)
    v = ns(X)
    eff = MODEL.evaluate_output("deadline_effect", X)
    even = v.N % 2 == 0
    assert (eff[even] <= 1e-12).all()
    assert (eff[~even] >= -1e-12).all()
    np.testing.assert_allclose(
        eff,
        MODEL.evaluate_output("share_first_proposer", X)
        - MODEL.evaluate_output("share_no_deadline", X),
        atol=1e-15,
    )
    base = PS.vector()
    sizes = [
        abs(MODEL.evaluate_output("deadline_effect", [PS.vector(N=n)])[0]) for n in (2, 4, 8, 12)
    ]
    assert sizes == sorted(sizes, reverse=True)
    assert MODEL.evaluate_output("deadline_effect", [base])[0] < 0  # N = 8: Rwanda offers last


@pytest.mark.slow
def test_report_bundle(tmp_path):
    from bargain.report import write_report

    paths = write_report("deadline_bargaining", tmp_path, points=11, progress=False)
    names = {p.name for p in paths}
    for name in ("equilibria.md", "conditions.tex", "sensitivity.md", "regions.png"):
        assert name in names
        assert (tmp_path / name).stat().st_size > 0
    sens = (tmp_path / "sensitivity.csv").read_text()
    assert "False" not in sens  # the symbolic and numeric one-at-a-time sets agree
