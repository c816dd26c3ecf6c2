"""Game trees drawn with matplotlib: the same picture as the TikZ one, as a figure.

:func:`plot_tree` uses the layout of :mod:`bargain.games.layout` with every label
measured as matplotlib will draw it (``TextPath``), so labels do not overlap: a decision
node is a filled dot with its player above, a chance node an open circle named *Nature*,
each edge carries its action (and, below it, a chance probability), payoffs stand below
the leaves one per line in the players' order, nodes of one information set are joined
by a dashed arc, and with `highlight` the edges an equilibrium plays are drawn thick.
Symbolic payoffs are set with matplotlib's mathtext (plain text where mathtext cannot
read SymPy's LaTeX).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from bargain.games.extensive_form import Decision, GameTree, Terminal
>>> t = GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 5),
...     "In": Decision("I", {"Fight": Terminal(-1, -1), "Yield": Terminal(2, 3)})}))
>>> ax = plot_tree(t)
>>> sorted(x.get_text() for x in ax.texts if x.get_text() in ("E", "I", "Fight"))
['E', 'Fight', 'I']
"""

from __future__ import annotations

from typing import Any

from bargain.errors import GameShapeError

__all__ = ["plot_tree"]

#: Most nodes drawn.
MAX_NODES = 600
FONT = 8.0  # points
LEVEL = 0.8  # inches between levels
GAP = 0.12  # inches between neighbouring labels


class _Labels:
    """The text of every label, as matplotlib will draw it, and its size in inches."""

    def __init__(self, tree: Any) -> None:
        from bargain.games.tikz import _math, symbol_names

        self.tree = tree
        self.names = symbol_names(tree)
        self._math = _math

    def math(self, x: Any) -> str:
        from bargain.games.parameters import is_symbolic

        tex = self._math(x, self.names)
        if not is_symbolic(x):
            return tex
        text = f"${tex}$"
        return text if _parses(text) else str(x)

    def payoffs(self, i: int) -> list[str]:
        return [self.math(v) for v in self.tree.nodes[i].payoffs]

    def edge(self, child: int) -> tuple[str, str | None]:
        tree = self.tree
        node = tree.nodes[tree.parent[child]]
        k = tree.parent_action[child]
        prob = None
        if node.kind == "chance":
            prob = "(" + self.math(node.probabilities[k]).strip("$") + ")"
            prob = f"${prob}$" if self.math(node.probabilities[k]).startswith("$") else prob
        return str(node.children()[k][0]), prob

    def who(self, i: int) -> str:
        node = self.tree.nodes[i]
        return "Nature" if node.kind == "chance" else self.tree.players[self.tree.node_player[i]]


def _parses(text: str) -> bool:
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(text, dpi=72)
    except ValueError:
        return False
    return True


