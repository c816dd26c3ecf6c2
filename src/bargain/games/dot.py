"""Game trees as Graphviz DOT text, written here (no Graphviz needed to produce it).

``dot -Tpdf tree.dot -o tree.pdf`` lays it out: decision nodes are small filled dots with
the player's name beside them, chance nodes open circles named *Nature*, leaves the
payoffs (one line per player, in the players' order), edges carry the action and, at a
chance node, its probability.  Nodes of one information set are joined by a dashed,
undirected edge and kept on one rank.  With `highlight`, the edges an equilibrium plays
with probability 1 are drawn thick.

Examples
--------
>>> from bargain.games.extensive_form import Decision, GameTree, Terminal
>>> t = GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 5),
...     "In": Decision("I", {"Fight": Terminal(-1, -1), "Yield": Terminal(2, 3)})}))
>>> dot = tree_to_dot(t)
>>> dot.splitlines()[0], dot.count(" -> ")
('digraph tree {', 4)
"""

from __future__ import annotations

import itertools
from typing import Any

from bargain.errors import GameShapeError
from bargain.games.parameters import is_symbolic

__all__ = ["tree_to_dot"]

#: Most nodes written; a larger tree is refused.
MAX_NODES = 2000


def _quote(text: Any) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, newlines as ``\\n``."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + s.replace("\n", "\\n") + '"'


def _value(x: Any) -> str:
    if is_symbolic(x):
        return str(x)
    f = float(x)
    return f"{f:.4g}" if f != int(f) or abs(f) >= 1e6 else str(int(f))


def tree_to_dot(tree: Any, *, highlight: Any = None) -> str:
    """The DOT source of a game tree (see the module docstring).

    Parameters
    ----------
    tree : GameTree
        Numeric or symbolic (symbolic payoffs are written as SymPy prints them).
    highlight : Equilibrium or behavior profile, optional
        Edges it plays with probability 1 are drawn thick.

    Returns
    -------
    str

    Raises
    ------
    GameShapeError
        More than :data:`MAX_NODES` nodes, or a `highlight` that does not fit the tree.

    Examples
    --------
    >>> import bargain as bg
    >>> t = bg.load_model("withdrawal_sequencing").game("withdraw_first")
    >>> print([line for line in tree_to_dot(t).splitlines() if "Nature" in line][0])
      n3 [shape=circle, width=0.12, label="", xlabel="Nature"];
    """
    from bargain.games.tikz import _played

    n = len(tree.nodes)
    if n > MAX_NODES:
        raise GameShapeError(f"the tree has {n} nodes; to_dot writes at most {MAX_NODES}")
    played = _played(tree, highlight)
    lines = ["digraph tree {"]
    if tree.title:
        lines.append(f"  label={_quote(tree.title)}; labelloc=t;")
    lines += [
        "  graph [ordering=out, nodesep=0.35, ranksep=0.55];",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica-Oblique", fontsize=10, arrowhead=none];',
        f"  // payoffs at the leaves, top to bottom: {', '.join(tree.players)}",
    ]
    for i, node in enumerate(tree.nodes):
        if node.kind == "terminal":
            pays = "\n".join(_value(v) for v in node.payoffs)
            lines.append(f"  n{i} [shape=plaintext, label={_quote(pays)}];")
        elif node.kind == "chance":
            lines.append(f'  n{i} [shape=circle, width=0.12, label="", xlabel="Nature"];')
        else:
            who = _quote(tree.players[tree.node_player[i]])
            lines.append(f'  n{i} [shape=point, width=0.09, label="", xlabel={who}];')
    for i, node in enumerate(tree.nodes):
        labels = [a for a, _ in node.children()]
        probs = node.probabilities if node.kind == "chance" else None
        for k, c in enumerate(tree.child_ids[i]):
            text = str(labels[k]) + (f"\n({_value(probs[k])})" if probs is not None else "")
            style = ", penwidth=2.5" if (i, c) in played else ""
            lines.append(f"  n{i} -> n{c} [label={_quote(text)}{style}];")
    for s in tree.infosets:
        if len(s.nodes) < 2:
            continue
        members = sorted(s.nodes)
        lines.append("  { rank=same; " + " ".join(f"n{j};" for j in members) + " }")
        for a, b in itertools.pairwise(members):
            lines.append(f"  n{a} -> n{b} [style=dashed, dir=none, constraint=false];")
    lines.append("}")
    return "\n".join(lines) + "\n"
