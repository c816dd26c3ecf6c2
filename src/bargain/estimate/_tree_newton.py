"""The tree log-likelihood with its gradient and analytic Hessian in one Numba pass.

Second-order forward mode over the "active" utilities (those an equation moves: the
estimated (player, leaf) slots, and the nonzero utilities of players with a scale
equation).  Per observation and node: the leaf probabilities ``P``, their first and
second derivatives in the active utilities, through each binary decision

    π₂ = F(z),  z = (EU₂ − EU₁)/s,  s = √2 (agent) or √(Σₐ Σₜ P(t|a)²) (private),

and the chain rule ``∇²ℓ = ∇²P_y / P_y − ∇ℓ ∇ℓᵀ`` at the root; then to the linear indices
(``V = W/σ``, ``σ = e^γ`` for a scaled player) and to the parameters through the
stacked design.  Chunks of observations run in parallel.  Checked against finite
differences of the gradient in ``tests/estimate/test_tree_hessian.py``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from bargain.estimate._egame12_newton import _cdf3

__all__ = ["active_utilities", "tree_newton"]

_SQRT2 = math.sqrt(2.0)
# rows per parallel chunk: on 2 cores with one busy, 10^4-row fits of egame122/123 take
# 20% less time in 4 chunks than in one; 10^3-row fits 35% more (threads spin-wait)
CHUNK_ROWS = 2_500


def active_utilities(slots, payoffs, scaled_players):
    """Active (player, leaf) pairs, and each slot's position among them."""
    act = list(dict.fromkeys(tuple(int(v) for v in s) for s in slots))
    for p in scaled_players:
        for t in range(payoffs.shape[1]):
            if payoffs[p, t] != 0.0 and (p, t) not in act:
                act.append((p, t))
    act.sort(key=lambda pt: (pt[1], pt[0]))  # by leaf: a subtree's are a contiguous run
    slot_a = np.array([act.index(tuple(s)) for s in slots], dtype=np.int64)
    return (
        np.array([p for p, _ in act], dtype=np.int64),
        np.array([t for _, t in act], dtype=np.int64),
        slot_a,
    )