def _width(text: str, *, italic: bool = False) -> float:
    """Width of `text` in inches at :data:`FONT` points."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(size=FONT, style="italic" if italic else "normal")
    return TextPath((0, 0), text, prop=prop).get_extents().width / 72


def plot_tree(tree: Any, ax: Any = None, *, highlight: Any = None) -> Any:
    """Draw a game tree on `ax` (a new figure sized to the tree when None).

    Parameters
    ----------
    tree : GameTree
        Numeric or symbolic.
    ax : matplotlib Axes, optional
    highlight : Equilibrium or behavior profile, optional
        Edges it plays with probability 1 are drawn thick, the others grey.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    GameShapeError
        More than :data:`MAX_NODES` nodes, or a `highlight` that does not fit the tree.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import bargain as bg
    >>> t = bg.load_model("withdrawal_sequencing").game("withdraw_first")
    >>> ax = plot_tree(t, highlight=bg.solve(t, method="spe").equilibria[0])
    >>> [x.get_text() for x in ax.texts][:2]
    ['Rwanda', 'DRC']
    """
    import math

    from bargain.games.layout import tree_layout
    from bargain.games.tikz import _played

    n = len(tree.nodes)
    if n > MAX_NODES:
        raise GameShapeError(f"the tree has {n} nodes; plot draws at most {MAX_NODES}")
    played = _played(tree, highlight)
    labels = _Labels(tree)
    line = FONT * 1.45 / 72  # inches per line of payoffs

    def size(i: int) -> tuple[float, int]:
        if tree.nodes[i].kind == "terminal":
            width = max(_width(t) for t in labels.payoffs(i))
            return width, math.ceil(len(tree.players) * line / (LEVEL / 2))
        return 2 * _width(labels.who(i)) + 0.12, 0  # beside the node, on either side

    def edge(i: int) -> float:
        action, prob = labels.edge(i)
        return max(_width(action, italic=True), _width(prob) if prob else 0.0) + 0.05

    x, depth = tree_layout(tree, label=size, edge_width=edge, gap=GAP)
    y = [-d * LEVEL for d in depth]
    lo = [x[i] - size(i)[0] / 2 for i in range(n)]
    hi = [x[i] + size(i)[0] / 2 for i in range(n)]
    for c in range(1, n):  # an edge label stands beside the middle of its edge
        mid = (x[c] + x[tree.parent[c]]) / 2
        lo.append(mid - edge(c) - 0.03)
        hi.append(mid + edge(c) + 0.03)
    x = [v - min(lo) for v in x]
    width = max(hi) - min(lo) + 0.1
    bottom = min(
        y[i] - (len(tree.players) * line if not tree.child_ids[i] else 0) for i in range(n)
    )
    if ax is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(max(width, 1.5) + 0.2, -bottom + 0.55))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-0.1, max(width, 1.5) + 0.1)
        ax.set_ylim(bottom - 0.1, 0.45)
    ax.set_axis_off()
    _draw(ax, tree, labels, x, y, played, highlight is not None, line)
    if ax.get_autoscale_on():
        ax.autoscale_view()
    return ax


def _draw(ax: Any, tree: Any, labels: _Labels, x: list, y: list, played: set,
          highlighting: bool, line: float) -> None:  # fmt: skip
    import itertools

    box = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}
    for i, node in enumerate(tree.nodes):  # node names first (the doctests read them)
        if node.kind == "terminal":
            continue
        # the name stands on the side away from the edge into the node
        side = 0 if not i else (1 if x[tree.parent[i]] <= x[i] + 0.05 else -1)
        ha = {0: "center", 1: "left", -1: "right"}[side]
        ax.text(x[i] + 0.06 * side, y[i] + 0.06, labels.who(i), fontsize=FONT, ha=ha,
                va="bottom", fontstyle="italic" if node.kind == "chance" else "normal",
                zorder=4)  # fmt: skip
    for i in range(len(tree.nodes)):
        for c in tree.child_ids[i]:
            thick = (i, c) in played
            colour = "black" if thick or not highlighting else "0.6"
            ax.plot([x[i], x[c]], [y[i], y[c]], color=colour, lw=2.2 if thick else 0.8,
                    zorder=1, solid_capstyle="round")  # fmt: skip
            action, prob = labels.edge(c)
            mx, my = (x[i] + x[c]) / 2, (y[i] + y[c]) / 2
            side = -1 if x[c] < x[i] - 1e-9 else 1
            ha = "right" if side < 0 else "left"
            text = action if prob is None else f"{action}\n{prob}"
            ax.text(mx + 0.03 * side, my, text, fontsize=FONT, ha=ha, va="center",
                    fontstyle="italic", bbox=box, zorder=3, linespacing=1.3)  # fmt: skip
    for i, node in enumerate(tree.nodes):
        if node.kind == "terminal":
            for k, text in enumerate(labels.payoffs(i)):
                ax.text(x[i], y[i] - 0.05 - k * line, text, fontsize=FONT, ha="center",
                        va="top", zorder=4)  # fmt: skip
        elif node.kind == "chance":
            ax.plot(x[i], y[i], "o", ms=6, mfc="white", mec="black", zorder=5)
        else:
            ax.plot(x[i], y[i], "o", ms=4.5, color="black", zorder=5)
    for s in tree.infosets:
        nodes = sorted(s.nodes, key=lambda j: x[j])
        for a, b in itertools.pairwise(nodes):
            # an arc above the nodes, so that it runs over edges, never through labels
            t = [k / 20 for k in range(21)]
            xs = [x[a] + (x[b] - x[a]) * u for u in t]
            ys = [y[a] + (y[b] - y[a]) * u + 0.9 * LEVEL * u * (1 - u) for u in t]
            ax.plot(xs, ys, ls=(0, (4, 3)), color="black", lw=1.0, zorder=2)
