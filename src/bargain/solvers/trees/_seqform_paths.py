"""Where a sequence-form equilibrium goes (private): parent sequences and the path."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["parent_seq", "path"]


def parent_seq(tree: Any, player: int, k: int) -> int:
    from bargain.solvers.trees.behavior import _arrays

    return int(_arrays(tree).index[player].parent[k])


def path(tree: Any, behavior: tuple) -> tuple[str, ...] | None:
    """Action labels along the path when it is deterministic, else None."""
    from bargain.games.extensive_form import Chance

    pos = {
        s.index: k
        for p in range(2)
        for k, s in enumerate(s for s in tree.infosets if s.player == p)
    }
    i, out = 0, []
    while tree.child_ids[i]:
        node = tree.nodes[i]
        if isinstance(node, Chance):
            probs = np.array([float(p) for p in node.probabilities])
        else:
            probs = behavior[tree.node_player[i]][pos[tree.infoset_of(i)]]
        a = int(np.argmax(probs))
        if probs[a] < 1.0 - 1e-12:
            return None
        out.append(node.children()[a][0])
        i = tree.child_ids[i][a]
    return tuple(out)
