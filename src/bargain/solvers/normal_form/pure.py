"""Pure-strategy Nash equilibria of an n-player normal-form game (method ``"pure"``).

A profile is an equilibrium when no player gains by a unilateral change of strategy.  The
kernel walks the flattened payoff tensor once per player: for every profile it compares the
player's payoff with the best payoff along that player's axis.  Ties count as best
responses, so a profile where a player is indifferent between several best responses is an
equilibrium.  Profiles come out in lexicographic (C) order of the strategy indices.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from bargain.errors import SolverError
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import check_tol
from bargain.solvers.verify import pure_regrets

__all__ = ["pure_nash"]


def pure_nash(game: Any, *, tol: float = 1e-12) -> SolveResult:
    """All pure-strategy Nash equilibria of a finite game with any number of players.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game (call ``.numeric(...)`` on a symbolic one first).  A sequence of
        payoff arrays is accepted too and turned into a :class:`NormalFormGame`.
    tol : float
        A strategy counts as a best response when its payoff is within ``tol`` of the best
        payoff.  ``tol=0`` compares exactly (ties are still best responses).

    Returns
    -------
    SolveResult
        ``method="pure"``; every equilibrium has one-hot strategies, ``max_regret <= tol``,
        and ``info["profile"]`` holding the tuple of strategy indices.  The order is
        lexicographic in the strategy indices (player 1's index varies slowest).  The list
        is complete: every pure equilibrium is returned.

    Raises
    ------
    SolverError
        If the game is symbolic, not a game, or `tol` is not a real number in [0, 1)
        (an :class:`~bargain.solvers.tolerance.OptionError`).

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> bos = NormalFormGame([[[2, 0], [0, 1]], [[1, 0], [0, 2]]])  # battle of the sexes
    >>> r = pure_nash(bos)
    >>> [eq.info["profile"] for eq in r.equilibria]
    [(0, 0), (1, 1)]
    """
    g = as_numeric_game(game, method="pure")
    tol = check_tol(tol, method="pure", zero_ok=True)
    payoffs = [np.ascontiguousarray(p, dtype=np.float64) for p in g.payoffs]
    tensor = np.stack(payoffs)
    shape = np.array(g.shape, dtype=np.int64)
    flat = tensor.reshape(g.n_players, -1)
    mask = _pure_nash_mask(flat, shape, tol)
    profiles = np.stack(np.unravel_index(np.flatnonzero(mask), g.shape), axis=1)
    values, regret = pure_regrets(payoffs, profiles)  # independent of the kernel
    if np.any(regret > tol):  # cannot happen: the kernel and verify compute the same gaps
        bad = int(np.argmax(regret))
        raise SolverError(
            f"internal error: pure profile {tuple(profiles[bad].tolist())} has regret {regret[bad]}"
        )
    equilibria = []
    for profile, v, r in zip(profiles.tolist(), values, regret.tolist(), strict=True):
        strategies = tuple(_one_hot(k, n) for k, n in zip(profile, g.shape, strict=True))
        equilibria.append(
            Equilibrium(
                strategies=strategies,
                payoffs=v,
                max_regret=r,
                info={"profile": tuple(profile)},
            )
        )
    notes = () if equilibria else ("the game has no pure-strategy equilibrium",)
    return SolveResult(
        game=g,
        method="pure",
        equilibria=tuple(equilibria),
        options={"tol": tol},
        tolerance=tol,
        complete=True,
        notes=notes,
    )


def as_numeric_game(game: Any, *, method: str, players: int | None = None):
    """The game as a numeric :class:`NormalFormGame`, or a :class:`SolverError` saying why not.

    Examples
    --------
    >>> as_numeric_game([[[1, 0]], [[0, 1]]], method="pure").shape
    (1, 2)
    """
    from bargain.games.normal_form import NormalFormGame

    if type(game) is NormalFormGame and not game.is_symbolic:  # fast path: nothing to convert
        if players is None or len(game.payoffs) == players:
            return game  # every player has >= 1 strategy by construction
    if not isinstance(game, NormalFormGame):
        if isinstance(game, (list, tuple, np.ndarray)):
            game = NormalFormGame(game)
        else:
            raise SolverError(
                f"method {method!r} needs a NormalFormGame, got {type(game).__name__}"
            )
    return game.require(players=players, method=method)


def _one_hot(k: int, n: int) -> np.ndarray:
    s = np.zeros(n)
    s[k] = 1.0
    return s


@njit(cache=True)
def _pure_nash_mask(flat, shape, tol):  # pragma: no cover - compiled
    """``mask[p]`` is True when flat profile ``p`` is a pure Nash equilibrium.

    ``flat`` has shape ``(N, prod(shape))`` in C order.
    """
    n_players = shape.shape[0]
    total = flat.shape[1]
    strides = np.empty(n_players, dtype=np.int64)
    s = 1
    for i in range(n_players - 1, -1, -1):
        strides[i] = s
        s *= shape[i]
    mask = np.ones(total, dtype=np.bool_)
    for i in range(n_players):
        stride = strides[i]
        ni = shape[i]
        for p in range(total):
            if not mask[p]:
                continue
            k = (p // stride) % ni
            base = p - k * stride
            best = flat[i, base]
            for j in range(1, ni):
                v = flat[i, base + j * stride]
                if v > best:
                    best = v
            if flat[i, p] < best - tol:
                mask[p] = False
    return mask
