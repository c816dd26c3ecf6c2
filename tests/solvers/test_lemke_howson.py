"""Tests of bargain.solvers.normal_form.lemke_howson (method "lemke_howson")."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.api import solve
from bargain.solvers.normal_form.lemke_howson import lemke_howson
from bargain.solvers.normal_form.support import support_enumeration
from bargain.solvers.verify import max_regret

# von Stengel (2007), Algorithmic Game Theory ch. 3: the 3x2 game and its 3 equilibria.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_EQ = (
    ((1, 0, 0), (1, 0)),
    ((4 / 5, 1 / 5, 0), (2 / 3, 1 / 3)),
    ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3)),
)


def _index_in(eq, profiles, atol=1e-9) -> int:
    for k, (x, y) in enumerate(profiles):
        if np.allclose(eq.strategies[0], x, atol=atol) and np.allclose(
            eq.strategies[1], y, atol=atol
        ):
            return k
    raise AssertionError(f"{eq.strategies} is not among {profiles}")


def test_von_stengel_label_map() -> None:
    g = NormalFormGame([VS_A, VS_B])
    r = lemke_howson(g, labels="all")
    assert r.complete
    reached = {}
    for eq in r:
        k = _index_in(eq, VS_EQ)
        assert eq.max_regret <= r.tolerance
        for label in eq.info["labels"]:
            reached[label] = k
    assert sorted(reached) == [0, 1, 2, 3, 4]
    # The game is nondegenerate, so each path is unique.  The map agrees with nashpy's
    # lemke_howson(initial_dropped_label=k) for every k; the "middle" equilibrium
    # (4/5, 1/5, 0), (2/3, 1/3) is reached from no label: LH paths from the artificial
    # equilibrium end at the other two (von Stengel 2007, sec. 3.4).
    assert reached == {0: 0, 1: 2, 2: 0, 3: 0, 4: 2}
    nash = nashpy.Game(np.array(VS_A), np.array(VS_B))
    for label, k in reached.items():
        x, y = nash.lemke_howson(initial_dropped_label=label)
        np.testing.assert_allclose(x, VS_EQ[k][0], atol=1e-9)
        np.testing.assert_allclose(y, VS_EQ[k][1], atol=1e-9)
    assert r.options["label_map"] == {0: 0, 1: 1, 2: 0, 3: 0, 4: 1}
    assert r.notes[0] == "label map: 0->0, 1->1, 2->0, 3->0, 4->1"


CLASSICS = {
    # Prisoner's dilemma (Tucker 1950): the unique equilibrium.
    "prisoners_dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]]),
    # Battle of the sexes (Luce & Raiffa 1957).
    "battle_of_sexes": ([[2, 0], [0, 1]], [[1, 0], [0, 2]]),
    # Matching pennies and rock-paper-scissors (nashpy README): uniform play, every label.
    "matching_pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
    "rock_paper_scissors": (
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
    ),
    # Degenerate: von Stengel's game with B[0, 1] = 3 (a continuum of equilibria).
    "von_stengel_degenerate": ([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]),
    # Degenerate: every payoff equal (every profile is an equilibrium).
    "all_zero_3x3": (np.zeros((3, 3)), np.zeros((3, 3))),
    # Degenerate: identical rows and columns.
    "duplicate_strategies": ([[1, 1, 0], [1, 1, 0]], [[0, 0, 1], [0, 0, 1]]),
}


@pytest.mark.parametrize(("A", "B"), CLASSICS.values(), ids=CLASSICS.keys())
def test_every_label_ends_at_an_extreme_equilibrium(A, B) -> None:
    g = NormalFormGame([A, B])
    r = lemke_howson(g, labels="all")
    assert r.complete  # terminates on degenerate games: lexicographic ratio test
    extreme = [tuple(eq.strategies) for eq in support_enumeration(g)]
    labels = []
    for eq in r:
        assert max_regret(g.payoffs, eq.strategies) <= r.tolerance
        _index_in(eq, extreme, atol=1e-8)
        labels.extend(eq.info["labels"])
    assert sorted(labels) == list(range(sum(g.shape)))


def test_uniform_equilibrium_of_zero_sum_games() -> None:
    r = lemke_howson(NormalFormGame(list(CLASSICS["rock_paper_scissors"])), labels="all")
    assert len(r) == 1
    np.testing.assert_allclose(r[0].strategies[0], [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(r[0].payoffs, [0, 0], atol=1e-12)


def test_label_sequence_and_default() -> None:
    g = NormalFormGame([VS_A, VS_B])
    assert lemke_howson(g).options["labels"] == (0,)
    r = lemke_howson(g, labels=[4, 1, 4])
    assert r.options["labels"] == (4, 1)
    assert len(r) == 1
    assert r[0].info["labels"] == (1, 4)


def test_iteration_cap() -> None:
    g = NormalFormGame([VS_A, VS_B])
    r = lemke_howson(g, labels=1, max_iter=1)  # label 1 needs 4 pivots
    assert not r.complete
    assert len(r) == 0
    assert any("reached max_iter=1" in note for note in r.notes)
    assert r.options["label_map"] == {1: None}


@st.composite
def bimatrix(draw):
    m, n = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    el = st.one_of(st.integers(-2, 2), st.floats(-5, 5, allow_nan=False, allow_infinity=False))
    return (
        draw(arrays(np.float64, (m, n), elements=el)),
        draw(arrays(np.float64, (m, n), elements=el)),
    )


@settings(max_examples=50, deadline=None)
@given(bimatrix())
def test_every_path_ends_at_an_equilibrium(AB) -> None:
    g = NormalFormGame(list(AB))
    r = lemke_howson(g, labels="all")
    assert r.complete
    assert len(r) >= 1
    for eq in r:
        assert max_regret(g.payoffs, eq.strategies) <= r.tolerance


def test_through_solve() -> None:
    r = solve(NormalFormGame([VS_A, VS_B]), method="lemke_howson", labels="all")
    assert r.method == "lemke_howson"
    assert len(r) == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": 5}, r"label 5 is out of range: labels are 0\.\.4 \(0\.\.2 player 1, 3\.\.4"),
        ({"labels": -1}, r"label -1 is out of range"),
        ({"labels": 1.5}, r"label 1\.5 is not an integer"),
        ({"labels": True}, r"label True is not an integer"),
        ({"labels": [0, "a"]}, r"label 'a' is not an integer"),
        ({"labels": []}, r"labels is empty"),
        ({"labels": "some"}, r"labels must be an int, a sequence of ints or 'all', got 'some'"),
        ({"labels": None}, r"labels must be an int, a sequence of ints or 'all', got None"),
        (
            {"max_iter": 0},
            r"option 'max_iter' of method 'lemke_howson': must be a positive integer, got 0",
        ),
        ({"max_iter": 2.5}, r"option 'max_iter' .*must be a positive integer, got 2\.5"),
        ({"tol": -1}, r"option 'tol' .*must be a real number in \(0, 1\), got -1"),
    ],
    ids=[
        "label_too_large",
        "label_negative",
        "label_float",
        "label_bool",
        "label_string_in_list",
        "labels_empty",
        "labels_bad_string",
        "labels_none",
        "max_iter_zero",
        "max_iter_float",
        "negative_tol",
    ],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises(SolverError, match=message):
        lemke_howson(NormalFormGame([VS_A, VS_B]), **kwargs)


def test_three_players_rejected() -> None:
    g = NormalFormGame([np.zeros((2, 2, 2))] * 3)
    with pytest.raises(SolverError, match="method 'lemke_howson' needs 2 players, the game has 3"):
        lemke_howson(g)


def test_symbolic_rejected() -> None:
    a = sympy.Symbol("a")
    with pytest.raises(SolverError, match="method 'lemke_howson' needs numeric payoffs"):
        lemke_howson(NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]]))


@pytest.mark.parametrize("factor", [1e-200, 1e-12, 1e6, 1e200], ids=lambda f: f"x{f:g}")
def test_scale_invariance(factor: float) -> None:
    g = NormalFormGame([np.array(VS_A) * factor, np.array(VS_B) * factor + factor])
    r = lemke_howson(g, labels="all")
    assert r.options["label_map"] == {0: 0, 1: 1, 2: 0, 3: 0, 4: 1}
    assert r.complete
