"""The tree likelihood and its gradient in one fused Numba pass (binary decisions).

The same backward induction as :func:`bargain.estimate._tree.tree_probabilities`, one
observation at a time: each node's leaf probabilities and their derivatives in every
scaled utility ``V[p, t]`` (forward mode), then the chain rule to the parameters through
the stacked design matrix.  Observations are split into chunks run in parallel, each
summing its own log-likelihood and gradient.  Trees with a decision of more than two
actions use the NumPy code instead.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from bargain.estimate._tree import CompiledTree

__all__ = ["TreeArrays", "tree_arrays", "tree_fused"]

_SQRT2 = math.sqrt(2.0)
_EPS = np.finfo(float).eps
_HI = 1.0 - np.finfo(float).epsneg
_INV_SQRT2PI = 1.0 / np.sqrt(2.0 * np.pi)


class TreeArrays:
    """A compiled tree as flat integer/float arrays for the kernel."""

    def __init__(self, ct: CompiledTree):
        n = len(ct.kind)
        self.kind = np.array(
            [{"terminal": 0, "chance": 1, "decision": 2}[k] for k in ct.kind], dtype=np.int64
        )
        self.player = np.array(ct.player, dtype=np.int64)
        self.first = np.zeros(n, dtype=np.int64)
        self.count = np.zeros(n, dtype=np.int64)
        kids, probs = [], []
        for i in range(n):
            self.first[i] = len(kids)
            self.count[i] = len(ct.children[i])
            kids.extend(ct.children[i])
            probs.extend(ct.chance_probs[i] or (0.0,) * len(ct.children[i]))
        self.kids = np.array(kids, dtype=np.int64)
        self.probs = np.array(probs, dtype=float)
        self.leaf = np.full(n, -1, dtype=np.int64)
        for t, node in enumerate(ct.leaves):
            self.leaf[node] = t
        self.payoffs = np.ascontiguousarray(ct.payoffs, dtype=float)
        # the leaves below each node, as a range [lo, hi) when they are contiguous
        n_lv = len(ct.leaves)
        below = [set() for _ in range(n)]
        for i in range(n - 1, -1, -1):
            below[i] = {int(self.leaf[i])} if ct.kind[i] == "terminal" else set()
            for c in ct.children[i]:
                below[i] |= below[c]
        self.lo = np.zeros(n, dtype=np.int64)
        self.hi = np.full(n, n_lv, dtype=np.int64)
        for i in range(n):
            if below[i] and max(below[i]) - min(below[i]) + 1 == len(below[i]):
                self.lo[i], self.hi[i] = min(below[i]), max(below[i]) + 1
        self.binary = all(self.count[i] == 2 for i in range(n) if ct.kind[i] == "decision") and all(
            ct.children[i] and min(ct.children[i]) > i for i in range(n) if ct.children[i]
        )


def tree_arrays(ct: CompiledTree) -> TreeArrays:
    """Flatten `ct` for :func:`tree_fused`."""
    return TreeArrays(ct)


@njit(cache=True, inline="always")
def _cdf_pdf(z, logit):
    if logit:
        e = 1.0 / (1.0 + math.exp(-z)) if z > -700.0 else 0.0
        pdf = e * (1.0 - e)
    else:
        e = 0.5 * math.erfc(-z / _SQRT2)
        pdf = math.exp(-0.5 * z * z) * _INV_SQRT2PI
    return min(max(e, _EPS), _HI), pdf


@njit(cache=True)
def _chunk(
    y, X, eq, theta, kind, player, first, count, kids, probs, leaf, pay,
    slot_p, slot_t, scale_of, logit, private, lo, hi, g_out,
):  # fmt: skip
    k = X.shape[1]
    n_nodes = kind.shape[0]
    n_pl, n_lv = pay.shape
    nq = n_pl * n_lv
    n_slots = slot_p.shape[0]
    n_eq = n_slots + (0 if scale_of.shape[0] == 0 else scale_of.max() + 1)
    lin = np.zeros(max(n_eq, 1))
    V = np.zeros((n_pl, n_lv))
    sig = np.ones(n_pl)
    P = np.zeros((n_nodes, n_lv))
    dP = np.zeros((n_nodes, n_lv, nq))
    deu = np.zeros((2, nq))
    ds = np.zeros(nq)
    dV = np.zeros(nq)
    g_eq = np.zeros(max(n_eq, 1))
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
            V[slot_p[s], slot_t[s]] += lin[s]
        for p in range(n_pl):
            for t in range(n_lv):
                V[p, t] /= sig[p]
        for nd in range(n_nodes - 1, -1, -1):
            kd = kind[nd]
            if kd == 0:
                for t in range(n_lv):
                    P[nd, t] = 0.0
                    for q in range(nq):
                        dP[nd, t, q] = 0.0
                P[nd, leaf[nd]] = 1.0
            elif kd == 1:
                for t in range(n_lv):
                    P[nd, t] = 0.0
                    for q in range(nq):
                        dP[nd, t, q] = 0.0
                for a in range(count[nd]):
                    c = kids[first[nd] + a]
                    w = probs[first[nd] + a]
                    for t in range(n_lv):
                        P[nd, t] += w * P[c, t]
                        for q in range(nq):
                            dP[nd, t, q] += w * dP[c, t, q]
            else:
                pl = player[nd]
                ss = 0.0
                for a in range(2):
                    c = kids[first[nd] + a]
                    acc = 0.0
                    for t in range(n_lv):
                        acc += P[c, t] * V[pl, t]
                        ss += P[c, t] * P[c, t]
                    eu[a] = acc
                    for q in range(nq):
                        acc = 0.0
                        for t in range(n_lv):
                            acc += dP[c, t, q] * V[pl, t]
                        deu[a, q] = acc
                    for t in range(n_lv):
                        deu[a, pl * n_lv + t] += P[c, t]
                s = math.sqrt(ss) if private else _SQRT2
                z = (eu[1] - eu[0]) / s
                pi2, f = _cdf_pdf(z, logit)
                pi1 = 1.0 - pi2
                c0 = kids[first[nd]]
                c1 = kids[first[nd] + 1]
                for q in range(nq):
                    dz = (deu[1, q] - deu[0, q]) / s
                    if private:
                        acc = 0.0
                        for t in range(n_lv):
                            acc += P[c0, t] * dP[c0, t, q] + P[c1, t] * dP[c1, t, q]
                        dz -= z / s * (acc / s)
                    ds[q] = f * dz  # d pi2 / d V_q
                for t in range(n_lv):
                    P[nd, t] = pi1 * P[c0, t] + pi2 * P[c1, t]
                    diff = P[c1, t] - P[c0, t]
                    for q in range(nq):
                        dP[nd, t, q] = pi1 * dP[c0, t, q] + pi2 * dP[c1, t, q] + diff * ds[q]
        yi = y[i]
        pr = P[0, yi]
        total += math.log(pr)
        for q in range(nq):
            dV[q] = dP[0, yi, q] / pr
        for s in range(n_slots):
            p = slot_p[s]
            g_eq[s] = dV[p * n_lv + slot_t[s]] / sig[p]
        for e in range(n_slots, n_eq):
            g_eq[e] = 0.0
        for p in range(n_pl):
            if scale_of.shape[0] and scale_of[p] >= 0:
                acc = 0.0
                for t in range(n_lv):
                    acc += dV[p * n_lv + t] * V[p, t]
                g_eq[n_slots + scale_of[p]] -= acc
        for j in range(k):
            g_out[j] += X[i, j] * g_eq[eq[j]]
    return total


@njit(cache=True, parallel=True)
def _fused(
    y, X, eq, theta, kind, player, first, count, kids, probs, leaf, pay,
    slot_p, slot_t, scale_of, logit, private, n_chunks, ll, g,
):  # fmt: skip
    n = y.shape[0]
    size = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = c * size
        hi = min(n, lo + size)
        if lo < hi:
            ll[c] = _chunk(
                y, X, eq, theta, kind, player, first, count, kids, probs, leaf, pay,
                slot_p, slot_t, scale_of, logit, private, lo, hi, g[c],
            )  # fmt: skip


def tree_fused(arrays, y, X, eq, theta, slot_p, slot_t, scale_of, *, logit, private):
    """Total log-likelihood and its gradient in the parameters.

    `y` holds leaf indices, `X` the stacked ``(n, k)`` design, ``eq[j]`` the equation of
    column ``j`` (slots first, then scale equations), ``slot_p``/``slot_t`` each slot's
    player and leaf, ``scale_of[p]`` player ``p``'s scale equation (−1: none; an empty
    array when nothing is scaled).
    """
    n, k = X.shape
    n_chunks = int(max(1, min(64, n // 20_000)))
    ll = np.zeros(n_chunks)
    g = np.zeros((n_chunks, k))
    a = arrays
    theta = np.array(theta, dtype=float)
    if n_chunks == 1:  # one chunk: no thread launch (it costs milliseconds on a busy machine)
        ll[0] = _chunk(
            y, X, eq, theta, a.kind, a.player, a.first, a.count, a.kids, a.probs, a.leaf,
            a.payoffs, slot_p, slot_t, scale_of, logit, private, 0, n, g[0],
        )  # fmt: skip
    else:
        _fused(
            y, X, eq, theta, a.kind, a.player, a.first, a.count, a.kids, a.probs, a.leaf,
            a.payoffs, slot_p, slot_t, scale_of, logit, private, n_chunks, ll, g,
        )  # fmt: skip
    return float(ll.sum()), g.sum(axis=0)
