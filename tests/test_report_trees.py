"""The report's trees: trees/REGIME.tex for every tree regime, each compiles (issue 15)."""

import json
import shutil
import subprocess

import pytest

import bargain as bg
from bargain.errors import BargainError
from bargain.formats.files import Bundle, verify_bundle
from bargain.report import write_report

PDFLATEX = shutil.which("pdflatex")


def test_report_writes_the_tree_of_every_tree_regime(tmp_path):
    out = tmp_path / "r"
    written = write_report("withdrawal_sequencing", out, points=5, progress=False)
    m = bg.load_model("withdrawal_sequencing")
    trees = {r for r in m.regimes if isinstance(m.game(r, symbolic=True), bg.GameTree)}
    assert "simultaneous" not in trees  # normal form: no tree
    got = {p.stem for p in written if p.parent.name == "trees"}
    assert got == trees
    manifest = verify_bundle(out)  # hashes of trees/*.tex checked too
    assert {f"trees/{r}.tex" for r in trees} <= set(manifest["files"])
    for r in trees:
        tex = (out / "trees" / f"{r}.tex").read_text()
        assert tex == m.game(r, symbolic=True).to_tikz()
        if PDFLATEX is None:
            continue
        done = subprocess.run(
            [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", f"{r}.tex"],
            cwd=out / "trees", capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, f"trees/{r}.tex does not compile:\n{done.stdout[-2000:]}"
    assert json.loads((out / "manifest.json").read_text())["model"]["name"] == m.name
    if PDFLATEX is None:
        pytest.skip("pdflatex not installed (apt-get install texlive-pictures): trees not compiled")


@pytest.mark.parametrize("name", ["../x.tex", "a/b/c.tex", "/abs.tex", "a/../b.tex", "a//b"])
def test_bundle_names_stay_inside_the_folder(name, tmp_path):
    with Bundle(tmp_path / "b") as b, pytest.raises(BargainError, match="plain"):
        b.path(name)
