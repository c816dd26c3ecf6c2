"""Per-call overhead on Gambit's small example games: bargain vs pygambit, per method.

Usage::

    python benchmarks/bench_small_games.py [--gambit DIR] [--max-profiles N] [--max-nodes N]

``DIR`` is a checkout of https://github.com/gambitproject/gambit (default: the
``GAMBIT_DIR`` environment variable, else ``/tmp/gambit``); fetching is not done here.
Every ``.nfg`` under it with two players and at most ``N`` pure profiles, and every
two-player ``.efg`` with perfect recall and at most ``N`` nodes, is solved in one run by:

* ``pure``: ``bargain.solve(g, method="pure")`` vs ``pygambit.nash.enumpure_solve``;
* ``vertex``: ``bargain.solve(g, method="vertex")`` vs ``nash.enummixed_solve(rational=False)``
  (normal forms);
* ``sequence_form``: ``bargain.solve(tree, method="sequence_form")`` vs
  ``nash.lp_solve(rational=False)`` on constant-sum trees, ``nash.lcp_solve(rational=False)``
  otherwise.

Each time is the median per call over repeated calls (``_timing.median_time``), after one
warm-up call (compiles excluded: the first-call cost is the subject of other fragments).
The ratio is bargain ÷ pygambit (below 1: bargain faster).  With ``--compile`` it also
runs, for each method, a first ``solve`` in a fresh interpreter with an empty
``NUMBA_CACHE_DIR`` on a small game, and records its seconds and the number of Numba
kernel signatures that call compiled.  Writes ``benchmarks/results/small_games.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
from pathlib import Path

from _timing import median_time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def corpus(base: Path, max_profiles: int, max_nodes: int):
    """(relative path, kind, bargain game, pygambit game) of the small two-player files."""
    import math

    import pygambit as gbt

    import bargain as bg

    out = []
    for path in sorted(base.rglob("*.nfg")) + sorted(base.rglob("*.efg")):
        try:
            game = bg.read_game(path)
        except Exception:  # unreadable or refused files are not timed here
            continue
        if len(game.players) != 2:
            continue
        if path.suffix == ".nfg":
            if math.prod(game.shape) > max_profiles:
                continue
            gg = _read(gbt.read_nfg, path)
            if gg is None:
                continue
            out.append((path.relative_to(base), "nfg", game, gg))
        else:
            if len(game.nodes) > max_nodes or game.is_symbolic:
                continue
            if not getattr(game, "perfect_recall", True):
                continue
            gg = _read(gbt.read_efg, path)
            if gg is None:
                continue
            out.append((path.relative_to(base), "efg", game, gg))
    return out


def _read(reader, path: Path):
    try:
        return reader(str(path))
    except ValueError:  # pygambit refuses some of its own files (duplicate node labels)
        return None


def time_pair(ours, theirs, budget: float = 2.0):
    """Median seconds of each, or None for a call that fails or takes over `budget`."""
    import time

    res = []
    for fn in (ours, theirs):
        t = time.perf_counter()
        try:
            fn()
        except Exception:  # a failure is reported as "-"
            res.append(None)
            continue
        if time.perf_counter() - t > budget:
            res.append(None)
            continue
        res.append(median_time(fn, reps=5))
    return res


_FIRST = """
import sys, time
sys.path.insert(0, {src!r})
import bargain as bg
game = bg.read_game({path!r})
t = time.perf_counter()
bg.solve(game, method={method!r})
seconds = time.perf_counter() - t
kernels = {{}}  # one entry per dispatcher, however many modules import it
for name, mod in list(sys.modules.items()):
    if name.startswith("bargain"):
        for obj in vars(mod).values():
            if hasattr(obj, "py_func") and hasattr(obj, "signatures"):
                kernels[id(obj)] = len(obj.signatures)
