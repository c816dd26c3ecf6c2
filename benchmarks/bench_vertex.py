"""Benchmark: all extreme equilibria of bimatrix games (``method="vertex"``) against peers.

Peers, on the same games in one run: QuantEcon ``vertex_enumeration`` (Numba + qhull),
pygambit ``enummixed_solve(rational=False)`` (and ``rational=True`` as the exact reference
on degenerate games), nashpy ``vertex_enumeration`` (small n only), and the ``lrsnash``
binary of lrslib when it is on PATH (timed as a subprocess, so it includes process start).

Usage::

    python benchmarks/bench_vertex.py --quick     # < 1 minute
    python benchmarks/bench_vertex.py             # n = 4..15, writes benchmarks/results/vertex.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
from _timing import first_call_seconds, timed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bargain.games.normal_form import NormalFormGame  # noqa: E402
from bargain.solvers.normal_form.vertex import vertex_enumeration  # noqa: E402

COLD = """
import time, numpy as np, sys
sys.path.insert(0, {src!r})
t0 = time.perf_counter()
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.vertex import vertex_enumeration
rng = np.random.default_rng(0)
g = NormalFormGame([rng.standard_normal((4, 4)), rng.standard_normal((4, 4))])
t = time.perf_counter(); vertex_enumeration(g); a = time.perf_counter() - t
g = NormalFormGame([rng.integers(0, 3, (4, 4)), rng.integers(0, 3, (4, 4))])
t = time.perf_counter(); vertex_enumeration(g); b = time.perf_counter() - t
print(a, b)
"""


# ---------------------------------------------------------------- peers
def ours(A, B):
    return len(vertex_enumeration(NormalFormGame([A, B])))


def quantecon(A, B):
    import quantecon.game_theory as gt

    g = gt.NormalFormGame((gt.Player(A), gt.Player(B.T)))
    return len(gt.vertex_enumeration(g))


def _gambit_game(A, B, rational_payoffs):
    import pygambit as gbt

    if rational_payoffs:
        conv = [[[gbt.Rational(str(Fraction(float(x)))) for x in r] for r in M] for M in (A, B)]
        return gbt.Game.from_arrays(*conv)
    return gbt.Game.from_arrays(A, B)


def gambit_float(A, B):
    import pygambit as gbt

    return len(gbt.nash.enummixed_solve(_gambit_game(A, B, False), rational=False).equilibria)


def gambit_rational(A, B):
    """(distinct equilibria, equilibria as listed): Gambit lists some twice in degenerate
    games (one vertex reached from several bases)."""
    import pygambit as gbt

    g = _gambit_game(A, B, True)
    eqs = gbt.nash.enummixed_solve(g, rational=True).equilibria
    distinct = {tuple(tuple(str(eq[p][s]) for s in p.strategies) for p in g.players) for eq in eqs}
    return len(distinct), len(eqs)


def nashpy(A, B):
    import nashpy as nash

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return len(list(nash.Game(A, B).vertex_enumeration()))


LRSNASH = shutil.which("lrsnash")


def lrsnash(A, B):
    """lrsnash on exact rationals (floats written at their binary value)."""
    m, n = A.shape

    def rows(M):
        return "\n".join(" ".join(str(Fraction(float(x))) for x in r) for r in M)

    with tempfile.NamedTemporaryFile("w", suffix=".lrs", delete=False) as fh:
        fh.write(f"{m} {n}\n\n{rows(A)}\n\n{rows(B)}\n")
        path = fh.name
    try:
        out = subprocess.run([LRSNASH, path], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(path)
    # each equilibrium block: lines "2 ..." (player-2 strategies, one per clique member)
    # then "1 ..." lines; count pairs = (#1-lines) x (#2-lines) per block
    count, ones, twos = 0, 0, 0
    for line in [*out.splitlines(), ""]:
        s = line.split()
        if s and s[0] == "1":
            ones += 1
        elif s and s[0] == "2":
            twos += 1
        elif not s and (ones or twos):
            count += ones * twos
            ones = twos = 0
    return count


NOTES = """
Notes.  Times exclude first-call JIT (every Numba peer is warmed up first); medians over
games × repetitions.  `bargain vertex` on float payoffs enumerates the vertices of P by
lexicographic reverse search and solves for each its complementary vertex of Q, with a
guard that sends near-degenerate games to exact arithmetic; on integer payoffs it runs
exact fraction-free integer pivoting (int64 with 128-bit products) on both polytopes.
QuantEcon enumerates both polytopes with qhull in floating point and misses most
equilibria of degenerate games (its counts above); nashpy's vertex enumeration
(floating-point halfspace intersection) also misses some.  lrsnash is timed as a
subprocess (process start and file I/O included, a few ms).  At each size the peers ran
one after another on the same games.  The warm-cache first call in a fresh interpreter is
mostly Numba's own start-up (import and target initialisation, about 0.35 s on this
machine, see the normal-form fragment), paid by whichever Numba function runs first:
here the float path; the integer path then only loads its own kernels."""


# ---------------------------------------------------------------- runs
def random_games(n: int, k: int, seed: int):
    rng = np.random.default_rng(seed + 1000 * n)
    return [(rng.standard_normal((n, n)), rng.standard_normal((n, n))) for _ in range(k)]


def degenerate_games(n: int, k: int, seed: int, high: int):
    rng = np.random.default_rng(seed + 7000 * n + high)
    return [
        (
            rng.integers(0, high, (n, n)).astype(float),
            rng.integers(0, high, (n, n)).astype(float),
        )
        for _ in range(k)
    ]


def run(quick: bool) -> str:
    load_start = os.getloadavg()[0]
    sizes = [4, 6, 8, 10] if quick else list(range(4, 16))
    k = 2 if quick else 3
    peers = [
        ("bargain vertex", ours, 99),
        ("QuantEcon", quantecon, 99),
        ("pygambit enummixed (float)", gambit_float, 8 if quick else 11),
        ("nashpy", nashpy, 5 if quick else 6),
    ]
    if LRSNASH:
        peers.append(("lrsnash", lrsnash, 99))
    budget = 2.0 if quick else 20.0  # stop a peer once one game takes longer than this
    # warm-up: JIT/caches of every Numba peer, excluded from the steady-state medians
    A0, B0 = random_games(4, 1, 99)[0]
    ours(A0, B0)
    ours(np.round(A0), np.round(B0))
    quantecon(A0, B0)
    gambit_float(A0, B0)
    nashpy(A0, B0)
    lines = []
    lines.append("### Random games (standard normal payoffs), median time per game\n")
    header = "| n | " + " | ".join(p[0] for p in peers) + " | equilibria (ours) |"
    lines.append(header)
    lines.append("|" + "---|" * (len(peers) + 2))
    stopped: set[str] = set()
    for n in sizes:
        games = random_games(n, k, 0)
        cells, counts = [], {}
        for name, fn, nmax in peers:
            if n > nmax or name in stopped:
                cells.append("—")
                continue
            reps = 3 if name in ("bargain vertex", "QuantEcon") else 1
            ts = []
            for A, B in games:
                t, c = timed(lambda A=A, B=B, fn=fn: fn(A, B), reps)
                ts.append(t)
                counts.setdefault(name, []).append(c)
            med = statistics.median(ts)
            if med > budget:
                stopped.add(name)
            cells.append(f"{med * 1e3:.1f} ms")
        mine = counts["bargain vertex"]
        mism = [nm for nm, c in counts.items() if c != mine]
        note = f"{mine}" + (f" (differs: {', '.join(mism)})" if mism else "")
        lines.append(f"| {n} | " + " | ".join(cells) + f" | {note} |")
        print(lines[-1], flush=True)

    lines.append("\n### Degenerate integer games: equilibria found (and median time per game)\n")
    lines.append(
        "Payoffs drawn uniformly from {0, …, h−1}; totals over the games.  Reference: the "
        "distinct equilibria of pygambit `enummixed_solve(rational=True)` (exact); Gambit "
        "itself lists some of them twice (count in brackets).\n"
    )
    lines.append(
        "| n | h | games | reference (gambit rational) | bargain vertex | QuantEcon | "
        "nashpy | lrsnash | bargain time | QuantEcon time |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    dsizes = [(4, 2), (6, 2), (6, 3)] if quick else [(4, 2), (6, 2), (6, 3), (8, 2), (8, 3)]
    for n, h in dsizes:
        games = degenerate_games(n, 5 if quick else 10, 0, h)
        refs = [gambit_rational(A, B) for A, B in games]
        ref = f"{sum(r[0] for r in refs)} ({sum(r[1] for r in refs)})"
        tot = {"ours": 0, "qe": 0, "np": 0, "lrs": 0}
        t_ours, t_qe = [], []
        for A, B in games:
            t, c = timed(lambda A=A, B=B: ours(A, B), 3)
            t_ours.append(t)
            tot["ours"] += c
            t, c = timed(lambda A=A, B=B: quantecon(A, B), 3)
            t_qe.append(t)
            tot["qe"] += c
            tot["np"] += nashpy(A, B) if n <= 6 else 0
            tot["lrs"] += lrsnash(A, B) if LRSNASH else 0
        npc = str(tot["np"]) if n <= 6 else "—"
        lrc = str(tot["lrs"]) if LRSNASH else "—"
        lines.append(
            f"| {n} | {h} | {len(games)} | {ref} | {tot['ours']} | {tot['qe']} | {npc} | {lrc} | "
            f"{statistics.median(t_ours) * 1e3:.2f} ms | {statistics.median(t_qe) * 1e3:.2f} ms |"
        )
        print(lines[-1], flush=True)

    warm = first_call_seconds(COLD, None)
    lines.append("\n### First call in a fresh interpreter (4×4 game)\n")
    lines.append("| Numba cache | float path | exact integer path |")
    lines.append("|---|---|---|")
    if not quick:  # compiling everything from scratch takes tens of seconds
        with tempfile.TemporaryDirectory() as tmp:
            cold = first_call_seconds(COLD, tmp)
        lines.append(f"| empty (compiles) | {cold[0]:.2f} s | {cold[1]:.2f} s |")
    lines.append(f"| warm (`cache=True`) | {warm[0] * 1e3:.0f} ms | {warm[1] * 1e3:.0f} ms |")
    lines.append(NOTES)
    env = (
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, numpy {np.__version__}. "
        f"lrsnash: {'`' + LRSNASH + '`' if LRSNASH else 'not installed (skipped)'}. "
        f"Command: `python benchmarks/bench_vertex.py{' --quick' if quick else ''}`.  "
        f"Load average (1-minute) {load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end."
    )
    lines.append(env)
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only (< 1 minute)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "vertex.md"))
    args = ap.parse_args()
    body = run(args.quick)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("## Vertex enumeration (all extreme equilibria)\n\n" + body)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
