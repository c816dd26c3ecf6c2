"""Symbolic one-shot-deviation conditions agree with the numeric solver."""

import numpy as np
import pytest
import sympy

from bargain.dynamic import StochasticGame, pure_conditions, solve
from bargain.errors import GameShapeError
from bargain.games import Parameter, ParameterSet


def _pd_with_monitoring(*, perfect=False):
    """Grim trigger with imperfect monitoring: a defection is seen with probability q, a
    cooperative round is misread as a defection with probability e (Green & Porter 1984
    style).  Parameters: temptation T, reward R, punishment P, δ, q, e."""
    ps = ParameterSet(
        [
            Parameter("T", 5.0, (3.0, 8.0)),
            Parameter("R", 3.0, (2.0, 3.0)),
            Parameter("P", 1.0, (0.0, 1.9)),
            Parameter("delta", 0.8, (0.05, 0.99)),
            Parameter("q", 0.9, (0.1, 1.0)),
            Parameter("e", 0.05, (0.0, 0.3)),
        ]
    )
    T, R, P, d, q, e = ps.symbols()
    if perfect:
        q, e = 1, 0
    pd = np.array([[[R, 0], [T, P]], [[R, T], [0, P]]], dtype=object)
    go = np.empty((2, 2, 2), dtype=object)
    go[0, 0] = (1 - e, e)
    go[0, 1] = go[1, 0] = (1 - q, q)
    go[1, 1] = (0, 1)
    stay = np.empty((2, 2, 2), dtype=object)
    for a in np.ndindex(2, 2):
        stay[a] = (0, 1)
    g = StochasticGame(
        [pd, pd],
        [go, stay],
        d,
        parameters=ps,
        states=["coop", "punish"],
        actions=[[["C", "D"]] * 2] * 2,
    )
    return g, ps


def test_grim_threshold_closed_form():
    g, _ = _pd_with_monitoring(perfect=True)
    c = pure_conditions(g, [("C", "C"), ("D", "D")])
    T, R, P, *_ = g.parameters.symbols()
    # perfect monitoring: the classical threshold δ >= (T - R)/(T - P) (Friedman 1971)
    th = c.threshold("delta")
    assert th.direction == ">="
    assert sympy.simplify(th.expression - (T - R) / (T - P)) == 0
    assert r"\delta" in c.latex(thresholds=["delta"])


def test_conditions_match_numeric_solver_at_1000_points():
    g, ps = _pd_with_monitoring()
    c = pure_conditions(g, [("C", "C"), ("D", "D")])
    rng = np.random.default_rng(20261203)
    agree = 0
    held = 0
    for _ in range(1000):
        point = {p.name: rng.uniform(*p.bounds) for p in ps.parameters}
        r = solve(g.numeric(**point), method="pure")
        numeric = ((0, 0), (1, 1)) in {eq.pure_actions for eq in r.equilibria}
        symbolic = c.holds(**point)
        agree += numeric == symbolic
        held += symbolic
    assert agree == 1000
    assert 100 < held < 900  # both outcomes are exercised


@pytest.mark.parametrize("profile", [[(0, 0), (1, 1)], [(1, 1), (1, 1)], [(0, 1), (1, 0)]])
def test_conditions_any_profile(profile):
    g, ps = _pd_with_monitoring()
    c = pure_conditions(g, profile)
    rng = np.random.default_rng(len(str(profile)))
    for _ in range(50):
        point = {p.name: rng.uniform(*p.bounds) for p in ps.parameters}
        found = {eq.pure_actions for eq in solve(g.numeric(**point), method="pure").equilibria}
        assert c.holds(**point) == (tuple(map(tuple, profile)) in found)


def test_state_cap():
    ps = ParameterSet([Parameter("delta", 0.8, (0.01, 0.99))])
    S = 13
    u = [np.zeros((1, 1))] * S
    phi = [np.eye(S)[[(s + 1) % S]] for s in range(S)]
    g = StochasticGame(u, phi, ps["delta"].symbol, parameters=ps)
    with pytest.raises(GameShapeError, match="13 states is more than"):
        pure_conditions(g, [(0,)] * S)
