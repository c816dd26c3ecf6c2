"""egame123 under private information: one observation's log-likelihood, gradient and
Hessian entries in closed form (used by :mod:`bargain.estimate._shape_newton`).

Under private information a mover's utility difference ``Δ`` is divided by
``s = √(Σ_t P(t|L)² + Σ_t P(t|R)²)``, the probabilities of the outcomes after each of
their actions (Signorino 2003, *Political Analysis* 11: 316–344; the generic tree
kernel's ``s``).  For egame123 (player 1, 2, 3 in turn) player 3 has ``s₃ = √2``,
player 2 ``s₂² = 1 + R₃`` with ``R₃ = (1 − p₃)² + p₃²``, player 1
``s₁² = 1 + (1 − p₂)² + p₂² R₃``.  With ``z = Δ/s``:

    ∇z = ∇Δ/s − Δ ∇s/s²,
    ∇²z = ∇²Δ/s − sym(∇Δ, ∇s)/s² − Δ ∇²s/s² + 2 Δ ∇s ∇sᵀ/s³,
    ∇s = ∇(s²)/(2s),  ∇²s = ∇²(s²)/(2s) − ∇(s²) ∇(s²)ᵀ/(4 s³),

``∇²R₃ = 4 ∇p₃ ∇p₃ᵀ + 2 (2p₃ − 1) ∇²p₃``, and with ``a = 2 (p₂ (1 + R₃) − 1)``:
``∇(s₁²) = a ∇p₂ + p₂² ∇R₃``,
``∇²(s₁²) = 2 (1 + R₃) ∇p₂ ∇p₂ᵀ + 2 p₂ sym(∇R₃, ∇p₂) + a ∇²p₂ + p₂² ∇²R₃``.
``Δ₂``, ``Δ₁`` and their derivatives are those of the agent-error model (there ``s = √2``).
"""

from __future__ import annotations

import math

from numba import njit

from bargain.estimate._egame12_newton import _cdf3, _log_side

_R2 = 1.0 / math.sqrt(2.0)

# rows of the vector block
DC3, DP3, DD2, DR3, DS2, DZ2, DP2, DME1, DD1, DSS1, DS1, DZ1, D32, D76 = range(14)
N_VEC = 14
# scalars
(FP3, P3, U76, S2, D2, FP2, F2, U32, P2, UM1, R3, AA, S1, D1,
 A1, A1P, A2, A2P, A3, A3P) = range(20)  # fmt: skip
N_SC = 20


@njit(cache=True)
def obs123p(v, y, logit, w, c):
    """ℓ of one observation; fills the vectors `w` (``N_VEC × 12``) and scalars `c`."""
    for r in range(N_VEC):
        for q in range(12):
            w[r, q] = 0.0
    c3 = (v[11] - v[10]) * _R2
    p3, f3, fp3 = _cdf3(c3, logit)
    w[DC3, 11], w[DC3, 10] = _R2, -_R2
    for q in (10, 11):
        w[DP3, q] = f3 * w[DC3, q]
    u76 = v[7] - v[6]
    d2 = (1.0 - p3) * v[6] + p3 * v[7] - v[5]
    r3 = (1.0 - p3) ** 2 + p3 * p3
    s2 = math.sqrt(1.0 + r3)
    w[DD2, 5] = -1.0
    w[DD2, 6] = 1.0 - p3
    w[DD2, 7] = p3
    for q in (10, 11):
        w[DD2, q] = u76 * w[DP3, q]
        w[DR3, q] = 2.0 * (2.0 * p3 - 1.0) * w[DP3, q]
        w[DS2, q] = w[DR3, q] / (2.0 * s2)
    z2 = d2 / s2
    p2, f2, fp2 = _cdf3(z2, logit)
    for q in range(12):
        w[DZ2, q] = w[DD2, q] / s2 - d2 * w[DS2, q] / (s2 * s2)
        w[DP2, q] = f2 * w[DZ2, q]
    u32 = v[3] - v[2]
    m = (1.0 - p3) * v[2] + p3 * v[3]
    w[DME1, 1] = -1.0
    w[DME1, 2] = 1.0 - p3
    w[DME1, 3] = p3
    for q in (10, 11):
        w[DME1, q] = u32 * w[DP3, q]
    um1 = m - v[1]
    d1 = (1.0 - p2) * v[1] + p2 * m - v[0]
    ss1 = 1.0 + (1.0 - p2) ** 2 + p2 * p2 * r3
    s1 = math.sqrt(ss1)
    aa = 2.0 * (p2 * (1.0 + r3) - 1.0)
    for q in range(12):  # ∇Δ₁ = −e₀ + (1 − p₂) e₁ + p₂ ∇M + (M − v₁) ∇p₂
        w[DD1, q] = p2 * w[DME1, q] + um1 * w[DP2, q]
        w[DSS1, q] = aa * w[DP2, q] + p2 * p2 * w[DR3, q]
        w[DS1, q] = w[DSS1, q] / (2.0 * s1)
    w[DD1, 0] -= 1.0
    w[DD1, 1] += 1.0
    z1 = d1 / s1
    p1, f1, fp1 = _cdf3(z1, logit)
    for q in range(12):
        w[DZ1, q] = w[DD1, q] / s1 - d1 * w[DS1, q] / (s1 * s1)
    w[D32, 3], w[D32, 2] = 1.0, -1.0
    w[D76, 7], w[D76, 6] = 1.0, -1.0
    ll, c[A1], c[A1P] = _log_side(p1, f1, fp1, y >= 1)
    c[A2] = c[A2P] = c[A3] = c[A3P] = 0.0
    if y >= 1:
        l2, c[A2], c[A2P] = _log_side(p2, f2, fp2, y >= 2)
        ll += l2
    if y >= 2:
        l3, c[A3], c[A3P] = _log_side(p3, f3, fp3, y == 3)
        ll += l3
    c[FP3], c[P3], c[U76], c[S2], c[D2] = fp3, p3, u76, s2, d2
    c[FP2], c[F2], c[U32], c[P2], c[UM1] = fp2, f2, u32, p2, um1
    c[R3], c[AA], c[S1], c[D1] = r3, aa, s1, d1
    return ll


