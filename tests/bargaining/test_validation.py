"""Every validation path: the error type, the argument it names and the message."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from bargain.bargaining import (
    fearon_game,
    fearon_range,
    fearon_screening,
    fearon_screening_game,
    inspection_equilibrium,
    inspection_game,
    kalai_smorodinsky_symbolic,
    nash_solution,
    nash_solution_symbolic,
    phased_shift,
    powell_peace_condition,
    rubinstein,
    rubinstein_game,
    rubinstein_symbolic,
)
from bargain.errors import ParameterError, SolverError

NAN, INF = float("nan"), float("inf")
LINE = [(0, 1), (1, 0)]
u = sp.Symbol("u")

PARAMETER_ERRORS = [
    # -- rubinstein ---------------------------------------------------------------------------
    (lambda: rubinstein(1.2, 0.9), "delta1", "must lie in (0, 1], got 1.2"),
    (lambda: rubinstein(0, 0.9), "delta1", "must lie in (0, 1], got 0.0"),
    (lambda: rubinstein(0.9, NAN), "delta2", "must be finite, got nan"),
    (lambda: rubinstein(0.9, -INF), "delta2", "must be finite, got -inf"),
    (lambda: rubinstein("0.9", 0.9), "delta1", "must be a real number, got '0.9'"),
    (lambda: rubinstein(True, 0.9), "delta1", "must be a real number, got True"),
    (lambda: rubinstein(1, 1), "delta1", "every split is a subgame-perfect equilibrium"),
    (lambda: rubinstein(1, 1, breakdown=0), "delta1", "delta1 = delta2 = 1 with an infinite"),
    (lambda: rubinstein(0.9, 0.9, horizon=0), "horizon", "must be an integer >= 1, got 0"),
    (lambda: rubinstein(0.9, 0.9, horizon=2.0), "horizon", "must be an integer >= 1, got 2.0"),
    (lambda: rubinstein(0.9, 0.9, breakdown=-0.1), "breakdown", "must lie in [0, 1], got -0.1"),
    (lambda: rubinstein(0.9, 0.9, breakdown=NAN), "breakdown", "must be finite, got nan"),
    (
        lambda: rubinstein(0.9, 0.9, disagreement=(0.6, 0.5)),
        "disagreement",
        "infeasible: 0.6 + 0.5 >= 1; the point must lie strictly below the frontier",
    ),
    (
        lambda: rubinstein(0.9, 0.9, disagreement=(-0.1, 0.5)),
        "disagreement",
        "entry 0 must lie in [0, 1), got -0.1",
    ),
    (
        lambda: rubinstein(0.9, 0.9, disagreement=(0.1,)),
        "disagreement",
        "must be a pair of numbers (one per player), got 1 entries",
    ),
    (lambda: rubinstein(0.9, 0.9, disagreement=0.1), "disagreement", "got 0.1"),
    (lambda: rubinstein(0.9, 0.9, disagreement="ab"), "disagreement", "got 'ab'"),
    (lambda: rubinstein(0.9, 0.9, disagreement=(0, NAN)), "disagreement", "entry 1 must be finite"),
    (
        lambda: rubinstein(0.9, 0.9, outside_options=(0.5, 0.5)),
        "outside_options",
        "opting out would be at least as good as every agreement",
    ),
    (
        lambda: rubinstein(0.9, 0.9, outside_options=(1.2, 0)),
        "outside_options",
        "entry 0 must lie in [0, 1), got 1.2",
    ),
    (lambda: rubinstein_game(0.9, 0.9, None), "horizon", "got None (the tree is finite)"),
    (lambda: rubinstein_game(0.9, 0.9, 2, grid=0), "grid", "must be an integer >= 1, got 0"),
    (lambda: rubinstein_symbolic(2, u), "delta1", "must lie in (0, 1], got 2.0"),
    (lambda: rubinstein_symbolic(u, u, breakdown=3), "breakdown", "must lie in [0, 1], got 3.0"),
    (
        lambda: rubinstein_symbolic(0.5, 0.5, disagreement=(0.7, 0.5)),
        "disagreement",
        "infeasible: 0.7 + 0.5 >= 1",
    ),
    (lambda: rubinstein_symbolic(u, u, disagreement=(u,)), "disagreement", "must be a pair"),
    (lambda: rubinstein_symbolic(u, u, horizon=-1), "horizon", "must be an integer >= 1"),
    # -- axiomatic ----------------------------------------------------------------------------
    (
        lambda: nash_solution(lambda x: 1 - x, (0.6, 0.5)),
        "disagreement",
        "infeasible: (0.6, 0.5) is not strictly below the frontier (f(d1) = 0.4 <= d2)",
    ),
    (lambda: nash_solution(lambda x: x, (0, 0)), "disagreement", "f(d1) = 0.0 <= d2"),
    (
        lambda: nash_solution(lambda x: 1 + 0 * x, (0, 0)),
        "frontier",
        "stays above d2 = 0.0 for every u1 up to",
    ),
    (
        lambda: nash_solution(lambda x: np.sqrt(x - 1), (0, 0)),
        "frontier",
        "is not defined (or not finite) at u1 = d1 = 0.0",
    ),
    (lambda: nash_solution(lambda x: "x", (0, 0)), "frontier", "must return a real number"),
    (
        lambda: nash_solution(lambda x: 1 - x + 0.5 * np.sin(20 * x), (0, 0)),
        "frontier",
        "must be a decreasing function",
    ),
    (lambda: nash_solution(LINE, (0.5, 0.5)), "disagreement", "the frontier at u1 = d1 is 0.5"),
    (lambda: nash_solution(LINE, (1, 0)), "disagreement", "no feasible point has u1 > d1"),
    (lambda: nash_solution([(0, 1, 2)], (0, 0)), "frontier", "must have shape (n, 2), got (1, 3)"),
    (lambda: nash_solution([], (0, 0)), "frontier", "must have shape (n, 2)"),
    (lambda: nash_solution([(0, NAN)], (0, 0)), "frontier", "must be finite (found nan or inf)"),
    (lambda: nash_solution("abc", (0, 0)), "frontier", "must be a callable u2 = f(u1) or an"),
    (lambda: nash_solution(1 - u, (0, 0)), "frontier", "got a SymPy object"),
    (lambda: nash_solution(LINE, (0, 0), weights=(-1, 2)), "weights", "must be two numbers >= 0"),
    (lambda: nash_solution(LINE, (0, 0), weights=(0, 0)), "weights", "not both zero"),
    (lambda: nash_solution(LINE, (0, INF)), "disagreement", "entry 1 must be finite, got inf"),
    (lambda: nash_solution_symbolic(sp.Symbol("c") - u, (0, 0)), "variable", "pass variable="),
    (
        lambda: nash_solution_symbolic(LINE, (sp.Symbol("d"), 0)),
        "disagreement",
        "must be numbers when the frontier is points",
    ),
    (lambda: nash_solution_symbolic([(0, 1, 3)], (0, 0)), "frontier", "must be pairs of numbers"),
    (lambda: nash_solution_symbolic(1 - u, (2, 0)), "disagreement", "f(d1) = -1 <= d2"),
    (lambda: nash_solution_symbolic(LINE, (0,)), "disagreement", "must be a pair"),
    (lambda: nash_solution_symbolic(LINE, (0, 0), (-1, 1)), "weights", "must be two numbers"),
    # -- war ----------------------------------------------------------------------------------
    (lambda: fearon_range(1.5, 0.1, 0.1), "p", "must lie in [0, 1], got 1.5"),
    (lambda: fearon_range(0.5, -0.1, 0.1), "cost_a", "must be >= 0, got -0.1"),
    (lambda: fearon_range(0.5, 0.1, INF), "cost_b", "must be finite, got inf"),
    (lambda: fearon_screening(0.5, 0.1, 0), "cost_b_max", "must be > 0, got 0.0"),
    (lambda: fearon_screening(-0.5, 0.1, 0.1), "p", "must lie in [0, 1], got -0.5"),
    (lambda: fearon_game(0.5, 0.1, 0.1, grid=0), "grid", "must be an integer >= 1, got 0"),
    (lambda: fearon_screening_game(0.5, 0.1, 0.1, types=0), "types", "must be an integer >= 1"),
    # -- commitment ---------------------------------------------------------------------------
    (lambda: powell_peace_condition(0, 0.5, 0.4, 0), "delta", "must lie in (0, 1], got 0.0"),
    (lambda: powell_peace_condition(0.9, 1.5, 0.4, 0), "p_now", "must lie in [0, 1], got 1.5"),
    (lambda: powell_peace_condition(0.9, 0.5, -0.4, 0), "p_next", "must lie in [0, 1]"),
    (lambda: powell_peace_condition(0.9, 0.5, 0.4, -1), "cost", "must be >= 0, got -1.0"),
    (lambda: phased_shift(1, 0.3, 0.5, 0.05), "delta", "must lie in (0, 1) for phasing"),
    (lambda: phased_shift(0.9, 0.6, 0.5, 0.05), "omega", "must lie in [0, p_start] = [0, 0.5]"),
    (lambda: phased_shift(0.9, -0.1, 0.5, 0.05), "omega", "must be >= 0, got -0.1"),
    (lambda: phased_shift(0.9, 0.3, 1.0, 0), "omega", "no number of steps keeps the peace"),
    # -- inspection ---------------------------------------------------------------------------
    (lambda: inspection_equilibrium(0, 1, 0.5, 0.1, 1), "gain", "must be > 0, got 0.0"),
    (lambda: inspection_equilibrium(1, -1, 0.5, 0.1, 1), "fine", "must be >= 0, got -1.0"),
    (lambda: inspection_equilibrium(1, 1, 1.5, 0.1, 1), "detection", "must lie in [0, 1]"),
    (lambda: inspection_equilibrium(1, 1, 0.5, NAN, 1), "inspection_cost", "must be finite"),
    (lambda: inspection_equilibrium(1, 1, 0.5, 0.1, 0), "loss", "must be > 0, got 0.0"),
    (lambda: inspection_game(1, 1, 0.5, 0.1, -2), "loss", "must be > 0, got -2.0"),
]


def _id(case):
    """Readable test id: the argument and the start of the message."""
    _, name, message = case
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", message).strip("-")[:40].rstrip("-")
    return f"{name}:{slug}"


@pytest.mark.parametrize(
    ("call", "name", "message"),
    [pytest.param(*c, id=_id(c)) for c in PARAMETER_ERRORS],
)
def test_parameter_errors_name_the_argument(call, name, message):
    with pytest.raises(ParameterError, match=re.escape(f"parameter {name!r}: ")) as info:
        call()
    assert info.value.name == name
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: kalai_smorodinsky_symbolic(u**2 - 3 * u + 2, (0, 0)),
            "several candidates [1, 2]",
            id="ks-two-roots",
        ),
        pytest.param(
            lambda: nash_solution_symbolic(1 - u**2, (sp.Symbol("d1"), 0)),
            "several candidates [-1, 1]",
            id="nash-sign-unknown",
        ),
    ],
)
def test_symbolic_root_selection_errors(call, message):
    with pytest.raises(SolverError, match=re.escape(message)):
        call()
