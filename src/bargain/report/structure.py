"""What the report says about the structure of a regime's equilibria.

* **How many, and which.**  A tree regime lists its distinct subgame-perfect paths; a
  two-player normal-form regime is solved by vertex enumeration, whose components say
  whether the equilibria are isolated or form a continuum (a component with more than
  one extreme equilibrium is a convex set of equilibria: its extreme points are shown).
* **At which structural values.**  A regime whose tree changes with an integer parameter
  (the number of tranches ``n`` of a phased withdrawal) is reported at the values that
  matter: the lowest, the default, each value where the baseline outcome changes, and the
  highest.
* **At what precision.**  The sensitivity table's symbolic endpoints are exact, the
  numeric ones grid values: both are printed with the decimals the grid step resolves,
  and the step and the tie tolerance of the numeric solver stand next to the agree column.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "describe_equilibria",
    "path_text",
    "sensitivity_view",
    "structural_points",
    "wrap_long_columns",
]

#: most integer values scanned for a change of outcome
MAX_STRUCTURAL = 50
_NUMBER = r"-?\d+\.\d+"
#: extreme equilibria listed per component
MAX_SHOWN = 3
#: the batch SPE solver's relative tie tolerance (``BatchSPE.tol``; a test keeps the two
#: equal, so the report states it without importing Numba)
TIE_TOL = 1e-12


def structural_points(model: Any, regime: str) -> list[dict[str, int]]:
    """The integer-parameter values at which to report `regime` (``[{}]`` if none).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> structural_points(m, "phased"), structural_points(m, "withdraw_first")
    ([{'n': 1}, {'n': 2}, {'n': 10}], [{}])
    """
    out: list[dict[str, int]] = [{}]
    for p in model.parameters.parameters:
        if not p.integer:
            continue
        lo, hi = int(p.bounds[0]), int(p.bounds[1])
        if hi <= lo or not _depends(model, regime, p.name, lo):
            continue
        values = {lo, int(p.default), hi}
        first = model.solve(regime, **{p.name: lo}).agreement
        for v in range(lo + 1, min(hi, lo + MAX_STRUCTURAL) + 1):
            now = model.solve(regime, **{p.name: v}).agreement
            if now != first:
                values.add(v)
                first = now
        out = [{**o, p.name: v} for o in out for v in sorted(values)]
    return out


def _depends(model: Any, regime: str, name: str, low: int) -> bool:
    a = model.game(regime, symbolic=True, **{name: low})
    b = model.game(regime, symbolic=True, **{name: low + 1})
    return len(getattr(a, "nodes", ())) != len(getattr(b, "nodes", ())) or (
        getattr(a, "shape", None) != getattr(b, "shape", None)
    )


def _profile(game: Any, strategies: Any) -> str:
    parts = []
    for p, s in enumerate(strategies):
        support = [
            (lab, float(x)) for lab, x in zip(game.strategies[p], s, strict=True) if x > 1e-9
        ]
        if len(support) == 1:
            parts.append(support[0][0])
        else:
            parts.append(" + ".join(f"{x:.3g} {lab}" for lab, x in support))
    return "(" + "; ".join(parts) + ")"


def path_text(path: Any) -> str:
    """A tree's path ``A -> B``, a repeated block written once with its count.

    Examples
    --------
    >>> path_text(["Withdraw", "Comply"] * 3), path_text(["Stay"])
    ('Withdraw -> Comply, 3 times', 'Stay')
    """
    path = list(path)
    for size in range(1, len(path) // 2 + 1):
        k, rem = divmod(len(path), size)
        if rem == 0 and path == path[:size] * k:
            return f"{' -> '.join(path[:size])}, {k} times"
    return " -> ".join(path)


def describe_equilibria(solution: Any) -> tuple[str, str]:
    """``(count, equilibrium set)`` of a solved regime, in words that fit its form: the
    set is empty when the equilibrium is unique, else the SPE paths of a tree, or each
    component of a normal form (an isolated profile, or the extreme profiles of a
    continuum).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> describe_equilibria(m.solve("simultaneous"))
    ('continuum: 1 component (2 extreme equilibria)', '(Stay; 0.921 Comply + 0.0794 Renege) to (Stay; Renege)')
    >>> describe_equilibria(m.solve("withdraw_first"))
    ('1 SPE path', '')
    """  # noqa: E501
    game = solution.result.game
    if hasattr(game, "to_tikz"):  # a tree: its distinct SPE paths
        k = len(solution.paths)
        shown = [path_text(p) for p in solution.paths[:MAX_SHOWN]] if k > 1 else []
        more = f"; and {k - MAX_SHOWN} more" if k > MAX_SHOWN else ""
        return f"{k} SPE path{'s' if k != 1 else ''}", "; ".join(shown) + more
    from bargain.solvers.api import solve

    if game.n_players != 2:
        r = solve(game)
        k = len(r.equilibria)
        return f"{k} equilibri{'a' if k != 1 else 'um'} ({r.method})", "; ".join(
            _profile(game, e.strategies) for e in r.equilibria[:MAX_SHOWN]
        )
    r = solve(game, method="vertex")
    comps = r.components or tuple((k,) for k in range(len(r.equilibria)))
    shown = []
    for c in comps:
        profiles = [_profile(game, r.equilibria[k].strategies) for k in c[:MAX_SHOWN]]
        if len(c) == 1:
            shown.append(profiles[0])
        elif len(c) == 2:
            shown.append(f"{profiles[0]} to {profiles[1]}")
        else:
            more = f" and {len(c) - MAX_SHOWN} more" if len(c) > MAX_SHOWN else ""
            shown.append("hull of " + ", ".join(profiles) + more)
    if len(r.equilibria) == 1:
        return "1 equilibrium", ""
    big = [c for c in comps if len(c) > 1]
    if big:
        sizes = ", ".join(str(len(c)) for c in big)
        n = len(comps)
        count = f"continuum: {n} component{'s' if n != 1 else ''} ({sizes} extreme equilibria)"
    else:
        n = len(r.equilibria)
        count = f"{n} isolated equilibria"
    return count, "; ".join(shown)


def grid_decimals(step: float) -> int:
    """Decimals a grid of step `step` resolves: the last one printed is of the step's order.

    Examples
    --------
    >>> grid_decimals(0.02), grid_decimals(0.198), grid_decimals(0.005), grid_decimals(2.0)
    (2, 1, 3, 0)
    """
    if not step > 0:
        return 3
    return max(0, math.ceil(-math.log10(step) - 1e-9))


def sensitivity_view(
    model: Any, frame: Any, *, tie_tol: float | None = None, use_cache: bool = True
) -> Any:
    """The sensitivity table as the report prints it: symbolic and numeric sets with the
    decimals the row's grid step resolves, the step and the tie tolerance next to agree.
    `frame` is a :class:`pandas.DataFrame` (returned as one) or a list of row dicts
    (returned as a list: the report's warm path imports no pandas).
    `use_cache`: read and write the derivation cache (:mod:`bargain.symbolic.cache`).

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.sweep.intervals import agreement_intervals
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> t = sensitivity_view(m, agreement_intervals(m, ["withdraw_first"], n=51))
    >>> row = t[t.parameter == "q"].iloc[0]
    >>> row.symbolic, row.numeric, list(t.columns[5:8])
    ('[0.33, 1.00]', '[0.34, 1.00]', ['agree', 'grid step', 'tie tolerance'])
    """
    import re

    from bargain.sweep.intervals import format_set, symbolic_set

    if tie_tol is None:
        tie_tol = TIE_TOL
    is_frame = hasattr(frame, "to_dict")
    records = frame.to_dict("records") if is_frame else [dict(r) for r in frame]
    values = model.parameters.resolve()
    out = []
    for row in records:
        d = grid_decimals(float(row["grid step"]))
        exact = symbolic_set(model, row["regime"], row["parameter"], values, use_cache=use_cache)
        # numeric ends are grid values, printed to 3 decimals: round further, never pad
        k = min(d, 3)
        new = dict(row)
        new["symbolic"] = row["symbolic"] if exact is None else format_set(exact, decimals=d)
        new["numeric"] = re.sub(
            r"-?\d+\.\d+", lambda m, k=k: f"{float(m.group()):.{k}f}", row["numeric"]
        )
        new["tie tolerance"] = f"{tie_tol:.0e} (relative)"
        order = [c for c in new if c not in ("grid step", "tie tolerance", "mismatches")]
        at = order.index("agree") + 1
        order[at:at] = [c for c in ("grid step", "tie tolerance", "mismatches") if c in new]
        out.append({c: new[c] for c in order})
    if not is_frame:
        return out
    import pandas as pd

    return pd.DataFrame(out, columns=list(out[0]) if out else None)


def wrap_long_columns(tex: str, frame: Any, *, longest: int = 18, cm_per_char: float = 0.16) -> str:
    r"""A LaTeX tabular whose text columns with cells longer than `longest` characters
    become wrapped ``p{...}`` columns (about `longest` characters wide), and a table of
    more than six columns is set ``\small`` with less padding, so that it fits the page.

    Examples
    --------
    >>> import pandas as pd
    >>> tex = "\\begin{tabular}{lr}\n..."
    >>> print(wrap_long_columns(tex, pd.DataFrame({"a": ["x" * 40], "b": [1.0]})))
    \begin{tabular}{p{2.9cm}r}
    ...
    """
    import re

    m = re.search(r"\\begin\{tabular\}\{([lrc]+)\}", tex)
    if m is None or len(m.group(1)) != len(frame.columns):
        return tex
    spec = list(m.group(1))
    for k, col in enumerate(frame.columns):
        if spec[k] != "l":
            continue
        width = max((len(str(v)) for v in frame[col]), default=0)
        if width > longest:
            spec[k] = f"p{{{longest * cm_per_char:.1f}cm}}"  # plain tabular: no package
    new = r"\begin{tabular}{" + "".join(spec) + "}"
    out = tex[: m.start()] + new + tex[m.end() :]
    if len(spec) > 6 and r"\end{tabular}" in out:  # a wide table: smaller type, less padding
        out = out.replace(new, r"{\small\setlength{\tabcolsep}{4pt}" + new, 1)
        out = out.replace(r"\end{tabular}", r"\end{tabular}}", 1)
    return out
