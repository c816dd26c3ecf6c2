"""Tests of bargain.solvers.normal_form.support (method "support")."""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass
from pathlib import Path

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
from bargain.solvers.normal_form.pure import pure_nash
from bargain.solvers.normal_form.support import support_enumeration
from bargain.solvers.verify import max_regret

# the answers pygambit gave, stored by tests/data/gambit/regenerate.py (loaded by path: the
# suite runs with --import-mode=importlib)
_spec = importlib.util.spec_from_file_location(
    "gambit_stored", Path(__file__).parents[1] / "data" / "gambit" / "stored.py"
)
gambit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gambit)

Profile = tuple[tuple[float, ...], tuple[float, ...]]


@dataclass(frozen=True)
class Case:
    A: list
    B: list
    expected: tuple[Profile, ...]  # in the solver's order (decreasing lexicographic)


CASES = {
    # von Stengel (2007), Algorithmic Game Theory ch. 3, the 3x2 example: three equilibria.
    "von_stengel_3x2": Case(
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        (
            ((1, 0, 0), (1, 0)),
            ((4 / 5, 1 / 5, 0), (2 / 3, 1 / 3)),
            ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3)),
        ),
    ),
    # Prisoner's dilemma (Tucker 1950): defect, defect.
    "prisoners_dilemma": Case([[3, 0], [5, 1]], [[3, 5], [0, 1]], (((0, 1), (0, 1)),)),
    # Battle of the sexes (Luce & Raiffa 1957): two pure, one mixed (2/3, 1/3), (1/3, 2/3).
    "battle_of_sexes": Case(
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        (((1, 0), (1, 0)), ((2 / 3, 1 / 3), (1 / 3, 2 / 3)), ((0, 1), (0, 1))),
    ),
    # nashpy README (early version, drvinceknight/Nashpy@046ba2c): anti-coordination game
    # with equilibria (1,0),(0,1); (0,1),(1,0); (1/2,1/2),(1/2,1/2).
    "nashpy_readme_bimatrix": Case(
        [[1, 2], [3, 0]],
        [[0, 2], [3, 1]],
        (((1, 0), (0, 1)), ((0.5, 0.5), (0.5, 0.5)), ((0, 1), (1, 0))),
    ),
    # Matching pennies (nashpy README): uniform play only.
    "matching_pennies": Case([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], (((0.5, 0.5), (0.5, 0.5)),)),
    # Rock-paper-scissors (nashpy README): uniform play only.
    "rock_paper_scissors": Case(
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        (((1 / 3, 1 / 3, 1 / 3), (1 / 3, 1 / 3, 1 / 3)),),
    ),
    # Degenerate variant of von Stengel's game (von Stengel 2007, sec. 3.6; nashpy docs,
    # "degenerate games"): B[0, 1] = 3 makes column 1 a best response to row 0 as well, so
    # ((1,0,0), y) is an equilibrium for y_1 in [2/3, 1]; extreme equilibria below.
    "von_stengel_degenerate": Case(
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        (
            ((1, 0, 0), (1, 0)),
            ((1, 0, 0), (2 / 3, 1 / 3)),
            ((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3)),
        ),
    ),
    # A 1x2 game: the row player has one strategy; the column player's two best replies
    # are the extreme points of a continuum.
    "one_row": Case([[0, 0]], [[1, 1]], (((1,), (1, 0)), ((1,), (0, 1)))),
}


def _assert_profiles(result, expected, tol=1e-9) -> None:
    assert len(result) == len(expected)
    for eq, (x, y) in zip(result.equilibria, expected, strict=True):
        np.testing.assert_allclose(eq.strategies[0], x, atol=tol)
        np.testing.assert_allclose(eq.strategies[1], y, atol=tol)
        assert eq.max_regret <= result.tolerance
        assert max_regret(result.game.payoffs, eq.strategies) <= result.tolerance


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_known_equilibria_safe(case: Case) -> None:
    r = support_enumeration(NormalFormGame([case.A, case.B]))
    assert r.method == "support"
    assert r.complete
    _assert_profiles(r, case.expected)


NONDEGENERATE = [k for k in CASES if k not in ("von_stengel_degenerate", "one_row")]


@pytest.mark.parametrize("name", NONDEGENERATE)
def test_known_equilibria_fast(name: str) -> None:
    case = CASES[name]
    r = support_enumeration(NormalFormGame([case.A, case.B]), degenerate="fast")
    _assert_profiles(r, case.expected)


