"""Array versions of the QRE homotopy's innermost kernels, for the interpreted path.

A small stochastic game whose QRE kernels are neither compiled nor in Numba's cache is
solved by their interpreted twins (:func:`bargain.solvers._interpreted.interpreted`): a
first compile of the homotopy costs ~45 s of CPU, while the interpreter follows the path
of a 16-state game in seconds.  Run statement by statement, the kernels' scalar loops are
what the interpreter is slowest at; the functions here compute the same quantities with
whole-array NumPy operations (the same formulas, summed in the same order where a sum
has more than two terms, so results agree with the kernels to rounding), and
:func:`register` makes the interpreted twins call them in place of the kernels'
statements.  The compiled path never uses them.

Each function keeps its kernel's signature and contract (the same outputs, the same
arrays written in place).  An input with a non-finite entry, where the kernels' scalar
comparisons and NumPy's ``argmax`` may disagree, is handed to the kernel's own
statements.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from bargain.dynamic import _blocks, _kernels
from bargain.dynamic._blocks import LOCAL_SINGULAR, OK, REDUCED_SINGULAR

#: index tables of the last few games seen (keyed by the identity and shape of their
#: arrays): decoding action profiles costs more than the arithmetic on small games
_TABLES: dict[tuple, Any] = {}
_MAX_TABLES = 8


def _plain(kernel: Any) -> Any:
    """The kernel's own statements, interpreted, with interpreted callees (nothing
    compiles): what an array version falls back to on a non-finite input."""
    from bargain.solvers._interpreted import interpreted

    return interpreted(kernel, own=True)


def _tables(U: np.ndarray, nA: np.ndarray, strides: np.ndarray, nprof: np.ndarray) -> Any:
    """Per game: each profile's actions ``act[s, p, i]``, the valid profiles, the padded
    action mask, and the flat (s, i, a) position of every (s, p, i)."""
    key = (id(U), U.shape, nA.tobytes(), strides.tobytes(), nprof.tobytes())
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is U:
        return hit[1]
    S, P, N = U.shape
    A = int(nA.max())
    p = np.arange(P)
    act = (p[None, :, None] // strides[:, None, :]) % np.maximum(nA[:, None, :], 1)
    valid = p[None, :] < nprof[:, None]  # (S, P)
    act = np.where(valid[..., None], act, 0)
    amask = np.arange(A)[None, None, :] < nA[:, :, None]  # (S, N, A)
    sidx = np.arange(S)[:, None, None]
    iidx = np.arange(N)[None, None, :]
    flat = (sidx * N + iidx) * A + act  # (S, P, N) position in (S, N, A)
    others = ~np.eye(N, dtype=bool)  # others[i, j]: j is an opponent of i
    t = (act, valid, amask, flat, others, A)
    if len(_TABLES) >= _MAX_TABLES:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[key] = (U, t)
    return t


def _opponent_products(g: np.ndarray, others: np.ndarray) -> np.ndarray:
    """``pm[s, p, i] = Π_{j ≠ i} g[s, p, j]`` (opponents multiplied in index order)."""
    N = g.shape[-1]
    pm = np.ones(g.shape)
    for j in range(N):
        pm = np.where(others[:, j][None, None, :], pm * g[..., j : j + 1], pm)
    return pm


def _q_values(U, T, delta, sigma, V, tabs) -> tuple[np.ndarray, ...]:
    act, valid, _amask, flat, others, A = tabs
    S, _P, N = U.shape
    g = np.take_along_axis(sigma, act.transpose(0, 2, 1), axis=2).transpose(0, 2, 1)  # (S,P,N)
    pm = _opponent_products(g, others) * valid[..., None]
    W = U + delta[None, None, :] * np.einsum("spt,ti->spi", T, V)
    contrib = np.where(pm != 0.0, pm * W, 0.0)
    Q = np.bincount(flat.ravel(), weights=contrib.ravel(), minlength=S * N * A)
    return Q.reshape(S, N, A), g, pm, W


def stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V):
    """:func:`bargain.dynamic._kernels.stage_derivatives` on whole arrays."""
    tabs = _tables(U, nA, strides, nprof)
    act, valid, _amask, flat, _others, A = tabs
    S, P, N = U.shape
    Q, g, pm, W = _q_values(U, T, delta, sigma, V, tabs)
    # dQ/dV[s, i, a_i, t] += pm δ_i T[s, p, t]
    wv = (pm * delta[None, None, :])[..., None] * T[:, :, None, :]  # (S, P, N, S)
    pos = flat[..., None] * S + np.arange(S)[None, None, None, :]
    dQV = np.bincount(pos.ravel(), weights=wv.ravel(), minlength=S * N * A * S)
    # dQ/dσ[s, i, a_i, j, a_j] += Π_{k ≠ i, j} σ W_i, for j ≠ i
    dQs = np.zeros(S * N * A * N * A)
    sidx = np.arange(S)[:, None]
    for i in range(N):
        for j in range(N):
            if j == i:
                continue
            pj = np.ones((S, P))
            for k in range(N):
                if k != i and k != j:
                    pj = pj * g[..., k]
            w = pj * W[..., i] * valid
            pos = ((((sidx * N + i) * A + act[..., i]) * N + j) * A) + act[..., j]
            dQs += np.bincount(pos.ravel(), weights=w.ravel(), minlength=dQs.size)
    return Q, dQs.reshape(S, N, A, N, A), dQV.reshape(S, N, A, S)


def residual(U, T, nA, strides, delta, nprof, off, nb, x, sigma, Q, act, H):
    """:func:`bargain.dynamic._kernels.residual` on whole arrays (writes `sigma`, `Q`,
    `H`; `act` is left alone)."""
    if not np.isfinite(x).all():
        return _plain(_kernels.residual)(
            U, T, nA, strides, delta, nprof, off, nb, x, sigma, Q, act, H
        )
    tabs = _tables(U, nA, strides, nprof)
    amask = tabs[2]
    S, _, N = U.shape
    A = tabs[5]
    n = x.size - 1
    lam = x[n]
    pos = off[:, :, None] + np.arange(A)[None, None, :]
    beta = x[np.where(amask, pos, 0)]
    sigma[:, :, :A] = np.where(amask, np.exp(beta), 0.0)
    V = x[nb : nb + S * N].reshape(S, N)
    Qn = _q_values(U, T, delta, sigma[:, :, :A], V, tabs)[0]
    Q[:, :, :A] = Qn
    H[off] = np.where(amask, sigma[:, :, :A], 0.0).sum(axis=2) - 1.0
    rows = amask.copy()
    rows[:, :, 0] = False
    d = beta - beta[:, :, :1] - lam * (Qn - Qn[:, :, :1])
    H[pos[rows]] = d[rows]
    ev = (np.where(amask, sigma[:, :, :A] * Qn, 0.0)).sum(axis=2)
    H[nb : nb + S * N] = (V - ev).ravel()


def all_finite(a):
    """:func:`bargain.dynamic._blocks.all_finite`."""
    return bool(np.isfinite(a).all())


def lu_factor(A):
    """:func:`bargain.dynamic._blocks.lu_factor` by LAPACK (SciPy's ``lu_factor``, the
    same partial pivoting and pivot format); ok False for a zero or non-finite pivot."""
    from scipy.linalg import lu_factor as lapack_lu

    n = A.shape[0]
    if not np.isfinite(A).all():
        return _plain(_blocks.lu_factor)(A)
    with warnings.catch_warnings():  # a singular matrix is reported by `ok`, not warned
        warnings.simplefilter("ignore")
        LU, piv = lapack_lu(A, check_finite=False)
    A[:] = LU
    d = np.abs(np.diag(LU))
    ok = bool(n == 0 or ((d > 0.0).all() and np.isfinite(LU).all()))
    return piv.astype(np.int64), ok


def lu_solve_inplace(LU, piv, x):
    """:func:`bargain.dynamic._blocks.lu_solve_inplace` by LAPACK (SciPy's ``lu_solve``)."""
    from scipy.linalg import lu_solve

    x[:] = lu_solve((LU, piv), x, check_finite=False)


def _block_tables(nA: np.ndarray, off: np.ndarray) -> Any:
    """Index tables of :func:`homotopy_blocks`: each (s, i, a)'s local column, the valid
    triples, and the local row of each value equation."""
    key = ("blocks", nA.tobytes(), off.tobytes())
    hit = _TABLES.get(key)
    if hit is not None:
        return hit
    _S, N = nA.shape
    A = int(nA.max())
    amask = np.arange(A)[None, None, :] < nA[:, :, None]
    lc = (off - off[:, :1])[:, :, None] + np.arange(A)[None, None, :]
    sI, iI, aI = np.nonzero(amask)
    ks = nA.sum(axis=1)
    vrow = ks[:, None] + np.arange(N)[None, :]  # (S, N)
    t = (amask, lc, sI, iI, aI, ks, vrow)
    if len(_TABLES) >= _MAX_TABLES:
        _TABLES.pop(next(iter(_TABLES)))
    _TABLES[key] = t
    return t


def homotopy_blocks(U, T, nA, strides, delta, nprof, off, nb, x, Bl, Bg):
    """:func:`bargain.dynamic._blocks.homotopy_blocks` with every entry of a kind written
    at once (each entry is one product or a sum over own actions in index order, as in
    the kernel)."""
    if not np.isfinite(x).all():
        return _plain(_blocks.homotopy_blocks)(U, T, nA, strides, delta, nprof, off, nb, x,
                                               Bl, Bg)  # fmt: skip
    S, _, N = U.shape
    n = x.size - 1
    lam = x[n]
    G = S * N
    amask, lc, sI, iI, aI, _ks, vrow = _block_tables(nA, off)
    A = amask.shape[2]
    pos = np.where(amask, off[:, :, None] + np.arange(A)[None, None, :], 0)
    sigma = np.where(amask, np.exp(x[pos]), 0.0)
    V = x[nb : nb + G].reshape(S, N)
    Q, dQs, dQV = stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V)
    H = np.zeros(n)
    Bl[:] = 0.0
    Bg[:] = 0.0
    # normalization rows (the row of each player's first action)
    Bl[sI, lc[sI, iI, 0], lc[sI, iI, aI]] = sigma[sI, iI, aI]
    H[off] = sigma.sum(axis=2) - 1.0
    # logit rows, a >= 1
    m = aI >= 1
    s2, i2, a2 = sI[m], iI[m], aI[m]
    r2 = lc[s2, i2, a2]
    dQ = Q[s2, i2, a2] - Q[s2, i2, 0]
    H[off[s2, i2] + a2] = x[off[s2, i2] + a2] - x[off[s2, i2]] - lam * dQ
    Bl[s2, r2, r2] += 1.0
    Bl[s2, r2, lc[s2, i2, 0]] -= 1.0
    D = (dQs - dQs[:, :, :1]) * sigma[:, None, None, :, :]  # (S, N, A, N, A)
    # the value rows' opponent terms: (Σ_a σ_sia dQs[s, i, a, j, b]) σ_sjb
    E = np.einsum("sia,siajb->sijb", sigma, dQs) * sigma[:, None, :, :]
    sv = np.arange(S)
    for j in range(N):
        for b in range(A):
            v = (i2 != j) & (b < nA[s2, j])
            Bl[s2[v], r2[v], lc[s2[v], j, b]] -= lam * D[s2[v], i2[v], a2[v], j, b]
            for i in range(N):
                if i == j:
                    continue
                w = b < nA[:, j]
                Bl[sv[w], vrow[w, i], lc[sv[w], j, b]] -= E[sv[w], i, j, b]
    cols = np.arange(S)[None, :] * N + i2[:, None]  # (m, S): V_ti of the row's player
    Bg[s2[:, None], r2[:, None], cols] -= lam * (dQV[s2, i2, a2, :] - dQV[s2, i2, 0, :])
    Bg[s2, r2, G] = -dQ
    # value rows
    Bl[sI, vrow[sI, iI], lc[sI, iI, aI]] -= sigma[sI, iI, aI] * Q[sI, iI, aI]
    H[nb : nb + G] = (V - (sigma * Q).sum(axis=2)).ravel()
    si = np.arange(S)[:, None]
    ii = np.arange(N)[None, :]
    Bg[si, vrow, si * N + ii] += 1.0
    dv = np.einsum("sia,siat->sit", sigma, dQV)  # (S, N, S)
    for t in range(S):
        Bg[si, vrow, t * N + ii] -= dv[:, :, t]
    return H


