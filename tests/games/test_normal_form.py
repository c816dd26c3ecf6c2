"""NormalFormGame: shapes, labels, symbolic payoffs, validation and nashpy interop."""

import math

import numpy as np
import pytest
import sympy

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet


def test_three_player_shape_and_labels():
    arrays = [np.arange(12.0).reshape(2, 3, 2) * k for k in (1, 2, 3)]
    g = NormalFormGame(
        arrays, players=["A", "B", "C"], strategies=[["u", "d"], ["l", "m", "r"], ["x", "y"]]
    )
    assert g.n_players == 3
    assert g.shape == (2, 3, 2)
    assert g.strategies[1] == ("l", "m", "r")
    assert g.payoff_tensor().shape == (3, 2, 3, 2)
    assert float(g.payoffs[2][1, 2, 1]) == 33.0


@pytest.mark.parametrize(
    ("payoffs", "kwargs", "match"),
    [
        pytest.param([[[1, 2], [3]], [[1, 2], [3, 4]]], {}, "player 1 is ragged", id="ragged"),
        pytest.param(
            [[[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]]],
            {},
            r"player 2 has shape \(2, 3\), expected \(2, 2\)",
            id="mismatch",
        ),
        pytest.param(
            [[1, 2], [3, 4]], {}, "player 1 has 1 dimensions, expected 2", id="wrong-ndim"
        ),
        pytest.param(
            [[[1, math.inf], [3, 4]], [[1, 2], [3, 4]]],
            {},
            r"payoff of player 1 at \(0, 1\) is not finite: inf",
            id="inf",
        ),
        pytest.param(
            [[[1, 2], [3, 4]], [[1, 2], [math.nan, 4]]],
            {},
            r"payoff of player 2 at \(1, 0\) is not finite: nan",
            id="nan",
        ),
        pytest.param(
            [[[1, 2], [3, 4]], [[1, 2], [3, 4]]],
            {"players": ["A"]},
            "players: got 1 labels, need 2",
            id="player-labels",
        ),
        pytest.param(
            [[[1, 2], [3, 4]], [[1, 2], [3, 4]]],
            {"strategies": [["a", "a"], ["l", "r"]]},
            "labels must be distinct",
            id="duplicate-labels",
        ),
        pytest.param(
            [[[1, 2], [3, 4]], [[1, 2], [3, 4]]],
            {"strategies": [["a", "b"]]},
            "strategies: got labels for 1 players, need 2",
            id="labels-count",
        ),
        pytest.param(
            [np.zeros((0, 2)), np.zeros((0, 2))],
            {},
            "every player needs at least one strategy",
            id="no-strategy",
        ),
        pytest.param(
            [[["a", 1], [2, 3]], [[1, 2], [3, 4]]], {}, "holds non-numbers", id="text-payoff"
        ),
    ],
)
def test_validation_messages(payoffs, kwargs, match):
    with pytest.raises(GameShapeError, match=match):
        NormalFormGame(payoffs, **kwargs)


def test_symbolic_payoffs_substitute_with_defaults_and_overrides():
    ps = ParameterSet([Parameter("a", 1.0, (0, 5)), Parameter("b", 2.0, (0, 5))])
    a, b = ps.symbols()
    g = NormalFormGame([[[a, 0], [0, b]], [[b, 0], [0, a]]], parameters=ps)
    assert g.is_symbolic
    num = g.numeric(b=4)
    assert not num.is_symbolic
    np.testing.assert_array_equal(num.payoffs[0], [[1.0, 0.0], [0.0, 4.0]])
    with pytest.raises(ParameterError, match=r"outside its bounds \[0, 5\]"):
        g.numeric(a=9)
    with pytest.raises(SolverError, match=r"symbolic payoffs; call \.numeric"):
        g.payoff_tensor()


def test_undeclared_symbol_is_named():
    ps = ParameterSet([Parameter("a", 1.0, (0, 5))])
    (a,) = ps.symbols()
    z = sympy.Symbol("z")
    with pytest.raises(ParameterError, match=r"parameter 'z': used in the payoff of player '2'"):
        NormalFormGame([[[a, 0], [0, a]], [[z, 0], [0, a]]], parameters=ps)


def test_require_explains_what_is_missing():
    g3 = NormalFormGame([np.zeros((2, 2, 2))] * 3)
    with pytest.raises(SolverError, match="method 'vertex' needs 2 players, the game has 3"):
        g3.require(players=2, method="vertex")
    g1 = NormalFormGame([[[1, 2]], [[3, 4]]], players=["R", "C"])
    with pytest.raises(SolverError, match="player 'R' has 1"):
        g1.require(min_strategies=2, method="support")
    assert g1.require(players=2) is g1


def test_nashpy_round_trip():
    import nashpy

    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    B = A.T.copy()
    g = NormalFormGame.from_nashpy(nashpy.Game(A, B))
    back = g.to_nashpy()
    np.testing.assert_array_equal(back.payoff_matrices[0], A)
    np.testing.assert_array_equal(back.payoff_matrices[1], B)
