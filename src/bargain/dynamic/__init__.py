"""Stochastic (Markov) games: states, transitions, stationary Markov perfect equilibria.

* :class:`StochasticGame` — finite states, per-state action sets, stage payoffs and
  transitions (numbers or SymPy expressions of parameters), a discount factor per player;
  :meth:`StochasticGame.from_arrays` takes sgamesolver's array layout.
* :func:`solve` — ``method="pure"`` (all pure stationary equilibria by enumeration),
  ``"qre"`` (logit-QRE homotopy from the centroid), ``"value_iteration"`` (one player) and
  ``"shapley"`` (two-player zero-sum).  Every equilibrium returned carries its values and
  the one-shot-deviation regret of every player in every state, verified on return.
* :func:`read_stochastic_game`, :func:`write_stochastic_game` — the ``"kind":
  "stochastic"`` JSON schema (:mod:`bargain.dynamic.json_io`); importing this package
  lets :func:`bargain.read_game` read such files and :func:`bargain.solve` solve the game.
* :func:`unroll` — the game played for a finite horizon, as a
  :class:`~bargain.games.GameTree` (simultaneous moves by information sets).
* :func:`pure_conditions` — the one-shot-deviation inequalities of a pure stationary profile
  as symbolic :class:`~bargain.symbolic.Conditions`.

Importing this package compiles nothing: Numba kernels compile (and are cached) on first
use; SymPy is imported only by the symbolic functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bargain.dynamic.api import METHODS, solve
from bargain.dynamic.evaluate import one_shot_regrets, profile_values
from bargain.dynamic.game import StochasticGame
from bargain.dynamic.json_io import (
    read_stochastic_game,
    stochastic_from_json,
    write_stochastic_game,
)
from bargain.dynamic.result import MarkovEquilibrium, StochasticSolveResult
from bargain.games.json_io import register_json_kind
from bargain.solvers.api import register_game_kind

# The layers (docs/explanation/architecture.md) keep bargain.games and bargain.solvers
# from importing this package, so it registers itself with both: read_game reads
# "kind": "stochastic" JSON files, and bargain.solve(StochasticGame) comes here.
register_json_kind("stochastic", stochastic_from_json)
register_game_kind(StochasticGame, solve)

__all__ = [
    "METHODS",
    "MarkovEquilibrium",
    "StochasticGame",
    "StochasticSolveResult",
    "one_shot_regrets",
    "profile_values",
    "pure_conditions",
    "read_stochastic_game",
    "solve",
    "unroll",
    "write_stochastic_game",
]


def __getattr__(name: str) -> Any:
    if name == "pure_conditions":
        from bargain.dynamic.symbolic import pure_conditions

        globals()[name] = pure_conditions
        return pure_conditions
    if name == "unroll":
        from bargain.dynamic.finite_horizon import unroll

        globals()[name] = unroll
        return unroll
    raise AttributeError(f"module 'bargain.dynamic' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from bargain.dynamic.finite_horizon import unroll
    from bargain.dynamic.symbolic import pure_conditions
