"""Fearon (1995): the bargaining range and screening under private costs."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.bargaining import (
    fearon_range,
    fearon_range_symbolic,
    fearon_screening,
    fearon_screening_symbolic,
)

prob = st.floats(0.0, 1.0)
cost = st.floats(0.0, 0.6)

RANGES = [
    # Fearon (1995): the range [p - c_A, p + c_B].
    pytest.param((0.6, 0.1, 0.15), (0.5, 0.75), id="fearon1995-interior"),
    pytest.param((0.5, 0.0, 0.0), (0.5, 0.5), id="costless-war-single-point"),
    pytest.param((0.95, 0.1, 0.2), (0.85, 1.0), id="clipped-above"),
    pytest.param((0.05, 0.2, 0.1), (0.0, 0.15), id="clipped-below"),
    pytest.param((1.0, 0.3, 0.3), (0.7, 1.0), id="sure-winner"),
]


@pytest.mark.parametrize(("args", "expected"), RANGES)
def test_bargaining_range(args, expected):
    r = fearon_range(*args)
    assert (r.low, r.high) == pytest.approx(expected, abs=1e-15)


@settings(max_examples=200)
@given(prob, cost, cost)
def test_range_is_exactly_the_set_both_prefer_to_war(p, ca, cb):
    r = fearon_range(p, ca, cb)
    assert r.low <= p <= r.high
    for x in np.linspace(0, 1, 101):
        a_ok, b_ok = x >= p - ca - 1e-12, 1 - x >= 1 - p - cb - 1e-12
        inside = r.low - 1e-12 <= x <= r.high + 1e-12
        assert inside == (a_ok and b_ok)
    if 0 <= p - ca and p + cb <= 1:
        assert r.width == pytest.approx(ca + cb)


SCREENING = [
    # Fearon (1995): demand p + (c - c_A)/2, war probability (c - c_A)/(2c).
    pytest.param((0.5, 0.1, 0.3), (0.6, 1 / 3, "interior"), id="fearon1995-interior"),
    pytest.param((0.2, 0.0, 0.4), (0.4, 0.5, "interior"), id="costless-for-A-half-war"),
    pytest.param((0.5, 0.4, 0.3), (0.5, 0.0, "no_risk"), id="corner-A-cost-above-max"),
    pytest.param((0.5, 0.3, 0.3), (0.5, 0.0, "no_risk"), id="corner-boundary"),
    pytest.param((0.9, 0.0, 0.5), (1.0, 0.2, "whole_good"), id="corner-demand-everything"),
]


@pytest.mark.parametrize(("args", "expected"), SCREENING)
def test_screening(args, expected):
    r = fearon_screening(*args)
    assert (r.demand, r.war_probability) == pytest.approx(expected[:2], abs=1e-12)
    assert r.regime == expected[2]


def _payoff_a(x, p, ca, cmax):
    war = np.clip((x - p) / cmax, 0, 1)
    return x * (1 - war) + (p - ca) * war


@settings(max_examples=200)
@given(prob, cost, st.floats(0.01, 1.0))
def test_screening_demand_is_optimal(p, ca, cmax):
    r = fearon_screening(p, ca, cmax)
    xs = np.linspace(0, 1, 2001)
    assert r.payoff_a == pytest.approx(_payoff_a(r.demand, p, ca, cmax), abs=1e-12)
    assert r.payoff_a >= _payoff_a(xs, p, ca, cmax).max() - 1e-12
    assert 0 <= r.war_probability <= 0.5
    assert p <= r.demand <= 1


P, CA, CB, CM = sp.symbols("p c_A c_B c_max", nonnegative=True)
RANGE_SYM = fearon_range_symbolic(P, CA, CB)
SCREEN_SYM = fearon_screening_symbolic(P, CA, CM)


@settings(max_examples=100, deadline=None)
@given(prob, cost, cost, st.floats(0.01, 1.0))
def test_symbolic_twins_equal_numeric(p, ca, cb, cmax):
    vals = {P: p, CA: ca, CB: cb, CM: cmax}
    r = fearon_range(p, ca, cb)
    assert float(RANGE_SYM.low.subs(vals)) == pytest.approx(r.low, abs=1e-12)
    assert float(RANGE_SYM.high.subs(vals)) == pytest.approx(r.high, abs=1e-12)
    s = fearon_screening(p, ca, cmax)
    for field in ("demand", "war_probability", "payoff_a"):
        got = float(getattr(SCREEN_SYM, field).subs(vals))
        assert got == pytest.approx(getattr(s, field), abs=1e-12), field


def test_symbolic_interior_formula():
    war = fearon_screening_symbolic(P, CA, CM).war_probability
    interior = war.args[2][0]
    assert sp.simplify(interior - (CM - CA) / (2 * CM)) == 0  # Fearon (1995)
