"""Numba kernel of the QRE path tracker: predictor–corrector steps until a λ is reached.

The same algorithm as the Python loop it replaced in :mod:`bargain.dynamic.qre` (Euler
predictor along the tangent, chord-Newton corrector with the LU factors of
``[J; t]``, acceptance if the corrector contracts and the tangent turns little, step
halving on rejection, growth on success), but with the LU factorization and the
triangular solves written here, so that a step costs no Python or SciPy call.  On small
games the per-call overhead of SciPy's ``lu_solve`` (tens of microseconds) was most of the
time.  Arrays only; compiled on first use and cached (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bargain.dynamic._kernels import homotopy, profile_regret, residual, support_system, unpack

#: the tracker's return status
OK, SINGULAR, COLLAPSED = 0, 1, 2


@njit(cache=True)
def lu_factor(A):
    """LU with partial pivoting of the square `A`, in place; (pivots, ok).

    ok is False for an exactly zero or non-finite pivot (what SciPy's ``lu_factor`` warns
    about as singular).
    """
    n = A.shape[0]
    piv = np.empty(n, dtype=np.int64)
    r = np.empty(n)  # the pivot row, copied: LLVM then vectorizes the update (2-3x at n ~ 200)
    for k in range(n):
        p = k
        m = abs(A[k, k])
        for i in range(k + 1, n):
            v = abs(A[i, k])
            if v > m:
                m = v
                p = i
        if not (m > 0.0) or not np.isfinite(m):
            return piv, False
        piv[k] = p
        if p != k:
            for j in range(n):
                tmp = A[k, j]
                A[k, j] = A[p, j]
                A[p, j] = tmp
        inv = 1.0 / A[k, k]
        w = n - k - 1
        for j in range(w):
            r[j] = A[k, k + 1 + j]
        for i in range(k + 1, n):
            f = A[i, k] * inv
            A[i, k] = f
            if f != 0.0:
                row = A[i, k + 1 :]
                for j in range(w):
                    row[j] -= f * r[j]
    return piv, True


@njit(cache=True)
def lu_solve(LU, piv, b):
    """Solve ``A x = b`` from the factors of :func:`lu_factor`."""
    n = LU.shape[0]
    x = b.copy()
    for k in range(n):
        p = piv[k]
        if p != k:
            tmp = x[k]
            x[k] = x[p]
            x[p] = tmp
    for i in range(n):
        acc = x[i]
        for j in range(i):
            acc -= LU[i, j] * x[j]
        x[i] = acc
    for i in range(n - 1, -1, -1):
        acc = x[i]
        for j in range(i + 1, n):
            acc -= LU[i, j] * x[j]
        x[i] = acc / LU[i, i]
    return x


@njit(cache=True)
def _frame(U, T, nA, strides, delta, nprof, off, nb, x, prev):
    """Factors of ``[J(x); prev]`` and the unit tangent oriented like `prev`; ok flag."""
    n = x.size
    _, J = homotopy(U, T, nA, strides, delta, nprof, off, nb, x)
    A = np.empty((n, n))
    A[: n - 1] = J
    A[n - 1] = prev
    piv = np.zeros(n, dtype=np.int64)
    if not np.all(np.isfinite(A)):
        return A, piv, prev, False
    piv, ok = lu_factor(A)
    if not ok:
        return A, piv, prev, False
    e = np.zeros(n)
    e[n - 1] = 1.0
    z = lu_solve(A, piv, e)
    if not np.all(np.isfinite(z)):
        return A, piv, prev, False
    norm = np.sqrt(np.sum(z * z))
    if norm == 0.0:
        return A, piv, prev, False
    return A, piv, z / norm, True


@njit(cache=True)
def _correct(U, T, nA, strides, delta, nprof, off, nb, y, LU, piv, max_iter, radius, ratio):
    """Chord-Newton corrections of the predictor `y` (see ``qre._correct``).

    Returns ``(y, ok, first, kappa)``: the corrected point, whether it converged, the size
    of the first correction and the largest contraction ratio of consecutive corrections
    (the step-size control of :func:`trace` reads both).
    """
    n = y.size
    b = np.zeros(n)
    last = np.inf
    first = 0.0
    kappa = 0.0
    for it in range(max_iter):
        H = residual(U, T, nA, strides, delta, nprof, off, nb, y)
        if not np.all(np.isfinite(H)):
            return y, False, first, kappa
        b[: n - 1] = -H
        b[n - 1] = 0.0
        dy = lu_solve(LU, piv, b)
        size = np.max(np.abs(dy)) if np.all(np.isfinite(dy)) else np.inf
        if size > radius or (it > 0 and size > ratio * last and last > 1e-8):
            return y, False, first, kappa
        if it == 0:
            first = size
        elif last > 1e-8:
            kappa = max(kappa, size / last)
        y = y + dy
        last = size
        if size <= 1e-10 * (1.0 + 1e-3 * np.max(np.abs(y))) and np.max(np.abs(H)) < 1e-9:
            return y, True, first, kappa
    H = residual(U, T, nA, strides, delta, nprof, off, nb, y)
    return y, np.max(np.abs(H)) < 1e-9, first, kappa


#: step-size control (Allgower & Georg 1990, sec. 6.1): nominal size of the first
#: correction, contraction ratio and tangent turn (radians) that a step aims at; the next
#: step is the current one divided by the largest ratio of observed to nominal (square
#: roots for the corrector, which are quadratic in the step), within [1/2, growth]
NOMINAL_FIRST = 0.25
NOMINAL_KAPPA = 0.45
NOMINAL_TURN = 0.035


@njit(cache=True)
def trace(
    U,
    T,
    nA,
    strides,
    delta,
    nprof,
    off,
    nb,
    x,
    t,
    h,
    h_min,
    h_max,
    growth,
    min_cos,
    ratio,
    lam_stop,
    max_accept,
):
    """Follow the path from `x` (tangent `t`, step `h`) until λ ≥ `lam_stop` or
    `max_accept` accepted steps.

    Returns ``(x_prev, x, t, h, accepted, rejected, status)``: the last two points, the
    tangent and step size to continue with, the counts, and the status (OK, SINGULAR if
    ``[J; t]`` is singular at the starting point, COLLAPSED if the step size fell below
    `h_min`; `x` is then the last accepted point).
    """
    LU, piv, t, ok = _frame(U, T, nA, strides, delta, nprof, off, nb, x, t)
    xp = x
    if not ok:
        return xp, x, t, h, 0, 0, SINGULAR
    accepted = 0
    rejected = 0
    LU2, piv2, t2 = LU, piv, t
    while accepted < max_accept:
        y, ok, first, kappa = _correct(
            U, T, nA, strides, delta, nprof, off, nb, x + h * t, LU, piv, 10, min(0.3, h), ratio
        )
        cos = 0.0
        if ok:
            LU2, piv2, t2, ok = _frame(U, T, nA, strides, delta, nprof, off, nb, y, t)
            cos = np.sum(t2 * t)
            ok = ok and cos > min_cos
        if not ok:
            h *= 0.5
            rejected += 1
            if h < h_min:
                return xp, x, t, h, accepted, rejected, COLLAPSED
            continue
        accepted += 1
        xp = x
        x = y
        LU, piv, t = LU2, piv2, t2
        turn = np.arccos(min(cos, 1.0))
        f = max(np.sqrt(first / NOMINAL_FIRST), np.sqrt(kappa / NOMINAL_KAPPA),
                turn / NOMINAL_TURN)  # fmt: skip
        f = min(max(f, 1.0 / growth), 2.0)
        h = min(h / f, h_max)
        if x[x.size - 1] >= lam_stop:
            break
    return xp, x, t, h, accepted, rejected, OK


#: the polish kernel's return status
NOT_FOUND, FOUND = 0, 1


@njit(cache=True)
def _newton_on_support(U, T, nA, strides, delta, nprof, supp, sigma, V, max_iter):
    """Newton's method for the equilibrium equations on the 0/1 mask `supp` from (σ, V),
    in place (least squares where the system is singular, as NumPy's ``lstsq`` with
    ``rcond=None``); status FOUND (converged near the start) or NOT_FOUND."""
    start = sigma.copy()
    S, N = nA.shape
    last = np.inf
    converged = False
    for _ in range(max_iter):
        F, dF = support_system(U, T, nA, strides, delta, nprof, supp, sigma, V)
        size = np.max(np.abs(F)) if np.all(np.isfinite(F)) else np.inf
        if size < 1e-13:
            converged = True
            break
        if not (size < 0.5 * last or size < 1e-10) or not np.all(np.isfinite(dF)):
            return NOT_FOUND
        last = size
        LU = dF.copy()
        piv, ok = lu_factor(LU)
        if ok:
            d = lu_solve(LU, piv, -F)
        else:  # singular (a continuum of equilibria): Gauss-Newton, least squares
            d = np.linalg.lstsq(dF, -F, rcond=2.220446049250313e-16 * F.size)[0]
            if not np.all(np.isfinite(d)):
                return NOT_FOUND
        m = 0
        for s in range(S):  # the columns of support_system: support actions, then values
            for i in range(N):
                for a in range(nA[s, i]):
                    if supp[s, i, a]:
                        sigma[s, i, a] += d[m]
                        m += 1
        for s in range(S):
            for i in range(N):
                V[s, i] += d[m + s * N + i]
        if np.max(np.abs(sigma - start)) > 0.05:
            return NOT_FOUND  # a solution far from the path is not the path's limit
    if not converged:
        F, _ = support_system(U, T, nA, strides, delta, nprof, supp, sigma, V)
        if np.max(np.abs(F)) > 1e-10:
            return NOT_FOUND
    if np.any(sigma < -1e-12):
        return NOT_FOUND
    return FOUND


@njit(cache=True)
def polish(U, T, nA, strides, delta, nprof, off, nb, x, thresholds, max_iter, screen):
    """The polish step of the QRE homotopy at the point `x`, in one call.

    For each threshold in turn (skipping a support already tried), the support is the
    actions with probability at least the threshold; Newton's method solves the
    equilibrium equations on it from the QRE, and the solution passes if its largest
    one-shot-deviation regret (:func:`profile_regret`, normalized payoffs) is at most
    `screen`.  Returns ``(status, k, sigma, V)``: FOUND at threshold index `k` with the
    padded profile and normalized values, or NOT_FOUND.
    """
    S, N = nA.shape
    sigma0, V0 = unpack(x, nA, off, nb)
    A = sigma0.shape[2]
    tried = np.zeros((thresholds.size, S, N, A), dtype=np.int64)
    for k in range(thresholds.size):
        supp = np.zeros((S, N, A), dtype=np.int64)
        for s in range(S):
            for i in range(N):
                for a in range(nA[s, i]):
                    p = np.exp(min(x[off[s, i] + a], 0.0))
                    supp[s, i, a] = 1 if p >= thresholds[k] else 0
        tried[k] = supp
        seen = False
        for j in range(k):
            if np.all(tried[j] == supp):
                seen = True
        if seen:
            continue
        sigma = sigma0.copy()
        V = V0.copy()
        status = _newton_on_support(U, T, nA, strides, delta, nprof, supp, sigma, V, max_iter)
        if status == NOT_FOUND:
            continue
        for s in range(S):
            for i in range(N):
                tot = 0.0
                for a in range(nA[s, i]):
                    sigma[s, i, a] = max(sigma[s, i, a], 0.0)
                    tot += sigma[s, i, a]
                for a in range(nA[s, i]):
                    sigma[s, i, a] /= tot
        _, worst = profile_regret(U, T, nA, strides, delta, nprof, sigma)
        if worst <= screen:
            return FOUND, k, sigma, V
    return NOT_FOUND, thresholds.size, sigma0, V0
