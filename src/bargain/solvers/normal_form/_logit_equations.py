"""The logit QRE equations and their Jacobian, as Numba kernels (private).

Shared by the path follower (:mod:`bargain.solvers.normal_form._logit_kernels`): the
payoff contractions, the residual ``H`` and Jacobian ``J`` of the equations, the dense
solves of the predictor-corrector steps, the tangent, and the regret of a profile.  The
layout of the arrays is described in :mod:`bargain.solvers.normal_form._logit_kernels`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["_augmented_solve", "_contract", "_regret", "_solve", "_system", "_tangent"]


@njit(cache=True)
def _contract(pay, shape, off, p, U1, D, second):
    """U1[a]: payoff of strategy a=(i,k) against the others' mix.  If `second`,
    D[a, b]: the same with player j's strategy b=(j,l) fixed (j != i; zero for j == i)."""
    N = shape.shape[0]
    S = pay.shape[1]
    U1[:] = 0.0
    if second:
        D[:, :] = 0.0
    s = np.zeros(N, np.int64)
    q = np.empty(N)
    for flat in range(S):
        for j in range(N):
            q[j] = p[off[j] + s[j]]
        for i in range(N):
            u = pay[i, flat]
            if u == 0.0:
                continue
            a = off[i] + s[i]
            w = 1.0
            for m in range(N):
                if m != i:
                    w *= q[m]
            U1[a] += u * w
            if second:
                for j in range(N):
                    if j == i:
                        continue
                    w2 = 1.0
                    for m in range(N):
                        if m != i and m != j:
                            w2 *= q[m]
                    D[a, off[j] + s[j]] += u * w2
        for j in range(N - 1, -1, -1):
            s[j] += 1
            if s[j] < shape[j]:
                break
            s[j] = 0


@njit(cache=True)
def _system(pay, shape, off, y, H, J, U1, D):
    """Residual H (M) and Jacobian J (M x (M+1), last column d/dλ) at y = (x, λ)."""
    N = shape.shape[0]
    M = off[N]
    lam = y[M]
    p = np.exp(y[:M])
    _contract(pay, shape, off, p, U1, D, True)
    J[:, :] = 0.0
    for i in range(N):
        r = off[i]
        total = 0.0
        for a in range(off[i], off[i + 1]):
            total += p[a]
            J[r, a] = p[a]
        H[r] = total - 1.0
        for a in range(off[i] + 1, off[i + 1]):
            H[a] = y[a] - y[r] - lam * (U1[a] - U1[r])
            J[a, a] += 1.0
            J[a, r] -= 1.0
            for j in range(N):
                if j == i:
                    continue
                for b in range(off[j], off[j + 1]):
                    J[a, b] = -lam * p[b] * (D[a, b] - D[r, b])
            J[a, M] = -(U1[a] - U1[r])


@njit(cache=True)
def _solve(A, b):
    """Solve A z = b by Gaussian elimination with partial pivoting, overwriting A.

    Returns (z, ok); ok is False when A is exactly singular or z is not finite (callers
    also reject huge steps, which is what a nearly singular A gives).
    Written out rather than np.linalg.solve: no exception path, and it compiles fast."""
    n = A.shape[0]
    z = b.copy()
    scale = 0.0
    for i in range(n):
        for j in range(n):
            scale = max(scale, abs(A[i, j]))
    if scale == 0.0 or not np.isfinite(scale):
        return z, False
    for c in range(n):
        piv = c
        big = abs(A[c, c])
        for r in range(c + 1, n):
            if abs(A[r, c]) > big:
                big = abs(A[r, c])
                piv = r
        if big == 0.0:  # exactly singular (as LAPACK's getrf reports it)
            return z, False
        if piv != c:
            for j in range(n):
                A[c, j], A[piv, j] = A[piv, j], A[c, j]
            z[c], z[piv] = z[piv], z[c]
        for r in range(c + 1, n):
            f = A[r, c] / A[c, c]
            if f != 0.0:
                for j in range(c, n):
                    A[r, j] -= f * A[c, j]
                z[r] -= f * z[c]
    for c in range(n - 1, -1, -1):
        acc = z[c]
        for j in range(c + 1, n):
            acc -= A[c, j] * z[j]
        z[c] = acc / A[c, c]
    for c in range(n):
        if not np.isfinite(z[c]):
            return z, False
    return z, True


@njit(cache=True)
def _augmented_solve(J, t, rhs):
    """Solve [J; tᵀ] z = rhs; returns (z, ok)."""
    M = J.shape[0]
    A = np.empty((M + 1, M + 1))
    A[:M, :] = J
    A[M, :] = t
    return _solve(A, rhs)


@njit(cache=True)
def _tangent(J, t_prev):
    """Unit tangent of the curve, oriented along t_prev."""
    M = J.shape[0]
    e = np.zeros(M + 1)
    e[M] = 1.0
    z, ok = _augmented_solve(J, t_prev, e)
    if not ok:
        return t_prev.copy(), False
    nz = np.sqrt(np.sum(z * z))
    return z / nz, nz > 0.0 and np.isfinite(nz)


@njit(cache=True)
def _regret(pay, shape, off, p, U1, D):
    """Largest gain from a unilateral deviation at profile p."""
    N = shape.shape[0]
    _contract(pay, shape, off, p, U1, D, False)
    worst = 0.0
    for i in range(N):
        best = -np.inf
        mean = 0.0
        for a in range(off[i], off[i + 1]):
            best = max(best, U1[a])
            mean += p[a] * U1[a]
        worst = max(worst, best - mean)
    return worst
