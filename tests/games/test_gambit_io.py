"""Gambit .nfg/.efg reading and writing: sample games, round trips, errors, fuzzing."""

from __future__ import annotations

import importlib.util
import random
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import FileFormatError
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.gambit_io import (
    convert,
    game_to_text,
    read_exact_payoffs,
    read_game,
    read_game_text,
    write_game,
)
from bargain.games.normal_form import NormalFormGame

DATA = Path(__file__).parent.parent / "data"
# the answers pygambit gave, stored by tests/data/gambit/regenerate.py
_spec = importlib.util.spec_from_file_location("gambit_stored", DATA / "gambit" / "stored.py")
gambit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gambit)
FIXTURES = sorted(p.name for p in DATA.iterdir() if p.suffix in (".nfg", ".efg"))


# -- comparing games -----------------------------------------------------------------------
def assert_same_nfg(a: NormalFormGame, b: NormalFormGame) -> None:
    assert (a.title, a.players, a.strategies) == (b.title, b.players, b.strategies)
    for x, y in zip(a.payoffs, b.payoffs, strict=True):
        np.testing.assert_array_equal(x, y)


def assert_same_tree(a: GameTree, b: GameTree, *, names: bool = True) -> None:
    assert (a.title, a.players) == (b.title, b.players)
    assert len(a.nodes) == len(b.nodes)
    for i, (x, y) in enumerate(zip(a.nodes, b.nodes, strict=True)):
        assert (x.kind, x.label) == (y.kind, y.label), i
        assert [k for k, _ in x.children()] == [k for k, _ in y.children()], i
        if isinstance(x, Terminal):
            assert [float(v) for v in x.payoffs] == [float(v) for v in y.payoffs], i
        if isinstance(x, Chance):
            assert x.probabilities == y.probabilities, i
    assert [s.nodes for s in a.infosets] == [s.nodes for s in b.infosets]
    assert [s.player for s in a.infosets] == [s.player for s in b.infosets]
    if names:
        assert [s.name for s in a.infosets] == [s.name for s in b.infosets]


def assert_round_trip(game, tmp_path: Path, **kw) -> None:
    suffix = ".efg" if isinstance(game, GameTree) else ".nfg"
    out = tmp_path / f"copy{suffix}"
    write_game(game, out, **kw)
    again = read_game(out)
    if isinstance(game, GameTree):
        assert_same_tree(game, again)
    else:
        assert_same_nfg(game, again)


# -- the fixtures: parse, round trip, agree with pygambit ------------------------------------
@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_round_trips(name: str, tmp_path: Path) -> None:
    game = read_game(DATA / name)
    assert_round_trip(game, tmp_path)
    if isinstance(game, NormalFormGame):
        assert_round_trip(game, tmp_path, outcomes=True)
    json_copy = tmp_path / "copy.json"
    convert(DATA / name, json_copy)
    again = read_game(json_copy)
    if isinstance(game, GameTree):
        assert_same_tree(game, again)
    else:
        assert_same_nfg(game, again)


# pygambit's readings of the fixtures are stored in tests/data/gambit/read_efg.json and
# read_nfg.json by regenerate.py (pygambit 16.7.0, read_efg / read_nfg of the file): for a
# tree, in preorder, ("t", payoffs summed along the path), ("c", probabilities) or ("p",
# player label), all exact; for a table, each player's payoffs in our array order.
# nim.efg repeats node labels, which pygambit 16.7 refuses to read, so it has no oracle;
# our own round-trip tests above cover it. tests/crosscheck/ has pygambit read our copies.
PYGAMBIT_READS = [n for n in FIXTURES if n.endswith(".efg") and n != "nim.efg"]


def _preorder(tree: GameTree) -> list:
    out = []
    for i, node in tree.walk():
        if isinstance(node, Terminal):
            out.append(("t", [Fraction(x) for x in node.payoffs]))
        elif isinstance(node, Chance):
            out.append(("c", [Fraction(p) for p in node.probabilities]))
        else:
            out.append(("p", tree.players[tree.node_player[i]]))
    return out


