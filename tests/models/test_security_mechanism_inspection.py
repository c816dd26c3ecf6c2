"""The inspection model of the joint security mechanism: conditions, solvers, closed forms.

Derived results tested (models/security_mechanism_inspection.py):

* commitment: Inspect -> Comply iff beta (g + f) >= g and e <= L (the deterrence threshold
  beta >= g/(g + f), Kilgour & Brams 1992 style, plus the mechanism's willingness to pay);
* simultaneous: (Comply, Inspect) is an equilibrium only when e = 0; otherwise the unique
  equilibrium is mixed with inspection g/(beta(g + f)) and violation e/(beta L).
"""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.bargaining import inspection_equilibrium, inspection_game
from bargain.solvers.normal_form.pure import pure_nash
from bargain.symbolic._inequalities import boolean_to_dnf

MODEL = bg.load_model("security_mechanism_inspection")
PS = MODEL.parameters
S = SimpleNamespace(**PS.symbol_map())
NAMES = ("g", "f", "beta", "e", "L")


def sample(n_points: int, *, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*p.bounds, n_points) for p in PS.parameters])


def values(row) -> dict:
    return dict(zip(PS.names, (float(x) for x in row), strict=True))


def canonical_set(boolean):
    return {frozenset(c) for c in boolean_to_dnf(boolean)}


def test_parameters_are_documented():
    assert PS.names == NAMES
    # units, descriptions, sources and finite bounds: tests/test_models.py, for every model
    assert MODEL.report_axes == ("beta", "f")


def test_simultaneous_game_is_the_library_inspection_game():
    for row in sample(20, seed=9):
        v = values(row)
        mine = MODEL.game("simultaneous", **v)
        ref = inspection_game(v["g"], v["f"], v["beta"], v["e"], v["L"])
        for a, b in zip(mine.payoffs, ref.payoffs, strict=True):
            np.testing.assert_allclose(a, b, atol=1e-12)


# -- commitment -----------------------------------------------------------------------------


def test_commitment_condition_is_the_deterrence_threshold():
    c = MODEL.conditions("commitment")
    expected = sympy.And(S.beta * (S.g + S.f) >= S.g, S.L >= S.e)
    assert canonical_set(c.agreement()) == canonical_set(expected)
    t = c.threshold("beta")
    assert t.direction == ">="
    assert sympy.simplify(t.expression - S.g / (S.g + S.f)) == 0


def test_commitment_conditions_agree_with_numeric_spe():
    c = MODEL.conditions("commitment")
    X = sample(1000, seed=100)
    ids = c.lambdify()(X)
    for row, k in zip(X, ids, strict=True):
        v = values(row)
        tree = MODEL.regime("commitment").build(SimpleNamespace(**v))
        r = bg.solve(tree, method="spe", priority=("Inspect", "Comply"), all_equilibria=False)
        path = r.equilibria[0].path
        assert c.paths[k] == path
        want = v["beta"] * (v["g"] + v["f"]) >= v["g"] and v["e"] <= v["L"]
        assert (path == ("Inspect", "Comply")) == want


@pytest.mark.parametrize(
    ("tie", "path"),
    [
        # beta (g + f) = g exactly: certain inspection just deters (tie -> comply)
        pytest.param({"g": 1.0, "f": 1.0, "beta": 0.5}, ("Inspect", "Comply"), id="beta"),
        # e = L: the mechanism is indifferent between deterring and being violated
        pytest.param({"e": 2.0, "L": 2.0}, ("Inspect", "Comply"), id="cost"),
    ],
)
def test_commitment_ties(tie, path):
    vals = {**PS.defaults, **tie}
    assert MODEL.conditions("commitment").outcome(**vals) == path
    assert MODEL.solve("commitment", **vals).path == path


# -- simultaneous ---------------------------------------------------------------------------


