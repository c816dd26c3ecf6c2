"""Figures of sensitivity results: Sobol' index bars with CI whiskers, tornado, Morris.

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
state); given a `path`, it is saved with suffixes ``.pdf`` and ``.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from bargain.formats.files import save_figure

__all__ = ["plot_morris", "plot_sensitivity", "plot_sobol", "plot_tornado"]

_FIRST, _TOTAL, _LOW, _HIGH = "#1b9e77", "#7570b3", "#d95f02", "#1b9e77"


def _save(fig: Any, path: Any) -> Any:
    if path is not None:
        save_figure(fig, Path(path))
    return fig


def _symbols(result: Any, names: Any) -> list[str]:
    """Parameter names as their symbols (``Parameter.display_symbol``), never identifiers."""
    params = getattr(result.model, "parameters", None)
    out = []
    for n in names:
        try:
            out.append(params[n].display_symbol)
        except (KeyError, TypeError, AttributeError, ValueError):
            out.append(str(n))
    return out


def _title(result: Any) -> str:
    model = getattr(result.model, "name", "")
    where = f"{model}:{result.regime}" if result.regime else model
    return f"{result.output} — {where}"


def plot_sobol(result: Any, path: Any = None) -> Any:
    """Bars of first-order (S1) and total (ST) Sobol' indices with CI whiskers.

    Examples
    --------
    >>> from bargain.sweep.sensitivity import sobol
    >>> fig = plot_sobol(sobol("entry_deterrence", None, "commitment_margin", n=64))
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['first order $S_1$', 'total $S_T$']
    """
    from matplotlib.figure import Figure

    f = result.frame
    k = np.arange(len(f))
    fig = Figure(figsize=(6.4, 0.5 * len(f) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    h = 0.38
    for shift, col, color, label in (
        (-h / 2, "S1", _FIRST, "first order $S_1$"),
        (h / 2, "ST", _TOTAL, "total $S_T$"),
    ):
        ax.barh(
            k + shift,
            f[col].to_numpy(),
            height=h,
            xerr=f[f"{col}_conf"].to_numpy(),
            color=color,
            label=label,
            error_kw={"capsize": 3, "elinewidth": 1},
        )
    ax.set_yticks(k, _symbols(result, f["parameter"]))
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", lw=0.8)
    level = result.manifest.get("conf_level", 0.95)
    ax.set_xlabel(f"Sobol' index (whiskers: {level:.0%} bootstrap interval)")
    ax.set_title(_title(result), fontsize=10)
    ax.legend(loc="lower right", frameon=False)
    return _save(fig, path)


def plot_tornado(result: Any, path: Any = None) -> Any:
    """Tornado chart: per parameter, the output at its low and high bound around the base.

    Examples
    --------
    >>> from bargain.sweep.sensitivity import tornado
    >>> fig = plot_tornado(tornado("entry_deterrence", None, "commitment_margin"))
    >>> print(fig.axes[0].get_yticklabels()[0].get_text())
    $c$
    """
    from matplotlib.figure import Figure

    f = result.frame
    base = float(result.base_output)
    k = np.arange(len(f))
    fig = Figure(figsize=(6.4, 0.45 * len(f) + 1.6), layout="constrained")
    ax = fig.add_subplot()
    low = f["output_low"].to_numpy() - base
    high = f["output_high"].to_numpy() - base
    # side by side, so that a swing in the same direction at both bounds stays visible
    ax.barh(k - 0.2, low, height=0.4, left=base, color=_LOW, label="parameter at low bound")
    ax.barh(k + 0.2, high, height=0.4, left=base, color=_HIGH, label="parameter at high bound")
    ax.set_yticks(k, _symbols(result, f["parameter"]))
    ax.invert_yaxis()
    ax.axvline(base, color="0.2", lw=1)
    ax.set_xlabel(f"{result.output} (base {base:.3g})")
    ax.set_title(_title(result), fontsize=10)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return _save(fig, path)


def plot_morris(result: Any, path: Any = None) -> Any:
    """Morris screening: μ* against σ, one labelled point per parameter.

    Examples
    --------
    >>> from bargain.sweep.sensitivity import morris
    >>> fig = plot_morris(morris("entry_deterrence", None, "commitment_margin", n=10))
    >>> fig.axes[0].get_xlabel()
    '$\\\\mu^*$ (mean absolute elementary effect)'
    """
    from matplotlib.figure import Figure

    f = result.frame
    fig = Figure(figsize=(5.6, 4.4), layout="constrained")
    ax = fig.add_subplot()
    ax.errorbar(f["mu_star"], f["sigma"], xerr=f["mu_star_conf"], fmt="o", color=_TOTAL, capsize=3)
    for _, row in f.iterrows():
        ax.annotate(
            _symbols(result, [row["parameter"]])[0],
            (row["mu_star"], row["sigma"]),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize=8,
        )
    ax.set_xlabel(r"$\mu^*$ (mean absolute elementary effect)")
    ax.set_ylabel(r"$\sigma$")
    ax.set_title(_title(result), fontsize=10)
    return _save(fig, path)


def plot_sensitivity(result: Any, path: Any = None, **kwargs: Any) -> Any:
    """The figure for `result`'s method (see the functions above)."""
    fn = {"sobol": plot_sobol, "tornado": plot_tornado, "morris": plot_morris}[result.method]
    return fn(result, path, **kwargs)
