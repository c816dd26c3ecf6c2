"""Game trees as TikZ: every model regime's tree compiles, and the picture holds the tree."""

import re
import shutil
import subprocess

import pytest

import bargain as bg
from bargain.cli import main
from bargain.errors import GameShapeError

REGIMES = [
    (m, r)
    for m in bg.list_models()
    for r in bg.load_model(m).regimes
    if isinstance(bg.load_model(m).game(r, symbolic=True), bg.GameTree)
]


def _compile(tex, tmp_path):
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:  # the rule: compile where TeX exists; .ci/run installs it
        pytest.skip("pdflatex not installed (apt-get install texlive-pictures)")
    (tmp_path / "t.tex").write_text(tex)
    r = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-3000:]
    assert (tmp_path / "t.pdf").stat().st_size > 1000


@pytest.mark.parametrize(("model", "regime"), REGIMES, ids=[f"{m}:{r}" for m, r in REGIMES])
def test_every_regime_tree_compiles(model, regime, tmp_path):
    tree = bg.load_model(model).game(regime, symbolic=True)
    tex = tree.to_tikz()
    # one node per tree node, one edge per child, one leaf label per terminal
    assert len(re.findall(r"\\node\[", tex)) == len(tree.nodes)
    assert tex.count(r"\draw[] (n") + tex.count(r"\draw[played] (n") == len(tree.nodes) - 1
    dashed = sum(len(s.nodes) - 1 for s in tree.infosets)
    assert tex.count(r"\draw[dashed") == dashed
    _compile(tex, tmp_path)


def test_equilibrium_path_is_drawn_thick(tmp_path):
    m = bg.load_model("withdrawal_sequencing")
    tree = m.game("withdraw_first")
    eq = bg.solve(tree, method="spe").equilibria[0]
    tex = tree.to_tikz(highlight=eq)
    # one played edge per decision node (pure SPE), none at chance nodes
    decisions = sum(1 for n in tree.nodes if n.kind == "decision")
    assert tex.count(r"\draw[played]") == decisions
    _compile(tex, tmp_path)


def test_highlight_must_fit_the_tree():
    tree = bg.load_model("withdrawal_sequencing").game("withdraw_first")
    with pytest.raises(GameShapeError, match="information sets"):
        tree.to_tikz(highlight=[[], []])


def test_draw_command_writes_one_file_per_regime(tmp_path, capsys):
    assert main(["draw", "withdrawal_sequencing", "--out", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    trees = [r for m, r in REGIMES if m == "withdrawal_sequencing"]
    assert written == sorted(f"{r}.tex" for r in trees)
    assert "normal-form game, not drawn" in capsys.readouterr().err
    assert main(["draw", "entry_deterrence:entry"]) == 0
    assert r"\begin{tikzpicture}" in capsys.readouterr().out
