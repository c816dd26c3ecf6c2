"""Run bargain and pygambit side by side on every game file in a Gambit checkout.

Usage::

    git clone https://github.com/gambitproject/gambit /path/to/gambit   # once
    python benchmarks/gambit_corpus.py --gambit /path/to/gambit         # or GAMBIT_DIR=...
    python benchmarks/gambit_corpus.py --gambit DIR --only ttt,myerson --timeout 10

Fetching is not done at run time: point ``--gambit`` (or the ``GAMBIT_DIR`` environment
variable) at a checkout, or at any folder holding its ``contrib/games``, ``tests/test_games``
and ``catalog`` trees (all ``*.nfg`` and ``*.efg`` below the folder are used; 234 files at
commit ``8883f759``).  pygambit must be importable (the ``crosscheck`` extra).

For each file it parses with both and compares the structure (players, strategies or
information sets and actions, payoffs, chance probabilities, reduced strategies), then
for each method solves with both, verifies bargain's equilibria (regret <= 1e-6 times
the payoff range, computed by bargain's regret functions on the game), compares the
equilibrium sets (the sorted equilibrium payoff vectors, and for normal forms the
profiles), and times both: the first call reported separately, then the median of up to
``--reps`` calls.  Every solve runs in a worker process that is killed after
``--timeout`` seconds, so one file cannot hang the run.  Writes
``benchmarks/results/gambit_corpus.md`` (the summary) and ``gambit_corpus.csv`` (one row
per file and method).
"""

from __future__ import annotations

import argparse
import csv
import math
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "results"
TOL = 1e-6

# method -> (applies to, bargain call, pygambit call); see _bargain and _gambit
METHODS = {
    "pure": "normal forms and reduced forms of perfect-recall trees: every pure equilibrium",
    "vertex": "normal forms (2 players): all extreme equilibria vs enummixed",
    "vertex_reduced": "trees: vertex on the reduced strategic form vs enummixed on the tree",
    "sequence_form": "2-player perfect-recall trees: sequence form vs lcp_solve",
    "logit": "logit QRE limit vs logit_solve",
    "agent_pure": "imperfect-recall trees: pure agent equilibria vs enumpure_agent_solve",
    "agent_logit": "imperfect-recall trees: agent logit QRE vs logit_solve (agent form)",
}


# -- the worker (runs in a child process) ----------------------------------------------------


def _worker(conn) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import pygambit  # noqa: F401

    import bargain  # noqa: F401

    while True:
        task = conn.recv()
        if task is None:
            return
        try:
            conn.send(("ok", _run(*task)))
        except Exception as exc:  # report, never die: the parent records the message
            conn.send(("error", f"{type(exc).__name__}: {str(exc)[:160]}"))


def _run(kind: str, path: str, method: str, reps: int, budget: float) -> dict:
    if kind == "parse":
        return _parse(path)
    fn = _bargain(path, method) if kind == "bargain" else _gambit(path, method)
    t = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t
    times = []
    while len(times) < reps and first + sum(times) < budget:
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    summary = _summarize_bargain(path, method, out) if kind == "bargain" else out[1]
    median = statistics.median(times) if times else first
    return {"first": first, "median": median, **summary}


def _game(path: str):
    import bargain as bg

    return bg.read_game(path)


