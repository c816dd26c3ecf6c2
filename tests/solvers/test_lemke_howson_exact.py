"""Lemke–Howson in exact integer arithmetic, and ``auto`` on games with huge payoffs.

Before, ``solve(game)`` on a two-player game larger than 20x20 with payoffs beyond 2**53
picked float Lemke–Howson, whose ends failed exact verification, and stopped with an
error.  Now ``lemke_howson`` has ``exact=True`` (integer pivoting, von Stengel 2007,
Algorithmic Game Theory ch. 3, §3.5) and ``solve`` turns it on for such payoffs.  The
regrets here are computed in the test, in rationals, from the game's payoffs.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import bargain as bg
from bargain.solvers.normal_form.lemke_howson import lemke_howson


def rational_regret(A, B, x, y) -> Fraction:
    """Largest gain from a pure deviation, in rationals (payoffs read at their binary
    values: every float is a rational)."""
    m, n = len(x), len(y)
    A = [[Fraction(float(A[i][j])) for j in range(n)] for i in range(m)]
    B = [[Fraction(float(B[i][j])) for j in range(n)] for i in range(m)]
    rows = [sum((A[i][j] * y[j] for j in range(n)), Fraction(0)) for i in range(m)]
    cols = [sum((B[i][j] * x[i] for i in range(m)), Fraction(0)) for j in range(n)]
    v1 = sum((x[i] * rows[i] for i in range(m)), Fraction(0))
    v2 = sum((y[j] * cols[j] for j in range(n)), Fraction(0))
    return max(max(rows) - v1, max(cols) - v2)


def check_exact(A, B, result) -> None:
    assert result.tolerance == 0.0
    for eq in result:
        x, y = eq.exact
        assert sum(x) == 1
        assert sum(y) == 1
        assert min(x) >= 0
        assert min(y) >= 0
        assert rational_regret(A, B, x, y) == 0
        assert np.allclose(eq.strategies[0], [float(v) for v in x], rtol=0, atol=1e-15)


def test_von_stengel_example() -> None:
    # von Stengel (2007), Algorithmic Game Theory ch. 3, the 3x2 game of eq. (3.3): labels 0, 2, 3
    # end at the pure equilibrium, labels 1 and 4 at ((0, 1/3, 2/3), (1/3, 2/3)).
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 2], [2, 6], [3, 1]]
    r = lemke_howson(bg.NormalFormGame([A, B]), labels="all", exact=True)
    assert [eq.info["labels"] for eq in r] == [(0, 2, 3), (1, 4)]
    third = Fraction(1, 3)
    assert r[1].exact == ((0, third, 2 * third), (third, 2 * third))
    check_exact(A, B, r)


@pytest.mark.parametrize("seed", range(30))
def test_label_map_equals_the_float_path(seed: int) -> None:
    # random float games are non-degenerate: the path from a label is unique, so the
    # exact and the float pivoting must end at the same equilibrium for every label
    rng = np.random.default_rng(seed)
    m, n = (int(k) for k in rng.integers(2, 7, 2))
    A, B = rng.random((m, n)), rng.random((m, n))
    g = bg.NormalFormGame([A, B])
    fl = lemke_howson(g, labels="all")
    ex = lemke_howson(g, labels="all", exact=True)
    check_exact(A, B, ex)
    assert len(ex) == len(fl)
    for k in range(m + n):
        e, f = ex[ex.options["label_map"][k]], fl[fl.options["label_map"][k]]
        for a, b in zip(e.strategies, f.strategies, strict=True):
            assert np.allclose(a, b, atol=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_degenerate_integer_games_end_at_equilibria(seed: int) -> None:
    # payoffs in {0, 1, 2}: many ties, so degenerate bases; the lexicographic rule must
    # still end every path at an exact equilibrium
    rng = np.random.default_rng(100 + seed)
    m, n = (int(k) for k in rng.integers(2, 6, 2))
    A, B = rng.integers(0, 3, (m, n)), rng.integers(0, 3, (m, n))
    r = lemke_howson(bg.NormalFormGame([A, B]), labels="all", exact=True)
    assert r.complete
    assert len(r) >= 1
    check_exact(A, B, r)


def huge_game(n: int, seed: int):
    rng = np.random.default_rng(seed)
    A = rng.integers(-10, 10, (n, n)).astype(float)
    B = rng.integers(-10, 10, (n, n)).astype(float)
    A[0, 0], B[1, 1] = 1e19, -1e19  # 10**19 next to payoffs of size 10: floats round
    return A, B


def test_auto_on_a_large_game_with_huge_payoffs() -> None:
    A, B = huge_game(21, 0)  # 441 > AUTO_VERTEX_MAX pairs: auto runs Lemke-Howson
    r = bg.solve(bg.NormalFormGame([A, B]))
    assert r.method == "lemke_howson"
    assert not r.complete
    assert len(r) >= 1
    assert r.options["exact"]
    check_exact(A, B, r)


def test_work_limit_is_reported() -> None:
    A, B = huge_game(8, 3)
    r = lemke_howson(bg.NormalFormGame([A, B]), labels="all", exact=True, max_iter=1)
    assert not r.complete
    assert any("max_iter=1" in note for note in r.notes)
    capped = [k for k, v in r.options["label_map"].items() if v is None]
    assert capped
    assert len(r) + len(capped) >= 1


@pytest.mark.parametrize("seed", range(4))
def test_support_keeps_mixed_equilibria_beyond_2_53(seed: int) -> None:
    # payoffs ~1e17 with full mantissas: a mixed equilibrium's probabilities have huge
    # denominators, so the float profile has no rational reading with denominators
    # <= 10**6; certify re-solves it exactly on its supports instead of dropping it.
    # Exact vertex enumeration (a different algorithm) gives the reference set.
    rng = np.random.default_rng(seed)
    A, B = np.round(rng.random((4, 4)) * 1e17), np.round(rng.random((4, 4)) * 1e17)
    g = bg.NormalFormGame([A, B])
    support = bg.solve(g, method="support")
    vertex = bg.solve(g, method="vertex")
    assert vertex.complete
    assert support.complete
    assert sorted(eq.exact for eq in support) == sorted(eq.exact for eq in vertex)
    check_exact(A, B, support)
