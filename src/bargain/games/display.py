"""How games, results and models show themselves in a notebook: HTML and LaTeX.

Jupyter calls ``_repr_html_`` (and ``_repr_latex_`` where HTML is absent) on the last value
of a cell.  The classes keep those methods one line long and call the renderers here, so
that every display escapes text the same way and stays small: a bimatrix for a two-player
game, a nested list for a tree, one row per equilibrium for a solve, the parameter table
for a model.  Every renderer returns well-formed HTML (a ``<div>`` whose tags all close)
or LaTeX that compiles inside ``$$ ... $$`` (MathJax) or an ``equation`` environment.

Examples
--------
>>> from bargain.games.normal_form import NormalFormGame
>>> html = normal_form_html(NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]))
>>> html.startswith("<div") and html.endswith("</div>")
True
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from bargain.games.parameters import is_symbolic

__all__ = [
    "equilibria_html",
    "html_table",
    "normal_form_html",
    "normal_form_latex",
    "parameters_html",
    "tree_html",
]

#: Most cells a display draws before it says how many it left out.
MAX_CELLS = 400
_STYLE = 'style="border-collapse:collapse" border="1" cellpadding="3"'


def _text(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _number(x: Any) -> str:
    if is_symbolic(x):
        return _text(x)
    try:
        f = float(x)
    except (TypeError, ValueError):
        return _text(x)
    return _text(f"{f:.6g}")


def html_table(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, caption: str = "") -> str:
    """An HTML table; every cell is escaped text.

    Examples
    --------
    >>> html_table(["a", "b"], [[1, "<x>"]])
    '<table style="border-collapse:collapse" border="1" cellpadding="3"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>'
    """  # noqa: E501
    out = [f"<table {_STYLE}>"]
    if caption:
        out.append(f"<caption>{_text(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{_text(h)}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def normal_form_html(game: Any) -> str:
    """The payoff table of a normal-form game: a bimatrix for two players, else one row
    per pure profile (at most :data:`MAX_CELLS` rows)."""
    title = f"<p><b>{_text(game.title)}</b></p>" if getattr(game, "title", "") else ""
    if game.n_players == 2:
        rows_s, cols_s = game.strategies
        A, B = game.payoffs
        body = [
            [r, *(f"{_number(A[i, j])}, {_number(B[i, j])}" for j in range(len(cols_s)))]
            for i, r in enumerate(rows_s[:MAX_CELLS])
        ]
        head = [f"{game.players[0]} \\ {game.players[1]}", *cols_s]
        table = html_table(head, body)
    else:
        profiles = itertools.islice(itertools.product(*map(range, game.shape)), MAX_CELLS)
        body = [
            [
                *(game.strategies[p][k] for p, k in enumerate(prof)),
                *(_number(a[prof]) for a in game.payoffs),
            ]
            for prof in profiles
        ]
        table = html_table([*game.players, *(f"u({p})" for p in game.players)], body)
    more = int(_prod(game.shape)) - MAX_CELLS
    note = f"<p>({more} more profiles not shown)</p>" if more > 0 and game.n_players != 2 else ""
    return f"<div>{title}{table}{note}</div>"


def normal_form_latex(game: Any) -> str:
    """A two-player game as a LaTeX ``array`` bimatrix (math mode, for ``$$ ... $$``)."""
    import sympy

    def cell(x: Any) -> str:
        return sympy.latex(x) if is_symbolic(x) else f"{float(x):.6g}"

    if game.n_players != 2:
        return rf"\text{{{game.n_players}-player game of shape {game.shape}}}"
    rows_s, cols_s = game.strategies
    A, B = game.payoffs
    lines = [r"\begin{array}{r|" + "c" * len(cols_s) + "}"]
    lines.append(" & " + " & ".join(rf"\text{{{_tex(c)}}}" for c in cols_s) + r" \\ \hline")
    for i, r in enumerate(rows_s):
        cells = " & ".join(f"{cell(A[i, j])},\\ {cell(B[i, j])}" for j in range(len(cols_s)))
        lines.append(rf"\text{{{_tex(r)}}} & {cells} \\")
    lines.append(r"\end{array}")
    return "\n".join(lines)


def _tex(text: Any) -> str:
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
               "#": r"\#", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}",
               "^": r"\textasciicircum{}"}  # fmt: skip
    return "".join(special.get(ch, ch) for ch in str(text))


def _prod(shape: Sequence[int]) -> int:
    out = 1
    for k in shape:
        out *= int(k)
    return out


def tree_html(tree: Any, *, max_nodes: int = MAX_CELLS) -> str:
    """A tree as a nested list: who moves (and in which information set), the actions,
    chance probabilities and the payoffs at the leaves."""
    shown = [0]

    def node(n: Any, depth: int) -> str:
        shown[0] += 1
        if shown[0] > max_nodes:
            return "<li>…</li>"
        if n.kind == "terminal":
            pays = ", ".join(
                f"{_text(p)}: {_number(x)}" for p, x in zip(tree.players, n.payoffs, strict=True)
            )
            return f"<li>payoffs ({pays})</li>"
        if n.kind == "chance":
            head = "<i>chance</i>"
            kids = [
                f"<li>{_text(a)} (p = {_number(p)})<ul>{node(c, depth + 1)}</ul></li>"
                for a, (p, c) in n.outcomes.items()
            ]
        else:
            who = n.player if isinstance(n.player, str) else tree.players[n.player]
            head = f"<b>{_text(who)}</b>"
            if n.infoset:
                head += f" [information set {_text(n.infoset)}]"
            kids = [
                f"<li>{_text(a)}<ul>{node(c, depth + 1)}</ul></li>" for a, c in n.actions.items()
            ]
        label = f" {_text(n.label)}" if n.label else ""
        return f"<li>{head}{label}<ul>{''.join(kids)}</ul></li>"

    title = f"<p><b>{_text(tree.title)}</b></p>" if tree.title else ""
    return f"<div>{title}<ul>{node(tree.root, 0)}</ul></div>"


def equilibria_html(result: Any) -> str:
    """One row per equilibrium of a solve: strategies or behavior, payoffs, max regret."""
    game = result.game
    players = list(getattr(game, "players", ()))
    rows = []
    for k, eq in enumerate(result.equilibria[:MAX_CELLS]):
        if eq.strategies is not None:
            play = "; ".join("(" + ", ".join(f"{x:.4g}" for x in s) + ")" for s in eq.strategies)
        elif eq.behavior is not None:
            play = "; ".join(
                " ".join("(" + ", ".join(f"{x:.4g}" for x in b) + ")" for b in per)
                for per in eq.behavior
            )
        else:
            play = ""
        if eq.path:
            play += "  path: " + " → ".join(eq.path)
        pays = ", ".join(f"{float(x):.6g}" for x in eq.payoffs)
        rows.append([k, play, pays, f"{eq.max_regret:.2e}"])
    who = ", ".join(players)
    caption = (
        f"{len(result.equilibria)} equilibria by method {result.method!r} "
        f"({'complete' if result.complete else 'not complete'}; "
        f"tolerance {result.tolerance:g})"
    )
    table = html_table(["#", f"strategies ({who})", "payoffs", "max regret"], rows,
                       caption=caption)  # fmt: skip
    notes = "".join(f"<li>{_text(n)}</li>" for n in result.notes)
    return f"<div>{table}{f'<ul>{notes}</ul>' if notes else ''}</div>"


def parameters_html(title: str, parameters: Any, *, caption: str = "") -> str:
    """The parameter table of a model: name, default, bounds, unit, description, source."""
    rows = [
        [p.name, f"{p.default:g}", f"[{p.bounds[0]:g}, {p.bounds[1]:g}]", p.unit,
         p.description, p.source]
        for p in parameters.parameters
    ]  # fmt: skip
    head = ["parameter", "default", "bounds", "unit", "description", "source"]
    return f"<div><p><b>{_text(title)}</b></p>{html_table(head, rows, caption=caption)}</div>"
