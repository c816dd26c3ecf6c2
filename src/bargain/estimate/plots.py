"""Figures of fitted strategic models: predicted probabilities with their bands."""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from bargain.errors import ParameterError
from bargain.formats.files import save_figure

__all__ = ["plot_probabilities"]

# Okabe–Ito colours, each with its own dash and marker, so that greyscale prints still
# tell the curves apart.
_STYLES = (
    ("#0072B2", "-", "o"),
    ("#D55E00", "--", "s"),
    ("#009E73", "-.", "^"),
    ("#CC79A7", ":", "D"),
    ("#E69F00", (0, (5, 1, 1, 1, 1, 1)), "v"),
    ("#56B4E9", (0, (8, 2)), "P"),
    ("#000000", (0, (1, 2)), "X"),
)


def plot_probabilities(
    curve: pd.DataFrame,
    stem: str | os.PathLike[str] | None = None,
    *,
    title: str | None = None,
    dpi: int = 300,
) -> Any:
    """Draw predicted probabilities (and bands) from :func:`predicted_probabilities`.

    A numeric regressor gives one line per outcome over a shaded band with dashed-style
    edges; a factor gives points with error bars, side by side at each level.  The
    x label is the varied column's name, the legend the ``outcome`` column's values.

    Parameters
    ----------
    curve : pandas.DataFrame
        The tidy frame of :func:`predicted_probabilities`: the varied column first, then
        ``outcome``, ``probability`` and optionally ``lower`` and ``upper``.
    stem : str or Path, optional
        When given, the figure is saved as ``stem.pdf`` and ``stem.png`` at `dpi`
        (:func:`bargain.formats.files.save_figure`).
    title : str, optional
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12, plot_probabilities, predicted_probabilities
    >>> fit = egame12("esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2",
    ...               load_war1800())
    >>> fig = plot_probabilities(predicted_probabilities(fit, "balanc", n=11))
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('balanc', 'predicted probability', ['Pr(~esc)', 'Pr(esc,~war)', 'Pr(esc,war)'])
    """
    from matplotlib.figure import Figure

    needed = {"outcome", "probability"}
    if not isinstance(curve, pd.DataFrame) or not needed <= set(curve.columns):
        raise ParameterError("curve", "needs the frame of predicted_probabilities")
    vary = curve.columns[0]
    bands = {"lower", "upper"} <= set(curve.columns)
    outcomes = list(dict.fromkeys(curve["outcome"]))
    numeric = pd.api.types.is_numeric_dtype(curve[vary])
    fig = Figure(figsize=(6.0, 4.0), layout="constrained")
    ax = fig.add_subplot()
    levels = list(dict.fromkeys(curve[vary])) if not numeric else None
    for k, name in enumerate(outcomes):
        color, dash, marker = _STYLES[k % len(_STYLES)]
        part = curve[curve["outcome"] == name]
        if numeric:
            x = part[vary].to_numpy(float)
            ax.plot(x, part["probability"], color=color, linestyle=dash, lw=1.8, label=name)
            if bands:
                ax.fill_between(x, part["lower"], part["upper"], color=color, alpha=0.15, lw=0)
                for edge in ("lower", "upper"):
                    ax.plot(x, part[edge], color=color, linestyle=dash, lw=0.7, alpha=0.8)
        else:
            offset = (k - (len(outcomes) - 1) / 2) * 0.12
            x = np.array([levels.index(v) for v in part[vary]]) + offset
            p = part["probability"].to_numpy(float)
            err = (
                np.vstack([p - part["lower"].to_numpy(float), part["upper"].to_numpy(float) - p])
                if bands
                else None
            )
            bar = ax.errorbar(
                x, p, yerr=err, color=color, marker=marker, linestyle="none", capsize=3,
                label=name,
            )  # fmt: skip
            if bands:
                bar[-1][0].set_linestyle(dash)
    if not numeric:
        ax.set_xticks(range(len(levels)), [str(v) for v in levels])
    ax.set_xlabel(str(vary))
    ax.set_ylabel("predicted probability")
    ax.set_ylim(0.0, 1.0)
    ax.grid(True, color="0.9", lw=0.6)
    ax.legend(title=None, frameon=False)
    if title:
        ax.set_title(title)
    if stem is not None:
        save_figure(fig, stem, dpi=dpi)
    return fig
