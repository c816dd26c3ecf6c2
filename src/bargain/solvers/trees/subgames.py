"""Proper subgames of a game tree.

A node roots a *subgame* when it is a decision or chance node alone in its information set
and every information set that meets its subtree lies inside the subtree (Selten 1965):
then the part of the tree below it is a game of its own.  A *proper* subgame is one rooted
below the root.  Subgame-perfect equilibria are Nash equilibria in every subgame, so the
list is where a bottom-up decomposition can cut the tree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["proper_subgames"]


def proper_subgames(tree: Any) -> tuple[int, ...]:
    """Preorder ids of the nodes that root proper subgames of `tree`.

    Parameters
    ----------
    tree : GameTree
        Any tree (numeric or symbolic, any number of players).

    Returns
    -------
    tuple of int
        Non-terminal nodes other than the root that root a subgame, in preorder.  For a
        perfect-information tree that is every non-terminal node but the root.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> def inc(e):
    ...     return Decision("I", {"f": Terminal(-1, -1), "a": Terminal(2 if e == "A" else 0, 1)},
    ...                     infoset="inc")
    >>> t = GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 2),
    ...     "In": Decision("E", {"F": inc("F"), "A": inc("A")})}))
    >>> proper_subgames(t)
    (2,)
    """
    n = len(tree.nodes)
    lo = np.arange(n)
    hi = np.arange(n)
    for s in tree.infosets:
        lo[list(s.nodes)] = min(s.nodes)
        hi[list(s.nodes)] = max(s.nodes)
    size = np.ones(n, np.int64)
    sub_lo, sub_hi = lo.copy(), hi.copy()
    for i in range(n - 1, 0, -1):  # preorder: children after parents
        p = tree.parent[i]
        size[p] += size[i]
        sub_lo[p] = min(sub_lo[p], sub_lo[i])
        sub_hi[p] = max(sub_hi[p], sub_hi[i])
    return tuple(
        i for i in range(1, n) if tree.child_ids[i] and sub_lo[i] >= i and sub_hi[i] < i + size[i]
    )
