"""Save one drawn figure as PDF and PNG with a single layout pass.

``savefig(..., bbox_inches="tight")`` twice (PDF, then PNG) draws the figure four times:
each call runs the layout engine and draws once to measure the tight box, then again to
render.  :func:`save_pdf_png` lays the figure out once, measures the tight box once,
freezes the layout and renders each format once.  Where the platform can fork and a
second core is free, the PNG is rendered by a forked copy of the process while the PDF is
rendered here (they share nothing but the finished layout; the text metrics of the
layout pass are already in the copy's caches), and the PNG is rendered here after all
when the copy fails.

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

    def save(fmt: str) -> Path:
        def write(tmp: Path) -> None:
            fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches=box)

        return atomic_write(Path(stem).with_suffix(f".{fmt}"), write)

    child = _fork_png(save) if _parallel_ok() else None
    pdf = save("pdf")
    if child is None or not _child_ok(child):
        png = save("png")
    else:
        png = Path(stem).with_suffix(".png")
    return [pdf, png]


def _parallel_ok() -> bool:
    import os
    import threading

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # fork only from a single-threaded process (a forked copy of a threaded one may
    # deadlock on a lock another thread held)
    return hasattr(os, "fork") and cores > 1 and threading.active_count() == 1


def _fork_png(save: Any) -> int | None:
    import os
    import sys

    sys.stdout.flush()  # so that nothing buffered is written twice
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the copy: write the PNG and leave without running any cleanup
        code = 1
        try:
            save("png")
            code = 0
        except BaseException:  # reported by the exit code: the parent renders it again
            pass
        finally:
            os._exit(code)
    return pid


def _child_ok(pid: int) -> bool:
    import os

    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
