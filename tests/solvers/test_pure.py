"""Tests of bargain.solvers.normal_form.pure (method "pure")."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.api import solve
from bargain.solvers.normal_form.pure import pure_nash
from bargain.solvers.verify import max_regret


def gambit_2x2x2() -> NormalFormGame:
    """McKelvey & McLennan's 2x2x2 game, Gambit's sample ``contrib/games/2x2x2.nfg``
    (gambitproject/gambit, commit 0523d86): 9 Nash equilibria, 2 totally mixed.  Outcomes
    are listed with player 1's strategy varying fastest."""
    P = np.zeros((3, 2, 2, 2))
    P[:, 0, 0, 0] = (9, 8, 12)
    P[:, 1, 1, 0] = (9, 8, 2)
    P[:, 1, 0, 1] = (3, 4, 6)
    P[:, 0, 1, 1] = (3, 4, 6)
    return NormalFormGame(list(P), title="2x2x2")


@dataclass(frozen=True)
class Case:
    game: NormalFormGame
    expected: tuple[tuple[int, ...], ...]


CASES = {
    # Prisoner's dilemma (Tucker 1950; e.g. Osborne 2004, sec. 2.2): (defect, defect) only.
    "prisoners_dilemma": Case(NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]]), ((1, 1),)),
    # Battle of the sexes (Luce & Raiffa 1957; Osborne 2004, sec. 2.7.2): two pure equilibria.
    "battle_of_sexes": Case(NormalFormGame([[[2, 0], [0, 1]], [[1, 0], [0, 2]]]), ((0, 0), (1, 1))),
    # Matching pennies (Osborne 2004, sec. 2.7.3): no pure equilibrium.
    "matching_pennies": Case(NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]), ()),
    # Rock-paper-scissors (nashpy README): only the uniform mixed equilibrium.
    "rock_paper_scissors": Case(
        NormalFormGame(
            [
                [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
                [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
            ]
        ),
        (),
    ),
    # Gambit 2x2x2.nfg: of the 9 equilibria, 4 are pure (Gambit's enumpure lists these).
    "gambit_2x2x2": Case(gambit_2x2x2(), ((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0))),
    # Ties: a game where every payoff is 0 has every profile as an equilibrium.
    "all_ties_2x3": Case(
        NormalFormGame([np.zeros((2, 3)), np.zeros((2, 3))]),
        tuple(itertools.product(range(2), range(3))),
    ),
    # Column player indifferent: (0, 0) and (0, 1) are both equilibria (ties count).
    "column_indifferent": Case(
        NormalFormGame([[[1, 1], [0, 0]], [[5, 5], [0, 0]]]), ((0, 0), (0, 1))
    ),
    # One player: the argmax set.
    "one_player": Case(NormalFormGame([[3, 1, 3]]), ((0,), (2,))),
    # 1-strategy row player: the column player's best responses.
    "one_by_three": Case(NormalFormGame([[[0, 0, 0]], [[1, 2, 2]]]), ((0, 1), (0, 2))),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_known_pure_equilibria(case: Case) -> None:
    r = pure_nash(case.game)
    assert r.method == "pure"
    assert r.complete
    assert len(r) == len(case.expected)
    for eq, profile in zip(r.equilibria, case.expected, strict=True):
        assert eq.info["profile"] == profile
        assert eq.is_pure()
        for s, k in zip(eq.strategies, profile, strict=True):
            assert s[k] == 1.0
        assert eq.max_regret <= 1e-12
        assert max_regret(case.game.payoffs, eq.strategies) <= 1e-12


def test_gambit_2x2x2_payoffs_of_pure_equilibria() -> None:
    r = pure_nash(gambit_2x2x2())
    assert [eq.payoffs.tolist() for eq in r] == [
        [9, 8, 12],
        [3, 4, 6],
        [3, 4, 6],
        [9, 8, 2],
    ]


def test_no_equilibrium_note() -> None:
    r = pure_nash(CASES["matching_pennies"].game)
    assert "no pure-strategy equilibrium" in r.notes[0]


def test_tolerance_counts_near_ties() -> None:
    # Row 1 is worse by 1e-13: an equilibrium at the default tol=1e-12, not at tol=0.
    g = NormalFormGame([[[1.0], [1.0 - 1e-13]], [[0.0], [0.0]]])
    assert [eq.info["profile"] for eq in pure_nash(g)] == [(0, 0), (1, 0)]
    assert [eq.info["profile"] for eq in pure_nash(g, tol=0)] == [(0, 0)]


def test_through_solve_and_sequence_input() -> None:
    r = solve(CASES["prisoners_dilemma"].game, method="pure")
    assert r.method == "pure"
    assert r[0].info["profile"] == (1, 1)
    r2 = pure_nash([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    assert r2[0].info["profile"] == (1, 1)


def _brute_force(payoffs: list[np.ndarray]) -> list[tuple[int, ...]]:
    shape = payoffs[0].shape
    out = []
    for profile in itertools.product(*(range(k) for k in shape)):
        ok = True
        for i, P in enumerate(payoffs):
            for k in range(shape[i]):
                dev = list(profile)
                dev[i] = k
                if P[tuple(dev)] > P[profile]:
                    ok = False
        if ok:
            out.append(profile)
    return out


@st.composite
def integer_games(draw):
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    return [draw(arrays(np.float64, shape, elements=st.integers(-2, 2))) for _ in range(n)]


@settings(max_examples=50, deadline=None)
@given(integer_games())
def test_agrees_with_brute_force(payoffs: list[np.ndarray]) -> None:
    # Small integer payoffs make ties (degenerate games) common.
    r = pure_nash(NormalFormGame(payoffs), tol=0)
    assert [eq.info["profile"] for eq in r] == _brute_force(payoffs)
    for eq in r:
        assert max_regret(payoffs, eq.strategies) == 0.0


def test_symbolic_game_is_rejected() -> None:
    a = sympy.Symbol("a")
    g = NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]])
    with pytest.raises(SolverError, match=r"method 'pure' needs numeric payoffs; call \.numeric"):
        pure_nash(g)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"tol": -1.0},
            r"option 'tol' of method 'pure': must be a real number in \[0, 1\), got -1\.0",
        ),
        ({"tol": float("nan")}, r"option 'tol' .*must be a real number in \[0, 1\), got nan"),
        ({"tol": "small"}, r"option 'tol' .*must be a real number in \[0, 1\), got 'small'"),
    ],
    ids=["negative_tol", "nan_tol", "string_tol"],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises(SolverError, match=message):
        pure_nash(CASES["battle_of_sexes"].game, **kwargs)


def test_not_a_game() -> None:
    with pytest.raises(SolverError, match=r"method 'pure' needs a NormalFormGame, got dict"):
        pure_nash({"A": 1})
