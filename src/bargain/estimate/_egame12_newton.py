"""The egame12 log-likelihood, gradient and analytic Hessian in one fused Numba pass.

The kernel reads the stacked design matrix (one row per observation, one column per
parameter) and forms the six linear indices ``(u11, u13, u14, u24, lv1, lv2)`` itself,
so a Newton step costs one pass over the data and no NumPy temporaries.  Observations
are split into chunks run in parallel (``prange``); each chunk sums its own log-likelihood,
gradient and Hessian, and the chunks are added at the end (a fixed order, so results do
not depend on the thread schedule).

Second derivatives, with ``a4 = u24 c`` (``c = e^{-lv2}/√2``), ``p4 = F(a4)``,
``N = u13 + p4 (u14 − u13) − u11``, ``z2 = N E r`` (``E = e^{-lv1}``, ``r = 1/√2`` under
agent error or ``1/√(1 + p3² + p4²)`` under private information) and
``ℓ = A(z2) + B(a4)`` (``A``, ``B`` the log of a CDF or of its complement): the Hessian in
``w = (u11, u13, u14, a4, lv1, lv2)`` is ``A'' ∇z ∇zᵀ + A' ∇²z + B'' e₄e₄ᵀ`` with the
product rule for ``∇²(N E r)``, then ``a4`` is mapped back to ``(u24, lv2)`` by the chain
rule ``Jᵀ H J + (∂ℓ/∂a4) ∇²a4``.  ``tests/estimate/test_egame12_hessian.py`` checks it
against finite differences of the gradient.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

__all__ = ["egame12_fused"]

_SQRT2 = math.sqrt(2.0)
_EPS = np.finfo(float).eps
_HI = 1.0 - np.finfo(float).epsneg
_INV_SQRT2PI = 1.0 / np.sqrt(2.0 * np.pi)


@njit(cache=True, inline="always")
def _cdf3(z, logit):
    """F(z) clipped into (0, 1), F'(z), F''(z)."""
    if logit:
        e = 1.0 / (1.0 + math.exp(-z)) if z > -700.0 else 0.0
        f = e * (1.0 - e)
        fp = f * (1.0 - 2.0 * e)
    else:
        e = 0.5 * math.erfc(-z / _SQRT2)
        f = math.exp(-0.5 * z * z) * _INV_SQRT2PI
        fp = -z * f
    return min(max(e, _EPS), _HI), f, fp


@njit(cache=True, inline="always")
def _log_side(p, f, fp, upper):
    """log p (upper) or log(1 − p), with first and second derivatives in z."""
    if upper:
        q = f / p
        return math.log(p), q, fp / p - q * q
    m = 1.0 - p
    q = f / m
    return math.log(m), -q, -fp / m - q * q


