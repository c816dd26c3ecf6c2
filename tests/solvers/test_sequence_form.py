"""Tests of bargain.solvers.trees.sequence_form: two-player trees with imperfect information."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import ParameterError, SolverError
from bargain.games.extensive_form import Decision, GameTree, Terminal
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.api import solve
from bargain.solvers.trees.behavior import expected_payoffs, tree_regret
from bargain.solvers.trees.sequence_form import sequence_form

# the suite runs with --import-mode=importlib: load the sibling helper module by path
_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)

# the answers pygambit gave, stored by tests/data/gambit/regenerate.py
_spec = importlib.util.spec_from_file_location(
    "gambit_stored", Path(__file__).parents[1] / "data" / "gambit" / "stored.py"
)
gambit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gambit)

REGRET = 1e-8


def own(tree, eq, player):
    """{information set name: action probabilities} of one player."""
    sets = [s for s in tree.infosets if s.player == player]
    return {s.name: b for s, b in zip(sets, eq.behavior[player], strict=True)}


def reached(eq, tree, name):
    """Whether the equilibrium reaches information set `name` with positive probability."""
    (s,) = [s for s in tree.infosets if s.name == name]
    return s.index in eq.info["beliefs"]


# -- Kuhn poker ----------------------------------------------------------------------------


def assert_kuhn_family(tree, eq):
    """Kuhn (1950); see e.g. the parametrization in Southey et al. (2005) or Wikipedia
    "Kuhn poker": player 1 bets J with α ∈ [0, 1/3], never bets Q, bets K with 3α; after
    check–bet folds J, calls Q with α + 1/3, calls K.  Player 2 (unique): facing a bet calls
    K, calls Q with 1/3, folds J; facing a check bets K, checks Q, bets J with 1/3."""
    b1, b2 = own(tree, eq, 0), own(tree, eq, 1)
    alpha = b1["1J"][1]
    assert -1e-9 <= alpha <= 1 / 3 + 1e-9
    np.testing.assert_allclose(b1["1Q"], [1, 0], atol=1e-8)
    np.testing.assert_allclose(b1["1K"][1], 3 * alpha, atol=1e-8)
    for name, call in (("1Jcb", 0.0), ("1Qcb", alpha + 1 / 3), ("1Kcb", 1.0)):
        if reached(eq, tree, name):
            np.testing.assert_allclose(b1[name][1], call, atol=1e-8, err_msg=name)
    want2 = {"2Kb": 1, "2Qb": 1 / 3, "2Jb": 0, "2Kc": 1, "2Qc": 0, "2Jc": 1 / 3}
    for name, p in want2.items():
        if reached(eq, tree, name):
            np.testing.assert_allclose(b2[name][1], p, atol=1e-8, err_msg=name)


@pytest.mark.parametrize(
    "options",
    [{}, {"zero_sum": False}, {"zero_sum": False, "exact": True}, {"zero_sum": False, "starts": 4}],
    ids=["lp", "lemke", "lemke-exact", "lemke-4-starts"],
)
def test_kuhn_poker_value_and_family(options):
    tree = trees.kuhn_poker()
    r = sequence_form(tree, **options)
    assert r.method == "sequence_form"
    assert len(r) >= 1
    for eq in r:
        # game value −1/18 for the first player (Kuhn 1950)
        np.testing.assert_allclose(eq.payoffs, [-1 / 18, 1 / 18], atol=1e-10)
        assert eq.max_regret <= REGRET
        assert tree_regret(tree, eq.behavior).max() <= REGRET
        assert_kuhn_family(tree, eq)
    if options.get("exact"):
        for p, probs in enumerate(r[0].exact):
            assert all(isinstance(v, Fraction) for v in probs)
            flat = np.concatenate(r[0].behavior[p])
            np.testing.assert_allclose([float(v) for v in probs], flat, atol=1e-12)
        # player 2 calls Q / bluffs J with exactly 1/3 (Kuhn 1950)
        assert Fraction(1, 3) in r[0].exact[1]
    if "zero_sum" not in options:
        assert r[0].info["value"] == pytest.approx(-1 / 18, abs=1e-10)
        assert r.complete


def test_kuhn_value_matches_pygambit_lp():
    # stored in tests/data/gambit/lp.json: pygambit 16.7.0, lp_solve(read_efg(the tree as
    # .efg), rational=True).equilibria[0].payoff(P1)
    tree = trees.kuhn_poker()
    theirs = Fraction(gambit.tree_entry("lp", "kuhn_poker", tree)["payoffs"][0])
    assert theirs == Fraction(-1, 18)
    assert sequence_form(tree)[0].info["value"] == pytest.approx(float(theirs), abs=1e-12)


# -- known small games -----------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    factory: object
    options: dict
    payoffs: tuple  # the equilibrium payoff vectors that are possible
    must_find: tuple  # payoff vectors that the starts must reach


CASES = {
    # Matching pennies as a tree: unique equilibrium (1/2, 1/2) each, value 0
    # (von Neumann & Morgenstern 1944; Osborne 2004, §4.1).
    "matching_pennies-lp": Case(trees.matching_pennies, {}, ((0, 0),), ((0, 0),)),
    "matching_pennies-lemke": Case(
        trees.matching_pennies, {"zero_sum": False, "starts": 3}, ((0, 0),), ((0, 0),)
    ),
    # Battle of the sexes as a tree: equilibria (B,B) → (2,1), (S,S) → (1,2) and the mixed
    # one → (2/3, 2/3) (Osborne 2004, Ex. 114.1); the pure priors reach both pure ones.
    "battle_of_sexes": Case(
        trees.battle_of_sexes, {"starts": 3}, ((2, 1), (1, 2), (2 / 3, 2 / 3)), ((2, 1), (1, 2))
    ),
    # Beer–quiche (Cho & Kreps 1987): only pooling equilibria; pooling on beer pays
    # (0.9·3 + 0.1·2, 0.9) = (2.9, 0.9), pooling on quiche (2.1, 0.9).
    "beer_quiche": Case(trees.beer_quiche, {"starts": 6}, ((2.9, 0.9), (2.1, 0.9)), ((2.9, 0.9),)),
    # Entry with a simultaneous post-entry subgame (after Mas-Colell, Whinston & Green
    # 1995, §9.B): the subgame-perfect (In, A, a) → (3, 1); Nash but not subgame perfect:
    # Out with the incumbent fighting often enough → (0, 2).
    "entry_game": Case(trees.entry_game, {"starts": 4}, ((3, 1), (0, 2)), ((3, 1), (0, 2))),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_known_games(case):
    tree = case.factory()
    r = sequence_form(tree, **case.options)
    found = [tuple(eq.payoffs) for eq in r]
    for eq in r:
        assert eq.max_regret <= REGRET
        assert any(np.allclose(eq.payoffs, p, atol=1e-9) for p in case.payoffs), eq.payoffs
    for p in case.must_find:
        assert any(np.allclose(f, p, atol=1e-9) for f in found), (p, found)


def test_matching_pennies_profile_is_unique_mix():
    eq = sequence_form(trees.matching_pennies())[0]
    for b in (*eq.behavior[0], *eq.behavior[1]):
        np.testing.assert_allclose(b, [0.5, 0.5], atol=1e-9)
    assert eq.info["beliefs"][1] == pytest.approx([0.5, 0.5])


def test_beer_quiche_only_pooling_with_deterrence():
    tree = trees.beer_quiche()
    r = sequence_form(tree, starts=6)
    for eq in r:
        s = own(tree, eq, 0)
        strong, weak = s["strong"], s["weak"]
        np.testing.assert_allclose(strong, weak, atol=1e-9)  # pooling
        food = int(np.argmax(strong))
        assert strong[food] == pytest.approx(1.0)
        off = "after quiche" if food == 0 else "after beer"
        duel = own(tree, eq, 1)[off][0]
        # off the path the receiver duels with probability >= 1/2 (Cho & Kreps 1987)
        assert duel >= 0.5 - 1e-9 or not reached(eq, tree, off)
        on = "after beer" if food == 0 else "after quiche"
        (idx,) = [x.index for x in tree.infosets if x.name == on]
        np.testing.assert_allclose(eq.info["beliefs"][idx], [0.9, 0.1])  # the prior


def test_entry_game_out_equilibrium_deters():
    tree = trees.entry_game()
    for eq in sequence_form(tree, starts=4):
        if np.allclose(eq.payoffs, (0, 2)):
            # entering is unprofitable: 5q - 2 <= 0 with q = P(accommodate)
            assert own(tree, eq, 1)["inc"][1] <= 2 / 5 + 1e-9
            assert eq.path == ("Out",)
        else:
            assert eq.path == ("In", "A", "a")


def test_degenerate_all_zero_terminates():
    tree = trees.random_tree(3, payoff_range=0)
    r = sequence_form(tree, zero_sum=False, starts=3)
    assert all(eq.max_regret == 0.0 for eq in r)


def test_leduc_lemke_matches_lp_value():
    tree = trees.leduc_poker(2)
    value = sequence_form(tree)[0].info["value"]
    eq = sequence_form(tree, zero_sum=False)[0]
    assert eq.max_regret <= REGRET
    assert eq.payoffs[0] == pytest.approx(value, abs=1e-9)


def test_deterministic_and_via_solve():
    tree = trees.beer_quiche()
    a = sequence_form(tree, starts=5)
    b = solve(tree, method="sequence_form", starts=5)
    assert b.method == "sequence_form"
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        for bx, by in zip(x.behavior, y.behavior, strict=True):
            for u, v in zip(bx, by, strict=True):
                np.testing.assert_array_equal(u, v)


def test_explicit_starts():
    tree = trees.battle_of_sexes()
    r = sequence_form(tree, starts=[[[[0, 1]], [[0, 1]]]])  # prior (S, S)
    assert len(r) == 1
    np.testing.assert_allclose(r[0].payoffs, (1, 2))


# -- cross-checks with pygambit ------------------------------------------------------------
# Gambit's answers are stored in tests/data/gambit/lcp.json by regenerate.py: pygambit
# 16.7.0, lcp_solve(read_efg(the tree as .efg), rational=False); per equilibrium the
# behavior (player, information set in Gambit's order, action) and the payoffs. The live
# comparison, and Gambit's max_regret of our profiles, is tests/crosscheck/.

LCP_RANDOM = {f"random_general_sum_{seed}": (seed, {}) for seed in range(6)}
# zero-sum trees, half with chance nodes; random_tree(237, zero_sum=True, chance=0,
# payoff_range=1) is where pygambit 16.7's lp_solve returns an invalid profile (root
# probabilities all 0, value 0) though the value is -1, so lcp_solve is the oracle
LCP_ZERO_SUM = {
    f"zero_sum_{seed}_chance{chance}": (
        seed,
        {"zero_sum": True, "chance": chance, "payoff_range": 1 if seed % 2 else 5},
    )
    for seed, chance in [*((s, 0.3 * (s % 3 == 0)) for s in range(12)), (237, 0)]
}
# what regenerate.py runs pygambit on
GAMBIT_TREES = {
    "lp": {"kuhn_poker": trees.kuhn_poker},
    "lcp": {
        key: (lambda seed=seed, kw=kw: trees.random_tree(seed, **kw))
        for key, (seed, kw) in {**LCP_RANDOM, **LCP_ZERO_SUM}.items()
    },
}


def gambit_equilibria(key, tree):
    """Gambit's lcp equilibria of `tree`: (behavior in our layout, payoffs)."""
    stored = gambit.tree_entry("lcp", key, tree)["equilibria"]
    assert stored, key  # every finite game has an equilibrium
    return [([[np.array(b) for b in p] for p in e["behavior"]], e["payoffs"]) for e in stored]


