"""One-at-a-time agreement sets (``bargain.sweep.intervals``) against independent readings.

The symbolic set of a parameter is checked against the agreement condition evaluated
point by point (``condition_members``) and against the numeric SPE sweep, on grids that
contain the sets' endpoints, where an open or closed end shows.  The interval helpers
(union, membership, runs, text) are checked against plain-Python definitions.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.sweep.intervals import (
    _merge,
    _runs,
    agreement_intervals,
    condition_members,
    format_set,
    interval_members,
    numeric_set,
    symbolic_set,
)


def member(x: float, part) -> bool:
    lo, lc, hi, hc = part
    return (lo < x or (lc and lo == x)) and (x < hi or (hc and x == hi))


ends = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
interval = st.tuples(ends, st.booleans(), ends, st.booleans()).filter(
    lambda p: p[0] < p[2] or (p[0] == p[2] and p[1] and p[3])
)


@settings(max_examples=300, deadline=None)
@given(st.lists(interval, max_size=5))
def test_merge_is_the_union_sorted_and_disjoint(parts) -> None:
    merged = _merge(list(parts))
    probes = sorted({e for p in parts for e in (p[0], p[2])} | {0.25 * k for k in range(-1, 14)})
    for x in probes:
        assert any(member(x, p) for p in merged) == any(member(x, p) for p in parts), x
    for a, b in itertools.pairwise(merged):
        # sorted; touching parts are joined unless the common end belongs to neither
        assert a[2] < b[0] or (a[2] == b[0] and not a[3] and not b[1]), merged
    for lo, lc, hi, hc in merged:
        assert lo < hi or (lo == hi and lc and hc)


@settings(max_examples=200, deadline=None)
@given(st.lists(interval, max_size=4))
def test_interval_members_is_membership(parts) -> None:
    grid = np.arange(-1, 14) * 0.25
    got = interval_members(grid, parts)
    assert got.tolist() == [any(member(x, p) for p in parts) for x in grid.tolist()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), max_size=12))
def test_runs_are_the_maximal_runs(holds) -> None:
    grid = np.arange(len(holds), dtype=float) * 0.5
    runs = _runs(grid, np.array(holds, dtype=bool))
    covered = [any(a <= x <= b for a, b in runs) for x in grid.tolist()]
    assert covered == list(holds)
    for (_, b), (a, _) in itertools.pairwise(runs):
        assert a - b > 0.5  # a gap of at least one grid value: the runs are maximal


def test_format_set_shows_each_kind_of_end() -> None:
    assert format_set([]) == "∅"
    assert format_set(None) == "∅"
    assert format_set([(0.0, True, 1.0, False)], decimals=1) == "[0.0, 1.0)"
    assert format_set([(0.0, False, 1.0, True)], decimals=2) == "(0.00, 1.00]"
    assert format_set([(2.0, True, 2.0, True), (3.0, False, 4.5, False)]) == (
        "{2.000} ∪ (3.000, 4.500)"
    )
    assert format_set([(0.0, 0.5), (1.0, 1.0)], decimals=1) == "[0.0, 0.5] ∪ [1.0, 1.0]"


def endpoint_grid(lo: float, hi: float, parts) -> np.ndarray:
    """A grid over [lo, hi] with every endpoint of `parts` and its two neighbours."""
    pts = set(np.linspace(lo, hi, 41).tolist())
    for a, _, b, _ in parts:
        for e in (a, b):
            pts |= {e, np.nextafter(e, -np.inf), np.nextafter(e, np.inf)}
    return np.array(sorted(x for x in pts if lo <= x <= hi))


@pytest.mark.parametrize(
    ("model", "regime"),
    [
        ("entry_deterrence", "entry"),
        ("entry_deterrence", "entry_commitment"),
        ("withdrawal_sequencing", "withdraw_first"),
        ("withdrawal_sequencing", "neutralize_first"),
    ],
)
def test_symbolic_set_equals_the_condition_pointwise(model: str, regime: str) -> None:
    m = bg.load_model(model)
    values = m.parameters.defaults
    names = [k for k in m.parameters.names if not m.parameters[k].integer]
    for name in names:
        parts = symbolic_set(m, regime, name, values)
        assert parts is not None
        lo, hi = m.parameters[name].bounds
        grid = endpoint_grid(lo, hi, parts)
        expected = condition_members(m, regime, name, grid, values)
        # condition_members allows 1e-10 of slack; away from the ends both must agree
        near = np.zeros(grid.shape, bool)
        for a, _, b, _ in parts:
            near |= (np.abs(grid - a) < 1e-9) | (np.abs(grid - b) < 1e-9)
        got = interval_members(grid, parts)
        np.testing.assert_array_equal(got[~near], expected[~near], err_msg=name)
        # at an end itself: the end belongs to the set iff the condition holds there
        for a, lc, b, hc in parts:
            if a > lo or not lc:
                assert lc == bool(condition_members(m, regime, name, np.array([a]), values)[0])
            if b < hi or not hc:
                assert hc == bool(condition_members(m, regime, name, np.array([b]), values)[0])


def test_entry_commitment_set_is_dixits() -> None:
    # Dixit (1980): with an empty threat (m - a >= -f at the defaults) committing pays iff
    # k <= a, so the set of commitment costs is [0, a] within the bounds [0, 10].
    m = bg.load_model("entry_deterrence")
    v = m.parameters.defaults
    assert symbolic_set(m, "entry_commitment", "commitment_cost", v) == [
        (0.0, True, v["entrant_profit"], True)
    ]
    # and the numeric sweep agrees at every grid value
    g, holds = numeric_set(m, "entry_commitment", "commitment_cost", v, n=21)
    np.testing.assert_array_equal(holds, g <= v["entrant_profit"])


def _square_model() -> Model:
    # R takes "deal" (payoff x**2 - c) or "walk" (payoff 0): the deal is taken iff
    # x**2 >= c, so within x in [-2, 2] the set is [-2, -sqrt(c)] U [sqrt(c), 2].
    ps = ParameterSet([Parameter("x", 1.5, (-2.0, 2.0)), Parameter("c", 1.0, (0.0, 5.0))])

    def game(p):
        root = Decision("R", {"deal": Terminal(p.x**2 - p.c), "walk": Terminal(0)})
        return GameTree(("R",), root, parameters=ps, title="square")

    return Model(
        name="square",
        title="square",
        description="a condition quadratic in x",
        parameters=ps,
        regimes=[Regime("only", game, "one decision", agreement=("deal",))],
    )


@pytest.mark.parametrize("use_cache", [True, False])
def test_non_linear_parameter_is_solved_once_by_sympy(use_cache: bool) -> None:
    m = _square_model()
    parts = symbolic_set(m, "only", "x", {"x": 1.5, "c": 1.0}, use_cache=use_cache)
    assert parts == [(-2.0, True, -1.0, True), (1.0, True, 2.0, True)]
    if use_cache:  # read back from the cache: the same answer
        assert symbolic_set(m, "only", "x", {"x": 1.5, "c": 1.0}) == parts
    # c above the largest x**2: empty; c = 0: the whole range (touching halves joined)
    assert symbolic_set(m, "only", "x", {"x": 0.0, "c": 4.5}, use_cache=use_cache) == []
    assert symbolic_set(m, "only", "x", {"x": 0.0, "c": 0.0}, use_cache=use_cache) == [
        (-2.0, True, 2.0, True)
    ]
    # c = 4: only the two ends x = +-2, as single points
    assert symbolic_set(m, "only", "x", {"x": 0.0, "c": 4.0}, use_cache=use_cache) == [
        (-2.0, True, -2.0, True),
        (2.0, True, 2.0, True),
    ]


def test_agreement_intervals_table_agrees_with_the_sweep() -> None:
    m = bg.load_model("entry_deterrence")
    t = agreement_intervals(m, ["entry", "entry_commitment"], n=11)
    assert len(t) == 8
    assert t["agree"].all()
    assert (t["mismatches"] == 0).all()
    row = t[(t.parameter == "commitment_cost") & (t.regime == "entry_commitment")].iloc[0]
    assert row.symbolic == "[0.000, 2.000]"
    assert row.numeric == "[0.000, 2.000]"
    assert row["grid step"] == pytest.approx(1.0)
    assert row.baseline == 1.0
    sq = agreement_intervals(_square_model(), ["only"], n=9, fixed={"c": 1.0})
    x = sq[sq.parameter == "x"].iloc[0]
    assert x.symbolic == "[-2.000, -1.000] ∪ [1.000, 2.000]"
    assert bool(x.agree)


def _transcendental_model() -> Model:
    # the deal pays exp(x) + x**3 - c x - 1: SymPy has no closed form for where it is >= 0
    ps = ParameterSet([Parameter("x", 0.5, (0.0, 2.0)), Parameter("c", 3.0, (0.0, 5.0))])

    def game(p):
        deal = Terminal(sympy.exp(p.x) + p.x**3 - p.c * p.x - 1)
        root = Decision("R", {"deal": deal, "walk": Terminal(0)})
        return GameTree(("R",), root, parameters=ps, title="transcendental")

    return Model(
        name="transcendental",
        title="transcendental",
        description="a condition without a closed form in x",
        parameters=ps,
        regimes=[Regime("only", game, "one decision", agreement=("deal",))],
    )


def test_no_closed_form_is_compared_point_by_point() -> None:
    m = _transcendental_model()
    values = m.parameters.defaults
    assert symbolic_set(m, "only", "x", values, use_cache=False) is None
    # the condition itself on the grid equals the numeric sweep (both ends of the set
    # fall between grid values)
    g, holds = numeric_set(m, "only", "x", values, n=41)
    np.testing.assert_array_equal(condition_members(m, "only", "x", g, values), holds)
    assert holds.any()
    assert not holds.all()
    t = agreement_intervals(m, ["only"], n=41, use_cache=False)
    row = t[t.parameter == "x"].iloc[0]
    assert row.symbolic == "(no closed form)"
    assert bool(row.agree)
    assert row["grid step"] == pytest.approx(2.0 / 40)


def test_agreement_intervals_default_grid_has_201_values() -> None:
    m = bg.load_model("entry_deterrence")
    t = agreement_intervals(m, ["entry_commitment"])
    row = t[t.parameter == "commitment_cost"].iloc[0]
    lo, hi = m.parameters["commitment_cost"].bounds
    assert row["grid step"] == pytest.approx((hi - lo) / 200)


def test_no_closed_form_is_remembered_by_the_cache() -> None:
    m = _transcendental_model()
    values = m.parameters.defaults
    assert symbolic_set(m, "only", "x", values) is None  # derived, then stored
    assert symbolic_set(m, "only", "x", values) is None  # read back from the cache


def test_an_inequality_without_the_parameter_holds_at_equality() -> None:
    # entry_commitment with commitment_cost == entrant_profit: the incumbent is
    # indifferent and the tie rule commits (Dixit 1980's condition k <= a holds with
    # equality), whatever fight_cost or monopoly_profit is
    m = bg.load_model("entry_deterrence")
    v = dict(m.parameters.defaults)
    v["commitment_cost"] = v["entrant_profit"]
    assert symbolic_set(m, "entry_commitment", "fight_cost", v) == [(0.0, True, 10.0, True)]
    assert symbolic_set(m, "entry_commitment", "monopoly_profit", v) == [(1.0, True, 20.0, True)]


@pytest.mark.parametrize("n", [2, 3])
def test_structural_parameter_is_the_one_given(n: int) -> None:
    # the phased regime's tree depends on the number of tranches n; the set of q must be
    # the one of the conditions derived for that n
    m = bg.load_model("withdrawal_sequencing")
    v = dict(m.parameters.defaults)
    v["n"] = n
    parts = symbolic_set(m, "phased", "q", v)
    c = m.conditions("phased", n=n)
    grid = np.linspace(0.0, 1.0, 101)
    near = np.zeros(grid.shape, bool)
    for a, _, b, _ in parts:
        near |= (np.abs(grid - a) < 1e-9) | (np.abs(grid - b) < 1e-9)
    expected = np.array([c.holds(**{**v, "q": float(q)}) for q in grid])
    np.testing.assert_array_equal(interval_members(grid, parts)[~near], expected[~near])
    assert parts != symbolic_set(m, "phased", "q", {**v, "n": 1})
