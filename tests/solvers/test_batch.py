"""Tests of bargain.solvers.normal_form.batch (solve_batch: many small games in one kernel call)."""

from __future__ import annotations

import numpy as np
import pytest

from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.batch import solve_batch
from bargain.solvers.normal_form.pure import pure_nash
from bargain.solvers.normal_form.support import support_enumeration

# (A, B, extreme equilibria in enumeration order, continuum?)
KNOWN = {
    # Matching pennies (nashpy README): one isolated equilibrium.
    "matching_pennies": (
        [[1, -1], [-1, 1]],
        [[-1, 1], [1, -1]],
        [((0.5, 0.5), (0.5, 0.5))],
        False,
    ),
    # Prisoner's dilemma (Tucker 1950).
    "prisoners_dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]], [((0, 1), (0, 1))], False),
    # Battle of the sexes (Luce & Raiffa 1957): 3 isolated equilibria.
    "battle_of_sexes": (
        [[2, 0], [0, 1]],
        [[1, 0], [0, 2]],
        [((1, 0), (1, 0)), ((0, 1), (0, 1)), ((2 / 3, 1 / 3), (1 / 3, 2 / 3))],
        False,
    ),
    # Degenerate: row 0 strictly dominant, column player indifferent: the continuum
    # {(1,0)} x Delta, extreme points y = (1,0) and (0,1).
    "dominant_row_indifferent_column": (
        [[1, 1], [0, 0]],
        [[0, 0], [0, 0]],
        [((1, 0), (1, 0)), ((1, 0), (0, 1))],
        True,
    ),
    # Degenerate: all payoffs equal; every profile is an equilibrium (4 extreme points).
    "all_zero": (
        [[0, 0], [0, 0]],
        [[0, 0], [0, 0]],
        [((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (1, 0)), ((0, 1), (0, 1))],
        True,
    ),
}


def _stack(cases):
    A = np.array([c[0] for c in cases], dtype=float)
    B = np.array([c[1] for c in cases], dtype=float)
    return A, B


def _as_set(x, y, k):
    return {(tuple(np.round(x[i], 8)), tuple(np.round(y[i], 8))) for i in range(k)}


def test_known_2x2_games() -> None:
    cases = list(KNOWN.values())
    A, B = _stack(cases)
    r = solve_batch(A, B)
    assert r.valid.all()
    assert not r.overflow.any()
    for g, (_, _, expected, continuum) in enumerate(cases):
        assert r.count[g] == len(expected)
        xs, ys = zip(*expected, strict=True)
        assert _as_set(r.x[g], r.y[g], r.count[g]) == _as_set(xs, ys, len(expected))
        assert r.continuum[g] == continuum
        assert r.isolated[g, : r.count[g]].all() == (not continuum)
        assert np.all(r.regret[g, : r.count[g]] <= 1e-12)
        assert np.isnan(r.x[g, r.count[g] :]).all()


def test_isolated_and_continuum_in_one_game() -> None:
    # von Stengel's degenerate 3x2 game (B[0,1] = 3): a continuum ((1,0,0), y_1 in
    # [2/3, 1]) and the isolated equilibrium ((0,1/3,2/3), (1/3,2/3)).
    A = np.array([[[3, 3], [2, 5], [0, 6]]], dtype=float)
    B = np.array([[[3, 3], [2, 6], [3, 1]]], dtype=float)
    r = solve_batch(A, B)
    assert r.count[0] == 3
    assert r.continuum[0]
    iso = [k for k in range(3) if r.isolated[0, k]]
    assert len(iso) == 1
    np.testing.assert_allclose(r.x[0, iso[0]], [0, 1 / 3, 2 / 3], atol=1e-12)


def test_payoffs_and_pure_method() -> None:
    A, B = _stack([KNOWN["battle_of_sexes"], KNOWN["matching_pennies"]])
    r = solve_batch(A, B, method="pure")
    assert r.count.tolist() == [2, 0]
    np.testing.assert_array_equal(r.payoffs[0, :2], [[2, 1], [1, 2]])
    assert not r.continuum.any()
    assert not r.isolated.any()
    s = solve_batch(A, B)
    np.testing.assert_allclose(s.payoffs[0, 2], [2 / 3, 2 / 3])


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 2), (3, 3), (4, 4), (1, 3)])
@pytest.mark.parametrize("kind", ["float", "int"])
def test_agrees_with_support_and_pure_game_by_game(shape, kind) -> None:
    rng = np.random.default_rng(sum(shape) * 10 + (kind == "int"))
    G = 60
    if kind == "float":
        A, B = rng.normal(size=(G, *shape)), rng.normal(size=(G, *shape))
    else:  # integers in {0, 1, 2}: degenerate games are common
        A = rng.integers(0, 3, (G, *shape)).astype(float)
        B = rng.integers(0, 3, (G, *shape)).astype(float)
    r = solve_batch(A, B, max_equilibria=64)
    p = solve_batch(A, B, method="pure")
    assert r.valid.all()
    assert p.valid.all()
    for g in range(G):
        game = NormalFormGame([A[g], B[g]])
        s = support_enumeration(game)
        theirs = {
            (tuple(np.round(e.strategies[0], 8)), tuple(np.round(e.strategies[1], 8))) for e in s
        }
        assert _as_set(r.x[g], r.y[g], r.count[g]) == theirs
        assert r.continuum[g] == any(e.info["continuum"] for e in s)
        scale = max(np.ptp(A[g]), np.ptp(B[g])) or 1.0
        pure = pure_nash(game, tol=1e-9 * scale)
        assert p.count[g] == len(pure)
        for k, eq in enumerate(pure):
            np.testing.assert_array_equal(p.x[g, k], eq.strategies[0])
            np.testing.assert_array_equal(p.y[g, k], eq.strategies[1])


