"""The type-screening model: derived threshold on p_sec, and the Harsanyi tree's agreement.

Derived results tested (see models/rwanda_type_screening.py): the mechanism separates the
types (security accepts, rent rejects) iff rho - c_R <= M_R <= rho - c_R + e_R; where in
addition the plain deal is taken by the rent type only (M_R - theta < rho - c_R < M_R) the
DRC offers the mechanism iff p_sec >= p* = (M_G + W + H - e_R) / (2 (M_G + W + H) - k_G - e_R).
"""

import sys

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.solvers.api import solve

MODEL = bg.load_model("rwanda_type_screening")
MODULE = sys.modules[MODEL.regime("screening").build.__module__]  # the loaded model file
PS = MODEL.parameters
S = PS.symbol_map()
AGREEMENT = ("Mechanism", "Accept_sec", "Reject_rent")


def sample(n: int, seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*p.bounds, n) for p in PS.parameters])


def values(row) -> dict:
    return dict(zip(PS.names, (float(x) for x in row), strict=True))


def harsanyi_path(**vals) -> tuple:
    """SPE path of the Bayesian tree mapped to the regime's (offer, security, rent) form."""
    r = solve(MODULE.harsanyi_tree(**vals), method="spe", all_equilibria=False)
    offer_sec, reply_sec, offer_rent, reply_rent = r[0].path
    assert offer_sec == offer_rent  # one information set: the same offer to both types
    return (offer_sec, reply_sec, reply_rent)


def test_parameters_reuse_withdrawal_sequencing():
    base = bg.load_model("withdrawal_sequencing").parameters
    for name in ("rho", "c_R", "M_R", "M_G", "k_G", "theta", "H", "W"):
        assert PS[name] == base[name]
    assert PS["p_sec"].bounds == (0.0, 1.0)
    assert PS["e_R"].source.startswith("assumption")
    assert MODEL.regime("screening").agreement == AGREEMENT


def test_baseline_mechanism_screens():
    # defaults: p* = 4.5 / 8.5 < p_sec = 0.6
    s = MODEL.solve("screening")
    assert s.path == AGREEMENT
    assert s.agreement is True
    np.testing.assert_allclose(s.payoffs, [0.6 * 1.2 + 0.4 * 1.5, 0.6 * 2.0 - 0.4 * 2.0])
    assert harsanyi_path() == AGREEMENT
    # below p* the DRC offers the plain deal: only the rent type accepts (reverse separation)
    assert MODEL.solve("screening", p_sec=0.5).path == ("Plain", "Reject_sec", "Accept_rent")
    assert harsanyi_path(p_sec=0.5) == ("Plain", "Reject_sec", "Accept_rent")


def test_threshold_derivation():
    p_star = MODULE.screening_threshold()
    H, M_G, W, e_R, k_G = (S[n] for n in ("H", "M_G", "W", "e_R", "k_G"))
    assert sympy.simplify(p_star - (M_G + W + H - e_R) / (2 * (M_G + W + H) - k_G - e_R)) == 0
    assert float(p_star.subs({S[n]: x for n, x in PS.resolve().items()})) == pytest.approx(
        4.5 / 8.5
    )
    # the symbolic conditions contain it: in the region, agreement iff p_sec >= p*
    c = MODEL.conditions("screening")
    base = PS.resolve()
    for p in np.linspace(0.01, 0.99, 99):
        want = p >= 4.5 / 8.5 - 1e-12
        assert c.holds(**{**base, "p_sec": float(p)}) == want
        assert MODEL.solve("screening", p_sec=float(p)).agreement == want


def test_symbolic_condition_matches_region_formula():
    c = MODEL.conditions("screening")
    X = sample(2000)
    got = np.array([c.paths[i] == AGREEMENT for i in c.lambdify()(X)])
    v = {n: X[:, k] for k, n in enumerate(PS.names)}
    rent = v["rho"] - v["c_R"]
    region = (v["M_R"] > rent) & (v["M_R"] <= rent + v["e_R"]) & (v["M_R"] - v["theta"] < rent)
    # E[Mechanism] >= E[Plain], linear in p_sec (p_sec >= p* when p*'s denominator is > 0)
    screens = v["p_sec"] * (v["M_G"] - v["k_G"] + v["W"] + v["H"]) >= (1 - v["p_sec"]) * (
        v["M_G"] + v["W"] + v["H"] - v["e_R"]
    )
    both = (v["M_R"] > rent) & (v["M_R"] <= rent + v["e_R"]) & (v["M_R"] - v["theta"] >= rent)
    # where the plain deal is accepted by both types the mechanism loses unless k_G <= e_R ...
    inside = region & ~both
    np.testing.assert_array_equal(got[inside], screens[inside])
    # ... and outside the separating band of M_R the mechanism never screens
    outside = (v["M_R"] < rent) | (v["M_R"] > rent + v["e_R"])
    assert not got[outside].any()


def test_harsanyi_tree_equivalent_at_random_points():
    # the Bayesian tree (nature first, DRC uninformed) and the offer-first tree give the same
    # outcome: the DRC learns nothing before offering
    c = MODEL.conditions("screening")
    X = sample(1000, seed=5)
    idx = c.lambdify()(X)
    for row, i in zip(X, idx, strict=True):
        vals = values(row)
        want = c.paths[i]
        assert harsanyi_path(**vals) == want
        assert MODEL.solve("screening", **vals).path == want


def test_harsanyi_tree_solvers_agree():
    t = MODULE.harsanyi_tree()
    assert not t.perfect_information
    sf = solve(t, method="sequence_form")
    spe = solve(t, method="spe")
    assert len(spe) == 1
    np.testing.assert_allclose(sf[0].payoffs, spe[0].payoffs, atol=1e-9)
    assert max(spe[0].info["subgame_regrets"].values()) <= 1e-9
    sym = MODULE.harsanyi_tree(symbolic=True)
    assert sym.is_symbolic
    with pytest.raises(bg.errors.ParameterError, match="p_sec"):
        MODULE.harsanyi_tree(p_sec=2.0)