print(seconds, sum(kernels.values()))
"""

#: (method, corpus file) of the first-call measurement
FIRST_CALLS = (
    ("pure", "contrib/games/2x2.nfg"),
    ("vertex", "contrib/games/2x2.nfg"),
    ("support", "contrib/games/2x2.nfg"),
    ("lemke_howson", "contrib/games/2x2.nfg"),
    ("zero_sum", "contrib/games/2x2const.nfg"),
    ("logit", "contrib/games/2x2.nfg"),
    ("spe", "contrib/games/cent3.efg"),
    ("sequence_form", "doc/poker.efg"),
)


def first_calls(base: Path) -> list[tuple[str, str, float, int]]:
    """Seconds and kernel signatures compiled by a first solve, per method, cold cache."""
    import subprocess
    import tempfile

    out = []
    for method, rel in FIRST_CALLS:
        if not (base / rel).exists():
            continue
        with tempfile.TemporaryDirectory() as cache:
            code = _FIRST.format(src=str(ROOT / "src"), path=str(base / rel), method=method)
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            res = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
            )
            seconds, n = res.stdout.split()
            out.append((method, rel, float(seconds), int(n)))
    return out


def main() -> None:
    import pygambit as gbt

    import bargain as bg

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gambit", default=os.environ.get("GAMBIT_DIR", "/tmp/gambit"))
    ap.add_argument("--max-profiles", type=int, default=400)
    ap.add_argument("--max-nodes", type=int, default=80)
    ap.add_argument("--compile", action="store_true", help="also time first calls, cold cache")
    args = ap.parse_args()
    base = Path(args.gambit)
    if not base.is_dir():
        raise SystemExit(f"no Gambit checkout at {base}; pass --gambit DIR or set GAMBIT_DIR")
    files = corpus(base, args.max_profiles, args.max_nodes)
    rows: dict[str, list[tuple[str, str, float | None, float | None]]] = {
        "pure": [],
        "vertex": [],
        "sequence_form": [],
    }
    for rel, kind, game, gg in files:
        if kind == "nfg":
            size = "x".join(map(str, game.shape))
            rows["pure"].append(
                (
                    str(rel),
                    size,
                    *time_pair(
                        lambda g=game: bg.solve(g, method="pure"),
                        lambda g=gg: gbt.nash.enumpure_solve(g),
                    ),
                )
            )
            rows["vertex"].append(
                (
                    str(rel),
                    size,
                    *time_pair(
                        lambda g=game: bg.solve(g, method="vertex"),
                        lambda g=gg: gbt.nash.enummixed_solve(g, rational=False),
                    ),
                )
            )
        else:
            sums = game.flatten().payoffs.sum(axis=1)
            constant = sums.size == 0 or float(sums.max() - sums.min()) <= 1e-9
            theirs = gbt.nash.lp_solve if constant else gbt.nash.lcp_solve
            rows["sequence_form"].append(
                (
                    str(rel),
                    f"{len(game.nodes)} nodes",
                    *time_pair(
                        lambda t=game: bg.solve(t, method="sequence_form"),
                        lambda g=gg, f=theirs: f(g, rational=False),
                    ),
                )
            )
    write(rows, first_calls(base) if args.compile else [])


def write(rows, firsts) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [
        "## Small games: per-call overhead against pygambit",
        "",
        f"`python benchmarks/bench_small_games.py` on the two-player files of a Gambit "
        f"checkout with at most 400 pure profiles or 80 nodes — {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other jobs (load average {load:.1f} at the end "
        "of the run; ratios are measured side by side in one run), Python "
        f"{platform.python_version()}.  Median per call after a warm-up call; ratio = "
        "bargain ÷ pygambit (below 1: bargain faster).  `sequence_form` is compared with "
        "`lp_solve` on constant-sum trees, `lcp_solve` otherwise.",
        "",
        "| method | files (both finish) | median ratio | worst ratio | worst file |",
        "|---|---:|---:|---:|---|",
    ]
    detail = []
    for method, entries in rows.items():
        both = [(f, s, a, b) for f, s, a, b in entries if a is not None and b is not None]
        ratios = [a / b for _, _, a, b in both]
        if ratios:
            worst = max(range(len(ratios)), key=ratios.__getitem__)
            lines.append(
                f"| {method} | {len(both)} | {statistics.median(ratios):.2f} | "
                f"{ratios[worst]:.1f} | `{both[worst][0]}` |"
            )
        detail += [
            "",
            f"### {method}",
            "",
            "| file | size | bargain | pygambit | ratio |",
            "|---|---|---:|---:|---:|",
        ]
        for f, s, a, b in entries:
            ta = f"{a * 1e3:.3f} ms" if a is not None else "-"
            tb = f"{b * 1e3:.3f} ms" if b is not None else "-"
            r = f"{a / b:.2f}" if a is not None and b is not None else "-"
            detail.append(f"| `{f}` | {s} | {ta} | {tb} | {r} |")
    if firsts:
        lines += [
            "",
            "First `solve` in a fresh interpreter with an empty `NUMBA_CACHE_DIR` (compiles "
            "included), and the Numba kernel signatures it compiled:",
            "",
            "| method | file | seconds | signatures |",
            "|---|---|---:|---:|",
        ]
        lines += [f"| {m} | `{f}` | {t:.1f} | {n} |" for m, f, t, n in firsts]
    out = ROOT / "benchmarks" / "results" / "small_games.md"
    out.write_text("\n".join(lines + detail) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
