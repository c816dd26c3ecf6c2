"""The reduced strategic form against a plain reference, on every tree in tests/data and
on random trees (with and without perfect recall).

The reference enumerates every *full* pure strategy of a player (one action at each own
information set), restricts it to the information sets it reaches (walking the tree), and
keeps the distinct restrictions; each profile's payoff is the exact (Fraction) expected
payoff of following the plans from the root.  It shares no code with
:mod:`bargain.games.reduced`.
"""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.gambit_io import read_game
from bargain.games.reduced import reduced_strategies

DATA = Path(__file__).parent.parent / "data"
TREES = sorted(DATA.glob("*.efg")) + sorted((DATA / "gambit" / "corpus").glob("*.efg"))


def _restrict(tree, player, full):
    """The information sets `full` reaches (any play of the others), with its actions."""
    reached = {}
    stack = [0]
    while stack:
        x = stack.pop()
        kids = tree.child_ids[x]
        if not kids:
            continue
        if tree.node_player[x] == player:
            h = tree.infoset_of(x)
            reached[h] = full[h]
            stack.append(kids[full[h]])
        else:
            stack.extend(kids)
    return tuple(sorted(reached.items()))


def reference_strategies(tree, player):
    own = [s for s in tree.infosets if s.player == player]
    plans = set()
    for choice in itertools.product(*(range(len(s.actions)) for s in own)):
        full = {s.index: a for s, a in zip(own, choice, strict=True)}
        plans.add(_restrict(tree, player, full))
    return [dict(p) for p in sorted(plans)]


def reference_payoff(tree, profile):
    def walk(x):
        node = tree.nodes[x]
        kids = tree.child_ids[x]
        if not kids:
            return [Fraction(v) for v in node.payoffs]
        p = tree.node_player[x]
        if p >= 0:
            return walk(kids[profile[p][tree.infoset_of(x)]])
        total = [Fraction(0)] * tree.n_players
        for q, j in zip(node.probabilities, kids, strict=True):
            if Fraction(q) != 0:
                total = [t + Fraction(q) * v for t, v in zip(total, walk(j), strict=True)]
        return total

    return walk(0)


def check_against_reference(tree, *, max_checked=5000):
    """Strategies equal; payoffs equal at every profile (a seeded sample of
    `max_checked` profiles when there are more)."""
    g = tree.to_normal_form()
    plans = [reference_strategies(tree, i) for i in range(tree.n_players)]
    assert [reduced_strategies(tree, i) for i in range(tree.n_players)] == plans
    assert g.shape == tuple(len(p) for p in plans)
    profiles = list(itertools.product(*(range(len(p)) for p in plans)))
    if len(profiles) > max_checked:
        profiles = random.Random(0).sample(profiles, max_checked)
    for idx in profiles:
        exact = reference_payoff(tree, [plans[i][k] for i, k in enumerate(idx)])
        for i in range(tree.n_players):
            # exact sums rounded once: the float of the Fraction, to the last bit
            assert g.payoffs[i][idx] == float(exact[i]), (idx, i)


@pytest.mark.parametrize("path", TREES, ids=lambda p: p.name)
def test_reduced_form_matches_the_reference_on_every_stored_tree(path):
    tree = read_game(path)
    full = [
        math.prod(len(s.actions) for s in tree.infosets if s.player == p)
        for p in range(tree.n_players)
    ]
    assert max(full) <= 4096  # the reference enumerates full strategies: keep the data small
    check_against_reference(tree)


def test_artist2_reduced_form_is_64x64():
    # contrib/games/artist2.efg: 255 nodes; Gambit's reduced strategic form is 64x64
    tree = read_game(DATA / "gambit" / "corpus" / "artist2.efg")
    check_against_reference(tree)
    assert tree.to_normal_form().shape == (64, 64)


def random_tree(seed, *, perfect_recall):
    """Random trees; information sets join nodes of one player with the same number of
    actions, chosen at random (so recall is often imperfect, absent-minded at times)
    unless `perfect_recall`, where they join only nodes with the same own history."""
    rng = random.Random(seed)
    n = rng.randint(1, 3)
    pools = {}

    def build(depth, hist):
        r = rng.random()
        if depth >= 4 or r < 0.2:
            return Terminal(
                *(Fraction(rng.randint(-9, 9), rng.choice([1, 2, 3])) for _ in range(n))
            )
        k = rng.randint(1, 3)
        if r < 0.35:
            w = [rng.randint(0, 3) for _ in range(k)]
            if sum(w) == 0:
                w[0] = 1
            return Chance(
                {f"c{a}": (Fraction(w[a], sum(w)), build(depth + 1, hist)) for a in range(k)}
            )
        p = rng.randrange(n)
        key = (p, k, hist[p] if perfect_recall else None)
        names = pools.setdefault(key, [])
        if names and rng.random() < 0.6:
            name = rng.choice(names)
        else:
            name = f"h{p}_{k}_{len(pools)}_{len(names)}"
            names.append(name)
        kids = {}
        for a in range(k):
            h = list(hist)
            h[p] = (*h[p], name, a)
            kids[f"a{a}"] = build(depth + 1, tuple(h))
        return Decision(p, kids, infoset=name)

    return GameTree([f"P{i}" for i in range(n)], build(0, ((),) * n))


@pytest.mark.parametrize("seed", range(60))
@pytest.mark.parametrize("perfect_recall", [True, False], ids=["recall", "any"])
def test_reduced_form_matches_the_reference_on_random_trees(seed, perfect_recall):
    tree = random_tree(seed, perfect_recall=perfect_recall)
    if perfect_recall:
        assert tree.perfect_recall
    check_against_reference(tree)


def test_some_random_trees_have_imperfect_recall_and_absent_mindedness():
    trees = [random_tree(s, perfect_recall=False) for s in range(60)]
    assert sum(not t.perfect_recall for t in trees) >= 10
    assert any(t.absent_minded for t in trees)


def test_symbolic_payoffs_agree_with_numeric_at_a_point():
    import sympy

    q = sympy.Symbol("q")
    t = GameTree(
        ("A", "B"),
        Chance(
            {
                "x": (q, Decision("A", {"l": Terminal(q, 1), "r": Terminal(0, 2)}, infoset="a")),
                "y": (
                    1 - q,
                    Decision("A", {"l": Terminal(1, 0), "r": Terminal(2, q)}, infoset="a"),
                ),
            }
        ),
    )
    g = t.to_normal_form()
    at = np.array(
        [[float(sympy.sympify(x).subs(q, 0.3)) for x in a.reshape(-1)] for a in g.payoffs]
    )
    num = t.numeric(q=0.3).to_normal_form()
    np.testing.assert_allclose(at, np.array([a.reshape(-1) for a in num.payoffs]), atol=1e-12)
