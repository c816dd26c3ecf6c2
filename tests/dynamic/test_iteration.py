"""Value iteration (one player) and Shapley iteration (two-player zero-sum)."""

import numpy as np
import pytest

from bargain.dynamic import StochasticGame, solve
from bargain.errors import SolverError


def big_match(delta):
    """The Big Match (Gillette 1957): state 0 is live; player 1's top row ends the game,
    into state 1 (payoff 1 forever) after (T, L) or state 2 (payoff 0 forever) after (T, R);
    the bottom row pays 1 after (B, R), 0 after (B, L), and the game goes on.  Its discounted
    value is 1/2 per period for every δ (Blackwell & Ferguson 1968; Shapley 1953 for the
    existence of the value and of stationary optimal strategies), i.e. 1/(2(1-δ)) in sums.
    """
    u0 = np.array([[1.0, 0.0], [0.0, 1.0]])
    phi0 = np.zeros((2, 2, 3))
    phi0[0, 0, 1] = phi0[0, 1, 2] = 1.0
    phi0[1, :, 0] = 1.0
    u = [np.stack([u0, -u0]), np.array([[[1.0]], [[-1.0]]]), np.zeros((2, 1, 1))]
    phi = [phi0, np.array([[[0.0, 1.0, 0.0]]]), np.array([[[0.0, 0.0, 1.0]]])]
    return StochasticGame(u, phi, delta, states=["live", "won", "lost"])


@pytest.mark.parametrize("delta", [0.5, 0.8, 0.95])
def test_big_match_value(delta, regret):
    r = solve(big_match(delta), method="shapley")
    eq = r.equilibrium
    assert eq.values[0, 0] == pytest.approx(1 / (2 * (1 - delta)), abs=1e-6)
    assert eq.values[1, 0] == pytest.approx(1 / (1 - delta), abs=1e-6)
    np.testing.assert_allclose(eq.values[:, 1], -eq.values[:, 0], atol=1e-9)
    # player 2 mixes (1/2, 1/2) (Blackwell & Ferguson 1968)
    np.testing.assert_allclose(eq.strategies[0][1], [0.5, 0.5], atol=1e-6)
    assert regret(r.game, eq.strategies) <= r.tol


def test_shapley_needs_zero_sum():
    g = StochasticGame.from_arrays(np.ones((1, 2, 2, 2)), np.ones((1, 2, 2, 1)), 0.9)
    with pytest.raises(SolverError, match="zero-sum game; in state 0"):
        solve(g, method="shapley")


def machine_replacement(delta):
    """Keep (revenue falls with wear) or replace (cost c, back to new) — a finite MDP in the
    style of Puterman (1994, §1.4).  States 0..3 = wear; keep moves one state up."""
    n, c = 4, 4.0
    rev = np.array([10.0, 7.0, 4.0, 1.0])
    u, phi = [], []
    for s in range(n):
        u.append(np.array([[rev[s], rev[0] - c]]))
        p = np.zeros((2, n))
        p[0, min(s + 1, n - 1)] = 1.0
        p[1, 1] = 1.0
        phi.append(p)
    return StochasticGame(u, phi, delta)


@pytest.mark.parametrize("delta", [0.3, 0.9])
def test_value_iteration_is_optimal(delta, regret):
    g = machine_replacement(delta)
    r = solve(g, method="value_iteration")
    eq = r.equilibrium
    assert regret(g, eq.strategies) <= 1e-9
    # brute force over all 2^4 stationary policies: the returned one attains the best value
    best = None
    for k in range(16):
        pol = [(k >> s) & 1 for s in range(4)]
        P = np.array([g.transitions[s][pol[s]] for s in range(4)])
        v = np.linalg.solve(np.eye(4) - delta * P, [g.payoffs[s][0, pol[s]] for s in range(4)])
        best = v if best is None else np.maximum(best, v)
    np.testing.assert_allclose(eq.values[:, 0], best, atol=1e-9)


def test_value_iteration_bound():
    with pytest.raises(SolverError, match="max_iter=2"):
        solve(machine_replacement(0.99), method="value_iteration", max_iter=2)
    with pytest.raises(SolverError, match="needs 1 player"):
        solve(big_match(0.5), method="value_iteration")
