"""Perfect recall of a game tree, and the witness when it fails.

A player has perfect recall when, at every information set, all its nodes were reached
by the same sequence of the player's own information sets and actions (Kuhn 1953).  Two
ways to fail: *forgetting* (two nodes reached by different own moves), and
*absent-mindedness* (two nodes on one path: the player does not know whether it has been
at the set before; Piccione & Rubinstein 1997).  The check is linear in the tree: the
nodes of an information set must carry the same *last* own move of their player, which
by induction over depth gives equal full own histories and also catches
absent-mindedness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["RecallWitness", "recall_witness"]


@dataclass(frozen=True)
class RecallWitness:
    """Why a tree has imperfect recall: one information set and two of its nodes.

    Attributes
    ----------
    infoset : int
        Index into ``tree.infosets``.
    infoset_name : str
        Its name (or index, as text, when unnamed).
    player : int
    nodes : tuple of int
        Two preorder node ids of the set the player cannot tell apart although their own
        histories differ (for absent-mindedness: a node and one below it).
    reason : str
        The explanation, naming the nodes by their paths.
    absent_minded : bool
        Whether the two nodes lie on one path.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Decision("A", {
    ...     "l": Decision("A", {"x": Terminal(1), "y": Terminal(0)}, infoset="J"),
    ...     "r": Decision("A", {"x": Terminal(0), "y": Terminal(1)}, infoset="J")}))
    >>> t.recall_witness.describe(t)  # doctest: +NORMALIZE_WHITESPACE
    "information set 'J' of 'A' joins node at l and node at r: the player reached them by
    different own moves (l, r) and forgets which"
    """

    infoset: int
    infoset_name: str
    player: int
    nodes: tuple[int, int]
    reason: str
    absent_minded: bool = False

    def describe(self, tree: Any) -> str:
        """One sentence naming the set, its player, the two nodes and the reason."""
        a, b = self.nodes
        return (
            f"information set {self.infoset_name!r} of {tree.players[self.player]!r} joins "
            f"{tree.where(a)} and {tree.where(b)}: {self.reason}"
        )


def recall_witness(tree: Any) -> tuple[RecallWitness | None, tuple[int, ...]]:
    """The first information set breaking perfect recall (or None), and the indices of
    the absent-minded information sets.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> driver = GameTree(("D",), Decision("D", {"exit": Terminal(0), "go": Decision(
    ...     "D", {"exit": Terminal(4), "go": Terminal(1)}, infoset="h")}, infoset="h"))
    >>> w, am = recall_witness(driver)
    >>> w.absent_minded, am
    (True, (0,))
    """
    n_players = tree.n_players
    last: list[tuple[Any, ...]] = [(None,) * n_players] * len(tree.nodes)
    for i in range(1, len(tree.nodes)):
        p = tree.parent[i]
        mover = tree.node_player[p]
        if mover >= 0:
            row = list(last[p])
            row[mover] = (tree.infoset_of(p), tree.parent_action[i])
            last[i] = tuple(row)
        else:
            last[i] = last[p]
    absent = _absent_minded(tree)
    for s in tree.infosets:
        first = last[s.nodes[0]][s.player]
        for j in s.nodes[1:]:
            if last[j][s.player] != first:
                return _witness(tree, s, s.nodes[0], j, absent), absent
    return None, absent


def _ancestor_in(tree: Any, j: int, members: set[int]) -> int:
    i = tree.parent[j]
    while i >= 0 and i not in members:
        i = tree.parent[i]
    return i


def _absent_minded(tree: Any) -> tuple[int, ...]:
    out = []
    for s in tree.infosets:
        if len(s.nodes) > 1:
            members = set(s.nodes)
            if any(_ancestor_in(tree, j, members) >= 0 for j in s.nodes):
                out.append(s.index)
    return tuple(out)


def _witness(tree: Any, s: Any, a: int, b: int, absent: tuple[int, ...]) -> RecallWitness:
    label = s.name or str(s.index)
    if s.index in absent:  # name a node and the one above it in the same set
        members = set(s.nodes)
        for j in s.nodes:
            i = _ancestor_in(tree, j, members)
            if i >= 0:
                why = (
                    "the second lies below the first, so the player does not know whether "
                    "it has been at this set before (absent-mindedness)"
                )
                return RecallWitness(s.index, label, s.player, (i, j), why, True)

    def own(k: int) -> str:
        moves = [tree.infosets[h].actions[x] for h, x in tree.own_history(k, s.player)]
        return "/".join(moves) or "no own move"

    why = f"the player reached them by different own moves ({own(a)}, {own(b)}) and forgets which"
    return RecallWitness(s.index, label, s.player, (a, b), why)
