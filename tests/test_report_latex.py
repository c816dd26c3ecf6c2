"""Every .tex file of a report compiles with pdflatex inside a minimal document (issue 15)."""

import shutil
import subprocess

import pytest

from bargain.report import write_report

PDFLATEX = shutil.which("pdflatex")
DOCUMENT = r"""\documentclass{article}
\usepackage{amsmath,amssymb,booktabs}
\begin{document}
\input{%s}
\end{document}
"""


@pytest.mark.skipif(
    PDFLATEX is None,
    reason="pdflatex is not installed (e.g. apt-get install texlive-latex-recommended); "
    "the report's LaTeX is not compiled",
)
@pytest.mark.parametrize("model", ["withdrawal_sequencing", "deadline_bargaining"])
def test_every_tex_file_compiles(model, tmp_path):
    out = tmp_path / "report"
    written = write_report(model, out, points=11, progress=False)
    tex_files = [p for p in written if p.suffix == ".tex" and p.parent == out]  # trees/: own test
    assert {p.name for p in tex_files} == {"conditions.tex", "equilibria.tex", "sensitivity.tex"}
    for tex in tex_files:
        doc = tmp_path / f"doc_{tex.stem}.tex"
        doc.write_text(DOCUMENT % tex.as_posix())
        done = subprocess.run(
            [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", doc.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        log = done.stdout[-2000:]
        assert done.returncode == 0, f"{tex.name} does not compile:\n{log}"
        assert (tmp_path / f"doc_{tex.stem}.pdf").is_file()