@pytest.mark.parametrize(
    ("shape", "high", "G"),
    [((3, 3), 2, 400), ((3, 3), 3, 500), ((4, 4), 2, 120), ((4, 4), 3, 200)],
    ids=["3x3-int01", "3x3-int012", "4x4-int01", "4x4-int012"],
)
def test_degenerate_integer_games_agree_with_support(shape, high, G) -> None:
    # Payoffs in {0, 1} or {0, 1, 2}: ties everywhere, so continua, duplicate vertices
    # (one vertex reached from several supports) and singular systems are common; the
    # batch kernel must return exactly the extreme equilibria of the game-by-game solver,
    # with its continuum flags, and say which ones are isolated.
    rng = np.random.default_rng(100 * shape[0] + high)
    A = rng.integers(0, high, (G, *shape)).astype(float)
    B = rng.integers(0, high, (G, *shape)).astype(float)
    r = solve_batch(A, B, max_equilibria=64)
    assert r.valid.all()
    assert r.continuum.any()
    assert not r.continuum.all()
    for g in range(G):
        s = support_enumeration(NormalFormGame([A[g], B[g]]))
        theirs = {
            (tuple(np.round(e.strategies[0], 8)), tuple(np.round(e.strategies[1], 8))): e.info[
                "continuum"
            ]
            for e in s
        }
        k = r.count[g]
        assert k == len(theirs)
        ours = [(tuple(np.round(r.x[g, e], 8)), tuple(np.round(r.y[g, e], 8))) for e in range(k)]
        assert set(ours) == set(theirs)
        assert r.continuum[g] == any(theirs.values())
        for e, profile in enumerate(ours):
            assert r.isolated[g, e] == (not theirs[profile])


def test_random_regrets_within_tolerance() -> None:
    rng = np.random.default_rng(7)
    A, B = rng.uniform(-100, 100, (2, 5000, 3, 3))
    r = solve_batch(A, B)
    assert r.valid.all()
    mask = ~np.isnan(r.regret)
    assert np.all(r.regret[mask] <= 1e-9 * 100)
    assert (r.count % 2 == 1).all()  # nondegenerate games have an odd number


def test_overflow_flag() -> None:
    A, B = _stack([KNOWN["battle_of_sexes"]])
    r = solve_batch(A, B, max_equilibria=1)
    assert r.count[0] == 3
    assert r.overflow[0]
    assert not r.valid[0]
    assert r.x.shape == (1, 1, 2)


@pytest.mark.parametrize(
    ("A", "B", "kwargs", "message"),
    [
        (
            np.zeros((2, 2)),
            np.zeros((2, 2)),
            {},
            r"A must have shape \(n_games, m, n\), got shape \(2, 2\)",
        ),
        (np.zeros((3, 2, 2)), np.zeros((3, 2, 3)), {}, r"A and B must have the same shape"),
        (np.full((1, 2, 2), np.nan), np.zeros((1, 2, 2)), {}, r"A\[0, 0, 0\] is not finite"),
        (
            np.zeros((1, 7, 2)),
            np.zeros((1, 7, 2)),
            {},
            r"player 1 \(rows\) has 7 strategies; solve_batch handles 1\.\.6",
        ),
        (np.zeros((1, 2, 0)), np.zeros((1, 2, 0)), {}, r"player 2 \(columns\) has 0 strategies"),
        (np.zeros((1, 2, 2)), [["a"]], {}, r"B must be a numeric array"),
        (
            np.zeros((1, 2, 2)),
            np.zeros((1, 2, 2)),
            {"method": "vertex"},
            r"method must be 'support' or 'pure', got 'vertex'",
        ),
        (
            np.zeros((1, 2, 2)),
            np.zeros((1, 2, 2)),
            {"max_equilibria": 0},
            r"option 'max_equilibria' .*must be a positive integer, got 0",
        ),
        (
            np.zeros((1, 2, 2)),
            np.zeros((1, 2, 2)),
            {"max_equilibria": 2.0},
            r"option 'max_equilibria' .*must be a positive integer, got 2\.0",
        ),
        (
            np.zeros((1, 2, 2)),
            np.zeros((1, 2, 2)),
            {"tol": -1},
            r"option 'tol' .*must be a real number in \(0, 1\), got -1",
        ),
    ],
    ids=[
        "two_dimensional",
        "shape_mismatch",
        "nan_payoff",
        "too_many_strategies",
        "no_strategies",
        "non_numeric",
        "bad_method",
        "zero_slots",
        "float_slots",
        "negative_tol",
    ],
)
def test_bad_inputs(A, B, kwargs, message) -> None:
    with pytest.raises(SolverError, match=message):
        solve_batch(A, B, **kwargs)


