"""Value iteration (one player) and Shapley iteration (two-player zero-sum).

* Bellman (1957): a one-player discounted problem's value is the fixed point of
  ``V(s) = max_a u(s, a) + δ Σ_t φ(t | s, a) V(t)``, a δ-contraction.  After value
  iteration converges the greedy policy is improved (Howard 1960) until it is stable, so
  the returned policy is exactly optimal (up to rounding).
* Shapley (1953): a two-player zero-sum stochastic game with a common discount factor has
  a value, the fixed point of ``V(s) = val[u_1(s, ·, ·) + δ Σ_t φ(t | s, ·, ·) V(t)]``
  (``val`` the value of the matrix game, here by linear programming), and stationary
  optimal strategies are optimal strategies of those matrix games at the fixed point.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from bargain.dynamic.evaluate import one_shot_regrets, profile_values
from bargain.dynamic.result import MarkovEquilibrium, StochasticSolveResult
from bargain.errors import SolverError

__all__ = ["matrix_game", "shapley_iteration", "value_iteration"]


def _bounded(max_iter: Any) -> None:
    if not (isinstance(max_iter, int) and max_iter >= 1):
        raise SolverError(f"max_iter must be a positive int, got {max_iter!r}")


def _result(game, method, strategies, tol, options, stats, start) -> StochasticSolveResult:
    V = profile_values(game, strategies)
    R = one_shot_regrets(game, strategies, V)
    if R.max() > tol:
        raise SolverError(f"{method}: verification failed, regret {R.max():.3g} > tol {tol:g}")
    eq = MarkovEquilibrium(strategies, V, R, float(R.max()))
    stats = {**stats, "seconds": time.perf_counter() - start}
    return StochasticSolveResult(game, method, (eq,), options, False, tol, stats=stats)


def value_iteration(
    game: Any, *, tol: float = 1e-9, max_iter: int = 100_000
) -> StochasticSolveResult:
    """Optimal stationary policy of a one-player stochastic game (a Markov decision problem).

    Parameters
    ----------
    game : StochasticGame
        One player, numeric.
    tol : float
        Regret tolerance of the returned policy; iteration stops when the sup-norm change
        is below ``tol (1 - δ) / (2 δ)`` (Puterman 1994, Thm 6.3.1).
    max_iter : int
        Bound on Bellman updates (and on policy-improvement rounds).

    Returns
    -------
    StochasticSolveResult
        ``method="value_iteration"``; one pure optimal policy (ties: lowest action index).

    Raises
    ------
    SolverError
        If the game has more than one player, or `max_iter` is reached.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> # state 0: take 1 and stay, or take 0 and move to state 1 where 3 is paid forever
    >>> u = [np.array([[1.0, 0.0]]), np.array([[3.0]])]
    >>> phi = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.0, 1.0]])]
    >>> g = StochasticGame.from_arrays(u, phi, 0.5)
    >>> value_iteration(g).equilibrium.strategies[0][0].tolist()  # 0 + 0.5 * 6 > 2
    [0.0, 1.0]
    """
    game.require_numeric("value_iteration")
    if game.n_players != 1:
        raise SolverError(f"value_iteration needs 1 player, the game has {game.n_players}")
    _bounded(max_iter)
    start = time.perf_counter()
    U, T, nA, _, delta, nprof = game.flat()
    d = float(delta[0])
    S = game.n_states
    mask = np.arange(U.shape[1])[None, :] < nprof[:, None]
    u = np.where(mask, U[:, :, 0], -np.inf)
    V = np.zeros(S)
    eps = tol * (1 - d) / (2 * d)
    it = 0
    while True:
        it += 1
        if it > max_iter:
            raise SolverError(f"value_iteration did not converge in max_iter={max_iter}")
        W = u + d * (T @ V)
        Vn = W.max(axis=1)
        done = np.max(np.abs(Vn - V)) <= eps
        V = Vn
        if done:
            break
    policy = np.argmax(u + d * (T @ V), axis=1)
    rounds = 0
    while rounds < max_iter:  # policy improvement until stable
        rounds += 1
        P = T[np.arange(S), policy]
        V = np.linalg.solve(np.eye(S) - d * P, u[np.arange(S), policy])
        W = u + d * (T @ V)
        better = W.max(axis=1) > W[np.arange(S), policy] + 1e-12 * (1 + np.abs(V))
        if not better.any():
            break
        policy = np.where(better, np.argmax(W, axis=1), policy)
    strategies = tuple((np.eye(int(nA[s, 0]))[policy[s]],) for s in range(S))
    return _result(
        game,
        "value_iteration",
        strategies,
        tol,
        {"tol": tol, "max_iter": max_iter},
        {"iterations": it, "improvement_rounds": rounds},
        start,
    )


def matrix_game(A: Any) -> tuple[float, np.ndarray, np.ndarray]:
    """Value and optimal strategies of a zero-sum matrix game (row player maximizes).

    Two linear programs (SciPy's HiGHS), one per player (von Neumann 1928; Dantzig 1951).

    Examples
    --------
    >>> v, x, y = matrix_game([[1.0, -1.0], [-1.0, 1.0]])
    >>> round(v, 9) + 0.0, np.round(x, 9).tolist(), np.round(y, 9).tolist()
    (0.0, [0.5, 0.5], [0.5, 0.5])
    """
    from scipy.optimize import linprog

    A = np.asarray(A, dtype=float)
    m, n = A.shape
    opts = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}

    def side(M: np.ndarray) -> tuple[float, np.ndarray]:
        # max v s.t. M^T x >= v, sum x = 1, x >= 0, over rows of M
        k, ell = M.shape
        c = np.zeros(k + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-M.T, np.ones((ell, 1))])
        A_eq = np.hstack([np.ones((1, k)), np.zeros((1, 1))])
        bounds = [(0, None)] * k + [(None, None)]
        res = linprog(c, A_ub, np.zeros(ell), A_eq, [1.0], bounds, method="highs", options=opts)
        if res.status != 0:  # pragma: no cover - a matrix game always has a solution
            raise SolverError(f"matrix game LP failed: {res.message}")
        x = np.clip(res.x[:k], 0, None)
        return float(res.x[-1]), x / x.sum()

    if m == 1 or n == 1:  # a player without a choice: the other one optimizes
        i, j = np.unravel_index(np.argmax(A) if n == 1 else np.argmin(A), A.shape)
        x, y = np.eye(m)[i], np.eye(n)[j]
        return float(A[i, j]), x, y
    v, x = side(A)
    _, y = side(-A.T)
    return v, x, y


def shapley_iteration(
    game: Any, *, tol: float = 1e-7, max_iter: int = 100_000
) -> StochasticSolveResult:
    """Value and stationary optimal strategies of a two-player zero-sum stochastic game.

    Parameters
    ----------
    game : StochasticGame
        Two players with ``u_2 = -u_1`` in every state and a common discount factor.
    tol : float
        Regret tolerance of the returned strategies; iteration stops when the sup-norm
        change is below ``tol (1 - δ) / (4 δ)``.
    max_iter : int
        Bound on Shapley updates (each solves one matrix game per state).

    Returns
    -------
    StochasticSolveResult
        ``method="shapley"``; ``values[:, 0]`` is the value of the game for player 1.

    Raises
    ------
    SolverError
        If the game is not two-player zero-sum with a common discount, or `max_iter` is
        reached.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> u1 = np.array([[1.0, -1.0], [-1.0, 1.0]])  # matching pennies, repeated
    >>> g = StochasticGame.from_arrays([np.stack([u1, -u1])], [np.ones((2, 2, 1))], 0.9)
    >>> r = shapley_iteration(g)
    >>> round(float(r.equilibrium.values[0, 0]), 6) + 0.0
    0.0
    """
    game.require_numeric("shapley")
    if game.n_players != 2:
        raise SolverError(f"shapley needs 2 players, the game has {game.n_players}")
    _bounded(max_iter)
    for s, u in enumerate(game.payoffs):
        gap = float(np.max(np.abs(u[0] + u[1])))
        if gap > 1e-12 * max(1.0, float(np.max(np.abs(u)))):
            raise SolverError(
                f"shapley needs a zero-sum game; in state {s} u_1 + u_2 reaches {gap:g}"
            )
    if game.discount[0] != game.discount[1]:
        raise SolverError(f"shapley needs a common discount factor, got {game.discount}")
    start = time.perf_counter()
    d = float(game.discount[0])
    S = game.n_states
    V = np.zeros(S)
    eps = tol * (1 - d) / (4 * d)
    it = 0
    while True:
        it += 1
        if it > max_iter:
            raise SolverError(f"shapley did not converge in max_iter={max_iter}")
        Vn = np.array(
            [matrix_game(game.payoffs[s][0] + d * (game.transitions[s] @ V))[0] for s in range(S)]
        )
        done = np.max(np.abs(Vn - V)) <= eps
        V = Vn
        if done:
            break
    strategies = []
    for s in range(S):
        _, x, y = matrix_game(game.payoffs[s][0] + d * (game.transitions[s] @ V))
        strategies.append((x, y))
    return _result(
        game,
        "shapley",
        tuple(strategies),
        tol,
        {"tol": tol, "max_iter": max_iter},
        {"iterations": it},
        start,
    )
