"""Nash, Kalai–Smorodinsky and egalitarian solutions on function and point frontiers."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bargain.bargaining import (
    egalitarian,
    egalitarian_symbolic,
    kalai_smorodinsky,
    kalai_smorodinsky_symbolic,
    nash_solution,
    nash_solution_symbolic,
)


def circle(u1):
    return np.sqrt(1 - u1**2)


def superellipse(u1, k=1.5):
    return (1 - u1**k) ** (1 / k)


# -- known solutions ---------------------------------------------------------------------------

CASES = [
    # Nash (1950): on u1 + u2 = c the symmetric solution splits the surplus equally.
    pytest.param(nash_solution, lambda u: 1 - u, (0.2, 0.0), {}, (0.6, 0.4), id="nash-line"),
    # Asymmetric Nash (Roth 1979; BRW 1986): u1 - d1 = a (c - d1 - d2).
    pytest.param(
        nash_solution,
        lambda u: 1 - u,
        (0.1, 0.2),
        {"weights": (0.3, 0.7)},
        (0.1 + 0.3 * 0.7, 0.2 + 0.7 * 0.7),
        id="nash-line-weighted",
    ),
    pytest.param(nash_solution, circle, (0, 0), {}, (2**-0.5, 2**-0.5), id="nash-quarter-circle"),
    # Nash on u2 = 1 - u1**2 with d = 0: maximize u (1 - u^2) -> u = 1/sqrt(3).
    pytest.param(
        nash_solution, lambda u: 1 - u**2, (0, 0), {}, (3**-0.5, 2 / 3), id="nash-parabola"
    ),
    # Kalai & Smorodinsky (1975): ideal (1, 1) on u2 = 1 - u1**2 -> u = (sqrt(5) - 1)/2.
    pytest.param(
        kalai_smorodinsky,
        lambda u: 1 - u**2,
        (0, 0),
        {},
        ((5**0.5 - 1) / 2, (5**0.5 - 1) / 2),
        id="ks-parabola",
    ),
    # d = (0.2, 0.1), ideal (0.9, 0.8): the ray has slope 1 and meets u1 + u2 = 1 at 0.55.
    pytest.param(kalai_smorodinsky, lambda u: 1 - u, (0.2, 0.1), {}, (0.55, 0.45), id="ks-line"),
    # Kalai (1977): equal gains on u2 = 2 - 2 u1.
    pytest.param(egalitarian, lambda u: 2 - 2 * u, (0, 0), {}, (2 / 3, 2 / 3), id="egal-line"),
    pytest.param(
        egalitarian, lambda u: 2 - 2 * u, (0.5, 0), {}, (0.5 + 1 / 3, 1 / 3), id="egal-shifted"
    ),
    # Points: frontier through (0, 1), (0.5, 0.9), (1, 0).  Nash sits at the kink (the
    # derivative of the log product changes sign there); KS solves u = 0.9 - 1.8 (u - 0.5).
    pytest.param(
        nash_solution,
        [(0, 1), (0.5, 0.9), (1, 0), (0.2, 0.2)],
        (0, 0),
        {},
        (0.5, 0.9),
        id="nash-points-kink",
    ),
    pytest.param(
        kalai_smorodinsky,
        [(0, 1), (0.5, 0.9), (1, 0)],
        (0, 0),
        {},
        (9 / 14, 9 / 14),
        id="ks-points",
    ),
    pytest.param(
        egalitarian,
        [(0, 1), (0.5, 0.9), (1, 0)],
        (0.3, 0),
        {},
        (0.75, 0.45),
        id="egal-points",  # u1 - 0.3 = 1.8 - 1.8 u1
    ),
    # A single point: the comprehensive hull is {u <= (1, 5)}; egalitarian is weakly Pareto.
    pytest.param(egalitarian, [(1, 5)], (0, 0), {}, (1, 1), id="egal-vertical-end"),
    pytest.param(nash_solution, [(1, 5)], (0, 0), {}, (1, 5), id="nash-single-point"),
]


@pytest.mark.parametrize(("solve", "frontier", "d", "kw", "expected"), CASES)
def test_known_solutions(solve, frontier, d, kw, expected):
    r = solve(frontier, d, **kw)
    tol = 1e-7 if solve is nash_solution and callable(frontier) else 1e-12
    assert r.utilities == pytest.approx(expected, abs=tol)
    assert r.disagreement == pytest.approx(d)


def test_ideal_point_and_weights_are_reported():
    r = nash_solution(lambda u: 1 - u, (0.2, 0.1), weights=(1, 3))
    assert r.ideal == pytest.approx((0.9, 0.8))
    assert r.weights == (0.25, 0.75)
    assert r.solution == "nash"
    assert kalai_smorodinsky(lambda u: 1 - u, (0.2, 0.1)).weights is None


@pytest.mark.parametrize("solve", [nash_solution, kalai_smorodinsky, egalitarian])
def test_symmetric_problem_gives_symmetric_point(solve):
    # Symmetry axiom (Nash 1950; Kalai & Smorodinsky 1975; Kalai 1977).
    r = solve(superellipse, (0.1, 0.1))
    assert r.utilities[0] == pytest.approx(r.utilities[1], abs=1e-7)
    assert r.utilities[1] == pytest.approx(superellipse(r.utilities[0]), abs=1e-12)


@pytest.mark.parametrize("solve", [nash_solution, kalai_smorodinsky])
def test_invariance_to_affine_rescaling(solve):
    # Nash (1950) and Kalai & Smorodinsky (1975) axioms: u1 -> 3 u1 + 1, u2 -> 2 u2 - 1.
    base = solve(circle, (0.1, 0.2)).utilities
    scaled = solve(lambda v1: 2 * circle((v1 - 1) / 3) - 1, (1.3, -0.6)).utilities
    assert scaled == pytest.approx((3 * base[0] + 1, 2 * base[1] - 1), abs=1e-6)


def test_egalitarian_is_not_scale_invariant():
    base = egalitarian(circle, (0, 0)).utilities
    scaled = egalitarian(lambda v1: circle(v1 / 3), (0, 0)).utilities
    assert scaled[0] != pytest.approx(3 * base[0], abs=1e-3)


def test_frontier_that_ends_above_the_disagreement_level():
    # sqrt(1 - u1^2) stops being defined at u1 = 1 where it is 0 > d2 = -0.5: vertical end.
    r = kalai_smorodinsky(circle, (0, -0.5))
    assert r.ideal == pytest.approx((1, 1), abs=1e-9)
    assert (r.utilities[1] + 0.5) / 1.5 == pytest.approx(r.utilities[0], abs=1e-9)
    e = egalitarian(lambda u: np.sqrt(0.25 - u**2), (0, -1))
    assert e.utilities == pytest.approx((0.5, -0.5), abs=1e-9)


def test_function_and_points_agree_on_a_line():
    for solve in (nash_solution, kalai_smorodinsky, egalitarian):
        a = solve(lambda u: 3 - 1.5 * u, (0.5, 0.25)).utilities
        b = solve([(0, 3), (2, 0)], (0.5, 0.25)).utilities
        assert a == pytest.approx(b, abs=1e-7)


# -- properties ------------------------------------------------------------------------------

cloud = st.lists(
    st.tuples(st.floats(0, 10), st.floats(0, 10)), min_size=1, max_size=12, unique=True
)


def _product(u, d, a):
    return (u[0] - d[0]) ** a * (u[1] - d[1]) ** (1 - a)


@settings(max_examples=150, deadline=None)
@given(cloud, st.floats(0.05, 0.95))
def test_nash_on_points_beats_every_convex_combination(pts, a):
    d = (0.0, 0.0)
    assume(any(x > 0.01 and y > 0.01 for x, y in pts))
    r = nash_solution(pts, d, weights=(a, 1 - a))
    best = _product(r.utilities, d, a)
    for p, q in itertools.combinations_with_replacement(pts, 2):
        for t in np.linspace(0, 1, 21):
            u = (t * p[0] + (1 - t) * q[0], t * p[1] + (1 - t) * q[1])
            if u[0] >= 0 and u[1] >= 0:
                assert _product(u, d, a) <= best * (1 + 1e-12) + 1e-12


@settings(max_examples=150, deadline=None)
@given(cloud, st.floats(0, 2), st.floats(0, 2))
def test_ks_and_egalitarian_lie_on_their_rays(pts, d1, d2):
    assume(any(x > d1 + 0.01 and y > d2 + 0.01 for x, y in pts))
    ks = kalai_smorodinsky(pts, (d1, d2))
    (i1, i2), (u1, u2) = ks.ideal, ks.utilities
    assert (u1 - d1) * (i2 - d2) == pytest.approx((u2 - d2) * (i1 - d1), abs=1e-9)
    assert d1 < u1 <= i1 + 1e-12
    eg = egalitarian(pts, (d1, d2)).utilities
    assert eg[0] - d1 == pytest.approx(eg[1] - d2, abs=1e-9)
    # both are on the frontier: no input point strictly dominates them
    for x, y in pts:
        assert not (x > u1 + 1e-9 and y > u2 + 1e-9)
        assert not (x > eg[0] + 1e-9 and y > eg[1] + 1e-9)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.5, 3), st.floats(0.3, 3), st.floats(0, 0.3), st.floats(0, 0.3))
def test_nash_on_power_frontiers_satisfies_first_order_condition(c, k, d1, d2):
    # u2 = c (1 - u1**k): the Nash point satisfies (u2 - d2) = -f'(u1) (u1 - d1).
    assume(c * (1 - d1**k) > d2 + 0.05)
    r = nash_solution(lambda u: c * (1 - u**k), (d1, d2))
    u1, u2 = r.utilities
    slope = -c * k * u1 ** (k - 1)
    assert u2 - d2 == pytest.approx(-slope * (u1 - d1), abs=1e-6)


# -- symbolic twins ------------------------------------------------------------------------------

U, C, K, D1, D2, A = sp.symbols("u1 c k d1 d2 a", positive=True)
LINE = C - K * U
SYMBOLIC = {
    "nash": nash_solution_symbolic(LINE, (D1, D2), (A, 1 - A), variable=U).utilities,
    "ks": kalai_smorodinsky_symbolic(LINE, (D1, D2), variable=U).utilities,
    "egal": egalitarian_symbolic(LINE, (D1, D2), variable=U).utilities,
}


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1, 5), st.floats(0.2, 3), st.floats(0, 0.4), st.floats(0, 0.4), st.floats(0.05, 0.95)
)
def test_symbolic_twins_equal_numeric_on_lines(c, k, d1, d2, a):
    assume(c - k * d1 > d2 + 0.05)
    vals = {C: c, K: k, D1: d1, D2: d2, A: a}
    numeric = {
        "nash": nash_solution(lambda u: c - k * u, (d1, d2), (a, 1 - a)).utilities,
        "ks": kalai_smorodinsky(lambda u: c - k * u, (d1, d2)).utilities,
        "egal": egalitarian(lambda u: c - k * u, (d1, d2)).utilities,
    }
    for name, expr in SYMBOLIC.items():
        got = tuple(float(e.subs(vals)) for e in expr)
        assert got == pytest.approx(numeric[name], abs=1e-7), name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=2, max_size=7, unique=True),
    st.integers(1, 5),
)
def test_symbolic_twins_on_points_are_exact(pts, w):
    assume(any(x >= 1 and y >= 1 for x, y in pts))
    d = (0, 0)
    for numeric, symbolic, kw in [
        (nash_solution, nash_solution_symbolic, {"weights": (w, 6 - w)}),
        (kalai_smorodinsky, kalai_smorodinsky_symbolic, {}),
        (egalitarian, egalitarian_symbolic, {}),
    ]:
        exact = symbolic(pts, d, **kw).utilities
        assert all(isinstance(x, sp.Rational) for x in exact)
        assert tuple(float(x) for x in exact) == pytest.approx(
            numeric(pts, d, **kw).utilities, abs=1e-12
        )


def test_symbolic_twin_on_a_circle():
    u = sp.Symbol("u1", positive=True)
    r = nash_solution_symbolic(sp.sqrt(1 - u**2), (0, 0))
    assert r.utilities == (sp.sqrt(2) / 2, sp.sqrt(2) / 2)
    assert math.isclose(
        float(r.utilities[0]), nash_solution(circle, (0, 0)).utilities[0], abs_tol=1e-7
    )
