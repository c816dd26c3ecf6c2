"""Notebook displays: HTML that parses, LaTeX that compiles, short plain reprs (issue 15)."""

import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import sympy

import bargain as bg


def _parse(html: str) -> ET.Element:
    # Well-formed: every tag closes; entities are XML's (html.escape uses &lt; &gt; &amp;
    # &quot; &#x27;), so an XML parser reads it whole.
    return ET.fromstring(html)


def _texts(root: ET.Element) -> str:
    return " ".join(t for t in root.itertext())


def test_bimatrix_html_shows_every_payoff_and_escapes_labels():
    g = bg.NormalFormGame(
        [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
        players=["Row <R>", "Col & C"],
        strategies=[["cooperate", "defect"], ["c", "d"]],
        title="prisoners' dilemma",
    )
    root = _parse(g._repr_html_())
    text = _texts(root)
    for cell in ("3, 3", "0, 5", "5, 0", "1, 1"):
        assert cell in text
    assert "Row <R>" in text  # escaped in the markup, restored by the parser
    assert len(root.findall(".//tr")) == 3


def test_three_player_html_lists_every_profile():
    rng = np.random.default_rng(0)
    g = bg.NormalFormGame([rng.integers(0, 9, (2, 2, 2)) for _ in range(3)])
    root = _parse(g._repr_html_())
    assert len(root.findall(".//tbody/tr")) == 8


def test_tree_html_has_players_actions_chance_and_payoffs():
    tree = bg.load_model("withdrawal_sequencing").game("withdraw_first")
    root = _parse(tree._repr_html_())
    text = _texts(root)
    for word in ("Rwanda", "DRC", "Withdraw", "Comply", "Renege", "chance", "p = 0.3"):
        assert word in text
    assert len([li for li in root.iter("li") if "payoffs (" in (li.text or "")]) == len(tree.leaves)


def test_result_html_has_one_row_per_equilibrium_and_short_repr():
    g = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    r = bg.solve(g, method="vertex")
    root = _parse(r._repr_html_())
    assert len(root.findall(".//tbody/tr")) == len(r.equilibria) == 3
    assert "vertex" in _texts(root)
    assert repr(r).startswith("<SolveResult vertex: 3 equilibria, complete")
    assert len(repr(r)) < 120
    assert "payoffs=(1, 1)" in repr(r.equilibria[0])


def test_model_html_is_its_parameter_table():
    m = bg.load_model("withdrawal_sequencing")
    root = _parse(m._repr_html_())
    assert len(root.findall(".//tbody/tr")) == len(m.parameters)
    assert "withdraw_first" in _texts(root)
    assert len(repr(m)) < 200


def test_bargain_lists_only_public_names():
    names = dir(bg)
    for internal in ("Any", "importlib", "TYPE_CHECKING", "annotations"):
        assert internal not in names
    assert "solve" in names


def _latex_bodies():
    q, s = sympy.symbols("q s")
    sym = bg.NormalFormGame(
        [np.array([[q, 0], [1, s]], dtype=object), np.array([[1, q], [0, s]], dtype=object)],
        parameters=bg.ParameterSet([bg.Parameter("q", 0.5, (0, 1)), bg.Parameter("s", 1, (0, 2))]),
        strategies=[["a_1", "b&c"], ["x", "y"]],
    )
    plain = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    cond = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
    return {"symbolic-game": sym, "game": plain, "conditions": cond}


@pytest.mark.parametrize("name", list(_latex_bodies()))
def test_latex_reprs_compile(name, tmp_path):
    tex = _latex_bodies()[name]._repr_latex_()
    assert tex.startswith("$$")
    assert tex.endswith("$$")
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:  # the rule: compile where TeX exists; .ci/run installs it
        pytest.skip("pdflatex not installed (apt-get install texlive-latex-recommended)")
    doc = tmp_path / "d.tex"
    doc.write_text(
        "\\documentclass{article}\\usepackage{amsmath}\\begin{document}\n"
        + tex.replace("$$", "\\[", 1)[:-2]
        + "\\]\n\\end{document}\n"
    )
    r = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", doc.name],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:]
