"""The how-to "From model to manuscript": its one command writes the bundle, and its
manuscript compiles against it (issue 15)."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from bargain.cli import main

PAGE = Path(__file__).resolve().parents[1] / "docs" / "how-to" / "model-to-manuscript.md"
PDFLATEX = shutil.which("pdflatex")
BIBTEX = shutil.which("bibtex")


def _blocks(kind):
    return re.findall(rf"```{kind}\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_command_writes_what_the_manuscript_inputs(tmp_path, monkeypatch):
    command = shlex.split(_blocks("console")[0].strip())
    assert command[:2] == ["bargain", "report"]
    monkeypatch.chdir(tmp_path)
    assert main(command[1:]) == 0
    (manuscript,) = _blocks("latex")
    used = re.findall(r"\\(?:input|includegraphics(?:\[[^]]*\])?)\{([^}]+)\}", manuscript)
    used += [b + ".bib" for b in re.findall(r"\\bibliography\{([^}]+)\}", manuscript)]
    assert len(used) >= 6
    for name in used:  # every file the manuscript uses is in the bundle
        assert (tmp_path / name).is_file(), name
    # the labels it refers to are defined by the files it inputs
    inputs = "".join((tmp_path / n).read_text() for n in used if n.endswith(".tex"))
    for label in re.findall(r"\\ref\{(tab:[^}]+)\}", manuscript):
        assert f"\\label{{{label}}}" in inputs, label
    keys = re.findall(r"\\citep?\{([^}]+)\}", manuscript)
    bib = (tmp_path / "bargain" / "references.bib").read_text()
    for key in keys:
        assert f"{{{key}," in bib, key
    (tmp_path / "paper.tex").write_text(manuscript)
    if PDFLATEX is None or BIBTEX is None:
        pytest.skip("pdflatex/bibtex not installed: the manuscript is not compiled")

    def run(*cmd):
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    first = run(PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "paper.tex")
    assert first.returncode == 0, first.stdout[-3000:]
    bib_run = run(BIBTEX, "paper")
    assert bib_run.returncode == 0, bib_run.stdout
    for _ in range(2):
        done = run(PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "paper.tex")
        assert done.returncode == 0, done.stdout[-3000:]
    log = (tmp_path / "paper.log").read_text(errors="replace")
    assert "undefined" not in log.lower(), [ln for ln in log.splitlines() if "ndefined" in ln]
    assert (tmp_path / "paper.pdf").stat().st_size > 20_000
