"""The complementary vertex of Q for each vertex of P, in a nondegenerate game (float path).

Private helper of :mod:`bargain.solvers.normal_form.vertex`.  In a nondegenerate game a
vertex ``x`` of
``P`` has exactly ``m`` labels, and a partner ``y`` must carry exactly the other ``n``:
``(A y)_i = 1`` for the strategies ``i`` that ``x`` plays, and ``y_j = 0`` for the strategies
``j`` that are not best responses to ``x``.  That is a square linear system; its solution,
if feasible, is the only candidate.  Solving it for every vertex of ``P`` replaces the
enumeration of ``Q`` (von Stengel 2007, AGT ch. 3, §3.3; the idea of ``lrsnash``, which
enumerates one polytope only).  Every sign decision is taken only when farther than `guard`
from zero; otherwise the kernel reports ``NEAR_DEGENERATE`` and the caller redoes the game
exactly.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["complementary_partners"]

_BITS = 63
_OK, _NEAR_DEGENERATE = 0, 2


@njit(cache=True)
def _has(L, t, lab):
    return (L[t, lab // _BITS] >> np.int64(lab % _BITS)) & np.int64(1) == 1


@njit(cache=True)
def complementary_partners(Lx, A, guard):
    """For each row of `Lx` (label sets of vertices of P), the partner in ``{y >= 0 : A y <= 1}``.

    Parameters
    ----------
    Lx : (nx, nwords) int64 label bit sets (labels 0..m-1: x_i = 0; m + j: column j tight)
    A : (m, n) float64, entries > 0
    guard : float, sign decisions closer to zero than this are not trusted

    Returns
    -------
    Y : (nx, n) float64 partner (unnormalised), valid where `found`
    found : (nx,) bool
    status : 0 (OK) or 2 (NEAR_DEGENERATE: redo exactly)
    """
    nx = Lx.shape[0]
    m, n = A.shape
    Y = np.zeros((nx, n))
    found = np.zeros(nx, dtype=np.bool_)
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(n, dtype=np.int64)
    M = np.empty((m, m + 1))
    y = np.zeros(n)
    for t in range(nx):
        s_rows = 0
        for i in range(m):
            if not _has(Lx, t, i):  # x_i > 0: row i must be a best response, (A y)_i = 1
                rows[s_rows] = i
                s_rows += 1
        s_cols = 0
        for j in range(n):
            if _has(Lx, t, m + j):  # column j is a best response to x: y_j may be > 0
                cols[s_cols] = j
                s_cols += 1
        if s_rows != s_cols or s_rows == 0:
            return Y, found, _NEAR_DEGENERATE  # a degenerate vertex: not this method's job
        s = s_rows
        for a in range(s):
            for b in range(s):
                M[a, b] = A[rows[a], cols[b]]
            M[a, s] = 1.0
        # Gaussian elimination with partial pivoting
        for c in range(s):
            piv = c
            for a in range(c + 1, s):
                if abs(M[a, c]) > abs(M[piv, c]):
                    piv = a
            if abs(M[piv, c]) <= guard:
                return Y, found, _NEAR_DEGENERATE
            if piv != c:
                for b in range(c, s + 1):
                    M[c, b], M[piv, b] = M[piv, b], M[c, b]
            for a in range(c + 1, s):
                f = M[a, c] / M[c, c]
                if f != 0.0:
                    for b in range(c, s + 1):
                        M[a, b] -= f * M[c, b]
        for j in range(n):
            y[j] = 0.0
        for c in range(s - 1, -1, -1):
            v = M[c, s]
            for b in range(c + 1, s):
                v -= M[c, b] * y[cols[b]]
            y[cols[c]] = v / M[c, c]
        # feasible?  y_S > 0 and (A y)_i < 1 off the tight rows; definite failures first
        infeasible = False
        unsure = False
        for b in range(s):
            v = y[cols[b]]
            if v < -guard:
                infeasible = True
            elif v <= guard:
                unsure = True
        k = 0
        for i in range(m):
            if k < s and rows[k] == i:
                k += 1
                continue
            v = 0.0
            for b in range(s):
                v += A[i, cols[b]] * y[cols[b]]
            if v > 1.0 + guard:
                infeasible = True
            elif v >= 1.0 - guard:
                unsure = True
        if infeasible:
            continue
        if unsure:
            return Y, found, _NEAR_DEGENERATE
        for j in range(n):
            Y[t, j] = y[j]
        found[t] = True
    return Y, found, _OK
