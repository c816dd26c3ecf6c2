"""Numba kernel of the QRE path tracker: predictor–corrector steps until a λ is reached.

The same algorithm as the Python loop it replaced in :mod:`bargain.dynamic.qre` (Euler
predictor along the tangent, chord-Newton corrector with the factors of ``[J; t]``,
acceptance if the corrector contracts and the tangent turns little, step halving on
rejection, growth on success), with a step costing no Python or SciPy call (on small
games SciPy's per-call overhead had been most of the time).  ``[J; t]`` is factored by
the block elimination of :mod:`bargain.dynamic._blocks` (each state's log-probabilities
eliminated within its own rows, then a dense LU of the ``S N + 1`` values and λ), once per
accepted point; the chord corrections reuse it and allocate nothing.  Arrays only;
compiled on first use and cached (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bargain.dynamic._blocks import (
    REDUCED_SINGULAR,
    all_finite,
    block_factor,
    block_lstsq,
    block_reduce,
    block_solve,
    block_solve_inplace,
    dense_to_blocks,
    homotopy_blocks,
    layout,
)
from bargain.dynamic._kernels import profile_regret, residual, support_system, unpack

#: the tracker's return status
OK, SINGULAR, COLLAPSED = 0, 1, 2


@njit(cache=True)
def _frame(U, T, nA, strides, delta, nprof, off, nb, x, prev, Bl, Bg):
    """Block factors (:mod:`bargain.dynamic._blocks`) of ``[J(x); prev]``, written over
    `Bl` and `Bg`, and the unit tangent oriented like `prev`; ok flag."""
    n = x.size
    S, N = nA.shape
    ks, loff = layout(nA, off)
    homotopy_blocks(U, T, nA, strides, delta, nprof, off, nb, x, Bl, Bg)
    if not (all_finite(Bl) and all_finite(Bg)):
        return (np.zeros((S, 1), dtype=np.int64), prev, np.zeros((1, 1)),
                np.zeros(1, dtype=np.int64)), prev, False  # fmt: skip
    perm, mult, R, rpiv, status = block_factor(Bl, Bg, ks, loff, N, prev)
    fac = (perm, mult, R, rpiv)
    if status != 0:
        return fac, prev, False
    e = np.zeros(n)
    e[n - 1] = 1.0
    z = block_solve(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, e)
    if not np.all(np.isfinite(z)):
        return fac, prev, False
    norm = np.sqrt(np.sum(z * z))
    if norm == 0.0:
        return fac, prev, False
    return fac, z / norm, True


#: the corrector stops when the last correction and the residual before it are below
#: these (the path points need not be exact: requested QREs are re-solved by Newton's
#: method and the limit by the polish; 1e-10 / 1e-9 took ~10 chord steps per point)
CORRECTED_STEP = 1e-8
CORRECTED = 1e-8


@njit(cache=True)
def _workspace(nA, off, n):
    """Work arrays of :func:`_correct`, allocated once per :func:`trace` call: σ and Q
    (S, N, A), the action profile, the residual, the right-hand side / correction, the
    block solver's row, and the block layout."""
    S, N = nA.shape
    A = 1
    K = 1
    for s in range(S):
        k = 0
        for i in range(N):
            A = max(A, nA[s, i])
            k += nA[s, i]
        K = max(K, k)
    ks, loff = layout(nA, off)
    sigma = np.zeros((S, N, A))
    return (sigma, np.zeros((S, N, A)), np.zeros(N, dtype=np.int64), np.zeros(n - 1),
            np.zeros(n), np.zeros(K + N), ks, loff)  # fmt: skip


