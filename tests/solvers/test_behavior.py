"""Tests of bargain.solvers.trees.behavior: realization plans, Kuhn's theorem, beliefs, regret."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import GameShapeError
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.reduced import reduced_strategies
from bargain.solvers import verify
from bargain.solvers.trees.behavior import (
    behavior_from_realization,
    behavior_to_mixed,
    beliefs,
    best_response_values,
    expected_payoffs,
    mixed_to_behavior,
    realization_plan,
    tree_regret,
)

_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)


def random_behavior(tree, rng, *, zeros=False):
    out = []
    for p in range(tree.n_players):
        mine = []
        for s in tree.infosets:
            if s.player == p:
                b = rng.random(len(s.actions))
                if zeros and rng.random() < 0.4:
                    b[rng.integers(len(b))] = 0.0
                    b = b if b.sum() > 0 else np.ones_like(b)
                mine.append(b / b.sum())
        out.append(mine)
    return out


def reached_sets(tree, player, plan):
    from bargain.solvers.trees.behavior import _arrays

    ix = _arrays(tree).index[player]
    return [plan[ix.parent[k]] > 0 for k in range(len(ix.infosets))]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_plan_round_trip(seed):
    tree = trees.random_tree(seed)
    rng = np.random.default_rng(seed)
    prof = random_behavior(tree, rng, zeros=True)
    for p in range(2):
        x = realization_plan(tree, p, prof[p])
        assert x[0] == 1.0
        assert x.min() >= 0
        back = behavior_from_realization(tree, p, x)
        for ok, b, c in zip(reached_sets(tree, p, x), prof[p], back, strict=True):
            if ok:  # the plan determines behavior where the player's own plan reaches
                np.testing.assert_allclose(b, c, atol=1e-12)
            else:
                np.testing.assert_allclose(c, np.full(len(c), 1 / len(c)))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_kuhn_theorem_against_reduced_normal_form(seed):
    """Kuhn (1953): behavior and its mixed representation give the same payoffs, and the
    tree regret equals the regret in the reduced strategic form."""
    tree = trees.random_tree(seed, max_depth=3)
    rng = np.random.default_rng(seed)
    prof = random_behavior(tree, rng)
    mixed = [behavior_to_mixed(tree, p, prof[p]) for p in range(2)]
    for p in range(2):
        assert mixed[p].sum() == pytest.approx(1.0)
        assert len(mixed[p]) == len(reduced_strategies(tree, p))
    game = tree.to_normal_form()
    np.testing.assert_allclose(
        verify.expected_payoffs(game.payoffs, mixed), expected_payoffs(tree, prof), atol=1e-12
    )
    np.testing.assert_allclose(
        verify.regrets(game.payoffs, mixed), tree_regret(tree, prof), atol=1e-12
    )
    back = [mixed_to_behavior(tree, p, mixed[p]) for p in range(2)]
    np.testing.assert_allclose(
        expected_payoffs(tree, back), expected_payoffs(tree, prof), atol=1e-12
    )


def test_kuhn_poker_known_profile_regret():
    # Kuhn (1950): α = 0 equilibrium of Kuhn poker; value −1/18, no regret
    tree = trees.kuhn_poker()
    p1 = {
        "1J": [1, 0],
        "1Jcb": [1, 0],
        "1Q": [1, 0],
        "1Qcb": [2 / 3, 1 / 3],
        "1K": [1, 0],
        "1Kcb": [0, 1],
    }
    p2 = {
        "2Kb": [0, 1],
        "2Qb": [2 / 3, 1 / 3],
        "2Jb": [1, 0],
        "2Kc": [0, 1],
        "2Qc": [1, 0],
        "2Jc": [2 / 3, 1 / 3],
    }
    prof = [
        [p1[s.name] for s in tree.infosets if s.player == 0],
        [p2[s.name] for s in tree.infosets if s.player == 1],
    ]
    np.testing.assert_allclose(expected_payoffs(tree, prof), [-1 / 18, 1 / 18])
    assert tree_regret(tree, prof).max() < 1e-15
    # player 2 always calling instead gains: regret > 0
    prof[1] = [[0, 1]] * 6
    assert tree_regret(tree, prof)[1] > 0.01


def test_beliefs_beer_quiche():
    tree = trees.beer_quiche()
    # both types drink beer: at "after beer" the belief is the prior (Cho & Kreps 1987);
    # "after quiche" is not reached, so no belief
    bel = beliefs(tree, [[[1, 0], [1, 0]], [[0, 1], [1, 0]]])
    names = [s.name for s in tree.infosets]
    assert bel[names.index("after beer")].tolist() == pytest.approx([0.9, 0.1])
    assert bel[names.index("after quiche")] is None
    # separating: strong beer, weak quiche → beliefs are certain
    bel = beliefs(tree, [[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
    assert bel[names.index("after beer")].tolist() == pytest.approx([1.0, 0.0])
    assert bel[names.index("after quiche")].tolist() == pytest.approx([0.0, 1.0])


def test_three_players_best_response():
    tree = GameTree(
        ("A", "B", "C"),
        Chance(
            {
                "x": (
                    0.5,
                    Decision("A", {"l": Terminal(1, 0, 2), "r": Terminal(0, 1, 0)}, infoset="a"),
                ),
                "y": (0.5, Decision("C", {"u": Terminal(0, 0, 1), "d": Terminal(3, 0, 0)})),
            }
        ),
    )
    prof = [[[0.5, 0.5]], [], [[1.0, 0.0]]]
    np.testing.assert_allclose(expected_payoffs(tree, prof), [0.25, 0.25, 1.0])
    np.testing.assert_allclose(best_response_values(tree, prof), [0.5, 0.25, 1.0])


BAD = {
    "players": (lambda t: expected_payoffs(t, [[]]), "1 players given, the tree has 2"),
    "infosets": (
        lambda t: expected_payoffs(t, [[], [[1, 0]]]),
        "'P1': 0 information sets given, the player has 6",
    ),
    "actions": (
        lambda t: realization_plan(t, 0, [[1, 0, 0]] + [[1, 0]] * 5),
        "information set '1J': 3 probabilities for 2 actions",
    ),
    "negative": (
        lambda t: realization_plan(t, 0, [[2, -1]] + [[1, 0]] * 5),
        "must be finite and >= 0",
    ),
    "player": (lambda t: realization_plan(t, 2, []), "player must be an index in 0..1"),
    "plan_size": (
        lambda t: behavior_from_realization(t, 0, [1, 0]),
        "2 entries, the player has 13 sequences",
    ),
    "mixed_size": (lambda t: mixed_to_behavior(t, 0, [1.0]), "1 probabilities, the player has"),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_input(case):
    fn, message = case
    with pytest.raises(GameShapeError, match=message):
        fn(trees.kuhn_poker())
