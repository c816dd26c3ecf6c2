"""The house style of every figure: palette, line styles, hatches, sizes, resolution.

One place decides how figures look, so that a paper's figures match:

* colours from Okabe & Ito's colour-blind-safe palette (Okabe & Ito 2008, *Color
  Universal Design*), ordered so that neighbours differ in lightness as well as hue;
* every line differs from its neighbours by colour *and* dash pattern, every overlap of
  regions by hatching, so a greyscale print still separates them;
* sizes for one and two columns of a journal page (3.5 and 7.0 inches) or for slides;
* 300 dpi PNG and vector PDF, dense meshes rasterized inside the PDF.

Examples
--------
>>> s = figure_style("paper", width="one")
>>> s.size[0], s.dpi
(3.5, 300)
>>> len(set(PALETTE)) == len(PALETTE) and len(set(DASHES)) == len(DASHES)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bargain.errors import BargainError

__all__ = ["DASHES", "HATCHES", "PALETTE", "FigureStyle", "figure_style", "regime_label"]

#: Okabe–Ito colours, ordered dark/light alternately (blue, orange, bluish green,
#: vermillion, sky blue, reddish purple, yellow)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442")
#: dash patterns paired with the colours (solid first)
DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 3)))
#: hatches for cells where several regions overlap (by number of regions - 2)
HATCHES = ("//", "xx", "\\\\", "++")
#: the colour of cells where no region holds
EMPTY = "#f4f4f4"

_WIDTHS = {"one": 3.5, "two": 7.0}


@dataclass(frozen=True)
class FigureStyle:
    """Sizes and fonts of one figure style.

    Attributes
    ----------
    name : str
        ``"paper"`` or ``"slides"``.
    size : tuple of float
        Width and height in inches.
    font : float
        Base font size in points.
    dpi : int
        PNG resolution (and of rasterized meshes in PDFs).
    line : float
        Width of curves in points.
    """

    name: str
    size: tuple[float, float]
    font: float
    dpi: int
    line: float

    def rc(self) -> dict[str, Any]:
        """Matplotlib rcParams of this style (use with ``matplotlib.rc_context``).

        Examples
        --------
        >>> figure_style("slides").rc()["font.size"]
        14.0
        """
        return {
            "font.size": self.font,
            "axes.labelsize": self.font,
            "axes.titlesize": self.font,
            "legend.fontsize": self.font - 1,
            "xtick.labelsize": self.font - 1,
            "ytick.labelsize": self.font - 1,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "lines.linewidth": self.line,
            "hatch.linewidth": 0.5,
            "hatch.color": "0.35",
            "savefig.dpi": self.dpi,
        }


def figure_style(
    style: str = "paper", *, width: str | float = "two", dpi: int = 300
) -> FigureStyle:
    """The style called `style` at a `width` of ``"one"`` or ``"two"`` columns, or inches.

    Raises
    ------
    BargainError
        For an unknown style or width.

    Examples
    --------
    >>> figure_style("paper", width=5.0).size
    (5.0, 3.4)
    """
    if isinstance(width, str):
        if width not in _WIDTHS:
            raise BargainError(f"width must be 'one', 'two' or inches, got {width!r}")
        w = _WIDTHS[width]
    else:
        w = float(width)
        if not 1.0 <= w <= 20.0:
            raise BargainError(f"width must be between 1 and 20 inches, got {w:g}")
    if style == "paper":
        # a little taller than wide / 1.5: the legend sits below the axes
        h = round(w * (1.0 if w < 5 else 0.68), 2)
        return FigureStyle("paper", (w, h), 8.0 if w < 5 else 9.0, dpi, 1.2)
    if style == "slides":
        w = max(w, 8.0)
        return FigureStyle("slides", (w, round(w * 0.5625, 2)), 14.0, dpi, 2.0)
    raise BargainError(f"style must be 'paper' or 'slides', got {style!r}")


def regime_label(name: str) -> str:
    """A regime's display name: words, not an identifier.

    Examples
    --------
    >>> regime_label("withdraw_first")
    'withdraw first'
    """
    return name.replace("_", " ")
