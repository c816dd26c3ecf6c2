"""Benchmark: the logit-QRE homotopy for stochastic games, bargain against sgamesolver.

On the same random games (2 players × 2 actions from 2 up to 256 states, plus 3-player
and 3-action families): bargain's ``solve(game, method="qre")`` (Numba kernels, block
elimination of the Jacobian's per-state columns, support polish at the end) against
sgamesolver's QRE homotopy (Eibelshäuser & Poensgen 2019; Cython kernels).  For each
game: wall time of each (median of `--reps` runs), the largest difference between the two
limits, and the one-shot-deviation regret of each limit computed by bargain's evaluator.

sgamesolver lives in its own virtual environment (it needs NumPy < 2 aliases and a build
without isolation; see the ``crosscheck-dynamic`` extra).  This script runs bargain here
and sgamesolver in a subprocess of the interpreter given by ``--sgs-python`` (default
``$SGS_PYTHON`` or ``/tmp/sgs/bin/python``); without it, only bargain's column is filled.

Usage::

    python benchmarks/bench_dynamic.py --quick     # up to 32 states
    python benchmarks/bench_dynamic.py             # writes benchmarks/results/dynamic.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# one BLAS thread for both solvers: the machine is shared, and oversubscribed BLAS threads
# made timings swing by 100x (set before NumPy is imported; inherited by the subprocess)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
from _timing import first_call_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# (states, players, actions)
FULL = [(2, 2, 2), (4, 2, 2), (8, 2, 2), (16, 2, 2), (32, 2, 2), (64, 2, 2), (128, 2, 2),
        (256, 2, 2), (4, 3, 2), (16, 3, 2), (4, 2, 3), (16, 2, 3)]  # fmt: skip
#: games up to this many states are timed `--reps` times, larger ones `--reps-above` times
#: (a single run of a small game on a shared machine swung by 3x)
MANY_REPS_MAX = 32
QUICK = [(2, 2, 2), (4, 2, 2), (8, 2, 2), (16, 2, 2), (32, 2, 2), (4, 3, 2), (4, 2, 3)]

# first call in a fresh interpreter: import + the first solve of a 2-state game (JIT
# compilation of the kernels on an empty Numba cache, or loading them from the cache)
COLD = """
import time, sys
sys.path.insert(0, {src!r})
import numpy as np
t = time.perf_counter()
from bargain.dynamic import StochasticGame, solve
t_import = time.perf_counter() - t
u = np.random.default_rng(0).uniform(0, 1, (2, 2, 2, 2))
g = StochasticGame.from_arrays(u, np.full((2, 2, 2, 2), 0.5), 0.95)
t = time.perf_counter()
solve(g, method="qre")
print(t_import, time.perf_counter() - t)
"""

WORKER = r"""
import json, sys, time
import numpy as np
np.NaN = np.nan  # sgamesolver 1.0.2 uses the alias removed in NumPy 2
import sgamesolver
data = np.load(sys.argv[1])
reps = int(sys.argv[2])
u, phi, delta = data["u"], data["phi"], float(data["delta"])
def run():
    game = sgamesolver.SGame(list(u), list(phi), delta)
    hom = sgamesolver.homotopy.QRE(game)
    hom.solver_setup()
    hom.solver.verbose = 0
    hom.solve()
    return hom.equilibrium
times = []  # no warm-up: compiled ahead of time (Cython), nothing to load on first call
for _ in range(reps):
    t = time.perf_counter(); eq = run(); times.append(time.perf_counter() - t)
