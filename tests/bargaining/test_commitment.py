"""Powell (2006): shifting power, the peace condition and phased shifts."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bargain.bargaining import (
    phased_shift,
    phased_shift_symbolic,
    powell_peace_condition,
    powell_peace_condition_symbolic,
)

CONDITIONS = [
    # Powell (2006): peace iff delta (p_t - p_{t+1}) <= (1 - delta)(1 - p_t + kappa).
    pytest.param((0.9, 0.5, 0.45, 0.05), True, id="small-shift-peace"),
    pytest.param((0.9, 0.5, 0.4, 0.05), False, id="large-shift-war"),
    pytest.param((0.5, 0.5, 0.0, 0.0), True, id="boundary-equality-is-peace"),
    pytest.param((0.5, 0.5, 0.0, 0.0001), True, id="just-inside"),
    pytest.param((0.5, 0.5001, 0.0, 0.0), False, id="just-outside"),
    pytest.param((0.99, 0.3, 0.6, 0.0), True, id="rising-declining-side"),
    pytest.param((1.0, 0.5, 0.5, 0.0), True, id="no-shift-no-discounting"),
    pytest.param((1.0, 0.5, 0.49, 0.5), False, id="any-fall-without-discounting"),
]


@pytest.mark.parametrize(("args", "peace"), CONDITIONS)
def test_peace_condition(args, peace):
    delta, p_now, p_next, cost = args
    r = powell_peace_condition(*args)
    assert r.peace is peace
    assert r.max_shift == pytest.approx((1 - delta) * (1 - p_now + cost) / delta)
    assert r.shift == pytest.approx(p_now - p_next)
    assert r.peace == (r.shift <= r.max_shift + 1e-15)


PHASED = [
    # Powell (2006) phasing, worked example: bound 0.27 / 0.055 = 4.9 -> 5 steps.
    pytest.param((0.9, 0.3, 0.5, 0.05), 5, id="powell2006-example"),
    # Exact integer bounds: naive floating ceil would overshoot by one.
    pytest.param((0.9, 0.2, 0.5, 0.1), 3, id="bound-exactly-3"),
    pytest.param((0.5, 0.5, 0.5, 0.0), 1, id="bound-exactly-1"),
    pytest.param((0.75, 0.3, 0.5, 0.4), 1, id="bound-exactly-1-b"),
    pytest.param((0.9, 0.0, 0.5, 0.1), 1, id="no-shift"),
    pytest.param((0.95, 0.5, 0.5, 0.0), 19, id="patient-needs-many-steps"),
]


@pytest.mark.parametrize(("args", "steps"), PHASED)
def test_phased_shift(args, steps):
    r = phased_shift(*args)
    assert r.steps == steps
    assert r.step_size == pytest.approx(args[1] / steps)


def test_tiny_room_gives_exact_huge_step_count():
    r = phased_shift(0.5, 1.0, 1.0, 1e-320)  # bound = 0.5 / (0.5 * 1e-320) = 10**320
    assert r.steps == 10**320
    assert r.bound == math.inf  # too large for a float
    assert powell_peace_condition(0.5, 1.0, 0.5, 1e-320).max_shift == pytest.approx(1e-320)


def test_exact_integer_bound_defeats_naive_ceil():
    delta, omega, p, cost = 0.9, 0.2, 0.5, 0.1
    naive = math.ceil(delta * omega / ((1 - delta) * (1 - p + cost)))
    assert naive == 4  # floating rounding pushes 3 to 3.0000000000000004
    assert phased_shift(delta, omega, p, cost).steps == 3
    assert phased_shift(delta, omega, p, cost).bound == pytest.approx(3.0)


fraction = st.fractions(0, 1, max_denominator=60)


@settings(max_examples=200, deadline=None)
@given(
    st.fractions(Fraction(1, 20), Fraction(19, 20), max_denominator=40),
    fraction,
    fraction,
    st.fractions(0, Fraction(1, 2), max_denominator=40),
)
def test_phased_steps_keep_peace_and_one_fewer_does_not(delta, p_start, frac, cost):
    # Check every step with powell_peace_condition in exact arithmetic (Fraction inputs).
    omega = p_start * frac
    assume(p_start < 1 or cost > 0 or omega == 0)
    n = phased_shift(delta, omega, p_start, cost).steps
    for k in range(n):
        now = p_start - k * omega / n
        assert powell_peace_condition(delta, now, now - omega / n, cost).peace
    if n > 1:
        first = powell_peace_condition(delta, p_start, p_start - omega / (n - 1), cost)
        assert not first.peace


D, W, P0, P1, K = sp.symbols("delta omega p_t p_t1 kappa", positive=True)
PEACE = powell_peace_condition_symbolic(D, P0, P1, K)
PHASE = phased_shift_symbolic(D, W, P0, K)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.05, 0.95), st.floats(0, 1), st.floats(0, 1), st.floats(0, 0.5))
def test_symbolic_twins_equal_numeric(delta, p_now, frac, cost):
    assume(1 - p_now + cost > 1e-6)
    p_next = p_now * frac
    r = powell_peace_condition(delta, p_now, p_next, cost)
    vals = {D: delta, P0: p_now, P1: p_next, K: cost}
    assert float(PEACE.max_shift.subs(vals)) == pytest.approx(r.max_shift, rel=1e-12)
    slack = r.max_shift - r.shift
    assume(abs(slack) > 1e-9)  # away from the boundary, floats and exact decimals agree
    assert bool(PEACE.peace.subs(vals)) is r.peace
    omega = p_now - p_next
    s = phased_shift(delta, omega, p_now, cost)
    bound = float(PHASE.bound.subs({D: delta, W: omega, P0: p_now, K: cost}))
    assert bound == pytest.approx(s.bound, rel=1e-12)
    assume(abs(bound - round(bound)) > 1e-9)
    assert int(PHASE.steps.subs({D: delta, W: omega, P0: p_now, K: cost})) == s.steps


def test_symbolic_condition_is_powells():
    rhs = (1 - D) * (1 - P0 + K)
    assert sp.simplify(PEACE.peace.lhs - D * (P0 - P1)) == 0
    assert sp.simplify(PEACE.peace.rhs - rhs) == 0
