"""Solve many small bimatrix games at once: the kernel behind parameter sweeps.

:func:`solve_batch` takes stacked payoff matrices ``A, B`` of shape ``(n_games, m, n)``
(``m, n <= 6``; meant for 2x2 ... 4x4) and returns fixed-size arrays, computed by one
``parallel=True`` Numba kernel over the games (``prange``).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np
from numba import njit, prange

from bargain.errors import SolverError
from bargain.solvers.pure import check_tol
from bargain.solvers.support import _next_comb, solve_affine

__all__ = ["BatchResult", "solve_batch"]

#: the largest number of strategies per player solve_batch accepts
MAX_STRATEGIES = 6
#: label / feasibility tolerance in the normalized polytopes (payoffs scaled into [1, 2])
LABEL_TOL = 1e-9
#: pivots below this (normalized payoffs) count as zero
RANK_TOL = 1e-12
#: games per parallel work unit
CHUNK = 256


@dataclass(frozen=True)
class BatchResult:
    """Equilibria of a batch of bimatrix games, as fixed-size arrays.

    ``G`` games, ``K`` slots per game (``max_equilibria``), ``m x n`` strategies.  Unused
    slots hold NaN (floats) or False.

    Attributes
    ----------
    method : str
        ``"pure"`` or ``"support"``.
    count : numpy.ndarray of int64, shape (G,)
        Equilibria found in each game (may exceed ``K``: see `overflow`).
    x, y : numpy.ndarray, shapes (G, K, m) and (G, K, n)
        The strategies of players 1 and 2 of each equilibrium.
    payoffs : numpy.ndarray, shape (G, K, 2)
        Expected payoffs.
    regret : numpy.ndarray, shape (G, K)
        Max regret of each equilibrium, in the game's own payoff units.
    isolated : numpy.ndarray of bool, shape (G, K)
        ``"support"``: the equilibrium shares no vertex with another one, so it is an
        isolated equilibrium (a component of one point).  ``"pure"``: always False (not
        computed).
    continuum : numpy.ndarray of bool, shape (G,)
        ``"support"``: the game has a continuum of equilibria (some extreme equilibrium is
        not isolated; the listed ones include the continuum's extreme points).  ``"pure"``:
        always False (not computed).
    overflow : numpy.ndarray of bool, shape (G,)
        More than ``K`` equilibria were found; only the first ``K`` are stored.
    valid : numpy.ndarray of bool, shape (G,)
        No overflow and every stored regret ``<= tol * s`` (``s``: the game's larger
        payoff range, see :func:`solve_batch`).
    tol : float
        The relative regret tolerance used.
    """

    method: str
    count: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    isolated: np.ndarray
    continuum: np.ndarray
    overflow: np.ndarray
    valid: np.ndarray
    tol: float

    def __len__(self) -> int:
        return int(self.count.shape[0])


def solve_batch(
    A: np.ndarray,
    B: np.ndarray,
    *,
    method: str = "support",
    tol: float = 1e-9,
    max_equilibria: int | None = None,
) -> BatchResult:
    """Equilibria of ``n_games`` small bimatrix games in one parallel kernel call.

    Parameters
    ----------
    A, B : array_like, shape (n_games, m, n)
        Payoffs of the row and the column player, game by game; ``1 <= m, n <= 6``.
    method : {"support", "pure"}
        ``"support"``: every extreme equilibrium — exactly the set
        ``support_enumeration(game, degenerate="safe")`` returns — found as the
        complementary vertex pairs of the two best-response polytopes (each vertex is
        a support of one player making a same-size set of the other's strategies
        indifferent).  Degenerate games included: every isolated equilibrium is counted
        once and flagged `isolated`; a continuum is flagged in `continuum` and represented
        by its extreme points.  ``"pure"``: every pure equilibrium (ties are best
        responses, within ``tol`` relative), in lexicographic order of ``(row, column)``.
    tol : float
        Relative tolerance: best responses within ``tol * s`` count as ties in ``"pure"``,
        and every stored equilibrium is checked to have regret ``<= tol * s``, where ``s``
        is the larger of the two players' payoff ranges (max - min) in that game (1 if
        both are constant).
    max_equilibria : int, optional
        Slots per game ``K``.  Default ``2 ** min(m, n)`` for ``"support"`` (more than
        any nondegenerate game has) and ``m * n`` for ``"pure"``.

    Returns
    -------
    BatchResult

    Raises
    ------
    SolverError
        If the arrays are not 3-D with equal shapes, hold non-finite values, a player has
        more than 6 strategies, or an option is invalid.

    Notes
    -----
    The contract, game by game (``g``): ``count[g]`` equilibria were found; the first
    ``min(count[g], K)`` rows of ``x[g]``, ``y[g]``, ``payoffs[g]``, ``regret[g]``,
    ``isolated[g]`` describe them and the other rows are NaN / False.  ``"support"``
    lists them by player 1's polytope vertex (smaller supports first, then
    lexicographically), then player 2's; the order is deterministic.  Each player's
    payoffs are mapped onto [1, 2] first (this changes no equilibrium), and a constraint
    counts as binding within ``1e-9`` there, so payoff differences below about ``1e-9``
    of a player's payoff range are read as ties.  ``valid[g]`` is False when a stored
    profile fails the regret check or slots overflowed; nothing is dropped silently.
    Results do not depend on the number of threads.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[1.0, -1.0], [-1.0, 1.0]], [[3.0, 0.0], [5.0, 1.0]]])
    >>> B = np.array([-A[0], A[1].T])  # matching pennies, prisoner's dilemma
    >>> r = solve_batch(A, B)
    >>> r.count.tolist(), r.x[0, 0].round(12).tolist(), r.y[1, 0].tolist()
    ([1, 1], [0.5, 0.5], [0.0, 1.0])
    """
    A, B = _check_arrays(A, B)
    tol = check_tol(tol)
    if method not in ("support", "pure"):
        raise SolverError(f"method must be 'support' or 'pure', got {method!r}")
    _, m, n = A.shape
    if max_equilibria is None:
        K = 2 ** min(m, n) if method == "support" else m * n
    else:
        if isinstance(max_equilibria, bool) or not isinstance(max_equilibria, (int, np.integer)):
            raise SolverError(f"max_equilibria must be a positive integer, got {max_equilibria!r}")
        if max_equilibria < 1:
            raise SolverError(f"max_equilibria must be >= 1, got {max_equilibria}")
        K = int(max_equilibria)
    if method == "support":
        out = _batch_support(A, B, K, tol, comb(m + n, m))
    else:
        out = _batch_pure(A, B, K, tol)
    count, x, y, payoffs, regret, isolated, continuum, valid = out
    return BatchResult(
        method=method,
        count=count,
        x=x,
        y=y,
        payoffs=payoffs,
        regret=regret,
        isolated=isolated,
        continuum=continuum,
        overflow=count > K,
        valid=valid,
        tol=tol,
    )


def _check_arrays(A, B) -> tuple[np.ndarray, np.ndarray]:
    out = []
    for name, P in (("A", A), ("B", B)):
        try:
            P = np.ascontiguousarray(P, dtype=np.float64)
        except (TypeError, ValueError):
            raise SolverError(f"{name} must be a numeric array of shape (n_games, m, n)") from None
        if P.ndim != 3:
            raise SolverError(f"{name} must have shape (n_games, m, n), got shape {P.shape}")
        if not np.all(np.isfinite(P)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(P))[0])
            raise SolverError(f"{name}{list(bad)} is not finite")
        out.append(P)
    A, B = out
    if A.shape != B.shape:
        raise SolverError(f"A and B must have the same shape, got {A.shape} and {B.shape}")
    _, m, n = A.shape
    for who, k in (("player 1 (rows)", m), ("player 2 (columns)", n)):
        if not 1 <= k <= MAX_STRATEGIES:
            raise SolverError(f"{who} has {k} strategies; solve_batch handles 1..{MAX_STRATEGIES}")
    return A, B


@njit(cache=True)
def _alloc(G, K, m, n):  # pragma: no cover - compiled
    """Uninitialized outputs: every game's rows are written by the (parallel) kernel."""
    count = np.empty(G, dtype=np.int64)
    x = np.empty((G, K, m))
    y = np.empty((G, K, n))
    payoffs = np.empty((G, K, 2))
    regret = np.empty((G, K))
    isolated = np.empty((G, K), dtype=np.bool_)
    continuum = np.empty(G, dtype=np.bool_)
    valid = np.empty(G, dtype=np.bool_)
    return count, x, y, payoffs, regret, isolated, continuum, valid