def _bargain(path: str, method: str):
    import bargain as bg

    game = _game(path)
    tree = isinstance(game, bg.GameTree)
    if method in ("pure", "vertex_reduced") and tree:
        if not game.perfect_recall and method == "pure":
            raise NotApplicable("strategic pure on an imperfect-recall tree: see agent_pure")
        m = "vertex" if method == "vertex_reduced" else "pure"
        return lambda: bg.solve(game.to_normal_form(), method=m)
    if method == "vertex" and tree:
        raise NotApplicable("tree")
    if method == "vertex_reduced" and not tree:
        raise NotApplicable("normal form")
    if method in ("sequence_form", "agent_pure", "agent_logit") and not tree:
        raise NotApplicable("normal form")
    if method == "logit" and tree and not game.perfect_recall:
        raise NotApplicable("imperfect recall: see agent_logit")
    if method in ("agent_pure", "agent_logit") and game.perfect_recall:
        raise NotApplicable("perfect recall")
    if method == "sequence_form" and (game.n_players != 2 or not game.perfect_recall):
        raise NotApplicable("not a 2-player perfect-recall tree")
    if method == "vertex" and game.n_players != 2:
        raise NotApplicable("not 2 players")
    if method == "sequence_form":
        return lambda: bg.solve(game, method="sequence_form")
    return lambda: bg.solve(game, method=method)


class NotApplicable(Exception):
    pass


def _scale(payoffs) -> float:
    import numpy as np

    return max(1.0, max(float(np.ptp(np.asarray(a, float))) for a in payoffs))


def _summarize_bargain(path: str, method: str, result) -> dict:
    import numpy as np

    import bargain as bg

    game = result.game
    regrets = []
    for eq in result.equilibria:
        if eq.strategies is not None:
            regrets.append(float(np.max(bg.regret(game, eq.strategies))))
        elif method.startswith("agent"):
            from bargain.solvers.trees.agent import AgentArrays

            arr = AgentArrays(game)
            slots = arr.slots(eq.behavior)
            r = arr.set_regrets(slots) if method == "agent_pure" else arr.regrets(slots)
            regrets.append(float(r.max(initial=0.0)))
        else:
            regrets.append(float(np.max(bg.regret(game, eq.behavior))))
    if isinstance(game, bg.GameTree):
        scale = max(1.0, float(np.ptp(game.flatten().payoffs)))
    else:
        scale = _scale(game.payoffs)
    return {
        "n": len(result.equilibria),
        "complete": bool(result.complete),
        "max_regret": max(regrets, default=0.0),
        "verified": all(r <= TOL * scale for r in regrets),
        "payoffs": sorted(
            {tuple(round(float(x), 6) for x in eq.payoffs) for eq in result.equilibria}
        ),
        "profiles": sorted(
            {
                tuple(round(float(x), 6) for s in eq.strategies for x in s)
                for eq in result.equilibria
                if eq.strategies is not None
            }
        ),
    }


def _gambit(path: str, method: str):
    import pygambit as gbt

    nfg = path.endswith(".nfg")
    g = gbt.read_nfg(path) if nfg else gbt.read_efg(path)
    recall = nfg or g.is_perfect_recall
    two = len(g.players) == 2
    calls = {
        "pure": (recall, lambda: gbt.nash.enumpure_solve(g)),
        "vertex": (nfg and two, lambda: gbt.nash.enummixed_solve(g, rational=False)),
        "vertex_reduced": (
            not nfg and two and recall,
            lambda: gbt.nash.enummixed_solve(g, rational=False),
        ),
        "sequence_form": (
            not nfg and two and recall,
            lambda: gbt.nash.lcp_solve(g, rational=False),
        ),
        "logit": (recall, lambda: gbt.nash.logit_solve(g)),
        "agent_pure": (not recall, lambda: gbt.nash.enumpure_agent_solve(g)),
        "agent_logit": (not recall, lambda: gbt.nash.logit_solve(g)),
    }
    ok, call = calls[method]
    if not ok:
        raise NotApplicable("not for this game")

    def run():
        r = call()
        pays = sorted(
            {tuple(round(float(eq.payoff(p)), 6) for p in g.players) for eq in r.equilibria}
        )
        profiles = []
        if nfg:
            for eq in r.equilibria:
                profiles.append(
                    tuple(round(float(eq[s]), 6) for p in g.players for s in p.strategies)
                )
        distinct = sorted(set(profiles))  # enummixed may list one equilibrium many times
        n = len(distinct) if nfg else len(r.equilibria)
        return r, {"n": n, "listed": len(r.equilibria), "payoffs": pays, "profiles": distinct}

    return run


