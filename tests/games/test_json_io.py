"""The JSON form of games: round trips (numeric, exact, symbolic) and schema errors."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import FileFormatError
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.gambit_io import convert, read_game, write_game
from bargain.games.json_io import game_from_json, game_to_json, read_json_game
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet

DATA = Path(__file__).parent.parent / "data"


def params() -> ParameterSet:
    return ParameterSet(
        [
            Parameter("q", 0.5, (0, 1), "probability", "detection", "assumption"),
            Parameter("c", 2.0, (0, 10), "USD bn", "cost", "assumption"),
        ]
    )


def through_json(game):
    """Serialize to text and back, as a file would."""
    return game_from_json(json.loads(json.dumps(game_to_json(game))))


def test_numeric_normal_form_round_trip() -> None:
    g = NormalFormGame(
        [[[1, 0.25], [-3, 2]], [[0, 1], [1e-9, 7]]],
        players=["Row", "Col"],
        strategies=[["U", "D"], ["L", "R"]],
        title="t",
    )
    h = through_json(g)
    assert (h.title, h.players, h.strategies) == (g.title, g.players, g.strategies)
    for a, b in zip(g.payoffs, h.payoffs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_symbolic_normal_form_keeps_expressions_and_parameters() -> None:
    ps = params()
    q, c = ps.symbols()
    g = NormalFormGame([[[q * 3 - c, 0], [1, c]], [[q, 1], [0, sympy.sqrt(c)]]], parameters=ps)
    d = json.loads(json.dumps(game_to_json(g)))
    assert sympy.sympify(d["payoffs"][0][0][0], locals=ps.symbol_map()) == 3 * q - c
    h = game_from_json(d)
    assert h.is_symbolic
    assert h.parameters.names == ("q", "c")
    assert h.parameters["c"].unit == "USD bn"
    for a, b in zip(g.payoffs, h.payoffs, strict=True):
        for x, y in zip(a.flat, b.flat, strict=True):
            assert sympy.simplify(sympy.sympify(x) - y) == 0
    # the symbols are the parameter's symbols (same assumptions), so numeric() works
    assert float(h.numeric(q=1, c=4).payoffs[0][0, 0]) == -1.0


def test_symbolic_tree_round_trip() -> None:
    ps = params()
    q, c = ps.symbols()
    t = GameTree(
        ("A", "B"),
        Chance(
            {
                "caught": (q, Terminal(-c, 1, label="x")),
                "free": (1 - q, Decision("B", {"l": Terminal(1, 0), "r": Terminal(0, c)})),
            },
            label="nature",
        ),
        parameters=ps,
        title="inspection",
    )
    u = through_json(t)
    assert u.is_symbolic
    assert u.root.label == "nature"
    assert u.root.probabilities == (q, 1 - q)
    assert u.numeric(q=0.25, c=1).root.probabilities == (0.25, 0.75)


def test_exact_numbers_are_strings() -> None:
    t = GameTree(
        ("A",),
        Chance(
            {"h": (Fraction(1, 3), Terminal(Fraction(5, 2))), "t": (Fraction(2, 3), Terminal(1))}
        ),
    )
    d = game_to_json(t)
    assert d["nodes"][0]["probabilities"] == ["1/3", "2/3"]
    assert d["nodes"][1]["payoffs"] == ["5/2"]
    u = game_from_json(d)
    assert u.root.probabilities == (Fraction(1, 3), Fraction(2, 3))


@pytest.mark.parametrize("name", ["poker.efg", "bayes2a.efg", "2x2x2.nfg", "e02.nfg"])
def test_gambit_fixtures_through_json(name: str, tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    game = convert(DATA / name, out)
    back = tmp_path / ("g" + Path(name).suffix)
    convert(out, back)
    again = read_game(back)
    if isinstance(game, GameTree):
        assert [n.kind for n in game.nodes] == [n.kind for n in again.nodes]
        assert [s.name for s in game.infosets] == [s.name for s in again.infosets]
        assert [n.payoffs for n in game.nodes if isinstance(n, Terminal)] == [
            n.payoffs for n in again.nodes if isinstance(n, Terminal)
        ]
    else:
        for a, b in zip(game.payoffs, again.payoffs, strict=True):
            np.testing.assert_array_equal(a, b)


def _tree(nodes):
    return {"kind": "tree", "players": ["A", "B"], "nodes": nodes}


T = {"kind": "terminal", "payoffs": [0, 0]}
BAD = [
    ("not_object", [], r"\$: expected an object"),
    ("kind", {"kind": "matrix", "players": ["A"]}, r"\$\.kind: expected 'normal_form' or 'tree'"),
    ("missing_players", {"kind": "tree"}, r"\$: missing 'players'"),
    ("no_nodes", _tree([]), r"\$\.nodes: a tree needs at least one node"),
    (
        "child_index",
        _tree([{"kind": "decision", "player": "A", "actions": ["x"], "children": [0]}]),
        r"\$\.nodes\[0\]\.children\[0\]: expected a node index after 0",
    ),
    (
        "two_parents",
        _tree(
            [
                {"kind": "decision", "player": "A", "actions": ["x", "y"], "children": [1, 1]},
                T,
            ]
        ),
        r"\$\.nodes\[0\]\.children\[1\]: node 1 already has a parent",
    ),
    ("orphan", _tree([T, T]), r"\$\.nodes\[1\]: is not the child of any node"),
    (
        "unknown_name",
        _tree([{"kind": "terminal", "payoffs": ["x + 1", 0]}]),
        r"\$\.nodes\[0\]\.payoffs\[0\] \(column 1\): unknown name 'x'",
    ),
    (
        "dunder",
        _tree([{"kind": "terminal", "payoffs": ["().__class__", 0]}]),
        r"payoffs\[0\] \(column 1\): attribute access is not allowed",
    ),
    (
        "not_a_number",
        _tree([{"kind": "terminal", "payoffs": [None, 0]}]),
        r"\$\.nodes\[0\]\.payoffs\[0\]: expected a number, got None",
    ),
    (
        "probabilities",
        _tree(
            [
                {
                    "kind": "chance",
                    "actions": ["h", "t"],
                    "probabilities": ["1/2", "1/3"],
                    "children": [1, 2],
                },
                T,
                T,
            ]
        ),
        r"<json>: node at root: chance probabilities .* do not sum to 1",
    ),
    (
        "payoff_shape",
        {"kind": "normal_form", "players": ["A", "B"], "payoffs": [[1, 2], [3, 4]]},
        r"\$\.payoffs\[0\]: expected 2 nested levels",
    ),
]


@pytest.mark.parametrize(("data", "pattern"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_schema_errors(data, pattern) -> None:
    with pytest.raises(FileFormatError, match=pattern):
        game_from_json(data)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('{"kind": "tree",\n "players": [\n}')
    with pytest.raises(FileFormatError, match=r"bad\.json:3: invalid JSON"):
        read_json_game(p)


def random_tree(seed: int) -> GameTree:
    """Random trees with chance moves, exact and float payoffs, shared information sets
    (a simultaneous move of the second player, which keeps perfect recall)."""
    rng = random.Random(seed)
    players = ("A", "B", "C")[: rng.randint(2, 3)]

    def leaf() -> Terminal:
        return Terminal(
            *(
                rng.choice([rng.randint(-5, 5), Fraction(rng.randint(-5, 5), 3), rng.random()])
                for _ in players
            )
        )

    def sub(depth: int):
        if depth == 0 or rng.random() < 0.3:
            return leaf()
        if rng.random() < 0.3:
            k = rng.randint(1, 3)
            return Chance({f"e{j}": (Fraction(1, k), sub(depth - 1)) for j in range(k)})
        who = rng.choice(players)
        return Decision(who, {f"{who}{j}": sub(depth - 1) for j in range(rng.randint(1, 3))})

    k = rng.randint(1, 3)
    second = {f"b{j}": None for j in range(rng.randint(1, 2))}
    root = Decision(
        "A",
        {f"a{i}": Decision("B", {b: sub(2) for b in second}, infoset="B moves") for i in range(k)},
    )
    return GameTree(players, root, title=f"seed {seed}")


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_trees_round_trip_through_json(seed: int, tmp_path_factory) -> None:
    t = random_tree(seed)
    path = tmp_path_factory.mktemp("j") / "t.json"
    write_game(t, path)
    u = read_game(path)
    assert t.players == u.players
    for x, y in zip(t.nodes, u.nodes, strict=True):
        assert (x.kind, x.label) == (y.kind, y.label)
        assert [a for a, _ in x.children()] == [a for a, _ in y.children()]
        if isinstance(x, Terminal):
            assert x.payoffs == y.payoffs  # exact: ints, Fractions and floats survive
        if isinstance(x, Chance):
            assert x.probabilities == y.probabilities
    assert [(s.player, s.name, s.nodes) for s in t.infosets] == [
        (s.player, s.name, s.nodes) for s in u.infosets
    ]
