"""Compiled kernels of :func:`bargain.solvers.normal_form.batch.solve_batch`.

``_batch_support`` enumerates player 1's best-response polytope for a block of games at
once (:mod:`bargain.solvers.normal_form._batch_vertices`), completes each vertex from
player 2's side
when player 1 is nondegenerate, else enumerates player 2's polytope too and pairs the
complementary vertices; ``_batch_pure`` tests every pure profile.  Both run ``prange``
over runs of games and write into output arrays the caller allocates (NumPy asks the
kernel for huge pages on large arrays; Numba's allocator does not, and page faults then
cost about as much as the solving).

Edit note: Numba's on-disk cache of a kernel here does not notice edits to the kernels it
calls in ``_batch_vertices``; delete ``__pycache__/*.nb[ic]`` after changing those.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from bargain.solvers.normal_form._batch_vertices import (
    _block_vertices,
    _candidates,
    _complements,
    _duals,
    _vertex_store,
    _work_size,
    _workspace,
)

__all__ = ["BLOCK", "CHUNK", "_batch_pure", "_batch_support"]

#: games per parallel work unit (`_batch_pure`); a part of `_batch_support` is a run of
#: whole chunks
CHUNK = 256
#: parts per thread in `_batch_support` (a few, to even out parts of unequal cost)
PARTS_PER_THREAD = 4
#: games solved together by the vectorized vertex enumeration (up to 4 x 4 games)
BLOCK = 256


@njit(cache=True)
def _clear(g, start, x, y, payoffs, regret, isolated):  # pragma: no cover - compiled
    """Mark slots ``start ..`` of game g unused (NaN / False)."""
    K, m = x.shape[1], x.shape[2]
    n = y.shape[2]
    for k in range(start, K):
        for i in range(m):
            x[g, k, i] = np.nan
        for j in range(n):
            y[g, k, j] = np.nan
        payoffs[g, k, 0] = np.nan
        payoffs[g, k, 1] = np.nan
        regret[g, k] = np.nan
        isolated[g, k] = False


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
def _batch_pure(  # pragma: no cover - compiled
    A, B, tol, count, x, y, payoffs, regret, isolated, continuum, valid
):
    G, m, n = A.shape
    K = x.shape[1]
    n_chunks = (G + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        xv = np.zeros(m)
        yv = np.zeros(n)
        for g in range(c * CHUNK, min(G, (c + 1) * CHUNK)):
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
                        isolated[g, k] = False
                    k += 1
            count[g] = k
            _clear(g, min(k, K), x, y, payoffs, regret, isolated)
            continuum[g] = False
            valid[g] = ok and k <= K


@njit(cache=True)
def _block_size(n_cand):  # pragma: no cover - compiled
    """Games per block: `BLOCK` up to 4 x 4 games; fewer for larger games, whose
    workspaces (a row per vertex candidate and game) grow quickly."""
    if n_cand <= 70:
        return BLOCK
    return 64 if n_cand <= 252 else 16


@njit(cache=True)
def _normalize(A, B, g0, L, CP, CQ, scale):  # pragma: no cover - compiled
    """Map games ``g0 .. g0 + L - 1`` into [1, 2] (same equilibria, positive entries):
    player 1's polytope matrix ``CP[j, i, l]`` from B (games last, for
    `_block_vertices`), player 2's ``CQ[l, i, j]`` from A (games first, gathered game by
    game).  ``scale[l]``: the game's larger payoff range, as `_scale` gives it."""
    m, n = A.shape[1], A.shape[2]
    for l in range(L):  # noqa: E741
        g = g0 + l
        lo_a, hi_a, lo_b, hi_b = A[g, 0, 0], A[g, 0, 0], B[g, 0, 0], B[g, 0, 0]
        for i in range(m):
            for j in range(n):
                lo_a = min(lo_a, A[g, i, j])
                hi_a = max(hi_a, A[g, i, j])
                lo_b = min(lo_b, B[g, i, j])
                hi_b = max(hi_b, B[g, i, j])
        sa = 1.0 / (hi_a - lo_a) if hi_a > lo_a else 0.0
        sb = 1.0 / (hi_b - lo_b) if hi_b > lo_b else 0.0
        s = max(hi_a - lo_a, hi_b - lo_b)
        scale[l] = s if s > 0.0 else 1.0
        for i in range(m):
            for j in range(n):
                CQ[l, i, j] = (A[g, i, j] - lo_a) * sa + 1.0
                CP[j, i, l] = (B[g, i, j] - lo_b) * sb + 1.0


@njit(cache=True)
def _gather_degenerate(CQ, L, found, CF, which):  # pragma: no cover - compiled
    """Copy player 2's matrices of the games with ``found[l] < 0`` (`_complements` could
    not decide them) into the block ``CF`` (games last); their indices into ``which``.
    Returns how many."""
    m, n = CQ.shape[1], CQ.shape[2]
    n_fb = 0
    for l in range(L):  # noqa: E741
        if found[l] < 0:
            which[n_fb] = l
            for i in range(m):
                for j in range(n):
                    CF[i, j, n_fb] = CQ[l, i, j]
            n_fb += 1
    return n_fb