@njit(cache=True)
def _chunk(
    y, X, eq, theta, kind, player, first, count, kids, probs, leaf, lo_t, hi_t, alo, ahi, pay,
    slot_a, act_p, act_t, scale_of, logit, private, hess, lo, hi, g_out, h_out,
):  # fmt: skip
    k = X.shape[1]
    n_nodes = kind.shape[0]
    n_pl, n_lv = pay.shape
    na = act_p.shape[0]
    n_slots = slot_a.shape[0]
    n_eq = n_slots
    for p in range(scale_of.shape[0]):
        n_eq = max(n_eq, n_slots + scale_of[p] + 1)
    lin = np.zeros(max(n_eq, 1))
    V = np.zeros((n_pl, n_lv))
    sig = np.ones(n_pl)
    P = np.zeros((n_nodes, n_lv))
    dP = np.zeros((n_nodes, n_lv, na))
    d2P = np.zeros((n_nodes, n_lv, na, na))
    for nd in range(n_nodes):
        if kind[nd] == 0:
            P[nd, leaf[nd]] = 1.0  # leaves never change: set once
    deu = np.zeros((2, na))
    d2eu = np.zeros((2, na, na))
    dQ = np.zeros(na)
    d2Q = np.zeros((na, na))
    dz = np.zeros(na)
    d2z = np.zeros((na, na))
    dl = np.zeros(na)
    d2l = np.zeros((na, na))
    J = np.zeros((na, max(n_eq, 1)))
    g_eq = np.zeros(max(n_eq, 1))
    h_eq = np.zeros((max(n_eq, 1), max(n_eq, 1)))
    eu = np.zeros(2)
    total = 0.0
    for i in range(lo, hi):
        for e in range(n_eq):
            lin[e] = 0.0
        for j in range(k):
            lin[eq[j]] += X[i, j] * theta[j]
        for p in range(n_pl):
            sig[p] = 1.0
            if scale_of.shape[0] and scale_of[p] >= 0:
                sig[p] = math.exp(min(max(lin[n_slots + scale_of[p]], -700.0), 700.0))
            for t in range(n_lv):
                V[p, t] = pay[p, t]
        for s in range(n_slots):
            V[act_p[slot_a[s]], act_t[slot_a[s]]] += lin[s]
        for p in range(n_pl):
            for t in range(n_lv):
                V[p, t] /= sig[p]
        for nd in range(n_nodes - 1, -1, -1):
            kd = kind[nd]
            if kd == 0:
                continue
            if kd == 1:
                for t in range(n_lv):
                    P[nd, t] = 0.0
                    for a in range(na):
                        dP[nd, t, a] = 0.0
                        for b in range(na):
                            d2P[nd, t, a, b] = 0.0
                for m in range(count[nd]):
                    c = kids[first[nd] + m]
                    w = probs[first[nd] + m]
                    for t in range(n_lv):
                        P[nd, t] += w * P[c, t]
                        for a in range(na):
                            dP[nd, t, a] += w * dP[c, t, a]
                            for b in range(na):
                                d2P[nd, t, a, b] += w * d2P[c, t, a, b]
                continue
            pl = player[nd]
            a0, a1 = alo[nd], ahi[nd]  # the active utilities at the leaves below
            ss = 0.0
            for a in range(a0, a1):
                dQ[a] = 0.0
                for b in range(a0, a1):
                    d2Q[a, b] = 0.0
            for m in range(2):
                c = kids[first[nd] + m]
                t0, t1 = lo_t[c], hi_t[c]
                inner = kind[c] != 0  # a leaf's probabilities have no derivatives
                acc = 0.0
                for t in range(t0, t1):
                    acc += P[c, t] * V[pl, t]
                    ss += P[c, t] * P[c, t]
                eu[m] = acc
                for a in range(a0, a1):
                    deu[m, a] = 0.0
                    for b in range(a0, a + 1):
                        d2eu[m, a, b] = 0.0
                # only the child's own active utilities move its expected utility
                c0a, c1a = max(a0, alo[c]), min(a1, ahi[c])
                for a in range(c0a, c1a):
                    acc = 0.0
                    if inner:
                        for t in range(t0, t1):
                            acc += dP[c, t, a] * V[pl, t]
                    if act_p[a] == pl:
                        acc += P[c, act_t[a]]
                    deu[m, a] = acc
                    for b in range(c0a, a + 1):
                        acc = 0.0
                        if inner:
                            for t in range(t0, t1):
                                acc += d2P[c, t, a, b] * V[pl, t]
                            if act_p[b] == pl:
                                acc += dP[c, act_t[b], a]
                            if act_p[a] == pl:
                                acc += dP[c, act_t[a], b]
                        d2eu[m, a, b] = acc
                    if private and inner:
                        acc = 0.0
                        for t in range(t0, t1):
                            acc += P[c, t] * dP[c, t, a]
                        dQ[a] += 2.0 * acc
                        for b in range(c0a, a + 1):
                            acc = 0.0
                            for t in range(t0, t1):
                                acc += dP[c, t, a] * dP[c, t, b] + P[c, t] * d2P[c, t, a, b]
                            d2Q[a, b] += 2.0 * acc
            delta = eu[1] - eu[0]
            if private:
                s = math.sqrt(ss)
                z = delta / s
                for a in range(a0, a1):
                    dsa = dQ[a] / (2.0 * s)
                    dda = deu[1, a] - deu[0, a]
                    dz[a] = dda / s - delta * dsa / (s * s)
                    for b in range(a0, a + 1):
                        dsb = dQ[b] / (2.0 * s)
                        ddb = deu[1, b] - deu[0, b]
                        d2s = d2Q[a, b] / (2.0 * s) - dQ[a] * dQ[b] / (4.0 * s**3)
                        d2z[a, b] = (
                            (d2eu[1, a, b] - d2eu[0, a, b]) / s
                            - (dda * dsb + ddb * dsa) / (s * s)
                            - delta * d2s / (s * s)
                            + 2.0 * delta * dsa * dsb / s**3
                        )
            else:
                z = delta / _SQRT2
                for a in range(a0, a1):
                    dz[a] = (deu[1, a] - deu[0, a]) / _SQRT2
                    for b in range(a0, a + 1):
                        d2z[a, b] = (d2eu[1, a, b] - d2eu[0, a, b]) / _SQRT2
            pi2, f, fp = _cdf3(z, logit)
            t_lo, t_hi = lo_t[nd], hi_t[nd]
            if nd == 0:  # at the root only the observed leaf's probability is used
                t_lo, t_hi = y[i], y[i] + 1
            # the children's leaves are disjoint runs: below child m, P(t) = w_m P_m(t)
            # with w_0 = 1 − π₂, w_1 = π₂ (so ∂w_m = ±F' ∂z), and the other child's
            # probabilities are zero there
            for m in range(2):
                c = kids[first[nd] + m]
                w = pi2 if m == 1 else 1.0 - pi2
                sf = f if m == 1 else -f
                sfp = fp if m == 1 else -fp
                for t in range(max(t_lo, lo_t[c]), min(t_hi, hi_t[c])):
                    pc = P[c, t]
                    P[nd, t] = w * pc
                    for a in range(a0, a1):
                        dpa = dP[c, t, a]
                        dP[nd, t, a] = w * dpa + sf * dz[a] * pc
                        for b in range(a0, a + 1):  # lower triangle only: all that is read
                            d2P[nd, t, a, b] = (
                                w * d2P[c, t, a, b]
                                + sf * (dz[b] * dpa + dz[a] * dP[c, t, b] + d2z[a, b] * pc)
                                + sfp * dz[a] * dz[b] * pc
                            )
        yi = y[i]
        pr = P[0, yi]
        total += math.log(pr)
        for a in range(na):
            dl[a] = dP[0, yi, a] / pr
        for a in range(na):
            for b in range(a + 1):
                v = d2P[0, yi, a, b] / pr - dl[a] * dl[b]
                d2l[a, b] = v
                d2l[b, a] = v
        # to the linear indices: J = ∂V/∂index, plus Σₐ ∂ℓ/∂Vₐ ∇²Vₐ
        for a in range(na):
            for e in range(n_eq):
                J[a, e] = 0.0
        for s in range(n_slots):
            J[slot_a[s], s] = 1.0 / sig[act_p[slot_a[s]]]
        for a in range(na):
            p = act_p[a]
            if scale_of.shape[0] and scale_of[p] >= 0:
                J[a, n_slots + scale_of[p]] = -V[p, act_t[a]]
        for e in range(n_eq):
            acc = 0.0
            for a in range(na):
                acc += J[a, e] * dl[a]
            g_eq[e] = acc
        for j in range(k):
            g_out[j] += X[i, j] * g_eq[eq[j]]
        if not hess:
            continue
        for e in range(n_eq):
            for f2 in range(e + 1):
                acc = 0.0
                for a in range(na):
                    if J[a, e] != 0.0:
                        for b in range(na):
                            acc += J[a, e] * d2l[a, b] * J[b, f2]
                h_eq[e, f2] = acc
        for s in range(n_slots):
            a = slot_a[s]
            p = act_p[a]
            if scale_of.shape[0] and scale_of[p] >= 0:
                e = n_slots + scale_of[p]  # ∂²V/∂index ∂γ = −1/σ
                h_eq[e, s] += -dl[a] / sig[p]
        for a in range(na):
            p = act_p[a]
            if scale_of.shape[0] and scale_of[p] >= 0:
                e = n_slots + scale_of[p]  # ∂²V/∂γ² = V
                h_eq[e, e] += dl[a] * V[p, act_t[a]]
        for e in range(n_eq):
            for f2 in range(e):
                h_eq[f2, e] = h_eq[e, f2]
        for j in range(k):
            xj = X[i, j]
            ej = eq[j]
            for m in range(j + 1):
                h_out[j, m] += xj * X[i, m] * h_eq[ej, eq[m]]
    return total