@njit(cache=True, inline="always")
def _d2z(d2d, d2ss, dd_i, dd_j, ds_i, ds_j, dss_i, dss_j, s, d):
    d2s = d2ss / (2.0 * s) - dss_i * dss_j / (4.0 * s**3)
    return (
        d2d / s - (dd_i * ds_j + ds_i * dd_j) / (s * s) - d * d2s / (s * s)
        + 2.0 * d * ds_i * ds_j / s**3
    )  # fmt: skip


@njit(cache=True)
def h123p(i, j, w, c):
    """The Hessian entry ``∂²ℓ/∂v_i ∂v_j`` from :func:`obs123p`'s `w` and `c`."""
    d2p3 = c[FP3] * w[DC3, i] * w[DC3, j]
    d2r3 = 4.0 * w[DP3, i] * w[DP3, j] + 2.0 * (2.0 * c[P3] - 1.0) * d2p3
    d2d2 = w[DP3, i] * w[D76, j] + w[D76, i] * w[DP3, j] + c[U76] * d2p3
    d2z2 = _d2z(
        d2d2, d2r3, w[DD2, i], w[DD2, j], w[DS2, i], w[DS2, j], w[DR3, i], w[DR3, j],
        c[S2], c[D2],
    )  # fmt: skip
    d2p2 = c[FP2] * w[DZ2, i] * w[DZ2, j] + c[F2] * d2z2
    d2m = w[DP3, i] * w[D32, j] + w[D32, i] * w[DP3, j] + c[U32] * d2p3
    p2 = c[P2]
    d2d1 = (
        w[DP2, i] * w[DME1, j] + w[DME1, i] * w[DP2, j] + p2 * d2m + c[UM1] * d2p2
    )  # fmt: skip
    d2ss1 = (
        2.0 * (1.0 + c[R3]) * w[DP2, i] * w[DP2, j]
        + 2.0 * p2 * (w[DR3, i] * w[DP2, j] + w[DP2, i] * w[DR3, j])
        + c[AA] * d2p2 + p2 * p2 * d2r3
    )  # fmt: skip
    d2z1 = _d2z(
        d2d1, d2ss1, w[DD1, i], w[DD1, j], w[DS1, i], w[DS1, j], w[DSS1, i], w[DSS1, j],
        c[S1], c[D1],
    )  # fmt: skip
    return (
        c[A1P] * w[DZ1, i] * w[DZ1, j] + c[A1] * d2z1
        + c[A2P] * w[DZ2, i] * w[DZ2, j] + c[A2] * d2z2
        + c[A3P] * w[DC3, i] * w[DC3, j]
    )  # fmt: skip