print(json.dumps({"seconds": sorted(times)[len(times) // 2],
                  "strategies": np.asarray(eq.strategies).tolist(),
                  "lambda": float(eq.homotopy_parameter)}))
"""


def random_game(S: int, N: int, A: int, seed: int):
    rng = np.random.default_rng(seed)
    u = rng.uniform(0.0, 1.0, (S, N, *(A,) * N))
    phi = rng.exponential(1.0, (S, *(A,) * N, S))
    return u, phi / phi.sum(axis=-1, keepdims=True), 0.95


def run_bargain(u, phi, delta, reps):
    from bargain.dynamic import StochasticGame, solve

    game = StochasticGame.from_arrays(u, phi, delta)
    times, r = [], None  # kernels already loaded by the warm-up in main()
    for _ in range(reps):
        t = time.perf_counter()
        r = solve(game, method="qre")
        times.append(time.perf_counter() - t)
    return game, r, sorted(times)[len(times) // 2]


def run_sgamesolver(python, u, phi, delta, reps):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "game.npz"
        np.savez(f, u=u, phi=phi, delta=delta)
        out = subprocess.run(
            [python, "-c", WORKER, str(f), str(reps)], capture_output=True, text=True, timeout=3600
        )
    if out.returncode != 0:
        return None, out.stderr.strip().splitlines()[-1] if out.stderr else "failed"
    return json.loads(out.stdout), ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument(
        "--reps-above",
        type=int,
        default=1,
        help=f"runs per solver for games above {MANY_REPS_MAX} states (default 1: minutes each)",
    )
    ap.add_argument("--sgs-python", default=os.environ.get("SGS_PYTHON", "/tmp/sgs/bin/python"))
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "dynamic.md"))
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    sys.path.insert(0, str(ROOT / "src"))
    from bargain.dynamic import one_shot_regrets

    have_sgs = (
        Path(args.sgs_python).exists()
        and subprocess.run([args.sgs_python, "-c", "import numpy as np; np.NaN = np.nan; "
                            "import sgamesolver"], capture_output=True).returncode == 0
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as empty:
        cold = first_call_seconds(COLD, empty)
    first_call_seconds(COLD, None)  # fill the default cache
    warm = first_call_seconds(COLD, None)
    print(f"first call: compile {cold[1]:.2f} s, cached {warm[1]:.2f} s", flush=True)
    run_bargain(*random_game(2, 2, 2, seed=0), 1)  # load the cached kernels in this process
    rows = [
        "| states × players × actions | bargain qre (s) | steps | sgamesolver qre (s) | "
        "speed-up | max abs diff of limits | regret bargain | regret sgamesolver |",
        "|---|---|---|---|---|---|---|---|",
    ]
    largest = None
    for k, (S, N, A) in enumerate(QUICK if args.quick else FULL):
        u, phi, delta = random_game(S, N, A, seed=1000 + k)
        reps = args.reps if S <= MANY_REPS_MAX else args.reps_above
        game, r, t_b = run_bargain(u, phi, delta, reps)
        eq = r.equilibrium
        cells = [f"{S} × {N} × {A}", f"{t_b:.3g}", str(r.stats["steps"])]
        if have_sgs:
            ref, err = run_sgamesolver(args.sgs_python, u, phi, delta, reps)
            if ref is None:
                cells += [f"failed: {err}", "", "", f"{eq.max_regret:.1e}", ""]
            else:
                sig = [
                    [np.asarray(ref["strategies"][s][i][:A]) for i in range(N)] for s in range(S)
                ]
                diff = max(
                    float(np.max(np.abs(sig[s][i] - eq.strategies[s][i])))
                    for s in range(S)
                    for i in range(N)
                )
                reg = float(one_shot_regrets(game, sig).max())
                cells += [
                    f"{ref['seconds']:.3g}",
                    f"{ref['seconds'] / t_b:.1f}×",
                    f"{diff:.1e}",
                    f"{eq.max_regret:.1e}",
                    f"{reg:.1e}",
                ]
        else:
            cells += ["(not installed)", "", "", f"{eq.max_regret:.1e}", ""]
        rows.append("| " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
        if t_b <= 60.0 and (N, A) == (2, 2):
            largest = (S, N, A, t_b, int(game.nums_actions.sum()) + S * N + 1)
    head = [
        "# Stochastic games: logit-QRE homotopy, bargain vs sgamesolver",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, shared with other jobs (load "
        f"average {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end: absolute "
        "times are noisy), one BLAS thread "
        f"per solver, Python "
        f"{platform.python_version()}, NumPy {np.__version__}.  Random games, u ~ U[0, 1], "
        "transitions normalized exponentials, δ = 0.95; median of "
        f"{args.reps} runs up to {MANY_REPS_MAX} states, {args.reps_above} above (bargain's "
        "kernels loaded from the Numba cache beforehand).  "
        "Command: `python benchmarks/bench_dynamic.py"
        f"{' --quick' if args.quick else ''} --reps {args.reps} --reps-above "
        f"{args.reps_above}`.",
        "",
        "sgamesolver stops at a finite λ (convergence_tol 1e-7); bargain solves the limit on "
        "the support, so the difference of limits is O(1/λ) for mixed equilibria.",
        "",
        f"First call (fresh interpreter, 2-state game, not in the table): {cold[1]:.2f} s "
        f"with an empty Numba cache (JIT compilation), {warm[1]:.2f} s with the cache; "
        f"importing `bargain.dynamic` takes {warm[0]:.2f} s.",
        "",
    ]
    tail = []
    if largest is not None:
        S, N, A, t, n = largest
        tail = ["", f"The largest game measured within 60 s is {S} states × {N} players × {A} "
                f"actions ({n:,} unknowns): {t:.3g} s."]  # fmt: skip
    text = "\n".join(head + rows + tail) + "\n"
    if not args.quick:
        Path(args.out).write_text(text)
        print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
