"""The Doha-track model: derived conditions, numeric agreement, closed-form outputs.

Derived results tested (see models/doha_m23_track.py and docs/explanation/
doha_and_linked_tracks.md):

* ultimatum: the agreement Offer -> Accept -> Ratify holds iff p_M - c_M <= x_bar (the
  Fearon range [p_M - c_M, p_M + c_G] meets the ceiling [0, x_bar]), i.e.
  T <= T* = T_max (x_bar + c_M - p0) / omega.
* mediator_proposal: holds iff p_M + (c_G - c_M)/2 <= x_bar.
* outputs: Fearon (1995) range and screening; Powell (2006) peace condition and phasing.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.bargaining import fearon_range, fearon_screening, phased_shift, powell_peace_condition
from bargain.symbolic._inequalities import boolean_to_dnf

MODEL = bg.load_model("doha_m23_track")
PS = MODEL.parameters
S = SimpleNamespace(**PS.symbol_map())
T_MAX = 12_000
NAMES = ("T", "p0", "omega", "c_M", "c_G", "x_bar", "c_bar", "mu", "delta")


def sample(n_points: int, *, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*p.bounds, n_points) for p in PS.parameters])


def values(row) -> dict:
    return dict(zip(PS.names, (float(x) for x in row), strict=True))


def ns(X: np.ndarray) -> SimpleNamespace:
    return SimpleNamespace(**{n: X[:, k] for k, n in enumerate(PS.names)})


def canonical_set(boolean):
    return {frozenset(c) for c in boolean_to_dnf(boolean)}


def numeric_path(regime: str, vals: dict) -> tuple:
    tree = MODEL.regime(regime).build(SimpleNamespace(**vals))
    agreement = MODEL.regime(regime).agreement
    r = bg.solve(tree, method="spe", priority=agreement, all_equilibria=False)
    return r.equilibria[0].path


P_M = S.p0 + S.omega * S.T / T_MAX


def test_parameters_are_documented():
    assert PS.names == NAMES
    # units, descriptions, sources and finite bounds: tests/test_models.py, for every model
    # p_M = p0 + omega T / T_max stays a probability over the whole box
    assert PS["p0"].bounds[1] + PS["omega"].bounds[1] <= 1
    assert MODEL.report_axes == ("T", "x_bar")
    assert set(MODEL.regimes) == {"ultimatum", "mediator_proposal"}


# -- derived conditions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "share"),
    [
        # Fearon (1995): the proposer offers the responder its war value p_M - c_M
        pytest.param("ultimatum", P_M - S.c_M, id="ultimatum"),
        # the midpoint of the range [p_M - c_M, p_M + c_G]
        pytest.param("mediator_proposal", P_M + (S.c_G - S.c_M) / 2, id="mediator"),
    ],
)
def test_agreement_iff_share_within_ceiling(regime, share):
    c = MODEL.conditions(regime)
    expected = sympy.Ge(S.x_bar - share, 0)
    assert canonical_set(c.agreement()) == canonical_set(expected)
    X = sample(2000, seed=1)
    got = np.array([c.paths[i] == c.agreement_path for i in c.lambdify()(X)])
    p = ns(X)
    pm = p.p0 + p.omega * p.T / T_MAX
    x = pm - p.c_M if regime == "ultimatum" else pm + (p.c_G - p.c_M) / 2
    np.testing.assert_array_equal(got, x <= p.x_bar + 1e-12)


def test_troop_threshold_matches_the_derived_condition():
    t = MODEL.conditions("ultimatum").threshold("T")
    assert t.direction == "<="
    assert sympy.simplify(t.expression - T_MAX * (S.x_bar + S.c_M - S.p0) / S.omega) == 0
    # baseline: T* = 12000 (0.25 + 0.1 - 0.15) / 0.45 = 5333.3 troops
    base = np.array([PS.vector()])
    assert MODEL.evaluate_output("troop_threshold", base)[0] == pytest.approx(16000 / 3)


def test_baseline_outcomes():
    # Documented in the model: at T = 6,000 (UN Group of Experts 2025) M23's war value 0.275
    # exceeds the ceiling 0.25; at 3,000 (2024 estimate range) the ultimatum settles.
    assert MODEL.solve("ultimatum").path == ("Offer", "Accept", "Veto")
    assert not MODEL.solve("ultimatum").agreement
    assert MODEL.solve("ultimatum", T=3000).agreement
    assert MODEL.conditions("ultimatum").holds(T=3000)
    assert not MODEL.solve("mediator_proposal", T=3000).agreement
    assert MODEL.solve("mediator_proposal", T=0, x_bar=0.4).agreement


@pytest.mark.parametrize("regime", ["ultimatum", "mediator_proposal"])
def test_conditions_agree_with_numeric_spe(regime):
    c = MODEL.conditions(regime)
    X = sample(1000, seed=100)
    ids = c.lambdify()(X)
    for row, k in zip(X, ids, strict=True):
        vals = values(row)
        path = numeric_path(regime, vals)
        assert c.paths[k] == path
        assert c.holds(**vals) == (path == c.agreement_path)
    for row in X[:20]:
        vals = values(row)
        assert MODEL.solve(regime, **vals).agreement == c.holds(**vals)


def test_tie_at_the_ceiling_resolves_to_ratification():
    # x_bar = p_M - c_M exactly: p0 = 0.25, omega = 0.25, T = 6000 -> p_M = 0.375; c_M = 0.125
    vals = {**PS.defaults, "p0": 0.25, "omega": 0.25, "T": 6000.0, "c_M": 0.125, "x_bar": 0.25}
    c = MODEL.conditions("ultimatum")
    assert c.holds(**vals)
    assert numeric_path("ultimatum", vals) == ("Offer", "Accept", "Ratify")


# -- closed-form outputs against the published formulas ------------------------------------


def test_range_outputs_match_fearon_1995():
    X = sample(300, seed=2)
    lo = MODEL.evaluate_output("range_low", X)
    hi = MODEL.evaluate_output("range_high", X)
    gap = MODEL.evaluate_output("ceiling_gap", X)
    for row, a, b, g in zip(X, lo, hi, gap, strict=True):
        v = values(row)
        pm = v["p0"] + v["omega"] * v["T"] / T_MAX
        r = fearon_range(pm, v["c_M"], v["c_G"])  # Fearon (1995): [p - c_A, p + c_B]
        assert (a, b) == pytest.approx((r.low, r.high))
        assert g == pytest.approx(v["x_bar"] - (pm - v["c_M"]))
        # settlement within the ceiling iff the range meets [0, x_bar]
        assert (g >= 0) == (r.low <= v["x_bar"])


def test_screening_outputs_match_fearon_1995():
    X = sample(300, seed=3)
    un = MODEL.evaluate_output("war_prob_unmediated", X)
    med = MODEL.evaluate_output("war_prob_mediated", X)
    for row, a, b in zip(X, un, med, strict=True):
        v = values(row)
        pm = v["p0"] + v["omega"] * v["T"] / T_MAX
        assert a == pytest.approx(fearon_screening(1 - pm, v["c_G"], v["c_bar"]).war_probability)
        cmed = (1 - v["mu"]) * v["c_bar"]
        r_un, r_med = (
            fearon_screening(1 - pm, v["c_G"], v["c_bar"]),
            fearon_screening(1 - pm, v["c_G"], cmed),
        )
        assert b == pytest.approx(r_med.war_probability)
        if r_un.regime != "whole_good" and r_med.regime != "whole_good":
            assert b <= a + 1e-12  # off the corner, mediation never raises P(war)
    # the corner: when the DRC's interior demand would exceed 1 it demands everything and
    # P(war) = p_M / c_max, which rises as the noise shrinks: with p_M = 0.1, c_G = 0,
    # c_bar = 1 mediation (mu = 0.5) doubles P(war) from 0.1 to 0.2
    corner = np.array([PS.vector(T=0.0, p0=0.1, c_G=0.0, c_bar=1.0, mu=0.5)])
    assert fearon_screening(0.9, 0.0, 0.5).regime == "whole_good"
    assert MODEL.evaluate_output("war_prob_unmediated", corner)[0] == pytest.approx(0.1)
    assert MODEL.evaluate_output("war_prob_mediated", corner)[0] == pytest.approx(0.2)
    # Fearon (1995) interior case: P(war) = (c_bar - c_A) / (2 c_bar); baseline 0.25/0.8
    base = np.array([PS.vector()])
    assert MODEL.evaluate_output("war_prob_unmediated", base)[0] == pytest.approx(0.3125)
    assert MODEL.evaluate_output("war_prob_mediated", base)[0] == pytest.approx(0.05 / 0.4)


def test_powell_outputs_match_powell_2006():
    X = sample(300, seed=4)
    peace = MODEL.evaluate_output("commitment_peace", X)
    steps = MODEL.evaluate_output("steps_needed", X)
    for row, ok, n in zip(X, peace, steps, strict=True):
        v = values(row)
        pm = v["p0"] + v["omega"] * v["T"] / T_MAX
        shift = pm - v["p0"]
        # Powell (2006): peace iff delta (p_t - p_t+1) <= (1 - delta)(1 - p_t + kappa)
        want = v["delta"] * shift <= (1 - v["delta"]) * (1 - pm + v["c_M"])
        assert bool(ok) == want
        assert bool(ok) == powell_peace_condition(v["delta"], pm, v["p0"], v["c_M"]).peace
        assert int(n) == phased_shift(v["delta"], shift, pm, v["c_M"]).steps
        bound = v["delta"] * shift / ((1 - v["delta"]) * (1 - pm + v["c_M"]))
        assert int(n) == max(1, math.ceil(bound - 1e-12))
    # baseline: 0.9 * 0.225 / (0.1 * 0.725) = 2.79 -> 3 steps
    assert MODEL.evaluate_output("steps_needed", np.array([PS.vector()]))[0] == 3


def test_latex_and_thresholds():
    tex = MODEL.conditions("ultimatum").latex(thresholds=["x_bar"])
    assert r"\text{Offer} \to \text{Accept} \to \text{Ratify}" in tex
    assert r"\bar" in tex or "x_{bar}" in tex
