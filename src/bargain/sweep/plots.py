"""Figures: the (x, y) parameter plane coloured by which regimes' agreements hold, with the
symbolic threshold curves drawn on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bargain.formats.files import save_figure
from bargain.sweep.evaluate import evaluate_points

__all__ = ["plot_regions", "region_grid", "threshold_curves"]

_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


def region_grid(
    model: Any,
    regimes: Sequence[str],
    x: str,
    y: str,
    *,
    n: int = 201,
    fixed: Mapping[str, float] | None = None,
):
    """Agreement of each regime on an ``n × n`` grid of (x, y) over their bounds.

    Returns
    -------
    xs, ys : numpy.ndarray
        Grid values.
    holds : dict
        Regime → boolean array of shape ``(n, n)`` indexed ``[iy, ix]``.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> xs, ys, holds = region_grid(m, ["entry_commitment"], "commitment_cost",
    ...                             "entrant_profit", n=5)
    >>> holds["entry_commitment"].shape
    (5, 5)
    """
    from bargain.sweep.samples import design

    ps = model.parameters
    vary = {y: (*ps[y].bounds, n), x: (*ps[x].bounds, n)}
    grid = design(model, method="grid", vary=vary, fixed=fixed)
    points = grid.points(0, len(grid))
    ys, xs = (np.asarray(a, dtype=float) for a in grid.axes)
    holds = {}
    for r in regimes:
        holds[r] = evaluate_points(model, r, points).agreement.reshape(len(ys), len(xs))
    return xs, ys, holds


def threshold_curves(
    model: Any, regime: str, x: str, y: str, fixed: Mapping[str, float] | None = None
):
    """The boundaries of a regime's symbolic agreement condition in the (x, y) plane.

    Every inequality of the condition, with the other parameters at their values, is a
    curve ``lhs - rhs = 0``; returns ``(relation, f)`` pairs with ``f(X, Y)`` vectorized.
    Inequalities that do not involve x or y are dropped (they shift the whole plane).
    """
    import sympy

    from bargain.sweep.intervals import conditions_at

    values = model.parameters.resolve(**dict(fixed or {}))
    cond = conditions_at(model, regime, values).agreement()
    syms = {s.name: s for s in cond.free_symbols}
    sx, sy = syms.get(x, sympy.Symbol(x)), syms.get(y, sympy.Symbol(y))
    subs = {s: values[s.name] for s in cond.free_symbols if s.name not in (x, y)}
    curves = []
    seen = set()
    for rel in sorted(cond.atoms(sympy.core.relational.Relational), key=str):
        expr = sympy.simplify((rel.lhs - rel.rhs).subs(subs))
        if not expr.free_symbols & {sx, sy} or expr in seen:
            continue
        seen.add(expr)
        f = sympy.lambdify((sx, sy), expr, modules="numpy")
        curves.append((rel, f))
    return curves


def plot_regions(
    model: Any,
    regimes: Sequence[str],
    x: str,
    y: str,
    *,
    n: int = 201,
    fixed: Mapping[str, float] | None = None,
    path: str | Path | None = None,
):
    """Draw where each regime's agreement holds in the (x, y) plane.

    Each cell is coloured by the set of regimes whose agreement is the subgame-perfect
    outcome there (numeric, from the batch solver); the symbolic threshold curves of each
    regime's condition are drawn as dashed lines in the regime's colour — where solver and
    formula agree, the colour boundaries lie on the curves.

    Parameters
    ----------
    path : str or Path, optional
        When given, the figure is saved as ``path`` with suffix ``.pdf`` and ``.png``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> fig = plot_regions(m, ["entry_commitment"], "commitment_cost", "entrant_profit", n=21)
    >>> fig.axes[0].get_xlabel()
    'commitment_cost'
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    xs, ys, holds = region_grid(model, regimes, x, y, n=n, fixed=fixed)
    code = np.zeros((len(ys), len(xs)), dtype=int)
    for k, r in enumerate(regimes):
        code |= holds[r].astype(int) << k
    present = sorted(set(np.unique(code).tolist()))
    palette = ["#f2f2f2"]
    names = ["no agreement"]
    for c in range(1, 2 ** len(regimes)):
        members = [r for k, r in enumerate(regimes) if c >> k & 1]
        rgb = np.mean([_rgb(_COLORS[regimes.index(r) % len(_COLORS)]) for r in members], axis=0)
        palette.append(_hex(0.45 * rgb + 0.55))
        names.append(" + ".join(members))
    fig = Figure(figsize=(6.4, 4.8), layout="constrained")
    ax = fig.add_subplot()
    cmap = ListedColormap(palette)
    ax.pcolormesh(xs, ys, code, cmap=cmap, vmin=-0.5, vmax=len(palette) - 0.5, shading="nearest")
    handles: list[Any] = [Patch(color=palette[c], label=names[c]) for c in present]
    X, Y = np.meshgrid(xs, ys)
    drawn: dict[str, Any] = {}  # one curve per distinct boundary, labelled with its regimes
    for k, r in enumerate(regimes):
        color = _COLORS[k % len(_COLORS)]
        for rel, f in threshold_curves(model, r, x, y, fixed=fixed):
            key = _latex(rel)
            if key in drawn:
                drawn[key].set_label(drawn[key].get_label().replace(":", f", {r}:", 1))
                continue
            Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
            if np.nanmin(Z) < 0 < np.nanmax(Z):
                ax.contour(X, Y, Z, levels=[0.0], colors=[color], linestyles="--", linewidths=1.4)
                drawn[key] = Line2D([], [], color=color, linestyle="--", label=f"{r}: ${key}$")
    handles += list(drawn.values())
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    others = {
        k: v for k, v in model.parameters.resolve(**dict(fixed or {})).items() if k not in (x, y)
    }
    ax.set_title(f"{model.name}: where each regime's agreement is the SPE", fontsize=9)
    ax.legend(handles=handles, fontsize=7, loc="best", framealpha=0.9)
    fig.text(
        0.01,
        0.005,
        "others at " + ", ".join(f"{k}={v:g}" for k, v in others.items()),
        fontsize=6,
        color="#555555",
    )
    if path is not None:
        save_figure(fig, Path(path))
    return fig


def _latex(rel: Any) -> str:
    import sympy

    return sympy.latex(rel)


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{round(255 * min(max(c, 0), 1)):02x}" for c in rgb)
