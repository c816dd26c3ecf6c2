"""Sequence-form Lemke (bargain) vs pygambit's lcp_solve on two-player trees.

Usage::

    python benchmarks/bench_sequence_form.py [--quick] [--repeats N] [--timeout S]

Games: Kuhn poker (Kuhn 1950), Leduc-style poker with 2 and 3 ranks (Southey et al.
2005), and random two-player trees with perfect recall of growing size (the generator of
``tests/solvers/seqform_trees.py``).  For each game, in one run:

* ours (Lemke): ``sequence_form(tree, zero_sum=False)`` — one tracing-procedure path from
  the uniform prior, the equilibrium verified on the tree;
* pygambit ``nash.lcp_solve(game, rational=False)`` (sequence-form Lemke in floating point,
  Gambit 16.7), on the same game read from the ``.efg`` text we write;
* for zero-sum games also ours (LP, HiGHS) vs pygambit ``nash.lp_solve(rational=False)``.

Our first call is timed in a fresh subprocess with an empty Numba cache (JIT compile
included); the steady-state numbers are medians of `repeats` calls.  pygambit runs in a
subprocess with a timeout (its Lemke can take minutes on poker trees).  Writes
``benchmarks/results/sequence_form.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import samples

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

_spec = importlib.util.spec_from_file_location(
    "seqform_trees", ROOT / "tests" / "solvers" / "seqform_trees.py"
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)

GAMES = {
    "kuhn": lambda: trees.kuhn_poker(),
    "random-d4": lambda: trees.random_tree(0, max_depth=4, chance=0.1),
    "random-d5": lambda: trees.random_tree(4, max_depth=5, chance=0.1),
    "random-d6": lambda: trees.random_tree(0, max_depth=6, chance=0.1),
    "random-d7": lambda: trees.random_tree(0, max_depth=7, chance=0.1),
    "random-d8": lambda: trees.random_tree(3, max_depth=8, chance=0.1),
    "random-d9": lambda: trees.random_tree(0, max_depth=9, chance=0.1),
    "random-d9b": lambda: trees.random_tree(4, max_depth=9, chance=0.1),
    "leduc-2": lambda: trees.leduc_poker(2),
    "leduc-3": lambda: trees.leduc_poker(3),
}
QUICK = ["kuhn", "random-d5", "random-d6", "leduc-2"]


def _gambit_worker(text: str, method: str, repeats: int, out) -> None:
    import pygambit

    g = pygambit.read_efg(io.StringIO(text))
    solver = getattr(pygambit.nash, method)
    pays = []
    # slow: fewer repeats
    times, res = samples(lambda: solver(g, rational=False), repeats, budget=5.0)
    for eq in res.equilibria:
        pays.append([float(eq.payoff(p)) for p in g.players])
    out.put((times, pays))


def gambit(text: str, method: str, repeats: int, timeout: float):
    q = mp.Queue()
    proc = mp.Process(target=_gambit_worker, args=(text, method, repeats, q))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return q.get()


FIRST_CALL = """
import sys, time, json, importlib.util
sys.path.insert(0, {src!r})
spec = importlib.util.spec_from_file_location("t", {trees!r})
t = importlib.util.module_from_spec(spec); spec.loader.exec_module(t)
tree = {factory}
from bargain.solvers.trees.sequence_form import sequence_form
t0 = time.perf_counter(); sequence_form(tree, zero_sum=False); print(time.perf_counter() - t0)
"""

FACTORY_SRC = {
    "kuhn": "t.kuhn_poker()",
    "random-d6": "t.random_tree(0, max_depth=6, chance=0.1)",
    "leduc-2": "t.leduc_poker(2)",
}


def first_call(name: str) -> float:
    code = FIRST_CALL.format(
        src=str(ROOT / "src"),
        trees=str(ROOT / "tests" / "solvers" / "seqform_trees.py"),
        factory=FACTORY_SRC[name],
    )
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=300.0)
    args = ap.parse_args()
    if args.quick:
        args.repeats = min(args.repeats, 3)
        args.timeout = min(args.timeout, 15.0)
    from bargain.games.gambit_io import game_to_text
    from bargain.solvers.trees._seqform_build import build_sequence_form
    from bargain.solvers.trees.sequence_form import sequence_form

    names = QUICK if args.quick else list(GAMES)
    rows, lp_rows = [], []
    jit = {n: first_call(n) for n in ("kuhn", "leduc-2")}
    for name in names:
        tree = GAMES[name]()
        text = game_to_text(tree, "efg")
        m, n = build_sequence_form(tree).shape
        sequence_form(tree, zero_sum=False)  # warm (JIT cache)
        ours, r = samples(lambda t=tree: sequence_form(t, zero_sum=False), args.repeats)
        eq = r[0]
        g_times, g_pays = gambit(text, "lcp_solve", max(1, min(args.repeats, 3)), args.timeout)
        row = {
            "game": name,
            "nodes": len(tree.nodes),
            "seqs": f"{m}+{n}",
            "pivots": eq.info["pivots"],
            "ours": statistics.median(ours),
            "regret": eq.max_regret,
            "gambit": None if g_times is None else statistics.median(g_times),
            "gambit_eqs": None if g_pays is None else len(g_pays),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        zero_sum = bool(
            abs(sum(sum(tree.nodes[i].payoffs) for i in tree.leaves)) < 1e-12
            and all(sum(tree.nodes[i].payoffs) == 0 for i in tree.leaves)
        )
        if zero_sum:
            lp, res = samples(lambda t=tree: sequence_form(t), args.repeats)
            v = res[0].info["value"]
            gl, gl_pays = gambit(text, "lp_solve", 1, args.timeout)
            lp_rows.append(
                {
                    "game": name,
                    "ours": statistics.median(lp),
                    "value": v,
                    "gambit": None if gl is None else statistics.median(gl),
                    "gambit_value": None if gl_pays is None else gl_pays[0][0],
                }
            )
            print(json.dumps(lp_rows[-1]), flush=True)
    write(rows, lp_rows, jit, args)


def fmt(t):
    return "—" if t is None else (f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s")


def write(rows, lp_rows, jit, args) -> None:
    out = ROOT / "benchmarks" / "results" / "sequence_form.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "## Sequence form: Lemke on two-player trees (bargain vs pygambit)",
        "",
        f"`python benchmarks/bench_sequence_form.py{' --quick' if args.quick else ''}` — "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; medians of {args.repeats} calls (pygambit: of up to 3, "
        f"timeout {args.timeout:g} s).  Ours: `sequence_form(tree, zero_sum=False)`, one "
        "path from the uniform prior, verification on the tree included.  pygambit 16.7: "
        "`nash.lcp_solve(game, rational=False)`; on a tree it cannot be limited to one path "
        "(`stop_after`/`max_depth` are refused for trees) and searches for further "
        "equilibria from each one found, so it does more work than one path: the speed-up "
        "is per call, not per path.",
        "",
        "| game | nodes | sequences | pivots | bargain | pygambit lcp_solve | speed-up | "
        "max regret |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["gambit"] is None:
            speed = f"> {args.timeout / r['ours']:.0f}×"
        else:
            speed = f"{r['gambit'] / r['ours']:.0f}×"
        gam = fmt(r["gambit"]) if r["gambit"] is not None else f"> {args.timeout:g} s"
        lines.append(
            f"| {r['game']} | {r['nodes']} | {r['seqs']} | {r['pivots']} | {fmt(r['ours'])} | "
            f"{gam} | {speed} | {r['regret']:.1e} |"
        )
    lines += [
        "",
        "First call with an empty Numba cache (JIT compile included, fresh process): "
        + ", ".join(f"{k} {fmt(v)}" for k, v in jit.items())
        + ".",
        "",
    ]
    if lp_rows:
        lines += [
            "Zero-sum trees, sequence-form LP: bargain (HiGHS) vs pygambit "
            "`nash.lp_solve(rational=False)`:",
            "",
            "| game | bargain | value | pygambit lp_solve | its value |",
            "|---|---:|---:|---:|---:|",
        ]
        for r in lp_rows:
            gv = "—" if r["gambit_value"] is None else f"{r['gambit_value']:.6f}"
            gam = fmt(r["gambit"]) if r["gambit"] is not None else f"> {args.timeout:g} s"
            lines.append(f"| {r['game']} | {fmt(r['ours'])} | {r['value']:.6f} | {gam} | {gv} |")
        lines.append("")
    out.write_text("\n".join(lines))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