@njit(cache=True, parallel=True)
def _fused(
    y, X, eq, theta, kind, player, first, count, kids, probs, leaf, lo_t, hi_t, alo, ahi, pay,
    slot_a, act_p, act_t, scale_of, logit, private, hess, n_chunks, ll, g, h,
):  # fmt: skip
    n = y.shape[0]
    size = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = c * size
        hi = min(n, lo + size)
        if lo < hi:
            ll[c] = _chunk(
                y, X, eq, theta, kind, player, first, count, kids, probs, leaf, lo_t, hi_t,
                alo, ahi, pay, slot_a, act_p, act_t, scale_of, logit, private, hess, lo, hi,
                g[c], h[c],
            )  # fmt: skip


def tree_newton(arrays, y, X, eq, theta, active, scale_of, *, logit, private, hess=True):
    """Total log-likelihood, gradient and (if `hess`) Hessian in the parameters.

    `active` is :func:`active_utilities`'s answer; the other inputs as for
    :func:`bargain.estimate._tree_kernel.tree_fused`.
    """
    n, k = X.shape
    n_chunks = int(max(1, min(64, n // CHUNK_ROWS)))
    ll = np.zeros(n_chunks)
    g = np.zeros((n_chunks, k))
    h = np.zeros((n_chunks, k, k))
    a = arrays
    act_p, act_t, slot_a = active
    # per node, the run [alo, ahi) of active utilities at its leaves (a.lo ≤ t < a.hi);
    # derivatives in the others are zero there
    alo = np.searchsorted(act_t, a.lo, side="left").astype(np.int64)
    ahi = np.searchsorted(act_t, a.hi, side="left").astype(np.int64)
    theta = np.array(theta, dtype=float)
    if n_chunks == 1:  # one chunk: no thread launch
        ll[0] = _chunk(
            y, X, eq, theta, a.kind, a.player, a.first, a.count, a.kids, a.probs, a.leaf,
            a.lo, a.hi, alo, ahi, a.payoffs, slot_a, act_p, act_t, scale_of, logit, private,
            hess, 0, n, g[0], h[0],
        )  # fmt: skip
    else:
        _fused(
            y, X, eq, theta, a.kind, a.player, a.first, a.count, a.kids, a.probs, a.leaf,
            a.lo, a.hi, alo, ahi, a.payoffs, slot_a, act_p, act_t, scale_of, logit, private,
            hess, n_chunks, ll, g, h,
        )  # fmt: skip
    H = h.sum(axis=0)
    return float(ll.sum()), g.sum(axis=0), np.tril(H) + np.tril(H, -1).T
