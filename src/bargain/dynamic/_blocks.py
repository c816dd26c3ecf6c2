"""Block-structured linear algebra of the QRE homotopy and its polish (Numba kernels).

The Jacobian of the homotopy system (:mod:`bargain.dynamic._kernels`) is block-sparse: the
columns of state s's log-probabilities β_s have nonzeros only in state s's rows (its
normalization, logit and value equations), while the values V (and λ) couple all states.
A dense LU of the bordered ``(n + 1) × (n + 1)`` matrix, ``n = S (Σ_i A_i + N)``, costs
``O(S³ (N A + N)³)``; here each state's β columns are eliminated by Gaussian elimination
with partial pivoting among that state's rows only (no fill outside them), which leaves a
dense reduced system in the ``S N + 1`` global unknowns (V, λ): about ``(A + 1)³`` times
fewer operations (27× for two actions), and the Jacobian is stored compactly, per state.

Layout shared by the homotopy and the support system of the polish: unknowns and rows are
ordered as ``[local (state-major, state s at loff[s] … loff[s] + ks[s]), global (nb + q)]``;
the global rows ``nb + s N + i`` (``i < N``) are the extra rows of state s, and an optional
border row (the tangent of the bordered predictor–corrector system) is the last global row.
Blocks: ``Bl[s]`` (rows ``ks[s] + N`` × local columns) and ``Bg[s]`` (rows × global
columns).  The dense LU with partial pivoting of the reduced system is also here.
Arrays only; compiled on first use and cached (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bargain.dynamic._kernels import stage_derivatives, unpack

#: the status of :func:`block_factor`
OK, LOCAL_SINGULAR, REDUCED_SINGULAR = 0, 1, 2


@njit(cache=True)
def lu_factor(A):
    """LU with partial pivoting of the square `A`, in place; (pivots, ok).

    ok is False for an exactly zero or non-finite pivot (what SciPy's ``lu_factor`` warns
    about as singular).
    """
    n = A.shape[0]
    piv = np.empty(n, dtype=np.int64)
    r = np.empty(n)  # the pivot row, copied: LLVM then vectorizes the update (2-3x at n ~ 200)
    for k in range(n):
        p = k
        m = abs(A[k, k])
        for i in range(k + 1, n):
            v = abs(A[i, k])
            if v > m:
                m = v
                p = i
        if not (m > 0.0) or not np.isfinite(m):
            return piv, False
        piv[k] = p
        if p != k:
            for j in range(n):
                tmp = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = tmp
        inv = 1.0 / A[k, k]
        w = n - k - 1
        for j in range(w):
            r[j] = A[k, k + 1 + j]
        for i in range(k + 1, n):
            f = A[i, k] * inv
            A[i, k] = f
            if f != 0.0:
                row = A[i, k + 1 :]
                for j in range(w):
                    row[j] -= f * r[j]
    return piv, True


@njit(cache=True)
def lu_solve(LU, piv, b):
    """Solve ``A x = b`` from the factors of :func:`lu_factor`."""
    x = b.copy()
    lu_solve_inplace(LU, piv, x)
    return x


@njit(cache=True)
def layout(nA, off):
    """Local column count ``ks[s] = Σ_i nA[s, i]`` and offset ``loff[s]`` of each state."""
    S, N = nA.shape
    ks = np.zeros(S, dtype=np.int64)
    loff = np.zeros(S, dtype=np.int64)
    for s in range(S):
        loff[s] = off[s, 0]
        for i in range(N):
            ks[s] += nA[s, i]
    return ks, loff


@njit(cache=True)
def homotopy_blocks(U, T, nA, strides, delta, nprof, off, nb, x, Bl, Bg):
    """H(x), and its Jacobian (the same entries as :func:`_kernels.homotopy`) written into
    the blocks `Bl` (S, K + N, K) and `Bg` (S, K + N, S N + 1; last column ∂H/∂λ)."""
    S, _, N = U.shape
    n = x.size - 1
    lam = x[n]
    G = S * N
    sigma, V = unpack(x, nA, off, nb)
    Q, dQs, dQV = stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V)
    H = np.zeros(n)
    Bl[:] = 0.0
    Bg[:] = 0.0
    for s in range(S):
        o0 = off[s, 0]
        ks = 0
        for i in range(N):
            ks += nA[s, i]
        for i in range(N):
            o = off[s, i]
            lo = o - o0
            k = nA[s, i]
            vr = ks + i
            tot = 0.0
            for a in range(k):
                tot += sigma[s, i, a]
                Bl[s, lo, lo + a] = sigma[s, i, a]
            H[o] = tot - 1.0
            for a in range(1, k):
                r = lo + a
                H[o + a] = x[o + a] - x[o] - lam * (Q[s, i, a] - Q[s, i, 0])
                Bl[s, r, lo + a] += 1.0
                Bl[s, r, lo] -= 1.0
                for j in range(N):
                    if j == i:
                        continue
                    lj = off[s, j] - o0
                    for b in range(nA[s, j]):
                        d = (dQs[s, i, a, j, b] - dQs[s, i, 0, j, b]) * sigma[s, j, b]
                        Bl[s, r, lj + b] -= lam * d
                for t in range(S):
                    Bg[s, r, t * N + i] -= lam * (dQV[s, i, a, t] - dQV[s, i, 0, t])
                Bg[s, r, G] = -(Q[s, i, a] - Q[s, i, 0])
            ev = 0.0
            for a in range(k):
                ev += sigma[s, i, a] * Q[s, i, a]
                Bl[s, vr, lo + a] -= sigma[s, i, a] * Q[s, i, a]
            H[nb + s * N + i] = V[s, i] - ev
            Bg[s, vr, s * N + i] += 1.0
            for t in range(S):
                d = 0.0
                for a in range(k):
                    d += sigma[s, i, a] * dQV[s, i, a, t]
                Bg[s, vr, t * N + i] -= d
            for j in range(N):
                if j == i:
                    continue
                lj = off[s, j] - o0
                for b in range(nA[s, j]):
                    d = 0.0
                    for a in range(k):
                        d += sigma[s, i, a] * dQs[s, i, a, j, b]
                    Bl[s, vr, lj + b] -= d * sigma[s, j, b]
    return H


@njit(cache=True)
def dense_to_blocks(M, ks, loff, nb, N):
    """The blocks (Bl, Bg) of a square dense matrix `M` in the layout above (entries outside
    the blocks are assumed zero: the support system of the polish has this structure)."""
    S = ks.size
    K = 1
    for s in range(S):
        K = max(K, ks[s])
    G = M.shape[1] - nb
    Bl = np.zeros((S, K + N, K))
    Bg = np.zeros((S, K + N, G))
    for s in range(S):
        k = ks[s]
        o0 = loff[s]
        for r in range(k + N):
            row = o0 + r if r < k else nb + s * N + (r - k)
            for c in range(k):
                Bl[s, r, c] = M[row, o0 + c]
            for q in range(G):
                Bg[s, r, q] = M[row, nb + q]
    return Bl, Bg


@njit(cache=True)
def block_factor(Bl, Bg, ks, loff, N, border):
    """Factor the block matrix in place; `border` is the last row (length nb + G) or empty.

    Returns ``(perm, mult, R, rpiv, status)``: each state's row interchanges, the
    multipliers that eliminated the border's local entries, the LU of the reduced (G × G)
    system and its pivots; status OK, LOCAL_SINGULAR (a zero or non-finite pivot in a
    state's own columns) or REDUCED_SINGULAR (in the reduced system, `R` overwritten).
    """
    S = Bl.shape[0]
    K = Bl.shape[2]
    G = Bg.shape[2]
    nbl = loff[S - 1] + ks[S - 1]
    has_border = border.size > 0
    perm = np.zeros((S, K), dtype=np.int64)
    mult = np.zeros(nbl if has_border else 0)
    R = np.zeros((G, G))
    rpiv = np.zeros(G, dtype=np.int64)
    bl = np.zeros(nbl)
    if has_border:
        bl[:] = border[:nbl]
        R[G - 1, :] = border[nbl:]
    for s in range(S):
        k = ks[s]
        rows = k + N
        o0 = loff[s]
        for c in range(k):
            p = c
            m = abs(Bl[s, c, c])
            for i in range(c + 1, rows):
                v = abs(Bl[s, i, c])
                if v > m:
                    m = v
                    p = i
            if not (m > 0.0) or not np.isfinite(m):
                return perm, mult, R, rpiv, LOCAL_SINGULAR
            perm[s, c] = p
            if p != c:
                for j in range(k):
                    tmp = Bl[s, c, j]
                    Bl[s, c, j] = Bl[s, p, j]
                    Bl[s, p, j] = tmp
                for j in range(G):
                    tmp = Bg[s, c, j]
                    Bg[s, c, j] = Bg[s, p, j]
                    Bg[s, p, j] = tmp
            inv = 1.0 / Bl[s, c, c]
            for i in range(c + 1, rows):
                f = Bl[s, i, c] * inv
                Bl[s, i, c] = f
                if f != 0.0:
                    for j in range(c + 1, k):
                        Bl[s, i, j] -= f * Bl[s, c, j]
                    for j in range(G):
                        Bg[s, i, j] -= f * Bg[s, c, j]
            if has_border:
                f = bl[o0 + c] * inv
                mult[o0 + c] = f
                if f != 0.0:
                    for j in range(c + 1, k):
                        bl[o0 + j] -= f * Bl[s, c, j]
                    for j in range(G):
                        R[G - 1, j] -= f * Bg[s, c, j]
        for i in range(N):
            R[s * N + i, :] = Bg[s, k + i, :]
    if not np.all(np.isfinite(R)):
        return perm, mult, R, rpiv, LOCAL_SINGULAR
    rpiv, ok = lu_factor(R)
    return perm, mult, R, rpiv, OK if ok else REDUCED_SINGULAR


@njit(cache=True)
def block_reduce(Bl, Bg, ks, loff, N):
    """:func:`block_factor` without a border, for a reduced system that LU finds singular:
    ``(perm, R, ok)`` with `R` the reduced system unfactored; ok False if a state's own
    columns are singular or nothing was singular."""
    perm, _, R, _, status = block_factor(Bl, Bg, ks, loff, N, np.zeros(0))
    if status != REDUCED_SINGULAR:
        return perm, R, False
    for s in range(ks.size):
        for i in range(N):
            R[s * N + i, :] = Bg[s, ks[s] + i, :]
    return perm, R, True


@njit(cache=True)
def block_lstsq(Bl, Bg, ks, loff, N, perm, R, b):
    """A least-squares solution of ``M x = b`` (no border) when only the reduced system
    of :func:`block_reduce` is singular: the local eliminations are exact, the reduced
    system is solved by least squares (NumPy's ``lstsq``), and the local unknowns follow.
    A solution of ``M x = b`` whenever the system is consistent (the Gauss-Newton step of
    the polish), at ``(G / n)³`` of the cost of ``lstsq`` on the whole matrix."""
    G = Bg.shape[2]
    nbl = b.size - G
    x = b.copy()
    _forward(Bl, ks, loff, N, perm, np.zeros(0), x, np.empty(Bl.shape[1]))
    x[nbl:] = np.linalg.lstsq(R, x[nbl:].copy(), rcond=2.220446049250313e-16 * G)[0]
    _backward(Bl, Bg, ks, loff, x)
    return x


@njit(cache=True)
def _forward(Bl, ks, loff, N, perm, mult, x, w):
    """The row interchanges and eliminations of :func:`block_factor` applied to `x` in
    place (`w`: workspace of length K + N)."""
    S = Bl.shape[0]
    nbl = loff[S - 1] + ks[S - 1]
    last = x.size - 1
    has_border = mult.size > 0
    for s in range(S):
        k = ks[s]
        o0 = loff[s]
        for c in range(k):
            w[c] = x[o0 + c]
        for i in range(N):
            w[k + i] = x[nbl + s * N + i]
        for c in range(k):  # the interchanges first (whole rows were swapped)
            p = perm[s, c]
            if p != c:
                tmp = w[c]
                w[c] = w[p]
                w[p] = tmp
        for c in range(k):
            wc = w[c]
            if wc != 0.0:
                for i in range(c + 1, k + N):
                    w[i] -= Bl[s, i, c] * wc
                if has_border:
                    x[last] -= mult[o0 + c] * wc
        for c in range(k):
            x[o0 + c] = w[c]
        for i in range(N):
            x[nbl + s * N + i] = w[k + i]


@njit(cache=True)
def _backward(Bl, Bg, ks, loff, x):
    """Back substitution of the local unknowns in place, the global ones (the end of `x`)
    known."""
    S = Bl.shape[0]
    G = Bg.shape[2]
    nbl = x.size - G
    for s in range(S):
        k = ks[s]
        o0 = loff[s]
        for c in range(k - 1, -1, -1):
            acc = x[o0 + c]
            for j in range(c + 1, k):
                acc -= Bl[s, c, j] * x[o0 + j]
            row = Bg[s, c]
            for q in range(G):
                acc -= row[q] * x[nbl + q]
            x[o0 + c] = acc / Bl[s, c, c]


@njit(cache=True)
def lu_solve_inplace(LU, piv, x):
    """:func:`lu_solve` overwriting the right-hand side `x`."""
    n = LU.shape[0]
    for k in range(n):
        p = piv[k]
        if p != k:
            tmp = x[k]
            x[k] = x[p]
            x[p] = tmp
    for i in range(n):
        acc = x[i]
        row = LU[i]
        for j in range(i):
            acc -= row[j] * x[j]
        x[i] = acc
    for i in range(n - 1, -1, -1):
        acc = x[i]
        row = LU[i]
        for j in range(i + 1, n):
            acc -= row[j] * x[j]
        x[i] = acc / row[i]


@njit(cache=True)
def block_solve_inplace(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, x, w):
    """Solve ``M x = b`` from the factors of :func:`block_factor`, `x` holding `b` on
    entry (no allocation: `w` is a workspace of length K + N)."""
    G = Bg.shape[2]
    _forward(Bl, ks, loff, N, perm, mult, x, w)
    lu_solve_inplace(R, rpiv, x[x.size - G :])
    _backward(Bl, Bg, ks, loff, x)


@njit(cache=True)
def block_solve(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, b):
    """Solve ``M x = b`` from the factors of :func:`block_factor`."""
    x = b.copy()
    block_solve_inplace(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, x, np.empty(Bl.shape[1]))
    return x


@njit(cache=True)
def all_finite(a):
    """Whether every entry of the contiguous array `a` is finite (no temporary array)."""
    for v in a.reshape(a.size):
        if not np.isfinite(v):
            return False
    return True