def _parse(path: str) -> dict:
    import numpy as np
    import pygambit as gbt

    import bargain as bg

    t = time.perf_counter()
    ours = bg.read_game(path)
    t_ours = time.perf_counter() - t
    t = time.perf_counter()
    try:
        g = gbt.read_nfg(path) if path.endswith(".nfg") else gbt.read_efg(path)
    except Exception as exc:  # e.g. holdout.efg: duplicate information set labels
        recall = getattr(ours, "perfect_recall", True)
        return {"diffs": [f"pygambit cannot read it ({exc})"], "recall": recall,
                "t_ours": t_ours, "t_gambit": float("nan")}  # fmt: skip
    t_gbt = time.perf_counter() - t
    diffs = []
    if [p.label for p in g.players] != list(ours.players):
        diffs.append("player names")
    if isinstance(ours, bg.NormalFormGame):
        counts = [len(p.strategies) for p in g.players]
        if counts != list(ours.shape):
            diffs.append(f"strategies {counts} vs {list(ours.shape)}")
        else:
            strategies = [list(p.strategies) for p in g.players]
            import itertools

            for idx in itertools.product(*(range(k) for k in counts)):
                prof = g[tuple(strategies[i][k] for i, k in enumerate(idx))]
                for i, p in enumerate(g.players):
                    if not math.isclose(float(prof[p]), float(ours.payoffs[i][idx]), rel_tol=1e-12):
                        diffs.append(f"payoff at {idx}")
                        break
                if diffs:
                    break
        return {"diffs": diffs, "t_ours": t_ours, "t_gambit": t_gbt, "recall": True}
    # trees: information sets and actions per player, chance probabilities, leaf payoffs
    isets = [sorted(len(s.actions) for s in p.infosets) for p in g.players]
    mine = [
        sorted(len(s.actions) for s in ours.infosets if s.player == i)
        for i in range(ours.n_players)
    ]
    if isets != mine:
        diffs.append(f"information sets/actions {isets} vs {mine}")
    probs, leaves = [], []
    stack = [(g.root, np.zeros(len(g.players)))]
    while stack:
        node, acc = stack.pop()
        try:  # pygambit 16.7: indexing a node without outcome raises KeyError
            acc = acc + np.array([float(node.outcome[p]) for p in g.players])
        except (KeyError, TypeError):
            pass
        if node.is_terminal:
            leaves.append(tuple(np.round(acc, 9)))
            continue
        if node.player.is_chance:
            probs.extend(float(a.prob) for a in node.infoset.actions)
        stack.extend((c, acc) for c in node.children)
    my_probs = [float(p) for n in ours.nodes if n.kind == "chance" for p in n.probabilities]
    if not np.allclose(sorted(probs), sorted(my_probs), atol=1e-12):
        diffs.append("chance probabilities")
    my_leaves = [tuple(np.round([float(x) for x in ours.nodes[i].payoffs], 9)) for i in ours.leaves]
    if sorted(leaves) != sorted(my_leaves):
        diffs.append("leaf payoffs")
    if g.is_perfect_recall != ours.perfect_recall:
        diffs.append("perfect recall")
    if g.is_perfect_recall and ours.perfect_recall:
        from bargain.games.reduced import reduced_strategies

        try:
            mine_k = [
                len(reduced_strategies(ours, i, max_plans=100_000)) for i in range(ours.n_players)
            ]
            theirs = [len(p.strategies) for p in g.players]
            if mine_k != theirs:
                diffs.append(f"reduced strategies {theirs} vs {mine_k}")
        except bg.errors.GameShapeError:
            pass
    return {"diffs": diffs, "t_ours": t_ours, "t_gambit": t_gbt, "recall": ours.perfect_recall}


# -- the parent: tasks with timeouts ---------------------------------------------------------


