"""egame122 and egame123 (agent error, no scale equations): log-likelihood, gradient and
analytic Hessian in closed form, in one fused Numba pass.

The generic tree kernel (:mod:`bargain.estimate._tree_newton`) carries second
derivatives of every node's leaf probabilities through the tree; for these two fixed
shapes the log-likelihood of an observation is a sum of one log-CDF term per decision on
its path, ``ℓ = Σ_d A_d(c_d)`` (``A = log F`` or ``log(1 − F)``), so

    ∇ℓ = Σ_d A_d' ∇c_d,    ∇²ℓ = Σ_d (A_d'' ∇c_d ∇c_dᵀ + A_d' ∇²c_d),

with the decisions' indices ``c_d`` in the utilities ``v = V[p, t]`` (flat: ``q = 4p + t``).

egame122 (player 1 moves L or R, then player 2): ``a = (v₅ − v₄)/√2``, ``b = (v₇ − v₆)/√2``,
``p_L = F(a)``, ``p_R = F(b)``, ``c = ((1 − p_R) v₂ + p_R v₃ − (1 − p_L) v₀ − p_L v₁)/√2``;
``∇²c = [sym(∇p_L, e₀ − e₁) + sym(∇p_R, e₃ − e₂) + (v₃ − v₂) ∇²p_R − (v₁ − v₀) ∇²p_L]/√2``,
``sym(u, w) = u wᵀ + w uᵀ``.

egame123 (players 1, 2, 3 in turn, each stopping or passing on): ``c₃ = (v₁₁ − v₁₀)/√2``,
``c₂ = ((1 − p₃) v₆ + p₃ v₇ − v₅)/√2``, ``M = (1 − p₃) v₂ + p₃ v₃``,
``c₁ = ((1 − p₂) v₁ + p₂ M − v₀)/√2``; ``∇²c₂ = [sym(∇p₃, e₇ − e₆) + (v₇ − v₆) ∇²p₃]/√2``,
``∇²M = sym(∇p₃, e₃ − e₂) + (v₃ − v₂) ∇²p₃``,
``∇²c₁ = [sym(∇p₂, ∇M − e₁) + p₂ ∇²M + (M − v₁) ∇²p₂]/√2``, ``∇²p = F'' ∇c ∇cᵀ + F' ∇²c``.

The agent-error probabilities of Signorino (2003, *Political Analysis* 11: 316–344).
Checked against finite differences and the generic kernel in
``tests/estimate/test_shape_newton.py``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from bargain.estimate._egame12_newton import _cdf3, _log_side
from bargain.estimate._shape_private import A1 as _A1
from bargain.estimate._shape_private import A2 as _A2
from bargain.estimate._shape_private import A3 as _A3
from bargain.estimate._shape_private import DC3, DZ1, DZ2, N_SC, N_VEC, h123p, obs123p

__all__ = ["PRIVATE123", "SHAPES", "shape_newton"]

SHAPES = {"egame122": 0, "egame123": 1}
PRIVATE123 = 2  # egame123 under private information (:mod:`._shape_private`)
_R2 = 1.0 / math.sqrt(2.0)
CHUNK_ROWS = 20_000  # rows per parallel chunk: a 10^4-row pass is ~3 ms on one thread, and
# on a shared 2-core machine waking a second thread costs a scheduler tick (4 ms)


@njit(cache=True, inline="always")
def _h122(i, j, A2, A1, B2, dc, dw, dpl, dpr, da, db, d01, d32, kl, kr):
    d2c = (
        dpl[i] * d01[j] + d01[i] * dpl[j] + dpr[i] * d32[j] + d32[i] * dpr[j]
        + kr * db[i] * db[j] - kl * da[i] * da[j]
    ) * _R2  # fmt: skip
    return A2 * dc[i] * dc[j] + A1 * d2c + B2 * dw[i] * dw[j]


@njit(cache=True)
def _obs122(v, y, logit, dc, dw, dpl, dpr, da, db, d01, d32):
    """ℓ, and the vectors and scalars its Hessian entries are made of (egame122)."""
    for q in range(8):
        dc[q] = 0.0
        dw[q] = 0.0
        dpl[q] = 0.0
        dpr[q] = 0.0
        da[q] = 0.0
        db[q] = 0.0
        d01[q] = 0.0
        d32[q] = 0.0
    a = (v[5] - v[4]) * _R2
    b = (v[7] - v[6]) * _R2
    pl, fl, fpl = _cdf3(a, logit)
    pr, fr, fpr = _cdf3(b, logit)
    c = ((1.0 - pr) * v[2] + pr * v[3] - (1.0 - pl) * v[0] - pl * v[1]) * _R2
    p1, f1, fp1 = _cdf3(c, logit)
    da[5], da[4] = _R2, -_R2
    db[7], db[6] = _R2, -_R2
    d01[0], d01[1] = 1.0, -1.0
    d32[3], d32[2] = 1.0, -1.0
    dpl[5], dpl[4] = fl * _R2, -fl * _R2
    dpr[7], dpr[6] = fr * _R2, -fr * _R2
    u10, u32 = v[1] - v[0], v[3] - v[2]
    dc[0] = -(1.0 - pl) * _R2
    dc[1] = -pl * _R2
    dc[2] = (1.0 - pr) * _R2
    dc[3] = pr * _R2
    for q in range(4, 8):
        dc[q] = (u32 * dpr[q] - u10 * dpl[q]) * _R2
    A0, A1, A2 = _log_side(p1, f1, fp1, y >= 2)
    if y >= 2:
        B0, B1, B2 = _log_side(pr, fr, fpr, y == 3)
        for q in range(8):
            dw[q] = db[q]
    else:
        B0, B1, B2 = _log_side(pl, fl, fpl, y == 1)
        for q in range(8):
            dw[q] = da[q]
    return A0 + B0, A1, A2, B1, B2, u32 * fpr, u10 * fpl


@njit(cache=True, inline="always")
def _h123(i, j, s, dc1, dc2, dc3, dp2, dp3, dme1, d32, d76, k):
    # s: A1', A1'', A2', A2'', A3'', p2, f2, fp2, fp3; k: (v7 − v6), (v3 − v2), (M − v1)
    d2p3 = s[8] * dc3[i] * dc3[j]
    d2c2 = (dp3[i] * d76[j] + d76[i] * dp3[j] + k[0] * d2p3) * _R2
    d2p2 = s[7] * dc2[i] * dc2[j] + s[6] * d2c2
    d2m = dp3[i] * d32[j] + d32[i] * dp3[j] + k[1] * d2p3
    d2c1 = (dp2[i] * dme1[j] + dme1[i] * dp2[j] + s[5] * d2m + k[2] * d2p2) * _R2
    return (
        s[1] * dc1[i] * dc1[j] + s[0] * d2c1
        + s[3] * dc2[i] * dc2[j] + s[2] * d2c2 + s[4] * dc3[i] * dc3[j]
    )  # fmt: skip


@njit(cache=True)
def _obs123(v, y, logit, dc1, dc2, dc3, dp2, dp3, dme1, d32, d76, s, k):
    """ℓ; the vectors, scalars `s` and utility gaps `k` of its Hessian (egame123)."""
    for q in range(12):
        dc1[q] = 0.0
        dc2[q] = 0.0
        dc3[q] = 0.0
        dp2[q] = 0.0
        dp3[q] = 0.0
        dme1[q] = 0.0
        d32[q] = 0.0
        d76[q] = 0.0
    c3 = (v[11] - v[10]) * _R2
    p3, f3, fp3 = _cdf3(c3, logit)
    dc3[11], dc3[10] = _R2, -_R2
    dp3[11], dp3[10] = f3 * _R2, -f3 * _R2
    u76 = v[7] - v[6]
    c2 = ((1.0 - p3) * v[6] + p3 * v[7] - v[5]) * _R2
    p2, f2, fp2 = _cdf3(c2, logit)
    dc2[5] = -_R2
    dc2[6] = (1.0 - p3) * _R2
    dc2[7] = p3 * _R2
    dc2[10] = u76 * dp3[10] * _R2
    dc2[11] = u76 * dp3[11] * _R2
    for q in range(12):
        dp2[q] = f2 * dc2[q]
    u32 = v[3] - v[2]
    m = (1.0 - p3) * v[2] + p3 * v[3]
    # ∇M − e₁ (∇M: (1 − p₃) e₂ + p₃ e₃ + (v₃ − v₂) ∇p₃)
    dme1[1] = -1.0
    dme1[2] = 1.0 - p3
    dme1[3] = p3
    dme1[10] = u32 * dp3[10]
    dme1[11] = u32 * dp3[11]
    c1 = ((1.0 - p2) * v[1] + p2 * m - v[0]) * _R2
    p1, f1, fp1 = _cdf3(c1, logit)
    um1 = m - v[1]
    for q in range(12):  # ∇c₁ = [−e₀ + (1 − p₂) e₁ + p₂ ∇M + (M − v₁) ∇p₂]/√2
        dc1[q] = (p2 * dme1[q] + um1 * dp2[q]) * _R2
    dc1[0] -= _R2
    dc1[1] += _R2  # p₂(∇M − e₁) + e₁ = (1 − p₂) e₁ + p₂ ∇M at q = 1
    d32[3], d32[2] = 1.0, -1.0
    d76[7], d76[6] = 1.0, -1.0
    L1, s[0], s[1] = _log_side(p1, f1, fp1, y >= 1)
    total = L1
    s[2] = s[3] = s[4] = 0.0
    if y >= 1:
        L2, s[2], s[3] = _log_side(p2, f2, fp2, y >= 2)
        total += L2
    if y >= 2:
        L3, a3, s[4] = _log_side(p3, f3, fp3, y == 3)
        total += L3  # c₃ is linear: its Hessian part is A₃'' ∇c₃ ∇c₃ᵀ alone (s[4])
    else:
        a3 = 0.0
    s[5], s[6], s[7], s[8] = p2, f2, fp2, fp3
    k[0], k[1], k[2] = u76, u32, um1
    return total, a3


@njit(cache=True)
def _chunk(shape, y, X, eq, theta, slot_q, pay, logit, hess, lo, hi, g_out, h_out):
    k = X.shape[1]
    n_slots = slot_q.shape[0]
    nq = pay.shape[0]
    lin = np.zeros(max(n_slots, 1))
    v = np.zeros(nq)
    g_eq = np.zeros(max(n_slots, 1))
    h_eq = np.zeros((max(n_slots, 1), max(n_slots, 1)))
    vec = np.zeros((10, nq))
    s = np.zeros(9)
    kk = np.zeros(3)
    w = np.zeros((N_VEC, max(nq, 12)))
    cc = np.zeros(N_SC)
    total = 0.0
    for i in range(lo, hi):
        for e in range(n_slots):
            lin[e] = 0.0
        for j in range(k):
            lin[eq[j]] += X[i, j] * theta[j]
        for q in range(nq):
            v[q] = pay[q]
        for e in range(n_slots):
            v[slot_q[e]] += lin[e]
        yi = y[i]
        if shape == 0:
            dc, dw, dpl, dpr, da, db, d01, d32 = (
                vec[0], vec[1], vec[2], vec[3], vec[4], vec[5], vec[6], vec[7]
            )  # fmt: skip
            ll, A1, A2, B1, B2, kr, kl = _obs122(v, yi, logit, dc, dw, dpl, dpr, da, db, d01, d32)
            for e in range(n_slots):
                q = slot_q[e]
                g_eq[e] = A1 * dc[q] + B1 * dw[q]
            if hess:
                for e in range(n_slots):
                    for f in range(e + 1):
                        h_eq[e, f] = _h122(
                            slot_q[e], slot_q[f], A2, A1, B2, dc, dw, dpl, dpr, da, db, d01,
                            d32, kl, kr,
                        )  # fmt: skip
        elif shape == PRIVATE123:
            ll = obs123p(v, yi, logit, w, cc)
            for e in range(n_slots):
                q = slot_q[e]
                g_eq[e] = cc[_A1] * w[DZ1, q] + cc[_A2] * w[DZ2, q] + cc[_A3] * w[DC3, q]
            if hess:
                for e in range(n_slots):
                    for f in range(e + 1):
                        h_eq[e, f] = h123p(slot_q[e], slot_q[f], w, cc)
        else:
            dc1, dc2, dc3, dp2, dp3, dme1, d32, d76 = (
                vec[0], vec[1], vec[2], vec[3], vec[4], vec[5], vec[6], vec[7]
            )  # fmt: skip
            ll, a3 = _obs123(v, yi, logit, dc1, dc2, dc3, dp2, dp3, dme1, d32, d76, s, kk)
            for e in range(n_slots):
                q = slot_q[e]
                g_eq[e] = s[0] * dc1[q] + s[2] * dc2[q] + a3 * dc3[q]
            if hess:
                for e in range(n_slots):
                    for f in range(e + 1):
                        h_eq[e, f] = _h123(
                            slot_q[e], slot_q[f], s, dc1, dc2, dc3, dp2, dp3, dme1, d32, d76, kk
                        )
        total += ll
        for j in range(k):
            g_out[j] += X[i, j] * g_eq[eq[j]]
        if hess:
            for e in range(n_slots):  # both triangles: no branch in the loop below
                for f in range(e):
                    h_eq[f, e] = h_eq[e, f]
            for j in range(k):
                xj = X[i, j]
                if xj == 0.0:  # factor dummies and zero regressors add nothing
                    continue
                hj = h_eq[eq[j]]
                for m in range(j + 1):
                    h_out[j, m] += xj * X[i, m] * hj[eq[m]]
    return total


@njit(cache=True, parallel=True)
def _fused(shape, y, X, eq, theta, slot_q, pay, logit, hess, n_chunks, ll, g, h):
    n = y.shape[0]
    size = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = c * size
        hi = min(n, lo + size)
        if lo < hi:
            ll[c] = _chunk(shape, y, X, eq, theta, slot_q, pay, logit, hess, lo, hi, g[c], h[c])


def shape_newton(shape, y, X, eq, theta, slot_q, pay, *, logit, hess=True):
    """Total log-likelihood, gradient and (if `hess`) Hessian in the parameters.

    `shape` is ``SHAPES["egame122"]``, ``SHAPES["egame123"]`` or `PRIVATE123`
    (egame123 under private information, probit); ``slot_q[s]`` the flat
    utility ``4 p + t`` slot ``s`` adds its linear index to; `pay` the flat fixed
    utilities; `y`, `X`, `eq` as for :func:`bargain.estimate._tree_newton.tree_newton`.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.ones((3, 1)); y = np.array([0, 3, 1])
    >>> ll, g, H = shape_newton(0, y, X, np.zeros(1, np.int64), np.zeros(1),
    ...                         np.array([0]), np.zeros(8), logit=False)
    >>> print(round(ll, 6), round(3 * np.log(0.25), 6), H.shape)  # every choice a coin flip
    -4.158883 -4.158883 (1, 1)
    """
    n, k = X.shape
    n_chunks = int(max(1, min(64, n // CHUNK_ROWS)))
    ll = np.zeros(n_chunks)
    g = np.zeros((n_chunks, k))
    h = np.zeros((n_chunks, k, k))
    theta = np.array(theta, dtype=float)
    if n_chunks == 1:  # one chunk: no thread launch
        ll[0] = _chunk(shape, y, X, eq, theta, slot_q, pay, logit, hess, 0, n, g[0], h[0])
    else:
        _fused(shape, y, X, eq, theta, slot_q, pay, logit, hess, n_chunks, ll, g, h)
    H = h.sum(axis=0)
    return float(ll.sum()), g.sum(axis=0), np.tril(H) + np.tril(H, -1).T
