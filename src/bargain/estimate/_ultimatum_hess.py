"""The ultimatum log-likelihood with its gradient and analytic Hessian (NumPy).

Per observation the log-likelihood depends on the four indices ``w = (R1, R2, l1, l2)``
(reservation values and log scales) through ``h = g/s1`` and ``u = (y − R2)/s2`` (see
:mod:`bargain.estimate._ultimatum`)::

    ℓ = A(h) + B(u) − [interior] l1,
    ∇²ℓ = A'' ∇h ∇hᵀ + A' ∇²h + B'' ∇u ∇uᵀ + B' ∇²u,

with ``A`` the log density's (or the atom's) part in ``h`` and ``B`` the rest in ``u``
(the density's Jacobian ``log(1 + eᵘ)`` and, with ``outcome="both"``, the acceptance);
``g = Q − y − R1 − m``, ``m = s2 (1 + eᵘ)``.  The parameters enter the indices linearly
(``R1 = Xβ``, ``R2 = Zγ``, the log scales as constants), so the parameter Hessian is a
sum of ``Dₑᵀ diag(∂²ℓ/∂wₑ∂w_f) D_f`` blocks.  :func:`ultimatum_fused` is the same in
one Numba pass (what the fit uses); :func:`ultimatum_value_grad_hess` is the NumPy
reference the tests compare it with.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from scipy import special

__all__ = ["ultimatum_fused", "ultimatum_stack", "ultimatum_value_grad_hess"]


def _sp(x):
    return np.logaddexp(0.0, x)


def ultimatum_value_grad_hess(model, theta, y, a, mats, hess=True):
    """Total log-likelihood, gradient and (if `hess`) Hessian of an ``_Ultimatum`` model."""
    b, g, l1, l2 = model._split(np.asarray(theta, dtype=float))
    X, Z = mats
    n = len(y)
    s1, s2 = np.exp(l1), np.exp(l2)
    r1, r2 = X @ b, Z @ g
    u = (y - r2) / s2
    e = np.exp(np.minimum(u, 700.0))
    m = s2 * (1.0 + e)
    h = (model.q - y - r1 - m) / s1
    at_lo = np.abs(y - model.lo) < model.tol
    at_hi = np.abs(y - model.q) < model.tol
    bound = at_lo | at_hi
    lh, lmh = special.expit(h), special.expit(-h)
    lu, lmu = special.expit(u), special.expit(-u)
    # A(h): the atom at a bound or the density's logistic part; its derivatives in h
    ll = np.where(at_lo, -_sp(h), np.where(at_hi, -_sp(-h), -_sp(h) - _sp(-h) + _sp(u) - l1))
    A1 = np.where(at_lo, -lh, np.where(at_hi, lmh, lmh - lh))
    A2 = np.where(bound, -lh * lmh, -2.0 * lh * lmh)
    # B(u): log(1 + eᵘ) inside, and the acceptance
    B1 = np.where(bound, 0.0, lu)
    B2 = np.where(bound, 0.0, lu * lmu)
    if model.both:
        acc = a == 1
        ll = ll + np.where(acc, -_sp(-u), -_sp(u))
        B1 = B1 + np.where(acc, lmu, -lu)
        B2 = B2 - lu * lmu
    # w = (R1, R2, l1, l2): gradients of u and h, and their second derivatives
    zero = np.zeros(n)
    gu = [zero, -1.0 / s2 + zero, zero, -u]
    m_l2 = m - s2 * e * u
    gG = [-1.0 + zero, e, zero, -m_l2]  # g = Q − y − R1 − m
    gh = [gG[0] / s1, gG[1] / s1, -h, gG[3] / s1]
    dl = [A1 * gh[j] + B1 * gu[j] for j in range(4)]
    dl[2] = dl[2] - np.where(bound, 0.0, 1.0)
    total = float(ll.sum())
    # the design of each index (the log scales: a column of ones) and the parameter order
    ones = np.ones((n, 1))
    blocks = [(0, X), (1, Z)]
    for j, fixed in ((2, model.fixed_s[0]), (3, model.fixed_s[1])):
        if fixed is None:
            blocks.append((j, ones))
    grad = np.concatenate([D.T @ dl[j] for j, D in blocks])
    if not hess:
        return total, grad, None
    Hu = {(1, 3): 1.0 / s2 + zero, (3, 3): u}
    Hm = {(1, 1): e / s2, (1, 3): e * u, (3, 3): m_l2 + s2 * e * u * u}
    Hh = {}
    for (i, j), v in Hm.items():
        Hh[(i, j)] = -v / s1  # ∇²g = −∇²m
    for j in (0, 1, 3):
        Hh[(min(j, 2), max(j, 2))] = -gh[j]  # ∂²h/∂l1∂x = −∂h/∂x
    Hh[(2, 2)] = h

    def w2(i, j):
        i, j = min(i, j), max(i, j)
        out = A2 * gh[i] * gh[j] + B2 * gu[i] * gu[j]
        if (i, j) in Hh:
            out = out + A1 * Hh[(i, j)]
        if (i, j) in Hu:
            out = out + B1 * Hu[(i, j)]
        return out

    k = len(grad)
    H = np.empty((k, k))
    starts = np.cumsum([0] + [D.shape[1] for _, D in blocks])
    for p, (i, Di) in enumerate(blocks):
        for q, (j, Dj) in enumerate(blocks[: p + 1]):
            blk = (Di * w2(i, j)[:, None]).T @ Dj
            H[starts[p] : starts[p + 1], starts[q] : starts[q + 1]] = blk
            H[starts[q] : starts[q + 1], starts[p] : starts[p + 1]] = blk.T
    return total, grad, H


@njit(cache=True, inline="always")
def _spn(x):
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


@njit(cache=True, inline="always")
def _lam(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    ex = math.exp(x)
    return ex / (1.0 + ex)


@njit(cache=True)
def _chunk(y, acc, X, eq, offset, theta, q, lo_offer, tol, both, hess, lo, hi, g_out, h_out):
    k = X.shape[1]
    w = np.zeros(4)
    gu = np.zeros(4)
    gh = np.zeros(4)
    dl = np.zeros(4)
    Hw = np.zeros((4, 4))
    total = 0.0
    for i in range(lo, hi):
        for j in range(4):
            w[j] = offset[j]
        for j in range(k):
            w[eq[j]] += X[i, j] * theta[j]
        r1, r2, l1, l2 = w[0], w[1], w[2], w[3]
        s1 = math.exp(l1)
        s2 = math.exp(l2)
        yi = y[i]
        u = (yi - r2) / s2
        e = math.exp(min(u, 700.0))
        m = s2 * (1.0 + e)
        h = (q - yi - r1 - m) / s1
        at_lo = abs(yi - lo_offer) < tol
        at_hi = abs(yi - q) < tol
        bound = at_lo or at_hi
        lh, lmh = _lam(h), _lam(-h)
        lu, lmu = _lam(u), _lam(-u)
        if at_lo:
            ll, A1, A2 = -_spn(h), -lh, -lh * lmh
        elif at_hi:
            ll, A1, A2 = -_spn(-h), lmh, -lh * lmh
        else:
            ll = -_spn(h) - _spn(-h) + _spn(u) - l1
            A1, A2 = lmh - lh, -2.0 * lh * lmh
        B1 = 0.0 if bound else lu
        B2 = 0.0 if bound else lu * lmu
        if both:
            if acc[i] == 1:
                ll -= _spn(-u)
                B1 += lmu
            else:
                ll -= _spn(u)
                B1 -= lu
            B2 -= lu * lmu
        total += ll
        m_l2 = m - s2 * e * u
        gu[0], gu[1], gu[2], gu[3] = 0.0, -1.0 / s2, 0.0, -u
        gh[0], gh[1], gh[2], gh[3] = -1.0 / s1, e / s1, -h, -m_l2 / s1
        for j in range(4):
            dl[j] = A1 * gh[j] + B1 * gu[j]
        if not bound:
            dl[2] -= 1.0
        for j in range(k):
            g_out[j] += X[i, j] * dl[eq[j]]
        if not hess:
            continue
        for a in range(4):
            for b in range(4):
                Hw[a, b] = A2 * gh[a] * gh[b] + B2 * gu[a] * gu[b]
        Hw[1, 1] += -A1 * e / s2 / s1
        Hw[1, 3] += -A1 * e * u / s1 + B1 / s2
        Hw[3, 3] += -A1 * (m_l2 + s2 * e * u * u) / s1 + B1 * u
        Hw[0, 2] += -A1 * gh[0]
        Hw[1, 2] += -A1 * gh[1]
        Hw[2, 3] += -A1 * gh[3]
        Hw[2, 2] += A1 * h
        for a in range(4):
            for b in range(a):
                Hw[a, b] = Hw[b, a]
        for j in range(k):
            xj = X[i, j]
            ej = eq[j]
            for c in range(j + 1):
                h_out[j, c] += xj * X[i, c] * Hw[ej, eq[c]]
    return total


@njit(cache=True, parallel=True)
def _fused(y, acc, X, eq, offset, theta, q, lo_offer, tol, both, hess, n_chunks, ll, g, h):
    n = y.shape[0]
    size = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = c * size
        hi = min(n, lo + size)
        if lo < hi:
            ll[c] = _chunk(
                y, acc, X, eq, offset, theta, q, lo_offer, tol, both, hess, lo, hi, g[c], h[c]
            )


def ultimatum_stack(model, mats):
    """The stacked design ``[X | Z | 1 (log s1, if estimated) | 1 (log s2)]``, each
    column's index (R1, R2, l1, l2) and the fixed log scales as offsets."""
    X, Z = mats
    n = X.shape[0]
    cols, eq = [X, Z], [0] * X.shape[1] + [1] * Z.shape[1]
    offset = np.zeros(4)
    for j, fixed in ((2, model.fixed_s[0]), (3, model.fixed_s[1])):
        if fixed is None:
            cols.append(np.ones((n, 1)))
            eq.append(j)
        else:
            offset[j] = fixed
    return np.ascontiguousarray(np.hstack(cols), dtype=float), np.array(eq, np.int64), offset


def ultimatum_fused(model, theta, y, a, stacked, hess=True):
    """Log-likelihood, gradient and Hessian of an ``_Ultimatum`` model in one Numba pass."""
    X, eq, offset = stacked
    n, k = X.shape
    n_chunks = int(max(1, min(64, n // 20_000)))
    ll, g, h = np.zeros(n_chunks), np.zeros((n_chunks, k)), np.zeros((n_chunks, k, k))
    acc = np.zeros(n, np.int64) if a is None else np.asarray(a, dtype=np.int64)
    args = (
        np.asarray(y, dtype=float), acc, X, eq, offset, np.array(theta, dtype=float),
        float(model.q), float(model.lo), float(model.tol), bool(model.both), hess,
    )  # fmt: skip
    if n_chunks == 1:
        ll[0] = _chunk(*args, 0, n, g[0], h[0])
    else:
        _fused(*args, n_chunks, ll, g, h)
    H = h.sum(axis=0)
    return float(ll.sum()), g.sum(axis=0), np.tril(H) + np.tril(H, -1).T
