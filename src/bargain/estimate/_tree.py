"""Strategic-model likelihood on any perfect-information game tree, by backward induction.

Utilities at the leaves are ``payoff + X β`` (one linear index per estimated
(player, leaf) "slot").  Working up from the leaves, each node carries, per observation,
the probability of every leaf below it and its derivative in every slot:

* a decision of player ``p`` between two actions picks the second with probability
  ``F((EU₂ − EU₁)/s)``, with ``EUₐ = Σₜ P(t | a) Vₚ(t)``; ``s = √2`` under agent error
  (one shock per action), ``s = √(Σₐ Σₜ P(t | a)²)`` under private information (one shock
  per own outcome, weighted by the probability of reaching it) — Signorino (2003,
  *Political Analysis* 11: 316–344);
* more than two actions (logit, agent error only): ``softmax(EU/√2)``, which is the
  binary rule above for two actions;
* a chance node mixes its children with its fixed probabilities.

Derivatives are propagated with the probabilities (forward-mode), so the gradient is
analytic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bargain.errors import GameShapeError, ParameterError
from bargain.estimate._links import clip, link_cdf, link_pdf
from bargain.games.extensive_form import Chance, Decision, GameTree

__all__ = ["CompiledTree", "compile_tree", "tree_probabilities"]

_SQRT2 = np.sqrt(2.0)


@dataclass(frozen=True)
class CompiledTree:
    """A perfect-information tree as arrays of node kinds, children and leaf payoffs."""

    tree: GameTree
    kind: tuple[str, ...]  # per node: "decision", "chance", "terminal"
    player: tuple[int, ...]  # mover of each decision node (-1 otherwise)
    children: tuple[tuple[int, ...], ...]
    chance_probs: tuple[tuple[float, ...], ...]
    leaves: tuple[int, ...]  # node ids of the leaves, in preorder
    leaf_labels: tuple[str, ...]
    payoffs: np.ndarray  # (n_players, n_leaves) fixed part of the utilities
    action_labels: tuple[tuple[str, ...], ...]

    def leaf_index(self, label: str) -> int:
        return self.leaf_labels.index(label)


def compile_tree(tree: GameTree) -> CompiledTree:
    """Check that `tree` fits a strategic model and flatten it."""
    if not isinstance(tree, GameTree):
        raise ParameterError("tree", f"must be a GameTree, got {type(tree).__name__}")
    if not tree.perfect_information:
        raise GameShapeError(
            "strategic models need perfect information (every information set one node)"
        )
    if tree.is_symbolic:
        raise GameShapeError("the tree has symbolic payoffs; call tree.numeric(...) first")
    kinds, chance = [], []
    for node in tree.nodes:
        kinds.append(node.kind)
        if isinstance(node, Chance):
            chance.append(tuple(float(p) for p in node.probabilities))
        else:
            chance.append(())
    leaves = tree.leaves
    labels = []
    for i in leaves:
        node = tree.nodes[i]
        labels.append(node.label or "/".join(tree.path(i)))
    if len(set(labels)) != len(labels):
        raise GameShapeError(f"leaf labels must be distinct, got {labels}")
    payoffs = np.array(
        [[float(tree.nodes[i].payoffs[p]) for i in leaves] for p in range(tree.n_players)]
    )
    actions = tuple(
        tuple(a for a, _ in node.children()) if isinstance(node, Decision) else ()
        for node in tree.nodes
    )
    return CompiledTree(
        tree,
        tuple(kinds),
        tree.node_player,
        tree.child_ids,
        tuple(chance),
        leaves,
        tuple(labels),
        payoffs,
        actions,
    )


def tree_probabilities(
    ct: CompiledTree,
    values,
    *,
    link: str,
    private: bool,
    grad: bool,
    keep: bool = False,
    stop: int = 0,
):
    """Leaf probabilities at the root and, optionally, their slot derivatives.

    `values` is a list over players of lists over leaves: arrays ``(n,)`` of utilities.
    Returns ``(root_P, root_dP, action_probs)``: ``root_P`` (n_leaves, n), ``root_dP``
    (n_leaves, n, n_players, n_leaves) or None, and the action probabilities of every
    decision node (dict node → (n_actions, n) array).  With ``keep=True`` the second
    item is instead the dict of every node's leaf probabilities (no derivatives), and
    `stop` > 0 ends the backward pass at node `stop` (its subtree is done: preorder ids;
    the first item is then None).
    """
    n_leaves = len(ct.leaves)
    n_players = len(values)
    n = values[0][0].shape[0]
    leaf_pos = {node: t for t, node in enumerate(ct.leaves)}
    V = np.array(values)  # (n_players, n_leaves, n)
    P: dict[int, np.ndarray] = {}
    dP: dict[int, np.ndarray] = {}
    actions: dict[int, np.ndarray] = {}
    for i in range(len(ct.kind) - 1, stop - 1, -1):
        kind = ct.kind[i]
        if kind == "terminal":
            p = np.zeros((n_leaves, n))
            p[leaf_pos[i]] = 1.0
            P[i] = p
            if grad:
                dP[i] = np.zeros((n_leaves, n, n_players, n_leaves))
            continue
        kids = ct.children[i]
        if kind == "chance":
            w = ct.chance_probs[i]
            P[i] = sum(q * P[c] for q, c in zip(w, kids, strict=True))
            if grad:
                dP[i] = sum(q * dP[c] for q, c in zip(w, kids, strict=True))
            if not keep:
                for c in kids:
                    P.pop(c, None)
                    dP.pop(c, None)
            continue
        pl = ct.player[i]
        eu = np.stack([np.einsum("tn,tn->n", P[c], V[pl]) for c in kids])  # (A, n)
        if grad:
            # d EU_a / d slot: through the children's probabilities and the own utilities
            deu = []
            for c in kids:
                d = np.einsum("tnqs,tn->nqs", dP[c], V[pl])
                d[:, pl, :] += P[c].T
                deu.append(d)
        if len(kids) == 2:
            if private:
                s = np.sqrt(sum(np.sum(P[c] ** 2, axis=0) for c in kids))
            else:
                s = np.full(n, _SQRT2)
            z = (eu[1] - eu[0]) / s
            pi2 = link_cdf(link, z)
            pi = np.stack([1.0 - pi2, pi2])
            if grad:
                dz = (deu[1] - deu[0]) / s[:, None, None]
                if private:
                    ds = (
                        sum(np.einsum("tn,tnqs->nqs", P[c], dP[c]) for c in kids) / s[:, None, None]
                    )
                    dz = dz - (z / s)[:, None, None] * ds
                dpi2 = link_pdf(link, z)[:, None, None] * dz
                dpi = [-dpi2, dpi2]
        else:
            if link != "logit" or private:
                raise GameShapeError(
                    f"{ct.tree.where(i)} has {len(kids)} actions: more than two actions "
                    "need link='logit' with agent error"
                )
            a = eu / _SQRT2
            a = a - a.max(axis=0)
            e = np.exp(a)
            pi = clip(e / e.sum(axis=0))
            if grad:
                mean = sum(pi[k][:, None, None] * deu[k] for k in range(len(kids)))
                dpi = [pi[k][:, None, None] * (deu[k] - mean) / _SQRT2 for k in range(len(kids))]
        actions[i] = pi
        P[i] = sum(pi[k] * P[c] for k, c in enumerate(kids))
        if grad:
            dP[i] = sum(
                pi[k][None, :, None, None] * dP[c] + P[c][:, :, None, None] * dpi[k][None]
                for k, c in enumerate(kids)
            )
        if not keep:
            for c in kids:  # free memory as we go up
                P.pop(c, None)
                dP.pop(c, None)
    if keep:
        return P.get(0), P, actions
    return P[0], (dP[0] if grad else None), actions