@pytest.mark.parametrize("factor", [1e-200, 1e-12, 1e6, 1e200], ids=lambda f: f"x{f:g}")
def test_scale_invariance(factor) -> None:
    # Multiplying payoffs by a positive number changes no equilibrium.
    rng = np.random.default_rng(11)
    A, B = rng.random((2, 50, 3, 3))
    ref = solve_batch(A, B)
    r = solve_batch(A * factor, B * factor + 3 * factor)
    np.testing.assert_array_equal(r.count, ref.count)
    np.testing.assert_allclose(r.x, ref.x, atol=1e-9)
    assert r.valid.all()


def test_results_do_not_depend_on_batch_layout() -> None:
    # The kernel solves blocks of games together (SIMD across games) and sends degenerate
    # games down a separate path; neither the games around a game nor its position in a
    # block may change its result, bit for bit.
    rng = np.random.default_rng(21)
    G = 700  # not a multiple of the block size
    A, B = rng.random((2, G, 4, 4))
    degenerate = rng.random(G) < 0.3  # mixed in: integer payoffs in {0, 1, 2}
    A[degenerate] = rng.integers(0, 3, (degenerate.sum(), 4, 4))
    B[degenerate] = rng.integers(0, 3, (degenerate.sum(), 4, 4))
    whole = solve_batch(A, B)
    assert whole.continuum.any()
    assert whole.valid.all()
    order = rng.permutation(G)
    shuffled = solve_batch(A[order], B[order])
    for field in ("count", "x", "y", "payoffs", "regret", "isolated", "continuum", "valid"):
        ref = getattr(whole, field)
        np.testing.assert_array_equal(getattr(shuffled, field), ref[order], err_msg=field)
        for lo, hi in ((0, 1), (255, 258), (611, 700)):
            part = solve_batch(A[lo:hi], B[lo:hi])
            np.testing.assert_array_equal(getattr(part, field), ref[lo:hi], err_msg=field)


@pytest.mark.parametrize("shape", [(5, 5), (6, 3), (2, 6)])
@pytest.mark.parametrize("kind", ["float", "int"])
def test_larger_games_agree_with_support(shape, kind) -> None:
    # Up to 6 strategies: smaller blocks, and 4 x 4 or larger systems in every path.
    rng = np.random.default_rng(sum(shape) + 100 * (kind == "int"))
    G = 25
    if kind == "float":
        A, B = rng.normal(size=(2, G, *shape))
    else:
        A, B = rng.integers(0, 3, (2, G, *shape)).astype(float)
    r = solve_batch(A, B, max_equilibria=256)
    assert r.valid.all()
    for g in range(G):
        s = support_enumeration(NormalFormGame([A[g], B[g]]))
        theirs = {
            (tuple(np.round(e.strategies[0], 8)), tuple(np.round(e.strategies[1], 8))) for e in s
        }
        assert r.count[g] == len(theirs)
        assert _as_set(r.x[g], r.y[g], r.count[g]) == theirs
        assert r.continuum[g] == any(e.info["continuum"] for e in s)


@pytest.mark.parametrize(("m", "n"), [(1, 1), (2, 3), (3, 2), (4, 4), (3, 5), (6, 6)])
def test_dual_candidates_swap_support_and_binding_set(m, n) -> None:
    # `_complements` completes the vertex player 1's candidate (S, T) finds with player
    # 2's candidate (T, S); `_duals` must point at exactly that row.
    from bargain.solvers.normal_form._batch_vertices import _candidates, _duals

    cand_p, cand_q = _candidates(n, m), _candidates(m, n)
    dual = _duals(cand_p, m, n)
    k_max = min(m, n)
    assert sorted(dual.tolist()) == list(range(len(cand_q)))
    for r, rq in enumerate(dual):
        k = cand_p[r, 0]
        assert cand_q[rq, 0] == k
        S, T = cand_p[r, 1 : 1 + k], cand_p[r, 1 + k_max : 1 + k_max + k]
        np.testing.assert_array_equal(cand_q[rq, 1 : 1 + k], T)
        np.testing.assert_array_equal(cand_q[rq, 1 + k_max : 1 + k_max + k], S)


def test_empty_batch() -> None:
    r = solve_batch(np.zeros((0, 3, 3)), np.zeros((0, 3, 3)))
    assert len(r) == 0
    assert r.x.shape == (0, 8, 3)
