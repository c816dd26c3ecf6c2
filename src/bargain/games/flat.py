"""The flattened array form of a :class:`~bargain.games.extensive_form.GameTree`.

Numba kernels walk the tree through plain arrays.  Nodes are numbered in preorder, so every
child has a larger id than its parent: a loop over ids from last to first visits children
before parents (what backward induction needs).  Edges are numbered node by node: the
children of node ``i`` are ``children[child_start[i] : child_start[i] + n_children[i]]`` and
edge ``child_start[i] + k`` is the node's ``k``-th action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bargain.games.nodes import Chance, Decision, Terminal
from bargain.games.parameters import is_symbolic

__all__ = ["CHANCE", "DECISION", "TERMINAL", "FlatTree", "flatten"]

TERMINAL, DECISION, CHANCE = 0, 1, 2


@dataclass(frozen=True)
class FlatTree:
    """Arrays describing a game tree.

    Attributes
    ----------
    kind : numpy.ndarray of int8
        ``TERMINAL`` (0), ``DECISION`` (1) or ``CHANCE`` (2) per node.
    player : numpy.ndarray of int32
        Player index of a decision node, -1 otherwise.
    infoset : numpy.ndarray of int32
        Information set index of a decision node, -1 otherwise.
    child_start, n_children : numpy.ndarray of int32
        Where a node's edges start in the edge arrays, and how many it has.
    children : numpy.ndarray of int32
        Child node id of each edge.
    edge_prob : numpy.ndarray of float64
        Probability of each chance edge (NaN for decision edges, and for chance edges whose
        probability is symbolic: see `prob_exprs`).
    leaf : numpy.ndarray of int32
        Row of `payoffs` for a terminal node, -1 otherwise.
    leaf_node : numpy.ndarray of int32
        Node id of each leaf row.
    payoffs : numpy.ndarray of float64
        ``(n_leaves, n_players)``; NaN where a payoff is symbolic (see `payoff_exprs`).
    payoff_exprs : tuple of tuple
        The payoffs as given (numbers or SymPy expressions), per leaf row.
    prob_exprs : tuple of tuple
        ``(edge, probability)`` for every chance edge, as given.
    edge_label : tuple of str
        Action label of each edge.
    infoset_player, infoset_n_actions : numpy.ndarray of int32
        Per information set.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(1, 0), "R": Terminal(0, 1)}))
    >>> f = t.flatten()
    >>> f.kind.tolist(), f.children.tolist(), f.payoffs.tolist()
    ([1, 0, 0], [1, 2], [[1.0, 0.0], [0.0, 1.0]])
    """

    n_players: int
    kind: np.ndarray
    player: np.ndarray
    infoset: np.ndarray
    child_start: np.ndarray
    n_children: np.ndarray
    children: np.ndarray
    edge_prob: np.ndarray
    leaf: np.ndarray
    leaf_node: np.ndarray
    payoffs: np.ndarray
    payoff_exprs: tuple[tuple[Any, ...], ...]
    prob_exprs: tuple[tuple[int, Any], ...]
    edge_label: tuple[str, ...]
    infoset_player: np.ndarray
    infoset_n_actions: np.ndarray

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.kind)

    @property
    def n_leaves(self) -> int:
        """Number of terminal nodes."""
        return len(self.leaf_node)

    @property
    def is_symbolic(self) -> bool:
        """Whether any payoff or chance probability is a SymPy expression."""
        return bool(np.isnan(self.payoffs).any()) or any(is_symbolic(p) for _, p in self.prob_exprs)


def flatten(tree: Any) -> FlatTree:
    """Flatten a :class:`~bargain.games.extensive_form.GameTree` into arrays.

    Examples
    --------
    >>> from bargain.games.extensive_form import Chance, GameTree, Terminal
    >>> t = GameTree(("A",), Chance({"h": (0.5, Terminal(1)), "t": (0.5, Terminal(-1))}))
    >>> flatten(t).edge_prob.tolist()
    [0.5, 0.5]
    """
    n = len(tree.nodes)
    kind = np.zeros(n, np.int8)
    player = np.full(n, -1, np.int32)
    infoset = np.full(n, -1, np.int32)
    child_start = np.zeros(n, np.int32)
    n_children = np.zeros(n, np.int32)
    leaf = np.full(n, -1, np.int32)
    children: list[int] = []
    edge_prob: list[float] = []
    edge_label: list[str] = []
    leaf_node: list[int] = []
    payoff_exprs: list[tuple[Any, ...]] = []
    prob_exprs: list[tuple[int, Any]] = []
    for i, node in enumerate(tree.nodes):
        child_start[i] = len(children)
        n_children[i] = len(tree.child_ids[i])
        if isinstance(node, Terminal):
            kind[i] = TERMINAL
            leaf[i] = len(leaf_node)
            leaf_node.append(i)
            payoff_exprs.append(node.payoffs)
        elif isinstance(node, Decision):
            kind[i] = DECISION
            player[i] = tree.node_player[i]
            infoset[i] = tree.infoset_of(i)
            for (label, _), j in zip(node.children(), tree.child_ids[i], strict=True):
                children.append(j)
                edge_prob.append(np.nan)
                edge_label.append(label)
        elif isinstance(node, Chance):
            kind[i] = CHANCE
            for (label, (p, _)), j in zip(node.outcomes.items(), tree.child_ids[i], strict=True):
                prob_exprs.append((len(children), p))
                children.append(j)
                edge_prob.append(np.nan if is_symbolic(p) else float(p))
                edge_label.append(label)
    payoffs = np.array(
        [[np.nan if is_symbolic(x) else float(x) for x in row] for row in payoff_exprs],
        dtype=float,
    ).reshape(len(payoff_exprs), tree.n_players)
    return FlatTree(
        n_players=tree.n_players,
        kind=kind,
        player=player,
        infoset=infoset,
        child_start=child_start,
        n_children=n_children,
        children=np.array(children, np.int32),
        edge_prob=np.array(edge_prob, float),
        leaf=leaf,
        leaf_node=np.array(leaf_node, np.int32),
        payoffs=payoffs,
        payoff_exprs=tuple(payoff_exprs),
        prob_exprs=tuple(prob_exprs),
        edge_label=tuple(edge_label),
        infoset_player=np.array([s.player for s in tree.infosets], np.int32),
        infoset_n_actions=np.array([len(s.actions) for s in tree.infosets], np.int32),
    )
