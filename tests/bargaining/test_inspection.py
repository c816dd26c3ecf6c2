"""The inspection game (Kilgour & Brams 1992 style): closed form, regimes, payoff matrix."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.bargaining import (
    inspection_equilibrium,
    inspection_equilibrium_symbolic,
    inspection_game,
)

CASES = [
    # Kilgour & Brams (1992) style mixed equilibrium: r = g/(beta (g + f)), s = e/(beta L).
    pytest.param((1, 3, 0.8, 0.2, 2), ("mixed", 1 / 3.2, 0.2 / 1.6), id="kb1992-mixed"),
    pytest.param((2, 2, 1.0, 0.5, 4), ("mixed", 0.5, 0.125), id="perfect-detection"),
    pytest.param((1, 3, 0.25, 0.2, 2), ("undeterrable", 1.0, 1.0), id="at-threshold"),
    pytest.param((1, 3, 0.2, 0.2, 2), ("undeterrable", 1.0, 1.0), id="weak-detection"),
    pytest.param((1, 3, 0.8, 2.0, 2), ("no_inspection", 0.0, 1.0), id="costly-inspection"),
    pytest.param((1, 3, 0.0, 0.0, 2), ("no_inspection", 0.0, 1.0), id="useless-inspection"),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_equilibrium(args, expected):
    r = inspection_equilibrium(*args)
    assert r.regime == expected[0]
    assert (r.inspect_prob, r.violate_prob) == pytest.approx(expected[1:], abs=1e-12)
    g, f = args[0], args[1]
    assert r.deterrence_threshold == pytest.approx(g / (g + f))  # Kilgour & Brams (1992)


def _regrets(game, r, s):
    """Largest gain from a pure deviation for each player at (violate s, inspect r)."""
    a, b = (np.asarray(p, dtype=float) for p in game.payoffs)
    row = np.array([1 - s, s])
    col = np.array([r, 1 - r])
    va, vb = row @ a @ col, row @ b @ col
    return (a @ col).max() - va, (row @ b).max() - vb, (va, vb)


@st.composite
def params(draw):
    return (
        draw(st.floats(0.01, 5)),
        draw(st.floats(0, 5)),
        draw(st.floats(0, 1)),
        draw(st.floats(0, 3)),
        draw(st.floats(0.01, 5)),
    )


@settings(max_examples=300)
@given(params())
def test_closed_form_is_an_equilibrium_of_the_matrix(args):
    # Independent check: no pure deviation in the 2x2 payoff matrix gains.
    r = inspection_equilibrium(*args)
    reg_a, reg_b, values = _regrets(inspection_game(*args), r.inspect_prob, r.violate_prob)
    scale = 1 + max(abs(x) for x in args)
    assert reg_a <= 1e-12 * scale
    assert reg_b <= 1e-12 * scale
    assert r.payoffs == pytest.approx(values, abs=1e-12 * scale)
    assert 0 <= r.inspect_prob <= 1
    assert 0 <= r.violate_prob <= 1


@settings(max_examples=200)
@given(params())
def test_commitment_at_the_mixed_rate_deters(args):
    # An inspector who commits to inspect with probability g/(beta (g + f)) (possible iff
    # beta >= g/(g + f)) leaves the violator nothing to gain from violating.
    g, f, beta = args[:3]
    r = inspection_equilibrium(*args)
    if beta >= r.deterrence_threshold and beta > 0:
        rate = g / (beta * (g + f))
        assert rate <= 1 + 1e-12
        assert g - rate * beta * (g + f) == pytest.approx(0, abs=1e-12 * (1 + g + f))
    else:
        assert g - beta * (g + f) > 0  # even certain inspection leaves a gain


G, F, B, E, L = sp.symbols("g f beta e L", positive=True)
SYM = inspection_equilibrium_symbolic(G, F, B, E, L)


@settings(max_examples=100, deadline=None)
@given(params())
def test_symbolic_twin_equals_numeric(args):
    vals = dict(zip((G, F, B, E, L), args, strict=True))
    r = inspection_equilibrium(*args)
    assert float(SYM.inspect_prob.subs(vals)) == pytest.approx(r.inspect_prob, abs=1e-12)
    assert float(SYM.violate_prob.subs(vals)) == pytest.approx(r.violate_prob, abs=1e-12)
    assert float(SYM.deterrence_threshold.subs(vals)) == pytest.approx(r.deterrence_threshold)
    for got, want in zip(SYM.payoffs, r.payoffs, strict=True):
        assert float(got.subs(vals)) == pytest.approx(want, abs=1e-9)


def test_symbolic_mixed_formulas():
    assert sp.simplify(SYM.inspect_prob.args[-1][0] - G / (B * (G + F))) == 0
    assert sp.simplify(SYM.violate_prob.args[-1][0] - E / (B * L)) == 0
