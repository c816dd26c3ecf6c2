"""`solve(game, method=...)`: one entry point for the stochastic-game solvers."""

from __future__ import annotations

from typing import Any

from bargain.dynamic.game import StochasticGame
from bargain.dynamic.result import StochasticSolveResult
from bargain.errors import SolverError

__all__ = ["METHODS", "solve"]

#: method name -> (module, function)
METHODS: dict[str, tuple[str, str]] = {
    "pure": ("bargain.dynamic.pure", "pure_equilibria"),
    "qre": ("bargain.dynamic.qre", "qre_homotopy"),
    "value_iteration": ("bargain.dynamic.iteration", "value_iteration"),
    "shapley": ("bargain.dynamic.iteration", "shapley_iteration"),
}


def solve(game: StochasticGame, *, method: str = "qre", **options: Any) -> StochasticSolveResult:
    """Stationary Markov perfect equilibria of a stochastic game.

    Parameters
    ----------
    game : StochasticGame
        Numeric (call :meth:`StochasticGame.numeric` first for a symbolic game).
    method : {"qre", "pure", "value_iteration", "shapley"}
        ``"qre"``: the equilibrium at the end of the logit-QRE path from the centroid
        (:func:`~bargain.dynamic.qre.qre_homotopy`); ``"pure"``: all pure stationary
        equilibria (:func:`~bargain.dynamic.pure.pure_equilibria`);
        ``"value_iteration"``: the optimal stationary policy of a one-player game;
        ``"shapley"``: the value and optimal stationary strategies of a two-player
        zero-sum game (:mod:`bargain.dynamic.iteration`).
    **options
        Keyword options of the chosen method (``tol``, caps, ``lambdas``, ...).

    Returns
    -------
    StochasticSolveResult

    Raises
    ------
    SolverError
        For an unknown method, options the method does not take, or a method that does
        not apply to the game.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame, solve
    >>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
    >>> r = solve(g, method="value_iteration")
    >>> r.equilibrium.strategies[0][0].tolist(), r.equilibrium.values.tolist()
    ([1.0, 0.0], [[2.0]])
    """
    import importlib
    import inspect

    if not isinstance(game, StochasticGame):
        raise SolverError(f"solve() needs a StochasticGame, got {type(game).__name__}")
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; methods: {', '.join(METHODS)}")
    module, name = METHODS[method]
    fn = getattr(importlib.import_module(module), name)
    known = set(inspect.signature(fn).parameters) - {"game"}
    unknown = sorted(set(options) - known)
    if unknown:
        raise SolverError(
            f"method {method!r} takes no option {unknown[0]!r}; options: {', '.join(sorted(known))}"
        )
    return fn(game, **options)
