"""Compiled kernels of :func:`bargain.solvers.batch.solve_batch` (one file: Numba's
on-disk cache of a kernel does not notice edits to kernels it calls in other files).

``_batch_support`` enumerates, game by game, the vertices of both best-response
polytopes {z >= 0 : C z <= 1} (payoffs mapped into [1, 2]) and pairs the complementary
ones; ``_batch_pure`` tests every pure profile.  Both run ``prange`` over chunks of games.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from bargain.solvers.support import _next_comb

#: label / feasibility tolerance in the normalized polytopes (payoffs scaled into [1, 2])
LABEL_TOL = 1e-9
#: pivots below this (normalized payoffs) count as zero
RANK_TOL = 1e-12
#: games per parallel work unit
CHUNK = 256


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


@njit(cache=True)
def _small_solve(M, k, sol):  # pragma: no cover - compiled
    """Solve the k x k system with augmented column ``M[:k, k]``; False if singular.

    Gaussian elimination with partial pivoting: the same operations, in the same order, as
    ``support.solve_affine(M, k, k, sol, RANK_TOL) == 1``, but it stops at the first pivot
    ``<= RANK_TOL`` (from there ``solve_affine`` cannot return 1).  Used for k >= 4."""
    for col in range(k):
        p = col
        best = abs(M[col, col])
        for i in range(col + 1, k):
            v = abs(M[i, col])
            if v > best:
                best = v
                p = i
        if best <= RANK_TOL:
            return False
        if p != col:
            for j in range(col, k + 1):
                t = M[col, j]
                M[col, j] = M[p, j]
                M[p, j] = t
        piv = M[col, col]
        for i in range(col + 1, k):
            f = M[i, col] / piv
            if f != 0.0:
                for j in range(col, k + 1):
                    M[i, j] -= f * M[col, j]
    for i in range(k - 1, -1, -1):
        s = M[i, k]
        for j in range(i + 1, k):
            s -= M[i, j] * sol[j]
        sol[i] = s / M[i, i]
    return True


@njit(cache=True, inline="always")
def _solve3(a00, a01, a02, a10, a11, a12, a20, a21, a22):  # pragma: no cover - compiled
    """``(ok, z0, z1, z2)``: the 3 x 3 system ``a z = 1`` on scalars (no arrays, so no
    reference counting in the hot loop).  Bit for bit `_small_solve` with k = 3: the same
    pivots (first largest), operations and order; a pivot ``<= RANK_TOL`` gives ok False."""
    b0 = 1.0
    b1 = 1.0
    b2 = 1.0
    best = abs(a00)
    p = 0
    if abs(a10) > best:
        best = abs(a10)
        p = 1
    if abs(a20) > best:
        best = abs(a20)
        p = 2
    ok = best > RANK_TOL
    if p == 1:
        a00, a01, a02, a10, a11, a12 = a10, a11, a12, a00, a01, a02
    elif p == 2:
        a00, a01, a02, a20, a21, a22 = a20, a21, a22, a00, a01, a02
    piv = a00 if ok else 1.0
    f = a10 / piv
    if f != 0.0:
        a11 -= f * a01
        a12 -= f * a02
        b1 -= f * b0
    f = a20 / piv
    if f != 0.0:
        a21 -= f * a01
        a22 -= f * a02
        b2 -= f * b0
    best = abs(a11)
    if abs(a21) > best:
        best = abs(a21)
        a11, a12, b1, a21, a22, b2 = a21, a22, b2, a11, a12, b1
    ok = ok and best > RANK_TOL
    piv = a11 if ok else 1.0
    f = a21 / piv
    if f != 0.0:
        a22 -= f * a12
        b2 -= f * b1
    if not (ok and abs(a22) > RANK_TOL):
        return False, 0.0, 0.0, 0.0
    z2 = b2 / a22
    z1 = (b1 - a12 * z2) / a11
    z0 = (b0 - a01 * z1 - a02 * z2) / a00
    return True, z0, z1, z2


@njit(cache=True)
def _candidates(n_con, n_var):  # pragma: no cover - compiled
    """Every vertex candidate of `_vertices`, one a row: ``k``, then the support ``S`` in
    columns ``1 .. k``, the tight constraints ``T`` from column ``1 + k_max``; ordered by k,
    then S, then T, lexicographically (the same for every game, so built once)."""
    k_max = min(n_con, n_var)
    total = 0
    for k in range(1, k_max + 1):
        total += _n_comb(n_var, k) * _n_comb(n_con, k)
    out = np.zeros((total, 1 + 2 * k_max), dtype=np.int64)
    S = np.empty(k_max, dtype=np.int64)
    T = np.empty(k_max, dtype=np.int64)
    r = 0
    for k in range(1, k_max + 1):
        for a in range(k):
            S[a] = a
        more_s = True
        while more_s:
            for b in range(k):
                T[b] = b
            more_t = True
            while more_t:
                out[r, 0] = k
                out[r, 1 : 1 + k] = S[:k]
                out[r, 1 + k_max : 1 + k_max + k] = T[:k]
                r += 1
                more_t = _next_comb(T, k, n_con)
            more_s = _next_comb(S, k, n_var)
    return out


@njit(cache=True)
def _n_comb(n, k):  # pragma: no cover - compiled
    out = 1
    for i in range(k):
        out = out * (n - i) // (i + 1)
    return out


@njit(cache=True)
def _vertices(C, own_off, con_off, cand, M, sol, verts, masks):  # pragma: no cover - compiled
    """Vertices (other than 0) of {z >= 0 : C z <= 1}; C has shape (n_con, n_var), > 0.

    Label of ``z_v = 0`` is ``own_off + v``; of ``(C z)_c = 1`` is ``con_off + c``.  Each
    vertex is stored once (distinct vertices have distinct label sets), as found first over
    the candidates ``cand = _candidates(n_con, n_var)`` (support S, tight constraints T,
    |S| = |T| = k): by k, then S, then T, lexicographically.  Returns the count.

    One flat loop over the candidates, with no calls taking arrays for k <= 3 (Numba
    reference-counts array arguments): closed forms for k = 1, 2, `_solve3`, then
    `_small_solve`.  Feasibility and labels are computed without early exits (fewer
    mispredicted branches); the values and decisions are those of a check that stops at
    the first violated constraint.
    """
    n_con, n_var = C.shape
    k_max = (cand.shape[1] - 1) // 2
    count = 0
    for r in range(cand.shape[0]):
        k = cand[r, 0]
        s0 = cand[r, 1]
        t0 = cand[r, 1 + k_max]
        if k == 1:
            d = C[t0, s0]
            ok = abs(d) > RANK_TOL
            sol[0] = 1.0 / (d if ok else 1.0)
        elif k == 2:
            s1 = cand[r, 2]
            t1 = cand[r, 2 + k_max]
            c00 = C[t0, s0]
            c01 = C[t0, s1]
            c10 = C[t1, s0]
            c11 = C[t1, s1]
            det = c00 * c11 - c01 * c10
            ok = abs(det) > RANK_TOL
            det = det if ok else 1.0
            sol[0] = (c11 - c01) / det  # (1 * c11 - c01 * 1) / det
            sol[1] = (c00 - c10) / det
        elif k == 3:
            s1, s2 = cand[r, 2], cand[r, 3]
            t1, t2 = cand[r, 2 + k_max], cand[r, 3 + k_max]
            ok, sol[0], sol[1], sol[2] = _solve3(
                C[t0, s0], C[t0, s1], C[t0, s2],
                C[t1, s0], C[t1, s1], C[t1, s2],
                C[t2, s0], C[t2, s1], C[t2, s2],
            )  # fmt: skip
        else:
            for b in range(k):
                for a in range(k):
                    M[b, a] = C[cand[r, 1 + k_max + b], cand[r, 1 + a]]
                M[b, k] = 1.0
            ok = _small_solve(M, k, sol)
        for a in range(k):
            ok &= sol[a] >= -LABEL_TOL
            sol[a] = max(sol[a], 0.0)
        mask = 0
        for c in range(n_con):
            s = C[c, s0] * sol[0]
            for a in range(1, k):
                s += C[c, cand[r, 1 + a]] * sol[a]
            ok &= s <= 1.0 + LABEL_TOL
            mask |= np.int64(s >= 1.0 - LABEL_TOL) << (con_off + c)
        if not ok:
            continue
        for v in range(n_var):
            verts[count, v] = 0.0
        for a in range(k):
            verts[count, cand[r, 1 + a]] = sol[a]
        for v in range(n_var):
            if verts[count, v] <= LABEL_TOL:
                mask |= 1 << (own_off + v)
        new = True
        for q in range(count):
            if masks[q] == mask:
                new = False
        if new:
            masks[count] = mask
            count += 1
    return count


@njit(cache=True, parallel=True)
def _batch_support(A, B, K, tol, n_cand):  # pragma: no cover - compiled
    G, m, n = A.shape
    count, x, y, payoffs, regret, isolated, continuum, valid = _alloc(G, K, m, n)
    full = (1 << (m + n)) - 1
    cand_p = _candidates(n, m)
    cand_q = _candidates(m, n)
    n_chunks = (G + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        size = max(m, n)
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
            nx = _vertices(CP, 0, m, cand_p, M, sol, vx, mx)
            ny = _vertices(CQ, m, 0, cand_q, M, sol, vy, my)
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