_GROUPS: dict[bytes, list] = {}


def _groups(ks: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """The states grouped by their number of local columns: ``[(k, states), ...]``."""
    key = ks.tobytes()
    hit = _GROUPS.get(key)
    if hit is None:
        if len(_GROUPS) >= _MAX_TABLES:
            _GROUPS.pop(next(iter(_GROUPS)))
        hit = _GROUPS[key] = [(int(k), np.flatnonzero(ks == k)) for k in np.unique(ks)]
    return hit


def block_factor(Bl, Bg, ks, loff, N, border):
    """:func:`bargain.dynamic._blocks.block_factor`: the eliminations of all states with
    the same number of local columns at once (the border's sum over states then runs in
    another order: the factors agree to rounding)."""
    if not (np.isfinite(Bl).all() and np.isfinite(Bg).all() and np.isfinite(border).all()):
        return _plain(_blocks.block_factor)(Bl, Bg, ks, loff, N, border)
    S, _, K = Bl.shape
    G = Bg.shape[2]
    nbl = int(loff[S - 1] + ks[S - 1])
    has_border = border.size > 0
    perm = np.zeros((S, K), dtype=np.int64)
    mult = np.zeros(nbl if has_border else 0)
    R = np.zeros((G, G))
    rpiv = np.zeros(G, dtype=np.int64)
    bl = np.zeros(nbl)
    if has_border:
        bl[:] = border[:nbl]
        R[G - 1, :] = border[nbl:]
    for k, g in _groups(ks):
        rows = k + N
        o0 = loff[g]
        L, Gs = Bl[g], Bg[g]  # copies, written back below
        at = np.arange(g.size)
        for c in range(k):
            p = c + np.argmax(np.abs(L[:, c:rows, c]), axis=1)
            if not (np.abs(L[at, p, c]) > 0.0).all():
                return perm, mult, R, rpiv, LOCAL_SINGULAR
            perm[g, c] = p
            rc, gc = L[at, c, :k].copy(), Gs[at, c, :].copy()
            L[at, c, :k], Gs[at, c, :] = L[at, p, :k], Gs[at, p, :]
            L[at, p, :k], Gs[at, p, :] = rc, gc
            inv = 1.0 / L[:, c, c]
            f = L[:, c + 1 : rows, c] * inv[:, None]
            L[:, c + 1 : rows, c] = f
            L[:, c + 1 : rows, c + 1 : k] -= f[:, :, None] * L[:, c, None, c + 1 : k]
            Gs[:, c + 1 : rows, :] -= f[:, :, None] * Gs[:, c, None, :]
            if has_border:
                fb = bl[o0 + c] * inv
                mult[o0 + c] = fb
                cols = o0[:, None] + np.arange(c + 1, k)[None, :]
                bl[cols] -= fb[:, None] * L[:, c, c + 1 : k]
                R[G - 1, :] -= fb @ Gs[:, c, :]
        Bl[g], Bg[g] = L, Gs
        R[(g[:, None] * N + np.arange(N)[None, :]).ravel()] = Gs[:, k : k + N, :].reshape(-1, G)
    if not np.isfinite(R).all():
        return perm, mult, R, rpiv, LOCAL_SINGULAR
    rpiv, ok = lu_factor(R)
    return perm, mult, R, rpiv, OK if ok else REDUCED_SINGULAR


_ORDERS: dict[int, tuple] = {}


def _orders(perm: np.ndarray, ks: np.ndarray, N: int) -> list[np.ndarray]:
    """Per group of :func:`_groups`, the row order that the interchanges of `perm` leave
    (cached for the factors in use: each is applied to several right-hand sides)."""
    hit = _ORDERS.get(id(perm))
    if hit is not None and hit[0] is perm:
        return hit[1]
    out = []
    for k, g in _groups(ks):
        order = np.tile(np.arange(k + N), (g.size, 1))
        at = np.arange(g.size)
        for c in range(k):
            p = perm[g, c]
            oc = order[at, c].copy()
            order[at, c] = order[at, p]
            order[at, p] = oc
        out.append(order)
    _ORDERS.clear()  # only the latest factors are reused
    _ORDERS[id(perm)] = (perm, out)
    return out


def _forward(Bl, ks, loff, N, perm, mult, x, w):
    """:func:`bargain.dynamic._blocks._forward` for all states with the same number of
    local columns at once (`w` is not used)."""
    S = Bl.shape[0]
    nbl = int(loff[S - 1] + ks[S - 1])
    has_border = mult.size > 0
    for (k, g), order in zip(_groups(ks), _orders(perm, ks, N), strict=True):
        o0 = loff[g]
        lcols = o0[:, None] + np.arange(k)[None, :]
        gcols = nbl + g[:, None] * N + np.arange(N)[None, :]
        W = np.concatenate([x[lcols], x[gcols]], axis=1)  # (states, k + N)
        W = np.take_along_axis(W, order, axis=1)
        L = Bl[g]
        for c in range(k):
            wc = W[:, c]
            W[:, c + 1 :] -= L[:, c + 1 : k + N, c] * wc[:, None]
            if has_border:
                x[-1] -= mult[o0 + c] @ wc
        x[lcols] = W[:, :k]
        x[gcols] = W[:, k:]


def _backward(Bl, Bg, ks, loff, x):
    """:func:`bargain.dynamic._blocks._backward` for all states with the same number of
    local columns at once: the global unknowns' terms in one product, then back
    substitution."""
    G = Bg.shape[2]
    nbl = x.size - G
    xg = x[nbl:]
    for k, g in _groups(ks):
        lcols = loff[g][:, None] + np.arange(k)[None, :]
        xl = x[lcols] - Bg[g, :k, :] @ xg
        L = Bl[g]
        for c in range(k - 1, -1, -1):
            acc = xl[:, c] - np.einsum("sj,sj->s", L[:, c, c + 1 : k], xl[:, c + 1 : k])
            xl[:, c] = acc / L[:, c, c]
        x[lcols] = xl


def _correct(U, T, nA, strides, delta, nprof, off, nb, y, Bl, Bg, fac, ws, max_iter, radius,
             ratio):  # fmt: skip
    """:func:`bargain.dynamic._trace._correct` with its loops over the unknowns as array
    operations."""
    from bargain.dynamic import _trace
    from bargain.solvers._interpreted import interpreted

    solve = interpreted(_blocks.block_solve_inplace)
    n = y.size
    N = nA.shape[1]
    sigma, Q, act, H, b, w, ks, loff = ws
    perm, mult, R, rpiv = fac
    last = np.inf
    first = 0.0
    kappa = 0.0
    for it in range(max_iter):
        residual(U, T, nA, strides, delta, nprof, off, nb, y, sigma, Q, act, H)
        if not np.isfinite(H).all():
            return False, first, kappa
        res = float(np.abs(H).max()) if H.size else 0.0
        b[: n - 1] = -H
        b[n - 1] = 0.0
        solve(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, b, w)
        size = float(np.abs(b).max())
        if (
            not np.isfinite(size)
            or size > radius
            or (it > 0 and size > ratio * last and last > 1e-8)
        ):
            return False, first, kappa
        if it == 0:
            first = size
        elif last > 1e-8:
            kappa = max(kappa, size / last)
        y += b
        big = float(np.abs(y).max())
        last = size
        if size <= _trace.CORRECTED_STEP * (1.0 + 1e-3 * big) and res < _trace.CORRECTED:
            return True, first, kappa
    residual(U, T, nA, strides, delta, nprof, off, nb, y, sigma, Q, act, H)
    return np.max(np.abs(H)) < _trace.CORRECTED, first, kappa


#: kernel -> its array version (read by :func:`register`)
TWINS = {
    _blocks.homotopy_blocks: homotopy_blocks,
    _kernels.stage_derivatives: stage_derivatives,
    _kernels.residual: residual,
    _blocks.all_finite: all_finite,
    _blocks.lu_factor: lu_factor,
    _blocks.lu_solve_inplace: lu_solve_inplace,
    _blocks.block_factor: block_factor,
    _blocks._forward: _forward,
    _blocks._backward: _backward,
}


def _trace_twins() -> dict:
    from bargain.dynamic import _trace

    return {_trace._correct: _correct}


_registered = False


def register() -> None:
    """Make the interpreted twins of the QRE kernels call the array versions above
    (once per process)."""
    global _registered
    from bargain.solvers._interpreted import override

    if _registered:
        return
    _registered = True
    for kernel, fn in {**TWINS, **_trace_twins()}.items():
        override(kernel, fn)
