"""Tests of bargain.games.bayesian: the Harsanyi transformation into a game tree."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from bargain.errors import GameShapeError
from bargain.games.bayesian import bayesian
from bargain.solvers.normal_form.pure import pure_nash
from bargain.solvers.trees.sequence_form import sequence_form

HALF = Fraction(1, 2)


def bos_uncertain():
    """BoS where player 1 does not know whether player 2 wants to meet or avoid her,
    each with probability 1/2 (Osborne 2004, §9.2, "BoS variant")."""
    meet = {("B", "B"): (2, 1), ("S", "S"): (1, 2)}
    avoid = {("B", "B"): (2, 0), ("B", "S"): (0, 2), ("S", "B"): (0, 1), ("S", "S"): (1, 0)}

    def pay(ty, a):
        table = meet if ty[1] == "meet" else avoid
        return table.get(a, (0, 0))

    return bayesian(
        ("1", "2"),
        [["-"], ["meet", "avoid"]],
        [{"-": 1}, {"meet": HALF, "avoid": HALF}],
        [["B", "S"], ["B", "S"]],
        pay,
    )


def test_structure():
    t = bos_uncertain()
    assert [(s.name, s.player, len(s.nodes)) for s in t.infosets] == [
        ("1:-", 0, 2),
        ("2:meet", 1, 2),
        ("2:avoid", 1, 2),
    ]
    assert t.root.probabilities == (HALF, HALF)


def test_bos_unique_pure_bayesian_equilibrium():
    # Osborne (2004, §9.2): the unique pure Nash equilibrium is (B, (B, S)):
    # player 1 B; player 2 B if she wants to meet, S if she wants to avoid
    t = bos_uncertain()
    r = pure_nash(t.to_normal_form())
    assert len(r) == 1
    (eq,) = r.equilibria
    labels = t.to_normal_form().strategies
    chosen = [labels[p][int(np.argmax(s))] for p, s in enumerate(eq.strategies)]
    assert chosen == ["B", "B/S"]
    # the sequence form finds it too, and everything it finds is an equilibrium
    found = sequence_form(t, starts=6)
    assert all(e.max_regret <= 1e-8 for e in found)
    pures = [e for e in found if e.is_pure(1e-9)]
    assert pures
    for e in pures:
        assert [int(np.argmax(b)) for p in e.behavior for b in p] == [0, 0, 1]


def test_joint_prior_and_zero_profiles():
    t = bayesian(
        ("a", "b"),
        [["x", "y"], ["u", "v"]],
        {("x", "u"): Fraction(1, 3), ("y", "v"): Fraction(2, 3), ("x", "v"): 0},
        [["l", "r"], ["l", "r"]],
        lambda ty, a: (int(a[0] == a[1]), 0),
    )
    assert [o for o in t.root.outcomes] == ["x,u", "y,v"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"types": [["-"]]}, "2 players but 1 type lists"),
        ({"prior": {("-", "z"): 1}}, "unknown type 'z' of player '2'"),
        ({"prior": [{"-": 1}, {"meet": HALF, "q": HALF}]}, r"unknown types \['q'\]"),
        ({"prior": [{"-": 1}, {"meet": HALF, "avoid": Fraction(1, 3)}]}, "do not sum to 1"),
        ({"actions": [["B", "B"], ["B", "S"]]}, "actions must be distinct"),
        ({"payoffs": lambda ty, a: (1,)}, "returned 1 values, expected 2"),
    ],
    ids=["types", "joint_unknown", "marginal_unknown", "sum", "actions", "payoffs"],
)
def test_bad_input(kwargs, message):
    args = {
        "players": ("1", "2"),
        "types": [["-"], ["meet", "avoid"]],
        "prior": [{"-": 1}, {"meet": HALF, "avoid": HALF}],
        "actions": [["B", "S"], ["B", "S"]],
        "payoffs": lambda ty, a: (0, 0),
    }
    args.update(kwargs)
    with pytest.raises(GameShapeError, match=message):
        bayesian(**args)
