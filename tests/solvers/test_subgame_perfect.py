"""Tests of bargain.solvers.trees.subgame_perfect: SPE of trees with information sets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.cli import main
from bargain.errors import SolverError
from bargain.games.extensive_form import Decision, GameTree, Terminal
from bargain.games.gambit_io import read_game
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.api import solve
from bargain.solvers.normal_form.vertex import vertex_enumeration
from bargain.solvers.trees.backward_induction import backward_induction
from bargain.solvers.trees.behavior import tree_regret
from bargain.solvers.trees.decomposition import Decomposition
from bargain.solvers.trees.subgame_perfect import subgame_perfect

# the suite runs with --import-mode=importlib: load the sibling helper module by path
_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)

DATA = Path(__file__).resolve().parents[1] / "data"
REGRET = 1e-8


def flat(eq):
    return np.concatenate([b for p in eq.behavior for b in p])


def assert_subgame_perfect(result):
    for eq in result:
        assert eq.max_regret <= REGRET
        if "subgame_regrets" in eq.info:
            assert 0 in eq.info["subgame_regrets"]
            assert max(eq.info["subgame_regrets"].values()) <= REGRET
        else:  # perfect information: backward induction's one-shot check
            assert eq.info["one_shot_regret"] <= REGRET


def bos_with_outside_option(outside=2.0) -> GameTree:
    """Player 1 takes an outside option worth `outside` to both, or enters a battle of the
    sexes (B,B) → (3, 1), (S,S) → (1, 3), else (0, 0) (the outside-option game behind van
    Damme's 1989 forward-induction argument; Osborne 2004, Exercise 318.2 style)."""

    def second(first: str) -> Decision:
        pay = {("B", "B"): (3, 1), ("S", "S"): (1, 3)}
        return Decision(
            "2", {c: Terminal(*pay.get((first, c), (0, 0))) for c in ("B", "S")}, infoset="col"
        )

    inside = Decision("1", {"B": second("B"), "S": second("S")}, infoset="row")
    return GameTree(("1", "2"), Decision("1", {"Out": Terminal(outside, outside), "In": inside}))


# -- Nash is not SPE -----------------------------------------------------------------------


def test_entry_game_spe_excludes_incredible_threat():
    # Mas-Colell, Whinston & Green (1995), §9.B (Example 9.B.3 style): after entry the
    # simultaneous subgame has the unique equilibrium (A, a); the Nash equilibria in which
    # the entrant stays out because the incumbent "fights" (f) are not subgame perfect
    # (Selten 1975).
    tree = trees.entry_game()
    r = subgame_perfect(tree)
    assert len(r) == 1
    (eq,) = r
    assert eq.path == ("In", "A", "a")
    np.testing.assert_allclose(eq.payoffs, [3, 1])
    np.testing.assert_allclose(flat(eq), [0, 1, 0, 1, 0, 1])  # In; A; a
    assert_subgame_perfect(r)
    # the strategic form has Nash equilibria with Out: each fails in the subgame at "In"
    nash = vertex_enumeration(tree.to_normal_form())
    outs = [e for e in nash if e.strategies[0][0] > 0.5]
    assert outs, "the threat equilibria exist in the strategic form"
    threat = ((np.array([1.0, 0.0]), np.array([1.0, 0.0])), (np.array([1.0, 0.0]),))  # Out,F;f
    assert tree_regret(tree, threat).max() <= REGRET  # Nash on the whole tree ...
    sub = GameTree(tree.players, tree.nodes[2])
    assert (
        tree_regret(sub, ((threat[0][1],), threat[1])).max() >= 1 - 1e-12
    )  # ... not in the subgame
    # the same through bargain.solve (method 'spe' is this decomposition)
    assert [e.path for e in solve(tree, method="spe")] == [("In", "A", "a")]


def test_battle_of_sexes_after_outside_option_lists_all_combinations():
    # The subgame after "In" has three equilibria (Osborne 2004, §4.? battle of the sexes):
    # (B, B) → 3 > 2, so player 1 enters; (S, S) → 1 < 2 and the mixed one (3/4, 1/4 for
    # player 1; 1/4, 3/4 for player 2) → 3/4 < 2, so player 1 takes the outside option.
    tree = bos_with_outside_option()
    r = solve(tree, method="spe")
    assert r.complete
    assert [e.path for e in r] == [("In", "B", "B"), ("Out",), ("Out",)]
    np.testing.assert_allclose([e.payoffs for e in r], [[3, 1], [2, 2], [2, 2]])
    want = [
        [0, 1, 1, 0, 1, 0],
        [1, 0, 0.75, 0.25, 0.25, 0.75],
        [1, 0, 0, 1, 0, 1],
    ]
    for eq, w in zip(r, want, strict=True):
        np.testing.assert_allclose(flat(eq), w, atol=1e-12)
    assert any("subgame at In has 3 equilibria" in n for n in r.notes)
    assert_subgame_perfect(r)


def test_single_equilibrium_mode_reports_selection():
    tree = bos_with_outside_option()
    r = solve(tree, method="spe", all_equilibria=False)
    assert len(r) == 1
    assert not r.complete  # the sequence form may miss equilibria of the piece
    assert any("may miss" in n for n in r.notes)
    assert_subgame_perfect(r)
    # ties at a perfect-information step: outside option worth exactly 3 = (B, B)
    tie = bos_with_outside_option(outside=3.0)
    r = subgame_perfect(tie, all_equilibria=False, subgame_method="vertex")
    assert any("first was selected" in n for n in r.notes)
    assert r[0].path == ("Out",)  # lowest index among optimal actions
    r = subgame_perfect(tie, all_equilibria=False, subgame_method="vertex", priority=["In"])
    assert r[0].path == ("In", "B", "B")


def test_cap_marks_incomplete():
    r = solve(bos_with_outside_option(), method="spe", max_equilibria=2)
    assert len(r) == 2
    assert not r.complete
    assert any("max_equilibria=2" in n for n in r.notes)


def test_three_players_logit_piece():
    # Player 1 stays out (1, 1, 1) or lets 2 and 3 play a prisoner's dilemma (Defect is
    # dominant for both: (D, D) → 0 for 2 and 3; player 1 gets 2 at (D, D)).
    def p3(a2: str) -> Decision:
        pay = {("C", "C"): (0, 3, 3), ("C", "D"): (0, 0, 4), ("D", "C"): (0, 4, 0)}
        return Decision(
            "3",
            {a: Terminal(*pay.get((a2, a), (2, 1, 1))) for a in ("C", "D")},
            infoset="three",
        )

    tree = GameTree(
        ("1", "2", "3"),
        Decision(
            "1", {"Out": Terminal(1, 1, 1), "In": Decision("2", {"C": p3("C"), "D": p3("D")})}
        ),
    )
    r = solve(tree, method="spe")
    assert r.method == "spe"
    (eq,) = r
    assert eq.path == ("In", "D", "D")
    np.testing.assert_allclose(eq.payoffs, [2, 1, 1], atol=1e-6)
    assert_subgame_perfect(r)
    with pytest.raises(SolverError, match="subgame_method 'vertex' needs two players"):
        subgame_perfect(tree, subgame_method="vertex")


# -- perfect information: the old results --------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_perfect_information_unchanged(seed):
    tree = trees.random_tree(seed, merge=0.0)
    old = backward_induction(tree, priority=["a1"])
    via_spe = subgame_perfect(tree, priority=["a1"])
    # the decomposition itself, forced on a perfect-information tree, gives the same list
    forced = Decomposition(tree, 1e-12, True, ("a1",), 1000, "auto", {}).run()
    for got in (via_spe, forced):
        assert len(got) == len(old)
        for a, b in zip(old, got, strict=True):
            assert a.path == b.path
            np.testing.assert_allclose(a.payoffs, b.payoffs, rtol=0, atol=1e-12)
            for pa, pb in zip(a.behavior, b.behavior, strict=True):
                for x, y in zip(pa, pb, strict=True):
                    np.testing.assert_array_equal(x, y)


# -- random trees with information sets ----------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10_000), chance=st.sampled_from([0.0, 0.2, 0.4]))
def test_random_trees_every_profile_is_subgame_perfect(seed, chance):
    tree = trees.random_tree(seed, chance=chance)
    r = solve(tree, method="spe", max_equilibria=50)
    assert len(r) >= 1
    assert_subgame_perfect(r)
    one = solve(tree, method="spe", all_equilibria=False)
    assert len(one) == 1
    assert_subgame_perfect(one)


@pytest.mark.parametrize("seed", range(20))
def test_random_deeper_trees_single(seed):
    tree = trees.random_tree(seed, max_depth=5, merge=0.3)
    r = solve(tree, method="spe", all_equilibria=False)
    assert_subgame_perfect(r)


# -- files and the CLI ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["sequence_form", "spe", "logit"])
def test_cli_solves_poker_file(method, capsys):
    # poker.efg (Gambit's doc/poker.efg, one-card poker after Myerson 1991): zero-sum with
    # value 1/3 to Alice; no proper subgame (the deal is the root), so spe = Nash.
    assert main(["solve", str(DATA / "poker.efg"), "--method", method, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == method
    assert data["players"] == ["Alice", "Bob"]
    assert data["equilibria"]
    tree = read_game(DATA / "poker.efg")
    for eq in data["equilibria"]:
        assert eq["max_regret"] <= 1e-6
        np.testing.assert_allclose(eq["payoffs"], [1 / 3, -1 / 3], atol=1e-6)
        behavior = [[np.array(b) for b in p] for p in eq["behavior"]]
        assert tree_regret(tree, behavior).max() <= 1e-6


@pytest.mark.parametrize("name", ["bayes1a.efg", "bayes2a.efg", "cent3.efg"])
def test_spe_on_gambit_files(name):
    tree = read_game(DATA / name)
    r = solve(tree, method="spe", max_equilibria=20)
    assert r.method == "spe"
    assert len(r) >= 1
    assert_subgame_perfect(r)


# -- bad input -----------------------------------------------------------------------------


def symbolic_tree() -> GameTree:
    ps = ParameterSet([Parameter("x", 1.0, (0, 2))])
    (x,) = ps.symbols()
    t = bos_with_outside_option()
    root = Decision("1", {"Out": Terminal(x, x), "In": t.nodes[2]})
    return GameTree(("1", "2"), root, parameters=ps)


@pytest.mark.parametrize(
    ("game", "options", "match"),
    [
        (NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), {}, "needs a GameTree"),
        (symbolic_tree(), {}, "symbolic payoffs"),
        (
            bos_with_outside_option(),
            {"tol": -1.0},
            r"option 'tol' of method 'spe': must be a real number in \[0, 1\), got -1\.0",
        ),
        (
            bos_with_outside_option(),
            {"tol": float("nan")},
            r"option 'tol' .*must be a real number in \[0, 1\), got nan",
        ),
        (
            bos_with_outside_option(),
            {"max_equilibria": 0},
            r"option 'max_equilibria' .*must be a positive integer, got 0",
        ),
        (bos_with_outside_option(), {"subgame_method": "magic"}, "subgame_method must be one"),
        (bos_with_outside_option(), {"priority": [3]}, "priority must be action labels"),
    ],
    ids=["normal-form", "symbolic", "negative-tol", "nan-tol", "zero-cap", "method", "priority"],
)
def test_bad_input(game, options, match):
    with pytest.raises(SolverError, match=match):
        subgame_perfect(game, **options)


def test_large_piece_falls_back_to_sequence_form():
    # bayes2a.efg: one piece whose reduced strategic form has 64 x 64 profiles, over the
    # vertex limit of "auto": solved by the sequence form, and the note says so
    r = solve(read_game(DATA / "bayes2a.efg"), method="spe")
    assert not r.complete
    assert any("instead of vertex" in n for n in r.notes)
    assert_subgame_perfect(r)
