"""Text renderings for the command line: tables, JSON, CSV and LaTeX."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "format_table",
    "model_table",
    "parse_sets",
    "print_conditions",
    "print_model_solutions",
    "print_result",
]


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain fixed-width text table.

    Examples
    --------
    >>> print(format_table(["a", "bb"], [[1, "x"], [22, "yy"]]))
    a   bb
    --  --
    1   x
    22  yy
    """
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _latex_escape(text: str) -> str:
    for a, b in (
        ("\\", r"\textbackslash{}"),
        ("&", r"\&"),
        ("%", r"\%"),
        ("$", r"\$"),
        ("#", r"\#"),
        ("_", r"\_"),
        ("{", r"\{"),
        ("}", r"\}"),
    ):
        text = text.replace(a, b)
    return text


def model_table(model: Any, fmt: str) -> str:
    """The parameter table and regimes of a model in `fmt` (table, json, csv, latex)."""
    rows = model.parameters.table()
    if fmt == "json":
        return json.dumps(
            {
                "name": model.name,
                "title": model.title,
                "description": model.description,
                "parameters": rows,
                "regimes": [
                    {
                        "name": r.name,
                        "description": r.description,
                        "agreement": list(r.agreement or ()),
                    }
                    for r in model.regimes.values()
                ],
                "references": [r.to_dict() for r in model.references],
            },
            indent=2,
        )
    headers = ["name", "default", "low", "high", "unit", "description", "source"]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=headers, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if fmt == "latex":
        body = [" & ".join(_latex_escape(_cell(r[h])) for h in headers) + r" \\" for r in rows]
        return "\n".join(
            [
                r"\begin{tabular}{lrrrlll}",
                r"\toprule",
                " & ".join(h.capitalize() for h in headers) + r" \\",
                r"\midrule",
                *body,
                r"\bottomrule",
                r"\end{tabular}",
            ]
        )
    out = [
        f"{model.title}  ({model.name})",
        "",
        model.description,
        "",
        "Parameters:",
        format_table(headers, [[r[h] for h in headers] for r in rows]),
        "",
        "Regimes:",
    ]
    out += [f"  {r.name:22s} {r.description}" for r in model.regimes.values()]
    if model.references:
        out += ["", "References:"] + [f"  {ref}" for ref in model.references]
    return "\n".join(out)


def _notes(result: Any) -> None:
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if not result.complete:
        print("note: the method did not finish: the list may be incomplete", file=sys.stderr)


def print_result(result: Any, game_name: str, fmt: str) -> None:
    """Print a SolveResult as the JSON object of docs/explanation/architecture.md, or a table."""
    _notes(result)
    if fmt == "json":
        print(json.dumps(result.to_dict(game_name=game_name), indent=2))
        return
    game = result.game
    print(
        f"{game_name}: {len(result.equilibria)} equilibria by method {result.method!r} "
        f"(verified: max regret <= {result.tolerance:g})"
    )
    for k, eq in enumerate(result.equilibria, 1):
        print(f"\nequilibrium {k}  (max regret {eq.max_regret:.3g})")
        rows = []
        for i, name in enumerate(game.players):
            if eq.strategies is not None:
                labels = game.strategies[i]
                probs = eq.strategies[i]
                play = ", ".join(
                    f"{labels[j]}: {probs[j]:.6g}" for j in range(len(labels)) if probs[j] > 0
                )
            else:
                own = [s for s in game.infosets if s.player == i]
                play = "; ".join(
                    ", ".join(f"{a}: {p:.6g}" for a, p in zip(s.actions, b, strict=True) if p > 0)
                    for s, b in zip(own, eq.behavior[i], strict=True)
                )
            rows.append([name, play, float(eq.payoffs[i])])
        print(format_table(["player", "plays", "payoff"], rows))
        if eq.exact is not None:
            print("exact: " + " | ".join(" ".join(str(x) for x in s) for s in eq.exact))


def print_stochastic_result(result: Any, game_name: str, fmt: str) -> None:
    """Print a StochasticSolveResult: per equilibrium, per state, each player's play,
    value and one-shot-deviation regret (or the JSON object of ``to_dict``)."""
    if fmt == "json":
        print(json.dumps(result.to_dict(game_name), indent=2))
        return
    game = result.game
    done = "all found" if result.complete else "not necessarily all"
    print(
        f"{game_name}: {len(result.equilibria)} stationary equilibria by method "
        f"{result.method!r} ({done}; verified: one-shot-deviation regret <= {result.tol:g})"
    )
    for k, eq in enumerate(result.equilibria, 1):
        print(f"\nequilibrium {k}  (max regret {eq.max_regret:.3g})")
        rows = []
        for s, state in enumerate(game.states):
            for i, name in enumerate(game.players):
                labels, probs = game.actions[s][i], eq.strategies[s][i]
                play = ", ".join(
                    f"{labels[j]}: {probs[j]:.6g}" for j in range(len(labels)) if probs[j] > 1e-12
                )
                rows.append([state, name, play, float(eq.values[s, i]), float(eq.regrets[s, i])])
        print(format_table(["state", "player", "plays", "value", "regret"], rows))


def print_model_solutions(model: Any, solutions: Sequence[Any], fmt: str) -> None:
    """Print model solutions: path, payoffs and whether the agreement holds, per regime."""
    if fmt == "json":
        out = [
            {
                "model": model.name,
                "regime": s.regime,
                "path": list(s.path),
                "paths": [list(p) for p in s.paths],
                "payoffs": [float(x) for x in s.payoffs],
                "agreement": bool(s.agreement),
                "values": s.values,
            }
            for s in solutions
        ]
        print(json.dumps(out, indent=2))
        return
    rows = [
        [
            s.regime,
            " -> ".join(s.path),
            ", ".join(f"{x:.4g}" for x in s.payoffs),
            "yes" if s.agreement else "no",
            len(s.paths),
        ]
        for s in solutions
    ]
    print(format_table(["regime", "equilibrium path", "payoffs", "agreement", "# SPE paths"], rows))


def print_conditions(model: Any, conditions: Mapping[str, Any], fmt: str) -> None:
    """Print derived conditions per regime."""
    if fmt == "latex":
        for regime, c in conditions.items():
            print(f"% {model.name}:{regime}")
            print(c.latex())
        return
    if fmt == "json":
        print(
            json.dumps(
                {
                    r: {" -> ".join(p): str(cond) for p, cond, *_ in c.cases}
                    for r, c in conditions.items()
                },
                indent=2,
            )
        )
        return
    for regime, c in conditions.items():
        print(f"{model.name}:{regime}")
        for path, cond, *_ in c.cases:
            print(f"  {' -> '.join(path)}:\n      {cond}")


def parse_sets(items: Sequence[str]) -> dict[str, float]:
    """``["q=0.5", "s=2"]`` (``--set`` options) → ``{"q": 0.5, "s": 2.0}``.

    Examples
    --------
    >>> parse_sets(["q=0.5"])
    {'q': 0.5}
    """
    from bargain.errors import BargainError
    from bargain.games.expression import parse_number

    values: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise BargainError(f"--set expects NAME=VALUE, got {item!r}")
        values[name.strip()] = parse_number(value, where=f"--set {name.strip()}")
    return values
