"""All pure stationary Markov perfect equilibria of a small game, by enumeration.

Every pure stationary profile (one action profile per state) is evaluated at once in
batches: the values solve ``(I - δ_i P) V_i = u_i`` for a stack of profiles
(``numpy.linalg.solve`` on a 3-D array), then every one-shot deviation of every player in
every state is priced with the same values.  By the one-shot-deviation principle a profile
is a Markov perfect equilibrium iff no such deviation gains more than the tolerance.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from bargain.dynamic.evaluate import one_shot_regrets, profile_values
from bargain.dynamic.result import MarkovEquilibrium, StochasticSolveResult
from bargain.errors import SolverError

__all__ = ["pure_equilibria"]

#: default cap on the number of pure stationary profiles enumerated
MAX_PROFILES = 1_000_000
#: target number of floats in one batch's transition stack
_BATCH_FLOATS = 2_000_000


def pure_equilibria(
    game: Any, *, tol: float = 1e-9, max_profiles: int = MAX_PROFILES, truncate: bool = False
) -> StochasticSolveResult:
    """Enumerate the pure stationary Markov perfect equilibria.

    Parameters
    ----------
    game : StochasticGame
        Numeric.
    tol : float
        A deviation counts as profitable when it gains more than `tol`.
    max_profiles : int
        Cap on ``prod_s prod_i a_i(s)``, the number of profiles.
    truncate : bool
        Beyond the cap: enumerate the first `max_profiles` profiles and return
        ``complete=False`` instead of raising.

    Returns
    -------
    StochasticSolveResult
        ``method="pure"``; equilibria in lexicographic order of the per-state profiles.

    Raises
    ------
    SolverError
        If the game has more profiles than `max_profiles` (and not `truncate`).

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> # one state, prisoners' dilemma stage game, staying put: only (D, D) is stationary
    >>> u = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]], dtype=float)
    >>> g = StochasticGame.from_arrays(u, np.ones((1, 2, 2, 1)), 0.9)
    >>> [eq.pure_actions for eq in pure_equilibria(g).equilibria]
    [((1, 1),)]
    """
    game.require_numeric("pure")
    if not (isinstance(max_profiles, int) and max_profiles >= 1):
        raise SolverError(f"max_profiles must be a positive int, got {max_profiles!r}")
    start = time.perf_counter()
    U, T, nA, strides, delta, nprof = game.flat()
    S = game.n_states
    total = math.prod(int(m) for m in nprof)
    complete = True
    if total > max_profiles:
        if not truncate:
            raise SolverError(
                f"the game has {total:,} pure stationary profiles, more than max_profiles="
                f"{max_profiles:,}; raise the cap, pass truncate=True, or use method='qre'"
            )
        total, complete = max_profiles, False
    radix = nprof[::-1]  # state S-1 varies fastest
    batch = max(1, _BATCH_FLOATS // max(1, S * S))
    found: list[np.ndarray] = []
    eye = np.eye(S)
    for lo in range(0, total, batch):
        ids = np.arange(lo, min(total, lo + batch), dtype=np.int64)
        C = np.empty((ids.size, S), dtype=np.int64)
        rem = ids.copy()
        for k, m in enumerate(radix):
            C[:, S - 1 - k] = rem % m
            rem //= m
        ok = _equilibrium_mask(U, T, nA, strides, delta, C, eye, tol)
        found.extend(C[ok])
    eqs = tuple(_equilibrium(game, c, nA, strides) for c in found)
    bad = [e.max_regret for e in eqs if e.max_regret > tol]
    if bad:  # pragma: no cover - the batch check and the verification disagree
        raise SolverError(f"verification failed: regret {max(bad):.3g} > tol {tol:g}")
    return StochasticSolveResult(
        game=game,
        method="pure",
        equilibria=eqs,
        options={"tol": tol, "max_profiles": max_profiles, "truncate": truncate},
        complete=complete,
        tol=tol,
        stats={"profiles": int(total), "seconds": time.perf_counter() - start},
    )


def _equilibrium_mask(U, T, nA, strides, delta, C, eye, tol) -> np.ndarray:
    K, S = C.shape
    N = U.shape[2]
    rows = np.arange(S)
    u = U[rows[None, :], C]  # (K, S, N)
    P = T[rows[None, :], C]  # (K, S, S)
    V = np.empty((K, S, N))
    for i in range(N):
        V[:, :, i] = np.linalg.solve(eye[None] - delta[i] * P, u[:, :, i, None])[..., 0]
    ok = np.ones(K, dtype=bool)
    for s in range(S):
        c = C[:, s]
        for i in range(N):
            own = (c // strides[s, i]) % nA[s, i]
            base = c - own * strides[s, i]
            for a in range(int(nA[s, i])):
                p = base + a * strides[s, i]
                q = U[s, p, i] + delta[i] * np.einsum("kt,kt->k", T[s, p], V[:, :, i])
                ok &= q - V[:, s, i] <= tol
    return ok


def _equilibrium(game: Any, c: np.ndarray, nA: np.ndarray, strides: np.ndarray):
    strategies = []
    for s in range(game.n_states):
        row = []
        for i in range(game.n_players):
            x = np.zeros(int(nA[s, i]))
            x[(int(c[s]) // int(strides[s, i])) % int(nA[s, i])] = 1.0
            row.append(x)
        strategies.append(tuple(row))
    strategies = tuple(strategies)
    V = profile_values(game, strategies)
    R = one_shot_regrets(game, strategies, V)
    return MarkovEquilibrium(strategies, V, R, float(R.max()))
