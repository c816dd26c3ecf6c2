"""Run pygambit on exactly the games the tests compare with Gambit, and store its answers.

Usage (from the repository root, with pygambit installed: the ``crosscheck`` extra)::

    python tests/data/gambit/regenerate.py          # rewrite the JSON files here
    python tests/data/gambit/regenerate.py --check  # compare live pygambit with them

The games are not listed here: each test module names the games it compares
(``GAMBIT_GAMES`` or ``GAMBIT_TREES``), and this script loads those modules, so the tests and
the stored answers cannot drift apart silently (each answer also stores its game, and
``stored.py`` refuses an answer for another game). The stored files, by pygambit call:

==================  =======================================================================
``enummixed.json``  ``nash.enummixed_solve(Game.from_arrays(A, B), rational=True)``: the
                    extreme equilibria, exact (test_support, test_vertex)
``logit.json``      ``nash.logit_solve(Game.from_arrays(*payoffs)).equilibria[0]`` (test_logit)
``lp.json``         ``nash.lp_solve(read_efg(tree), rational=True)``: payoffs (test_sequence_form)
``lcp.json``        ``nash.lcp_solve(read_efg(tree), rational=False)``: behavior and payoffs
``read_efg.json``   ``read_efg(fixture)``: preorder kinds, payoffs, probabilities (test_gambit_io)
``read_nfg.json``   ``read_nfg(fixture)``: each player's payoffs (test_gambit_io)
==================  =======================================================================

This module is imported (not run) by pytest's doctest collection and by
``tests/crosscheck/test_pygambit_live.py``; pygambit is imported only inside functions.
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import sys
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).parent
TESTS = HERE.parents[1]
DATA = TESTS / "data"
# the test modules that name the games they compare with Gambit
SOURCES = {
    "enummixed": ["solvers/test_support.py", "solvers/test_vertex.py"],
    "logit": ["solvers/test_logit.py"],
    "lp": ["solvers/test_sequence_form.py"],
    "lcp": ["solvers/test_sequence_form.py"],
}
CALLS = {
    "enummixed": "pygambit.nash.enummixed_solve(pygambit.Game.from_arrays(A, B), rational=True)",
    "logit": "pygambit.nash.logit_solve(pygambit.Game.from_arrays(*payoffs)).equilibria[0]",
    "lp": "pygambit.nash.lp_solve(pygambit.read_efg(game_to_text(tree, 'efg')), rational=True)",
    "lcp": "pygambit.nash.lcp_solve(pygambit.read_efg(game_to_text(tree, 'efg')), rational=False)",
    "read_efg": "pygambit.read_efg(fixture)",
    "read_nfg": "pygambit.read_nfg(fixture)",
}


def _load(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, TESTS / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


stored = _load("data/gambit/stored.py", "gambit_stored")


def _q(x) -> str:
    return str(Fraction(str(x)))


# -- one function per stored file: {key: answer} from live pygambit -------------------------


def enummixed() -> dict:
    import pygambit as gbt

    out = {}
    for i, path in enumerate(SOURCES["enummixed"]):
        for A, B in _load(path, f"src{i}").GAMBIT_GAMES["enummixed"]:
            key = stored.bimatrix_key(A, B)
            exact = [[[gbt.Rational(stored.q(x)) for x in row] for row in M] for M in (A, B)]
            g = gbt.Game.from_arrays(*exact)
            eqs = gbt.nash.enummixed_solve(g, rational=True).equilibria
            profiles = [[[_q(e[s]) for s in p.strategies] for p in g.players] for e in eqs]
            out[key] = {"equilibria": sorted(profiles)}
    return out


def logit() -> dict:
    import pygambit as gbt

    out = {}
    for key, payoffs in _load(SOURCES["logit"][0], "src").GAMBIT_GAMES["logit"].items():
        g = gbt.Game.from_arrays(*payoffs)
        e = gbt.nash.logit_solve(g).equilibria[0]
        out[key] = {
            "payoffs": [[stored.q(x) for x in p.ravel()] for p in payoffs],
            "strategies": [[float(e[s]) for s in p.strategies] for p in g.players],
        }
    return out


def _efg(tree):
    import pygambit as gbt

    from bargain.games.gambit_io import game_to_text

    return gbt.read_efg(io.StringIO(game_to_text(tree, "efg")))


def lp() -> dict:
    import pygambit as gbt

    out = {}
    for key, factory in _load(SOURCES["lp"][0], "src").GAMBIT_TREES["lp"].items():
        tree = factory()
        g = _efg(tree)
        e = gbt.nash.lp_solve(g, rational=True).equilibria[0]
        out[key] = {
            "tree": stored.tree_fingerprint(tree),
            "payoffs": [_q(e.payoff(g.players[p])) for p in tree.players],
        }
    return out


def lcp() -> dict:
    import pygambit as gbt

    out = {}
    for key, factory in _load(SOURCES["lcp"][0], "src").GAMBIT_TREES["lcp"].items():
        tree = factory()
        g = _efg(tree)
        eqs = []
        for e in gbt.nash.lcp_solve(g, rational=False).equilibria:
            eqs.append(
                {
                    "behavior": [
                        [[float(p) for _, p in e[s]] for s in g.players[name].infosets]
                        for name in tree.players
                    ],
                    "payoffs": [float(e.payoff(g.players[p])) for p in tree.players],
                }
            )
        out[key] = {"tree": stored.tree_fingerprint(tree), "equilibria": eqs}
    return out


def gambit_preorder(node, acc, out) -> None:
    """Preorder (kind, payoffs summed along the path, probabilities) of a pygambit tree."""
    try:
        own = [Fraction(str(node.outcome[p])) for p in node.game.players]
    except (KeyError, TypeError):  # no outcome at this node
        own = [Fraction(0)] * len(acc)
    acc = [a + b for a, b in zip(acc, own, strict=True)]
    if node.is_terminal:
        out.append(["t", [str(a) for a in acc]])
        return
    if node.player.is_chance:
        out.append(["c", [_q(a.prob) for a in node.infoset.actions]])
    else:
        out.append(["p", node.player.label])
    for child in node.children:
        gambit_preorder(child, acc, out)


def read_efg_file(path) -> dict:
    """pygambit's reading of one .efg file."""
    import pygambit as gbt

    ref = gbt.read_efg(str(path))
    nodes: list = []
    gambit_preorder(ref.root, [Fraction(0)] * len(ref.players), nodes)
    personal = sum(1 for s in ref.infosets if not s.player.is_chance)
    return {"preorder": nodes, "personal_infosets": personal}