@pytest.mark.parametrize("key", LCP_RANDOM)
def test_against_pygambit_lcp(key):
    tree = GAMBIT_TREES["lcp"][key]()
    for beh, want in gambit_equilibria(key, tree):
        # their equilibria have no regret on our tree, and the same payoffs
        assert tree_regret(tree, beh).max() <= 1e-7
        np.testing.assert_allclose(expected_payoffs(tree, beh), want, atol=1e-9)
    for eq in sequence_form(tree, zero_sum=False, starts=3):
        assert tree_regret(tree, eq.behavior).max() <= 1e-7


@pytest.mark.parametrize("key", LCP_ZERO_SUM)
def test_zero_sum_value_matches_pygambit_lcp(key):
    tree = GAMBIT_TREES["lcp"][key]()
    value = sequence_form(tree)[0].info["value"]
    for beh, want in gambit_equilibria(key, tree):
        assert value == pytest.approx(want[0], abs=1e-8)
        assert tree_regret(tree, beh).max() <= 1e-7
    for eq in sequence_form(tree, zero_sum=False, starts=2):
        # every equilibrium of a zero-sum game pays the value
        assert eq.payoffs[0] == pytest.approx(value, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), zero_sum=st.booleans(), chance=st.sampled_from([0, 0.3]))