@njit(cache=True)
def _chunk(y, X, eq, S, offset, theta, logit, private, scaled, hess, lo, hi, g_out, h_out):
    k = X.shape[1]
    n_eq = S.shape[1]
    lin = np.zeros(n_eq)
    v = np.zeros(6)
    gN = np.zeros(6)
    gz = np.zeros(6)
    gw = np.zeros(6)
    Hz = np.zeros((6, 6))
    Hw = np.zeros((6, 6))
    Hv = np.zeros((6, 6))
    ja = np.zeros(6)
    g_eq = np.zeros(n_eq)
    h_eq = np.zeros((n_eq, n_eq))
    total = 0.0
    for i in range(lo, hi):
        for e in range(n_eq):
            lin[e] = 0.0
        for j in range(k):
            lin[eq[j]] += X[i, j] * theta[j]
        for a in range(6):
            s = offset[a]
            for e in range(n_eq):
                s += S[a, e] * lin[e]
            v[a] = s
        u11, u13, u14, u24 = v[0], v[1], v[2], v[3]
        if scaled:
            c = math.exp(-v[5]) / _SQRT2
            E = math.exp(-v[4])
        else:
            c = 1.0 / _SQRT2
            E = 1.0
        a4 = u24 * c
        p4, f4, f4p = _cdf3(a4, logit)
        p3 = 1.0 - p4
        D = u14 - u13
        N = u13 + p4 * D - u11
        if private:
            s = math.sqrt(1.0 + p3 * p3 + p4 * p4)
            s1 = (2.0 * p4 - 1.0) / s
            s2 = 2.0 / s - (2.0 * p4 - 1.0) ** 2 / s**3
            r = 1.0 / s
            dr = -s1 / (s * s)
            ddr = -s2 / (s * s) + 2.0 * s1 * s1 / s**3
            rp = dr * f4
            rpp = ddr * f4 * f4 + dr * f4p
        else:
            r = 1.0 / _SQRT2
            rp = 0.0
            rpp = 0.0
        z2 = N * E * r
        p2, f2, f2p = _cdf3(z2, logit)
        yi = y[i]
        la, a1, a2 = _log_side(p2, f2, f2p, yi != 0)
        if yi == 0:
            lb, b1, b2 = 0.0, 0.0, 0.0
        else:
            lb, b1, b2 = _log_side(p4, f4, f4p, yi == 2)
        total += la + lb
        # gradients in w = (u11, u13, u14, a4, lv1, lv2) of N, E (index 4) and r (index 3)
        gN[0] = -1.0
        gN[1] = 1.0 - p4
        gN[2] = p4
        gN[3] = f4 * D
        gN[4] = 0.0
        gN[5] = 0.0
        for a in range(6):
            gz[a] = E * r * gN[a]
        gz[4] += -N * r * E
        gz[3] += N * E * rp
        for a in range(6):
            gw[a] = a1 * gz[a]
        gw[3] += b1
        # map a4 back to (u24, lv2): J's row 3 is (0, 0, 0, c, 0, −a4)
        ja[3] = c
        ja[5] = -a4
        for e in range(n_eq):
            acc = 0.0
            for a in range(6):
                if a == 3:
                    continue
                acc += S[a, e] * gw[a]
            acc += gw[3] * (S[3, e] * c - S[5, e] * a4)
            g_eq[e] = acc
        for j in range(k):
            g_out[j] += X[i, j] * g_eq[eq[j]]
        if not hess:
            continue
        # ∇²z in w: product rule for N·E·r
        for a in range(6):
            for b in range(6):
                Hz[a, b] = 0.0
        Hz[3, 3] = E * r * f4p * D + N * E * rpp
        Hz[1, 3] = -E * r * f4
        Hz[2, 3] = E * r * f4
        Hz[4, 4] = N * r * E
        for a in range(6):
            # r (gN gEᵀ + gE gNᵀ) with gE = −E e₄;  E (gN grᵀ + gr gNᵀ) with gr = rp e₃
            Hz[a, 4] += -r * E * gN[a]
            Hz[a, 3] += E * rp * gN[a]
        Hz[3, 3] += E * rp * gN[3]  # the diagonal of the one-sided terms counts twice
        Hz[4, 3] += -N * E * rp  # N (gE grᵀ + gr gEᵀ), one triangle
        for a in range(6):
            for b in range(a, 6):
                Hz[a, b] = Hz[a, b] + Hz[b, a] if a != b else Hz[a, a]
                Hz[b, a] = Hz[a, b]
        for a in range(6):
            for b in range(6):
                Hw[a, b] = a2 * gz[a] * gz[b] + a1 * Hz[a, b]
        Hw[3, 3] += b2
        # Jᵀ Hw J + gw[3] ∇²a4 (∇²a4: (u24, lv2) = −c, (lv2, lv2) = a4)
        for a in range(6):
            for b in range(6):
                Hv[a, b] = Hw[a, b]
        for b in range(6):
            t = Hw[3, b]
            Hv[3, b] = c * t
            Hv[5, b] += -a4 * t
        for a in range(6):
            t = Hv[a, 3]
            Hv[a, 3] = c * t
            Hv[a, 5] += -a4 * t
        Hv[3, 5] += -gw[3] * c
        Hv[5, 3] += -gw[3] * c
        Hv[5, 5] += gw[3] * a4
        for e in range(n_eq):
            for f in range(e, n_eq):
                acc = 0.0
                for a in range(6):
                    if S[a, e] != 0.0:
                        for b in range(6):
                            if S[b, f] != 0.0:
                                acc += S[a, e] * S[b, f] * Hv[a, b]
                h_eq[e, f] = acc
                h_eq[f, e] = acc
        for j in range(k):
            xj = X[i, j]
            ej = eq[j]
            for m in range(j + 1):
                h_out[j, m] += xj * X[i, m] * h_eq[ej, eq[m]]
    return total


@njit(cache=True, parallel=True)
def _fused(y, X, eq, S, offset, theta, logit, private, scaled, hess, n_chunks, ll, g, h):
    n = y.shape[0]
    size = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = c * size
        hi = min(n, lo + size)
        if lo < hi:
            ll[c] = _chunk(
                y, X, eq, S, offset, theta, logit, private, scaled, hess, lo, hi, g[c], h[c]
            )


def egame12_fused(y, X, eq, S, offset, theta, *, logit, private, scaled, hess, n_chunks=None):
    """Total log-likelihood, gradient and (if `hess`) Hessian in the parameters.

    `X` is the stacked ``(n, k)`` design (C order), ``eq[j]`` the equation of column
    ``j``, ``S[a, e]`` how much equation ``e`` adds to index ``a`` of
    ``(u11, u13, u14, u24, lv1, lv2)`` and ``offset`` the fixed part of each index.
    `n_chunks` (default: one per 20,000 rows, at most 64) splits the rows for threads.
    """
    n, k = X.shape
    if n_chunks is None:  # chunks of at least 20,000 rows: small data sets stay on one thread
        n_chunks = int(max(1, min(64, n // 20_000)))
    ll = np.zeros(n_chunks)
    g = np.zeros((n_chunks, k))
    h = np.zeros((n_chunks, k, k))
    if n_chunks == 1:  # one chunk: no thread launch (it costs milliseconds on a busy machine)
        ll[0] = _chunk(y, X, eq, S, offset, theta, logit, private, scaled, hess, 0, n, g[0], h[0])
    else:
        _fused(y, X, eq, S, offset, theta, logit, private, scaled, hess, n_chunks, ll, g, h)
    H = h.sum(axis=0)
    H = np.tril(H) + np.tril(H, -1).T
    return float(ll.sum()), g.sum(axis=0), H
