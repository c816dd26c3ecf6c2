"""`bargain report staged_withdrawal`: the bundle of a model whose regime is a stochastic
game (issue 18) is written whole, verifies, and its numbers are checks that could fail."""

import shutil
import subprocess

import pandas as pd
import pytest

import bargain as bg
from bargain.cli import main
from bargain.formats.files import verify_bundle

STEMS = ("equilibrium", "mpe_condition", "sensitivity", "binding_stage", "timing", "comparison")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "staged"
    # through the CLI and write_report's dispatch, as a user runs it
    assert main(["report", "staged_withdrawal", "--out", str(out), "--points", "7",
                 "--dpi", "60"]) == 0  # fmt: skip
    return out


def test_every_file_is_written_and_the_manifest_verifies(bundle):
    manifest = verify_bundle(bundle)
    names = set(manifest["files"])
    want = {"conditions.tex", "regions.pdf", "regions.png"}
    want |= {f"{s}.{ext}" for s in STEMS for ext in ("csv", "md", "tex")}
    assert want <= names
    assert manifest["model"]["name"] == "staged_withdrawal"
    assert manifest["figure"]["x"] == "delta"
    assert manifest["figure"]["y"] == "q"
    assert manifest["tables"] == ["binding_stage", "timing", "comparison"]


def test_tables_hold_checks(bundle):
    eq = pd.read_csv(bundle / "equilibrium.csv")
    assert len(eq) == 16
    assert eq[["regret Rwanda", "regret DRC"]].to_numpy().max() <= 1e-9
    sens = pd.read_csv(bundle / "sensitivity.csv")
    checked = sens[sens["symbolic check"] == "yes"]
    assert len(checked) >= 10
    assert (checked["mismatches"].astype(int) == 0).all()
    assert sens.set_index("parameter").loc["q", "numeric"] != "always"  # q matters
    cond = pd.read_csv(bundle / "mpe_condition.csv")
    assert cond["holds at baseline"].all()
    assert (cond["relative margin"] >= 0).all()
    cmp = pd.read_csv(bundle / "comparison.csv")
    assert list(cmp["regime"]) == ["staged", "withdraw_first", "phased"]


def test_conditions_tex_compiles(bundle, tmp_path):
    tex = (bundle / "conditions.tex").read_text()
    assert r"\begin{align*}" in tex
    assert r"k_{G}" in tex  # the DRC's constraint
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:  # .ci/run installs TeX
        pytest.skip("pdflatex not installed")
    doc = tmp_path / "c.tex"
    doc.write_text("\\documentclass{article}\\usepackage{amsmath}\\begin{document}\n"
                   + tex + "\n\\end{document}\n")  # fmt: skip
    r = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "c.tex"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stdout[-2000:]


def test_figure_region_matches_the_one_shot_check():
    from bargain.dynamic.regime import profile_regrets
    from bargain.report.dynamic_plot import mpe_region

    m = bg.load_model("staged_withdrawal")
    xs, ys, code = mpe_region(m, "staged", "delta", "q", n=4)
    for a, q in enumerate(ys):
        for b, d in enumerate(xs):
            ok = profile_regrets(m, "staged", delta=float(d), q=float(q)).max() <= 1e-9
            assert (code[a, b] == 0) == ok
