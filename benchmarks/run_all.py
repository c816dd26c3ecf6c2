"""Run every benchmark, then assemble docs/performance.md, in one command.

Usage::

    python benchmarks/run_all.py            # every bench_*.py, full sizes (about an hour)
    python benchmarks/run_all.py --quick    # each script's --quick sizes
    python benchmarks/run_all.py --only spe,vertex

Each ``bench_NAME.py`` writes ``benchmarks/results/NAME.md`` with the ratios against the
peers that it measured in its own run; this script runs them one after the other (never
two at once: they would share the cores), records what machine ran them and how loaded it
was before each one, and then calls ``assemble.py``.  ``benchmarks/results/run.md`` lists
the run itself: start time, machine, cores, load before each script, the versions of
bargain and every peer it found, each script's exit code and wall time.  A script that
fails is reported there with its exit code; the others still run.  Peers that are not
installed (pygambit, QuantEcon, R, sgamesolver) are skipped by the scripts themselves,
which say so in their fragments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
PEERS = ("bargain-games", "numpy", "numba", "scipy", "sympy", "nashpy", "quantecon",
         "pygambit", "formulaic", "sgamesolver")  # fmt: skip


def _scripts(only: set[str] | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        unknown = only - {p.stem.removeprefix("bench_") for p in found}
        if unknown:
            raise SystemExit(f"no benchmark named {sorted(unknown)}")
        found = [p for p in found if p.stem.removeprefix("bench_") in only]
    return found


def _versions() -> list[str]:
    rows = []
    for name in PEERS:
        try:
            rows.append(f"| {name} | {metadata.version(name)} |")
        except metadata.PackageNotFoundError:
            rows.append(f"| {name} | not installed |")
    if _which("Rscript"):
        r = subprocess.run(["Rscript", "--version"], capture_output=True, text=True, check=False)
        text = (r.stderr or r.stdout).strip()
        rows.append(f"| R | {text.splitlines()[0] if text else 'unknown'} |")
    else:
        rows.append("| R | not installed |")
    return rows


def _which(cmd: str) -> bool:
    return any((Path(d) / cmd).exists() for d in os.environ.get("PATH", "").split(os.pathsep))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="pass --quick to every script")
    ap.add_argument("--only", default="", help="comma-separated names, e.g. spe,vertex")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()} or None
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    rows = []
    for script in _scripts(only):
        load = os.getloadavg()[0]
        t = time.perf_counter()
        cmd = [sys.executable, str(script), *(["--quick"] if args.quick else [])]
        print("+", " ".join(cmd[1:]), flush=True)
        code = subprocess.run(cmd, cwd=HERE, check=False).returncode
        rows.append(f"| {script.name} | {load:.2f} | {time.perf_counter() - t:.0f} s | {code} |")
    lines = [
        "## The benchmark run",
        "",
        f"`python benchmarks/run_all.py{' --quick' if args.quick else ''}`, started {started}"
        f" on {platform.node() or 'this machine'} ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}).",
        "",
        "| script | load before | wall time | exit code |",
        "|---|---:|---:|---:|",
        *rows,
        "",
        "| package | version |",
        "|---|---|",
        *_versions(),
    ]
    (HERE / "results" / "run.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, str(HERE / "assemble.py")], cwd=HERE, check=True)
    failed = [r for r in rows if not r.endswith("| 0 |")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
