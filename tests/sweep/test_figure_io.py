"""One layout pass, PDF and PNG written (in a forked copy when possible), the same PNG
either way, and a failed copy made up for (issue 14)."""

import os

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from bargain.sweep import figure_io


def _figure():
    fig = Figure(figsize=(3, 2), dpi=80, layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(np.arange(12).reshape(3, 4), interpolation="none")
    ax.set_xlabel("$q$ (probability)")
    fig.legend(["$x \\geq 1$"], loc="outside lower center")
    return fig


@pytest.mark.parametrize("parallel", [True, False], ids=["forked", "serial"])
def test_both_files_written_and_identical_either_way(tmp_path, monkeypatch, parallel):
    monkeypatch.setattr(figure_io, "_parallel_ok", lambda: parallel)
    pdf, png = figure_io.save_pdf_png(_figure(), tmp_path / "f", dpi=100)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 1000
    with Image.open(png) as im:
        w, h = im.size
    assert 120 < w <= 310  # at most 3 inches at 100 dpi (plus the pad), cropped
    assert 100 < h <= 210
    other = tmp_path / "serial"
    monkeypatch.setattr(figure_io, "_parallel_ok", lambda: False)
    _, again = figure_io.save_pdf_png(_figure(), other, dpi=100)
    assert again.read_bytes() == png.read_bytes()


def test_a_failed_copy_is_made_up_for(tmp_path, monkeypatch):
    monkeypatch.setattr(figure_io, "_parallel_ok", lambda: True)
    monkeypatch.setattr(figure_io, "_child_ok", lambda pid: (os.waitpid(pid, 0), False)[1])
    _, png = figure_io.save_pdf_png(_figure(), tmp_path / "f", dpi=60)
    assert png.read_bytes().startswith(b"\x89PNG")