@pytest.mark.parametrize("written", [False, True], ids=["their_file", "our_copy"])
@pytest.mark.parametrize("name", PYGAMBIT_READS)
def test_efg_agrees_with_pygambit(name: str, written: bool, tmp_path: Path) -> None:
    """We read the fixture (or the copy we write of it) to the tree pygambit read."""
    stored = gambit.entry("read_efg", name)
    assert stored["sha256"] == gambit.file_digest(DATA / name)
    expected = [(k, v if k == "p" else [Fraction(x) for x in v]) for k, v in stored["preorder"]]
    tree = read_game(DATA / name)
    if written:
        write_game(tree, tmp_path / name)
        tree = read_game(tmp_path / name)
    got = _preorder(tree)
    # decimals: pygambit is exact, we store floats; compare within float precision
    assert len(got) == len(expected)
    for (k1, v1), (k2, v2) in zip(got, expected, strict=True):
        assert k1 == k2
        if k1 == "p":
            assert v1 == v2
        else:
            assert [float(x) for x in v1] == pytest.approx([float(x) for x in v2], abs=1e-12)
    assert len(tree.infosets) == stored["personal_infosets"]


@pytest.mark.parametrize("name", [n for n in FIXTURES if n.endswith(".nfg")])
def test_nfg_agrees_with_pygambit(name: str) -> None:
    stored = gambit.entry("read_nfg", name)
    assert stored["sha256"] == gambit.file_digest(DATA / name)
    game = read_game(DATA / name)
    assert list(game.shape) == stored["shape"]
    for i, want in enumerate(stored["payoffs"]):
        want = np.array([float(Fraction(x)) for x in want]).reshape(game.shape)
        np.testing.assert_array_equal(game.payoffs[i], want)


# -- documented sample games: specific values ---------------------------------------------
# Selten (1975), Fig. 2, as printed in Gambit's documentation of both .nfg versions
# (doc/formats.nfgpay.rst, doc/formats.nfgout.rst): payoffs 1 1 0 2 0 2 1 1 0 3 2 0 with
# player 1's strategy changing fastest.
@pytest.mark.parametrize("name", ["e02.nfg", "e02_outcomes.nfg"])
def test_selten_e02(name: str) -> None:
    g = read_game(DATA / name)
    assert g.shape == (3, 2)
    assert g.players == ("Player 1", "Player 2")
    assert g.payoffs[0].tolist() == [[1, 1], [0, 0], [0, 2]]
    assert g.payoffs[1].tolist() == [[1, 1], [2, 3], [2, 0]]


def test_2x2x2_mckelvey_mclennan() -> None:
    # doc/2x2x2.nfg: outcome k is played at the k-th profile, player 1 fastest
    g = read_game(DATA / "2x2x2.nfg")
    assert g.shape == (2, 2, 2)
    assert [float(a[0, 0, 0]) for a in g.payoffs] == [9, 8, 12]
    assert [float(a[1, 1, 0]) for a in g.payoffs] == [9, 8, 2]
    assert [float(a[1, 0, 1]) for a in g.payoffs] == [3, 4, 6]
    assert [float(a[0, 1, 1]) for a in g.payoffs] == [3, 4, 6]
    assert [float(a[1, 1, 1]) for a in g.payoffs] == [0, 0, 0]


def test_poker_information_sets() -> None:
    t = read_game(DATA / "poker.efg")
    assert t.players == ("Alice", "Bob")
    assert t.root.probabilities == (Fraction(1, 2), Fraction(1, 2))
    # Bob's one information set joins the two nodes after Alice raises
    bob = [s for s in t.infosets if s.player == 1]
    assert len(bob) == 1
    assert len(bob[0].nodes) == 2
    assert bob[0].name == "2:1"  # the file's name for it is empty
    assert t.root.outcomes["King"][1].actions["Raise"].actions["Meet"].payoffs == (2, -2)


def test_doc_efg_decimals_are_floats() -> None:
    # doc/formats.efg.rst sample: "1G" 0.500000, payoffs 10.000000 2.000000
    t = read_game(DATA / "bayes1a_doc.efg")
    assert t.root.label == "ROOT"
    assert t.root.probabilities == (0.5, 0.5)
    assert all(isinstance(p, float) for p in t.root.probabilities)
    leaf = t.nodes[t.leaves[0]]
    assert leaf.payoffs == (10.0, 2.0)


def test_cent3_rational_probabilities_and_decimal_payoffs() -> None:
    t = read_game(DATA / "cent3.efg")
    assert t.root.probabilities == (Fraction(99, 100), Fraction(1, 100))
    assert t.nodes[t.leaves[0]].payoffs == (0.8, 0.2)


