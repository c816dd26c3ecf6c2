"""LaTeX of conditions for a paper: one line per equilibrium path, then thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from bargain.symbolic._inequalities import DNF, relational

__all__ = ["cases_latex", "condition_latex", "path_latex"]


def path_latex(path: Sequence[str]) -> str:
    r"""``\text{Withdraw} \to \text{Comply}`` (``\varnothing`` for an empty path).

    Examples
    --------
    >>> path_latex(("Withdraw", "Comply"))
    '\\text{Withdraw} \\to \\text{Comply}'
    """
    if not path:
        return r"\varnothing"
    return r" \to ".join(r"\text{" + _escape(p) + "}" for p in path)


def _escape(text: str) -> str:
    for a, b in (
        ("\\", r"\textbackslash{}"),
        ("_", r"\_"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("#", r"\#"),
        ("$", r"\$"),
        ("{", r"\{"),
        ("}", r"\}"),
    ):
        text = text.replace(a, b)
    return text


def condition_latex(dnf: DNF) -> str:
    r"""LaTeX of a DNF: ``\wedge`` within a conjunction, ``\vee`` between them.

    Examples
    --------
    >>> import sympy
    >>> q, k = sympy.symbols("q k_G", positive=True)
    >>> condition_latex((((q - k, False), (q - 1, True)),))
    'q \\geq k_{G} \\wedge q > 1'
    """
    if not dnf:
        return r"\text{never}"
    parts = []
    for conj in dnf:
        if not conj:
            return r"\text{always}"
        inner = r" \wedge ".join(sympy.latex(relational(d, st)) for d, st in conj)
        parts.append(inner if len(dnf) == 1 or len(conj) == 1 else f"\\left({inner}\\right)")
    return r" \vee ".join(parts)


def cases_latex(
    entries: Sequence[tuple[Sequence[str], DNF]],
    thresholds: Sequence[Any] = (),
    *,
    name: str = r"\text{path}",
) -> str:
    r"""A ``cases`` environment: path if condition, one line per path; thresholds after.

    Examples
    --------
    >>> import sympy
    >>> a = sympy.Symbol("a", real=True)
    >>> print(cases_latex([(("L",), (((a - 1, False),),)), (("R",), (((1 - a, True),),))]))
    \text{path} = \begin{cases}
    \text{L} & \text{if } a \geq 1 \\
    \text{R} & \text{if } 1 > a
    \end{cases}
    """
    lines = [f"{name} = \\begin{{cases}}"]
    body = [f"{path_latex(p)} & \\text{{if }} {condition_latex(d)}" for p, d in entries]
    lines.append(" \\\\\n".join(body))
    lines.append(r"\end{cases}")
    out = "\n".join(lines)
    ops = {">=": r"\geq", ">": ">", "<=": r"\leq", "<": "<"}
    for t in thresholds:
        x = sympy.latex(sympy.Symbol(t.parameter))
        out += (
            f"\n\n{x}^{{*}} = {sympy.latex(t.expression)}, \\quad "
            f"\\text{{agreement requires }} {x} {ops[t.direction]} {x}^{{*}}"
        )
    return out
