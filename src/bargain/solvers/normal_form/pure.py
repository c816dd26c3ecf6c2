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
from bargain.solvers._interpreted import INTERPRETED_MAX_STRATEGIES, tiered
from bargain.solvers.result import MAX_EQUILIBRIA, SolveResult, new_equilibrium, new_result
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.verify import pure_regrets

__all__ = ["pure_nash"]


def pure_nash(
    game: Any, *, tol: float = 1e-12, max_equilibria: int = MAX_EQUILIBRIA
) -> SolveResult:
    """All pure-strategy Nash equilibria of a finite game with any number of players.

    Parameters
    ----------
    game : NormalFormGame
        A numeric game (call ``.numeric(...)`` on a symbolic one first).  A sequence of
        payoff arrays is accepted too and turned into a :class:`NormalFormGame`.
    tol : float
        A strategy counts as a best response when its payoff is within ``tol`` of the best
        payoff.  ``tol=0`` compares exactly (ties are still best responses).
    max_equilibria : int
        List at most this many (default :data:`~bargain.solvers.result.MAX_EQUILIBRIA`):
        the first in the order below.  ``count`` is always the total number of pure
        equilibria; ``complete`` is False when it exceeds the cap.

    Returns
    -------
    SolveResult
        ``method="pure"``; every equilibrium has one-hot strategies, ``max_regret <= tol``,
        and ``info["profile"]`` holding the tuple of strategy indices.  The order is
        lexicographic in the strategy indices (player 1's index varies slowest).  Every
        pure equilibrium is returned unless there are more than `max_equilibria`.

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
    >>> r = pure_nash(NormalFormGame([[[0] * 40] * 30] * 2), max_equilibria=5)  # all ties
    >>> len(r), r.count, r.complete
    (5, 1200, False)
    """
    g = as_numeric_game(game, method="pure")
    tol = check_tol(tol, method="pure", zero_ok=True)
    cap = check_limit("max_equilibria", max_equilibria, method="pure")
    payoffs = [np.ascontiguousarray(p, dtype=np.float64) for p in g.payoffs]
    tensor = np.stack(payoffs)
    shape = np.array(g.shape, dtype=np.int64)
    flat = tensor.reshape(g.n_players, -1)
    # a small game (as vertex enumeration's bound): the interpreted twin until the kernel
    # is compiled or cached, so one small game never waits for a compile
    small = flat.shape[1] <= INTERPRETED_MAX_STRATEGIES**2
    mask = tiered(_pure_nash_mask, small)(flat, shape, tol)
    found = np.flatnonzero(mask)
    count = int(found.size)
    profiles = np.stack(np.unravel_index(found[:cap], g.shape), axis=1)
    values, regret = pure_regrets(payoffs, profiles)  # independent of the kernel
    if np.any(regret > tol):  # cannot happen: the kernel and verify compute the same gaps
        bad = int(np.argmax(regret))
        raise SolverError(
            f"internal error: pure profile {tuple(profiles[bad].tolist())} has regret {regret[bad]}"
        )
    equilibria = []
    for profile, v, r in zip(profiles.tolist(), values, regret.tolist(), strict=True):
        strategies = tuple(_one_hot(k, n) for k, n in zip(profile, g.shape, strict=True))
        equilibria.append(new_equilibrium(strategies, v, r, {"profile": tuple(profile)}))
    notes: tuple[str, ...] = ()
    options: dict[str, Any] = {"tol": tol}
    if not equilibria:
        notes = ("the game has no pure-strategy equilibrium",)
    elif count > cap:
        notes = (f"{count} pure equilibria; listed the first {cap} (max_equilibria={cap})",)
        options["max_equilibria"] = cap
    return new_result(g, "pure", tuple(equilibria), options, tol, count <= cap, notes, count)


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
