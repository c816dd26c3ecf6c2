"""Benchmark: normal-form equilibrium solvers against QuantEcon and nashpy, in one run.

    python benchmarks/bench_normal_form.py            # full run (several minutes)
    python benchmarks/bench_normal_form.py --quick    # < 1 minute

Times, on the same random games:
  * support enumeration (ours: degenerate="fast" and "safe") vs
    ``quantecon.game_theory.support_enumeration`` and nashpy ``support_enumeration``;
  * Lemke–Howson from label 0 vs ``quantecon.game_theory.lemke_howson`` and nashpy;
  * the batch kernel ``solve_batch`` (games/s) vs looping QuantEcon / nashpy over prebuilt
    games;
  * first-call cost (JIT compilation with an empty Numba cache, in a fresh process).

Steady-state numbers are medians over games after a warm-up call (JIT excluded).  Writes
``benchmarks/results/normal_form.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from _timing import median_time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

FIRST_CALL_CODE = r"""
import json, time, sys, warnings
import numpy as np
sys.path.insert(0, {src!r})
rng = np.random.default_rng(0)
A, B = rng.random((2, 6, 6))
out = {{}}
from bargain.games.normal_form import NormalFormGame
g = NormalFormGame([A, B])
t = time.perf_counter(); from bargain.solvers.normal_form.support import support_enumeration
support_enumeration(g, degenerate="fast"); out["ours support"] = time.perf_counter() - t
t = time.perf_counter(); from bargain.solvers.normal_form.lemke_howson import lemke_howson
lemke_howson(g); out["ours lemke_howson"] = time.perf_counter() - t
t = time.perf_counter(); from bargain.solvers.normal_form.batch import solve_batch
solve_batch(A[None], B[None]); out["ours solve_batch (support)"] = time.perf_counter() - t
t = time.perf_counter(); from bargain.solvers.normal_form.pure import pure_nash
pure_nash(g); out["ours pure"] = time.perf_counter() - t
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from quantecon.game_theory import NormalFormGame as QG, Player, support_enumeration as qse
    from quantecon.game_theory import lemke_howson as qlh
qg = QG((Player(A), Player(B.T)))
t = time.perf_counter(); qse(qg); out["QuantEcon support_enumeration"] = time.perf_counter() - t
t = time.perf_counter(); qlh(qg); out["QuantEcon lemke_howson"] = time.perf_counter() - t
print(json.dumps(out))
"""


def first_call_times(cold: bool) -> dict[str, float]:
    """First-call seconds in a fresh interpreter (cold: empty Numba cache directory)."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if cold:
            env["NUMBA_CACHE_DIR"] = tmp
        code = FIRST_CALL_CODE.format(src=str(ROOT / "src"))
        res = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return json.loads(res.stdout.strip().splitlines()[-1])


FIRST_SOLVE_CODE = r"""
import time
t0 = time.perf_counter()
import bargain as bg
t1 = time.perf_counter()
import numpy as np
A, B = np.random.default_rng(0).random((2, 6, 6))
g = bg.NormalFormGame([A, B])
t2 = time.perf_counter()
bg.solve(g, method={method!r})
t3 = time.perf_counter()
print(t1 - t0, t3 - t2)
"""

NUMBA_FLOOR_CODE = r"""
import time
import numpy as np
t0 = time.perf_counter()
import numba
t1 = time.perf_counter()
from numba.core.registry import cpu_target
cpu_target.target_context.refresh()  # what loading any cached function first does
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def fresh_process(code: str, runs: int = 5) -> tuple[list[float], float]:
    """Median of each printed number and of the process wall time over `runs` fresh
    interpreters (the Numba cache as it is: warm after the other measurements)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    values, walls = [], []
    for _ in range(runs):
        t = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        walls.append(time.perf_counter() - t)
        values.append([float(v) for v in res.stdout.split()])
    return [statistics.median(c) for c in zip(*values, strict=True)], statistics.median(walls)


