"""Payoffs beyond 2**53 (or spanning more than 1e15): exact verification or a clear error.

Gambit's tests/test_games/large_payoff_game.efg (payoffs +-1e19, issue 20): floats hold
1e19 exactly but not 1e19 + 1, so a float regret there is rounding, and a tolerance that
scales with 1e19 would accept regrets of 0.5 on the small payoffs.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain.errors import SolverError
from bargain.solvers.api import METHODS
from bargain.solvers.certify import exact_tree_regret, magnitude_reason
from bargain.solvers.normal_form.exact import verify_exact
from bargain.solvers.trees.behavior import tree_regret

FILE = Path(__file__).parents[1] / "data" / "gambit" / "large_payoff_game.efg"
TREE_METHODS = ("spe", "sequence_form", "logit")


def exact_nf_payoffs(tree: bg.GameTree):
    """The reduced strategic form with payoffs as exact integers (the tree's are integers
    and its chance probabilities 1/2), built from the float one: every entry is an integer
    or a half-integer of magnitude <= 1e19, each exactly a float."""
    nf = tree.to_normal_form()
    return [np.array([[Fraction(x) for x in row] for row in M], dtype=object) for M in nf.payoffs]


def attempt(game, method: str):
    try:
        return bg.solve(game, method=method), ""
    except SolverError as exc:
        return None, str(exc)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_is_exact_or_refuses(method: str) -> None:
    tree = bg.read_game(FILE)
    game = tree if method in TREE_METHODS else tree.to_normal_form()
    assert magnitude_reason(game) is not None
    r, error = attempt(game, method)
    if r is None:
        assert "2**53" in error  # the reason is named
        return
    if method == "iesds":  # eliminates strategies, claims no equilibrium
        assert len(r) == 0
        return
    assert len(r) >= 1
    assert r.tolerance == 0.0  # never a tolerance grown with the payoffs
    fracs = None if game is tree else exact_nf_payoffs(tree)
    for eq in r:
        assert eq.exact is not None
        assert eq.max_regret == 0.0
        if game is tree:
            prof = regroup(tree, eq.exact)
            assert exact_tree_regret(tree, prof) == 0
        else:
            assert verify_exact(fracs, eq.exact) == 0


def regroup(tree: bg.GameTree, flat: tuple) -> list:
    out = []
    for p in range(tree.n_players):
        per, k = [], 0
        for s in (s for s in tree.infosets if s.player == p):
            per.append(tuple(flat[p][k : k + len(s.actions)]))
            k += len(s.actions)
        out.append(per)
    return out


def test_sequence_form_does_not_accept_a_wrong_profile() -> None:
    # the float Lemke answer had regret 0.5 and passed a 1e10 tolerance (issue 20)
    tree = bg.read_game(FILE)
    for options in ({}, {"zero_sum": False}, {"zero_sum": True}):
        r = bg.solve(tree, method="sequence_form", **options)
        for eq in r:
            assert exact_tree_regret(tree, regroup(tree, eq.exact)) == 0


def test_a_wrong_float_profile_is_dropped_or_refused() -> None:
    # support enumeration's float pass finds profiles with exact regret 1/2, 1, 3/2 here
    tree = bg.read_game(FILE)
    r = bg.solve(tree.to_normal_form(), method="support")
    assert not r.complete
    assert "failed exact verification" in " ".join(r.notes)


def test_spread_alone_triggers() -> None:
    g = bg.NormalFormGame([[[1e-9, 1e9], [0, 1]], [[0, 0], [1, 0]]])
    assert "ratio" in magnitude_reason(g)
    assert magnitude_reason(bg.NormalFormGame([[[1e-3, 1e9]], [[0, 1]]])) is None
    r = bg.solve(g, method="support")
    for eq in r:
        assert eq.exact is not None


@pytest.mark.parametrize("seed", range(12))
def test_exact_tree_regret_matches_float(seed: int) -> None:
    # on ordinary payoffs the exact regret equals the float one (up to rounding)
    rng = np.random.default_rng(seed)

    def guess(c: str) -> bg.Decision:
        pay = {k: (int(rng.integers(-3, 4)), int(rng.integers(-3, 4))) for k in "hmt"}
        return bg.Decision("B", {k: bg.Terminal(*pay[k]) for k in "hmt"}, infoset="g")

    tree = bg.GameTree(
        ("A", "B"),
        bg.Chance(
            {
                "x": (
                    Fraction(1, 3),
                    bg.Decision("A", {"h": guess("h"), "t": guess("t")}, infoset="a"),
                ),
                "y": (
                    Fraction(2, 3),
                    bg.Decision("A", {"h": guess("h"), "t": guess("t")}, infoset="a"),
                ),
            }
        ),
    )
    w = [Fraction(int(v), 10) for v in rng.integers(0, 11, 2)]
    prof = [[(w[0], 1 - w[0])], [(w[1] / 2, w[1] / 2, 1 - w[1])]]
    exact = exact_tree_regret(tree, prof)
    floats = [[np.array([float(x) for x in b]) for b in per] for per in prof]
    assert float(exact) == pytest.approx(float(tree_regret(tree, floats).max()), abs=1e-12)
