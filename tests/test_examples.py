"""Every script in examples/ runs and writes what it promises (small grids)."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# script -> (extra arguments for a small run, files it must write)
CASES = {
    "entry_deterrence.py": (
        (),
        [
            "commitment_sweep.tex",
            "commitment_sweep.manifest.json",
            "commitment_regions.pdf",
            "commitment_regions.png",
        ],
    ),
    "withdrawal_sequencing.py": (
        ("21",),
        [
            "equilibria.tex",
            "conditions.tex",
            "sensitivity.md",
            "regions.png",
            "manifest.json",
            "q_sweep.tex",
        ],
    ),
    "doha_m23_track.py": (
        ("21",),
        ["equilibria.tex", "conditions.tex", "sensitivity.md", "regions.png", "troops.tex"],
    ),
    "linked_tracks.py": (
        ("21",),
        ["equilibria.tex", "conditions.tex", "sensitivity.md", "regions.png", "sequencing.tex"],
    ),
    "security_mechanism_inspection.py": (
        ("21",),
        ["equilibria.tex", "conditions.tex", "sensitivity.md", "regions.png", "detection.tex"],
    ),
    "deadline_bargaining.py": (
        ("21",),
        ["equilibria.tex", "conditions.tex", "sensitivity.md", "regions.png", "p_fail.tex"],
    ),
    "rwanda_type_screening.py": (
        ("21",),
        ["equilibria.tex", "conditions.tex", "sensitivity.md", "regions.png", "p_sec.tex"],
    ),
    "staged_withdrawal.py": (("6",), ["conditions.tex", "equilibrium.md", "q_sweep.csv"]),
}
# run by their own tests, which also check the docs page that shows their output
ELSEWHERE = {
    "bargaining_theory.py": "tests/bargaining/test_example.py",
    "estimate_crisis_bargaining.py": "tests/estimate/test_example.py",
}


def test_every_example_is_covered():
    assert {p.name for p in EXAMPLES.glob("*.py")} == set(CASES) | set(ELSEWHERE)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(CASES))
def test_example_runs(script, tmp_path):
    extra, expected = CASES[script]
    r = subprocess.run(
        [sys.executable, str(EXAMPLES / script), str(tmp_path), *extra],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    for name in expected:
        assert (tmp_path / name).stat().st_size > 0, name
