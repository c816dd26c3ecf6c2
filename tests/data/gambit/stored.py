"""Read the answers pygambit gave, stored beside this file by ``regenerate.py``.

The tests compare the package with Gambit (McKelvey, McLennan & Turocy, *Gambit: Software
Tools for Game Theory*) without importing pygambit: ``regenerate.py`` ran pygambit on
exactly the games the tests use and wrote its answers here, with each game's own
description (exact payoffs, or a fingerprint of the tree), so that an answer can never be
used for a game it was not computed for.  Exact rationals are stored as strings
(``"-1/18"``); floats as JSON numbers (which round-trip exactly).
"""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
REGENERATE = "python tests/data/gambit/regenerate.py (needs pygambit: the crosscheck extra)"


@cache
def load(name: str) -> dict:
    """The stored file ``name`` (e.g. ``"enummixed"``) as a dict of entries by key."""
    with open(HERE / f"{name}.json", encoding="utf-8") as f:
        data = json.load(f)
    return data


def entry(name: str, key: str) -> dict:
    """One stored answer; a missing key fails the test and says how to regenerate."""
    entries = load(name)["entries"]
    assert key in entries, f"no stored pygambit answer {key!r} in {name}.json; run {REGENERATE}"
    return entries[key]


def q(x) -> str:
    """An exact rational as a string ("3", "-1/18"); floats are taken at their exact value."""
    if hasattr(x, "item"):  # numpy scalar
        x = x.item()
    return str(Fraction(x))


def bimatrix_key(A, B) -> str:
    """The game itself as its key: both payoff matrices as exact rationals."""
    return json.dumps([[[q(x) for x in row] for row in M] for M in (A, B)], separators=(",", ":"))


def enummixed(A, B) -> set:
    """Gambit's extreme equilibria of the bimatrix game (A, B) as exact profiles:
    ``pygambit.nash.enummixed_solve(Game.from_arrays(A, B), rational=True)``."""
    e = entry("enummixed", bimatrix_key(A, B))
    return {tuple(tuple(Fraction(v) for v in s) for s in eq) for eq in e["equilibria"]}


def tree_fingerprint(tree) -> str:
    """A digest of what a tree is (not how a writer prints it): in preorder each node's
    kind, player, payoffs and probabilities (exact), then the information sets."""
    from bargain.games.extensive_form import Chance, Terminal

    rows = []
    for i, node in tree.walk():
        if isinstance(node, Terminal):
            rows.append(["t", [q(x) for x in node.payoffs]])
        elif isinstance(node, Chance):
            rows.append(["c", [q(p) for p in node.probabilities], [a for a, _ in node.children()]])
        else:
            rows.append(["p", int(tree.node_player[i]), [a for a, _ in node.children()]])
    sets = [[int(s.player), list(s.nodes)] for s in tree.infosets]
    text = json.dumps([list(tree.players), rows, sets], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def tree_entry(name: str, key: str, tree) -> dict:
    """A stored answer for a tree, checked to be for this very tree."""
    e = entry(name, key)
    assert e["tree"] == tree_fingerprint(tree), (
        f"{name}.json[{key!r}] was computed for another tree; run {REGENERATE}"
    )
    return e


def file_digest(path) -> str:
    """The SHA-256 of a fixture file, so that a stored reading answers for that file only."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