@njit(cache=True)
def _correct(U, T, nA, strides, delta, nprof, off, nb, y, Bl, Bg, fac, ws, max_iter, radius,
             ratio):  # fmt: skip
    """Chord-Newton corrections of the predictor `y` (in place) with the factors of
    :func:`_frame`; `ws` from :func:`_workspace` (nothing is allocated here).

    Returns ``(ok, first, kappa)``: whether it converged, the size of the first correction
    and the largest contraction ratio of consecutive corrections (the step-size control of
    :func:`trace` reads both).
    """
    n = y.size
    N = nA.shape[1]
    sigma, Q, act, H, b, w, ks, loff = ws
    perm, mult, R, rpiv = fac
    last = np.inf
    first = 0.0
    kappa = 0.0
    for it in range(max_iter):
        residual(U, T, nA, strides, delta, nprof, off, nb, y, sigma, Q, act, H)
        if not all_finite(H):
            return False, first, kappa
        res = 0.0
        for j in range(n - 1):
            b[j] = -H[j]
            res = max(res, abs(H[j]))
        b[n - 1] = 0.0
        block_solve_inplace(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, b, w)
        size = 0.0
        big = 0.0
        for j in range(n):
            size = max(size, abs(b[j]))
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
        for j in range(n):
            y[j] += b[j]
            big = max(big, abs(y[j]))
        last = size
        if size <= CORRECTED_STEP * (1.0 + 1e-3 * big) and res < CORRECTED:
            return True, first, kappa
    residual(U, T, nA, strides, delta, nprof, off, nb, y, sigma, Q, act, H)
    return np.max(np.abs(H)) < CORRECTED, first, kappa


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
    S, N = nA.shape
    K = 1
    for s in range(S):
        k = 0
        for i in range(N):
            k += nA[s, i]
        K = max(K, k)
    # two sets of blocks, swapped on acceptance: those of the current point (the chord
    # corrector's) and those of the trial point; allocated once per call
    Bl = np.empty((S, K + N, K))
    Bg = np.empty((S, K + N, S * N + 1))
    Bl2 = np.empty_like(Bl)
    Bg2 = np.empty_like(Bg)
    ws = _workspace(nA, off, x.size)
    fac, t, ok = _frame(U, T, nA, strides, delta, nprof, off, nb, x, t, Bl, Bg)
    xp = x
    if not ok:
        return xp, x, t, h, 0, 0, SINGULAR
    accepted = 0
    rejected = 0
    fac2, t2 = fac, t
    while accepted < max_accept:
        y = x + h * t
        ok, first, kappa = _correct(
            U, T, nA, strides, delta, nprof, off, nb, y, Bl, Bg, fac, ws, 10, min(0.3, h), ratio
        )
        cos = 0.0
        if ok:
            fac2, t2, ok = _frame(U, T, nA, strides, delta, nprof, off, nb, y, t, Bl2, Bg2)
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
        fac, t = fac2, t2
        Bl, Bl2 = Bl2, Bl
        Bg, Bg2 = Bg2, Bg
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
#: largest residual (normalized payoffs) at which a singular support system is solved by
#: least squares (Gauss-Newton).  For two players a support whose sizes differ between
#: the players (the usual wrong guess at moderate λ) makes the system structurally
#: singular: the values and the opponent's mixture outnumber the player's indifference
#: equations.  Least squares from such a point failed on every benchmark game and was half
#: of the solve time at 64-256 states; near the limit of a degenerate game (a continuum of
#: equilibria) the residual is O(1/λ) and it still runs (1e-3 was too small for one of
#: the degenerate test games: its path stalled before the residual fell below it).
LSTSQ_MAX = 1e-2


@njit(cache=True)
def _newton_on_support(U, T, nA, strides, delta, nprof, supp, sigma, V, max_iter):
    """Newton's method for the equilibrium equations on the 0/1 mask `supp` from (σ, V),
    in place (least squares where the system is singular, as NumPy's ``lstsq`` with
    ``rcond=None``); status FOUND (converged near the start) or NOT_FOUND."""
    start = sigma.copy()
    S, N = nA.shape
    ks = np.zeros(S, dtype=np.int64)  # support sizes: the local columns of each state
    loff = np.zeros(S, dtype=np.int64)
    for s in range(S):
        loff[s] = 0 if s == 0 else loff[s - 1] + ks[s - 1]
        for i in range(N):
            for a in range(nA[s, i]):
                ks[s] += supp[s, i, a]
    nv = loff[S - 1] + ks[S - 1]
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
        # the support system has the block structure of the homotopy's (σ_s only in state
        # s's rows; V global), without the border row
        Bl, Bg = dense_to_blocks(dF, ks, loff, nv, N)
        perm, mult, R, rpiv, status = block_factor(Bl, Bg, ks, loff, N, np.zeros(0))
        if status == 0:
            d = block_solve(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, -F)
        elif size > LSTSQ_MAX:
            return NOT_FOUND  # a wrong support, or too far from the limit to trust lstsq
        elif status == REDUCED_SINGULAR:  # a continuum of equilibria: Gauss-Newton
            Bl, Bg = dense_to_blocks(dF, ks, loff, nv, N)
            perm, R, _ = block_reduce(Bl, Bg, ks, loff, N)
            d = block_lstsq(Bl, Bg, ks, loff, N, perm, R, -F)
        else:  # a state's own columns singular: least squares on the whole system
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