class Pool:
    """One worker process; a task that outlives its timeout kills it (a new one starts)."""

    def __init__(self) -> None:
        self.proc = None
        self.conn = None

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()

    def run(self, task: tuple, timeout: float):
        if self.proc is None or not self.proc.is_alive():
            self._start()
            self.conn.send(("parse", "", "", 0, 0.0))  # wait out the imports, untimed
            self.conn.recv()
        self.conn.send(task)
        if self.conn.poll(timeout + 5):  # the timed calls stop by `timeout`; slack to start
            return self.conn.recv()
        self.proc.kill()
        self.proc.join()
        self.proc = None
        return ("timeout", f"> {timeout:g} s")

    def close(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.conn.send(None)
            self.proc.join(5)


def _files(root: Path, only: list[str] | None) -> list[Path]:
    files = sorted(p for p in root.rglob("*") if p.suffix in (".nfg", ".efg") and p.is_file())
    if only:
        files = [p for p in files if any(o in str(p) for o in only)]
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gambit", default=os.environ.get("GAMBIT_DIR"), help="Gambit checkout")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per solve")
    ap.add_argument("--reps", type=int, default=3, help="timed calls after the first")
    ap.add_argument("--only", default="", help="comma-separated substrings of paths")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument(
        "--summary-only",
        action="store_true",
        help="rewrite gambit_corpus.md from the CSV of the last run (no solving)",
    )
    args = ap.parse_args(argv)
    if args.summary_only:
        rows, meta = _read_csv()
        files = [Path(f) for f in sorted({r["file"] for r in rows})]
        _write(rows, files, None, argparse.Namespace(**meta), meta["load"], meta["elapsed"])
        return 0
    if not args.gambit or not Path(args.gambit).is_dir():
        ap.error("point --gambit (or GAMBIT_DIR) at a Gambit checkout")
    root = Path(args.gambit)
    files = _files(root, [o for o in args.only.split(",") if o] or None)
    methods = [m for m in args.methods.split(",") if m]
    pool = Pool()
    rows = []
    load = os.getloadavg()[0]
    start = time.time()
    for k, path in enumerate(files):
        rel = str(path.relative_to(root))
        status, parse = pool.run(("parse", str(path), "", 0, 0.0), args.timeout)
        prow = {"file": rel, "method": "parse", "bargain": status, "gambit": status}
        if status == "ok":
            prow["agree"] = "yes" if not parse["diffs"] else "no: " + "; ".join(parse["diffs"])
            prow["bargain_median_s"] = parse["t_ours"]
            prow["gambit_median_s"] = parse["t_gambit"]
            prow["perfect_recall"] = parse["recall"]
        else:
            prow["agree"] = parse
        rows.append(prow)
        print(f"[{k + 1}/{len(files)}] {rel}: parse {prow['agree']}", flush=True)
        for m in methods:
            row = {"file": rel, "method": m, "perfect_recall": prow.get("perfect_recall")}
            res = {}
            for side in ("bargain", "gambit"):
                st, out = pool.run((side, str(path), m, args.reps, args.timeout), args.timeout)
                if st == "error" and out.startswith("NotApplicable"):
                    st, out = "n/a", ""
                res[side] = (st, out)
            if res["bargain"][0] == "n/a":  # not this game's method (pygambit's either)
                continue
            for side in ("bargain", "gambit"):
                st, out = res[side]
                row[side] = st if st != "ok" else "ok"
                if st == "ok":
                    row[f"{side}_n"] = out["n"]
                    row[f"{side}_listed"] = out.get("listed", out["n"])
                    row[f"{side}_first_s"] = out["first"]
                    row[f"{side}_median_s"] = out["median"]
                else:
                    row[f"{side}_error"] = out
            if res["bargain"][0] == "ok":
                b = res["bargain"][1]
                row["verified"] = b["verified"]
                row["max_regret"] = b["max_regret"]
                row["complete"] = b["complete"]
            if res["bargain"][0] == "ok" and res["gambit"][0] == "ok":
                b, g = res["bargain"][1], res["gambit"][1]
                same = b["payoffs"] == g["payoffs"] and (
                    not b["profiles"] or not g["profiles"] or b["profiles"] == g["profiles"]
                )
                row["agree"] = "yes" if same else "no"
                row["ratio"] = b["median"] / max(g["median"], 1e-9)
            rows.append(row)
            print(f"    {m}: {row.get('bargain')} {row.get('gambit')} agree={row.get('agree')} "
                  f"ratio={row.get('ratio', float('nan')):.3g}", flush=True)  # fmt: skip
    pool.close()
    elapsed = time.time() - start
    (OUT / "gambit_corpus.meta").write_text(
        f"{args.timeout} {args.reps} {load} {elapsed}\n", encoding="utf-8"
    )
    _write(rows, files, root, args, load, elapsed)
    return 0


