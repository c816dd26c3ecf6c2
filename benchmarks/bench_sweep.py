"""Sweep throughput per backend, peak memory of a chunked 10^8-point sweep, kill-and-resume.

    python benchmarks/bench_sweep.py --quick     # < 1 minute
    python benchmarks/bench_sweep.py             # 10^8-point RSS run, 10^7-point kill/resume

Writes benchmarks/results/sweep.md.

1. Points per second of ``Backend.map`` (the compiled batch kernel on chunks of a Sobol'
   design; outputs agreement + payoffs) for the serial, Numba-parallel and Dask (2 local
   worker processes) backends, on ``withdrawal_sequencing:withdraw_first`` and
   ``entry_deterrence:entry_commitment``; the first pass (JIT or kernel-cache load, and
   for Dask the workers' first call) is reported apart from the steady-state median.
   ``run_sweep`` end to end (Parquet chunks + checkpoint) is timed on the parallel backend.
2. Peak RSS of a process running ``run_sweep`` over a large design (10^8 points in the
   full run) with chunked output, against the size of the points array if materialized.
3. A sweep killed with SIGKILL after some chunks, resumed, compared with an
   uninterrupted run (10^7 points in the full run).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from bargain.models import load_model  # noqa: E402
from bargain.sweep.backends import Backend  # noqa: E402
from bargain.sweep.checkpoint import load_sweep, run_sweep  # noqa: E402
from bargain.sweep.samples import design  # noqa: E402

CASES = (("withdrawal_sequencing", "withdraw_first"), ("entry_deterrence", "entry_commitment"))
OUTPUTS = ("agreement", "payoffs")
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _pass(backend: Backend, model, regime, d, size) -> float:
    t = time.perf_counter()
    n = 0
    for _, cols in backend.map(model, regime, OUTPUTS, d, range(d.n_chunks(size)), size):
        n += len(cols["agreement"])
    assert n == len(d)
    return time.perf_counter() - t


def throughput(n: int, size: int, repeats: int) -> list[dict]:
    rows = []
    for name, regime in CASES:
        model = load_model(name)
        d = design(model, method="sobol", n=n, seed=0)
        for backend in ("serial", "parallel", "dask"):
            start = time.perf_counter()
            with Backend(backend, workers=2 if backend == "dask" else None) as b:
                setup = time.perf_counter() - start
                first = _pass(b, model, regime, d, size)
                times = [_pass(b, model, regime, d, size) for _ in range(repeats)]
            med = statistics.median(times)
            rows.append(
                {
                    "case": f"{name}:{regime}",
                    "backend": backend,
                    "points": n,
                    "setup_s": setup,
                    "first_s": first,
                    "median_s": med,
                    "best_s": min(times),
                    "pps": n / med,
                    "pps_best": n / min(times),
                }
            )
            print(f"{name:22s} {backend:8s} {n / med:12.3g} pts/s (first pass {first:.2f} s)")
        with tempfile.TemporaryDirectory() as tmp:
            times = []
            for k in range(repeats):
                t = time.perf_counter()
                run_sweep(
                    model,
                    regime,
                    d,
                    Path(tmp) / str(k),
                    outputs=OUTPUTS,
                    chunk_size=size,
                    progress=False,
                )
                times.append(time.perf_counter() - t)
        med = statistics.median(times)
        rows.append(
            {
                "case": f"{name}:{regime}",
                "backend": "parallel, run_sweep (Parquet + checkpoint)",
                "points": n,
                "setup_s": 0.0,
                "first_s": float("nan"),
                "median_s": med,
                "best_s": min(times),
                "pps": n / med,
                "pps_best": n / min(times),
            }
        )
        print(f"{name:22s} run_sweep {n / med:12.3g} pts/s")
    return rows


RSS_SCRIPT = """
import json, resource, sys, time
from bargain.models import load_model
from bargain.sweep.checkpoint import run_sweep
from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.samples import design
n, size, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
m = load_model("withdrawal_sequencing")
d = design(m, method="sobol", n=n, vary=["q", "k_G", "M_G", "s"], seed=0)
evaluate_points(m, "withdraw_first", d.chunk(0, 1000))  # load the kernel first
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
run_sweep(m, "withdraw_first", d, out, outputs=["agreement", "payoffs"], chunk_size=size,
          progress=False)
print(json.dumps({"base_kb": base, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "seconds": time.perf_counter() - t}))
"""


def peak_rss(n: int, size: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="bench_sweep_rss_"))
    try:
        res = subprocess.run(
            [sys.executable, "-c", RSS_SCRIPT, str(n), str(size), str(out)],
            env=ENV,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(res.stdout.strip().splitlines()[-1])
        info["disk_bytes"] = sum(p.stat().st_size for p in out.glob("chunk-*.parquet"))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    info.update(n=n, chunk=size, materialized_bytes=n * 13 * 8)
    print(f"peak RSS {info['peak_kb'] / 1024:.0f} MiB for {n:.0e} points ({info['seconds']:.1f} s)")
    return info


KILL_SCRIPT = """
import sys
from bargain.models import load_model
from bargain.sweep.checkpoint import run_sweep
from bargain.sweep.samples import design
n, size, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
m = load_model("withdrawal_sequencing")
d = design(m, method="sobol", n=n, vary=["q", "k_G", "M_G", "s"], seed=0)
run_sweep(m, "withdraw_first", d, out, outputs=["agreement", "payoffs"], chunk_size=size,
          progress=False)
