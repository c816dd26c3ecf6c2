"""Tests of method "vertex" written for the mutants that survived its mutation run.

See the "Mutation testing" section of docs/testing.md: each test here kills at least one
mutant of ``src/bargain/solvers/normal_form/vertex.py`` that the older tests let through
(the work-limit note and ``count``, the result's game, payoffs and regrets, the exactly
verified count, the option errors, the rescaled path with ``exact=True``, games with more
than 63 labels).  Regrets and payoffs are computed here, not with the package's code.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.vertex import vertex_enumeration
from bargain.solvers.tolerance import OptionError

# von Stengel (2007), "Equilibrium computation for two-player games in strategic and
# extensive form", in Algorithmic Game Theory, ch. 3, the 3x2 example: three equilibria
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
# a 3x3 integer game with six extreme equilibria, two of whose float regrets are not 0
# (found by a seeded search; the equilibria are checked below, not assumed)
G_A = [[7.0, 7.0, 7.0], [5.0, 3.0, 9.0], [9.0, 6.0, 3.0]]
G_B = [[5.0, 5.0, 0.0], [0.0, 4.0, 5.0], [2.0, 2.0, 1.0]]


def regret(A, B, x, y) -> float:
    A, B, x, y = (np.asarray(v, dtype=float) for v in (A, B, x, y))
    u1, u2 = x @ A @ y, x @ B @ y
    return max(float(np.max(A @ y) - u1), float(np.max(x @ B) - u2), 0.0)


def exact_regret(A, B, x, y) -> Fraction:
    A = [[Fraction(v) for v in row] for row in A]
    B = [[Fraction(v) for v in row] for row in B]
    m, n = len(A), len(A[0])
    row = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
    col = [sum(B[i][j] * x[i] for i in range(m)) for j in range(n)]
    u1 = sum(x[i] * row[i] for i in range(m))
    u2 = sum(y[j] * col[j] for j in range(n))
    return max(max(row) - u1, max(col) - u2)


def test_the_result_carries_its_game_payoffs_and_regrets():
    g = NormalFormGame([G_A, G_B])
    r = vertex_enumeration(g)
    assert r.game is g
    assert len(r.equilibria) == 6
    assert sum(eq.info["float_regret"] > 0.0 for eq in r.equilibria) == 2
    for eq in r.equilibria:
        x, y = eq.strategies
        np.testing.assert_allclose(
            eq.payoffs, [x @ np.array(G_A) @ y, x @ np.array(G_B) @ y], rtol=0, atol=1e-12
        )
        assert eq.max_regret == eq.info["float_regret"]  # below tol: the float regret
        assert abs(eq.max_regret - regret(G_A, G_B, x, y)) <= 1e-12
        assert eq.max_regret <= r.tolerance


def test_equilibria_verified_exactly_are_counted_in_the_note():
    # with tol far below rounding, the equilibria whose float regret is not 0 are proved
    # in exact arithmetic instead: max_regret 0, and the note counts them
    r = vertex_enumeration(NormalFormGame([G_A, G_B]), tol=1e-300, exact=True)
    above = [eq for eq in r.equilibria if eq.info["float_regret"] > 1e-300]
    assert len(above) == 2
    for eq in r.equilibria:
        assert exact_regret(G_A, G_B, *eq.exact) == 0
    assert all(eq.max_regret == 0.0 for eq in above)
    assert any(note.startswith("2 equilibria have a float regret above") for note in r.notes)


def test_the_work_limit_note_and_count():
    r = vertex_enumeration(NormalFormGame([VS_A, VS_B]), max_bases=2)
    assert r.complete is False
    assert r.count is None  # a capped enumeration does not know how many there are
    (note,) = [note for note in r.notes if "work limit" in note]
    assert "max_bases=2 bases per polytope" in note
    assert "'lemke_howson' (labels='all')" in note
    full = vertex_enumeration(NormalFormGame([VS_A, VS_B]))
    assert full.complete is True
    assert full.count == len(full.equilibria) == 3


def test_a_float_game_says_how_it_was_enumerated():
    rng = np.random.default_rng(5)
    A, B = rng.random((3, 3)), rng.random((3, 3))
    r = vertex_enumeration(NormalFormGame([A, B]))
    assert r.options["arithmetic"] == "float"
    assert any("vertices of P, each with its complementary vertex of Q" in note for note in r.notes)
    for eq in r.equilibria:
        assert regret(A, B, *eq.strategies) <= 1e-9


@pytest.mark.parametrize(
    ("options", "name"),
    [({"tol": 2.0}, "tol"), ({"tol": 0.0}, "tol"), ({"max_equilibria": 0}, "max_equilibria")],
)
def test_option_errors_name_the_method(options, name):
    with pytest.raises(OptionError, match=f"option '{name}' of method 'vertex'"):
        vertex_enumeration(NormalFormGame([VS_A, VS_B]), **options)


def test_huge_payoffs_solved_scaled_keep_exact_strategies():
    c = 2.0**900
    g = NormalFormGame([np.array(VS_A, dtype=float) * c, np.array(VS_B, dtype=float) * c])
    r = vertex_enumeration(g, exact=True)
    assert r.options["exact"] is True
    got = [tuple(tuple(s) for s in eq.exact) for eq in r.equilibria]
    F = Fraction
    assert got == [
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3))),
        ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    ]
    for prof in got:
        assert exact_regret(VS_A, VS_B, *prof) == 0


def test_more_labels_than_one_word():
    # 2 + 62 strategies: 64 labels, two words of 63 label bits.  Player 2's column 0
    # strictly dominates, so the only equilibrium is column 0 with player 1's best reply
    rng = np.random.default_rng(11)
    n = 62
    A = rng.random((2, n))
    A[:, 0] = [0.3, 0.9]
    B = rng.random((2, n))
    B[:, 0] = 2.0
    r = vertex_enumeration(NormalFormGame([A, B]))
    assert len(r.equilibria) == 1
    x, y = r.equilibria[0].strategies
    np.testing.assert_array_equal(x, [0.0, 1.0])
    np.testing.assert_array_equal(y, np.eye(n)[0])
    assert regret(A, B, x, y) == 0.0