def read_efg() -> dict:
    # nim.efg repeats node labels, which pygambit 16.7 refuses to read
    names = sorted(p.name for p in DATA.glob("*.efg") if p.name != "nim.efg")
    return {n: {"sha256": stored.file_digest(DATA / n), **read_efg_file(DATA / n)} for n in names}


def read_nfg() -> dict:
    import pygambit as gbt

    out = {}
    for path in sorted(DATA.glob("*.nfg")):
        ref = gbt.read_nfg(str(path))
        strategies = [list(p.strategies) for p in ref.players]
        shape = [len(s) for s in strategies]
        payoffs = [[] for _ in ref.players]
        for idx in itertools.product(*(range(k) for k in shape)):
            profile = tuple(strategies[i][k] for i, k in enumerate(idx))
            for i, player in enumerate(ref.players):
                payoffs[i].append(_q(ref[profile][player]))
        out[path.name] = {"sha256": stored.file_digest(path), "shape": shape, "payoffs": payoffs}
    return out


FILES = {
    "enummixed": enummixed,
    "logit": logit,
    "lp": lp,
    "lcp": lcp,
    "read_efg": read_efg,
    "read_nfg": read_nfg,
}


def main(argv: list[str]) -> int:
    import pygambit as gbt

    check = "--check" in argv
    status = 0
    for name, compute in FILES.items():
        entries = compute()
        doc = {
            "pygambit": gbt.__version__,
            "call": CALLS[name],
            "regenerate": "python tests/data/gambit/regenerate.py",
            "entries": entries,
        }
        path = HERE / f"{name}.json"
        if check:
            same = json.loads(path.read_text())["entries"] == json.loads(json.dumps(entries))
            print(f"{name}.json: {'same' if same else 'DIFFERENT'} ({len(entries)} entries)")
            status |= not same
        else:
            path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {path.relative_to(TESTS.parent)} ({len(entries)} entries)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