@njit(cache=True)
def _clear(g, x, y, payoffs, regret, isolated, continuum):  # pragma: no cover - compiled
    K, m = x.shape[1], x.shape[2]
    n = y.shape[2]
    for k in range(K):
        for i in range(m):
            x[g, k, i] = np.nan
        for j in range(n):
            y[g, k, j] = np.nan
        payoffs[g, k, 0] = np.nan
        payoffs[g, k, 1] = np.nan
        regret[g, k] = np.nan
        isolated[g, k] = False
    continuum[g] = False


@njit(cache=True)
def _record(A, B, g, slot, xv, yv, x, y, payoffs, regret):  # pragma: no cover - compiled
    """Store profile (xv, yv) of game g in `slot`; return its regret."""
    m, n = A.shape[1], A.shape[2]
    best1 = -np.inf
    u1 = 0.0
    for i in range(m):
        s = 0.0
        for j in range(n):
            s += A[g, i, j] * yv[j]
        u1 += xv[i] * s
        best1 = max(best1, s)
    best2 = -np.inf
    u2 = 0.0
    for j in range(n):
        s = 0.0
        for i in range(m):
            s += B[g, i, j] * xv[i]
        u2 += yv[j] * s
        best2 = max(best2, s)
    r = max(best1 - u1, best2 - u2, 0.0)
    x[g, slot, :] = xv
    y[g, slot, :] = yv
    payoffs[g, slot, 0] = u1
    payoffs[g, slot, 1] = u2
    regret[g, slot] = r
    return r