def test_nonterminal_outcomes_accumulate() -> None:
    # bayes2a.efg: p "" 1 2 "(1,3)" ... 1 "Outcome 1" { 10, 2 } above t "" 1 "Outcome 1"
    # { 10, 2 }: the leaf pays the sum (20, 4)
    t = read_game(DATA / "bayes2a.efg")
    assert t.nodes[t.leaves[0]].payoffs == (20, 4)
    # a terminal with outcome 0 below a node with outcome { 1, -1 } pays (1, -1)
    u = read_game(DATA / "chance_nonterm_outcomes.efg")
    assert u.nodes[u.leaves[0]].payoffs == (1, -1)
    assert u.nodes[u.leaves[1]].payoffs == (-1, 1)  # { 1, -1 } + { -2, 2 }


def test_exact_payoffs_and_text_helpers() -> None:
    a, b = read_exact_payoffs('NFG 1 R "" { "A" "B" } { 1 2 } 0.1 1/3 2 -5e-1')
    assert a.tolist() == [[Fraction(1, 10), Fraction(2)]]
    assert b.tolist() == [[Fraction(1, 3), Fraction(-1, 2)]]
    g = read_game_text('NFG 1 R "" { "" "" } { { "x" "x" } { "" } } 1 2 3 4')
    assert g.players == ("_1", "_2")  # made distinct as Gambit does
    assert g.strategies == (("x_1", "x_2"), ("_1",))


def test_escaped_labels_round_trip() -> None:
    t = GameTree(
        ('say "hi"', "back\\slash"),
        Decision(0, {'a "q"': Terminal(1, 2, label="line\nbreak"), "b\\": Terminal(0, 0)}),
        title='t "x" \\',
    )
    again = read_game_text(game_to_text(t))
    assert_same_tree(t, again, names=False)


def test_tree_as_nfg_is_reduced_normal_form(tmp_path: Path) -> None:
    out = tmp_path / "poker.nfg"
    convert(DATA / "poker.efg", out)
    g = read_game(out)
    assert g.shape == (4, 2)
    # Myerson (1991): Raise/Raise against Meet pays Alice 1/2*2 + 1/2*(-2) = 0
    assert g.payoffs[0][g.strategies[0].index("Raise/Raise"), g.strategies[1].index("Meet")] == 0


def test_symbolic_game_is_refused(tmp_path: Path) -> None:
    import sympy

    from bargain.games.parameters import Parameter, ParameterSet

    ps = ParameterSet([Parameter("a", 1.0, (0, 2))])
    (a,) = ps.symbols()
    g = NormalFormGame([[[a]], [[sympy.Integer(1)]]], parameters=ps)
    with pytest.raises(FileFormatError, match=r"symbolic payoffs.*numeric\(\.\.\.\)"):
        write_game(g, tmp_path / "g.nfg")
    write_game(g, tmp_path / "g.json")  # JSON keeps the expressions
    assert read_game(tmp_path / "g.json").payoffs[0][0, 0] == a