def test_safe_finds_what_nashpy_misses() -> None:
    case = CASES["von_stengel_degenerate"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nashpy warns: "degenerate"
        theirs = list(nashpy.Game(np.array(case.A), np.array(case.B)).support_enumeration())
    assert len(theirs) == 2  # nashpy misses ((1,0,0), (2/3,1/3))
    r = support_enumeration(NormalFormGame([case.A, case.B]))
    ours = [(tuple(e.strategies[0]), tuple(e.strategies[1])) for e in r]
    for x, y in theirs:
        assert any(np.allclose(x, a) and np.allclose(y, b) for a, b in ours)
    assert np.allclose(r[1].strategies[1], (2 / 3, 1 / 3))
    assert r[0].info["continuum"]
    assert r[1].info["continuum"]
    assert not r[2].info["continuum"]
    assert any("continuum" in note for note in r.notes)
    # a continuum profile names the support pair whose polytope it is a vertex of; that
    # pair contains the profile's own supports
    for eq in r[:2]:
        rows, cols = eq.info["supports"]
        assert set(eq.support[0]) <= set(rows)
        assert set(eq.support[1]) <= set(cols)
    assert "supports" not in r[2].info


def test_all_zero_game_returns_all_vertex_pairs() -> None:
    # Every profile is an equilibrium; the extreme ones are the 3 x 3 pure profiles.
    r = support_enumeration(NormalFormGame([np.zeros((3, 3)), np.zeros((3, 3))]))
    assert len(r) == 9
    assert all(eq.is_pure() and eq.info["continuum"] for eq in r)


# Small integer games (ties everywhere) compared with Gambit's enummixed, which returns
# the extreme equilibria in exact rational arithmetic. The oracle's answers are stored in
# tests/data/gambit/enummixed.json: pygambit 16.7.0,
# enummixed_solve(Game.from_arrays(A, B), rational=True), written by regenerate.py.
_rng = np.random.default_rng(20260)
INT_GAMES = [
    (_rng.integers(0, 3, (m, n)), _rng.integers(0, 3, (m, n)))
    for m, n in [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)]
    for _ in range(4)
]
GAMBIT_GAMES = {"enummixed": INT_GAMES}  # what regenerate.py runs pygambit on


@pytest.mark.parametrize(
    ("A", "B"),
    INT_GAMES,
    ids=[f"int{A.shape[0]}x{A.shape[1]}-{i}" for i, (A, B) in enumerate(INT_GAMES)],
)
def test_safe_equals_gambit_enummixed(A: np.ndarray, B: np.ndarray) -> None:
    theirs = {
        tuple(tuple(round(float(v), 9) for v in s) for s in e) for e in gambit.enummixed(A, B)
    }
    r = support_enumeration(NormalFormGame([A, B]))
    ours = {tuple(tuple(round(float(v), 9) for v in s) for s in e.strategies) for e in r}
    assert ours == theirs


@st.composite
def bimatrix(draw, integer: bool):
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    if integer:
        el = st.integers(-2, 2)
    else:
        el = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
    return (
        draw(arrays(np.float64, (m, n), elements=el)),
        draw(arrays(np.float64, (m, n), elements=el)),
    )


@settings(max_examples=50, deadline=None)
@given(bimatrix(integer=True))
def test_safe_profiles_are_equilibria_and_contain_pure(AB) -> None:
    g = NormalFormGame(list(AB))
    r = support_enumeration(g)
    assert len(r) >= 1  # every finite game has an equilibrium, and an extreme one
    for eq in r:
        assert max_regret(g.payoffs, eq.strategies) <= r.tolerance
    for p in pure_nash(g, tol=0):
        assert any(
            np.array_equal(p.strategies[0], e.strategies[0])
            and np.array_equal(p.strategies[1], e.strategies[1])
            for e in r
        )


@settings(max_examples=50, deadline=None)
@given(bimatrix(integer=False))
def test_fast_profiles_are_equilibria(AB) -> None:
    g = NormalFormGame(list(AB))
    fast = support_enumeration(g, degenerate="fast")
    for eq in fast:
        assert max_regret(g.payoffs, eq.strategies) <= fast.tolerance
    safe = support_enumeration(g)
    for e in fast:  # fast finds a subset of the extreme equilibria
        assert any(
            np.allclose(e.strategies[0], f.strategies[0], atol=1e-7)
            and np.allclose(e.strategies[1], f.strategies[1], atol=1e-7)
            for f in safe
        )


def test_through_solve() -> None:
    case = CASES["battle_of_sexes"]
    r = solve(NormalFormGame([case.A, case.B]), method="support", degenerate="fast")
    assert r.method == "support"
    assert len(r) == 3
    assert r.options == {"tol": 1e-10, "degenerate": "fast"}


def test_three_players_rejected() -> None:
    g = NormalFormGame([np.zeros((2, 2, 2))] * 3)
    with pytest.raises(SolverError, match="method 'support' needs 2 players, the game has 3"):
        support_enumeration(g)


def test_symbolic_rejected() -> None:
    a = sympy.Symbol("a")
    with pytest.raises(SolverError, match="method 'support' needs numeric payoffs"):
        support_enumeration(NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"degenerate": "maybe"}, r"degenerate must be 'safe' or 'fast', got 'maybe'"),
        (
            {"tol": -1e-3},
            r"option 'tol' of method 'support': must be a real number in \(0, 1\), got -0\.001",
        ),
    ],
    ids=["bad_degenerate", "negative_tol"],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    case = CASES["prisoners_dilemma"]
    with pytest.raises(SolverError, match=message):
        support_enumeration(NormalFormGame([case.A, case.B]), **kwargs)


@pytest.mark.parametrize("factor", [1e-200, 1e-12, 1e6, 1e200], ids=lambda f: f"x{f:g}")
@pytest.mark.parametrize("degenerate", ["safe", "fast"])
def test_scale_invariance(factor: float, degenerate: str) -> None:
    # Equilibria do not change when payoffs are scaled and shifted (a positive affine map).
    rng = np.random.default_rng(3)
    A, B = rng.random((2, 3, 3))
    ref = support_enumeration(NormalFormGame([A, B]), degenerate=degenerate)
    r = support_enumeration(
        NormalFormGame([A * factor - factor, B * factor]), degenerate=degenerate
    )
    assert len(ref) == 3  # this game has 3 equilibria
    _assert_profiles(r, [tuple(eq.strategies) for eq in ref], tol=1e-9)
