"""Kernels of the agent form (:mod:`bargain.solvers.trees.agent`): arrays in, arrays out.

Behavior is laid out by *slot*: one per action of every information set, sets in
``tree.infosets`` order (``slot_first[h]`` is set ``h``'s first).  Nodes are in preorder,
so a forward loop meets parents first (reach probabilities) and a backward loop children
first (values).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["_agent_values", "_pure_agent"]


@njit(cache=True)
def _agent_values(
    kind,
    infoset,
    child_start,
    n_children,
    children,
    edge_prob,
    leaf,
    payoffs,
    slot_first,
    owner,
    slots,
):  # pragma: no cover - compiled
    """Action values per slot, reach per information set, expected payoffs at the root."""
    n = kind.shape[0]
    n_players = payoffs.shape[1]
    reach = np.zeros(n)
    reach[0] = 1.0
    for x in range(n):
        if kind[x] == 0:
            continue
        for k in range(n_children[x]):
            e = child_start[x] + k
            if kind[x] == 1:
                p = slots[slot_first[infoset[x]] + k]
            else:
                p = edge_prob[e]
            reach[children[e]] = reach[x] * p
    value = np.zeros((n, n_players))
    g = np.zeros(slots.shape[0])
    h_reach = np.zeros(slot_first.shape[0])
    for x in range(n - 1, -1, -1):
        if kind[x] == 0:
            value[x] = payoffs[leaf[x]]
            continue
        h = infoset[x]
        for k in range(n_children[x]):
            e = child_start[x] + k
            c = children[e]
            if kind[x] == 1:
                p = slots[slot_first[h] + k]
                g[slot_first[h] + k] += reach[x] * value[c, owner[h]]
            else:
                p = edge_prob[e]
            if p != 0.0:
                value[x] += p * value[c]
        if kind[x] == 1:
            h_reach[h] += reach[x]
    return g, h_reach, value[0].copy()


@njit(cache=True)
def _pure_agent(
    kind,
    infoset,
    child_start,
    n_children,
    children,
    edge_prob,
    leaf,
    payoffs,
    slot_first,
    owner,
    n_actions,
    absent,
    tol,
    max_found,
):  # pragma: no cover - compiled
    """Odometer over pure profiles; rows of chosen actions of the agent equilibria."""
    m = n_actions.shape[0]
    choice = np.zeros(m, np.int64)
    n_slots = 0
    for h in range(m):
        n_slots += n_actions[h]
    found = np.zeros((max_found, m), np.int64)
    count = 0
    while True:
        slots = np.zeros(n_slots)
        for h in range(m):
            slots[slot_first[h] + choice[h]] = 1.0
        g, _, _ = _agent_values(
            kind,
            infoset,
            child_start,
            n_children,
            children,
            edge_prob,
            leaf,
            payoffs,
            slot_first,
            owner,
            slots,
        )
        ok = True
        for h in range(m):
            mine = g[slot_first[h] + choice[h]]
            if absent[h]:  # the value is not linear in b_h: evaluate each deviation
                _, _, base = _agent_values(
                    kind,
                    infoset,
                    child_start,
                    n_children,
                    children,
                    edge_prob,
                    leaf,
                    payoffs,
                    slot_first,
                    owner,
                    slots,
                )
                for a in range(n_actions[h]):
                    if a == choice[h]:
                        continue
                    dev = slots.copy()
                    dev[slot_first[h] + choice[h]] = 0.0
                    dev[slot_first[h] + a] = 1.0
                    _, _, pay = _agent_values(
                        kind,
                        infoset,
                        child_start,
                        n_children,
                        children,
                        edge_prob,
                        leaf,
                        payoffs,
                        slot_first,
                        owner,
                        dev,
                    )
                    if pay[owner[h]] - base[owner[h]] > tol:
                        ok = False
                        break
            else:
                for a in range(n_actions[h]):
                    if g[slot_first[h] + a] - mine > tol:
                        ok = False
                        break
            if not ok:
                break
        if ok:
            found[count] = choice
            count += 1
            if count == max_found:
                return found, count
        h = m - 1
        while h >= 0:
            choice[h] += 1
            if choice[h] < n_actions[h]:
                break
            choice[h] = 0
            h -= 1
        if h < 0:
            return found, count
