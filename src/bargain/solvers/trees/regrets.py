"""Regrets of a behavior profile on a tree, node by node: the subgame-perfection check.

:func:`one_shot_regrets` gives each player's Nash regret at the root and the largest gain
from a one-shot deviation at any decision node, reached or not, in one compiled pass over
the flat tree (:func:`_regrets`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from bargain.games.flat import CHANCE, DECISION, TERMINAL
from bargain.solvers._interpreted import INTERPRETED_MAX_NODES, interpreted

__all__ = ["one_shot_regrets"]


def _arrays(flat: Any) -> tuple:
    """The flat tree as the kernels' arguments (NaN probabilities of decisions as 0)."""
    return (
        flat.kind,
        flat.player,
        flat.child_start,
        flat.n_children,
        flat.children,
        np.nan_to_num(flat.edge_prob, nan=0.0),
        flat.leaf,
        flat.payoffs,
    )


def one_shot_regrets(tree: Any, behavior: Any) -> tuple[np.ndarray, float]:
    """Nash regrets and the largest one-shot gain of a behavior profile, node by node.

    The per-player regrets equal :func:`bargain.solvers.api.regret` on the tree; the
    one-shot gain, checked at every decision node whether reached or not, is what tells a
    subgame-perfect equilibrium from a Nash equilibrium with incredible threats.

    Parameters
    ----------
    tree : GameTree
        Numeric tree (any information structure is accepted for the Nash regret, but the
        one-shot check is node by node, so it is meaningful for perfect information).
    behavior : sequence
        Per player, per information set (order of first appearance), action probabilities.

    Returns
    -------
    regrets : numpy.ndarray
        Per player: best-response value against the others' behavior (by backward induction
        over the player's own decisions) minus the profile's value, at the root.
    one_shot : float
        Largest gain from a one-shot deviation at any decision node, reached or not (0 for
        a subgame-perfect equilibrium).

    Examples
    --------
    >>> import numpy as np
    >>> from bargain import Decision, GameTree, Terminal
    >>> t = GameTree(("E", "I"), Decision("E", {
    ...     "Out": Terminal(0, 5),
    ...     "In": Decision("I", {"Accommodate": Terminal(2, 3), "Fight": Terminal(-1, -1)})}))
    >>> threat = ((np.array([1.0, 0.0]),), (np.array([0.0, 1.0]),))  # Out; Fight
    >>> r, one_shot = one_shot_regrets(t, threat)
    >>> r.tolist(), one_shot   # a Nash equilibrium that is not subgame perfect
    ([0.0, 0.0], 4.0)
    """
    flat = tree.flatten()
    beh = np.zeros(len(flat.children))
    for p in range(tree.n_players):
        mine = [s for s in tree.infosets if s.player == p]
        for s, probs in zip(mine, behavior[p], strict=True):
            for node in s.nodes:
                start = flat.child_start[node]
                beh[start : start + flat.n_children[node]] = np.asarray(probs, float)
    kernel = _regrets if len(flat.kind) > INTERPRETED_MAX_NODES else interpreted(_regrets)
    _, regrets, one_shot = kernel(*_arrays(flat), beh)
    return np.maximum(regrets, 0.0), float(max(0.0, one_shot))


# -- kernels -------------------------------------------------------------------------------


@njit(cache=True)
def _regrets(kind, player, child_start, n_children, children, prob, leaf, payoffs, beh):
    """Profile values, each player's best-response regret at the root, one-shot regret."""
    n_nodes = kind.shape[0]
    n_pl = payoffs.shape[1]
    val = np.zeros((n_nodes, n_pl))
    best = np.zeros((n_nodes, n_pl))  # column p: p's best-response value against the others
    one_shot = 0.0
    for i in range(n_nodes - 1, -1, -1):
        if kind[i] == TERMINAL:
            val[i] = payoffs[leaf[i]]
            best[i] = payoffs[leaf[i]]
            continue
        s = child_start[i]
        k = n_children[i]
        w = prob if kind[i] == CHANCE else beh
        for j in range(n_pl):
            acc = 0.0
            bacc = 0.0
            for a in range(k):
                acc += w[s + a] * val[children[s + a], j]
                bacc += w[s + a] * best[children[s + a], j]
            val[i, j] = acc
            best[i, j] = bacc
        if kind[i] == DECISION:
            pl = player[i]
            m = -np.inf
            bm = -np.inf
            for a in range(k):
                m = max(m, val[children[s + a], pl])
                bm = max(bm, best[children[s + a], pl])
            one_shot = max(one_shot, m - val[i, pl])
            best[i, pl] = bm
    regrets = np.empty(n_pl)
    for j in range(n_pl):
        regrets[j] = best[0, j] - val[0, j]
    return val, regrets, one_shot
