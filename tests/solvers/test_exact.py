"""Tests of exact rational verification (bargain.solvers.normal_form.exact)."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from bargain.errors import SolverError
from bargain.solvers.normal_form.exact import (
    payoffs_to_fractions,
    simple_fractions,
    to_fraction_profile,
    verify_exact,
)

# von Stengel (2007), Algorithmic Game Theory ch. 3, eq. (3.3)
VS_A = np.array([[3, 3], [2, 5], [0, 6]], dtype=float)
VS_B = np.array([[3, 2], [2, 6], [3, 1]], dtype=float)


def _fr():
    return payoffs_to_fractions([VS_A, VS_B])[0]


@pytest.mark.parametrize(
    ("profile", "regret"),
    [
        # von Stengel's three equilibria: regret exactly zero
        (((1, 0, 0), (1, 0)), F(0)),
        (((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))), F(0)),
        (((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))), F(0)),
        # (T, r): player 1 gets 3, could get 6 with the third row
        (((1, 0, 0), (0, 1)), F(3)),
        # the mixed profile rounded: player 2 at (0.8, 0.2, 0) gets 2.8 from l and from r;
        # player 1 against (0.67, 0.33): rows 3, 2.99, 1.98, mix gets 2.998 -> regret 1/500
        (((F(4, 5), F(1, 5), 0), (F(67, 100), F(33, 100))), F(1, 500)),
    ],
    ids=["pure", "mixed-4/5", "mixed-1/3", "not-eq-pure", "rounded-mixed"],
)
def test_verify_exact_von_stengel(profile, regret):
    assert verify_exact(_fr(), profile) == regret


def test_verify_exact_three_players():
    # 2x2x2 game where every player gets 1 when all match: (0,0,0) is an equilibrium
    p = np.zeros((2, 2, 2), dtype=object)
    p[0, 0, 0] = p[1, 1, 1] = F(1)
    half = (F(1, 2), F(1, 2))
    assert verify_exact([p, p, p], [(1, 0), (1, 0), (1, 0)]) == 0
    # all mixing 1/2: each gets 1/4, deviating to a pure strategy also gives 1/4
    assert verify_exact([p, p, p], [half, half, half]) == 0
    assert verify_exact([p, p, p], [(1, 0), (0, 1), (0, 1)]) == 1


@pytest.mark.parametrize(
    ("profile", "match"),
    [
        (((1, 0, 0),), "need 2 strategies"),
        (((1, 0), (1, 0)), "player 1 has 2 entries, expected 3"),
        (((F(1, 2), F(1, 3), F(1, 3)), (1, 0)), "player 1 is not a probability vector"),
        (((1, 0, 0), (2, -1)), "player 2 is not a probability vector"),
    ],
    ids=["too-few-players", "wrong-length", "sum-not-one", "negative"],
)
def test_verify_exact_bad_input(profile, match):
    with pytest.raises(SolverError, match=match):
        verify_exact(_fr(), profile)


def test_payoffs_to_fractions_simple_and_binary():
    fr, simple = payoffs_to_fractions([np.array([[0.1, 1 / 3, -2.0]])])
    assert simple
    assert list(fr[0].ravel()) == [F(1, 10), F(1, 3), F(-2)]
    x = float(np.pi)
    fr, simple = payoffs_to_fractions([np.array([[0.5, x]])])
    assert not simple
    # binary reading: the exact value of each float, 0.5 included
    assert list(fr[0].ravel()) == [F(1, 2), F(x)]
    assert simple_fractions([np.array([[x]])]) is None


def test_to_fraction_profile_recovers_and_certifies():
    s = [np.array([0.8, 0.2, 0.0]), np.array([2 / 3, 1 / 3])]
    prof = to_fraction_profile(s, _fr())
    assert prof == ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))


@pytest.mark.parametrize(
    ("strategies", "kwargs", "match"),
    [
        # not an equilibrium: flagged, never passed silently
        ([np.array([1.0, 0, 0]), np.array([0.0, 1.0])], {}, "not an exact equilibrium"),
        # (1/7, 1/7, 5/7) with denominators <= 5 reads (1/5, 1/5, 3/4): sum 23/20
        (
            [np.array([1 / 7, 1 / 7, 5 / 7]), np.array([1.0, 0])],
            {"max_denominator": 5},
            "sums to 1",
        ),
        # a float 1e-4 off the equilibrium is read as 8001/10000: fails the exact check
        # (1e-7 off would be read back as 4/5, still the closest fraction with q <= 10**6)
        (
            [np.array([0.8001, 0.1999, 0]), np.array([2 / 3, 1 / 3])],
            {},
            "not an exact equilibrium",
        ),
    ],
    ids=["not-equilibrium", "denominator-too-small", "perturbed"],
)
def test_to_fraction_profile_refuses(strategies, kwargs, match):
    with pytest.raises(SolverError, match=match):
        to_fraction_profile(strategies, _fr(), **kwargs)
