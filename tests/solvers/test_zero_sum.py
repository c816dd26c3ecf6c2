"""Tests of bargain.solvers.normal_form.zero_sum: value and optimal strategies by LP."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from bargain.errors import ParameterError, SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.normal_form.zero_sum import zero_sum
from bargain.solvers.verify import max_regret

TOL = 1e-9


@dataclass(frozen=True)
class Case:
    A: list
    value: Fraction
    row: tuple | None  # the unique optimal strategy, or None when not unique
    col: tuple | None


CASES = {
    # Rock-paper-scissors: value 0, unique optimal strategy uniform for both
    # (von Neumann & Morgenstern 1944; e.g. Osborne 2004, ch. 4 and ch. 11).
    "rock_paper_scissors": Case(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]], Fraction(0), (1 / 3,) * 3, (1 / 3,) * 3
    ),
    # Matching pennies: value 0, both mix (1/2, 1/2) (Osborne 2004, ch. 4).
    "matching_pennies": Case([[1, -1], [-1, 1]], Fraction(0), (0.5, 0.5), (0.5, 0.5)),
    # 2×3 game solved by the graphical method for 2×n games (Ferguson, *Game Theory*,
    # Part II, §2 "2×n games"): row's guarantees are 4−2p, 1+2p, 6−5p against the three
    # columns; the lower envelope peaks where 1+2p = 6−5p, p = 5/7, value 17/7; column 1
    # is then strictly worse for the column player, so she mixes columns 2, 3 as (5/7, 2/7).
    "ferguson_2x3": Case(
        [[2, 3, 1], [4, 1, 6]], Fraction(17, 7), (5 / 7, 2 / 7), (0.0, 5 / 7, 2 / 7)
    ),
    # A saddle point: entry (1, 0) = 2 is the minimum of its row and maximum of its column.
    "saddle_point": Case([[1, 0, 3], [2, 5, 4], [0, -1, 6]], Fraction(2), (0, 1, 0), (1, 0, 0)),
    # One row: the row player has no choice, the value is the row's minimum.
    "one_row": Case([[3, -2, 5]], Fraction(-2), (1.0,), (0.0, 1.0, 0.0)),
    # All payoffs equal: every strategy pair is optimal (optimal sets are whole simplices).
    "constant_zero": Case([[0, 0], [0, 0]], Fraction(0), None, None),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_known_games(case):
    A = np.array(case.A, dtype=float)
    r = zero_sum(NormalFormGame([A, -A]), tol=TOL)
    assert r.method == "zero_sum"
    assert r.complete
    assert len(r) == 1
    eq = r[0]
    assert eq.info["value"] == pytest.approx(float(case.value), abs=1e-9)
    assert eq.info["value_row"] == pytest.approx(float(case.value), abs=1e-9)
    assert eq.info["value_column"] == pytest.approx(float(case.value), abs=1e-9)
    assert eq.payoffs[0] == pytest.approx(float(case.value), abs=1e-9)
    assert eq.payoffs[1] == pytest.approx(-float(case.value), abs=1e-9)
    # equilibrium property, recomputed independently of the result's field
    assert max_regret([A, -A], eq.strategies) <= TOL
    assert eq.max_regret <= TOL
    for got, want in zip(eq.strategies, (case.row, case.col), strict=True):
        assert got.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.all(got >= 0)
        if want is not None:
            np.testing.assert_allclose(got, want, atol=1e-8)


def test_notes_mention_polytope():
    A = np.zeros((2, 2))
    r = zero_sum(NormalFormGame([A, A]))
    assert any("polytope" in note for note in r.notes)


def test_constant_sum_is_accepted_and_reported():
    # A + B = 5 everywhere: strategically matching pennies (value 0 + shift).
    A = np.array([[1.0, -1.0], [-1.0, 1.0]]) + 2.0
    r = zero_sum(NormalFormGame([A, 5.0 - A]))
    eq = r[0]
    assert eq.info["constant"] == pytest.approx(5.0)
    assert eq.info["value"] == pytest.approx(2.0)
    assert eq.payoffs[1] == pytest.approx(3.0)
    np.testing.assert_allclose(eq.strategies[0], [0.5, 0.5], atol=1e-9)
    assert any("constant-sum" in note for note in r.notes)


def test_constant_sum_refused_when_asked():
    A = np.array([[1.0, 2.0], [0.0, 3.0]])
    with pytest.raises(SolverError, match=r"needs a zero-sum game .* A \+ B = 5"):
        zero_sum(NormalFormGame([A, 5.0 - A]), constant_sum=False)


def test_not_zero_sum_names_worst_cell():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    B = -A.copy()
    B[1, 0] += 0.5  # the only cell where A + B != 0
    g = NormalFormGame([A, B], players=["Row", "Col"], strategies=[["U", "D"], ["L", "R"]])
    with pytest.raises(
        SolverError,
        match=r"largest deviation is at cell \(1, 0\) \(player 'Row' plays 'D', player 'Col' "
        r"plays 'L'\)",
    ):
        zero_sum(g, constant_sum=False)


def test_three_players_refused():
    A = np.zeros((2, 2, 2))
    with pytest.raises(SolverError, match="needs 2 players, the game has 3"):
        zero_sum(NormalFormGame([A, A, A]))


def test_symbolic_refused():
    ps = ParameterSet([Parameter("a", 1.0, (0, 2))])
    (a,) = ps.symbols()
    g = NormalFormGame([[[a, 0], [0, 1]], [[-a, 0], [0, -1]]], parameters=ps)
    assert isinstance(a, sympy.Symbol)
    with pytest.raises(SolverError, match=r"numeric payoffs; call \.numeric"):
        zero_sum(g)


def test_not_a_game_refused():
    with pytest.raises(SolverError, match="needs a NormalFormGame, got list"):
        zero_sum([[1, -1], [-1, 1]])


@pytest.mark.parametrize("tol", [-1.0, float("nan"), float("inf"), "1e-9", True])
def test_bad_tol(tol):
    A = np.eye(2)
    with pytest.raises(
        ParameterError, match="option 'tol' of method 'zero_sum': must be a real number in"
    ):
        zero_sum(NormalFormGame([A, -A]), tol=tol)


@pytest.mark.parametrize("seed", range(6), ids=lambda s: f"seed{s}")
def test_random_against_nashpy(seed):
    # nashpy's linear_program() solves the same LP independently (its own formulation).
    rng = np.random.default_rng(seed)
    m, n = rng.integers(2, 7, size=2)
    A = rng.normal(size=(m, n))
    r = zero_sum(NormalFormGame([A, -A]))
    x_ref, y_ref = nashpy.Game(A, -A).linear_program()
    v_ref = float(x_ref @ A @ y_ref)
    assert r[0].info["value"] == pytest.approx(v_ref, abs=1e-8)
    # generic games have unique optimal strategies
    np.testing.assert_allclose(r[0].strategies[0], x_ref, atol=1e-6)
    np.testing.assert_allclose(r[0].strategies[1], y_ref, atol=1e-6)
    assert max_regret([A, -A], r[0].strategies) <= TOL


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_highs_fallback(case, monkeypatch):
    """When the simplex kernel's answer does not verify, HiGHS solves both LPs."""
    import bargain.solvers.normal_form.zero_sum as zs

    monkeypatch.setattr(zs, "_simplex_game", lambda A, eps: (A[:, 0] * 0, A[0] * 0, False))
    A = np.array(case.A, dtype=float)
    eq = zs.zero_sum(NormalFormGame([A, -A]))[0]
    assert eq.info["lp"] == "highs"
    assert eq.info["value"] == pytest.approx(float(case.value), abs=1e-9)
    assert max_regret([A, -A], eq.strategies) <= TOL


