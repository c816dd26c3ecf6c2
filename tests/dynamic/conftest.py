"""Shared helpers of the stochastic-game tests: an independent one-shot-deviation check.

The regret here is computed from scratch with plain loops over action profiles (no code
from ``bargain.dynamic``): values by a linear solve of ``V = u^σ + δ P^σ V``, then for
every state, player and action the payoff of deviating once and returning to σ
(Fudenberg & Tirole 1991, Thm 4.2: no profitable one-shot deviation ⇔ subgame perfect).
"""

import itertools

import numpy as np
import pytest


def plain_values_and_q(payoffs, transitions, discount, strategies):
    """V[s, i] and Q[s][i][a] of a stationary profile, by explicit sums."""
    S = len(payoffs)
    N = payoffs[0].shape[0]
    delta = np.broadcast_to(np.asarray(discount, dtype=float), (N,))
    u = np.zeros((S, N))
    P = np.zeros((S, S))
    for s in range(S):
        for prof in itertools.product(*(range(k) for k in payoffs[s].shape[1:])):
            pr = np.prod([strategies[s][i][prof[i]] for i in range(N)])
            u[s] += pr * payoffs[s][(slice(None), *prof)]
            P[s] += pr * transitions[s][prof]
    V = np.column_stack([np.linalg.solve(np.eye(S) - delta[i] * P, u[:, i]) for i in range(N)])
    Q = []
    for s in range(S):
        row = []
        for i in range(N):
            q = np.zeros(payoffs[s].shape[1 + i])
            for prof in itertools.product(*(range(k) for k in payoffs[s].shape[1:])):
                pr = np.prod([strategies[s][j][prof[j]] for j in range(N) if j != i])
                w = payoffs[s][(i, *prof)] + delta[i] * transitions[s][prof] @ V[:, i]
                q[prof[i]] += pr * w
            row.append(q)
        Q.append(row)
    return V, Q


def plain_regret(game, strategies):
    """Largest one-shot-deviation gain over states and players (>= 0)."""
    V, Q = plain_values_and_q(game.payoffs, game.transitions, game.discount, strategies)
    return max(
        max(float(Q[s][i].max() - V[s, i]), 0.0)
        for s in range(game.n_states)
        for i in range(game.n_players)
    )


@pytest.fixture
def regret():
    return plain_regret


@pytest.fixture
def values_and_q():
    return plain_values_and_q
