"""``solve(tree, method="spe")`` against an independent backward induction (tests/oracles.py).

On 500 seeded random perfect-information trees (2-4 players, chance nodes, ties, depth up
to 8) the package must return exactly the oracle's set of pure subgame-perfect equilibria,
the tie rule's one first, with the oracle's payoffs and paths; and every profile it returns
must be a Nash equilibrium in every subgame by the tests' own regret computation (exact,
best-response recursion), read from the profile's ``behavior`` rather than its
``info["choices"]``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from bargain.solvers.api import solve

# the suite runs with --import-mode=importlib: load the oracle module by path
_spec = importlib.util.spec_from_file_location("oracles", Path(__file__).parents[1] / "oracles.py")
oracles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracles)

SEEDS = range(500)
CAP = 1000  # the solver's default max_equilibria


def choices_from_behavior(tree, eq) -> tuple[int, ...]:
    """The action at every node, read from the one-hot behavior of each information set."""
    choices = [-1] * len(tree.nodes)
    for p in range(tree.n_players):
        sets = [s for s in tree.infosets if s.player == p]
        for s, b in zip(sets, eq.behavior[p], strict=True):
            b = np.asarray(b)
            assert sorted(b.tolist()) == [0.0] * (len(b) - 1) + [1.0], (s.name, b)
            (node,) = s.nodes  # perfect information
            choices[node] = int(np.argmax(b))
    return tuple(choices)


def assert_profile(tree, eq, tol=1e-9) -> tuple[int, ...]:
    choices = choices_from_behavior(tree, eq)
    assert choices == eq.info["choices"]
    nash, subgame = oracles.regrets(tree, choices)
    assert nash == 0
    assert subgame == 0
    assert eq.max_regret <= tol
    want = oracles.payoffs(tree, choices)
    np.testing.assert_allclose(eq.payoffs, [float(v) for v in want], atol=tol)
    assert eq.path == oracles.path(tree, choices)
    return choices


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"tree{s}")
def test_spe_equals_oracle(seed: int) -> None:
    tree, priority = oracles.random_tree(seed)
    r = solve(tree, method="spe", priority=priority)
    assert r.method == "spe"
    ours = [assert_profile(tree, eq) for eq in r]
    assert len(set(ours)) == len(ours)
    value, first = oracles.tie_rule_spe(tree, priority=priority)
    assert ours[0] == first
    np.testing.assert_allclose(r[0].payoffs, [float(v) for v in value], atol=1e-9)
    try:
        theirs = oracles.all_spe(tree, priority=priority, limit=2 * CAP)
    except oracles.TooMany:
        assert not r.complete  # more than CAP SPE in some subgame
        return
    assert r.complete == (len(theirs) <= CAP)
    if r.complete:
        assert set(ours) == {c for _, c in theirs}
        assert theirs[0][1] == first
    else:
        assert set(ours) <= {c for _, c in theirs}


@pytest.mark.parametrize("seed", SEEDS[::5], ids=lambda s: f"tree{s}")
def test_one_spe_is_the_tie_rules(seed: int) -> None:
    tree, priority = oracles.random_tree(seed)
    r = solve(tree, method="spe", priority=priority, all_equilibria=False)
    assert len(r) == 1
    choices = assert_profile(tree, r[0])
    value, want = oracles.tie_rule_spe(tree, priority=priority)
    assert choices == want
    np.testing.assert_allclose(r[0].payoffs, [float(v) for v in value], atol=1e-12)


def test_the_random_trees_cover_what_they_should() -> None:
    """The generator makes the cases the oracle tests are for: 2-4 players, chance nodes,
    depth 8, several SPE (ties), and SPE whose path a priority changes."""
    trees = [oracles.random_tree(s) for s in SEEDS]
    assert {t.n_players for t, _ in trees} == {2, 3, 4}
    assert sum(any(n.kind == "chance" for n in t.nodes) for t, _ in trees) >= 100
    depth = [max(len(t.path(i)) for i in range(len(t.nodes))) for t, _ in trees]
    assert max(depth) == 8
    counts = []
    for t, prio in trees:
        try:
            counts.append(len(oracles.all_spe(t, priority=prio, limit=2 * CAP)))
        except oracles.TooMany:
            counts.append(2 * CAP + 1)
    assert sum(c > 1 for c in counts) >= 100
    assert sum(c > CAP for c in counts) >= 1  # the cap is exercised too
