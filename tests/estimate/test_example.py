"""examples/estimate_crisis_bargaining.py runs, prints the reproduction and writes its table."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "estimate_crisis_bargaining.py"


def test_example_prints_the_fit_and_writes_the_table(tmp_path):
    r = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Log-likelihood: -286.1238" in r.stdout
    assert "Observations: 282 (31 dropped for missing values)" in r.stdout
    tex = (tmp_path / "war1800_egame12.tex").read_text()
    assert " & Probit, agent & Logit, agent & Probit, private \\\\" in tex
    assert "Observations & 282 & 282 & 282" in tex
    assert (tmp_path / "war1800_regime2.png").stat().st_size > 10_000
    assert (tmp_path / "war1800_regime2.pdf").read_bytes()[:5] == b"%PDF-"
    assert "regime2      outcome  probability  lower  upper" in r.stdout
