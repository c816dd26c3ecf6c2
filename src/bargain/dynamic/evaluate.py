"""Values and one-shot-deviation regrets of a stationary Markov strategy profile.

For a stationary profile σ, player *i*'s values solve the linear system
``V_i = u_i^σ + δ_i P^σ V_i`` (``u_i^σ(s)`` the expected stage payoff, ``P^σ`` the state
transition matrix under σ).  The one-shot-deviation principle (Blackwell 1965; Fudenberg &
Tirole 1991, Thm 4.2) says σ is a Markov perfect equilibrium iff no player gains in any
state by deviating for one period and then returning to σ:
``regret_i(s) = max_a Q_i(s, a) - V_i(s) <= 0`` with
``Q_i(s, a) = E_{a_-i ~ σ_-i(s)} [u_i(s, a, a_-i) + δ_i Σ_t φ(t | s, a, a_-i) V_i(t)]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.errors import GameShapeError

__all__ = ["check_profile", "one_shot_regrets", "profile_values"]

Profile = tuple[tuple[np.ndarray, ...], ...]


def check_profile(game: Any, strategies: Sequence[Sequence[Any]], *, tol: float = 1e-9) -> Profile:
    """`strategies[s][i]` as float arrays, checked against the game's action sets.

    Raises
    ------
    GameShapeError
        If a state or player is missing, a distribution has the wrong length, is
        negative or does not sum to 1 (the message names state and player).

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> g = StochasticGame.from_arrays(np.zeros((1, 1, 2)), np.ones((1, 2, 1)), 0.5)
    >>> check_profile(g, [[[0.5, 0.5]]])[0][0].tolist()
    [0.5, 0.5]
    """
    if len(strategies) != game.n_states:
        raise GameShapeError(f"profile has {len(strategies)} states, the game {game.n_states}")
    out = []
    for s, row in enumerate(strategies):
        if len(row) != game.n_players:
            raise GameShapeError(
                f"state {s}: profile has {len(row)} players, need {game.n_players}"
            )
        cur = []
        for i, x in enumerate(row):
            a = np.asarray(x, dtype=float)
            k = int(game.nums_actions[s, i])
            if a.shape != (k,):
                raise GameShapeError(
                    f"state {s}, player {i}: strategy has shape {a.shape}, expected ({k},)"
                )
            if np.any(a < -tol) or abs(a.sum() - 1.0) > tol * max(1, k):
                raise GameShapeError(
                    f"state {s}, player {i}: {a.tolist()} is not a probability distribution"
                )
            cur.append(a)
        out.append(tuple(cur))
    return tuple(out)


def _joint(sig: Sequence[np.ndarray]) -> np.ndarray:
    j = np.ones(())
    for x in sig:
        j = np.multiply.outer(j, x)
    return j


def profile_values(game: Any, strategies: Sequence[Sequence[Any]]) -> np.ndarray:
    """Values ``V[s, i]`` of a stationary profile (a linear solve per player).

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> g = StochasticGame.from_arrays(np.ones((1, 1, 1)), np.ones((1, 1, 1)), 0.5)
    >>> profile_values(g, [[[1.0]]]).tolist()  # 1 / (1 - 0.5)
    [[2.0]]
    """
    game.require_numeric()
    sig = check_profile(game, strategies)
    S, N = game.n_states, game.n_players
    u = np.zeros((S, N))
    P = np.zeros((S, S))
    for s in range(S):
        j = _joint(sig[s])
        u[s] = np.tensordot(game.payoffs[s], j, axes=N)
        P[s] = np.tensordot(j, game.transitions[s], axes=N)
    V = np.empty((S, N))
    eye = np.eye(S)
    for i in range(N):
        V[:, i] = np.linalg.solve(eye - game.discount[i] * P, u[:, i])
    return V


def one_shot_regrets(
    game: Any, strategies: Sequence[Sequence[Any]], values: np.ndarray | None = None
) -> np.ndarray:
    """One-shot-deviation regret ``R[s, i] = max_a Q_i(s, a) - V_i(s)`` (clipped at 0).

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
    >>> one_shot_regrets(g, [[[0.0, 1.0]]]).tolist()  # take 1 today instead of 0
    [[1.0]]
    """
    sig = check_profile(game, strategies)
    V = profile_values(game, sig) if values is None else np.asarray(values, dtype=float)
    S, N = game.n_states, game.n_players
    R = np.zeros((S, N))
    for s in range(S):
        for i in range(N):
            W = game.payoffs[s][i] + game.discount[i] * (game.transitions[s] @ V[:, i])
            for j in range(N - 1, -1, -1):  # contract opponents, last axis first
                if j != i:
                    W = np.tensordot(W, sig[s][j], axes=([j], [0]))
            R[s, i] = max(float(W.max() - V[s, i]), 0.0)
    return R
