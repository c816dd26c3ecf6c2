"""Game versions of the closed forms, solved by the package's generic solvers."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain.bargaining import (
    fearon_game,
    fearon_range,
    fearon_screening,
    fearon_screening_game,
    inspection_equilibrium,
    inspection_game,
    rubinstein,
    rubinstein_game,
)


def spe(tree):
    """The SPE the package's tie rule picks (indifferent responders accept)."""
    result = bg.solve(tree, method="spe", all_equilibria=False, priority=["accept"])
    return result.equilibria[0]


# -- alternating offers -------------------------------------------------------------------------

EXACT = [
    # Dyadic parameters put every round's closed-form offer on the grid, so the discretized
    # game's SPE is the closed form (Rubinstein 1982 / Ståhl 1972 backward induction).
    pytest.param({"delta1": 0.5, "delta2": 0.5, "horizon": 1}, 4, id="T1-ultimatum"),
    pytest.param({"delta1": 0.5, "delta2": 0.5, "horizon": 2}, 4, id="T2"),
    pytest.param({"delta1": 0.5, "delta2": 0.5, "horizon": 3}, 8, id="T3"),
    pytest.param({"delta1": 0.5, "delta2": 0.75, "horizon": 3}, 8, id="T3-asymmetric"),
    pytest.param({"delta1": 0.5, "delta2": 0.5, "horizon": 4}, 8, id="T4"),
    pytest.param(
        {"delta1": 0.5, "delta2": 0.5, "horizon": 2, "disagreement": (0.25, 0.5)},
        8,
        id="T2-disagreement",
    ),
    pytest.param(
        {"delta1": 1, "delta2": 1, "horizon": 3, "breakdown": 0.5, "disagreement": (0.25, 0.25)},
        8,
        id="T3-breakdown-brw",
    ),
    pytest.param(
        {"delta1": 0.5, "delta2": 0.5, "horizon": 3, "outside_options": (0, 0.75)},
        8,
        id="T3-outside-option",
    ),
]


def _on_grid(kwargs, grid):
    """Whether backward induction stays on the grid in every round (checked, not assumed)."""
    d = (kwargs["delta1"], kwargs["delta2"])
    p, b = kwargs.get("breakdown") or 0.0, kwargs.get("disagreement", (0, 0))
    w, share, horizon = kwargs.get("outside_options"), None, kwargs["horizon"]
    for t in range(horizon, 0, -1):
        j = 1 if t % 2 else 0
        reject = b[j] if t == horizon else p * b[j] + (1 - p) * d[j] * share
        share = 1 - (max(w[j], reject) if w else reject)
        if abs(share * grid - round(share * grid)) > 1e-12:
            return False
    return True


@pytest.mark.parametrize(("kwargs", "grid"), EXACT)
def test_alternating_offers_tree_reproduces_closed_form(kwargs, grid):
    assert _on_grid(kwargs, grid)
    eq = spe(rubinstein_game(**kwargs, grid=grid))
    x = rubinstein(**kwargs).shares[0]
    assert eq.payoffs.tolist() == pytest.approx([x, 1 - x], abs=1e-12)
    assert eq.path[-1] == "accept"
    assert eq.path[0] == f"offer {x:.{3 if grid == 8 else 2}f}"
    assert eq.max_regret <= 1e-9


@pytest.mark.parametrize(
    ("kwargs", "grid"),
    [
        pytest.param({"delta1": 0.9, "delta2": 0.8, "horizon": 3}, 10, id="T3-grid10"),
        pytest.param({"delta1": 0.7, "delta2": 0.95, "horizon": 2}, 7, id="T2-grid7"),
        pytest.param(
            {
                "delta1": 0.9,
                "delta2": 0.9,
                "horizon": 2,
                "breakdown": 0.3,
                "disagreement": (0.1, 0.2),
            },
            9,
            id="T2-breakdown-grid9",
        ),
    ],
)
def test_alternating_offers_tree_is_within_grid_error(kwargs, grid):
    # Off the grid each round loses at most one grid step: |V1 - x| <= T / grid.
    eq = spe(rubinstein_game(**kwargs, grid=grid))
    x = rubinstein(**kwargs).shares[0]
    assert abs(eq.payoffs[0] - x) <= kwargs["horizon"] / grid
    assert eq.payoffs[0] != pytest.approx(x, abs=1e-9)  # the grid really does bind here


# -- Fearon ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [(0.5, 0.1, 0.1), (0.3, 0.05, 0.25), (0.9, 0.1, 0.3)], ids=["mid", "low-p", "clip"]
)
def test_crisis_tree_gives_top_of_bargaining_range(args):
    # Fearon (1995): with complete information A demands the top of the range, B accepts.
    grid = 20
    eq = spe(fearon_game(*args, grid=grid))
    top = fearon_range(*args).high
    expected = np.floor(top * grid + 1e-9) / grid
    assert eq.path[-1] == "accept"
    assert eq.payoffs[0] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "args", [(0.5, 0.1, 0.3), (0.2, 0.0, 0.4), (0.5, 0.4, 0.3)], ids=["interior", "half", "corner"]
)
def test_screening_tree_approximates_closed_form(args):
    # Fearon (1995): A's optimal demand against a uniformly distributed cost of B.
    grid, types = 40, 40
    eq = spe(fearon_screening_game(*args, grid=grid, types=types))
    closed = fearon_screening(*args)
    demand = float(eq.path[0].split()[1])
    assert demand == pytest.approx(closed.demand, abs=1 / grid + args[2] / types)
    assert eq.payoffs[0] == pytest.approx(closed.payoff_a, abs=2 / grid)


# -- inspection -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [(1, 3, 0.8, 0.2, 2), (2, 2, 1.0, 0.5, 4), (1, 3, 0.2, 0.2, 2), (1, 3, 0.8, 2.0, 2)],
    ids=["mixed", "mixed-perfect-detection", "undeterrable", "no-inspection"],
)
def test_inspection_game_vertex_enumeration(args):
    # Kilgour & Brams (1992) style: the game has a unique equilibrium; vertex enumeration
    # finds it.
    result = bg.solve(inspection_game(*args), method="vertex")
    assert len(result.equilibria) == 1
    eq = result.equilibria[0]
    closed = inspection_equilibrium(*args)
    violate, inspect = eq.strategies
    assert violate.tolist() == pytest.approx([1 - closed.violate_prob, closed.violate_prob])
    assert inspect.tolist() == pytest.approx([closed.inspect_prob, 1 - closed.inspect_prob])
    assert eq.payoffs.tolist() == pytest.approx(list(closed.payoffs))
