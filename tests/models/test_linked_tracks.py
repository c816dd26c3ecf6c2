"""The linked-tracks model: derived sequencing conditions against the numeric solver.

Derived results tested (models/linked_tracks.py, docs/explanation/doha_and_linked_tracks.md),
with shift = omega T / T_max and p_hi = p0 + shift:

* washington_first: M_R >= rho + lam shift and x_bar >= p0 - c_M;
* doha_first and simultaneous: x_bar >= p_hi - c_M and g_Q >= shift and M_R >= rho
  (Powell 2006: without the guarantee M23 will not sign at the old balance).
"""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.symbolic._inequalities import boolean_to_dnf

MODEL = bg.load_model("linked_tracks")
PS = MODEL.parameters
S = SimpleNamespace(**PS.symbol_map())
T_MAX = 12_000
NAMES = ("T", "p0", "omega", "c_M", "c_G", "x_bar", "delta", "g_Q", "rho", "M_R", "lam")
SHIFT = S.omega * S.T / T_MAX


def sample(n_points: int, *, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*p.bounds, n_points) for p in PS.parameters])


def values(row) -> dict:
    return dict(zip(PS.names, (float(x) for x in row), strict=True))


def canonical_set(boolean):
    return {frozenset(c) for c in boolean_to_dnf(boolean)}


def derived(regime: str, p) -> np.ndarray | bool:
    """The documented agreement condition, numerically (arrays or floats)."""
    shift = p.omega * p.T / T_MAX
    if regime == "washington_first":
        return (p.M_R >= p.rho + p.lam * shift - 1e-12) & (p.x_bar >= p.p0 - p.c_M - 1e-12)
    return (
        (p.x_bar >= p.p0 + shift - p.c_M - 1e-12)
        & (p.g_Q >= shift - 1e-12)
        & (p.M_R >= p.rho - 1e-12)
    )


EXPECTED = {
    "washington_first": sympy.And(S.M_R - S.rho - S.lam * SHIFT >= 0, S.x_bar - S.p0 + S.c_M >= 0),
    "doha_first": sympy.And(
        S.x_bar - S.p0 - SHIFT + S.c_M >= 0, S.g_Q - SHIFT >= 0, S.M_R - S.rho >= 0
    ),
}
EXPECTED["simultaneous"] = EXPECTED["doha_first"]
REGIMES = ("washington_first", "doha_first", "simultaneous")


def test_parameters_are_documented():
    assert PS.names == NAMES
    # units, descriptions, sources and finite bounds: tests/test_models.py, for every model
    assert set(MODEL.regimes) == set(REGIMES)
    assert MODEL.report_axes == ("T", "x_bar")


@pytest.mark.parametrize("regime", REGIMES)
def test_agreement_condition_is_the_documented_one(regime):
    got = MODEL.conditions(regime).simplified().agreement()
    # compare as sets of inequalities after clearing the positive factors (12000, delta)
    want = EXPECTED[regime]
    X = sample(3000, seed=11)
    c = MODEL.conditions(regime)
    ids = c.lambdify()(X)
    holds = np.array([c.paths[i] == c.agreement_path for i in ids])
    p = SimpleNamespace(**{n: X[:, k] for k, n in enumerate(PS.names)})
    np.testing.assert_array_equal(holds, derived(regime, p))
    # symbolically: each documented inequality is implied by the derived condition and back
    f_got = sympy.lambdify(list(PS.symbol_map().values()), got)
    f_want = sympy.lambdify(list(PS.symbol_map().values()), want)
    for row in X[:300]:
        assert bool(f_got(*row)) == bool(f_want(*row))


@pytest.mark.parametrize("regime", REGIMES)
def test_conditions_agree_with_numeric_spe(regime):
    c = MODEL.conditions(regime)
    agreement = MODEL.regime(regime).agreement
    X = sample(1000, seed=100)
    ids = c.lambdify()(X)
    for row, k in zip(X, ids, strict=True):
        vals = values(row)
        tree = MODEL.regime(regime).build(SimpleNamespace(**vals))
        r = bg.solve(tree, method="spe", priority=agreement, all_equilibria=False)
        path = r.equilibria[0].path
        assert c.paths[k] == path
        assert c.holds(**vals) == (path == c.agreement_path)


def test_baseline_washington_first_settles_both_tracks():
    # documented: the ceiling binds at the current balance (0.275 > 0.25) but not after the
    # withdrawal (0.05); M_R = 1.2 >= rho + lam shift = 1 + 0.5 * 0.225
    assert MODEL.solve("washington_first").agreement
    assert not MODEL.solve("doha_first").agreement
    assert MODEL.solve("doha_first").path == ("Offer", "Accept", "Veto")


@pytest.mark.parametrize(
    ("overrides", "better"),
    [
        # binding ceiling at the old balance: only Washington first settles Doha
        pytest.param({}, "washington_first", id="ceiling-binds"),
        # slack ceiling, a guarantee covering the shift, rho <= M_R < rho + lam shift:
        # Doha first locks in M23's share, so Rwanda's stake no longer blocks withdrawal
        pytest.param(
            {"x_bar": 0.5, "g_Q": 0.3, "M_R": 1.05, "lam": 1.0}, "doha_first", id="guaranteed"
        ),
        # no guarantee: Powell's commitment problem sinks Doha first
        pytest.param({"x_bar": 0.5, "g_Q": 0.1}, "washington_first", id="no-guarantee"),
    ],
)
def test_which_sequence_settles_both(overrides, better):
    worse = "doha_first" if better == "washington_first" else "washington_first"
    assert MODEL.solve(better, **overrides).agreement
    assert not MODEL.solve(worse, **overrides).agreement
    p = SimpleNamespace(**PS.resolve(**overrides))
    assert derived(better, p)
    assert not derived(worse, p)


def test_thresholds():
    c = MODEL.conditions("washington_first")
    t = c.threshold("x_bar")
    assert t.direction == ">="
    assert sympy.simplify(t.expression - (S.p0 - S.c_M)) == 0
    t = MODEL.conditions("doha_first").threshold("g_Q")
    assert sympy.simplify(t.expression - SHIFT) == 0
