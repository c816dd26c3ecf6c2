"""Figures: the (x, y) parameter plane coloured by which regimes' agreements hold, with the
symbolic threshold curves drawn on top."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bargain.sweep.evaluate import PARALLEL_MIN
from bargain.sweep.numpy_spe import evaluate_grid

__all__ = ["plot_regions", "region_grid", "threshold_curves"]


def region_grid(
    model: Any,
    regimes: Sequence[str],
    x: str,
    y: str,
    *,
    n: int = 201,
    fixed: Mapping[str, float] | None = None,
    use_cache: bool = True,
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
        parallel = len(points) >= PARALLEL_MIN
        outcome = evaluate_grid(model, r, points, use_cache=use_cache, parallel=parallel)
        holds[r] = outcome.agreement.reshape(len(ys), len(xs))
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
    from bargain.symbolic.numeric_form import numeric_form

    values = model.parameters.resolve(**dict(fixed or {}))
    structural = {p.name: values[p.name] for p in model.parameters.parameters if p.integer}
    form = numeric_form(model, regime, structural=structural, use_cache=use_cache)
    ix, iy = form.names.index(x), form.names.index(y)
    involved = [k for k, names in enumerate(form.free) if set(names) & {x, y}]
    curves = []
    for k in involved:

        def f(X, Y, _k=k):
            X = np.asarray(X, dtype=float)
            cols: list[Any] = [float(values[n]) for n in form.names]
            cols[ix], cols[iy] = X, np.asarray(Y, dtype=float)
            out = form.atom_value(_k, *cols)
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
    style: str = "paper",
    width: str | float = "two",
):
    """Draw where each regime's agreement holds in the (x, y) plane.

    Each cell is coloured by the set of regimes whose agreement is the subgame-perfect
    outcome there (numeric, from the batch solver); cells where several regimes' agreements
    hold are hatched.  The symbolic threshold curves of each regime's condition are drawn
    in the regime's colour and dash pattern — where solver and formula agree, the colour
    boundaries lie on the curves.  The baseline point is marked; axes carry the parameters'
    symbols and units (:meth:`~bargain.games.parameters.Parameter.axis_label`); the legend
    sits outside the axes.  The house style is :mod:`bargain.formats.style`.

    The regions are one raster image (``pcolormesh(..., rasterized=True)``), whatever the
    grid size; curves, hatching, axes and legend stay vector graphics in the PDF.

    Parameters
    ----------
    model : Model
    regimes : sequence of str
    x, y : str
        Parameters on the horizontal and vertical axes.
    n : int
        Grid values per axis.
    fixed : mapping, optional
        Values of the other parameters (baseline otherwise).
    path : str or Path, optional
        When given, the figure is saved as ``path`` with suffix ``.pdf`` and ``.png``.
    use_cache : bool
        Read and write the derivation cache (:mod:`bargain.symbolic.cache`).
    dpi : int
        Resolution of the PNG and of the region raster inside the PDF.
    style : {"paper", "slides"}
    width : {"one", "two"} or float
        One or two journal columns, or a width in inches.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> fig = plot_regions(m, ["entry_commitment"], "commitment_cost", "entrant_profit", n=21)
    >>> print(fig.axes[0].get_xlabel())
    commitment cost $c$ (profit)
    """
    import matplotlib
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from bargain.formats import style as st

    fs = st.figure_style(style, width=width, dpi=dpi)
    ps = model.parameters
    values = ps.resolve(**dict(fixed or {}))
    xs, ys, holds = region_grid(model, regimes, x, y, n=n, fixed=fixed, use_cache=use_cache)
    code = np.zeros((len(ys), len(xs)), dtype=int)
    for k, r in enumerate(regimes):
        code |= holds[r].astype(int) << k
    present = sorted(set(np.unique(code).tolist()))
    colors = [st.PALETTE[k % len(st.PALETTE)] for k in range(len(regimes))]
    palette = [st.EMPTY]
    names = ["no agreement"]
    for c in range(1, 2 ** len(regimes)):
        members = [k for k in range(len(regimes)) if c >> k & 1]
        rgb = np.mean([_rgb(colors[k]) for k in members], axis=0)
        palette.append(_hex(0.45 * rgb + 0.55))
        names.append(" + ".join(st.regime_label(regimes[k]) for k in members))
    overlap = np.array([bin(c).count("1") for c in range(2 ** len(regimes))])
    with matplotlib.rc_context(fs.rc()):
        # the figure at the output dpi: layout and PNG then share text metrics (mathtext
        # parses once per dpi)
        fig = Figure(figsize=fs.size, dpi=dpi, layout="constrained")
        ax = fig.add_subplot()
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) / 2
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) / 2
        # one image, cell centres on the grid values (as pcolormesh's "nearest" shading):
        # a single raster in the PDF at the grid's own resolution, no per-cell paths
        ax.imshow(
            code,
            cmap=ListedColormap(palette),
            vmin=-0.5,
            vmax=len(palette) - 0.5,
            origin="lower",
            extent=(xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy),
            aspect="auto",
            # "none": the PDF embeds the grid itself (one pixel per cell, scaled by the
            # viewer without smoothing); the PNG gets nearest-neighbour cells
            interpolation="none",
        )
        handles: list[Any] = []
        X, Y = np.meshgrid(xs, ys)
        many = overlap[code]
        for m in sorted(set(many.ravel().tolist()) - {0, 1}):
            hatch = st.HATCHES[(m - 2) % len(st.HATCHES)]
            ax.contourf(
                X, Y, (many == m).astype(float), levels=[0.5, 1.5], colors="none", hatches=[hatch]
            )
        for c in present:
            hatch = st.HATCHES[(overlap[c] - 2) % len(st.HATCHES)] if overlap[c] > 1 else None
            handles.append(
                Patch(facecolor=palette[c], edgecolor="0.4", hatch=hatch, label=names[c], lw=0.4)
            )
        drawn: dict[str, Any] = {}  # one curve per distinct boundary, labelled with regimes
        brk = "\n" if fs.size[0] < 5 else " "  # one column: the formula on its own line
        for k, r in enumerate(regimes):
            for key, f in threshold_curves(model, r, x, y, fixed=fixed, use_cache=use_cache):
                # colour: the regime's; dash: one per curve, so curves of one regime differ
                dash = st.DASHES[(len(drawn) + 1) % len(st.DASHES)]
                if key in drawn:
                    line = drawn[key]
                    line.set_label(line.get_label().replace(":", f", {st.regime_label(r)}:", 1))
                    continue
                Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
                if np.nanmin(Z) < 0 < np.nanmax(Z):
                    ax.contour(X, Y, Z, levels=[0.0], colors=[colors[k]], linestyles=[dash])
                    drawn[key] = Line2D(
                        [],
                        [],
                        color=colors[k],
                        linestyle=dash,
                        label=f"{st.regime_label(r)}:{brk}${key}$",
                    )
        handles += list(drawn.values())
        bx, by = values[x], values[y]
        ax.plot([bx], [by], marker="o", ms=4, mfc="white", mec="black", mew=1.0, ls="none")
        ax.annotate(
            "baseline",
            (bx, by),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        handles.append(
            Line2D([], [], marker="o", ms=4, mfc="white", mec="black", ls="none", label="baseline")
        )
        # a vertical label longer than the axis (about 0.6 of the height, characters about
        # 0.55 em wide) gets the symbol and unit only
        room = int(0.6 * fs.size[1] * 72 / (0.55 * fs.font))
        ax.set_xlabel(ps[x].axis_label())
        ylabel = ps[y].axis_label()
        ax.set_ylabel(ylabel if len(ylabel) <= room else ps[y].axis_label(short=True))
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(ys[0], ys[-1])
        if fs.name == "slides":
            ax.set_title(model.title)
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=1,
            frameon=False,
            handlelength=2.6,
        )
        if path is not None:
            from bargain.sweep.figure_io import save_pdf_png

            save_pdf_png(fig, Path(path), dpi=dpi)
    return fig


def _rgb(hex_color: str) -> np.ndarray:
    h = hex_color.lstrip("#")
    return np.array([int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{round(255 * min(max(c, 0), 1)):02x}" for c in rgb)
