"""Timing helpers shared by the benchmark scripts (run as ``python benchmarks/NAME.py``,
so this folder is on ``sys.path``)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, reps: int) -> tuple[float, object]:
    """Median seconds of `reps` calls of ``fn()``, and the last call's result."""
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def first_call_seconds(code: str, cache_dir: str | None) -> tuple[float, float]:
    """Run `code` (a script template with ``{src}`` for the package's ``src`` folder that
    prints two numbers of seconds) in a fresh interpreter; `cache_dir` is an empty folder
    for Numba's cache (a cold start), or None for the default cache."""
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    out = subprocess.run(
        [sys.executable, "-c", code.format(src=str(ROOT / "src"))],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    a, b = out.stdout.split()
    return float(a), float(b)
