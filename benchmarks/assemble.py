"""Assemble docs/performance.md from the fragments the benchmark scripts write.

Usage::

    python benchmarks/bench_vertex.py          # each script writes benchmarks/results/NAME.md
    python benchmarks/assemble.py              # concatenates them into docs/performance.md

Every fragment states its machine, load, peers and commands; this script only orders them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ORDER = [
    "run",
    "vertex",
    "normal_form",
    "logit",
    "spe",
    "symbolic",
    "sequence_form",
    "gambit_corpus",
    "dynamic",
    "estimate",
    "sweep",
    "report",
]
# statistical results, not timings: they live in docs/explanation (estimation.md)
EXCLUDE = {"sim_estimate"}

HEADER = """# Performance

Speed is measured against the peers — nashpy, QuantEcon's `game_theory`, pygambit and
lrsnash — on the same games in the same run, by the scripts in `benchmarks/` (each takes
`--quick` for a short run). Times are medians; first-call JIT compilation is reported
separately from steady-state time. The machine is the project's standard one: 2 cores,
24 GiB. Where a fragment says the machine was shared with other jobs while it ran, its
absolute numbers are noisy but the ratios within one run are still like for like.

Regenerate everything with `python benchmarks/run_all.py` (every script in turn, then this
page; the run's machine, load and peer versions are recorded below), or one fragment with
`python benchmarks/bench_NAME.py` followed by `python benchmarks/assemble.py`.

`import bargain` imports neither NumPy, Numba nor SymPy and compiles nothing (a test checks
this in a fresh interpreter); it takes about 10 ms.
"""


def main() -> int:
    results = ROOT / "benchmarks" / "results"
    names = sorted(p.stem for p in results.glob("*.md") if p.stem not in EXCLUDE)
    names = [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]
    parts = [HEADER]
    for name in names:
        text = (results / f"{name}.md").read_text(encoding="utf-8").strip()
        parts.append(_demote(text))
    out = ROOT / "docs" / "performance.md"
    out.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    print(f"wrote {out} from {len(names)} fragments")
    return 0


def _demote(text: str) -> str:
    """Fragments may start at '#'; nest every heading one level below the page title."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#") and not line.startswith("##"):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