def first_solve_times() -> tuple[dict[str, tuple[float, float, float]], tuple[float, float]]:
    """``bg.solve(g, method=...)`` in a fresh process with a warm Numba cache: per method
    (import bargain, first solve, process wall), and Numba's own start-up cost."""
    for method in FIRST_SOLVE_METHODS:  # populate the cache (compiles once if needed)
        fresh_process(FIRST_SOLVE_CODE.format(method=method), runs=1)
    out = {}
    for method in FIRST_SOLVE_METHODS:
        (imp, solve), wall = fresh_process(FIRST_SOLVE_CODE.format(method=method))
        out[method] = (imp, solve, wall)
    (imp_numba, refresh), _ = fresh_process(NUMBA_FLOOR_CODE)
    (_,), python_wall = fresh_process("print(0)")
    return out, (imp_numba, refresh, python_wall)


FIRST_SOLVE_METHODS = ("support", "lemke_howson", "vertex", "pure")


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def timed_or_none(fn, seconds: int) -> float | None:
    """Seconds taken by ``fn()``, or None if it ran longer than `seconds` (nashpy's
    Lemke–Howson can loop on NaN ratios in some random games)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t
    except _Timeout:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def fmt(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "–"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, < 1 minute")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "normal_form.md"))
    args = ap.parse_args()
    quick = args.quick

    import nashpy
    import numba
    import quantecon
    from quantecon.game_theory import NormalFormGame as QG
    from quantecon.game_theory import Player
    from quantecon.game_theory import lemke_howson as q_lh
    from quantecon.game_theory import support_enumeration as q_se

    from bargain.games.normal_form import NormalFormGame
    from bargain.solvers.normal_form.batch import solve_batch
    from bargain.solvers.normal_form.lemke_howson import (
        PIVOT_TOL,
        RATIO_TOL,
        _lemke_howson,
        lemke_howson,
    )
    from bargain.solvers.normal_form.support import (
        RANK_TOL,
        _support_enumeration,
        support_enumeration,
    )

    warnings.simplefilter("ignore")  # nashpy warns about degenerate games and NaN ratios
    rng = np.random.default_rng(12345)
    load_start = os.getloadavg()[0]
    lines: list[str] = []
    out = lines.append

    # ---- first call (JIT) -------------------------------------------------------------
    cold = None if quick else first_call_times(cold=True)
    warm = first_call_times(cold=False)
    first_solve, (numba_import, numba_refresh, python_wall) = first_solve_times()

    # ---- support enumeration ----------------------------------------------------------
    sizes = [2, 3, 4, 5, 6, 7, 8] if quick else [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    n_games = 3 if quick else 5
    safe_max = 7 if quick else 10
    nashpy_max = 5 if quick else 7
    support_rows = []
    warm_game = NormalFormGame([np.eye(3), np.eye(3)])
    support_enumeration(warm_game, degenerate="fast")
    support_enumeration(warm_game)
    q_se(QG((Player(np.eye(3)), Player(np.eye(3)))))
    for n in sizes:
        ours_f, ours_k, ours_s, qe, nsh, counts = [], [], [], [], [], []
        # microsecond-scale sizes vary more from game to game: more games there
        for _ in range(n_games if quick or n > 4 else 3 * n_games):
            A, B = rng.random((2, n, n))
            g = NormalFormGame([A, B])
            qg = QG((Player(A), Player(B.T)))
            ours_f.append(median_time(lambda g=g: support_enumeration(g, degenerate="fast")))
            ours_k.append(
                median_time(lambda A=A, B=B: _support_enumeration(A, B, 1e-10, RANK_TOL, False))
            )
            qe.append(median_time(lambda qg=qg: q_se(qg)))
            r = support_enumeration(g, degenerate="fast")
            q = q_se(qg)
            counts.append((len(r), len(q)))
            if n <= safe_max:
                ours_s.append(median_time(lambda g=g: support_enumeration(g)))
            if n <= nashpy_max:
                ng = nashpy.Game(A, B)
                nsh.append(median_time(lambda ng=ng: list(ng.support_enumeration())))
        agree = all(a == b for a, b in counts)
        support_rows.append(
            (
                n,
                statistics.median(ours_f),
                statistics.median(ours_k),
                statistics.median(ours_s) if ours_s else None,
                statistics.median(qe),
                statistics.median(nsh) if nsh else None,
                agree,
            )
        )
        print(f"support n={n}: ours fast {fmt(support_rows[-1][1])}, QE {fmt(support_rows[-1][4])}")

    # ---- Lemke–Howson -------------------------------------------------------------------
    lh_sizes = [10, 20, 50] if quick else [10, 20, 50, 100, 150]
    lh_games = 3 if quick else 5
    nashpy_lh_max = 20 if quick else 50
    lemke_howson(warm_game)
    q_lh(QG((Player(np.eye(3)), Player(np.eye(3)))))
    lh_rows = []
    for n in lh_sizes:
        ours, ours_k, qe, nsh, same = [], [], [], [], True
        for _ in range(lh_games):
            A, B = rng.random((2, n, n))
            g = NormalFormGame([A, B])
            qg = QG((Player(A), Player(B.T)))
            # three rounds, each function once per round, so that drift in the machine's
            # speed (slow calls are timed one at a time) hits all three alike
            fns = (
                lambda g=g: lemke_howson(g),
                lambda A=A, B=B: _lemke_howson(A, B, 0, 10**6, PIVOT_TOL, RATIO_TOL),
                lambda qg=qg: q_lh(qg),
            )
            rounds = [[median_time(fn, 3) for fn in fns] for _ in range(3)]
            o_t, k_t, q_t = (statistics.median(col) for col in zip(*rounds, strict=True))
            ours.append(o_t)
            ours_k.append(k_t)
            qe.append(q_t)
            x_q, y_q = q_lh(qg)
            r = lemke_howson(g)
            same &= bool(
                np.allclose(r[0].strategies[0], x_q, atol=1e-8)
                and np.allclose(r[0].strategies[1], y_q, atol=1e-8)
            )
            if n <= nashpy_lh_max:
                ng = nashpy.Game(A, B)
                nsh.append(timed_or_none(lambda ng=ng: ng.lemke_howson(initial_dropped_label=0), 5))
        lh_rows.append(
            (
                n,
                statistics.median(ours),
                statistics.median(ours_k),
                statistics.median(qe),
                statistics.median([t for t in nsh if t is not None] or [np.nan]) if nsh else None,
                sum(t is None for t in nsh),
                same,
            )
        )
        print(f"LH n={n}: ours {fmt(lh_rows[-1][1])}, QE {fmt(lh_rows[-1][3])}")

    # ---- batch ---------------------------------------------------------------------------
    batch_cases = (
        [(2, 10**5, "float"), (3, 10**5, "float"), (4, 2 * 10**4, "float")]
        if quick
        else [
            (2, 10**5, "float"),
            (2, 10**6, "float"),
            (3, 10**5, "float"),
            (3, 10**6, "float"),
            (4, 10**5, "float"),
            (4, 10**6, "float"),
            (4, 10**5, "int"),
        ]
    )
    batch_rows = []
    solve_batch(np.eye(2)[None], np.eye(2)[None])
    solve_batch(np.eye(2)[None], np.eye(2)[None], method="pure")
    for m, G, kind in batch_cases:
        if kind == "float":
            A, B = rng.random((2, G, m, m))
            shape = f"{m}x{m}"
        else:  # degenerate: integer payoffs in {0, 1, 2}, ties everywhere
            A, B = rng.integers(0, 3, (2, G, m, m)).astype(float)
            shape = f"{m}x{m} int {{0,1,2}}"
        for method in ("support", "pure"):
            # the first calls at a new size also pay the OS for fresh output memory (see
            # the notes): reported apart, then 3 untimed calls, then the timed ones
            t = time.perf_counter()
            solve_batch(A, B, method=method)
            first = time.perf_counter() - t
            for _ in range(3):
                solve_batch(A, B, method=method)
            ts = [
                median_time(lambda A=A, B=B, method=method: solve_batch(A, B, method=method))
                for _ in range(5)
            ]
            batch_rows.append(
                (
                    shape,
                    G,
                    f"bargain solve_batch({method!r})",
                    G / statistics.median(ts),
                    G / min(ts),
                    G / first,
                )
            )
    n_q = 5000 if quick else 20000
    n_n = 500 if quick else 2000
    A, B = rng.random((2, n_q, 2, 2))
    qgames = [QG((Player(A[k]), Player(B[k].T))) for k in range(n_q)]
    t = median_time(lambda: [q_se(q) for q in qgames], 1)
    batch_rows.append(("2x2", n_q, "QuantEcon support_enumeration loop", n_q / t, None, None))
    ngames = [nashpy.Game(A[k], B[k]) for k in range(n_n)]
    t = median_time(lambda: [list(ng.support_enumeration()) for ng in ngames], 1)
    batch_rows.append(("2x2", n_n, "nashpy support_enumeration loop", n_n / t, None, None))
    ogames = [NormalFormGame([A[k], B[k]]) for k in range(n_n)]
    t = median_time(lambda: [support_enumeration(g) for g in ogames], 1)
    batch_rows.append(("2x2", n_n, "bargain support_enumeration loop (safe)", n_n / t, None, None))
    # a parametric family: hawk-dove in (v, c), SymPy payoffs evaluated at every point
    # (lambdify, NumPy) and solved; the whole call, bounds checks included
    import sympy

    from bargain.solvers.normal_form.family import solve_family

    v, c = sympy.symbols("v c", positive=True)
    hd = [[(v - c) / 2, v], [0, v / 2]]
    family = NormalFormGame([hd, [[hd[0][0], hd[1][0]], [hd[0][1], hd[1][1]]]])
    G = 10**5 if quick else 10**6
    pts = rng.uniform(0.1, 10.0, (G, 2))
    solve_family(family, pts[:10], param_names=["v", "c"])
    ts = [median_time(lambda: solve_family(family, pts, param_names=["v", "c"])) for _ in range(5)]
    name = "bargain solve_family (hawk-dove in v, c; SymPy payoffs)"
    batch_rows.append(("2x2", G, name, G / statistics.median(ts), G / min(ts), None))
    load_end = os.getloadavg()[0]

    # ---- report --------------------------------------------------------------------------
    out("## Normal-form solvers (support, Lemke–Howson, batch)")
    out("")
    out(
        f"Command: `python benchmarks/bench_normal_form.py{' --quick' if quick else ''}`.  "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Numba {numba.__version__} ({numba.get_num_threads()} threads), QuantEcon "
        f"{quantecon.__version__}, nashpy {nashpy.__version__}, NumPy {np.__version__}.  "
        f"Load average {load_start:.1f} at start, {load_end:.1f} at end (1-minute, 2 cores; "
        "another developer's tests may have run meanwhile)."
    )
    out("")
    out("Random games with payoffs uniform on [0, 1) (nondegenerate with probability 1).")
    out("Steady-state times are medians over games (each game's time a median of repeated")
    out("calls), JIT excluded; ours include input")
    out("validation, verification of every equilibrium and building the result objects.")
    out("")
    out("### First call (JIT included), fresh process, 6x6 game")
    out("")
    out("| function | empty Numba cache | warm cache |")
    out("|---|---|---|")
    for k in warm:
        out(f"| {k} | {fmt(cold[k]) if cold else 'not run (--quick)'} | {fmt(warm[k])} |")
    out("")
    out("### First solve in a fresh process (warm cache)")
    out("")
    out('`python -c "import bargain as bg, numpy as np; g = bg.NormalFormGame([A, B]); ')
    out('bg.solve(g, method=M)"` with a 6x6 game and the Numba cache populated; medians of 5')
    out("fresh interpreters.  'first solve' is the `bg.solve` call alone.")
    out("")
    out("| method | import bargain | first solve | whole process (wall) |")
    out("|---|---|---|---|")
    for method, (imp, solve, wall) in first_solve.items():
        out(f"| {method} | {fmt(imp)} | {fmt(solve)} | {fmt(wall)} |")
    out("")
    floor = numba_import + numba_refresh
    out(
        f"Most of a first solve is Numba's own start-up, paid once per process by any "
        f"Numba code: `import numba` {fmt(numba_import)}, and {fmt(numba_refresh)} to "
        "initialise its compiler target on the first function loaded from the cache "
        f"(which imports `scipy.linalg` to check for BLAS): {fmt(floor)} together.  The "
        "rest is loading this method's kernels.  A bare `python -c 'print(0)'` takes "
        f"{fmt(python_wall)} here."
    )
    out("")
    out("'kernel' columns time the compiled kernel alone (no validation, verification or")
    out("result objects): the like-for-like comparison with QuantEcon's functions.")
    out("")
    small = n_games if quick else 3 * n_games
    out(f"### Support enumeration, n x n, median of {small} games for n <= 4, {n_games} above")
    out("")
    out(
        "| n | ours fast | ours fast kernel | ours safe | QuantEcon | nashpy | "
        "ours/QE | kernel/QE | same count |"
    )
    out("|---|---|---|---|---|---|---|---|---|")
    for n, f, k, s, q, nsh, agree in support_rows:
        out(
            f"| {n} | {fmt(f)} | {fmt(k)} | {fmt(s)} | {fmt(q)} | {fmt(nsh)} | "
            f"{f / q:.2f} | {k / q:.2f} | {agree} |"
        )
    out("")
    out(f"### Lemke–Howson from label 0, n x n, median of {lh_games} games")
    out("")
    out(
        "| n | ours | ours kernel | QuantEcon | nashpy (timeouts > 5 s) | ours/QE | kernel/QE "
        "| same eq. as QE |"
    )
    out("|---|---|---|---|---|---|---|---|")
    for n, o, k, q, nsh, n_to, same in lh_rows:
        nsh_s = f"{fmt(nsh)} ({n_to})" if nsh is not None else "–"
        out(
            f"| {n} | {fmt(o)} | {fmt(k)} | {fmt(q)} | {nsh_s} | {o / q:.2f} | "
            f"{k / q:.2f} | {same} |"
        )
    out("")
    out("### Batch of small games (games per second, whole call incl. output arrays)")
    out("")
    out("| shape | games | method | games/s (median of 5) | games/s (best of 5) | first call |")
    out("|---|---|---|---|---|---|")
    for shape, G, name, rate, best, first in batch_rows:
        best_s = f"{best:,.0f}" if best else "–"
        first_s = f"{first:,.0f}" if first else "–"
        out(f"| {shape} | {G:,} | {name} | {rate:,.0f} | {best_s} | {first_s} |")
    out("")
    out("How `solve_batch('support')` gets there: player 1's best-response polytope is")
    out("enumerated for 256 games at once, one vertex candidate (support, binding set) at a")
    out("time with the games innermost, so the compiler vectorizes across games; when player")
    out("1 is nondegenerate each vertex has exactly one possible partner, solved for the")
    out("vertices of each candidate together, instead of enumerating player 2's polytope.")
    out("Games where that shortcut does not apply (degenerate player 1, a singular system, a")
    out("partner with extra labels) enumerate both polytopes: the integer row.  Output arrays")
    out("(about 1.4 kB a 4x4 game at the default 16 slots) are allocated by NumPy, which")
    out("asks Linux for huge pages.  The first few calls at a new size in a process run up")
    out("to 3x slower while the OS finds that much fresh memory ('first call', games/s; the")
    out("medians are of later calls): a sweep pays it once, then reuses the memory.")
    out("")
    text = "\n".join(lines) + "\n"
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
