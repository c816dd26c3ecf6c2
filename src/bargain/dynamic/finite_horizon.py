"""Finite-horizon unrolling of a stochastic game into a :class:`~bargain.games.GameTree`.

Period ``t = 0, ..., horizon - 1``: the players choose simultaneously — in the tree they
move in turn, and a later mover's information set does not reveal the earlier movers'
choices of the same period — then nature draws the next state.  Everything before the
current period (states and action profiles) is public, so every player has perfect recall.
A leaf pays each player the discounted sum ``Σ_t δ_i^t u_i(s_t, a_t)``, plus, optionally,
``δ_i^horizon`` times a terminal value of the last state (e.g. the stationary values).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargain.errors import GameShapeError

__all__ = ["unroll"]

#: default cap on the number of tree nodes
MAX_NODES = 200_000


def unroll(
    game: Any,
    horizon: int,
    *,
    initial_state: int = 0,
    terminal_values: Any = None,
    max_nodes: int = MAX_NODES,
) -> Any:
    """The game played for `horizon` periods from `initial_state`, as a GameTree.

    Parameters
    ----------
    game : StochasticGame
        Numeric or symbolic (entries are copied into the tree as they are).
    horizon : int
        Number of periods (>= 1).
    initial_state : int
    terminal_values : array_like, optional
        ``(n_states, n_players)`` values added, discounted, at the leaves.
    max_nodes : int
        Cap on the tree's size (it grows exponentially with the horizon).

    Returns
    -------
    GameTree

    Raises
    ------
    GameShapeError
        If the horizon or the initial state is invalid, or the tree would exceed
        `max_nodes`.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]], dtype=float)
    >>> g = StochasticGame.from_arrays(pd, np.ones((1, 2, 2, 1)), 0.9,
    ...                                actions=[[["C", "D"], ["C", "D"]]])
    >>> t = unroll(g, 2)
    >>> len(t.nodes), t.perfect_information
    (31, False)
    """
    from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

    if not (isinstance(horizon, int) and horizon >= 1):
        raise GameShapeError(f"horizon must be a positive int, got {horizon!r}")
    if not 0 <= initial_state < game.n_states:
        raise GameShapeError(f"initial_state {initial_state} does not exist")
    N = game.n_players
    tv = None if terminal_values is None else np.asarray(terminal_values, dtype=object)
    if tv is not None and tv.shape != (game.n_states, N):
        raise GameShapeError(f"terminal_values must have shape ({game.n_states}, {N})")
    count = [0]

    def bump() -> None:
        count[0] += 1
        if count[0] > max_nodes:
            raise GameShapeError(
                f"the unrolled tree exceeds max_nodes={max_nodes:,}; shorten the horizon"
            )

    def period(t: int, s: int, acc: tuple, history: str) -> Any:
        if t == horizon:
            bump()
            pay = list(acc)
            if tv is not None:
                pay = [pay[i] + game.discount[i] ** horizon * tv[s, i] for i in range(N)]
            return Terminal(*pay)
        return move(t, s, acc, history, 0, ())

    def move(t: int, s: int, acc: tuple, history: str, i: int, chosen: tuple) -> Any:
        bump()
        if i == N:
            prof = chosen
            acc2 = tuple(
                acc[j] + game.discount[j] ** t * game.payoffs[s][(j, *prof)] for j in range(N)
            )
            tag = f"{history}|{game.states[s]}:{','.join(map(str, prof))}"
            outcomes = {}
            for s2 in range(game.n_states):
                p = game.transitions[s][(*prof, s2)]
                if isinstance(p, float) and p == 0.0:
                    continue
                outcomes[game.states[s2]] = (p, period(t + 1, s2, acc2, tag))
            if len(outcomes) == 1:
                return next(iter(outcomes.values()))[1]
            return Chance(outcomes)
        labels = game.actions[s][i]
        return Decision(
            i,
            {a: move(t, s, acc, history, i + 1, (*chosen, k)) for k, a in enumerate(labels)},
            infoset=f"p{i}:t{t}:{history}|{game.states[s]}",
        )

    zero = tuple(0.0 for _ in range(N))
    root = period(0, initial_state, zero, "")
    return GameTree(
        game.players,
        root,
        parameters=game.parameters,
        title=f"{game.title} unrolled for {horizon} periods".strip(),
    )
