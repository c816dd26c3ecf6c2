"""The example script that draws the figures of docs/explanation/bargaining.md runs."""

from __future__ import annotations

import runpy
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "bargaining_theory.py"


def test_bargaining_theory_example_writes_every_figure(tmp_path):
    main = runpy.run_path(str(SCRIPT), run_name="bargaining_theory")["main"]
    written = main(tmp_path / "figures")
    names = sorted(p.name for p in written)
    assert names == sorted(
        [
            "axiomatic_solutions.png",
            "fearon_range.png",
            "inspection_regimes.png",
            "outside_option.png",
            "powell_phasing.png",
            "rubinstein_shares.png",
        ]
    )
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 10_000
    docs = SCRIPT.parents[1] / "docs" / "explanation" / "bargaining.md"
    for name in names:  # the docs page shows every figure the script draws
        assert f"img/{name}" in docs.read_text(encoding="utf-8")
