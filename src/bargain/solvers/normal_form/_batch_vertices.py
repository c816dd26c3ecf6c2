"""Vertex enumeration of best-response polytopes for the batch kernel, a block of games
at a time (:mod:`bargain.solvers.normal_form._batch_kernels` drives it).

A player's polytope is {z >= 0 : C z <= 1} with C > 0 (payoffs mapped into [1, 2]).  Its
vertices other than 0 come from the *candidates* (support S, binding constraints T,
``|S| = |T| = k``) whose system ``C[T, S] z_S = 1`` is regular and whose solution is
feasible.  `_block_vertices` runs each candidate over a block of games at once, the games
innermost, so the compiler vectorizes the loops (SIMD across games); `_complements` then
finds, for a nondegenerate player 1, the one candidate of player 2 that can complete each
vertex, instead of enumerating player 2's polytope.

Games lie in the last axis of a block, ``Cb[c, v, g]``, except for the matrices
`_complements` gathers game by game (``CQ[g, i, j]``).  Kernels use
``error_model="numpy"`` (no zero-division checks, which would stop vectorization); every
division has a nonzero denominator by construction.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bargain.solvers.normal_form._combinations import next_combination as _next_comb

#: label / feasibility tolerance in the normalized polytopes (payoffs scaled into [1, 2])
LABEL_TOL = 1e-9
#: pivots below this (normalized payoffs) count as zero
RANK_TOL = 1e-12


@njit(cache=True)
def _n_comb(n, k):  # pragma: no cover - compiled
    out = 1
    for i in range(k):
        out = out * (n - i) // (i + 1)
    return out


@njit(cache=True)
def _candidates(n_con, n_var):  # pragma: no cover - compiled
    """Every vertex candidate, one a row: ``k``, then the support ``S`` in columns
    ``1 .. k``, the binding constraints ``T`` from column ``1 + k_max``; ordered by k,
    then S, then T, lexicographically (the same for every game, so built once).  There
    are ``comb(n_con + n_var, n_var) - 1`` of them (Vandermonde)."""
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
                for a in range(k):
                    out[r, 1 + a] = S[a]
                    out[r, 1 + k_max + a] = T[a]
                r += 1
                more_t = _next_comb(T, k, n_con)
            more_s = _next_comb(S, k, n_var)
    return out


@njit(cache=True, inline="always")
def _small_solve(M, k, sol):  # pragma: no cover - compiled
    """Solve the k x k system with augmented column ``M[:k, k]``; False if singular.

    Gaussian elimination with partial pivoting: the same operations, in the same order, as
    ``support.solve_affine(M, k, k, sol, RANK_TOL) == 1``, but it stops at the first pivot
    ``<= RANK_TOL`` (from there ``solve_affine`` cannot return 1).  Used for k >= 4.
    Inlined: a call taking arrays costs more reference counting than a 4 x 4 solve."""
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


@njit(cache=True, inline="always", error_model="numpy")
def _solve2(c00, c01, c10, c11):  # pragma: no cover - compiled
    """``(ok, z0, z1)``: the 2 x 2 system ``c z = 1`` by Cramer's rule."""
    det = c00 * c11 - c01 * c10
    ok = abs(det) > RANK_TOL
    det = det if ok else 1.0
    return ok, (c11 - c01) / det, (c00 - c10) / det  # (1 * c11 - c01 * 1) / det, ...


@njit(cache=True, inline="always", error_model="numpy")
def _solve3(a00, a01, a02, a10, a11, a12, a20, a21, a22):  # pragma: no cover - compiled
    """``(ok, z0, z1, z2)``: the 3 x 3 system ``a z = 1`` on scalars.

    When ok, bit for bit `_small_solve` with k = 3: the same pivots (first largest),
    operations and order.  Written with selects instead of branches, so that a loop over
    games vectorizes; when not ok (a pivot ``<= RANK_TOL``) the values are meaningless."""
    # first pivot: the first largest |a[i, 0]|, swapped into row 0 (b = 1 in every row)
    v0, v1, v2 = abs(a00), abs(a10), abs(a20)
    p1 = v1 > v0
    best = v1 if p1 else v0
    p2 = v2 > best
    best = v2 if p2 else best
    q1 = p1 and not p2
    ok = best > RANK_TOL
    n00 = a20 if p2 else (a10 if q1 else a00)
    n01 = a21 if p2 else (a11 if q1 else a01)
    n02 = a22 if p2 else (a12 if q1 else a02)
    n10 = a00 if q1 else a10
    n11 = a01 if q1 else a11
    n12 = a02 if q1 else a12
    n20 = a00 if p2 else a20
    n21 = a01 if p2 else a21
    n22 = a02 if p2 else a22
    piv = n00 if ok else 1.0
    f = n10 / piv
    e = f != 0.0
    n11 = n11 - f * n01 if e else n11
    n12 = n12 - f * n02 if e else n12
    b1 = 1.0 - f if e else 1.0
    f = n20 / piv
    e = f != 0.0
    n21 = n21 - f * n01 if e else n21
    n22 = n22 - f * n02 if e else n22
    b2 = 1.0 - f if e else 1.0
    # second pivot: rows 1 and 2 (with their right-hand sides) swap if |a21| is larger
    sw = abs(n21) > abs(n11)
    ok = ok and (abs(n21) if sw else abs(n11)) > RANK_TOL
    m11 = n21 if sw else n11
    m12 = n22 if sw else n12
    c1 = b2 if sw else b1
    m21 = n11 if sw else n21
    m22 = n12 if sw else n22
    c2 = b1 if sw else b2
    piv = m11 if ok else 1.0
    f = m21 / piv
    e = f != 0.0
    m22 = m22 - f * m12 if e else m22
    c2 = c2 - f * c1 if e else c2
    ok = ok and abs(m22) > RANK_TOL
    z2 = c2 / (m22 if ok else 1.0)
    z1 = (c1 - m12 * z2) / (m11 if ok else 1.0)
    z0 = (1.0 - n01 * z1 - n02 * z2) / (n00 if ok else 1.0)
    return ok, z0, z1, z2


