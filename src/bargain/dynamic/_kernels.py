"""Numba kernels of the logit-QRE homotopy: the system H(β, V, λ) and its Jacobian.

Arrays only (see :meth:`StochasticGame.flat` for the layout); compiled on first call and
cached on disk (``cache=True``), never at import.

Unknowns ``x = (β, V, λ)``: ``β[s, i, a] = log σ_i(a | s)`` stored at ``off[s, i] + a``,
``V[s, i]`` at ``nb + s N + i``, and λ last.  Equations, for each state ``s`` and player
``i`` (rows in the same order as the unknowns):

* ``Σ_a σ_sia - 1 = 0``                                         (row of ``a = 0``)
* ``β_sia - β_si0 - λ (Q_sia - Q_si0) = 0`` for ``a ≥ 1``        (logit response)
* ``V_si - Σ_a σ_sia Q_sia = 0``                                  (row of ``V_si``)

with ``Q_sia = Σ_{a_-i} σ_-i(a_-i) [u_i(s, a, a_-i) + δ_i Σ_t φ(t | s, a, a_-i) V_ti]``.
At λ = 0 the solution is the centroid with its values; as λ → ∞ the logit equilibria
approach a stationary equilibrium (McKelvey & Palfrey 1995, 1998; the stochastic-game
homotopy of Eibelshäuser & Poensgen 2019).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V):
    """Q[s,i,a], dQ/dσ[s,i,a,j,b] (j ≠ i) and dQ/dV[s,i,a,t] (own values only)."""
    S, _, N = U.shape
    A = sigma.shape[2]
    Q = np.zeros((S, N, A))
    dQs = np.zeros((S, N, A, N, A))
    dQV = np.zeros((S, N, A, S))
    act = np.empty(N, dtype=np.int64)
    W = np.empty(N)
    for s in range(S):
        for p in range(nprof[s]):
            for i in range(N):
                act[i] = (p // strides[s, i]) % nA[s, i]
            for i in range(N):
                cont = 0.0
                for t in range(S):
                    cont += T[s, p, t] * V[t, i]
                W[i] = U[s, p, i] + delta[i] * cont
            for i in range(N):
                ai = act[i]
                pm = 1.0  # probability of the opponents' actions
                for j in range(N):
                    if j != i:
                        pm *= sigma[s, j, act[j]]
                Q[s, i, ai] += pm * W[i]
                for t in range(S):
                    dQV[s, i, ai, t] += pm * delta[i] * T[s, p, t]
                for j in range(N):
                    if j == i:
                        continue
                    pj = 1.0  # opponents other than j
                    for k in range(N):
                        if k != i and k != j:
                            pj *= sigma[s, k, act[k]]
                    dQs[s, i, ai, j, act[j]] += pj * W[i]
    return Q, dQs, dQV


@njit(cache=True)
def unpack(x, nA, off, nb):
    """σ (padded, zeros beyond each action set) and V from the unknowns."""
    S, N = nA.shape
    A = 0
    for s in range(S):
        for i in range(N):
            A = max(A, nA[s, i])
    sigma = np.zeros((S, N, A))
    V = np.empty((S, N))
    for s in range(S):
        for i in range(N):
            for a in range(nA[s, i]):
                sigma[s, i, a] = np.exp(x[off[s, i] + a])
            V[s, i] = x[nb + s * N + i]
    return sigma, V


@njit(cache=True)
def homotopy(U, T, nA, strides, delta, nprof, off, nb, x):
    """H(x) (length n) and its Jacobian (n × (n + 1), last column ∂H/∂λ)."""
    S, _, N = U.shape
    n = x.size - 1
    lam = x[n]
    sigma, V = unpack(x, nA, off, nb)
    Q, dQs, dQV = stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V)
    H = np.zeros(n)
    J = np.zeros((n, n + 1))
    for s in range(S):
        for i in range(N):
            o = off[s, i]
            k = nA[s, i]
            vrow = nb + s * N + i
            # normalization
            tot = 0.0
            for a in range(k):
                tot += sigma[s, i, a]
                J[o, o + a] = sigma[s, i, a]
            H[o] = tot - 1.0
            # logit differences
            for a in range(1, k):
                r = o + a
                H[r] = x[o + a] - x[o] - lam * (Q[s, i, a] - Q[s, i, 0])
                J[r, o + a] += 1.0
                J[r, o] -= 1.0
                for j in range(N):
                    if j == i:
                        continue
                    oj = off[s, j]
                    for b in range(nA[s, j]):
                        d = (dQs[s, i, a, j, b] - dQs[s, i, 0, j, b]) * sigma[s, j, b]
                        J[r, oj + b] -= lam * d
                for t in range(S):
                    J[r, nb + t * N + i] -= lam * (dQV[s, i, a, t] - dQV[s, i, 0, t])
                J[r, n] = -(Q[s, i, a] - Q[s, i, 0])
            # value
            ev = 0.0
            for a in range(k):
                ev += sigma[s, i, a] * Q[s, i, a]
                J[vrow, o + a] -= sigma[s, i, a] * Q[s, i, a]
            H[vrow] = V[s, i] - ev
            J[vrow, vrow] += 1.0
            for t in range(S):
                d = 0.0
                for a in range(k):
                    d += sigma[s, i, a] * dQV[s, i, a, t]
                J[vrow, nb + t * N + i] -= d
            for j in range(N):
                if j == i:
                    continue
                oj = off[s, j]
                for b in range(nA[s, j]):
                    d = 0.0
                    for a in range(k):
                        d += sigma[s, i, a] * dQs[s, i, a, j, b]
                    J[vrow, oj + b] -= d * sigma[s, j, b]
    return H, J


@njit(cache=True)
def residual(U, T, nA, strides, delta, nprof, off, nb, x, sigma, Q, act, H):
    """H(x) (what :func:`homotopy` returns first) written into `H`, without the Jacobian:
    the chord corrector needs only the residual, and the derivatives cost more than it.
    `sigma`, `Q` (S, N, A) and `act` (N, int) are workspaces: nothing is allocated."""
    S, _, N = U.shape
    n = x.size - 1
    lam = x[n]
    for s in range(S):
        for i in range(N):
            for a in range(nA[s, i]):
                sigma[s, i, a] = np.exp(x[off[s, i] + a])
                Q[s, i, a] = 0.0
    for s in range(S):
        for p in range(nprof[s]):
            for i in range(N):
                act[i] = (p // strides[s, i]) % nA[s, i]
            for i in range(N):
                pm = 1.0
                for j in range(N):
                    if j != i:
                        pm *= sigma[s, j, act[j]]
                if pm == 0.0:
                    continue
                cont = 0.0
                for t in range(S):
                    cont += T[s, p, t] * x[nb + t * N + i]
                Q[s, i, act[i]] += pm * (U[s, p, i] + delta[i] * cont)
    for s in range(S):
        for i in range(N):
            o = off[s, i]
            k = nA[s, i]
            tot = 0.0
            ev = 0.0
            for a in range(k):
                tot += sigma[s, i, a]
                ev += sigma[s, i, a] * Q[s, i, a]
            H[o] = tot - 1.0
            for a in range(1, k):
                H[o + a] = x[o + a] - x[o] - lam * (Q[s, i, a] - Q[s, i, 0])
            H[nb + s * N + i] = x[nb + s * N + i] - ev


@njit(cache=True)
def support_system(U, T, nA, strides, delta, nprof, supp, sigma, V):
    """Equilibrium equations on a support, in unknowns (σ on the support, V).

    Rows and columns: for each (s, i), one per support action (``Q_sia - V_si`` except the
    first support action's row, which is ``Σ σ - 1``), then one per value
    (``Q_si,first - V_si``).  ``supp`` is a 0/1 mask (S, N, A); returns F, dF.
    """
    S, _, N = U.shape
    Q, dQs, dQV = stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V)
    A = sigma.shape[2]
    col = -np.ones((S, N, A), dtype=np.int64)
    m = 0
    for s in range(S):
        for i in range(N):
            for a in range(nA[s, i]):
                if supp[s, i, a]:
                    col[s, i, a] = m
                    m += 1
    nv = m
    n = m + S * N
    F = np.zeros(n)
    dF = np.zeros((n, n))
    for s in range(S):
        for i in range(N):
            first = -1
            vcol = nv + s * N + i
            for a in range(nA[s, i]):
                if supp[s, i, a] == 0:
                    continue
                r = col[s, i, a]
                if first < 0:
                    first = a
                    tot = 0.0
                    for b in range(nA[s, i]):
                        if supp[s, i, b]:
                            tot += sigma[s, i, b]
                            dF[r, col[s, i, b]] = 1.0
                    F[r] = tot - 1.0
                    r = vcol  # the first action's indifference row is the value row
                F[r] = Q[s, i, a] - V[s, i]
                dF[r, vcol] -= 1.0
                for t in range(S):
                    dF[r, nv + t * N + i] += dQV[s, i, a, t]
                for j in range(N):
                    if j == i:
                        continue
                    for b in range(nA[s, j]):
                        if supp[s, j, b]:
                            dF[r, col[s, j, b]] += dQs[s, i, a, j, b]
    return F, dF


@njit(cache=True)
def profile_regret(U, T, nA, strides, delta, nprof, sigma):
    """Values V[s, i] of the padded profile `sigma` and its largest one-shot-deviation
    regret (the screening test of the QRE polish; results are verified by
    :mod:`bargain.dynamic.evaluate`)."""
    S, _, N = U.shape
    u = np.zeros((S, N))
    P = np.zeros((S, S))
    for s in range(S):
        for p in range(nprof[s]):
            pr = 1.0
            for i in range(N):
                pr *= sigma[s, i, (p // strides[s, i]) % nA[s, i]]
            if pr == 0.0:
                continue
            for i in range(N):
                u[s, i] += pr * U[s, p, i]
            for t in range(S):
                P[s, t] += pr * T[s, p, t]
    V = np.empty((S, N))
    for i in range(N):
        M = -delta[i] * P
        for s in range(S):
            M[s, s] += 1.0
        V[:, i] = np.linalg.solve(M, u[:, i].copy())
    Q = stage_derivatives(U, T, nA, strides, delta, nprof, sigma, V)[0]
    worst = 0.0
    for s in range(S):
        for i in range(N):
            for a in range(nA[s, i]):
                worst = max(worst, Q[s, i, a] - V[s, i])
    return V, worst