def _read_csv() -> tuple[list[dict], dict]:
    """The rows of the last run's CSV, typed as :func:`main` builds them."""
    with open(OUT / "gambit_corpus.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in list(r):
            if r[k] == "":
                del r[k]
        for k in ("ratio", "max_regret"):
            if k in r:
                r[k] = float(r[k])
        for k in ("bargain_n", "gambit_n"):
            if k in r:
                r[k] = int(r[k])
        for k in ("verified", "perfect_recall", "complete"):
            if k in r:
                r[k] = r[k] == "True"
    timeout, reps, load, elapsed = (OUT / "gambit_corpus.meta").read_text().split()
    meta = {"timeout": float(timeout), "reps": int(reps), "load": float(load)}
    return rows, {**meta, "elapsed": float(elapsed)}


def _write(rows, files, root, args, load, elapsed) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    keys = ["file", "method", "perfect_recall", "bargain", "gambit", "agree", "verified",
            "complete", "max_regret", "bargain_n", "gambit_n", "gambit_listed", "bargain_first_s",
            "bargain_median_s", "gambit_first_s", "gambit_median_s", "ratio",
            "bargain_error", "gambit_error"]  # fmt: skip
    with open(OUT / "gambit_corpus.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    parse = [r for r in rows if r["method"] == "parse"]
    unreadable = [
        r["file"]
        for r in parse
        if "pygambit cannot read" in str(r.get("agree")) or "Parse error" in str(r.get("agree"))
    ]
    differ = [r for r in parse if r.get("agree") != "yes" and r["file"] not in unreadable]
    n_nfg = sum(1 for p in files if p.suffix == ".nfg")
    lines = [
        "## Gambit's example games: bargain vs pygambit, file by file",
        "",
        f"`python benchmarks/gambit_corpus.py --gambit DIR` over the {len(files)} game files "
        f"({n_nfg} `.nfg`, {len(files) - n_nfg} `.efg`) of a Gambit checkout "
        "(`git clone https://github.com/gambitproject/gambit`; here commit `8883f759`) — "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load:.1f} at the start (the machine was shared with other jobs: "
        "absolute times are noisy, the ratios within one run are like for like); "
        f"per-solve timeout {args.timeout:g} s, median of up to {args.reps} calls after the "
        f"first (the first call, which may compile, is in the CSV); {elapsed / 60:.0f} min in "
        "all. Per-file rows: `benchmarks/results/gambit_corpus.csv`.",
        "",
        "Equilibria agree when the sets of distinct equilibrium payoff vectors are equal "
        "(and, on normal forms, the sets of distinct profiles: pygambit's enummixed lists "
        "some equilibria of degenerate games several times, `gambit_listed` in the CSV; "
        "on trees the payoff sets, as the strategy orders differ); bargain's equilibria are "
        f"verified with bargain's regret functions (regret <= {TOL:g} x payoff range).  "
        "Ratio: bargain ÷ pygambit median time on the same file.",
        "",
        f"Parse: {sum(r.get('agree') == 'yes' for r in parse)} of {len(parse)} files read "
        "with the same structure by both (players, strategies or information sets and "
        "actions, payoffs, chance probabilities, reduced strategy counts)"
        + (
            "; pygambit cannot read " + ", ".join(f"`{Path(f).name}`" for f in unreadable)
            if unreadable
            else ""
        )
        + (
            "; differ: " + "; ".join(f"`{Path(r['file']).name}` ({r['agree']})" for r in differ)
            if differ
            else ""
        )
        + ".",
        "",
        "| method | files | both solved | agree | bargain verified | bargain only | "
        "pygambit only | median ratio | worst ratio (file) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in METHODS:
        rs = [r for r in rows if r["method"] == m]
        if not rs:
            continue
        both = [r for r in rs if r.get("bargain") == "ok" and r.get("gambit") == "ok"]
        ratios = [r["ratio"] for r in both]
        worst = max(both, key=lambda r: r["ratio"], default=None)
        worst_s = f"{worst['ratio']:.2f} (`{Path(worst['file']).name}`)" if worst else "-"
        lines.append(
            f"| `{m}` | {len(rs)} | {len(both)} | {sum(r.get('agree') == 'yes' for r in both)} "
            f"| {sum(bool(r.get('verified')) for r in rs)} "
            f"| {sum(r.get('bargain') == 'ok' and r.get('gambit') != 'ok' for r in rs)} "
            f"| {sum(r.get('gambit') == 'ok' and r.get('bargain') != 'ok' for r in rs)} "
            f"| {statistics.median(ratios):.2f} | {worst_s} |"
            if ratios
            else f"| `{m}` | {len(rs)} | 0 | - | {sum(bool(r.get('verified')) for r in rs)} "
            f"| {sum(r.get('bargain') == 'ok' for r in rs)} | - | - | - |"
        )
    lines += ["", "Methods: " + "; ".join(f"`{m}`: {w}" for m, w in METHODS.items()) + "."]
    ir = sorted(
        {r["file"] for r in parse if r.get("perfect_recall") is False}
        | {r["file"] for r in rows if r["method"] in ("agent_pure", "agent_logit")}
    )
    solved = {
        r["file"]
        for r in rows
        if r["method"] != "parse" and r.get("verified") and (r.get("bargain_n") or 0) > 0
    }
    lines += [
        "",
        f"Imperfect recall: {len(ir)} files; {len(solved & set(ir))} solved by at least one "
        "method with a verified equilibrium (strategic-form methods on the reduced form, "
        "or the agent form).",
    ]
    missed = [f for f in ir if f not in solved]
    if missed:
        lines.append("Not solved: " + ", ".join(f"`{f}`" for f in missed) + ".")
    enumerating = ("pure", "vertex", "vertex_reduced", "agent_pure")
    disagree = [r for r in rows if r["method"] in enumerating and r.get("agree") == "no"]
    lines += [
        "",
        "`sequence_form`, `logit` and `agent_logit` return one equilibrium each (the end of "
        "one Lemke path, the limit of one logit branch; bargain's tree `logit` works on the "
        "reduced strategic form, pygambit's on the agent form), so a different equilibrium "
        "there is not an error when bargain's is verified.  The enumerating methods "
        "(`pure`, `vertex`, `vertex_reduced`, `agent_pure`) must agree:",
        "",
    ]
    if disagree:
        lines += [
            f"- `{r['file']}`: {r['method']}, {r.get('bargain_n')} vs {r.get('gambit_n')} "
            "equilibria (bargain vs pygambit)"
            for r in disagree
        ]
    else:
        lines.append("- no disagreement.")
    (OUT / "gambit_corpus.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'gambit_corpus.md'} and gambit_corpus.csv")


if __name__ == "__main__":
    sys.exit(main())