def test_simultaneous_conditions_agree_with_numeric_equilibria():
    c = MODEL.conditions("simultaneous")
    assert c.kind == "normal_form"
    assert canonical_set(c.agreement()) == canonical_set(
        sympy.And(S.beta * (S.g + S.f) >= S.g, sympy.Ge(-S.e, 0))
    )
    pure = [p for p in c.paths if p != ("mixed",)]
    X = sample(1000, seed=3)
    X[::10, 3] = 0.0  # e = 0 on every tenth point: (Comply, Inspect) can be an equilibrium
    for row in X:
        v = values(row)
        g = MODEL.regime("simultaneous").build(SimpleNamespace(**v))
        found = {
            tuple(g.strategies[i][int(np.argmax(s))] for i, s in enumerate(e.strategies))
            for e in pure_nash(g).equilibria
        }
        assert {p for p in pure if c.holds(path=p, **v)} == found
        ref = inspection_equilibrium(v["g"], v["f"], v["beta"], v["e"], v["L"])
        if v["e"] > 0:  # at e = 0 the library's "mixed" case degenerates to s = 0
            assert c.holds(path=("mixed",), **v) == (ref.regime == "mixed")


def test_mixed_equilibrium_matches_kilgour_brams():
    # inspector mixes g/(beta(g + f)), violator e/(beta L) (Kilgour & Brams 1992 style;
    # REFERENCES.md); the vertex solver finds exactly this equilibrium of the 2x2 game
    c = MODEL.conditions("simultaneous")
    x, y = c.mixed_strategies  # x: party's (Comply, Violate); y: mechanism's
    assert sympy.simplify(y[0] - S.g / (S.beta * (S.g + S.f))) == 0
    assert sympy.simplify(x[1] - S.e / (S.beta * S.L)) == 0
    for row in sample(30, seed=5):
        v = values(row)
        ref = inspection_equilibrium(v["g"], v["f"], v["beta"], v["e"], v["L"])
        if ref.regime != "mixed":
            continue
        r = bg.solve(MODEL.game("simultaneous", **v), method="vertex")
        assert len(r.equilibria) == 1
        eq = r.equilibria[0]
        assert eq.strategies[1][0] == pytest.approx(ref.inspect_prob)
        assert eq.strategies[0][1] == pytest.approx(ref.violate_prob)
        assert eq.max_regret <= 1e-9


def test_outputs_match_inspection_equilibrium():
    X = sample(400, seed=8)
    X[::7, 3] = X[::7, 2] * X[::7, 4] + 0.1  # some points with e >= beta L
    X[:, 3] = np.minimum(X[:, 3], PS["e"].bounds[1])
    out = {name: MODEL.evaluate_output(name, X) for name in MODEL.outputs}
    regimes = set()
    for k, row in enumerate(X):
        v = values(row)
        ref = inspection_equilibrium(v["g"], v["f"], v["beta"], v["e"], v["L"])
        regimes.add(ref.regime)
        assert out["deterrence_threshold"][k] == pytest.approx(ref.deterrence_threshold)
        assert out["inspect_prob"][k] == pytest.approx(ref.inspect_prob)
        assert out["violate_prob"][k] == pytest.approx(ref.violate_prob)
        want = min(1.0, v["g"] / (v["beta"] * (v["g"] + v["f"])))
        assert out["min_commit_rate"][k] == pytest.approx(want)
    assert regimes == {"mixed", "no_inspection", "undeterrable"}
    # the worked example of bargaining.inspection: g=1, f=3, beta=0.8, e=0.2, L=2
    pt = np.array([PS.vector(g=1, f=3, beta=0.8, e=0.2, L=2)])
    assert MODEL.evaluate_output("inspect_prob", pt)[0] == pytest.approx(0.3125)
    assert MODEL.evaluate_output("violate_prob", pt)[0] == pytest.approx(0.125)
    assert MODEL.evaluate_output("deterrence_threshold", pt)[0] == pytest.approx(0.25)


def test_baseline():
    # beta = 0.5 >= g/(g + f) = 1/3 and e = 0.2 <= L = 2: committed inspection deters;
    # the simultaneous game has only the mixed equilibrium (violations with prob. 0.2)
    assert MODEL.solve("commitment").agreement
    s = MODEL.solve("simultaneous")
    assert s.agreement is False
    assert s.paths == ()
    assert MODEL.conditions("simultaneous").holds(path=("mixed",))