@njit(cache=True)
def _pair_degenerate(n_fb, which, px, qs, vy, found, pair_x, pair_y):  # pragma: no cover - compiled
    """For the games `_gather_degenerate` listed, whose player 2's vertices are in the
    store ``qs``: pair every complementary couple, listed by P vertex, then Q vertex
    (the Q vertices copied to ``vy[l]``)."""
    mx, nx = px[1], px[3]
    vf, mf, nf = qs[0], qs[1], qs[3]
    m, n = px[0].shape[2], vf.shape[2]
    full = (1 << (m + n)) - 1
    K = pair_x.shape[1]
    for f in range(n_fb):
        l = which[f]  # noqa: E741
        k = 0
        for a in range(nx[l]):
            for b in range(nf[f]):
                if (mx[l, a] | mf[f, b]) == full:
                    if k < K:
                        pair_x[l, k] = a
                        pair_y[l, k] = b
                    k += 1
        for b in range(nf[f]):
            for j in range(n):
                vy[l, b, j] = vf[f, b, j]
        found[l] = k


@njit(cache=True)
def _record_block(  # pragma: no cover - compiled
    A, B, g0, L, tol, scale, vx, vy, found, pair_x, pair_y, xv, yv, out
):
    """Write the block's equilibria into the outputs ``out``: normalized strategies,
    payoffs, regrets; then which are isolated (share no vertex with another one)."""
    count, x, y, payoffs, regret, isolated, continuum, valid = out
    m, n = A.shape[1], A.shape[2]
    K = x.shape[1]
    for l in range(L):  # noqa: E741
        g = g0 + l
        k = found[l]
        tol_g = tol * scale[l]
        stored = min(k, K)
        ok = True
        for e in range(stored):
            a, b = pair_x[l, e], pair_y[l, e]
            sx = 0.0
            for i in range(m):
                sx += vx[l, a, i]
            for i in range(m):
                xv[i] = vx[l, a, i] / sx
            sy = 0.0
            for j in range(n):
                sy += vy[l, b, j]
            for j in range(n):
                yv[j] = vy[l, b, j] / sy
            if _record(A, B, g, e, xv, yv, x, y, payoffs, regret) > tol_g:
                ok = False
        count[g] = k
        _clear(g, stored, x, y, payoffs, regret, isolated)
        continuum[g] = False
        for e in range(stored):
            alone = True
            for f in range(stored):
                if f != e and (pair_x[l, f] == pair_x[l, e] or pair_y[l, f] == pair_y[l, e]):
                    alone = False
                    break
            isolated[g, e] = alone
            if not alone:
                continuum[g] = True
        valid[g] = ok and k <= K


@njit(cache=True)
def _support_part(A, B, tol, lo, hi, cand_p, cand_q, dual, out):  # pragma: no cover - compiled
    """Games ``lo .. hi - 1`` of `_batch_support`, block by block (a plain function: the
    parallel loop stays small, which keeps its compile time down)."""
    m, n = A.shape[1], A.shape[2]
    K = out[1].shape[1]
    n_cand = cand_p.shape[0]
    block = _block_size(n_cand)
    ws = _workspace(block, min(m, n))
    px = _vertex_store(block, n_cand, m)
    qs = _vertex_store(block, n_cand, n)
    CP = np.empty((n, m, block))
    CQ = np.empty((block, m, n))
    CG = np.empty((m, n, block))
    work = np.empty(_work_size(block, n_cand), dtype=np.int64)
    vy = np.empty((block, n_cand, n))
    which = np.empty(block, dtype=np.int64)
    found = np.empty(block, dtype=np.int64)
    scale = np.empty(block)
    pair_x = np.empty((block, K), dtype=np.int64)
    pair_y = np.empty((block, K), dtype=np.int64)
    xv = np.empty(m)
    yv = np.empty(n)
    for g0 in range(lo, hi, block):
        L = min(block, hi - g0)
        _normalize(A, B, g0, L, CP, CQ, scale)
        _block_vertices(CP, L, cand_p, 0, m, ws, px)
        _complements(CQ, L, cand_q, dual, px, ws, CG, work, vy, found, pair_x, pair_y)
        # degenerate games: enumerate player 2's polytope as well
        n_fb = _gather_degenerate(CQ, L, found, CG, which)
        if n_fb > 0:
            _block_vertices(CG, n_fb, cand_q, m, 0, ws, qs)
            _pair_degenerate(n_fb, which, px, qs, vy, found, pair_x, pair_y)
        _record_block(A, B, g0, L, tol, scale, px[0], vy, found, pair_x, pair_y, xv, yv, out)


@njit(cache=True, parallel=True)
def _batch_support(  # pragma: no cover - compiled
    A, B, tol, n_threads, count, x, y, payoffs, regret, isolated, continuum, valid
):
    G, m, n = A.shape
    out = (count, x, y, payoffs, regret, isolated, continuum, valid)
    cand_p = _candidates(n, m)
    cand_q = _candidates(m, n)
    dual = _duals(cand_p, m, n)
    # a few contiguous parts per thread: each allocates its workspaces once (about 10 kB
    # a game of block; allocating them per chunk cost page faults on every chunk)
    n_chunks = (G + CHUNK - 1) // CHUNK
    parts = min(n_chunks, PARTS_PER_THREAD * n_threads)
    for p in prange(parts):
        lo = (n_chunks * p // parts) * CHUNK
        hi = min(G, (n_chunks * (p + 1) // parts) * CHUNK)
        _support_part(A, B, tol, lo, hi, cand_p, cand_q, dual, out)
