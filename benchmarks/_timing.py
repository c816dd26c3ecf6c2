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


def samples(fn, reps: int, *, budget: float | None = None) -> tuple[list[float], object]:
    """Seconds of each of `reps` calls of ``fn()`` (fewer once `budget` seconds are
    spent), and the last call's result."""
    times, out = [], None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
        if budget is not None and sum(times) > budget:
            break
    return times, out


def timed(fn, reps: int) -> tuple[float, object]:
    """Median seconds of `reps` calls of ``fn()``, and the last call's result."""
    times, out = samples(fn, reps)
    return statistics.median(times), out


def median_best(fn, reps: int) -> tuple[float, float]:
    """(median, best) seconds of `reps` calls of ``fn()``."""
    times, _ = samples(fn, reps)
    return statistics.median(times), min(times)


def median_time(fn, reps: int = 1) -> float:
    """Median seconds per call over `reps` samples (at least 5 for calls under 50 ms).

    A fast call is looped within each sample until the sample lasts about 2 ms, so that
    timer resolution and one-off cache misses do not decide a microsecond-scale result.
    """
    t = time.perf_counter()
    fn()
    first = time.perf_counter() - t
    if first >= 0.05:
        loops = 1
    else:
        reps = max(reps, 5)
        loops = max(1, min(10_000, int(2e-3 / max(first, 1e-7))))
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(loops):
            fn()
        ts.append((time.perf_counter() - t) / loops)
    return statistics.median(ts)


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
