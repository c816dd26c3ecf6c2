"""A parametric family of bimatrix games, solved at every row of a parameter array.

:func:`solve_family` is the normal-form counterpart of
:func:`bargain.solvers.trees.points.solve_points`: a two-player :class:`NormalFormGame` whose
payoffs are SymPy expressions in its parameters, and an ``(n_points, n_params)`` array of
parameter values, go in; the equilibria of the game at every point come out, as the
fixed-size arrays of :class:`bargain.solvers.normal_form.batch.BatchResult`.  The payoffs are
evaluated for all points at once (one vectorized NumPy function per symbolic entry, made
by :func:`sympy.lambdify`), then :func:`bargain.solvers.normal_form.batch.solve_batch` solves the
stacked games in one parallel kernel call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.solvers.normal_form.batch import BatchResult, solve_batch

__all__ = ["payoff_stacks", "solve_family"]


def solve_family(
    game: Any,
    points: Any,
    *,
    param_names: Sequence[str] | None = None,
    method: str = "support",
    tol: float = 1e-9,
    max_equilibria: int | None = None,
) -> BatchResult:
    """Equilibria of a parametric two-player game at every row of `points`.

    Parameters
    ----------
    game : NormalFormGame
        Two players, at most 6 strategies each; payoffs numbers or SymPy expressions in
        the parameters.  A numeric game is the same game at every point.
    points : array_like
        ``(n_points, n_params)`` parameter values, finite and within the parameters'
        declared bounds.
    param_names : sequence of str, optional
        Column names of `points`; default ``game.parameters.names`` (declaration order),
        or the payoffs' symbols in alphabetical order when the game declares none.
    method, tol, max_equilibria
        As in :func:`bargain.solvers.normal_form.batch.solve_batch`: ``"support"`` (every extreme
        equilibrium, degenerate games included) or ``"pure"``.

    Returns
    -------
    BatchResult
        Row ``g`` describes the game at ``points[g]``.

    Raises
    ------
    SolverError
        The game is not a two-player NormalFormGame, or an option is invalid.
    GameShapeError
        `points` is not 2-D, its columns do not match `param_names`, or a payoff is not
        finite at some point (naming the player, the strategy profile and the point).
    ParameterError
        A non-finite or out-of-bounds parameter value (naming the parameter and the
        point), or a symbol of the payoffs without a column.

    Examples
    --------
    Hawk–dove with prize ``v`` and fight cost ``c`` (Maynard Smith 1982, *Evolution and
    the Theory of Games*): for ``v < c`` the symmetric mixed equilibrium plays hawk with
    probability ``v / c``.

    >>> import numpy as np
    >>> import sympy
    >>> from bargain.games.normal_form import NormalFormGame
    >>> v, c = sympy.symbols("v c", positive=True)
    >>> A = [[(v - c) / 2, v], [0, v / 2]]
    >>> g = NormalFormGame([A, [list(r) for r in zip(*A)]])
    >>> r = solve_family(g, np.array([[1.0, 2.0], [1.0, 4.0]]), param_names=["v", "c"])
    >>> r.count.tolist()
    [3, 3]
    >>> r.x[:, 2, 0].round(12).tolist()  # the mixed equilibrium: hawk w.p. v / c
    [0.5, 0.25]
    """
    from bargain.games.normal_form import NormalFormGame

    if not isinstance(game, NormalFormGame):
        raise SolverError(f"solve_family needs a NormalFormGame, got {type(game).__name__}")
    if game.n_players != 2:
        raise SolverError(
            f"solve_family solves two-player games; this one has {game.n_players} players"
        )
    A, B = payoff_stacks(game, points, param_names=param_names)
    return solve_batch(A, B, method=method, tol=tol, max_equilibria=max_equilibria)


def payoff_stacks(
    game: Any, points: Any, *, param_names: Sequence[str] | None = None
) -> tuple[np.ndarray, ...]:
    """Every player's payoff array at every row of `points`, stacked along a first axis.

    Parameters
    ----------
    game : NormalFormGame
        Any number of players; payoffs numbers or SymPy expressions.
    points : array_like
        ``(n_points, n_params)`` parameter values (checked as in :func:`solve_family`).
    param_names : sequence of str, optional
        Column names of `points` (default as in :func:`solve_family`).

    Returns
    -------
    tuple of numpy.ndarray
        One float array of shape ``(n_points, *game.shape)`` per player.

    Examples
    --------
    >>> import numpy as np
    >>> import sympy
    >>> from bargain.games.normal_form import NormalFormGame
    >>> a = sympy.Symbol("a")
    >>> g = NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]])
    >>> A, B = payoff_stacks(g, np.array([[2.0], [3.0]]))
    >>> A[:, 0, 0].tolist(), B[:, 1, 1].tolist(), A.shape
    ([2.0, 3.0], [2.0, 3.0], (2, 2, 2))
    """
    import sympy

    from bargain.solvers.points import check_points

    names = _names(game, param_names)
    pts = check_points(game, points, names)
    n = pts.shape[0]
    symbols = [sympy.Symbol(name) for name in names]
    by_name = dict(zip(names, range(len(names)), strict=True))
    stacks = []
    for player, payoff in zip(game.players, game.payoffs, strict=True):
        out = np.empty((n, *payoff.shape))
        for idx, expr in np.ndenumerate(payoff):
            if not isinstance(expr, sympy.Expr):
                out[(slice(None), *idx)] = float(expr)
                continue
            free = sorted(expr.free_symbols, key=lambda s: s.name)
            missing = [s.name for s in free if s.name not in by_name]
            if missing:
                raise ParameterError(
                    missing[0],
                    f"appears in the payoff of player {player!r} at {idx} but points have "
                    f"no column for it (columns: {', '.join(names) or 'none'})",
                )
            # match by name: the game's symbols may carry assumptions the plain ones lack
            plain = expr.xreplace({s: symbols[by_name[s.name]] for s in free})
            fn = sympy.lambdify(symbols, plain, modules="numpy")
            with np.errstate(all="ignore"):
                value = np.asarray(fn(*pts.T), dtype=float)
            out[(slice(None), *idx)] = np.broadcast_to(value, (n,))
            bad = np.flatnonzero(~np.isfinite(out[(slice(None), *idx)]))
            if bad.size:
                k = int(bad[0])
                at = ", ".join(f"{name}={pts[k, j]:g}" for j, name in enumerate(names))
                raise GameShapeError(
                    f"payoff of player {player!r} at {idx} is not finite at point {k} "
                    f"({at}): {expr}"
                )
        stacks.append(out)
    return tuple(stacks)


def _names(game: Any, param_names: Sequence[str] | None) -> tuple[str, ...]:
    if param_names is not None:
        if isinstance(param_names, str):
            raise GameShapeError("param_names must be a sequence of names, not one string")
        return tuple(str(name) for name in param_names)
    if game.parameters is not None:
        return tuple(game.parameters.names)
    symbols = {s.name for payoff in game.payoffs for x in payoff.flat for s in _free_symbols(x)}
    return tuple(sorted(symbols))


def _free_symbols(x: Any):
    return getattr(x, "free_symbols", ())