"""


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / "checkpoint.json").read_text())["done"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


def kill_and_resume(n: int, size: int) -> dict:
    import pandas as pd

    root = Path(tempfile.mkdtemp(prefix="bench_sweep_kill_"))
    killed, whole = root / "killed", root / "whole"
    m = load_model("withdrawal_sequencing")
    d = design(m, method="sobol", n=n, vary=["q", "k_G", "M_G", "s"], seed=0)
    n_chunks = d.n_chunks(size)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_SCRIPT, str(n), str(size), str(killed)], env=ENV
        )
        target = max(1, n_chunks // 3)
        while _done(killed) < target and proc.poll() is None:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _done(killed)
        t = time.perf_counter()
        run_sweep(
            m, "withdraw_first", d, killed, outputs=["agreement", "payoffs"],
            chunk_size=size, resume=True, progress=False,
        )  # fmt: skip
        resume_s = time.perf_counter() - t
        t = time.perf_counter()
        run_sweep(
            m, "withdraw_first", d, whole, outputs=["agreement", "payoffs"],
            chunk_size=size, progress=False,
        )  # fmt: skip
        whole_s = time.perf_counter() - t
        a, b = load_sweep(killed), load_sweep(whole)
        pd.testing.assert_frame_equal(a, b)
        computed = json.loads((killed / "manifest.json").read_text())["chunks_computed_last_run"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    info = {
        "n": n,
        "chunks": n_chunks,
        "done_at_kill": before,
        "computed_on_resume": computed,
        "killed_by_signal": proc.returncode == -signal.SIGKILL,
        "resume_s": resume_s,
        "whole_s": whole_s,
        "equal": True,
        "rows": len(a),
    }
    print(f"kill/resume {n:.0e}: killed after {before}/{n_chunks} chunks, resumed, tables equal")
    return info


def write_markdown(rows, rss, kill, quick: bool, path: Path) -> None:
    import numba

    load = os.getloadavg()[0]
    lines = [
        "## Sweeps: backends, chunked output, resume (`bargain.sweep`)",
        "",
        f"Machine: {os.cpu_count()} cores, Numba threads {numba.config.NUMBA_NUM_THREADS}, "
        f"Python {platform.python_version()}; load average at the end {load:.1f}"
        f"{' (quick run)' if quick else ''}. Design: scrambled Sobol' over all continuous "
        "parameters; outputs agreement + payoffs; `Backend.map` over chunks (no files) unless "
        "marked `run_sweep`.",
        "",
        "| case | backend | points | setup s | first pass s | median s | points / s (median) "
        "| points / s (best) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        first = "" if np.isnan(r["first_s"]) else f"{r['first_s']:.3f}"
        lines.append(
            f"| {r['case']} | {r['backend']} | {r['points']:,} | {r['setup_s']:.2f} | {first} "
            f"| {r['median_s']:.3f} | {r['pps']:.3g} | {r['pps_best']:.3g} |"
        )
    lines += [
        "",
        "Setup is the Dask `LocalCluster` start (2 worker processes, 1 thread each); the first "
        "pass includes loading the compiled kernel (Numba cache) in each process.",
        "",
        f"Peak memory of `run_sweep` over {rss['n']:,} points (4 varied parameters, chunks of "
        f"{rss['chunk']:,}, Parquet output {rss['disk_bytes'] / 1e9:.2f} GB): peak RSS "
        f"{rss['peak_kb'] / 1024:.0f} MiB (after imports and kernel load "
        f"{rss['base_kb'] / 1024:.0f} MiB), in {rss['seconds']:.1f} s "
        f"({rss['n'] / rss['seconds']:.3g} points/s end to end); the points array alone "
        f"would take {rss['materialized_bytes'] / 2**20:,.0f} MiB.",
        "",
        f"Kill and resume ({kill['n']:,} points, {kill['chunks']} chunks): the sweep process "
        f"was killed with SIGKILL after {kill['done_at_kill']} chunks; the resumed run "
        f"computed the other {kill['computed_on_resume']} in {kill['resume_s']:.1f} s (an "
        f"uninterrupted run: {kill['whole_s']:.1f} s) and its table ({kill['rows']:,} rows) "
        "equals the uninterrupted run's exactly (`pandas.testing.assert_frame_equal`).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {path}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, < 1 minute")
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "sweep.md"))
    args = p.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if args.quick:
        rows = throughput(2**18, 2**16, 3)
        rss = peak_rss(2 * 10**6, 2**18)
        kill = kill_and_resume(10**6, 2**17)
    else:
        rows = throughput(2**22, 2**20, 5)
        rss = peak_rss(10**8, 2**21)
        kill = kill_and_resume(10**7, 2**20)
    write_markdown(rows, rss, kill, args.quick, Path(args.out))


if __name__ == "__main__":
    main()
