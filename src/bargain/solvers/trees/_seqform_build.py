"""Sequences of a game tree and its sequence form (private helpers).

A *sequence* of a player is the empty sequence or a pair (information set, action) of the
player: the last own move on the way to a node.  With perfect recall every information set
``h`` has one *parent sequence* ``σ(h)`` (the player's last own move before any node of
``h``), and the sequences ``σ(h)a`` of its actions are numbered consecutively.  Numbering:
``0`` is the empty sequence, then the player's information sets in order of first
appearance, each with its actions in order.

The sequence form (Koller, Megiddo & von Stengel 1996; von Stengel 1996) of a two-player
tree: realization plans ``x ≥ 0`` with ``Ex = e`` (``x_∅ = 1`` and, for each information set
``h``, ``Σ_a x_{σ(h)a} = x_{σ(h)}``), the same for ``y`` with ``F``, ``f``, and payoff
matrices ``A``, ``B`` indexed by sequence pairs: the sum over leaves of the chance
probability of reaching the leaf times the leaf payoff, at the pair of sequences that lead
to the leaf.  Expected payoffs are ``xᵀAy`` and ``xᵀBy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "SequenceForm",
    "SequenceIndex",
    "build_sequence_form",
    "node_sequences",
    "sequence_index",
]


@dataclass(frozen=True)
class SequenceIndex:
    """How one player's sequences are numbered.

    Attributes
    ----------
    player : int
    infosets : tuple of int
        The player's information sets (global indices into ``tree.infosets``), in order.
    first : numpy.ndarray of int64
        Sequence number of the first action of each own information set.
    n_actions : numpy.ndarray of int64
        Number of actions of each own information set.
    parent : numpy.ndarray of int64
        Parent sequence ``σ(h)`` of each own information set.
    n : int
        Number of sequences (the empty one included).
    """

    player: int
    infosets: tuple[int, ...]
    first: np.ndarray
    n_actions: np.ndarray
    parent: np.ndarray
    n: int

    def local(self, infoset: int) -> int:
        """Position of global information set `infoset` among the player's."""
        return self.infosets.index(infoset)

    def labels(self, tree: Any) -> tuple[str, ...]:
        """``"∅"`` then ``"infoset:action"`` for each sequence."""
        out = ["∅"]
        for h in self.infosets:
            s = tree.infosets[h]
            name = s.name or str(s.index)
            out.extend(f"{name}:{a}" for a in s.actions)
        return tuple(out)


def sequence_index(tree: Any, player: int) -> SequenceIndex:
    """Number the sequences of `player` (see the module docstring)."""
    own = tuple(s.index for s in tree.infosets if s.player == player)
    pos = {h: k for k, h in enumerate(own)}
    n_act = np.array([len(tree.infosets[h].actions) for h in own], np.int64)
    first = np.ones(len(own), np.int64)
    if len(own):
        first[1:] = 1 + np.cumsum(n_act)[:-1]
    parent = np.zeros(len(own), np.int64)
    for k, h in enumerate(own):
        hist = tree.own_history(tree.infosets[h].nodes[0], player)
        if hist:
            h_prev, a_prev = hist[-1]
            parent[k] = first[pos[h_prev]] + a_prev
    return SequenceIndex(player, own, first, n_act, parent, int(1 + n_act.sum()))


def node_sequences(tree: Any, index: list[SequenceIndex]) -> np.ndarray:
    """``(n_nodes, n_players)``: each player's sequence at each node (its last own move)."""
    n_nodes = len(tree.nodes)
    out = np.zeros((n_nodes, len(index)), np.int64)
    local = [{h: k for k, h in enumerate(ix.infosets)} for ix in index]
    for j in range(1, n_nodes):
        p = tree.parent[j]
        out[j] = out[p]
        mover = tree.node_player[p]
        if mover >= 0:
            h = local[mover][tree.infoset_of(p)]
            out[j, mover] = index[mover].first[h] + tree.parent_action[j]
    return out


def chance_reach(tree: Any) -> np.ndarray:
    """Product of the chance probabilities on the path to each node (floats)."""
    from bargain.games.extensive_form import Chance

    n_nodes = len(tree.nodes)
    reach = np.ones(n_nodes)
    for j in range(1, n_nodes):
        p = tree.parent[j]
        node = tree.nodes[p]
        reach[j] = reach[p]
        if isinstance(node, Chance):
            reach[j] *= float(node.probabilities[tree.parent_action[j]])
    return reach


def constraint_matrix(ix: SequenceIndex) -> np.ndarray:
    """``E`` (rows: the empty sequence, then each own information set; columns: sequences)."""
    E = np.zeros((1 + len(ix.infosets), ix.n))
    E[0, 0] = 1.0
    for k in range(len(ix.infosets)):
        E[1 + k, ix.parent[k]] = -1.0
        E[1 + k, ix.first[k] : ix.first[k] + ix.n_actions[k]] = 1.0
    return E


@dataclass(frozen=True)
class SequenceForm:
    """The sequence form of a two-player tree (see the module docstring).

    Attributes
    ----------
    index : tuple of SequenceIndex
        Per player.
    E, F : numpy.ndarray
        Constraint matrices; ``e``, ``f`` are the unit vectors of length ``E.shape[0]``,
        ``F.shape[0]``.
    A, B : numpy.ndarray
        ``(m, n)`` payoff matrices over sequence pairs.
    leaf_seq : numpy.ndarray of int64
        ``(n_leaves, 2)``: the sequence pair of each leaf (leaves in preorder).
    leaf_weight : numpy.ndarray
        Chance probability of reaching each leaf.
    leaf_payoffs : numpy.ndarray
        ``(n_leaves, 2)``.
    """

    index: tuple[SequenceIndex, SequenceIndex]
    E: np.ndarray
    F: np.ndarray
    A: np.ndarray
    B: np.ndarray
    leaf_seq: np.ndarray
    leaf_weight: np.ndarray
    leaf_payoffs: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        """Numbers of sequences ``(m, n)``."""
        return self.A.shape


def build_sequence_form(tree: Any) -> SequenceForm:
    """The sequence form of a numeric two-player tree."""
    index = [sequence_index(tree, 0), sequence_index(tree, 1)]
    seqs = node_sequences(tree, index)
    reach = chance_reach(tree)
    leaves = np.array(tree.leaves, np.int64)
    pay = np.array([[float(x) for x in tree.nodes[i].payoffs] for i in leaves], float)
    pay = pay.reshape(len(leaves), 2)
    leaf_seq = seqs[leaves]
    w = reach[leaves]
    m, n = index[0].n, index[1].n
    A = np.zeros((m, n))
    B = np.zeros((m, n))
    np.add.at(A, (leaf_seq[:, 0], leaf_seq[:, 1]), w * pay[:, 0])
    np.add.at(B, (leaf_seq[:, 0], leaf_seq[:, 1]), w * pay[:, 1])
    return SequenceForm(
        index=(index[0], index[1]),
        E=constraint_matrix(index[0]),
        F=constraint_matrix(index[1]),
        A=A,
        B=B,
        leaf_seq=leaf_seq,
        leaf_weight=w,
        leaf_payoffs=pay,
    )
