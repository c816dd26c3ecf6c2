"""Gambit and JSON round trips preserve a game exactly: every number (bit for bit for
floats, as the same rational for ints and Fractions), every label, the tree's shape and its
information sets. Games are drawn by Hypothesis over the whole float range (subnormals,
1e308, -0.0), rationals with large denominators, and odd labels."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.gambit_io import game_to_text, read_exact_payoffs, read_game_text
from bargain.games.json_io import game_from_json, game_to_json
from bargain.games.normal_form import NormalFormGame

floats = st.floats(allow_nan=False, allow_infinity=False)
exact = st.one_of(
    st.integers(-(10**30), 10**30),
    st.fractions(max_denominator=10**12).filter(lambda q: abs(q) < 10**20),
)
labels = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=5)


def same_number(a, b) -> bool:
    """Equal values; a float stays a float with the same value (Gambit writes -0.0 as 0,
    the same payoff, so the sign of zero is not asked for)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, float) and isinstance(b, float) and a == b
    return Fraction(a) == Fraction(b)


def json_round_trip(game):
    return game_from_json(json.loads(json.dumps(game_to_json(game))))


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=2, max_size=3), data=st.data())
def test_normal_form_round_trips_bit_for_bit(shape, data) -> None:
    size = int(np.prod(shape))
    payoffs = [
        np.array(data.draw(st.lists(floats, min_size=size, max_size=size))).reshape(shape)
        for _ in shape
    ]
    players = data.draw(st.lists(labels, min_size=len(shape), max_size=len(shape), unique=True))
    strategies = [data.draw(st.lists(labels, min_size=k, max_size=k, unique=True)) for k in shape]
    g = NormalFormGame(payoffs, players=players, strategies=strategies, title="t")
    for again in (
        read_game_text(game_to_text(g)),
        read_game_text(game_to_text(g, outcomes=True)),
        json_round_trip(g),
    ):
        assert (again.players, again.strategies, again.title) == (g.players, g.strategies, "t")
        for x, y in zip(g.payoffs, again.payoffs, strict=True):
            assert x.shape == y.shape
            assert all(same_number(a, b) for a, b in zip(x.ravel(), y.ravel(), strict=True))


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 3), min_size=2, max_size=2), data=st.data())
def test_exact_nfg_payoffs_are_read_exactly(shape, data) -> None:
    # each double is written as its shortest round-trip decimal (repr), and the exact
    # reader takes a decimal at its decimal value (Gambit's reading: 0.1 is 1/10), which
    # rounds back to the same double
    size = int(np.prod(shape))
    payoffs = [
        np.array(data.draw(st.lists(floats, min_size=size, max_size=size))).reshape(shape)
        for _ in shape
    ]
    got = read_exact_payoffs(game_to_text(NormalFormGame(payoffs)))
    for x, y in zip(payoffs, got, strict=True):
        assert [Fraction(repr(float(v))) for v in x.ravel()] == list(y.ravel())
        assert [float(q) for q in y.ravel()] == x.ravel().tolist()


@st.composite
def exact_trees(draw):
    n = draw(st.integers(1, 3))
    players = draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    counter = [0]

    def build(depth):
        counter[0] += 1
        kind = draw(st.sampled_from(["t", "t", "d", "c"])) if depth < 4 else "t"
        if kind == "t" or counter[0] > 30:
            return Terminal(*draw(st.lists(st.one_of(exact, floats), min_size=n, max_size=n)))
        k = draw(st.integers(1, 3))
        names = draw(st.lists(labels, min_size=k, max_size=k, unique=True))
        if kind == "c":
            w = draw(st.lists(st.integers(1, 10**6), min_size=k, max_size=k))
            return Chance(
                {a: (Fraction(x, sum(w)), build(depth + 1)) for a, x in zip(names, w, strict=True)}
            )
        return Decision(draw(st.integers(0, n - 1)), {a: build(depth + 1) for a in names})

    return GameTree(players, build(0), title=draw(labels))


def assert_same_tree_exactly(a: GameTree, b: GameTree) -> None:
    assert (a.players, a.title) == (b.players, b.title)
    assert len(a.nodes) == len(b.nodes)
    assert a.node_player == b.node_player
    for x, y in zip(a.nodes, b.nodes, strict=True):
        assert x.kind == y.kind
        assert [k for k, _ in x.children()] == [k for k, _ in y.children()]
        if isinstance(x, Terminal):
            assert all(same_number(u, v) for u, v in zip(x.payoffs, y.payoffs, strict=True))
        if isinstance(x, Chance):
            assert list(x.probabilities) == list(y.probabilities)
            assert not any(isinstance(p, float) for p in y.probabilities)
    assert [(s.player, s.nodes) for s in a.infosets] == [(s.player, s.nodes) for s in b.infosets]


@settings(max_examples=60, deadline=None)
@given(tree=exact_trees())
def test_tree_round_trips_exactly(tree) -> None:
    assert_same_tree_exactly(tree, read_game_text(game_to_text(tree)))
    assert_same_tree_exactly(tree, json_round_trip(tree))
