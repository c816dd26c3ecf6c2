"""Metamorphic properties: transformations of a game that must move its equilibria in a
known way (or not at all). Each is a theorem about equilibria, not about the code:

* adding a constant to one player's payoffs, or multiplying them by a positive number,
  changes no best response and so no (Nash or subgame-perfect) equilibrium (von Neumann &
  Morgenstern 1944: utilities are unique up to positive affine maps);
* renaming (permuting) a player's strategies permutes the equilibria the same way.

Normal forms are checked with exact vertex enumeration on integer games (so "the same
equilibria" means equal rational profiles, not close floats), and trees with
``solve(method="spe")`` on the oracle's random trees (tests/oracles.py).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.api import solve
from bargain.solvers.normal_form.vertex import vertex_enumeration

_spec = importlib.util.spec_from_file_location("oracles", Path(__file__).parents[1] / "oracles.py")
oracles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracles)


@st.composite
def integer_bimatrix(draw, max_size: int = 4):
    m, n = draw(st.integers(1, max_size)), draw(st.integers(1, max_size))
    cells = st.lists(st.integers(-3, 3), min_size=m * n, max_size=m * n)
    A = np.array(draw(cells), dtype=np.int64).reshape(m, n)
    B = np.array(draw(cells), dtype=np.int64).reshape(m, n)
    return A, B


def exact_equilibria(A, B) -> set:
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    assert r.complete
    assert len(r) >= 1
    return {eq.exact for eq in r}


@settings(max_examples=60, deadline=None)
@given(
    game=integer_bimatrix(),
    player=st.integers(0, 1),
    scale=st.integers(1, 7),
    shift=st.integers(-20, 20),
)
def test_positive_affine_map_of_one_player_keeps_equilibria(game, player, scale, shift):
    A, B = game
    before = exact_equilibria(A, B)
    moved = [A, B]
    moved[player] = scale * moved[player] + shift
    assert exact_equilibria(*moved) == before


@settings(max_examples=60, deadline=None)
@given(game=integer_bimatrix(), data=st.data())
def test_permuting_strategies_permutes_equilibria(game, data):
    A, B = game
    m, n = A.shape
    rows = data.draw(st.permutations(range(m)))
    cols = data.draw(st.permutations(range(n)))
    before = exact_equilibria(A, B)
    # strategy k of the new game is strategy rows[k] (cols[k]) of the old one
    after = exact_equilibria(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
    assert after == {(tuple(x[i] for i in rows), tuple(y[j] for j in cols)) for x, y in before}


def _map_payoffs(tree: GameTree, f) -> GameTree:
    """The same tree with every leaf's payoff vector replaced by f(payoffs)."""

    def copy(node):
        if isinstance(node, Terminal):
            return Terminal(*f(node.payoffs))
        if isinstance(node, Chance):
            return Chance({a: (p, copy(c)) for a, (p, c) in node.outcomes.items()})
        return Decision(node.player, {a: copy(c) for a, c in node.actions.items()})

    return GameTree(tree.players, copy(tree.root), title=tree.title)


def _spe_list(tree, priority) -> tuple:
    r = solve(tree, method="spe", priority=priority)
    return r.complete, [eq.info["choices"] for eq in r]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.integers(1, 9), shift=st.integers(-50, 50))
def test_spe_invariant_under_positive_affine_map_of_one_player(seed, scale, shift):
    tree, priority = oracles.random_tree(seed)
    player = seed % tree.n_players
    moved = _map_payoffs(
        tree,
        lambda u: tuple(scale * x + shift if k == player else x for k, x in enumerate(u)),
    )
    # the same list in the same order (truncated lists too): the enumeration compares
    # payoffs of one player at a time, and the tie rule looks at labels and indices only
    assert _spe_list(moved, priority) == _spe_list(tree, priority)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_spe_payoffs_move_with_the_map(seed):
    tree, priority = oracles.random_tree(seed)
    r0 = solve(tree, method="spe", priority=priority, all_equilibria=False)
    moved = _map_payoffs(tree, lambda u: tuple(3 * x - 2 for x in u))
    r1 = solve(moved, method="spe", priority=priority, all_equilibria=False)
    assert r1[0].info["choices"] == r0[0].info["choices"]
    np.testing.assert_allclose(r1[0].payoffs, 3 * r0[0].payoffs - 2, atol=1e-9)
