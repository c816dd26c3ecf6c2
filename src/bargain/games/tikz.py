"""Game trees as TikZ pictures: the Figure 1 of a paper, compiled by any LaTeX with TikZ.

:func:`tree_to_tikz` places the leaves evenly from left to right and every other node
above the middle of its children, one level per depth, so that no two nodes overlap
whatever the branching.  It then writes one ``\\node`` per node and one ``\\draw`` per
edge:

* a decision node is a filled dot labelled with its player;
* a chance node is an open circle labelled *Nature*;
* an action label sits on its edge, with its probability for a chance outcome;
* payoffs stand below the leaves, one per line, in the players' order (a comment in the
  source names it);
* the nodes of one information set are joined by a dashed arc (above the nodes, so it
  crosses edges, never labels);
* symbolic payoffs and probabilities are set in math mode (``sympy.latex``).

With `highlight`, the edges an equilibrium plays with probability 1 are drawn thick, so
that the picture shows its path.

Examples
--------
>>> from bargain.games.extensive_form import Decision, GameTree, Terminal
>>> t = GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 5),
...     "In": Decision("I", {"Fight": Terminal(-1, -1), "Yield": Terminal(2, 3)})}))
>>> tex = tree_to_tikz(t)
>>> tex.startswith("\\\\documentclass") and "\\\\begin{tikzpicture}" in tex
True
"""

from __future__ import annotations

import itertools
from typing import Any

from bargain.errors import GameShapeError
from bargain.games.display import _tex
from bargain.games.parameters import is_symbolic

__all__ = ["tree_to_tikz"]

#: Most nodes drawn; a larger tree is refused (it would not fit a page anyway).
MAX_NODES = 2000


def symbol_names(tree: Any) -> dict[Any, str]:
    """SymPy symbol -> its parameter's LaTeX symbol (``lam`` -> ``\\lambda``), for the
    parameters the tree declares."""
    params = getattr(tree, "parameters", None)
    if params is None:
        return {}
    return {p.symbol: p.display_symbol.strip("$") for p in params.parameters}


def _math(x: Any, names: dict[Any, str] | None = None) -> str:
    if is_symbolic(x):
        import sympy

        return sympy.latex(x, symbol_names=names or {}, fold_short_frac=True)
    f = float(x)
    return f"{f:.4g}" if f != int(f) or abs(f) >= 1e6 else str(int(f))


#: rough width of one character of a \\small label, in centimetres
CHAR_CM = 0.19


def _layout(tree: Any, min_cm: float, y_unit: float, names: dict) -> tuple[list[float], list[int]]:
    """x in centimetres (:mod:`bargain.games.layout`) and the depth of every node."""
    import math

    from bargain.games.layout import tex_width, tree_layout

    def label(i: int) -> tuple[float, int]:
        node = tree.nodes[i]
        if node.kind == "terminal":
            width = max(tex_width(_math(v, names)) for v in node.payoffs) * CHAR_CM
            bands = math.ceil(len(node.payoffs) * 0.5 / (y_unit / 2))
            return max(width, min_cm - 0.4), bands
        if node.kind == "chance":
            return 12 * CHAR_CM, 0  # beside the node, on either side
        return 2 * len(tree.players[tree.node_player[i]]) * CHAR_CM * 1.1, 0

    def edge(i: int) -> float:
        action, prob = _edge_label(tree, i, names)
        return max(len(action), tex_width(prob) + 2 if prob else 0) * CHAR_CM

    return tree_layout(tree, label=label, edge_width=edge, gap=0.4)


def _edge_label(tree: Any, child: int, names: dict) -> tuple[str, str | None]:
    """The action label of the edge into `child`, and its chance probability (LaTeX)."""
    parent = tree.parent[child]
    node = tree.nodes[parent]
    k = tree.parent_action[child]
    label = node.children()[k][0]
    prob = _math(node.probabilities[k], names) if node.kind == "chance" else None
    return str(label), prob


def _played(tree: Any, highlight: Any) -> set[tuple[int, int]]:
    """(node, child) edges played with probability 1 by the behavior profile."""
    behavior = getattr(highlight, "behavior", highlight)
    if behavior is None:
        return set()
    out = set()
    for p in range(tree.n_players):
        mine = [s for s in tree.infosets if s.player == p]
        if len(behavior[p]) != len(mine):
            raise GameShapeError(
                f"highlight: player {tree.players[p]!r} has {len(mine)} information sets, "
                f"the profile gives {len(behavior[p])}"
            )
        for s, probs in zip(mine, behavior[p], strict=True):
            for node in s.nodes:
                for k, c in enumerate(tree.child_ids[node]):
                    if float(probs[k]) >= 1 - 1e-12:
                        out.add((node, c))
    return out


