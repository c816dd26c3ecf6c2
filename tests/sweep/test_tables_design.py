"""Sweep building blocks: grids, tables (CSV / Markdown / LaTeX booktabs), manifests."""

import json

import numpy as np
import pandas as pd
import pytest

from bargain.errors import ParameterError
from bargain.formats.manifest import build_manifest, write_manifest
from bargain.formats.tables import latex_escape, to_latex, to_markdown
from bargain.games.parameters import Parameter, ParameterSet
from bargain.sweep.samples import design

PS = ParameterSet(
    [
        Parameter("q", 0.5, (0, 1), "probability", "detection probability"),
        Parameter("s", 1.0, (0, 4), "USD bn", "sanction"),
        Parameter("n", 2, (1, 4), "tranches", "tranches", integer=True),
    ]
)


def test_grid_is_full_factorial_first_axis_slowest():
    d = design(PS, method="grid", vary={"q": (0, 1, 3), "s": [1, 2]})
    pts, axes = d.points(0, len(d)), dict(zip(d.vary, d.axes, strict=True))
    assert pts.shape == (6, 3)
    assert pts[:, 0].tolist() == [0, 0, 0.5, 0.5, 1, 1]
    assert pts[:, 1].tolist() == [1, 2, 1, 2, 1, 2]
    assert (pts[:, 2] == 2).all()
    assert list(axes["s"]) == [1.0, 2.0]


@pytest.mark.parametrize(
    ("vary", "fixed", "match"),
    [
        pytest.param({"q": (0, 2, 3)}, {}, r"parameter 'q': value 2 is outside", id="bounds"),
        pytest.param({"z": (0, 1, 3)}, {}, r"parameter 'z': unknown parameter", id="unknown"),
        pytest.param({"q": (0, 1, 0)}, {}, "grid size must be a positive whole number", id="size"),
        pytest.param({"q": []}, {}, "grid has no values", id="empty"),
        pytest.param({"q": (0, 1, 3)}, {"q": 0.2}, "is both varied and fixed", id="both"),
        pytest.param({}, {}, "name at least one parameter", id="nothing"),
    ],
)
def test_grid_errors(vary, fixed, match):
    with pytest.raises(ParameterError, match=match):
        design(PS, method="grid", vary=vary, fixed=fixed)


def test_integer_axis_is_rounded_and_unique():
    d = design(PS, method="grid", vary={"n": (1, 4, 7)})
    assert list(d.axes[0]) == [1, 2, 3, 4]


def test_latex_booktabs_escapes_cells_and_keeps_math_labels():
    frame = pd.DataFrame(
        {"q": [0.25, 1.0], "path": ["Stay", "With_draw & go"], "holds": [True, False]}
    )
    tex = to_latex(frame, labels={"q": "$q$"}, decimals=2, caption="A 50% table", label="t:x")
    lines = tex.splitlines()
    assert lines[:4] == [
        r"\begin{table}[htbp]",
        r"\centering",
        r"\caption{A 50\% table}",
        r"\label{t:x}",
    ]
    assert r"\begin{tabular}{rll}" in lines
    assert r"$q$ & path & holds \\" in lines
    assert r"0.25 & Stay & yes \\" in lines
    assert r"1.00 & With\_draw \& go & no \\" in lines
    assert lines.index(r"\toprule") < lines.index(r"\midrule") < lines.index(r"\bottomrule")


def test_markdown_alignment_and_decimals():
    md = to_markdown(pd.DataFrame({"x": [1 / 3], "name": ["a"]}), decimals=4)
    assert md.splitlines() == ["| x | name |", "|---:|:---|", "| 0.3333 | a |"]


def test_latex_escape_all_specials():
    assert latex_escape("a_b#c$d%e&f{g}h~i^j\\") == (
        r"a\_b\#c\$d\%e\&f\{g\}h\textasciitilde{}i\textasciicircum{}j\textbackslash{}"
    )


def test_manifest_round_trips_numpy_values(tmp_path):
    m = build_manifest(method="spe", grid={"q": np.linspace(0, 1, 3)}, seed=np.int64(7))
    path = write_manifest(m, tmp_path / "manifest.json")
    data = json.loads(path.read_text())
    assert data["grid"]["q"] == [0.0, 0.5, 1.0]
    assert data["seed"] == 7
    assert data["package"] == "bargain-games"
    assert {"numpy", "numba", "sympy"} <= set(data["libraries"])
