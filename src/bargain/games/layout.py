"""Where each node of a game tree goes in a picture: one level per depth, and every subtree
as wide as its labels need, so that no two labels overlap.

:func:`tree_layout` is shared by the TikZ writer (:mod:`bargain.games.tikz`) and the
matplotlib drawing (:mod:`bargain.games.drawing`); each gives the widths of its own labels
in its own unit.  It is a Reingold–Tilford layout on labels: each subtree keeps, per
half-level below its root, the extent of what it draws there (node labels, the payoffs
hanging below a leaf, the label beside each edge); siblings are placed left to right, each
as close to the previous ones as these extents allow with a gap, and a parent stands above
the middle of its outermost children.  Subtrees interleave where they have room, and no
two labels overlap.

Examples
--------
>>> from bargain.games.extensive_form import Decision, GameTree, Terminal
>>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "yyyy": Terminal(0)}))
>>> x, depth = tree_layout(t, label=lambda i: (1.0, 2), edge_width=lambda i: 1.0, gap=1.0)
>>> x, depth
([2.0, 0.5, 3.5], [0, 1, 1])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["tex_width", "tree_layout"]


def tree_layout(
    tree: Any,
    *,
    label: Callable[[int], tuple[float, int]],
    edge_width: Callable[[int], float],
    gap: float,
) -> tuple[list[float], list[int]]:
    """x of every node (in the unit of the widths) and its depth.

    Parameters
    ----------
    tree : GameTree
    label : callable
        ``label(i)``: ``(width, bands)`` of node ``i``'s own label (the player's name,
        a leaf's payoffs) and how many half-levels below the node it reaches.
    edge_width : callable
        ``edge_width(i)``: width of the label of the edge into node ``i``; it stands in
        the half-level above the node, beside the edge.
    gap : float
        Least space between the labels of two subtrees.
    """
    n = len(tree.nodes)
    depth = [0] * n
    for i in range(n):  # preorder: parents first
        for c in tree.child_ids[i]:
            depth[c] = depth[i] + 1
    offset = [0.0] * n  # x of a child relative to its parent
    contour: list[dict[int, list[float]]] = [{} for _ in range(n)]
    for i in range(n - 1, -1, -1):  # children before parents
        own: dict[int, list[float]] = {}
        width, bands = label(i)
        for b in range(bands + 1):
            own[b] = [-width / 2, width / 2]
        kids = tree.child_ids[i]
        placed: dict[int, list[float]] = {}
        shifts = []
        for c in kids:
            cont = {b + 2: list(v) for b, v in contour[c].items()}
            w = edge_width(c)
            lo, hi = cont.get(1, [-w, w])
            cont[1] = [min(lo, -w), max(hi, w)]
            shift = (
                0.0
                if not placed
                else max(
                    (placed[b][1] - cont[b][0] + gap for b in cont if b in placed), default=0.0
                )
            )
            shifts.append(shift)
            for b, (lo, hi) in cont.items():
                if b in placed:
                    placed[b] = [min(placed[b][0], lo + shift), max(placed[b][1], hi + shift)]
                else:
                    placed[b] = [lo + shift, hi + shift]
        if kids:
            centre = (shifts[0] + shifts[-1]) / 2
            for c, shift in zip(kids, shifts, strict=True):
                offset[c] = shift - centre
            for b, (lo, hi) in placed.items():
                if b in own:
                    own[b] = [min(own[b][0], lo - centre), max(own[b][1], hi - centre)]
                else:
                    own[b] = [lo - centre, hi - centre]
        contour[i] = own
        for c in kids:
            contour[c] = {}  # no longer needed
    x = [0.0] * n
    for i in range(1, n):  # preorder: a parent's x is known before its children's
        x[i] = x[tree.parent[i]] + offset[i]
    low = min(x[i] - label(i)[0] / 2 for i in range(n))
    return [v - low for v in x], depth


def tex_width(tex: str) -> float:
    """Rough width of LaTeX math in characters: a command (``\\delta``) counts one, braces,
    ``^``, ``_`` and spaces none, a binary operator one and a bit (its spacing).

    Examples
    --------
    >>> tex_width(r"\\delta^{2} \\left(1 - w_{R}\\right)")
    8.8
    """
    s = re.sub(r"\\(?:left|right)(?![a-zA-Z])", "", tex)
    s = re.sub(r"\\(?:[a-zA-Z]+|.)", "x", s)
    s = re.sub(r"[{}^_\s]", "", s)
    return round(len(s) + 0.8 * len(re.findall(r"[-+=<>]", s)), 6)