@njit(cache=True)
def _scale(A, B, g):  # pragma: no cover - compiled
    """The larger payoff range of the two players in game g (1 if both are constant)."""
    lo_a, hi_a, lo_b, hi_b = A[g, 0, 0], A[g, 0, 0], B[g, 0, 0], B[g, 0, 0]
    for i in range(A.shape[1]):
        for j in range(A.shape[2]):
            lo_a = min(lo_a, A[g, i, j])
            hi_a = max(hi_a, A[g, i, j])
            lo_b = min(lo_b, B[g, i, j])
            hi_b = max(hi_b, B[g, i, j])
    s = max(hi_a - lo_a, hi_b - lo_b)
    return s if s > 0.0 else 1.0


@njit(cache=True, parallel=True)
def _batch_pure(A, B, K, tol):  # pragma: no cover - compiled
    G, m, n = A.shape
    count, x, y, payoffs, regret, isolated, continuum, valid = _alloc(G, K, m, n)
    n_chunks = (G + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        xv = np.zeros(m)
        yv = np.zeros(n)
        for g in range(c * CHUNK, min(G, (c + 1) * CHUNK)):
            _clear(g, x, y, payoffs, regret, isolated, continuum)
            tol_g = tol * _scale(A, B, g)
            ok = True
            k = 0
            for i in range(m):
                for j in range(n):
                    best_a = A[g, 0, j]
                    for r in range(1, m):
                        best_a = max(best_a, A[g, r, j])
                    if A[g, i, j] < best_a - tol_g:
                        continue
                    best_b = B[g, i, 0]
                    for s in range(1, n):
                        best_b = max(best_b, B[g, i, s])
                    if B[g, i, j] < best_b - tol_g:
                        continue
                    if k < K:
                        xv[:] = 0.0
                        yv[:] = 0.0
                        xv[i] = 1.0
                        yv[j] = 1.0
                        if _record(A, B, g, k, xv, yv, x, y, payoffs, regret) > tol_g:
                            ok = False
                    k += 1
            count[g] = k
            valid[g] = ok and k <= K
    return count, x, y, payoffs, regret, isolated, continuum, valid


@njit(cache=True, inline="always")
def _small_solve(M, k, sol):  # pragma: no cover - compiled
    """Solve the k x k system with augmented column ``M[:k, k]``; False if singular.

    Closed forms for k = 1, 2 (the 2x2 games of a sweep); elimination above."""
    if k == 1:
        if abs(M[0, 0]) <= RANK_TOL:
            return False
        sol[0] = M[0, 1] / M[0, 0]
        return True
    if k == 2:
        det = M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
        if abs(det) <= RANK_TOL:
            return False
        sol[0] = (M[0, 2] * M[1, 1] - M[0, 1] * M[1, 2]) / det
        sol[1] = (M[0, 0] * M[1, 2] - M[0, 2] * M[1, 0]) / det
        return True
    return solve_affine(M, k, k, sol, RANK_TOL) == 1


@njit(cache=True)
def _vertices(C, own_off, con_off, S, T, M, sol, verts, masks):  # pragma: no cover - compiled
    """Vertices (other than 0) of {z >= 0 : C z <= 1}; C has shape (n_con, n_var), > 0.

    Label of ``z_v = 0`` is ``own_off + v``; of ``(C z)_c = 1`` is ``con_off + c``.  Each
    vertex is stored once (distinct vertices have distinct label sets).  Returns the count.
    """
    n_con, n_var = C.shape
    count = 0
    for k in range(1, min(n_con, n_var) + 1):
        for a in range(k):
            S[a] = a
        more_s = True
        while more_s:
            for b in range(k):
                T[b] = b
            more_t = True
            while more_t:
                for b in range(k):
                    for a in range(k):
                        M[b, a] = C[T[b], S[a]]
                    M[b, k] = 1.0
                if _small_solve(M, k, sol):
                    feasible = True
                    for a in range(k):
                        if sol[a] < -LABEL_TOL:
                            feasible = False
                    if feasible:
                        for v in range(n_var):
                            verts[count, v] = 0.0
                        for a in range(k):
                            verts[count, S[a]] = max(sol[a], 0.0)
                        mask = 0
                        for v in range(n_var):
                            if verts[count, v] <= LABEL_TOL:
                                mask |= 1 << (own_off + v)
                        for c in range(n_con):
                            s = 0.0
                            for a in range(k):
                                s += C[c, S[a]] * verts[count, S[a]]
                            if s > 1.0 + LABEL_TOL:
                                feasible = False
                                break
                            if s >= 1.0 - LABEL_TOL:
                                mask |= 1 << (con_off + c)
                        if feasible:
                            new = True
                            for q in range(count):
                                if masks[q] == mask:
                                    new = False
                                    break
                            if new:
                                masks[count] = mask
                                count += 1
                more_t = _next_comb(T, k, n_con)
            more_s = _next_comb(S, k, n_var)
    return count


@njit(cache=True, parallel=True)
def _batch_support(A, B, K, tol, n_cand):  # pragma: no cover - compiled
    G, m, n = A.shape
    count, x, y, payoffs, regret, isolated, continuum, valid = _alloc(G, K, m, n)
    full = (1 << (m + n)) - 1
    n_chunks = (G + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        size = max(m, n)
        S = np.empty(size, dtype=np.int64)
        T = np.empty(size, dtype=np.int64)
        M = np.empty((size, size + 1))
        sol = np.empty(size)
        CP = np.empty((n, m))
        CQ = np.empty((m, n))
        vx = np.empty((n_cand, m))
        vy = np.empty((n_cand, n))
        mx = np.empty(n_cand, dtype=np.int64)
        my = np.empty(n_cand, dtype=np.int64)
        pair_x = np.empty(K, dtype=np.int64)
        pair_y = np.empty(K, dtype=np.int64)
        xv = np.empty(m)
        yv = np.empty(n)
        for g in range(c * CHUNK, min(G, (c + 1) * CHUNK)):
            _clear(g, x, y, payoffs, regret, isolated, continuum)
            # normalize each payoff matrix into [1, 2]: same equilibria, positive entries
            lo_a, hi_a, lo_b, hi_b = A[g, 0, 0], A[g, 0, 0], B[g, 0, 0], B[g, 0, 0]
            for i in range(m):
                for j in range(n):
                    lo_a = min(lo_a, A[g, i, j])
                    hi_a = max(hi_a, A[g, i, j])
                    lo_b = min(lo_b, B[g, i, j])
                    hi_b = max(hi_b, B[g, i, j])
            sa = 1.0 / (hi_a - lo_a) if hi_a > lo_a else 0.0
            sb = 1.0 / (hi_b - lo_b) if hi_b > lo_b else 0.0
            for i in range(m):
                for j in range(n):
                    CQ[i, j] = (A[g, i, j] - lo_a) * sa + 1.0
                    CP[j, i] = (B[g, i, j] - lo_b) * sb + 1.0
            nx = _vertices(CP, 0, m, S, T, M, sol, vx, mx)
            ny = _vertices(CQ, m, 0, S, T, M, sol, vy, my)
            tol_g = tol * _scale(A, B, g)
            k = 0
            ok = True
            for a in range(nx):
                for b in range(ny):
                    if (mx[a] | my[b]) != full:
                        continue
                    if k < K:
                        sx = 0.0
                        for i in range(m):
                            sx += vx[a, i]
                        for i in range(m):
                            xv[i] = vx[a, i] / sx
                        sy = 0.0
                        for j in range(n):
                            sy += vy[b, j]
                        for j in range(n):
                            yv[j] = vy[b, j] / sy
                        if _record(A, B, g, k, xv, yv, x, y, payoffs, regret) > tol_g:
                            ok = False
                        pair_x[k] = a
                        pair_y[k] = b
                    k += 1
            count[g] = k
            stored = min(k, K)
            for e in range(stored):
                alone = True
                for f in range(stored):
                    if f != e and (pair_x[f] == pair_x[e] or pair_y[f] == pair_y[e]):
                        alone = False
                        break
                isolated[g, e] = alone
                if not alone:
                    continuum[g] = True
            valid[g] = ok and k <= K
    return count, x, y, payoffs, regret, isolated, continuum, valid