def column_lp_value(A):
    """min_y max_i (Ay)_i by scipy's HiGHS, written out independently of the module."""
    m, n = A.shape
    res = linprog(
        np.r_[np.zeros(n), 1.0],
        A_ub=np.hstack([A, -np.ones((m, 1))]),
        b_ub=np.zeros(m),
        A_eq=np.r_[np.ones(n), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    assert res.status == 0
    return float(res.x[-1])


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(1, 6),
    n=st.integers(1, 6),
    integer=st.booleans(),
)
def test_minimax_theorem(seed, m, n, integer):
    """Row's maximin value equals column's minimax value (the column player's own LP,
    solved separately); the pair is an equilibrium."""
    rng = np.random.default_rng(seed)
    A = rng.integers(-5, 6, size=(m, n)).astype(float) if integer else rng.normal(size=(m, n))
    r = zero_sum(NormalFormGame([A, -A]))
    eq = r[0]
    assert eq.info["value"] == pytest.approx(column_lp_value(A), abs=1e-8)
    assert eq.info["value_row"] == pytest.approx(eq.info["value_column"], abs=1e-8)
    x, y = eq.strategies
    # x guarantees at least v against every column, y concedes at most v to every row
    assert np.min(x @ A) >= eq.info["value"] - 1e-9
    assert np.max(A @ y) <= eq.info["value"] + 1e-9
    assert max_regret([A, -A], eq.strategies) <= TOL
