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
    model: Any,
    regime: str,
    x: str,
    y: str,
    fixed: Mapping[str, float] | None = None,
    *,
    use_cache: bool = True,
):
    """The boundaries of a regime's symbolic agreement condition in the (x, y) plane.

    Every inequality ``d >= 0`` (or ``d > 0``) of the condition, with the other parameters
    at their values, is a curve ``d = 0``; returns ``(latex, f)`` pairs: the inequality in
    LaTeX and ``f(X, Y)``, vectorized (NumPy, from the derivation done once, see
    :mod:`bargain.symbolic.agreement_sets`).  Inequalities that do not involve x or y are
    dropped (they shift the whole plane).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> for tex, f in threshold_curves(m, "withdraw_first", "q", "M_G"):
    ...     print(tex, f(np.array([0.5]), np.array([2.0])).tolist())
    q \\left(M_{G} + s\\right) \\geq k_{G} [0.5]
    """
    from bargain.symbolic.agreement_sets import agreement_form

    values = model.parameters.resolve(**dict(fixed or {}))
    structural = {p.name: values[p.name] for p in model.parameters.parameters if p.integer}
    form = agreement_form(model, regime, structural=structural, use_cache=use_cache)
    ix, iy = form.names.index(x), form.names.index(y)
    involved = [
        k for k, (d, _) in enumerate(form.atoms) if {s.name for s in d.free_symbols} & {x, y}
    ]
    curves = []
    for k in involved:

        def f(X, Y, _k=k):
            X = np.asarray(X, dtype=float)
            cols: list[Any] = [float(values[n]) for n in form.names]
            cols[ix], cols[iy] = X, np.asarray(Y, dtype=float)
            out = form.atom_values(*cols)[_k]
            return np.broadcast_to(np.asarray(out, dtype=float), np.broadcast(X, Y).shape)

        curves.append((form.latex[k], f))
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
    use_cache: bool = True,
    dpi: int = 300,
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
    use_cache : bool
        Read and write the derivation cache (:mod:`bargain.symbolic.cache`).
    dpi : int
        Resolution of the PNG and of the region raster inside the PDF.

    The regions are one raster image (``pcolormesh(..., rasterized=True)``), whatever the
    grid size; curves, axes and legend stay vector graphics in the PDF.

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
    ax.pcolormesh(
        xs,
        ys,
        code,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(palette) - 0.5,
        shading="nearest",
        rasterized=True,  # one image in the PDF, not one path per cell
    )
    handles: list[Any] = [Patch(color=palette[c], label=names[c]) for c in present]
    X, Y = np.meshgrid(xs, ys)
    drawn: dict[str, Any] = {}  # one curve per distinct boundary, labelled with its regimes
    for k, r in enumerate(regimes):
        color = _COLORS[k % len(_COLORS)]
        for key, f in threshold_curves(model, r, x, y, fixed=fixed, use_cache=use_cache):
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
        save_figure(fig, Path(path), dpi=dpi)
    return fig


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{round(255 * min(max(c, 0), 1)):02x}" for c in rgb)