# -- errors name the file and the line ------------------------------------------------------
HEADER = 'EFG 2 R "t" { "A" "B" }\n""\n'
BAD = [
    ("unterminated_string", HEADER + 'p "x 1 1 "" { "L" } 0\n', r"bad\.efg:3: unterminated"),
    (
        "missing_brace",
        HEADER + 'p "" 1 1 "" { "L" "R" 0\nt "" 0\nt "" 0\n',
        r"bad\.efg:3: expected an action label .* found '0'",
    ),
    (
        "payoff_count",
        HEADER + 'p "" 1 1 "" { "L" "R" } 0\nt "" 1 "" { 1 2 3 }\nt "" 0\n',
        r"bad\.efg:4: the payoffs of outcome 1 has more than 2",
    ),
    (
        "too_few_payoffs",
        HEADER + 'p "" 1 1 "" { "L" "R" } 0\nt "" 0\n\nt "" 1 "" { 1 }\n',
        r"bad\.efg:6: the payoffs of outcome 1 has 1 number\(s\), expected 2",
    ),
    ("node_type", HEADER + 'p "" 1 1 "" { "L" } 0\nx "" 0\n', r"bad\.efg:4: expected a node type"),
    (
        "inconsistent_infoset",
        HEADER
        + 'c "" 1 "" { "h" 1/2 "t" 1/2 } 0\np "" 1 1 "" { "L" "R" } 0\nt "" 0\nt "" 0\n'
        + 'p "" 1 1 "" { "L" "M" } 0\nt "" 0\nt "" 0\n',
        r"bad\.efg:7: information set 1 of player 1 is declared again with different actions",
    ),
    (
        "probabilities",
        HEADER + 'c "" 1 "" { "h" 1/2 "t" 1/3 } 0\nt "" 0\nt "" 0\n',
        r"bad\.efg:3: chance event 1: probabilities 1/2 \+ 1/3 sum to 5/6, not 1",
    ),
    (
        "negative_probability",
        HEADER + 'c "" 1 "" { "h" 3/2 "t" -1/2 } 0\nt "" 0\nt "" 0\n',
        r"bad\.efg:3: chance event 1: negative probability -1/2",
    ),
    (
        "truncated",
        HEADER + 'p "" 1 1 "" { "L" "R" } 0\nt "" 0\n',
        r"bad\.efg:4: the file ends before the tree is complete: the node at line 3",
    ),
    ("header", 'NFG 1 R "t" { "A" }\n', r"bad\.efg:1: not a Gambit \.efg file"),
    ("version", 'EFG 3 R "t" { "A" }\n', r"bad\.efg:1: unsupported \.efg version"),
    (
        "undeclared_infoset",
        HEADER + 'p "" 1 1 "" { "L" "R" } 0\np "" 2 4 0\nt "" 0\nt "" 0\n',
        r"bad\.efg:4: information set 4 of player 2 is used before its actions",
    ),
    (
        "unknown_player",
        HEADER + 'p "" 3 1 "" { "L" } 0\nt "" 0\n',
        r"bad\.efg:3: player 3 does not exist",
    ),
    (
        "trailing",
        HEADER + 't "" 0\nt "" 0\n',
        r"bad\.efg:4: unexpected 't' after the last node",
    ),
    ("bad_number", HEADER + 't "" 1 "" { 1 2x }\n', r"bad\.efg:3: malformed number '2x'"),
    ("zero_division", HEADER + 't "" 1 "" { 1 2/0 }\n', r"bad\.efg:3: number '2/0' divides"),
    ("huge_number", HEADER + 't "" 1 "" { 1 1e999 }\n', r"bad\.efg:3: number '1e999' is out"),
    (
        "null_outcome_payoffs",
        HEADER + 't "" 0 "" { 1 2 }\n',
        r"bad\.efg:3: outcome 0 \(no outcome\) cannot have",
    ),
    (
        "outcome_redeclared",
        HEADER + 'p "" 1 1 "" { "L" "R" } 0\nt "" 1 "" { 1 2 }\nt "" 1 "" { 1 3 }\n',
        r"bad\.efg:5: outcome 1 is declared again with different payoffs",
    ),
]


