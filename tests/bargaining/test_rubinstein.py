"""Alternating offers: closed forms, limits, equilibrium conditions and the SymPy twins."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.bargaining import nash_solution, rubinstein, rubinstein_symbolic

discount = st.floats(0.05, 0.99)
prob = st.floats(0.0, 1.0)


@st.composite
def points(draw, *, options=True):
    """A random admissible parameter point (disagreement and options inside the simplex)."""
    b1 = draw(st.floats(0.0, 0.6))
    b2 = draw(st.floats(0.0, 0.9 - b1))
    w = None
    if options and draw(st.booleans()):
        w1 = draw(st.floats(0.0, 0.9))
        w = (w1, draw(st.floats(0.0, 0.95 - w1)))
    return {
        "delta1": draw(discount),
        "delta2": draw(discount),
        "breakdown": draw(st.none() | prob),
        "disagreement": (b1, b2),
        "outside_options": w,
    }


# -- published closed forms ------------------------------------------------------------------

CASES = [
    # Rubinstein (1982), Theorem: x = (1 - delta2) / (1 - delta1 delta2).
    pytest.param({"delta1": 0.9, "delta2": 0.9}, 1 / 1.9, id="rubinstein1982-symmetric-0.9"),
    pytest.param({"delta1": 0.9, "delta2": 0.8}, 0.2 / 0.28, id="rubinstein1982-0.9-0.8"),
    pytest.param({"delta1": 0.5, "delta2": 0.95}, 0.05 / 0.525, id="rubinstein1982-patient-2"),
    pytest.param({"delta1": 1.0, "delta2": 0.5}, 1.0, id="rubinstein1982-delta1-is-1"),
    pytest.param({"delta1": 0.5, "delta2": 1.0}, 0.0, id="rubinstein1982-delta2-is-1"),
    # Binmore, Rubinstein & Wolinsky (1986): x = b1 + (1 - b1 - b2) / (2 - p), no discounting.
    pytest.param(
        {"delta1": 1, "delta2": 1, "breakdown": 0.5, "disagreement": (0.2, 0.1)},
        0.2 + 0.7 / 1.5,
        id="brw1986-p0.5",
    ),
    pytest.param(
        {"delta1": 1, "delta2": 1, "breakdown": 0.1, "disagreement": (0.0, 0.3)},
        0.7 / 1.9,
        id="brw1986-p0.1",
    ),
    pytest.param(
        {"delta1": 1, "delta2": 1, "breakdown": 1.0, "disagreement": (0.2, 0.3)},
        0.7,
        id="brw1986-p1-is-ultimatum",
    ),
    # Binmore, Shaked & Sutton (1989); Osborne & Rubinstein (1990): with delta1 = delta2 = delta
    # and an option w for the responder 2: x = 1/(1+delta) if w <= delta/(1+delta), else 1 - w.
    pytest.param(
        {"delta1": 0.9, "delta2": 0.9, "outside_options": (0, 0.3)},
        1 / 1.9,
        id="osborne-rubinstein-option-not-binding",
    ),
    pytest.param(
        {"delta1": 0.9, "delta2": 0.9, "outside_options": (0, 0.6)},
        0.4,
        id="osborne-rubinstein-option-binding",
    ),
    pytest.param(
        {"delta1": 0.8, "delta2": 0.8, "outside_options": (0, 0.8 / 1.8)},
        1 / 1.8,
        id="osborne-rubinstein-option-at-threshold",
    ),
    # Finite horizon (Ståhl 1972): backward induction from the deadline.
    pytest.param({"delta1": 0.9, "delta2": 0.8, "horizon": 1}, 1.0, id="finite-T1-ultimatum"),
    pytest.param({"delta1": 0.9, "delta2": 0.8, "horizon": 2}, 1 - 0.8, id="finite-T2"),
    pytest.param({"delta1": 0.9, "delta2": 0.8, "horizon": 3}, 1 - 0.8 + 0.72, id="finite-T3"),
    pytest.param(
        {"delta1": 0.9, "delta2": 0.8, "horizon": 2, "disagreement": (0.3, 0.2)},
        1 - 0.8 * 0.7,
        id="finite-T2-disagreement",
    ),
]


@pytest.mark.parametrize(("kwargs", "expected"), CASES)
def test_published_closed_forms(kwargs, expected):
    r = rubinstein(**kwargs)
    assert r.shares[0] == pytest.approx(expected, abs=1e-12)
    assert r.shares[0] + r.shares[1] == pytest.approx(1.0, abs=1e-15)
    assert r.delay == 0


def test_regimes_of_the_outside_option_principle():
    # Binmore, Shaked & Sutton (1989): an option matters only when it beats rejecting.
    assert rubinstein(0.9, 0.9, outside_options=(0, 0.3)).regime == "no_option_binds"
    assert rubinstein(0.9, 0.9, outside_options=(0, 0.6)).regime == "option_2_binds"
    assert rubinstein(0.9, 0.9, outside_options=(0.6, 0)).regime == "option_1_binds"
    both = rubinstein(0.9, 0.9, outside_options=(0.47, 0.5))
    assert both.regime == "both_options_bind"
    assert both.shares[0] == pytest.approx(0.5)


# -- limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("horizon", [1, 2, 3, 10, 11, 60, 61])
def test_finite_horizon_converges_geometrically(horizon):
    # Two rounds of backward induction contract by Q = delta1 delta2, so for odd T
    # x_T - x_inf = Q**((T-1)/2) (x_last - x_inf) exactly; for even T likewise from round T-1.
    d1, d2 = 0.9, 0.8
    inf = rubinstein(d1, d2).shares[0]
    x = rubinstein(d1, d2, horizon=horizon).shares[0]
    if horizon % 2:
        m, last = (horizon - 1) // 2, 1.0
    else:
        m, last = (horizon - 2) // 2, 1 - d2
    assert x - inf == pytest.approx((d1 * d2) ** m * (last - inf), abs=1e-13)
    assert abs(x - inf) <= (d1 * d2) ** m


def test_long_finite_horizon_matches_infinite_horizon():
    args = {"breakdown": 0.2, "disagreement": (0.1, 0.3)}
    inf = rubinstein(0.95, 0.9, **args).shares[0]
    assert rubinstein(0.95, 0.9, horizon=400, **args).shares[0] == pytest.approx(inf, abs=1e-12)
    assert rubinstein(0.95, 0.9, horizon=401, **args).shares[0] == pytest.approx(inf, abs=1e-12)


@pytest.mark.parametrize("p", [1e-2, 1e-4, 1e-6])
def test_vanishing_breakdown_gives_nash_solution(p):
    # Binmore, Rubinstein & Wolinsky (1986): p -> 0 gives the Nash solution of the pie.
    b = (0.2, 0.1)
    x = rubinstein(1, 1, breakdown=p, disagreement=b).shares[0]
    nash = nash_solution(lambda u1: 1 - u1, b).utilities[0]
    assert nash == pytest.approx(0.55)
    assert abs(x - nash) <= p  # x - nash = (1 - b1 - b2) p / (2 (2 - p))
    assert x > nash


@pytest.mark.parametrize(("r1", "r2"), [(1.0, 1.0), (1.0, 3.0), (2.0, 0.5)])
def test_short_periods_give_asymmetric_nash(r1, r2):
    # Binmore, Rubinstein & Wolinsky (1986): delta_i = exp(-r_i D), D -> 0 gives the
    # asymmetric Nash solution with weight r2 / (r1 + r2) for player 1.
    step = 1e-6
    x = rubinstein(math.exp(-r1 * step), math.exp(-r2 * step)).shares[0]
    nash = nash_solution(lambda u1: 1 - u1, (0, 0), weights=(r2, r1)).utilities[0]
    assert nash == pytest.approx(r2 / (r1 + r2))
    assert x == pytest.approx(nash, abs=1e-5)


@pytest.mark.parametrize("eps", [1e-1, 1e-3, 1e-6])
def test_symmetric_patience_limit_is_half(eps):
    x = rubinstein(1 - eps, 1 - eps).shares[0]
    assert x == pytest.approx(1 / (2 - eps), rel=1e-9)  # Rubinstein (1982)
    assert 0.5 < x <= 0.5 + eps


# -- equilibrium conditions (properties that could fail) ------------------------------------


@settings(max_examples=200, deadline=None)
@given(points())
def test_stationary_offers_make_the_responder_indifferent(kw):
    # x = 1 - max(w2, p b2 + q2 y), with y player 2's share when proposing, computed by the
    # same function with the roles swapped.
    x = rubinstein(**kw).shares[0]
    swapped = {
        "delta1": kw["delta2"],
        "delta2": kw["delta1"],
        "breakdown": kw["breakdown"],
        "disagreement": kw["disagreement"][::-1],
        "outside_options": None if kw["outside_options"] is None else kw["outside_options"][::-1],
    }
    y = rubinstein(**swapped).shares[0]
    p = kw["breakdown"] or 0.0
    b2 = kw["disagreement"][1]
    w2 = kw["outside_options"][1] if kw["outside_options"] else -math.inf
    assert 1 - x == pytest.approx(max(w2, p * b2 + (1 - p) * kw["delta2"] * y), abs=1e-12)
    assert 0 <= x <= 1


@settings(max_examples=100, deadline=None)
@given(points(), st.integers(1, 12))
def test_finite_horizon_equals_its_backward_induction(kw, horizon):
    # Reference backward induction written from the definition, round by round.
    d = (kw["delta1"], kw["delta2"])
    p = kw["breakdown"] or 0.0
    b, w = kw["disagreement"], kw["outside_options"]
    share = None
    for t in range(horizon, 0, -1):
        j = 1 if t % 2 else 0
        reject = b[j] if t == horizon else p * b[j] + (1 - p) * d[j] * share
        share = 1 - (max(w[j], reject) if w else reject)
    assert rubinstein(**kw, horizon=horizon).shares[0] == pytest.approx(share, abs=1e-12)


def test_shares_fall_with_the_responders_option():
    xs = [rubinstein(0.9, 0.85, outside_options=(0, w)).shares[0] for w in (0, 0.3, 0.5, 0.7)]
    assert xs == sorted(xs, reverse=True)
    assert xs[0] == xs[1] > xs[2] > xs[3]


# -- formula and symbolic twin ----------------------------------------------------------------

SYMS = dict(
    zip(
        ("delta1", "delta2", "p", "b1", "b2", "w1", "w2"),
        sp.symbols("delta1 delta2 p b1 b2 w1 w2"),
        strict=True,
    )
)


def _values(kw):
    vals = {"delta1": kw["delta1"], "delta2": kw["delta2"], "p": kw["breakdown"] or 0.0}
    vals["b1"], vals["b2"] = kw["disagreement"]
    vals["w1"], vals["w2"] = kw["outside_options"] or (0.0, 0.0)
    return {SYMS[k]: v for k, v in vals.items()}


@settings(max_examples=60, deadline=None)
@given(points(), st.none() | st.integers(1, 7))
def test_formula_reproduces_the_shares(kw, horizon):
    r = rubinstein(**kw, horizon=horizon)
    assert float(r.formula.subs(_values(kw))) == pytest.approx(r.shares[0], abs=1e-10)


def test_formula_of_the_finite_game_without_discounting():
    r = rubinstein(1, 1, horizon=6, disagreement=(0.2, 0.1))
    assert r.shares[0] == pytest.approx(0.2)  # the last proposer, player 2, leaves b1
    assert float(
        r.formula.subs({SYMS["b1"]: 0.2, SYMS["b2"]: 0.1, SYMS["delta1"]: 1, SYMS["delta2"]: 1})
    ) == pytest.approx(0.2)


_SYMBOLIC = {}


def _symbolic(horizon, with_breakdown, with_options):
    key = (horizon, with_breakdown, with_options)
    if key not in _SYMBOLIC:
        s = SYMS
        _SYMBOLIC[key] = rubinstein_symbolic(
            s["delta1"],
            s["delta2"],
            horizon=horizon,
            breakdown=s["p"] if with_breakdown else None,
            disagreement=(s["b1"], s["b2"]),
            outside_options=(s["w1"], s["w2"]) if with_options else None,
        ).shares[0]
    return _SYMBOLIC[key]


@settings(max_examples=60, deadline=None)
@given(points(), st.sampled_from([None, 1, 2, 5]))
def test_symbolic_twin_equals_numeric(kw, horizon):
    expr = _symbolic(horizon, kw["breakdown"] is not None, kw["outside_options"] is not None)
    value = float(expr.subs(_values(kw)))
    assert value == pytest.approx(rubinstein(**kw, horizon=horizon).shares[0], abs=1e-10)


def test_symbolic_twin_closed_forms():
    d1, d2, p, b1, b2 = (SYMS[k] for k in ("delta1", "delta2", "p", "b1", "b2"))
    x = rubinstein_symbolic(d1, d2).shares[0]
    assert sp.simplify(x - (1 - d2) / (1 - d1 * d2)) == 0  # Rubinstein (1982)
    brw = rubinstein_symbolic(1, 1, breakdown=p, disagreement=(b1, b2)).shares[0]
    assert sp.simplify(brw - (b1 + (1 - b1 - b2) / (2 - p))) == 0  # BRW (1986)
    assert sp.limit(brw, p, 0) == sp.simplify(b1 + (1 - b1 - b2) / 2)  # the Nash split
