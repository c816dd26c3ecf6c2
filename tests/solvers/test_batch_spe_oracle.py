"""The batch SPE kernels (``solve_points``) against the independent oracle (tests/oracles.py).

``test_points.py`` compares the kernels with the package's one-point backward induction; a
mistake the two share would pass there.  Here every point's answer is compared with the
tests' own exact backward induction (``oracles.tie_rule_spe``), which imports nothing from
``bargain.solvers``: the equilibrium path, the payoffs and the single leaf reached.

The trees are seeded random perfect-information trees with payoffs ``n + w * t`` (integers
``n``, ``w`` in {-1, 0, 1}) and chance nodes with probabilities ``q, 1 - q`` or fixed
quarters.  The points put ``t`` and ``q`` on dyadic values (``q`` = 0 and 1 included), so
every number the kernels compute is exact in floating point: ties are exact ties, and an
outcome of probability 0 is really unreached.  Both kernels are checked: the straight-line
one specialized to the tree and the generic loop over the tree arrays.
"""

from __future__ import annotations

import importlib.util
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from bargain import Chance, Decision, GameTree, Parameter, ParameterSet, Terminal
from bargain.solvers.trees.points import solve_points

# the suite runs with --import-mode=importlib: load the oracle module by path
_spec = importlib.util.spec_from_file_location("oracles", Path(__file__).parents[1] / "oracles.py")
oracles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracles)

PARAMS = ParameterSet([Parameter("t", 0.0, (-2.0, 2.0)), Parameter("q", 0.5, (0.0, 1.0))])
T_VALUES = (-2.0, -1.0, -0.5, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0)
Q_VALUES = (0.0, 0.25, 0.5, 0.75, 1.0)
LABELS = ("accept", "reject", "wait", "fight")
SEEDS = range(6)


def random_parametric_tree(seed: int) -> tuple[GameTree, tuple[str, ...]]:
    """A seeded random tree: 1-3 players, depth up to 5, at most about 25 nodes."""
    rng = random.Random(seed)
    t, q = PARAMS.symbols()
    n_players = rng.randint(1, 3)
    budget = [rng.randint(6, 25)]

    def leaf() -> Terminal:
        return Terminal(
            *(rng.randint(0, 2) + rng.choice((-1, 0, 0, 1)) * t for _ in range(n_players))
        )

    def build(depth: int):
        budget[0] -= 1
        if depth > 0 and (depth >= 5 or budget[0] <= 0 or rng.random() < 0.25):
            return leaf()
        if depth > 0 and rng.random() < 0.3:
            if rng.random() < 0.6:
                return Chance({"h": (q, build(depth + 1)), "t": (1 - q, build(depth + 1))})
            w = rng.choice(((1, 3), (0, 4), (2, 1, 1)))
            return Chance({f"n{a}": (Fraction(x, 4), build(depth + 1)) for a, x in enumerate(w)})
        labels = rng.sample(LABELS, rng.randint(1, 3))
        return Decision(rng.randrange(n_players), {lab: build(depth + 1) for lab in labels})

    tree = GameTree([f"P{p}" for p in range(n_players)], build(0), parameters=PARAMS)
    priority = tuple(rng.sample(LABELS, rng.randint(0, 2)))
    return tree, priority


def grid() -> np.ndarray:
    return np.array([(t, q) for t in T_VALUES for q in Q_VALUES])


@pytest.mark.parametrize("unroll", [True, False], ids=["unrolled", "generic"])
@pytest.mark.parametrize("seed", SEEDS, ids=[f"tree{s}" for s in SEEDS])
def test_batch_kernel_equals_oracle(seed: int, unroll: bool) -> None:
    tree, priority = random_parametric_tree(seed)
    pts = grid()
    b = solve_points(tree, pts, priority=priority, unroll=unroll, parallel=False)
    leaves = tree.leaves
    for i, (t, q) in enumerate(pts.tolist()):
        nt = tree.numeric(t=t, q=q)
        value, choices = oracles.tie_rule_spe(nt, priority=priority)
        assert b.path_of(i) == oracles.path(nt, choices), (seed, t, q)
        assert [Fraction(x) for x in b.payoffs[i].tolist()] == list(value), (seed, t, q)
        reached = oracles.reached_leaves(nt, choices)
        expected = leaves.index(reached[0]) if len(reached) == 1 else -1
        assert int(b.leaf[i]) == expected, (seed, t, q)


def test_the_random_trees_cover_what_they_should() -> None:
    trees = [random_parametric_tree(s) for s in range(10)]
    kinds = [{type(n).__name__ for n in tree.nodes} for tree, _ in trees]
    assert sum("Chance" in k for k in kinds[: len(SEEDS)]) >= 3
    assert {tree.n_players for tree, _ in trees[: len(SEEDS)]} == {1, 2, 3}
    assert sum(bool(p) for _, p in trees[: len(SEEDS)]) >= 3
    # ties: at some point some mover has several optimal actions
    pts = grid()
    tied = 0
    for tree, _ in trees[: len(SEEDS)]:
        for t, q in pts.tolist():
            spe = oracles.all_spe(tree.numeric(t=t, q=q), limit=10_000)
            tied += len(spe) > 1
    assert tied >= 30
