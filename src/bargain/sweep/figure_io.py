"""Save one drawn figure as PDF and PNG with a single layout pass.

``savefig(..., bbox_inches="tight")`` twice (PDF, then PNG) draws the figure four times:
each call runs the layout engine and draws once to measure the tight box, then again to
render.  :func:`save_pdf_png` lays the figure out once, measures the tight box once,
freezes the layout and renders each format once.

Examples
--------
>>> import tempfile, pathlib
>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1.5), layout="constrained")
>>> _ = fig.add_subplot().plot([0, 1], [1, 0])
>>> [p.suffix for p in save_pdf_png(fig, pathlib.Path(tempfile.mkdtemp()) / "f", dpi=50)]
['.pdf', '.png']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bargain.formats.files import atomic_write

__all__ = ["save_pdf_png"]


def save_pdf_png(fig: Any, stem: Path, *, dpi: int = 300, pad: float = 0.03) -> list[Path]:
    """Write ``stem.pdf`` and ``stem.png`` (at `dpi`) of `fig`, cropped to what is drawn
    plus `pad` inches, each file atomically; the figure's layout is frozen afterwards."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # the layout engine runs here, once
    box = fig.get_tightbbox(canvas.get_renderer()).padded(pad)
    import matplotlib

    # no engine at all from here (``"none"`` would leave a placeholder engine, and
    # savefig draws once more for any engine): the positions just computed stay
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)
    out = []
    for fmt in ("pdf", "png"):
        target = Path(stem).with_suffix(f".{fmt}")

        def write(tmp: Path, f: str = fmt) -> None:
            fig.savefig(tmp, format=f, dpi=dpi, bbox_inches=box)

        out.append(atomic_write(target, write))
    return out
