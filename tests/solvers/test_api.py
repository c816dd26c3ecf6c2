"""bargain.solve: method choice by `auto`, dispatch errors, and timing/notes."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain.errors import SolverError
from bargain.solvers import api, verify
from bargain.solvers.trees.behavior import tree_regret
from bargain.solvers.verify import max_regret

DATA = Path(__file__).resolve().parents[1] / "data"

# the suite runs with --import-mode=importlib: load the sibling helper module by path
_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)


def test_auto_two_players_is_vertex():
    g = bg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    r = bg.solve(g)
    assert r.method == "vertex"
    assert r.notes[0].startswith("auto: 2 players -> vertex")
    (eq,) = r.equilibria
    np.testing.assert_allclose(eq.strategies[0], [0.5, 0.5])


def test_auto_three_players_is_pure_plus_logit():
    # McKelvey & McLennan's 2x2x2 game (Gambit's sample 2x2x2.nfg) has 9 equilibria;
    # `auto` must return every pure one and the logit branch limit, each verified.
    g = bg.read_game(DATA / "2x2x2.nfg")
    r = bg.solve(g)
    pure = bg.solve(g, method="pure").equilibria
    assert r.method == "pure+logit"
    assert r.complete is False
    assert len(r.equilibria) == len(pure) + 1
    for eq in r.equilibria:
        assert max_regret(g.payoffs, eq.strategies) <= 1e-8
    assert any(not eq.is_pure(1e-9) for eq in r.equilibria)


def test_auto_tree_is_spe():
    t = bg.GameTree(("A", "B"), bg.Decision("A", {"L": bg.Terminal(1, 0), "R": bg.Terminal(0, 1)}))
    r = bg.solve(t)
    assert r.method == "spe"
    assert r.equilibria[0].path == ("L",)
    assert r.seconds >= 0


def test_auto_two_player_tree_with_information_sets_is_spe():
    # Entry with a simultaneous post-entry subgame (after Mas-Colell, Whinston & Green
    # 1995, §9.B): staying out, with the incumbent fighting often enough, is a Nash
    # equilibrium but not subgame perfect (the subgame after "In" has the unique
    # equilibrium (A, a)).  `auto` must not return it.
    tree = trees.entry_game()
    nash = [eq.payoffs.tolist() for eq in bg.solve(tree.to_normal_form(), method="vertex")]
    assert [0.0, 2.0] in nash  # the Out equilibria exist in the strategic form
    r = bg.solve(tree)
    assert r.method == "spe"
    assert r.notes[0] == (
        "auto: 2-player tree with information sets -> spe (subgame decomposition; pieces "
        "with information sets by vertex/sequence_form)"
    )
    assert r.complete
    assert [eq.path for eq in r.equilibria] == [("In", "A", "a")]
    for eq in r.equilibria:
        assert eq.max_regret <= 1e-9
        assert eq.info["subgame_perfect"] is True
        assert max(eq.info["subgame_regrets"].values()) <= 1e-9
        np.testing.assert_allclose(eq.payoffs, [3, 1])


def test_auto_n_player_tree_with_information_sets_is_spe_with_logit_pieces():
    # A three-player tree shaped like Selten's (1975) horse: player 3's information set
    # joins "D" and "C, d", so there is no proper subgame and the one piece is solved by
    # logit, which may miss equilibria (complete is False and a note says why).
    def three(left, right):
        return bg.Decision("3", {"L": bg.Terminal(*left), "R": bg.Terminal(*right)}, infoset="3")

    root = bg.Decision(
        "1",
        {
            "C": bg.Decision("2", {"c": bg.Terminal(1, 1, 1), "d": three((4, 4, 0), (0, 0, 1))}),
            "D": three((3, 3, 2), (0, 0, 0)),
        },
    )
    tree = bg.GameTree(("1", "2", "3"), root)
    r = bg.solve(tree)
    assert r.method == "spe"
    assert r.notes[0].startswith("auto: 3-player tree with information sets -> spe")
    assert r.notes[0].endswith("by logit)")
    assert r.complete is False
    assert any("solved by logit, which may miss equilibria" in n for n in r.notes)
    assert r.equilibria
    for eq in r.equilibria:
        assert eq.max_regret <= 1e-9
        assert tree_regret(tree, eq.behavior).max() <= 1e-9


def test_auto_exact_on_a_tree_with_information_sets_is_sequence_form():
    # spe has no exact mode; the sequence form verifies in rational arithmetic
    tree = trees.entry_game()
    r = bg.solve(tree, exact=True)
    assert r.method == "sequence_form"
    assert "exact=True -> sequence_form" in r.notes[0]
    assert all(eq.exact is not None for eq in r.equilibria)
    with pytest.raises(SolverError, match="method 'spe' takes no option 'exact'"):
        bg.solve(tree, method="spe", exact=True)


def test_an_option_the_method_lacks_is_named():
    three = bg.NormalFormGame([np.zeros((2, 2, 2))] * 3)
    # pure+logit hands its options to logit, which has no exact mode
    with pytest.raises(SolverError, match="method 'pure\\+logit' takes no option 'exact'"):
        bg.solve(three, exact=True)
    g = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(SolverError, match="takes no option 'bogus'; its options: tol, degenerate"):
        bg.solve(g, method="support", bogus=1)
    # spe passes subgame_method to the decomposition
    r = bg.solve(trees.entry_game(), method="spe", subgame_method="sequence_form")
    assert [eq.path for eq in r] == [("In", "A", "a")]


def test_unknown_method_and_missing_module(monkeypatch):
    g = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(SolverError, match="unknown method 'nope'; choose one of: auto, pure"):
        bg.solve(g, method="nope")
    monkeypatch.setitem(api.METHODS, "future", ("bargain.solvers.future_method", "f"))
    with pytest.raises(SolverError, match="no solver for method 'future' in this version yet"):
        bg.solve(g, method="future")
    with pytest.raises(SolverError, match="cannot solve a str"):
        bg.solve("not a game")
    with pytest.raises(SolverError, match="method must be a string"):
        bg.solve(g, method=3)


def test_logit_on_a_tree_returns_behavior_strategies():
    # Gambit's poker.efg is zero-sum: the logit limit must pay the value the sequence-form
    # LP finds, and be an equilibrium on the tree.
    tree = bg.read_game(DATA / "poker.efg")
    r = bg.solve(tree, method="logit")
    lp = bg.solve(tree, method="sequence_form")
    (eq,) = r.equilibria
    assert eq.strategies is None
    assert [len(b) for b in eq.behavior] == [2, 1]
    assert eq.max_regret <= 1e-8
    np.testing.assert_allclose(eq.payoffs, lp.equilibria[0].payoffs, atol=1e-8)
    assert r.notes[0].startswith("logit on the reduced strategic form")


def test_two_player_regret_fast_path_matches_general_formula():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 4, 3))
    x, y = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(3))
    fast = verify.deviation_payoffs([a, b], [x, y])
    np.testing.assert_allclose(fast[0], np.tensordot(a, y, axes=([1], [0])))
    np.testing.assert_allclose(fast[1], np.tensordot(b, x, axes=([0], [0])))
