"""The region figure of a stochastic regime: where its agreement profile is an MPE.

Each grid cell is one numeric one-shot-deviation check of the agreement profile, all
cells in one batch (:func:`bargain.report.dynamic_check.batch_check`, the same check as
:func:`bargain.dynamic.regime.profile_regrets`), coloured by whether it holds and, if not,
by the first player whose deviation pays; drawn in the house style
(:mod:`bargain.formats.style`) with the cells as one raster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FIGURE_MAX", "mpe_region", "plot_mpe_region"]

#: regret at or below this: no profitable one-shot deviation (absolute)
TOL = 1e-9
#: grid values per axis of the region figure at most
FIGURE_MAX = 61


def mpe_region(
    model: Any,
    regime: str,
    x: str,
    y: str,
    *,
    n: int = 41,
    use_cache: bool = True,
    **fixed: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over an ``n`` by ``n`` grid of (x, y): 0 where the agreement profile is an MPE, else
    ``1 + i`` for the first player *i* (0-based) with a profitable one-shot deviation
    (here 2: the DRC, when detection is too weak to make it act).

    Examples
    --------
    >>> import bargain as bg
    >>> xs, ys, code = mpe_region(bg.load_model("staged_withdrawal"), "staged", "delta", "q",
    ...                           n=5)
    >>> code.shape, int(code[-1, -1]), int(code[0, 0])
    ((5, 5), 0, 2)
    """
    from bargain.report.dynamic_check import batch_check

    ps = model.parameters
    xs = np.linspace(*ps[x].bounds, n)
    ys = np.linspace(*ps[y].bounds, n)
    values = ps.resolve(**fixed)
    X = np.tile(np.array([float(values[name]) for name in ps.names]), (n * n, 1))
    gx, gy = np.meshgrid(xs, ys)  # [a, b] = (ys[a], xs[b])
    X[:, ps.names.index(x)] = gx.ravel()
    X[:, ps.names.index(y)] = gy.ravel()
    _, code = batch_check(model, regime, X, use_cache=use_cache)
    code = code.reshape(n, n)
    return xs, ys, code


def plot_mpe_region(
    model: Any,
    regime: str,
    x: str,
    y: str,
    *,
    n: int,
    path: Any,
    dpi: int = 300,
    style: str = "paper",
    width: str | float = "two",
    use_cache: bool = True,
) -> Any:
    """Where the agreement profile is an MPE over (x, y), and whose deviation breaks it.

    Cells are one raster (``rasterized=True``), in the house style
    (:mod:`bargain.formats.style`); the baseline is marked, the legend sits below.

    Examples
    --------
    >>> import bargain as bg
    >>> fig = plot_mpe_region(bg.load_model("staged_withdrawal"), "staged", "delta", "q",
    ...                       n=5, path=None)
    >>> fig.axes[0].get_xlabel()
    'discount factor $\\\\delta$ (per period)'
    """
    import matplotlib
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from bargain.formats import style as st

    fs = st.figure_style(style, width=width, dpi=dpi)
    ps = model.parameters
    from bargain.report.dynamic_check import game_plan

    xs, ys, code = mpe_region(model, regime, x, y, n=n, use_cache=use_cache)
    plan = game_plan(model, regime, use_cache=use_cache)
    if plan is None:  # outside the tree grammar: the game at the baseline has the names
        from bargain.dynamic.regime import numeric_game

        players = list(numeric_game(model, regime).players)
    else:
        players = plan["players"]
    names = ["agreement profile is an MPE"] + [
        f"{p} gains by a one-shot deviation" for p in players
    ]
    # MPE: blue; the first player deviates: empty; later players: colour and hatching
    light = [_mix(st.PALETTE[0]), st.EMPTY] + [
        _mix(st.PALETTE[i % len(st.PALETTE)]) for i in range(1, len(players))
    ]
    hatch = [None, None, *st.HATCHES[: len(players) - 1]]
    with matplotlib.rc_context(fs.rc()):
        fig = Figure(figsize=fs.size, layout="constrained")
        ax = fig.add_subplot()
        ax.pcolormesh(
            xs,
            ys,
            code,
            cmap=ListedColormap(light),
            vmin=-0.5,
            vmax=len(light) - 0.5,
            shading="nearest",
            rasterized=True,
        )
        X, Y = np.meshgrid(xs, ys)
        for c in range(2, len(light)):
            if (code == c).any():
                ax.contourf(
                    X,
                    Y,
                    (code == c).astype(float),
                    levels=[0.5, 1.5],
                    colors="none",
                    hatches=[hatch[c]],
                )
        if 0 < (code == 0).sum() < code.size:
            ax.contour(
                X, Y, (code == 0).astype(float), levels=[0.5], colors=["black"], linewidths=[0.8]
            )
        handles: list[Any] = [
            Patch(facecolor=light[c], edgecolor="0.4", hatch=hatch[c], label=names[c], lw=0.4)
            for c in sorted(set(np.unique(code).tolist()))
        ]
        v = ps.resolve()
        ax.plot([v[x]], [v[y]], marker="o", ms=4, mfc="white", mec="black", ls="none")
        ax.annotate(
            "baseline",
            (v[x], v[y]),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
        )
        handles.append(
            Line2D([], [], marker="o", ms=4, mfc="white", mec="black", ls="none", label="baseline")
        )
        ax.set_xlabel(ps[x].axis_label())
        ax.set_ylabel(ps[y].axis_label())
        ax.set_xlim(xs[0], xs[-1])
        ax.set_ylim(ys[0], ys[-1])
        if fs.name == "slides":
            ax.set_title(model.title)
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        if path is not None:
            from bargain.sweep.figure_io import save_pdf_png

            save_pdf_png(fig, Path(path), dpi=dpi)
    return fig


def _mix(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 * (0.55 * c + 0.45)):02x}" for c in rgb)