@njit(cache=True, error_model="numpy")
def _candidate_block(Cb, L, cand, r, own_off, con_off, ws):  # pragma: no cover - compiled
    """Candidate ``r`` of `cand` (support S, binding set T, ``|S| = |T| = k``) in games
    ``g < L`` of the block ``Cb`` (shape ``(n_con, n_var, >= L)``): solve
    ``C[T, S] z_S = 1`` into ``W[:k, g]`` (clamped at 0) and set, game by game,
    ``I[0]`` feasible, ``I[1]`` the labels of z other than those off S (a zero within S:
    ``own_off + v``; a binding constraint: ``con_off + c``), ``I[2]`` their number and
    ``I[3]`` regular (the system is nonsingular).

    The loops over g vectorize (SIMD across games).  ``ws = (W, I, M, z)`` from
    `_workspace`.  Feasibility and labels are computed without early exits; the values
    and decisions are those of a check that stops at the first violation.
    """
    W, I, M, z = ws  # noqa: E741
    n_con = Cb.shape[0]
    k_max = (cand.shape[1] - 1) // 2
    acc = W[k_max]
    ok, lab, nlab, reg = I[0], I[1], I[2], I[3]
    k = cand[r, 0]
    s0 = cand[r, 1]
    t0 = cand[r, 1 + k_max]
    if k == 1:
        for g in range(L):
            d = Cb[t0, s0, g]
            good = abs(d) > RANK_TOL
            W[0, g] = 1.0 / (d if good else 1.0)
            reg[g] = good
    elif k == 2:
        s1 = cand[r, 2]
        t1 = cand[r, 2 + k_max]
        for g in range(L):
            good, W[0, g], W[1, g] = _solve2(
                Cb[t0, s0, g], Cb[t0, s1, g], Cb[t1, s0, g], Cb[t1, s1, g]
            )
            reg[g] = good
    elif k == 3:
        s1, s2 = cand[r, 2], cand[r, 3]
        t1, t2 = cand[r, 2 + k_max], cand[r, 3 + k_max]
        for g in range(L):
            good, W[0, g], W[1, g], W[2, g] = _solve3(
                Cb[t0, s0, g], Cb[t0, s1, g], Cb[t0, s2, g],
                Cb[t1, s0, g], Cb[t1, s1, g], Cb[t1, s2, g],
                Cb[t2, s0, g], Cb[t2, s1, g], Cb[t2, s2, g],
            )  # fmt: skip
            reg[g] = good
    else:
        for g in range(L):
            for b in range(k):
                for a in range(k):
                    M[b, a] = Cb[cand[r, 1 + k_max + b], cand[r, 1 + a], g]
                M[b, k] = 1.0
            reg[g] = _small_solve(M, k, z)
            for a in range(k):
                W[a, g] = z[a]
    # nonnegativity (clamped at 0) and the own labels of the support
    for a in range(k):
        sa = cand[r, 1 + a]
        for g in range(L):
            v = W[a, g]
            good = (reg[g] if a == 0 else ok[g]) & (v >= -LABEL_TOL)
            v = max(v, 0.0)
            W[a, g] = v
            zero = np.int64(v <= LABEL_TOL)
            ok[g] = good
            lab[g] = (lab[g] if a > 0 else 0) | (zero << (own_off + sa))
            nlab[g] = (nlab[g] if a > 0 else 0) + zero
    # the constraints: feasible, and which bind
    for c in range(n_con):
        for g in range(L):
            acc[g] = Cb[c, s0, g] * W[0, g]
        for a in range(1, k):
            sa = cand[r, 1 + a]
            for g in range(L):
                acc[g] += Cb[c, sa, g] * W[a, g]
        sh = con_off + c
        for g in range(L):
            s = acc[g]
            ok[g] &= s <= 1.0 + LABEL_TOL
            tight = np.int64(s >= 1.0 - LABEL_TOL)
            lab[g] |= tight << sh
            nlab[g] += tight


