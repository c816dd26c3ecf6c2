"""Tests of bargain.solvers.normal_form.family: a parametric bimatrix game at many points."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.normal_form.family import payoff_stacks, solve_family
from bargain.solvers.normal_form.support import support_enumeration


def hawk_dove() -> NormalFormGame:
    """Hawk–dove (Maynard Smith 1982): prize v, cost of a fight c."""
    ps = ParameterSet(
        [Parameter("v", 2.0, (0.1, 10.0), "", "prize"), Parameter("c", 4.0, (0.1, 10.0))]
    )
    v, c = ps.symbols()
    A = [[(v - c) / 2, v], [0, v / 2]]
    return NormalFormGame([A, [list(row) for row in zip(*A, strict=True)]], parameters=ps)


def _profiles(r, g):
    k = min(int(r.count[g]), r.x.shape[1])
    return {(tuple(np.round(r.x[g, i], 8)), tuple(np.round(r.y[g, i], 8))) for i in range(k)}


def test_hawk_dove_known_equilibria() -> None:
    # Maynard Smith (1982, Evolution and the Theory of Games): for v < c the game
    # has two asymmetric pure equilibria and a symmetric mixed one with P(hawk) = v / c;
    # for v > c hawk strictly dominates and (hawk, hawk) is the only equilibrium.
    game = hawk_dove()
    v = np.array([1.0, 2.0, 3.0, 6.0, 9.0])
    c = np.array([2.0, 8.0, 9.0, 3.0, 1.0])
    r = solve_family(game, np.column_stack([v, c]))
    assert r.valid.all()
    for g in range(len(v)):
        if v[g] < c[g]:
            assert r.count[g] == 3
            mixed = (v[g] / c[g], 1 - v[g] / c[g])
            expected = {((1.0, 0.0), (0.0, 1.0)), ((0.0, 1.0), (1.0, 0.0))}
            expected.add((tuple(np.round(mixed, 8)), tuple(np.round(mixed, 8))))
            assert _profiles(r, g) == expected
        else:
            assert r.count[g] == 1
            assert _profiles(r, g) == {((1.0, 0.0), (1.0, 0.0))}


def test_agrees_with_support_enumeration_point_by_point() -> None:
    # a 3x3 family with parameters in several entries, including ties at some points
    rng = np.random.default_rng(7)
    ps = ParameterSet([Parameter("a", 0.0, (-2.0, 2.0)), Parameter("b", 0.0, (-2.0, 2.0))])
    a, b = ps.symbols()
    base_a = rng.integers(-2, 3, (3, 3)).tolist()
    base_b = rng.integers(-2, 3, (3, 3)).tolist()
    base_a[0][0] = a
    base_a[2][1] = a * b
    base_b[1][2] = b - a
    base_b[0][1] = 2 * b
    game = NormalFormGame([base_a, base_b], parameters=ps)
    pts = np.column_stack([rng.choice([-1.0, 0.0, 0.5, 1.0], 40), rng.uniform(-2, 2, 40)])
    r = solve_family(game, pts, max_equilibria=64)
    assert r.valid.all()
    for g, (va, vb) in enumerate(pts):
        s = support_enumeration(game.numeric(a=va, b=vb))
        theirs = {
            (tuple(np.round(e.strategies[0], 8)), tuple(np.round(e.strategies[1], 8))) for e in s
        }
        assert _profiles(r, g) == theirs


def test_columns_follow_param_names() -> None:
    game = hawk_dove()
    r1 = solve_family(game, np.array([[1.0, 4.0]]))
    r2 = solve_family(game, np.array([[4.0, 1.0]]), param_names=["c", "v"])
    np.testing.assert_array_equal(r1.x, r2.x)


def test_numeric_game_is_the_same_at_every_point() -> None:
    game = NormalFormGame([[[2, 0], [0, 1]], [[1, 0], [0, 2]]])  # battle of the sexes
    r = solve_family(game, np.zeros((4, 0)))
    assert r.count.tolist() == [3, 3, 3, 3]


def test_payoff_stacks_three_players() -> None:
    x = sympy.Symbol("x")
    shape = (2, 2, 2)
    pay = [np.full(shape, x, dtype=object), np.ones(shape), np.zeros(shape)]
    stacks = payoff_stacks(NormalFormGame(pay), np.array([[1.0], [2.0], [3.0]]))
    assert [s.shape for s in stacks] == [(3, 2, 2, 2)] * 3
    np.testing.assert_array_equal(stacks[0][:, 1, 0, 1], [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("points", "kwargs", "error", "message"),
    [
        (np.ones((2, 3)), {}, GameShapeError, "3 columns"),
        (np.ones(2), {}, GameShapeError, "2-D"),
        (np.array([[1.0, 20.0]]), {}, ParameterError, "'c': point 0 has 20"),
        (np.array([[np.nan, 1.0]]), {}, ParameterError, "'v': point 0 has the non-finite"),
        (np.ones((1, 1)), {"param_names": ["v"]}, ParameterError, "'c': appears in the payoff"),
        (np.ones((1, 2)), {"method": "all"}, SolverError, "method must be"),
    ],
)
def test_bad_input(points, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        solve_family(hawk_dove(), points, **kwargs)


def test_non_finite_payoff_names_the_point() -> None:
    a = sympy.Symbol("a")
    game = NormalFormGame([[[1 / a, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(GameShapeError, match=r"player '1' at \(0, 0\) is not finite at point 1"):
        solve_family(game, np.array([[1.0], [0.0]]))


def test_wrong_game() -> None:
    with pytest.raises(SolverError, match="needs a NormalFormGame"):
        solve_family([[1]], np.zeros((1, 0)))
    three = NormalFormGame([np.zeros((2, 2, 2))] * 3)
    with pytest.raises(SolverError, match="two-player"):
        solve_family(three, np.zeros((1, 0)))
