"""One-at-a-time sensitivity: for each parameter, others at baseline, where an agreement
holds — from the symbolic condition and from a numeric sweep, side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.samples import design

__all__ = ["agreement_intervals", "conditions_at", "format_set", "numeric_set", "symbolic_set"]


def conditions_at(model: Any, regime: str, values: Mapping[str, float]):
    """A regime's conditions, built with the structural (integer) parameters in `values`."""
    structural = {
        p.name: values[p.name]
        for p in model.parameters.parameters
        if p.integer and p.name in values
    }
    return model.conditions(regime, **structural)


def symbolic_set(model: Any, regime: str, name: str, values: Mapping[str, float]):
    """The set of values of `name` (within its bounds) where the agreement condition holds,
    the other parameters at `values`; a SymPy set (union of intervals), or None when SymPy
    cannot solve the condition for `name` in closed form.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> symbolic_set(m, "entry_commitment", "commitment_cost", m.parameters.defaults)
    Interval(0.0, 2.00000000000000)
    """
    import sympy

    cond = conditions_at(model, regime, values).agreement()
    lo, hi = model.parameters[name].bounds
    syms = {s.name: s for s in cond.free_symbols}
    if name not in syms:
        whole = bool(cond.subs({s: values[s.name] for s in cond.free_symbols}))
        return sympy.Interval(lo, hi) if whole else sympy.EmptySet
    sym = syms[name]
    plain = sympy.Symbol(name, real=True)
    sub = cond.subs({s: values[s.name] for s in cond.free_symbols if s is not sym})
    sub = sub.subs(sym, plain)
    if sub is sympy.true or sub is sympy.false:
        return sympy.Interval(lo, hi) if bool(sub) else sympy.EmptySet
    try:
        out = sub.as_set().intersect(sympy.Interval(lo, hi))
    except (TypeError, ValueError, NotImplementedError, ArithmeticError):
        return None  # SymPy cannot solve it in closed form (roots, Max, ...)
    if isinstance(out, sympy.ConditionSet):
        return None
    return out


def numeric_set(model: Any, regime: str, name: str, values: Mapping[str, float], n: int = 201):
    """Grid values of `name` and whether the numeric SPE reaches the agreement at each."""
    lo, hi = model.parameters[name].bounds
    fixed = {k: v for k, v in values.items() if k != name}
    grid = design(model, method="grid", vary={name: (lo, hi, n)}, fixed=fixed)
    points = grid.points(0, len(grid))
    return np.asarray(grid.axes[0], dtype=float), evaluate_points(model, regime, points).agreement


def _runs(grid: np.ndarray, holds: np.ndarray) -> list[tuple[float, float]]:
    runs = []
    start = None
    for k, h in enumerate(holds):
        if h and start is None:
            start = k
        if start is not None and (not h or k == len(holds) - 1):
            end = k if h else k - 1
            runs.append((float(grid[start]), float(grid[end])))
            start = None
    return runs


def format_set(s: Any, decimals: int = 3) -> str:
    """Readable text of a SymPy set or a list of numeric runs.

    Examples
    --------
    >>> format_set([(0.0, 0.5), (0.75, 1.0)])
    '[0.000, 0.500] ∪ [0.750, 1.000]'
    """
    if isinstance(s, list):
        if not s:
            return "∅"
        return " ∪ ".join(f"[{a:.{decimals}f}, {b:.{decimals}f}]" for a, b in s)
    import sympy

    if s is sympy.EmptySet or s == sympy.EmptySet:
        return "∅"
    parts = s.args if isinstance(s, sympy.Union) else (s,)
    out = []
    for part in parts:
        if isinstance(part, sympy.Interval):
            left = "(" if part.left_open else "["
            right = ")" if part.right_open else "]"
            out.append(
                f"{left}{float(part.start):.{decimals}f}, {float(part.end):.{decimals}f}{right}"
            )
        elif isinstance(part, sympy.FiniteSet):
            out.append("{" + ", ".join(f"{float(v):.{decimals}f}" for v in part) + "}")
        else:
            out.append(str(part))
    return " ∪ ".join(out)


def agreement_intervals(
    model: Any, regimes: list[str], *, n: int = 201, fixed: Mapping[str, float] | None = None
):
    """A tidy table: per parameter and regime, the symbolic set where the agreement holds,
    the numeric one (grid of `n` values), and whether they agree at every grid value.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> t = agreement_intervals(m, ["entry_commitment"], n=11)
    >>> row = t[t.parameter == "commitment_cost"].iloc[0]
    >>> row.symbolic, row.numeric, bool(row.agree)
    ('[0.000, 2.000]', '[0.000, 2.000]', True)
    """
    import pandas as pd
    import sympy

    values = model.parameters.resolve(**dict(fixed or {}))
    rows = []
    for name in model.parameters.names:
        if model.parameters[name].integer:
            continue
        for r in regimes:
            sym_set = symbolic_set(model, r, name, values)
            grid, holds = numeric_set(model, r, name, values, n)
            if sym_set is None:  # compare point by point with the condition itself
                c = conditions_at(model, r, values)
                member = np.array([c.holds(**{**values, name: float(v)}) for v in grid])
                text = "(no closed form)"
            else:
                member = np.array([bool(sym_set.contains(sympy.Float(v))) for v in grid])
                text = format_set(sym_set)
            mismatches = int(np.sum(member != holds))
            rows.append(
                {
                    "parameter": name,
                    "regime": r,
                    "baseline": values[name],
                    "symbolic": text,
                    "numeric": format_set(_runs(grid, holds)),
                    "agree": mismatches == 0,
                    "mismatches": mismatches,
                }
            )
    return pd.DataFrame(rows)
