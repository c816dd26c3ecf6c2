"""One-at-a-time sensitivity: for each parameter, others at baseline, where an agreement
holds — from the symbolic condition and from a numeric sweep, side by side.

The two readings stay independent.  The *symbolic* set of a parameter comes from the
regime's agreement condition solved for it (:mod:`bargain.symbolic.agreement_sets`):
every inequality is a half-line with a symbolic endpoint, evaluated once at the other
parameters' values; where the parameter enters non-linearly, SymPy solves the univariate
condition once (``as_set``), and where even that fails the condition itself is evaluated
on the grid, vectorized ("no closed form").  The *numeric* set is the compiled SPE sweep
over the same grid.  No SymPy call is made per grid point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from bargain.sweep.evaluate import PARALLEL_MIN

__all__ = [
    "agreement_intervals",
    "conditions_at",
    "format_set",
    "interval_members",
    "interval_rows",
    "numeric_set",
    "symbolic_set",
]

#: tolerance of the "no closed form" check, as in :meth:`Conditions.holds`
TOL = 1e-10

# An interval: (low, low_closed, high, high_closed)
Interval = tuple[float, bool, float, bool]


def conditions_at(model: Any, regime: str, values: Mapping[str, float]):
    """A regime's conditions, built with the structural (integer) parameters in `values`."""
    return model.conditions(regime, **_structural(model, values))


def _structural(model: Any, values: Mapping[str, float]) -> dict[str, float]:
    return {p.name: values[p.name] for p in model.parameters.parameters if p.integer}


def _form(model: Any, regime: str, values: Mapping[str, float], use_cache: bool = True):
    """The condition for numeric work (read without SymPy when the cache holds it)."""
    from bargain.symbolic.numeric_form import numeric_form

    return numeric_form(model, regime, structural=_structural(model, values), use_cache=use_cache)


def _merge(parts: list[Interval]) -> list[Interval]:
    """Union of intervals, sorted, touching ones joined (as SymPy's Union does)."""
    parts = sorted(parts, key=lambda p: (p[0], not p[1]))
    out: list[Interval] = []
    for lo, lc, hi, hc in parts:
        if out:
            plo, plc, phi, phc = out[-1]
            if lo < phi or (lo == phi and (lc or phc)):
                if hi > phi or (hi == phi and hc):
                    out[-1] = (plo, plc, hi, hc if hi > phi else (hc or phc))
                continue
        out.append((lo, lc, hi, hc))
    return out


def symbolic_set(
    model: Any, regime: str, name: str, values: Mapping[str, float], *, use_cache: bool = True
) -> list[Interval] | None:
    """Where the agreement condition holds for `name` (within its bounds), the others at
    `values`: a list of ``(low, low_closed, high, high_closed)`` intervals, or None when
    the condition cannot be solved for `name` in closed form.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> symbolic_set(m, "entry_commitment", "commitment_cost", m.parameters.defaults)
    [(0.0, True, 2.0, True)]
    """
    form = _form(model, regime, values, use_cache)
    lo, hi = model.parameters[name].bounds
    cols = [float(values[n]) for n in form.names]
    if not form.linear.get(name):
        return _solved_once(model, regime, name, values, use_cache)
    coef = [float(v) for v in form.coefficients[name](*cols)] if form.strict else []
    parts: list[Interval] = []
    for conj in form.conjunctions:
        a_lo, lc, a_hi, hc = lo, True, hi, True
        for k in conj:
            a, b = coef[2 * k], coef[2 * k + 1]
            strict = form.strict[k]
            if a == 0.0:
                if not (b > 0 if strict else b >= 0):
                    a_lo, a_hi = 1.0, 0.0  # empty
                    break
                continue
            t = -b / a
            if a > 0 and (t > a_lo or (t == a_lo and strict)):
                a_lo, lc = t, not strict
            elif a < 0 and (t < a_hi or (t == a_hi and strict)):
                a_hi, hc = t, not strict
        if a_lo < a_hi or (a_lo == a_hi and lc and hc):
            parts.append((a_lo, lc, a_hi, hc))
    return _merge(parts)