@pytest.mark.parametrize(("text", "pattern"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_efg_errors_name_file_and_line(text: str, pattern: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.efg"
    path.write_text(text)
    with pytest.raises(FileFormatError, match=pattern):
        read_game(path)


NFG_BAD = [
    ("count", 'NFG 1 R "t" { "A" "B" }\n{ 2 2 }\n1 2 3\n4', r"bad\.nfg:4: expected 8 payoffs"),
    (
        "strategy_groups",
        'NFG 1 R "t" { "A" "B" }\n{ { "x" }\n}\n1 2',
        r"bad\.nfg:3: expected '\{' opening the strategy labels of player 2",
    ),
    (
        "outcome_index",
        'NFG 1 R "t" { "A" }\n{ { "x" "y" } }\n{ { "" 1 }\n}\n1\n2',
        r"bad\.nfg:6: outcome 2 does not exist: the file lists 1",
    ),
    (
        "outcome_payoffs",
        'NFG 1 R "t" { "A" "B" }\n{ { "x" } { "y" } }\n{\n{ "" 1 }\n}\n1',
        r"bad\.nfg:4: outcome 1 has 1 payoff\(s\), expected 2",
    ),
    ("no_players", 'NFG 1 R "t" { }\n{ }\n', r"bad\.nfg:1: the game has no players"),
    ("zero_strategies", 'NFG 1 R "t" { "A" }\n{ 0 }\n', r"bad\.nfg:2: the number of strat"),
    ("extra", 'NFG 1 R "t" { "A" }\n{ 1 }\n1\n2\n', r"bad\.nfg:4: unexpected '2' after the 1"),
]


@pytest.mark.parametrize(("text", "pattern"), [b[1:] for b in NFG_BAD], ids=[b[0] for b in NFG_BAD])
def test_nfg_errors_name_file_and_line(text: str, pattern: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text(text)
    with pytest.raises(FileFormatError, match=pattern):
        read_game(path)


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match=r"g\.txt: unknown file extension '\.txt'"):
        read_game(tmp_path / "g.txt")
    with pytest.raises(FileFormatError, match=r"nope\.nfg: cannot read the file"):
        read_game(tmp_path / "nope.nfg")
    with pytest.raises(FileFormatError, match=r"cannot be written as \.efg"):
        game_to_text(NormalFormGame([[1]]), "efg")


# -- property tests ---------------------------------------------------------------------------
numbers = st.one_of(
    st.integers(-50, 50),
    st.fractions(min_value=-10, max_value=10, max_denominator=12),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=50, deadline=None)
@given(
    shape=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    data=st.data(),
    outcomes=st.booleans(),
)
def test_random_normal_form_round_trips(shape, data, outcomes) -> None:
    n = len(shape)
    size = int(np.prod(shape))
    payoffs = [
        np.array(data.draw(st.lists(numbers, min_size=size, max_size=size)), dtype=float).reshape(
            shape
        )
        for _ in range(n)
    ]
    labels = st.text(min_size=1, max_size=4)
    strategies = [data.draw(st.lists(labels, min_size=k, max_size=k, unique=True)) for k in shape]
    players = data.draw(st.lists(labels, min_size=n, max_size=n, unique=True))
    g = NormalFormGame(payoffs, players=players, strategies=strategies, title="rand")
    again = read_game_text(game_to_text(g, outcomes=outcomes))
    assert_same_nfg(g, again)


def random_tree(seed: int) -> GameTree:
    """A random perfect-recall tree: nodes of a player with the same own history and
    action count may share an information set."""
    rng = random.Random(seed)
    n = rng.randint(1, 3)
    players = [f"P{i}" for i in range(n)]
    names: dict[tuple, str] = {}
    weird = ["a", 'b "q"', "c\\", "d e", "é", ""]

    def build(depth: int, hist: tuple) -> object:
        r = rng.random()
        if depth >= 3 or r < 0.25:
            vals = [
                rng.choice([rng.randint(-9, 9), Fraction(rng.randint(-9, 9), 7), 0.25])
                for _ in range(n)
            ]
            return Terminal(*vals, label=rng.choice(weird))
        k = rng.randint(1, 3)
        if r < 0.4:
            probs = [Fraction(1, k)] * k
            return Chance(
                {f"c{j}": (probs[j], build(depth + 1, hist)) for j in range(k)},
                label=rng.choice(weird),
            )
        p = rng.randrange(n)
        own = tuple(h for h in hist if h[0] == p)
        key = (p, k, own, rng.random() < 0.5)
        name = names.setdefault(key, f"I{len(names)}")
        acts = {f"{name}-{j}": build(depth + 1, (*hist, (p, name, j))) for j in range(k)}
        return Decision(players[p], acts, infoset=name, label=rng.choice(weird))

    return GameTree(players, build(0, ()), title=f"seed {seed}")


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_tree_round_trips(seed: int) -> None:
    t = random_tree(seed)
    once = read_game_text(game_to_text(t))
    assert_same_tree(t, once)
    twice = read_game_text(game_to_text(once))
    assert_same_tree(once, twice)


def _sample_texts() -> list[str]:
    return [
        (DATA / n).read_text()
        for n in ("e02.nfg", "e02_outcomes.nfg", "poker.efg", "chance_nonterm_outcomes.efg")
    ]


PIECES = [
    "{",
    "}",
    '"',
    ",",
    "p",
    "c",
    "t",
    "0",
    "1",
    "-1/3",
    "2/0",
    ".",
    "1e5",
    "\\",
    "\n",
    " ",
    "NFG",
    "EFG",
    '""',
    "99999999999",
]


@settings(max_examples=200, deadline=None)
@given(
    which=st.integers(0, 3),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "insert", "replace", "truncate"]),
            st.floats(0, 1),
            st.sampled_from(PIECES),
            st.integers(1, 8),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_files_parse_or_raise_file_format_error(which, edits) -> None:
    text = _sample_texts()[which]
    for op, where, piece, width in edits:
        i = int(where * len(text))
        if op == "delete":
            text = text[:i] + text[i + width :]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "replace":
            text = text[:i] + piece + text[i + width :]
        else:
            text = text[:i]
    message = ""
    try:
        game = read_game_text(text, name="fuzz")
    except FileFormatError as exc:
        message = str(exc)
    if message:
        assert re.match(r"fuzz(:\d+)?: ", message)
    else:
        assert isinstance(game, (NormalFormGame, GameTree))