def tree_to_tikz(
    tree: Any,
    *,
    highlight: Any = None,
    x_unit: float = 1.6,
    y_unit: float = 1.5,
    standalone: bool = True,
) -> str:
    """A TikZ picture of a game tree (see the module docstring).

    Parameters
    ----------
    tree : GameTree
        Numeric or symbolic.
    highlight : Equilibrium or behavior profile, optional
        Edges it plays with probability 1 are drawn thick.
    x_unit, y_unit : float
        Least centimetres between neighbouring leaves (columns widen to fit their
        labels), and centimetres between levels.
    standalone : bool
        A whole ``standalone`` document (compile it as it is), or the ``tikzpicture``
        environment only (``\\usepackage{tikz}`` in the paper's preamble).

    Returns
    -------
    str
        LaTeX source.

    Raises
    ------
    GameShapeError
        If the tree has more than :data:`MAX_NODES` nodes, or `highlight` does not fit.

    Examples
    --------
    >>> import bargain as bg
    >>> t = bg.load_model("withdrawal_sequencing").game("withdraw_first", symbolic=True)
    >>> body = tree_to_tikz(t, standalone=False)
    >>> body.count("\\\\draw[dashed") , "Nature" in body
    (0, True)
    """
    n = len(tree.nodes)
    if n > MAX_NODES:
        raise GameShapeError(f"the tree has {n} nodes; to_tikz draws at most {MAX_NODES}")
    names = symbol_names(tree)
    x, depth = _layout(tree, x_unit, y_unit, names)
    played = _played(tree, highlight)
    lines = [
        r"\begin{tikzpicture}[x=1cm, y=-" + f"{y_unit}cm" + r",",
        r"  decision/.style={circle, fill, inner sep=1.6pt},",
        r"  chance/.style={circle, draw, inner sep=2.2pt},",
        r"  leaf/.style={inner sep=1pt, font=\small},",
        r"  action/.style={font=\small, fill=white, inner sep=1pt, align=center},",
        r"  played/.style={line width=1.6pt}]",
    ]
    for i, node in enumerate(tree.nodes):
        at = f"({x[i]:.3f}, {depth[i]})"
        where = "above"
        if i:  # on the side away from the edge into the node
            where = "above right" if x[tree.parent[i]] <= x[i] + 0.1 else "above left"
        if node.kind == "terminal":
            pays = r"\\[2pt] ".join(f"${_math(v, names)}$" for v in node.payoffs)
            lines.append(rf"  \node[leaf, anchor=north, align=center] (n{i}) at {at} {{{pays}}};")
        elif node.kind == "chance":
            lines.append(
                rf"  \node[chance, label={where}:{{\textit{{Nature}}}}] (n{i}) at {at} {{}};"
            )
        else:
            who = _tex(tree.players[tree.node_player[i]])
            lines.append(rf"  \node[decision, label={where}:{{{who}}}] (n{i}) at {at} {{}};")
    for i in range(n):
        for c in tree.child_ids[i]:
            label, prob = _edge_label(tree, c, names)
            text = rf"\textit{{{_tex(label)}}}"
            if prob is not None:
                text += rf"\\ $({prob})$"
            side = "left" if x[c] < x[i] - 1e-9 else "right"
            style = "played" if (i, c) in played else ""
            lines.append(
                rf"  \draw[{style}] (n{i}) -- node[action, {side}, pos=0.45] {{{text}}} (n{c});"
            )
    for s in tree.infosets:
        nodes = sorted(s.nodes, key=lambda j: x[j])
        for a, b in itertools.pairwise(nodes):
            lines.append(rf"  \draw[dashed, thick] (n{a}) to[bend left=20] (n{b});")
    lines.append(r"\end{tikzpicture}")
    body = "\n".join(lines)
    if not standalone:
        return body + "\n"
    title = f"% {tree.title}\n" if tree.title else ""
    title += f"% payoffs at the leaves, top to bottom: {', '.join(tree.players)}\n"
    return (
        r"\documentclass[tikz, border=4pt]{standalone}" + "\n" + title
        + r"\begin{document}" + "\n" + body + "\n" + r"\end{document}" + "\n"
    )  # fmt: skip