def _solved_once(model, regime, name, values, use_cache):
    """A parameter that enters non-linearly: SymPy solves the univariate condition once."""
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    key = model_key(
        model,
        what="univariate_set",
        regime=regime,
        parameter=name,
        values={k: repr(float(v)) for k, v in sorted(values.items())},
    )
    if use_cache:
        data = load_entry(key)
        if data is not None:
            return None if data == "none" else [tuple(p) for p in data]
    from bargain.symbolic.agreement_sets import agreement_form

    structural = _structural(model, values)
    form = agreement_form(model, regime, structural=structural, use_cache=use_cache)
    out = _as_set(model, name, values, form)
    if use_cache:
        store_entry(key, "none" if out is None else [list(p) for p in out])
    return out


def _as_set(model, name, values, form):
    import sympy

    from bargain.symbolic import _inequalities as iq

    lo, hi = model.parameters[name].bounds
    dnf = tuple(tuple(form.atoms[k] for k in conj) for conj in form.conjunctions)
    cond = iq.dnf_to_boolean(dnf)
    by_name = {s.name: s for s in form.symbols}
    plain = sympy.Symbol(name, real=True)
    sub = cond.subs({s: values[s.name] for s in form.symbols if s.name != name})
    sub = sub.subs(by_name[name], plain)
    if sub is sympy.true or sub is sympy.false:
        return [(lo, True, hi, True)] if bool(sub) else []
    try:
        out = sub.as_set().intersect(sympy.Interval(lo, hi))
    except (TypeError, ValueError, NotImplementedError, ArithmeticError):
        return None  # SymPy cannot solve it in closed form (roots, Max, ...)
    parts: list[Interval] = []
    for part in out.args if isinstance(out, sympy.Union) else (out,):
        if part is sympy.EmptySet:
            continue
        if isinstance(part, sympy.Interval):
            parts.append(
                (float(part.start), not part.left_open, float(part.end), not part.right_open)
            )
        elif isinstance(part, sympy.FiniteSet):
            parts += [(float(v), True, float(v), True) for v in part]
        else:
            return None
    return _merge(parts)


def interval_members(grid: np.ndarray, parts: Sequence[Interval]) -> np.ndarray:
    """Whether each grid value lies in the union of `parts`, vectorized.

    Examples
    --------
    >>> interval_members(np.array([0.0, 0.5, 1.0]), [(0.5, False, 1.0, True)]).tolist()
    [False, False, True]
    """
    g = np.asarray(grid, dtype=float)
    out = np.zeros(g.shape, dtype=bool)
    for lo, lc, hi, hc in parts:
        above = g >= lo if lc else g > lo
        below = g <= hi if hc else g < hi
        out |= above & below
    return out


def condition_members(
    model: Any,
    regime: str,
    name: str,
    grid: np.ndarray,
    values: Mapping[str, float],
    *,
    use_cache: bool = True,
) -> np.ndarray:
    """The agreement condition itself on a grid of `name` (others at `values`), vectorized;
    ``d >= 0`` holds when ``d >= -TOL`` and ``d > 0`` when ``d > TOL``.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> condition_members(m, "withdraw_first", "q", np.array([0.3, 0.4]),
    ...                   m.parameters.defaults).tolist()
    [False, True]
    """
    form = _form(model, regime, values, use_cache)
    g = np.asarray(grid, dtype=float)
    cols = [g if n == name else float(values[n]) for n in form.names]
    ds = [np.broadcast_to(np.asarray(d, dtype=float), g.shape) for d in form.atom_values(*cols)]
    held = [d > TOL if st else d >= -TOL for d, st in zip(ds, form.strict, strict=True)]
    out = np.zeros(g.shape, dtype=bool)
    for conj in form.conjunctions:
        ok = np.ones(g.shape, dtype=bool)
        for k in conj:
            ok &= held[k]
        out |= ok
    return out


def numeric_set(model: Any, regime: str, name: str, values: Mapping[str, float], n: int = 201):
    """Grid values of `name` and whether the numeric SPE reaches the agreement at each.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> g, holds = numeric_set(m, "entry_commitment", "commitment_cost",
    ...                        m.parameters.defaults, n=5)
    >>> g.tolist(), holds.tolist()
    ([0.0, 2.5, 5.0, 7.5, 10.0], [True, False, False, False, False])
    """
    grids, holds = _numeric_sets(model, regime, [name], values, n)
    return grids[name], holds[name]


