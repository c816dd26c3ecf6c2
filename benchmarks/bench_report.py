"""`bargain report MODEL` end to end: cold and warm, per model and per phase (issue 14).

    python benchmarks/bench_report.py --quick    # two models, 1 warm repeat
    python benchmarks/bench_report.py            # every model in models/, 3 warm repeats

Writes benchmarks/results/report.md (then ``python benchmarks/assemble.py``).

* **cold**: a fresh interpreter with an empty ``NUMBA_CACHE_DIR`` and an empty derivation
  cache (``BARGAIN_CACHE_DIR``): every kernel compiles, every condition is derived;
* **warm**: the same command again with both caches filled (median of the repeats);
* phases: the ``--verbose`` lines of the warm run (load, derive, equilibria, SPE sweep and
  intervals, figures, writing); ``startup`` is wall time minus the phases (interpreter,
  imports);
* **NumPy floor**: in this process, the time to classify the report's grids (every
  sensitivity sweep plus the figure's ``points x points`` grid per regime) with the
  lambdified closed-form classifier (``Conditions.lambdify()``, NumPy), after a first
  call; the ratio warm report / floor says how far the whole job is from evaluating its
  formulas.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from bargain.models import list_models, load_model  # noqa: E402

PHASE = re.compile(r"^report: (.+?)\s+([0-9.]+) s$")


def run_report(model: str, out: str, numba_dir: str, cache_dir: str, points: int):
    """Wall seconds and the phase times of one ``bargain report`` in a fresh process."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "NUMBA_CACHE_DIR": numba_dir,
        "BARGAIN_CACHE_DIR": cache_dir,
    }
    cmd = [sys.executable, "-m", "bargain.cli", "report", model, "--out", out]
    cmd += ["--points", str(points), "--verbose"]
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - t
    phases = {}
    for line in done.stderr.splitlines():
        m = PHASE.match(line.strip())
        if m and m.group(1) != "total":
            phases[m.group(1)] = float(m.group(2))
    compiling = [ln for ln in done.stderr.splitlines() if "compiling" in ln]
    return wall, phases, compiling


def numpy_floor(name: str, points: int) -> float:
    """Seconds to classify the report's grids with the lambdified closed form (NumPy)."""
    m = load_model(name)
    base = np.array(m.parameters.vector())
    regimes = [r for r, reg in m.regimes.items() if reg.agreement is not None]
    names = list(m.parameters.names)
    x, y = m.report_axes or names[:2]
    blocks = []
    for k, p in enumerate(m.parameters.parameters):
        if p.integer:
            continue
        b = np.tile(base, (points, 1))
        b[:, k] = np.linspace(*p.bounds, points)
        blocks.append(b)
    X, Y = np.meshgrid(
        np.linspace(*m.parameters[x].bounds, points), np.linspace(*m.parameters[y].bounds, points)
    )
    plane = np.tile(base, (X.size, 1))
    plane[:, names.index(x)], plane[:, names.index(y)] = X.ravel(), Y.ravel()
    pts = np.concatenate([*blocks, plane])
    fns = [m.conditions(r).lambdify() for r in regimes]
    for f in fns:
        f(pts[:10])
    t = time.perf_counter()
    for f in fns:
        f(pts)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--points", type=int, default=201)
    ap.add_argument("--repeats", type=int, default=3, help="warm runs per model")
    args = ap.parse_args()
    models = ["withdrawal_sequencing", "entry_deterrence"] if args.quick else list_models()
    repeats = 1 if args.quick else args.repeats
    rows = []
    for name in models:
        with tempfile.TemporaryDirectory() as tmp:
            numba_dir, cache_dir = f"{tmp}/numba", f"{tmp}/derive"
            out = f"{tmp}/out"
            cold, cold_phases, compiling = run_report(name, out, numba_dir, cache_dir, args.points)
            warm_runs = [
                run_report(name, out, numba_dir, cache_dir, args.points) for _ in range(repeats)
            ]
            walls = [w for w, _, _ in warm_runs]
            warm = statistics.median(walls)
            closest = min(range(len(walls)), key=lambda k: abs(walls[k] - warm))
            phases = warm_runs[closest][1]
            pdf = os.path.getsize(f"{out}/regions.pdf")
        floor = numpy_floor(name, args.points)
        rows.append((name, cold, cold_phases, warm, phases, floor, pdf, len(compiling)))
        print(f"{name}: cold {cold:.2f} s, warm {warm:.2f} s, floor {floor:.3f} s", flush=True)
    load = os.getloadavg()[0]
    lines = [
        "## Report (`bargain report MODEL`, issue 14)",
        "",
        f"`python benchmarks/bench_report.py{' --quick' if args.quick else ''}`; grid "
        f"{args.points} points per sweep and per figure axis; {platform.processor() or 'cpu'}"
        f", {os.cpu_count()} cores, load average {load:.1f} while it ran (shared machine: "
        "absolute times are noisy). Cold: empty Numba and derivation caches; warm: both "
        f"filled, median of {repeats}. Startup = wall time minus the phases (interpreter and "
        "imports). NumPy floor: the report's grids classified by the lambdified closed "
        "form.",
        "",
        "| model | cold (s) | warm (s) | startup | derive | equilibria | SPE sweep + "
        "intervals | figures | writing | NumPy floor (s) | warm / floor | regions.pdf |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    keys = ["derive", "equilibria", "SPE sweep and intervals", "figures", "writing"]
    for name, cold, _, warm, ph, floor, pdf, _ in rows:
        startup = warm - sum(ph.values())
        cells = " | ".join(f"{ph.get(k, float('nan')):.2f}" for k in keys)
        lines.append(
            f"| {name} | {cold:.1f} | {warm:.2f} | {startup:.2f} | {cells} | {floor:.3f} | "
            f"{warm / floor:.0f}x | {pdf / 1024:.0f} KB |"
        )
    lines += ["", "Cold runs, per phase (s):", ""]
    lines += ["| model | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for name, _, cph, *_ in rows:
        lines.append(f"| {name} | " + " | ".join(f"{cph.get(k, 0):.2f}" for k in keys) + " |")
    out = ROOT / "benchmarks" / "results" / "report.md"
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