def test_random_trees_property(seed, zero_sum, chance):
    tree = trees.random_tree(
        seed, zero_sum=zero_sum, chance=chance, payoff_range=1 if seed % 2 else 5
    )
    r = sequence_form(tree, zero_sum=False, starts=2)
    for eq in r:
        assert eq.max_regret <= REGRET
        assert tree_regret(tree, eq.behavior).max() <= REGRET
    if zero_sum:
        value = sequence_form(tree)[0].info["value"]
        for eq in r:  # every equilibrium of a zero-sum game pays the value
            assert eq.payoffs[0] == pytest.approx(value, abs=1e-8)


# -- bad input --------------------------------------------------------------------------------


def three_player_tree():
    return GameTree(
        ("A", "B", "C"), Decision("A", {"l": Terminal(1, 0, 0), "r": Terminal(0, 1, 0)})
    )


def symbolic_tree():
    ps = ParameterSet([Parameter("c", 1.0, (0, 2))])
    (c,) = ps.symbols()
    return GameTree(
        ("A", "B"), Decision("A", {"l": Terminal(c, 0), "r": Terminal(0, 1)}), parameters=ps
    )


BAD = {
    "normal_form": (lambda: NormalFormGame([[[1]], [[1]]]), {}, SolverError, "needs a GameTree"),
    "three_players": (three_player_tree, {}, SolverError, "two-player tree, got 3 players"),
    "symbolic": (symbolic_tree, {}, SolverError, r"symbolic.*\.numeric"),
    "tol": (trees.kuhn_poker, {"tol": -1.0}, ParameterError, "'tol'"),
    "max_iter": (trees.kuhn_poker, {"max_iter": 0}, ParameterError, "'max_iter'"),
    "starts_zero": (trees.kuhn_poker, {"starts": 0}, ParameterError, "'starts'"),
    "starts_shape": (trees.kuhn_poker, {"starts": [[[], []]]}, ParameterError, "profile 0"),
    "seed": (trees.kuhn_poker, {"seed": "x"}, ParameterError, "'seed'"),
    "not_zero_sum": (
        trees.battle_of_sexes,
        {"zero_sum": True},
        SolverError,
        "sum to the same constant",
    ),
    "exact_lp": (trees.kuhn_poker, {"exact": True}, SolverError, "Lemke only"),
    "capped": (
        trees.kuhn_poker,
        {"zero_sum": False, "max_iter": 1},
        SolverError,
        "reached max_iter",
    ),
}


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_bad_input(case):
    factory, options, error, message = case
    with pytest.raises(error, match=message):
        sequence_form(factory(), **options)


def test_symbolic_after_numeric_solves():
    r = sequence_form(symbolic_tree().numeric(c=2.0))
    assert r[0].payoffs.tolist() == [2.0, 0.0]


# -- proper subgames ------------------------------------------------------------------------


def test_proper_subgames():
    from bargain.solvers.trees.subgames import proper_subgames

    # the post-entry simultaneous game is the only proper subgame (MWG 1995, §9.B)
    entry = trees.entry_game()
    assert proper_subgames(entry) == (2,)
    assert entry.path(2) == ("In",)
    # Kuhn poker: every information set of player 1 spans two deals, so none
    assert proper_subgames(trees.kuhn_poker()) == ()
    # beer-quiche: the receiver's sets join both types, so none either
    assert proper_subgames(trees.beer_quiche()) == ()
    # perfect information: every non-terminal node below the root
    t = GameTree(
        ("A", "B"),
        Decision(
            "A",
            {"x": Decision("B", {"l": Terminal(1, 0), "r": Terminal(0, 1)}), "y": Terminal(0, 0)},
        ),
    )
    assert proper_subgames(t) == (1,)
