"""Agreement sets whose condition is a strict inequality (``bargain.sweep.intervals``).

The agreement labels are preferred on ties, so the conditions of the shipped models are
weak inequalities. A strict one comes from a subgame off the agreement path: here the
responder S breaks its own tie by the lowest action index ("forgive" first), and the
agreement ("deal") is reached only where S would punish, that is where ``c - x > 0``
strictly. The sets are checked against that closed form, against the condition read point
by point, and against the numeric SPE sweep, at their open ends. Found by mutation testing
(tools/mutation.py, issue 19): mutants that read a strict atom as weak survived.
"""

from __future__ import annotations

import numpy as np
import pytest

from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.sweep.intervals import (
    condition_members,
    interval_members,
    numeric_set,
    symbolic_set,
)


def strict_model(c_hi: float = 3.0) -> Model:
    ps = ParameterSet(
        [
            Parameter("x", 1.5, (0.0, 3.0)),
            Parameter("c", 2.0, (1.0, c_hi)),
            Parameter("y", 0.5, (0.0, 1.0)),  # S's payoff of the deal: in no comparison
        ]
    )

    def game(p):
        # R: "deal" pays R 0; "threat" pays R 1 if S forgives, -1 if S punishes.
        # S forgives iff x - c >= 0 (tie: lowest index), so R deals iff c - x > 0.
        threat = Decision("S", {"forgive": Terminal(1, p.x - p.c), "punish": Terminal(-1, 0)})
        root = Decision("R", {"deal": Terminal(0, p.y), "threat": threat})
        return GameTree(("R", "S"), root, parameters=ps, title="strict")

    return Model(
        name="strict",
        title="strict",
        description="an agreement condition that is a strict inequality",
        parameters=ps,
        regimes=[Regime("only", game, "deal unless S would forgive", agreement=("deal",))],
    )


def closed_form(name: str, v: dict[str, float], c_hi: float):
    """The set of `name` where c - x > 0 holds, within its bounds (by hand)."""
    x, c = v["x"], v["c"]
    if name == "x":  # x < c, x in [0, 3]
        if c > 3.0:  # the threshold is above x's range: all of it, closed
            return [(0.0, True, 3.0, True)]
        return [(0.0, True, c, False)] if c > 0.0 else []
    if name == "c":  # c > x, c in [1, c_hi]
        if x >= c_hi:
            return []
        return [(1.0, True, c_hi, True)] if x < 1.0 else [(x, False, c_hi, True)]
    return [(0.0, True, 1.0, True)] if c - x > 0 else []  # y: the condition does not move


CASES = [
    ("x", {"x": 1.5, "c": 2.0, "y": 0.5}, 3.0),
    ("x", {"x": 0.0, "c": 1.0, "y": 0.5}, 3.0),
    ("x", {"x": 0.0, "c": 3.0, "y": 0.5}, 3.0),  # threshold at x's upper bound: open there
    ("x", {"x": 0.0, "c": 3.5, "y": 0.5}, 4.0),  # threshold above x's upper bound
    ("c", {"x": 0.5, "c": 2.0, "y": 0.5}, 3.0),  # threshold below c's lower bound
    ("c", {"x": 1.0, "c": 2.0, "y": 0.5}, 3.0),  # threshold at c's lower bound: open there
    ("c", {"x": 2.0, "c": 2.0, "y": 0.5}, 3.0),
    ("c", {"x": 3.0, "c": 2.0, "y": 0.5}, 3.0),  # threshold at c's upper bound: empty
    ("y", {"x": 2.0, "c": 2.0, "y": 0.5}, 3.0),  # c - x == 0: the strict atom fails
    ("y", {"x": 1.0, "c": 2.0, "y": 0.5}, 3.0),
    ("y", {"x": 2.5, "c": 2.0, "y": 0.5}, 3.0),
]
IDS = [f"{n}-{v}-c_hi={h}" for n, v, h in CASES]


@pytest.mark.parametrize("use_cache", [False, True])
@pytest.mark.parametrize(("name", "values", "c_hi"), CASES, ids=IDS)
def test_strict_set_is_the_closed_form(
    name: str, values: dict, c_hi: float, use_cache: bool
) -> None:
    m = strict_model(c_hi)
    got = symbolic_set(m, "only", name, values, use_cache=use_cache)
    assert got == closed_form(name, values, c_hi)


@pytest.mark.parametrize(("name", "values", "c_hi"), CASES, ids=IDS)
def test_strict_set_equals_the_condition_and_the_sweep(
    name: str, values: dict, c_hi: float
) -> None:
    m = strict_model(c_hi)
    parts = symbolic_set(m, "only", name, values, use_cache=False)
    lo, hi = m.parameters[name].bounds
    # grid step 0.25 (x, c) or 0.125 (y): every threshold above in range is a grid value
    n = {"x": 13, "c": 1 + round(4 * (c_hi - 1.0)), "y": 9}[name]
    g, holds = numeric_set(m, "only", name, values, n=n)
    assert g[0] == lo
    assert g[-1] == hi
    cond = condition_members(m, "only", name, g, values, use_cache=False)
    np.testing.assert_array_equal(cond, holds)
    np.testing.assert_array_equal(interval_members(g, parts), holds)
    # at the threshold itself (S indifferent) there is no agreement
    at = values["x"] if name == "c" else values["c"]
    if name != "y" and lo <= at <= hi:
        assert not condition_members(m, "only", name, np.array([at]), values)[0]