def _numeric_sets(model, regime, names, values, n, use_cache=True):
    """The SPE sweep of every parameter of `names` (one grid each) in one kernel call."""
    params = model.parameters
    order = list(params.names)
    base = np.array([float(values[k]) for k in order])
    grids = {}
    blocks = []
    for name in names:
        lo, hi = params[name].bounds
        g = np.linspace(lo, hi, n)
        grids[name] = g
        block = np.tile(base, (n, 1))
        block[:, order.index(name)] = g
        blocks.append(block)
    points = np.concatenate(blocks) if blocks else np.empty((0, len(order)))
    if not len(points):
        return grids, {name: np.zeros(0, dtype=bool) for name in names}
    from bargain.sweep.numpy_spe import evaluate_grid

    parallel = len(points) >= PARALLEL_MIN  # one kernel variant for the whole report
    agree = evaluate_grid(model, regime, points, use_cache=use_cache, parallel=parallel).agreement
    holds = {name: agree[k * n : (k + 1) * n] for k, name in enumerate(names)}
    return grids, holds


def _runs(grid: np.ndarray, holds: np.ndarray) -> list[tuple[float, float]]:
    """Maximal runs of consecutive grid values where `holds`, as (first, last)."""
    h = np.concatenate([[False], np.asarray(holds, dtype=bool), [False]])
    edges = np.flatnonzero(np.diff(h.astype(np.int8)))
    starts, ends = edges[::2], edges[1::2]
    return [(float(grid[a]), float(grid[b - 1])) for a, b in zip(starts, ends, strict=True)]


def format_set(s: Any, decimals: int = 3) -> str:
    """Readable text of intervals ``(lo, lo_closed, hi, hi_closed)`` or numeric runs.

    Examples
    --------
    >>> format_set([(0.0, 0.5), (0.75, 1.0)])
    '[0.000, 0.500] ∪ [0.750, 1.000]'
    >>> format_set([(0.2, False, 5.0, True), (6.0, True, 6.0, True)])
    '(0.200, 5.000] ∪ {6.000}'
    """
    if not s:
        return "∅"
    out = []
    for part in s:
        if len(part) == 2:
            a, b = part
            out.append(f"[{a:.{decimals}f}, {b:.{decimals}f}]")
        elif part[0] == part[2]:
            out.append(f"{{{part[0]:.{decimals}f}}}")
        else:
            lo, lc, hi, hc = part
            out.append(
                f"{'[' if lc else '('}{lo:.{decimals}f}, {hi:.{decimals}f}{']' if hc else ')'}"
            )
    return " ∪ ".join(out)


def agreement_intervals(
    model: Any,
    regimes: list[str],
    *,
    n: int = 201,
    fixed: Mapping[str, float] | None = None,
    use_cache: bool = True,
):
    """A tidy table: per parameter and regime, the symbolic set where the agreement holds,
    the numeric one (grid of `n` values), whether they agree at every grid value, the
    number of grid values where they differ, and the grid step (the resolution of the
    numeric set and of the comparison).

    Parameters
    ----------
    model : Model
    regimes : list of str
    n : int
        Grid values per parameter (between its bounds, inclusive).
    fixed : mapping, optional
        Values of the other parameters (baseline otherwise).
    use_cache : bool
        Read and write the derivation cache (:mod:`bargain.symbolic.cache`).

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

    return pd.DataFrame(interval_rows(model, regimes, n=n, fixed=fixed, use_cache=use_cache))


def interval_rows(
    model: Any,
    regimes: list[str],
    *,
    n: int = 201,
    fixed: Mapping[str, float] | None = None,
    use_cache: bool = True,
) -> list[dict[str, Any]]:
    """The rows of :func:`agreement_intervals`, as dicts (no pandas needed).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> interval_rows(m, ["entry_commitment"], n=11)[0]["parameter"]
    'entrant_profit'
    """
    values = model.parameters.resolve(**dict(fixed or {}))
    names = [k for k in model.parameters.names if not model.parameters[k].integer]
    sweeps = {r: _numeric_sets(model, r, names, values, n, use_cache) for r in regimes}
    rows = []
    for name in names:
        for r in regimes:
            grids, holds_by = sweeps[r]
            grid, holds = grids[name], holds_by[name]
            sym = symbolic_set(model, r, name, values, use_cache=use_cache)
            if sym is None:  # compare point by point with the condition itself
                member = condition_members(model, r, name, grid, values, use_cache=use_cache)
                text = "(no closed form)"
            else:
                member = interval_members(grid, sym)
                text = format_set(sym)
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
                    "grid step": float(grid[1] - grid[0]) if len(grid) > 1 else 0.0,
                }
            )
    return rows
