"""LaTeX forms of the report's tables and conditions: math-mode names, sets and paths.

The CSV and Markdown tables keep identifiers (``M_G``, ``withdraw_first``) for machines
and diffs; the ``.tex`` files a paper inputs show symbols (``$M_{G}$``), words
(``withdraw first``), sets in math mode (``$[0.333, 1.000]$``, ``$\\emptyset$``) and paths
with arrows (``Withdraw $\\to$ Comply``), and break long conditions at conjunctions.
"""

from __future__ import annotations

import re
from typing import Any

from bargain.formats.tables import latex_escape

__all__ = ["break_conditions", "path_tex", "set_tex", "tex_frame"]


def set_tex(text: str) -> str:
    """A set as :func:`~bargain.sweep.intervals.format_set` writes it, in LaTeX.

    Examples
    --------
    >>> print(set_tex("[0.000, 0.500] ∪ {0.750}"), set_tex("∅"))
    $[0.000, 0.500] \\cup \\{0.750\\}$ $\\emptyset$
    """
    text = str(text)
    if text == "∅":
        return r"$\emptyset$"
    if not text or text[0] not in "[({":
        return latex_escape(text.strip("()"))  # "(no closed form)"
    body = text.replace("{", r"\{").replace("}", r"\}").replace(" ∪ ", r" \cup ")
    return f"${body}$"


def path_tex(text: str) -> str:
    """An equilibrium path ``A -> B`` as ``A $\\to$ B`` (labels escaped).

    Examples
    --------
    >>> print(path_tex("Neutralize -> Withdraw"))
    Neutralize $\\to$ Withdraw
    """
    return r" $\to$ ".join(latex_escape(p) for p in str(text).split(" -> "))


def tex_frame(model: Any, frame: Any) -> tuple[Any, list[str], dict[str, str]]:
    """A copy of a report table for LaTeX, the columns now holding LaTeX, and headers.

    Examples
    --------
    >>> import pandas as pd, bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> t = pd.DataFrame({"parameter": ["M_G"], "regime": ["withdraw_first"],
    ...                   "symbolic": ["∅"]})
    >>> out, raw, labels = tex_frame(m, t)
    >>> print(out.iloc[0].tolist(), raw)
    ['$M_{G}$', 'withdraw first', '$\\\\emptyset$'] ['parameter', 'symbolic']
    """
    from bargain.formats.style import regime_label

    out = frame.copy()
    raw = []
    if "parameter" in out:
        out["parameter"] = [model.parameters[p].display_symbol for p in out["parameter"]]
        raw.append("parameter")
    if "regime" in out:
        out["regime"] = [regime_label(r) for r in out["regime"]]
    for col in ("symbolic", "numeric"):
        if col in out:
            out[col] = [set_tex(v) for v in out[col]]
            raw.append(col)
    for col in ("equilibrium path", "equilibrium", "equilibrium set"):
        if col in out:
            out[col] = [path_tex(v) for v in out[col]]
            raw.append(col)
    labels = {"grid step": r"grid step $h$", "SPE paths": "SPE paths"}
    return out, raw, labels


_SPLIT = re.compile(r" (\\wedge|\\vee) ")


def _top_level_pieces(cond: str) -> list[str]:
    """`cond` split before each top-level ``\\wedge``/``\\vee`` (outside ``\\left(``)."""
    pieces, start, depth = [], 0, 0
    k = 0
    while k < len(cond):
        if cond.startswith(r"\left", k):
            depth += 1
        elif cond.startswith(r"\right", k):
            depth -= 1
        elif depth == 0:
            m = _SPLIT.match(cond, k)
            if m:
                pieces.append(cond[start:k])
                start = k + 1
                k = m.end()
                continue
        k += 1
    pieces.append(cond[start:])
    return pieces


def break_conditions(tex: str) -> str:
    """Break each ``\\text{if } ...`` condition of a ``cases`` display at its top-level
    conjunctions and disjunctions, one per line of an ``aligned`` block.

    Examples
    --------
    >>> print(break_conditions(r"A & \\text{if } x \\geq 1 \\wedge y > 0 \\\\"))
    A & \\text{if } \\begin{aligned}[t] & x \\geq 1 \\\\ & \\wedge y > 0\\end{aligned} \\\\
    """
    out = []
    for line in tex.splitlines():
        head, sep, cond = line.partition(r"\text{if } ")
        if not sep:
            out.append(line)
            continue
        end = ""
        if cond.rstrip().endswith("\\\\"):
            cond, end = cond.rstrip()[:-2].rstrip(), " \\\\"
        pieces = _top_level_pieces(cond)
        if len(pieces) == 1:
            out.append(line)
            continue
        body = r" \\ & ".join(p.strip() for p in pieces)
        out.append(f"{head}{sep}\\begin{{aligned}}[t] & {body}\\end{{aligned}}{end}")
    return "\n".join(out)
