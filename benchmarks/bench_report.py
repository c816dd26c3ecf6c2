"""`bargain report MODEL` end to end: cold and warm, per model and per phase (issue 14).

    python benchmarks/bench_report.py --quick    # two models, 1 warm repeat
    python benchmarks/bench_report.py            # every model in models/, 3 warm repeats
    python benchmarks/bench_report.py --models staged_withdrawal   # only these rows

Writes benchmarks/results/report.md (then ``python benchmarks/assemble.py``).

* **cold**: a fresh interpreter with an empty ``NUMBA_CACHE_DIR`` and an empty derivation
  cache (``BARGAIN_CACHE_DIR``): every kernel compiles, every condition is derived;
* **warm**: the same command again with both caches filled (median of the repeats);
* phases: the ``--verbose`` lines of the warm run (load, derive, equilibria, SPE sweep and
  intervals, figures, writing; a stochastic model's ``sweep``, the batched
  one-shot-deviation check, goes in the sweep column); ``startup`` is wall time minus the
  phases (interpreter, imports);
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
import resource
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

PHASE = re.compile(r"^report: (.+?)\s+([0-9.]+) s(?:\s+\(cpu ([0-9.]+) s\))?$")
HEAVY = ("sympy", "numba", "pandas", "scipy")
#: phase names of the stochastic report mapped to the table's columns
ALIAS = {"sweep": "SPE sweep and intervals"}


def run_report(
    model: str, out: str, numba_dir: str, cache_dir: str, points: int, src: Path | None = None
):
    """Wall and CPU seconds, the phase times and the compile notices of one ``bargain
    report`` in a fresh process."""
    env = {
        **os.environ,
        "PYTHONPATH": str(src or ROOT / "src"),
        "NUMBA_CACHE_DIR": numba_dir,
        "BARGAIN_CACHE_DIR": cache_dir,
    }
    cmd = [sys.executable, "-m", "bargain.cli", "report", model, "--out", out]
    cmd += ["--points", str(points), "--verbose"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    phases = {}
    for line in done.stderr.splitlines():
        m = PHASE.match(line.strip())
        if m and m.group(1) != "total":
            name = ALIAS.get(m.group(1), m.group(1))
            phases[name] = float(m.group(3) or m.group(2))  # CPU seconds when given
    compiling = [ln for ln in done.stderr.splitlines() if "compiling" in ln]
    return wall, phases, compiling, cpu


def heavy_imports(model: str, cache_dir: str, numba_dir: str) -> list[str]:
    """Which of SymPy, Numba, pandas, SciPy a warm report imports (should be none)."""
    code = (
        "import sys\nfrom bargain.report import write_report\n"
        f"write_report({model!r}, {cache_dir + '/imports'!r}, progress=False)\n"
        f"print('LOADED=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "NUMBA_CACHE_DIR": numba_dir,
        "BARGAIN_CACHE_DIR": cache_dir,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    line = done.stdout.strip().splitlines()[-1].removeprefix("LOADED=")
    return [m for m in line.split(",") if m]


def numpy_floor(name: str, points: int) -> float:
    """Seconds to classify the report's grids with the lambdified closed form (NumPy); a
    stochastic regime's closed form is its MPE condition."""
    m = load_model(name)
    base = np.array(m.parameters.vector())
    regimes = [
        r
        for r, reg in m.regimes.items()
        if reg.agreement is not None or getattr(reg, "profile", None) is not None
    ]
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
    ap.add_argument(
        "--compare",
        type=Path,
        default=None,
        help="src/ folder of another checkout (e.g. before issue 14): its warm report of "
        "withdrawal_sequencing is measured in the same run, for a like-for-like ratio",
    )
    ap.add_argument(
        "--models",
        nargs="+",
        default=None,
        help="measure only these models: their rows of benchmarks/results/report.md are "
        "replaced, the other rows kept as they are",
    )
    args = ap.parse_args()
    models = ["withdrawal_sequencing", "entry_deterrence"] if args.quick else list_models()
    if args.models:
        unknown = sorted(set(args.models) - set(list_models()))
        if unknown:
            ap.error(f"unknown model(s): {', '.join(unknown)}; models: {', '.join(list_models())}")
        models = list(args.models)
    repeats = 1 if args.quick else args.repeats
    rows = []
    for name in models:
        with tempfile.TemporaryDirectory() as tmp:
            numba_dir, cache_dir = f"{tmp}/numba", f"{tmp}/derive"
            out = f"{tmp}/out"
            cold, cold_phases, compiling, cold_cpu = run_report(
                name, out, numba_dir, cache_dir, args.points
            )
            warm_runs = [
                run_report(name, out, numba_dir, cache_dir, args.points) for _ in range(repeats)
            ]
            walls = [w for w, _, _, _ in warm_runs]
            warm = statistics.median(walls)
            warm_cpu = statistics.median([c for _, _, _, c in warm_runs])
            closest = min(range(len(walls)), key=lambda k: abs(walls[k] - warm))
            phases = warm_runs[closest][1]
            pdf = os.path.getsize(f"{out}/regions.pdf")
            png = os.path.getsize(f"{out}/regions.png")
            heavy = heavy_imports(name, cache_dir, numba_dir)
        floor = numpy_floor(name, args.points)
        rows.append(
            (name, cold, cold_cpu, cold_phases, warm, warm_cpu, phases, floor, pdf, png,
             len(compiling), heavy)
        )  # fmt: skip
        print(
            f"{name}: cold {cold:.2f} s (cpu {cold_cpu:.2f}), warm {warm:.2f} s (cpu "
            f"{warm_cpu:.2f}), floor {floor:.3f} s, compile notices {len(compiling)}, "
            f"heavy imports {heavy or 'none'}",
            flush=True,
        )
    compare = None
    if args.compare is not None:
        name = "withdrawal_sequencing"
        with tempfile.TemporaryDirectory() as tmp:
            runs = []
            for src in (args.compare, ROOT / "src"):
                run_report(name, f"{tmp}/o", f"{tmp}/n", f"{tmp}/d{len(runs)}", args.points, src)
                cpu = [
                    run_report(name, f"{tmp}/o", f"{tmp}/n", f"{tmp}/d{len(runs)}", args.points,
                               src)[3]
                    for _ in range(repeats)
                ]  # fmt: skip
                runs.append(statistics.median(cpu))
        rev = subprocess.run(
            ["git", "-C", str(args.compare), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        compare = (f"commit {rev}" if rev else str(args.compare), *runs)
        print(f"compare: {runs[0]:.2f} s CPU there, {runs[1]:.2f} s here", flush=True)
    load = os.getloadavg()[0]
    lines = [
        "## Report (`bargain report MODEL`, issue 14)",
        "",
        f"`python benchmarks/bench_report.py{' --quick' if args.quick else ''}`; grid "
        f"{args.points} points per sweep and per figure axis; {platform.processor() or 'cpu'}"
        f", {os.cpu_count()} cores, load average {load:.1f} when it ended (a shared machine: "
        "wall times are inflated by the other jobs; the CPU time of the report's process is "
        "the steadier measure, and is what the wall time is on a quiet machine). Cold: a "
        "fresh process with empty `NUMBA_CACHE_DIR` and `BARGAIN_CACHE_DIR`; warm: both "
        f"filled, median of {repeats}. Phases: CPU seconds from `--verbose` of the warm run; "
        "startup = process CPU minus the phases: the interpreter and imports, and the CPU of "
        "the forked copy that renders the PNG while the PDF renders (`sweep/figure_io.py`), "
        "which runs on the second core. NumPy floor: the "
        "report's grids classified by the lambdified closed form, in this process. Heavy "
        "imports: which of SymPy, Numba, pandas, SciPy a warm report loads.",
        "",
        "| model | cold wall (s) | cold CPU (s) | warm wall (s) | warm CPU (s) | startup | "
        "derive | equilibria | SPE sweep + intervals | figures | writing | NumPy floor (s) | "
        "warm CPU / floor | compile notices (cold) | heavy imports (warm) | regions.pdf | "
        "regions.png |",
        "|---|" + "---|" * 16,
    ]
    keys = ["derive", "equilibria", "SPE sweep and intervals", "figures", "writing"]
    for name, cold, ccpu, _, warm, wcpu, ph, floor, pdf, png, ncomp, heavy in rows:
        startup = wcpu - sum(ph.get(k, 0.0) for k in ("load", *keys))
        cells = " | ".join(f"{ph.get(k, float('nan')):.2f}" for k in keys)
        lines.append(
            f"| {name} | {cold:.1f} | {ccpu:.1f} | {warm:.2f} | {wcpu:.2f} | {startup:.2f} | "
            f"{cells} | {floor:.4f} | {wcpu / floor:.0f}x | {ncomp} | "
            f"{', '.join(heavy) or 'none'} | {pdf / 1024:.0f} KB | {png / 1024:.0f} KB |"
        )
    if compare is not None:
        there, old, new = compare
        lines += [
            "",
            f"Like for like in this run: the warm report of withdrawal_sequencing took {old:.2f} "
            f"s of CPU with {there} (the implementation before this work) and {new:.2f} s "
            f"with this one ({old / new:.1f}x less).",
        ]
    lines += ["", "Cold runs, CPU seconds per phase:", ""]
    lines += ["| model | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for name, _, _, cph, *_ in rows:
        lines.append(f"| {name} | " + " | ".join(f"{cph.get(k, 0):.2f}" for k in keys) + " |")
    out = ROOT / "benchmarks" / "results" / "report.md"
    if args.models and out.exists():
        lines = _merge(out.read_text().splitlines(), lines, models, load, repeats, args.points)
    out.write_text("\n".join(lines) + "\n")
    print(f"wrote {out}")
    return 0


def _merge(
    old: list[str], new: list[str], models: list[str], load: float, repeats: int, points: int
) -> list[str]:
    """The old fragment with the rows of `models` replaced by those of `new` (in both
    tables) and a line saying when and at what load they were measured."""
    fresh = {}
    for line in new:
        if line.startswith("| ") and line.split(" | ")[0][2:] in models:
            fresh.setdefault(line.split(" | ")[0][2:], []).append(line)
    seen: dict[str, int] = {}
    out = []
    for line in old:
        name = line.split(" | ")[0][2:] if line.startswith("| ") else None
        if name in fresh:
            k = seen.get(name, 0)
            seen[name] = k + 1
            out.append(fresh[name][min(k, len(fresh[name]) - 1)])
        elif line.startswith("Re-measured with `--models` ") and any(
            f"`{m}`" in line for m in models
        ):
            continue  # superseded by the note below
        else:
            out.append(line)
    tables = [k for k, line in enumerate(out) if line.startswith("| model |")]
    for name, rows in fresh.items():  # a model the old fragment did not have
        if name in seen:
            continue
        for t, row in reversed(list(zip(tables, rows, strict=False))):
            end = t + 2
            while end < len(out) and out[end].startswith("| "):
                end += 1
            out.insert(end, row)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    note = (
        f"Re-measured with `--models` on {when}, load average {load:.1f} when it ended "
        f"(grid {points}, median of {repeats} warm runs): "
        + ", ".join(f"`{m}`" for m in models)
        + "; the other rows are from the run described above."
    )
    at = next((k for k, line in enumerate(out) if line.startswith("| model |")), len(out))
    out[at:at] = [note, ""]
    return out


if __name__ == "__main__":
    sys.exit(main())