@njit(cache=True)
def _workspace(block, k_max):  # pragma: no cover - compiled
    """``(W, I, M, z)`` for `_candidate_block`: solutions (last row scratch), the
    per-game flags, and the matrix and solution of a k >= 4 system."""
    W = np.empty((k_max + 1, block))
    I = np.empty((4, block), dtype=np.int64)  # noqa: E741
    return W, I, np.empty((k_max, k_max + 1)), np.empty(k_max)


@njit(cache=True)
def _vertex_store(block, n_cand, dim):  # pragma: no cover - compiled
    """``(verts, masks, origin, counts, simple)`` of `_block_vertices` for ``block``
    games: room for one vertex per candidate."""
    return (
        np.empty((block, n_cand, dim)),
        np.empty((block, n_cand), dtype=np.int64),
        np.empty((block, n_cand), dtype=np.int64),
        np.empty(block, dtype=np.int64),
        np.empty(block, dtype=np.bool_),
    )


@njit(cache=True, error_model="numpy")
def _block_vertices(Cb, L, cand, own_off, con_off, ws, store):  # pragma: no cover - compiled
    """Vertices (other than 0) of the polytopes {z >= 0 : C_g z <= 1} of games
    ``g < L`` of the block ``Cb`` (shape ``(n_con, n_var, >= L)``; ``C_g = Cb[:, :, g]``).

    Label of ``z_v = 0`` is ``own_off + v``; of ``(C z)_c = 1`` is ``con_off + c``.
    ``store = (verts, masks, origin, counts, simple)`` (`_vertex_store`): game g gets
    ``counts[g]`` vertices in ``verts[g]``, their label sets in ``masks[g]``, the rows of
    `cand` that found them in ``origin[g]``.  Each vertex is stored once (distinct
    vertices have distinct label sets), as found first over the candidates
    ``cand = _candidates(n_con, n_var)``: by k, then S, then T.  ``simple[g]``: every
    vertex has exactly ``n_var`` labels (a simple polytope, a nondegenerate player).  Such
    a vertex is reached by one candidate only (its support and its binding set), so only
    a vertex with more labels is searched for among those found before.
    """
    verts, masks, origin, counts, simple = store
    W, I = ws[0], ws[1]  # noqa: E741
    ok, lab, nlab = I[0], I[1], I[2]
    n_var = Cb.shape[1]
    all_own = ((1 << n_var) - 1) << own_off
    for g in range(L):
        counts[g] = 0
        simple[g] = True
    for r in range(cand.shape[0]):
        _candidate_block(Cb, L, cand, r, own_off, con_off, ws)
        k = cand[r, 0]
        base = all_own  # the own labels off the support
        for a in range(k):
            base &= ~(1 << (own_off + cand[r, 1 + a]))
        # store the feasible ones (a vertex with extra labels may have been found before)
        for g in range(L):
            if not ok[g]:
                continue
            j = counts[g]
            mask = lab[g] | base
            if nlab[g] > k:
                simple[g] = False
                seen = False
                for q in range(j):
                    seen |= masks[g, q] == mask
                if seen:
                    continue
            for v in range(n_var):
                verts[g, j, v] = 0.0
            for a in range(k):
                verts[g, j, cand[r, 1 + a]] = W[a, g]
            masks[g, j] = mask
            origin[g, j] = r
            counts[g] = j + 1


@njit(cache=True)
def _subset_rank(cand, r, first, k, n):  # pragma: no cover - compiled
    """Lexicographic rank of the k-subset ``cand[r, first : first + k]`` of range(n)."""
    rank = 0
    prev = -1
    for i in range(k):
        for v in range(prev + 1, cand[r, first + i]):
            rank += _n_comb(n - v - 1, k - i - 1)
        prev = cand[r, first + i]
    return rank


