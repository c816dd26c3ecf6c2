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
sum of ``Dₑᵀ diag(∂²ℓ/∂wₑ∂w_f) D_f`` blocks.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["ultimatum_value_grad_hess"]


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
