"""Numba kernels of the logit QRE path follower.

Private; see :mod:`bargain.solvers.normal_form.logit`.

A game is passed as plain arrays: ``pay`` of shape ``(N, S)`` (player *i*'s payoff at
every pure profile, flattened in C order), ``shape`` (strategies per player) and ``off``
(offsets of each player's block in the concatenated strategy vector of length
``M = off[N]``).  A mixed profile is one vector ``p`` of length ``M``.

The logit QRE equations in log-probability coordinates ``x = log p`` (McKelvey & Palfrey
1995; Turocy 2005) are, per player *i* with reference strategy ``r = off[i]``:

    Σₖ exp(x_ik) − 1 = 0,
    x_ik − x_ir − λ (u_ik(p) − u_ir(p)) = 0        (k ≠ r),

where ``u_ik(p)`` is the expected payoff of pure strategy *k* against the others' mix.
They define a curve in ``(x, λ)`` that starts at the centroid at ``λ = 0``; it is
followed by pseudo-arclength predictor–corrector continuation.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bargain.solvers.normal_form._logit_equations import (
    _augmented_solve,
    _contract,
    _regret,
    _solve,
    _system,
    _tangent,
)

# status codes of _trace
REACHED = 0  # stopped exactly at lam_stop
POLISHED = 1  # a Nash equilibrium was polished from the path and verified
MAX_STEPS = 2  # step cap reached
STALLED = 3  # the step size fell below its floor
NOT_POLISHED = 4  # reached lam_stop while looking for an equilibrium, none verified

#: Polishing starts once the QRE's own regret (payoffs rescaled to range 1) is below this:
#: then the branch is close to its limit and unlikely to be passing by another equilibrium.
PRE_REGRET = 1e-4


@njit(cache=True)
def _correct(pay, shape, off, y0, t, H, J, U1, D, h):
    """Newton corrector orthogonal to t from y0; returns (y, ok, iterations)."""
    M = off[shape.shape[0]]
    y = y0.copy()
    rhs = np.zeros(M + 1)
    prev = np.inf
    # rounding noise of a Newton correction grows with |y| (log-probabilities of dropped
    # strategies fall like -λ·gap), so the noise floors below are relative to it
    noise = 1e-12 * max(1.0, np.max(np.abs(y0)))
    for it in range(10):
        _system(pay, shape, off, y, H, J, U1, D)
        rhs[:M] = -H
        rhs[M] = 0.0
        dz, ok = _augmented_solve(J, t, rhs)
        if not ok:
            return y, False, it
        size = np.sqrt(np.sum(dz * dz))
        if not np.isfinite(size):
            return y, False, it
        if it == 0 and size > 0.5 * h + noise:
            return y, False, it  # the predictor strayed too far from the curve
        if it > 0 and size > 0.6 * prev and size > 10.0 * noise:
            return y, False, it  # not contracting
        y += dz
        scale = 1.0
        for a in range(M + 1):
            scale = max(scale, abs(y[a]))
        if size <= 1e-11 * scale:
            _system(pay, shape, off, y, H, J, U1, D)
            return y, True, it + 1
        prev = size
    return y, False, 10


@njit(cache=True)
def _newton_fixed(pay, shape, off, y0, H, J, U1, D):
    """Newton in x at the fixed λ = y0[M]; returns (y, ok)."""
    M = off[shape.shape[0]]
    y = y0.copy()
    for _ in range(30):
        _system(pay, shape, off, y, H, J, U1, D)
        dx, ok = _solve(J[:, :M].copy(), -H)
        if not ok:
            return y, False
        y[:M] += dx
        scale = 1.0
        for a in range(M):
            scale = max(scale, abs(y[a]))
        if np.max(np.abs(dx)) <= 1e-12 * scale:
            return y, True
    return y, False


@njit(cache=True)
def _support(shape, off, p0, thresh):
    """Per player, the strategies with p_ik >= thresh · max_k p_ik."""
    N = shape.shape[0]
    M = off[N]
    supp = np.zeros(M, np.bool_)
    for i in range(N):
        top = 0.0
        for a in range(off[i], off[i + 1]):
            top = max(top, p0[a])
        for a in range(off[i], off[i + 1]):
            supp[a] = p0[a] >= thresh * top
    return supp


@njit(cache=True)
def _polish(pay, shape, off, p0, supp, tol, U1, D):
    """Newton on the indifference equations of the support `supp`, started from p0.

    Unknowns: the support probabilities and each player's value v_i; equations
    u_ik(p) = v_i on the support and Σ p_i = 1.  Returns (p, regret, ok)."""
    N = shape.shape[0]
    M = off[N]
    idx = np.full(M, -1, np.int64)
    nv = 0
    for a in range(M):
        if supp[a]:
            idx[a] = nv
            nv += 1
    K = nv + N
    p = np.zeros(M)
    for i in range(N):
        total = 0.0
        for a in range(off[i], off[i + 1]):
            if supp[a]:
                total += p0[a]
        for a in range(off[i], off[i + 1]):
            if supp[a]:
                p[a] = p0[a] / total
    _contract(pay, shape, off, p, U1, D, False)
    v = np.zeros(N)
    for i in range(N):
        for a in range(off[i], off[i + 1]):
            v[i] += p[a] * U1[a]
    F = np.empty(K)
    G = np.zeros((K, K))
    ok = False
    prev = np.inf
    for it in range(12):
        _contract(pay, shape, off, p, U1, D, True)
        G[:, :] = 0.0
        row = 0
        for i in range(N):
            for a in range(off[i], off[i + 1]):
                if not supp[a]:
                    continue
                F[row] = U1[a] - v[i]
                for b in range(M):
                    if supp[b] and idx[b] >= 0 and (b < off[i] or b >= off[i + 1]):
                        G[row, idx[b]] = D[a, b]
                G[row, nv + i] = -1.0
                row += 1
        for i in range(N):
            total = 0.0
            for a in range(off[i], off[i + 1]):
                if supp[a]:
                    total += p[a]
                    G[row, idx[a]] = 1.0
            F[row] = total - 1.0
            row += 1
        res = np.max(np.abs(F))
        if res <= 1e-14:
            ok = True
            break
        if it >= 3 and res > 0.25 * prev:
            return p, np.inf, False  # not converging quadratically: wrong support
        prev = res
        dz, ok = _solve(G.copy(), -F)
        if not ok:  # singular (degenerate support): a regularized least-squares step
            GtG = G.T @ G
            mu = 1e-10 * max(1.0, np.max(np.abs(GtG)))
            for k in range(K):
                GtG[k, k] += mu
            dz, ok = _solve(GtG, -(G.T @ F))
            if not ok:
                return p, np.inf, False
        for a in range(M):
            if supp[a]:
                p[a] += dz[idx[a]]
        for i in range(N):
            v[i] += dz[nv + i]
        if np.max(np.abs(dz)) <= 1e-15:
            ok = res <= 1e-10
            break
        if np.max(np.abs(p)) > 1e3:
            return p, np.inf, False
    if np.min(p) < -1e-10:
        return p, np.inf, False
    for i in range(N):
        total = 0.0
        for a in range(off[i], off[i + 1]):
            p[a] = max(p[a], 0.0)
            total += p[a]
        for a in range(off[i], off[i + 1]):
            p[a] /= total
    reg = _regret(pay, shape, off, p, U1, D)
    return p, reg, ok and reg <= tol


@njit(cache=True)
def _radius(lam):
    """How far (max norm) a polished equilibrium may lie from the QRE at λ (rescaled).

    A regular equilibrium is approached at rate O(1/λ); 1/(2√λ) is eventually larger than
    that, and rejects other equilibria that the branch merely passes at moderate λ."""
    return min(0.05, 0.5 / np.sqrt(max(lam, 1e-300)))


@njit(cache=True)
def _try_polish(pay, shape, off, p0, tol, radius, U1, D):
    """Polish from supports of decreasing threshold; returns (p, regret, ok).

    A polished profile is accepted only within `radius` (max norm) of p0, so that it is
    the equilibrium the branch is heading to, not another one nearby."""
    best_p = p0.copy()
    best_r = np.inf
    last = np.zeros(p0.shape[0], np.bool_)
    for thresh in (0.9, 0.3, 0.1, 1e-2, 1e-3, 1e-5, 1e-8):
        supp = _support(shape, off, p0, thresh)
        if np.array_equal(supp, last):
            continue
        last = supp
        p, reg, ok = _polish(pay, shape, off, p0, supp, tol, U1, D)
        if ok and np.max(np.abs(p - p0)) <= radius:
            return p, reg, True
        if reg < best_r:
            best_r = reg
            best_p = p
    return best_p, best_r, False


@njit(cache=True)
def _stalled(pay, shape, off, y, find_nash, tol, npts, U1, D):
    """Return value of _trace when the step size underflows at y: polished if possible."""
    M = off[shape.shape[0]]
    p = np.exp(y[:M])
    if find_nash:
        q, reg, good = _try_polish(pay, shape, off, p, tol, _radius(y[M]), U1, D)
        if good:
            return POLISHED, npts, q, y[M], reg
    return STALLED, npts, p, y[M], _regret(pay, shape, off, p, U1, D)


@njit(cache=True)
def _trace(pay, shape, off, lam_stop, find_nash, tol, step, max_steps, accel, path):
    """Follow the principal logit branch from the centroid at λ = 0.

    Stops at ``λ = lam_stop`` exactly (landing with Newton at fixed λ), or, when
    `find_nash`, as soon as a point of the path polishes to a profile with regret ≤ tol.
    Accepted points (x, λ) are written to the rows of `path` if it has max_steps + 2
    rows (pass a 1-row array not to record them).
    Returns (status, number of points, final profile p, final λ, regret)."""
    N = shape.shape[0]
    M = off[N]
    H = np.empty(M)
    J = np.empty((M, M + 1))
    U1 = np.empty(M)
    D = np.empty((M, M))
    y = np.empty(M + 1)
    for i in range(N):
        for a in range(off[i], off[i + 1]):
            y[a] = -np.log(off[i + 1] - off[i])
    y[M] = 0.0
    store = path.shape[0] > max_steps  # record the path only when room was given for it
    if store:
        path[0, :] = y
    npts = 1
    _system(pay, shape, off, y, H, J, U1, D)
    t = np.zeros(M + 1)
    t[M] = 1.0
    t, _ = _tangent(J, t)
    if t[M] < 0.0:
        t = -t
    h = step
    next_polish = 4.0
    p_old = np.exp(y[:M])
    s_old = np.zeros(M)  # previous step's change of p
    seen = False  # whether the last polish attempt found an equilibrium
    q_seen = np.zeros(M)
    dist_seen = np.inf
    for _ in range(max_steps):
        y_new, ok, iters = _correct(pay, shape, off, y + h * t, t, H, J, U1, D, h)
        t_new = t
        if ok:
            t_new, ok = _tangent(J, t)
            if ok and np.dot(t_new, t) < 0.95:
                ok = False
        if ok:
            # Safeguards in probability space, where the game lives: the arclength in x is
            # dominated at large λ by strategies whose log-probability falls like -λ·gap,
            # so long steps could jump between the two legs of a fold unnoticed.  A step
            # may not move a probability by more than 0.05 nor λ by more than 30% (+2);
            # the corrector may not move p by more than half the step's own movement; and
            # the profile may not reverse its direction of motion (a jump to a leg
            # traversed backwards).
            p_new = np.exp(y_new[:M])
            p_pred = np.exp(y[:M] + h * t[:M])
            s_new = p_new - p_old
            move = np.max(np.abs(s_new))
            n_new = np.sqrt(np.dot(s_new, s_new))
            n_old = np.sqrt(np.dot(s_old, s_old))
            if move > 0.05 or y_new[M] < 0.0 or abs(y_new[M] - y[M]) > 0.3 * y[M] + 2.0:
                ok = False
            elif np.max(np.abs(p_new - p_pred)) > 0.5 * move + 1e-9:
                ok = False
            elif n_new > 1e-8 and n_old > 1e-8 and np.dot(s_new, s_old) < 0.0:
                ok = False
        if not ok:
            h *= 0.5
            if h < 1e-11 * max(1.0, np.max(np.abs(y))):
                return _stalled(pay, shape, off, y, find_nash, tol, npts, U1, D)
            continue
        if y_new[M] >= lam_stop and y[M] < lam_stop:
            frac = (lam_stop - y[M]) / (y_new[M] - y[M])
            y_end = y + frac * (y_new - y)
            y_end[M] = lam_stop
            y_end, ok = _newton_fixed(pay, shape, off, y_end, H, J, U1, D)
            if ok:
                if store:
                    path[npts, :] = y_end
                npts += 1
                p = np.exp(y_end[:M])
                if find_nash:
                    q, reg, good = _try_polish(pay, shape, off, p, tol, _radius(lam_stop), U1, D)
                    if good:
                        return POLISHED, npts, q, lam_stop, reg
                    return NOT_POLISHED, npts, p, lam_stop, _regret(pay, shape, off, p, U1, D)
                return REACHED, npts, p, lam_stop, _regret(pay, shape, off, p, U1, D)
            h *= 0.5  # retry with a shorter step towards lam_stop
            if h < 1e-11 * max(1.0, np.max(np.abs(y))) or lam_stop - y[M] <= 1e-9 * lam_stop:
                return _stalled(pay, shape, off, y, find_nash, tol, npts, U1, D)
            continue
        y = y_new
        t = t_new
        s_old = s_new
        p_old = p_new
        if store:
            path[npts, :] = y
        npts += 1
        if iters <= 3:
            h *= accel
        elif iters >= 6:
            h *= 0.7
        if find_nash and y[M] >= next_polish:
            # Accept a polished equilibrium only when two successive attempts (λ apart by
            # a factor 1.4) polish to consistent profiles (equal, or, in a continuum of
            # equilibria, within the previous distance) and the branch came closer at
            # least as fast as 1/λ would (distance ratio <= 0.8 > 1/1.4): the branch may
            # pass by an equilibrium and turn away, or converge slowly to another one
            # close by, from which its distance then levels off.
            next_polish = y[M] * 1.4
            p = np.exp(y[:M])
            if _regret(pay, shape, off, p, U1, D) > PRE_REGRET:
                continue  # the QRE is not yet close to any equilibrium: keep tracing
            q, reg, good = _try_polish(pay, shape, off, p, tol, _radius(y[M]), U1, D)
            if good:
                dist = np.max(np.abs(q - p))
                if (
                    seen
                    and np.max(np.abs(q - q_seen)) <= max(1e-9, dist_seen)
                    and (dist <= 0.8 * dist_seen)
                ):
                    return POLISHED, npts, q, y[M], reg
                q_seen = q
                dist_seen = dist
                seen = True
            else:
                seen = False
    p = np.exp(y[:M])
    return MAX_STEPS, npts, p, y[M], _regret(pay, shape, off, p, U1, D)