@njit(cache=True)
def _duals(cand_p, m, n):  # pragma: no cover - compiled
    """For each candidate (S, T) of player 1's polytope (``_candidates(n, m)``), the row
    of ``_candidates(m, n)`` with support T and binding set S: the only candidate of
    player 2 that can complete a nondegenerate vertex found by it."""
    k_max = (cand_p.shape[1] - 1) // 2
    offset = np.zeros(k_max + 2, dtype=np.int64)
    for k in range(1, k_max + 1):
        offset[k + 1] = offset[k] + _n_comb(n, k) * _n_comb(m, k)
    out = np.empty(cand_p.shape[0], dtype=np.int64)
    for r in range(cand_p.shape[0]):
        k = cand_p[r, 0]
        rank_t = _subset_rank(cand_p, r, 1 + k_max, k, n)  # T: the new support
        rank_s = _subset_rank(cand_p, r, 1, k, m)  # S: the new binding set
        out[r] = offset[k] + rank_t * _n_comb(m, k) + rank_s
    return out


@njit(cache=True)
def _work_size(block, n_cand):  # pragma: no cover - compiled
    """Length of the int64 scratch `_complements` needs."""
    return 2 * block * n_cand + n_cand + 1 + block


@njit(cache=True, error_model="numpy")
def _complements(  # pragma: no cover - compiled
    CQ, L, cand_q, dual, px, ws, CG, work, vy, found, pair_x, pair_y
):
    """Equilibria of the block's games whose player-1 polytope is simple, without
    enumerating player 2's polytope.

    A vertex x of P with exactly m labels, found by candidate r (support S, binding
    columns T), is completed only by a y with ``y_j = 0`` off T and every row of S
    binding: ``CQ[S, T] y_T = 1``, the Q candidate ``dual[r]``.  When that system is
    regular and its solution, if feasible, has exactly n labels, y is the Q vertex reached
    by that candidate alone, so the result is bit for bit what enumerating Q and pairing
    complementary vertices gives.  The vertices are grouped by candidate and each group's
    games gathered into ``CG`` (``CQ[l]`` is game l's matrix), so that the solves run
    vectorized in `_candidate_block`.

    ``px``: P's `_vertex_store`.  Game l gets ``found[l]`` equilibria: P vertex
    ``pair_x[l, e]`` with the y in ``vy[l, pair_y[l, e]]`` (the first ``K`` kept), by P
    vertex; ``found[l] = -1`` when the shortcut does not hold (P not simple, a singular
    system, a y with extra labels) and Q must be enumerated.  ``work``: int64 scratch of
    `_work_size`.
    """
    _, mx, origin, nx, simple = px
    W, I = ws[0], ws[1]  # noqa: E741
    ok, lab, nlab, reg = I[0], I[1], I[2], I[3]
    m, n = CQ.shape[1], CQ.shape[2]
    n_cand = dual.shape[0]
    K = pair_x.shape[1]
    rows = (1 << m) - 1
    cap = L * n_cand
    member = work[:cap]  # group members: l * n_cand + a, grouped by candidate
    done = work[cap : 2 * cap]  # vertex l * n_cand + a is completed
    start = work[2 * cap : 2 * cap + n_cand + 1]
    bad = work[2 * cap + n_cand + 1 : 2 * cap + n_cand + 1 + L]
    # group the vertices by candidate (a counting sort)
    for r in range(n_cand + 1):
        start[r] = 0
    for l in range(L):  # noqa: E741
        bad[l] = not simple[l]
        if simple[l]:
            for a in range(nx[l]):
                start[origin[l, a] + 1] += 1
                done[l * n_cand + a] = 0
    for r in range(n_cand):
        start[r + 1] += start[r]
    for l in range(L):  # noqa: E741
        if simple[l]:
            for a in range(nx[l]):
                r = origin[l, a]
                member[start[r]] = l * n_cand + a
                start[r] += 1
    end = 0
    for r in range(n_cand):
        first, end = end, start[r]
        size = end - first
        if size == 0:
            continue
        for q in range(size):
            l = member[first + q] // n_cand  # noqa: E741
            for i in range(m):
                for j in range(n):
                    CG[i, j, q] = CQ[l, i, j]
        rq = dual[r]
        _candidate_block(CG, size, cand_q, rq, m, 0, ws)
        k = cand_q[rq, 0]
        for q in range(size):
            l, a = divmod(member[first + q], n_cand)  # noqa: E741
            if not reg[q] or (ok[q] and nlab[q] > k):
                bad[l] = 1  # singular, or y has extra labels: enumerate Q
            elif ok[q] and (mx[l, a] | lab[q]) & rows == rows:
                done[l * n_cand + a] = 1
                for j in range(n):
                    vy[l, a, j] = 0.0
                for b in range(k):
                    vy[l, a, cand_q[rq, 1 + b]] = W[b, q]
    for l in range(L):  # noqa: E741
        if bad[l]:
            found[l] = -1
            continue
        f = 0
        for a in range(nx[l]):
            if done[l * n_cand + a]:
                if f < K:
                    pair_x[l, f] = a
                    pair_y[l, f] = a
                f += 1
        found[l] = f
