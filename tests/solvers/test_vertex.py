"""Tests of the `vertex` method: every extreme equilibrium, degenerate games included."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.api import solve
from bargain.solvers.normal_form.exact import payoffs_to_fractions, verify_exact
from bargain.solvers.normal_form.vertex import vertex_enumeration

# the answers pygambit gave, stored by tests/data/gambit/regenerate.py (loaded by path: the
# suite runs with --import-mode=importlib)
_spec = importlib.util.spec_from_file_location(
    "gambit_stored", Path(__file__).parents[1] / "data" / "gambit" / "stored.py"
)
gambit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gambit)


def _profile(*strategies):
    return tuple(tuple(F(x) for x in s) for s in strategies)


@dataclass(frozen=True)
class Case:
    name: str
    A: list
    B: list
    expected: tuple  # exact profiles, in the solver's documented order
    components: tuple


CASES = [
    # von Stengel (2007), Algorithmic Game Theory ch. 3, eq. (3.3) and §3.3: nondegenerate,
    # three equilibria.
    Case(
        "von_stengel_3x2",
        [[3, 3], [2, 5], [0, 6]],
        [[3, 2], [2, 6], [3, 1]],
        (
            _profile((1, 0, 0), (1, 0)),
            _profile(("4/5", "1/5", 0), ("2/3", "1/3")),
            _profile((0, "1/3", "2/3"), ("1/3", "2/3")),
        ),
        ((0,), (1,), (2,)),
    ),
    # von Stengel (2007), AGT ch. 3, §3.6 (Fig. 3.5, degenerate game): B's first row becomes
    # (3, 3); the pure equilibrium (T, l) grows into the segment T x [(1,0), (2/3,1/3)].
    # Expected vertices as computed by pygambit 16.7 enummixed_solve(rational=True), which
    # test_matches_gambit_on_known_cases re-checks.
    Case(
        "von_stengel_3x2_degenerate",
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        (
            _profile((1, 0, 0), (1, 0)),
            _profile((1, 0, 0), ("2/3", "1/3")),
            _profile((0, "1/3", "2/3"), ("1/3", "2/3")),
        ),
        ((0, 1), (2,)),
    ),
    # nashpy README (Knight 2016-): matching pennies, unique equilibrium (1/2, 1/2) each.
    Case(
        "matching_pennies",
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        (_profile(("1/2", "1/2"), ("1/2", "1/2")),),
        ((0,),),
    ),
    # nashpy README: rock-paper-scissors, unique equilibrium uniform play.
    Case(
        "rock_paper_scissors",
        [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
        [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
        (_profile(("1/3", "1/3", "1/3"), ("1/3", "1/3", "1/3")),),
        ((0,),),
    ),
    # Battle of the sexes (Osborne 2004, An Introduction to Game Theory, §4.?): two pure and
    # one mixed equilibrium ((3/5, 2/5), (2/5, 3/5)).
    Case(
        "battle_of_sexes",
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        (
            _profile((1, 0), (1, 0)),
            _profile(("3/5", "2/5"), ("2/5", "3/5")),
            _profile((0, 1), (0, 1)),
        ),
        ((0,), (1,), (2,)),
    ),
    # Prisoner's dilemma: defect/defect only.
    Case(
        "prisoners_dilemma",
        [[3, 0], [5, 1]],
        [[3, 5], [0, 1]],
        (_profile((0, 1), (0, 1)),),
        ((0,),),
    ),
    # All-zero game: every profile is an equilibrium; the extreme ones are the 4 pure
    # profiles, one component (one clique {T, B} x {L, R}).
    Case(
        "all_zero_2x2",
        [[0, 0], [0, 0]],
        [[0, 0], [0, 0]],
        (
            _profile((1, 0), (1, 0)),
            _profile((1, 0), (0, 1)),
            _profile((0, 1), (1, 0)),
            _profile((0, 1), (0, 1)),
        ),
        ((0, 1, 2, 3),),
    ),
    # 1 x 3: player 2 is indifferent between columns 2 and 3 (payoff 2): a segment.
    Case(
        "one_by_three",
        [[1, 1, 1]],
        [[1, 2, 2]],
        (_profile((1,), (0, 1, 0)), _profile((1,), (0, 0, 1))),
        ((0, 1),),
    ),
    Case("one_by_one", [[5]], [[-2]], (_profile((1,), (1,)),), ((0,),)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("exact", [False, True], ids=["float-out", "exact"])
def test_known_games(case, exact):
    game = NormalFormGame([case.A, case.B])
    r = vertex_enumeration(game, exact=exact)
    assert r.method == "vertex"
    assert r.complete
    assert len(r) == len(case.expected)
    for eq, want in zip(r.equilibria, case.expected, strict=True):
        for got, w in zip(eq.strategies, want, strict=True):
            np.testing.assert_allclose(got, [float(x) for x in w], atol=1e-12)
        assert eq.max_regret <= 1e-9
        if exact:
            assert eq.exact == want
    assert r.components == case.components
    assert [eq.component for eq in r] == [
        next(c for c, comp in enumerate(case.components) if k in comp) for k in range(len(r))
    ]
    continuum = any(len(c) > 1 for c in case.components)
    assert any("continuum" in note for note in r.notes) == continuum


def _gambit_equilibria(A, B):
    """Oracle: pygambit's enummixed_solve(rational=True) (Gambit 16.7, McKelvey, McLennan &
    Turocy, Gambit: Software Tools for Game Theory), as stored in
    tests/data/gambit/enummixed.json by regenerate.py from pygambit 16.7.0:
    ``enummixed_solve(Game.from_arrays(A, B), rational=True)`` with exact rational payoffs.
    The stored entry is keyed by the exact payoffs, so it answers for this game only."""
    return gambit.enummixed(A, B)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matches_gambit_on_known_cases(case):
    r = vertex_enumeration(NormalFormGame([case.A, case.B]), exact=True)
    assert {eq.exact for eq in r} == _gambit_equilibria(case.A, case.B)


def _integer_game(seed: int, low: int, high: int) -> tuple[list, list]:
    """A seeded m x n integer game, 1 <= m, n <= 5, entries in [low, high]."""
    rng = np.random.default_rng(seed)
    m, n = (int(k) for k in rng.integers(1, 6, 2))
    return (
        rng.integers(low, high + 1, (m, n)).tolist(),
        rng.integers(low, high + 1, (m, n)).tolist(),
    )


# small integer ranges make degenerate games (ties, continua) common; 0/1 payoffs are the
# most degenerate small games
RANDOM_INTEGER = [_integer_game(seed, -3, 3) for seed in range(50)]
RANDOM_BINARY = [_integer_game(1000 + seed, 0, 1) for seed in range(30)]


@pytest.mark.parametrize(
    "game",
    RANDOM_INTEGER + RANDOM_BINARY,
    ids=[f"int{s}" for s in range(50)] + [f"binary{s}" for s in range(30)],
)
def test_random_integer_games_equal_gambit(game):
    A, B = game
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    ours = [eq.exact for eq in r]
    assert len(set(ours)) == len(ours)
    assert set(ours) == _gambit_equilibria(A, B)


@st.composite
def integer_games(draw, low=-3, high=3):
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    entries = st.integers(low, high)
    A = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(entries, min_size=n, max_size=n), min_size=m, max_size=m))
    return A, B


@settings(max_examples=50, deadline=None)
@given(integer_games())
def test_random_integer_games_are_exact_equilibria(game):
    A, B = game
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    ours = [eq.exact for eq in r]
    assert len(ours) >= 1
    assert len(set(ours)) == len(ours)
    fr, _ = payoffs_to_fractions([np.array(A, float), np.array(B, float)])
    for eq in r:
        assert verify_exact(fr, eq.exact) == 0
        assert eq.max_regret <= 1e-9


@st.composite
def float_games(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)), rng.standard_normal((m, n))


@settings(max_examples=40, deadline=None)
@given(float_games())
def test_float_games_agree_with_exact_arithmetic(game):
    A, B = game
    g = NormalFormGame([A, B])
    fast = vertex_enumeration(g)
    slow = vertex_enumeration(g, exact=True)
    assert len(fast) == len(slow) >= 1  # a nondegenerate game has an odd number
    assert len(fast) % 2 == 1
    for a, b in zip(fast, slow, strict=True):
        assert a.max_regret <= 1e-9
        for x, y in zip(a.strategies, b.strategies, strict=True):
            np.testing.assert_allclose(x, y, atol=1e-9)
    fr, simple = payoffs_to_fractions([A, B])
    assert not simple
    for eq in slow:
        assert verify_exact(fr, eq.exact) == 0


def test_float_simple_fractions_are_read_exactly():
    # 0.5 and 0.1 are read as 1/2 and 1/10: the battle of the sexes scaled by 1/10
    A = np.array([[3, 0], [0, 2]]) / 10
    B = np.array([[2, 0], [0, 3]]) / 10
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    assert [eq.exact for eq in r][1] == _profile(("3/5", "2/5"), ("2/5", "3/5"))
    assert any("exact integer arithmetic" in n for n in r.notes)


def test_near_degenerate_float_game_is_redone_exactly():
    # the degenerate von Stengel game plus a perturbation far below the float guard
    A = np.array([[3, 3], [2, 5], [0, 6]], dtype=float) + np.pi * 1e-14
    B = np.array([[3, 3], [2, 6], [3, 1]], dtype=float)
    r = vertex_enumeration(NormalFormGame([A, B]))
    assert any("redone in exact" in n for n in r.notes)
    assert len(r) == 3
    assert all(eq.max_regret <= 1e-9 for eq in r)


def _large_game(seed: int = 7):
    rng = np.random.default_rng(seed)
    return rng.integers(-(10**9), 10**9, (4, 4)), rng.integers(-(10**9), 10**9, (4, 4))


def _wide_game(seed: int):
    # payoffs up to 10**3: intermediate products overflow int64, entries do not
    rng = np.random.default_rng(seed)
    return rng.integers(0, 10**3, (6, 6)), rng.integers(0, 10**3, (6, 6))


def test_large_integers_fall_back_to_big_integers():
    A, B = _large_game()
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    assert any("big-integer" in n for n in r.notes)
    assert {eq.exact for eq in r} == _gambit_equilibria(A.tolist(), B.tolist())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_wide_integers_use_128_bit_products(seed):
    A, B = _wide_game(seed)
    r = vertex_enumeration(NormalFormGame([A, B]), exact=True)
    assert any("(int64)" in n for n in r.notes)
    assert {eq.exact for eq in r} == _gambit_equilibria(A.tolist(), B.tolist())


# found by a random search against Gambit: determinants above 2**53 once came back rounded
# (a float-typed return in the kernel); entries 1 and 1000004 after the shift
WIDE_A = [
    [0, 0, -1000003, -1000003, 0, 0, -1000003],
    [-1000003, -1000003, -1000003, 0, -1000003, -1000003, -1000003],
    [0, -1000003, 0, -1000003, 0, 0, 0],
]
WIDE_B = [[0, 0, -1, 0, -1, 0, 0], [-1, 0, 0, 0, 0, -1, -1], [0, 0, 0, -1, -1, 0, 0]]


# what regenerate.py runs pygambit on
GAMBIT_GAMES = {
    "enummixed": [
        *((c.A, c.B) for c in CASES),
        *RANDOM_INTEGER,
        *RANDOM_BINARY,
        tuple(M.tolist() for M in _large_game()),
        *(tuple(M.tolist() for M in _wide_game(seed)) for seed in (1, 2, 3)),
        (WIDE_A, WIDE_B),
    ]
}


def test_regression_large_determinants():
    r = vertex_enumeration(NormalFormGame([WIDE_A, WIDE_B]), exact=True)
    assert {eq.exact for eq in r} == _gambit_equilibria(WIDE_A, WIDE_B)


@pytest.mark.parametrize("which", ["small", "wide"])
def test_python_kernel_equals_compiled_kernel(which):
    # the big-integer fallback is the same kernel run by the interpreter: same bases
    from bargain.solvers.normal_form import _polytope as poly

    if which == "small":
        M = np.random.default_rng(5).integers(1, 4, (4, 5))
    else:
        M = np.array(WIDE_A) + 1000004
    lab = np.arange(sum(M.shape), dtype=np.int64)
    L1, X1, D1, s1 = poly.search(M.astype(np.int64), lab, 1, False, True, 1e-9, 10**6)
    L2, X2, D2, s2 = poly.search_python(M.astype(object), lab, 1, False, False, 1e-9, 10**6)
    assert s1 == s2 == poly.OK
    np.testing.assert_array_equal(L1, L2)
    assert X1.tolist() == X2.tolist()
    assert D1.tolist() == D2.tolist()


def test_huge_payoffs_are_verified_exactly():
    # von Stengel's game times 3 * 10**14 (plus 1 for B): float regrets of order 0.1 come
    # from rounding alone; the pairs are proven exactly instead of being dropped
    scale = 3 * 10**14
    A = np.array([[3, 3], [2, 5], [0, 6]], dtype=float) * scale
    B = np.array([[3, 2], [2, 6], [3, 1]], dtype=float) * scale + 1
    r = vertex_enumeration(NormalFormGame([A, B]))
    assert r.complete
    assert len(r) == 3
    assert any("verified in exact arithmetic" in n for n in r.notes)
    assert max(eq.info["float_regret"] for eq in r) > 1e-9
    assert all(eq.max_regret == 0.0 for eq in r)


def test_continuum_has_cliques_and_one_component():
    # von Stengel (2007) degenerate game: clique {T} x {l, (2/3, 1/3)}
    r = vertex_enumeration(NormalFormGame([[[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]]))
    assert r[0].info["cliques"] == r[1].info["cliques"]
    assert r[0].info["cliques"] != r[2].info["cliques"]


def test_cap_reports_incomplete():
    r = vertex_enumeration(NormalFormGame([np.zeros((3, 3)), np.zeros((3, 3))]), max_bases=2)
    assert not r.complete
    assert any("max_bases=2" in n for n in r.notes)
    assert all(eq.max_regret <= 1e-9 for eq in r)


def test_solve_dispatches_vertex():
    r = solve(NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]), method="vertex")
    assert r.method == "vertex"
    assert len(r) == 1


@pytest.mark.parametrize(
    ("game", "kwargs", "match"),
    [
        (NormalFormGame([np.zeros((2, 2, 2))] * 3), {}, "needs 2 players"),
        (NormalFormGame([[[sympy.Symbol("a")]], [[1]]]), {}, "numeric payoffs"),
        (
            NormalFormGame([[[1]], [[1]]]),
            {"tol": -1.0},
            r"option 'tol' .*must be a real number in \(0, 1\), got -1\.0",
        ),
        (NormalFormGame([[[1]], [[1]]]), {"tol": float("nan")}, r"option 'tol' .*got nan"),
        (
            NormalFormGame([[[1]], [[1]]]),
            {"max_bases": 0},
            r"option 'max_bases' .*must be a positive integer, got 0",
        ),
    ],
    ids=["three-players", "symbolic", "negative-tol", "nan-tol", "zero-cap"],
)
def test_bad_input(game, kwargs, match):
    with pytest.raises(SolverError, match=match):
        vertex_enumeration(game, **kwargs)
