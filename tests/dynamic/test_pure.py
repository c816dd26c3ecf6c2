"""Pure stationary Markov perfect equilibria by enumeration."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bargain.dynamic import StochasticGame, solve
from bargain.errors import SolverError

# Prisoners' dilemma stage payoffs T > R > P > S (Axelrod 1984 numbers): actions (C, D).
T_, R_, P_, S_ = 5.0, 3.0, 1.0, 0.0


def grim_trigger_game(delta):
    """Repeated PD with grim trigger as a two-state game: 'coop' until a defection, then
    'punish' forever.  Grim trigger — (C, C) in coop, (D, D) in punish — is subgame perfect
    iff δ >= (T - R) / (T - P) (Friedman 1971; Fudenberg & Tirole 1991, §5.1): here 1/2.
    """
    pd = np.array([[[R_, S_], [T_, P_]], [[R_, T_], [S_, P_]]])
    go = np.zeros((2, 2, 2))
    go[..., 1] = 1.0
    go[0, 0] = (1.0, 0.0)  # stay in coop only after (C, C)
    stay = np.zeros((2, 2, 2))
    stay[..., 1] = 1.0
    return StochasticGame([pd, pd], [go, stay], delta, states=["coop", "punish"])


GRIM = ((0, 0), (1, 1))
THRESHOLD = (T_ - R_) / (T_ - P_)


@pytest.mark.parametrize("delta", [0.1, 0.3, 0.49, 0.5, 0.51, 0.7, 0.95])
def test_grim_trigger_threshold(delta, regret):
    r = solve(grim_trigger_game(delta), method="pure")
    profiles = [eq.pure_actions for eq in r.equilibria]
    assert r.complete
    assert r.stats["profiles"] == 16
    assert (GRIM in profiles) == (delta >= THRESHOLD)
    assert ((1, 1), (1, 1)) in profiles  # always defect is an MPE at every δ
    for eq in r.equilibria:
        assert eq.max_regret <= r.tol
        assert regret(r.game, eq.strategies) <= 1e-9
    # and every profile *not* returned has a profitable one-shot deviation
    all_profiles = [
        ((a, b), (c, d)) for a in (0, 1) for b in (0, 1) for c in (0, 1) for d in (0, 1)
    ]
    for prof in all_profiles:
        if prof not in profiles:
            sig = [[np.eye(2)[prof[s][i]] for i in range(2)] for s in range(2)]
            assert regret(r.game, sig) > 1e-9


def test_grim_trigger_values():
    delta = 0.8
    eq = next(
        e
        for e in solve(grim_trigger_game(delta), method="pure").equilibria
        if e.pure_actions == GRIM
    )
    np.testing.assert_allclose(eq.values, [[R_ / (1 - delta)] * 2, [P_ / (1 - delta)] * 2])


def _random(seed, S, N, A):
    rng = np.random.default_rng(seed)
    u = rng.integers(0, 4, (S, N, *(A,) * N)).astype(float)  # ties on purpose
    phi = rng.exponential(1.0, (S, *(A,) * N, S))
    return StochasticGame.from_arrays(u, phi / phi.sum(-1, keepdims=True), 0.9)


@pytest.mark.parametrize(("S", "N", "A"), [(2, 2, 2), (3, 2, 2), (2, 3, 2), (2, 2, 3)])
def test_random_games_exhaustive(S, N, A, regret):
    g = _random(S * 100 + N * 10 + A, S, N, A)
    r = solve(g, method="pure")
    found = {eq.pure_actions for eq in r.equilibria}
    import itertools

    per_state = list(itertools.product(*(range(A) for _ in range(N))))
    for prof in itertools.product(per_state, repeat=S):
        sig = [[np.eye(A)[prof[s][i]] for i in range(N)] for s in range(S)]
        assert (prof in found) == (regret(g, sig) <= 1e-9)


def test_cap():
    g = _random(1, 3, 2, 3)  # 9^3 = 729 profiles
    with pytest.raises(
        SolverError, match="729 pure stationary profiles, more than max_profiles=100"
    ):
        solve(g, method="pure", max_profiles=100)
    r = solve(g, method="pure", max_profiles=100, truncate=True)
    assert not r.complete
    assert r.stats["profiles"] == 100
    full = solve(g, method="pure")
    assert {e.pure_actions for e in r.equilibria} <= {e.pure_actions for e in full.equilibria}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    S=st.integers(1, 3),
    shape=st.sampled_from([(2, 2), (1, 3), (3, 2), (2, 1, 2)]),
    seed=st.integers(0, 2**32 - 1),
    delta=st.floats(0.05, 0.95),
)
def test_property_pure_equals_brute_force(S, shape, seed, delta, regret):
    """Whatever the game, the returned set is exactly the set of pure stationary profiles
    with no profitable one-shot deviation (checked by the test's own evaluator)."""
    import itertools

    rng = np.random.default_rng(seed)
    N = len(shape)
    u = rng.integers(-2, 3, (S, N, *shape)).astype(float)
    phi = rng.exponential(1.0, (S, *shape, S)) * (rng.random((S, *shape, S)) < 0.7)
    phi[..., 0] += 1e-3
    g = StochasticGame.from_arrays(u, phi / phi.sum(-1, keepdims=True), delta)
    found = {eq.pure_actions for eq in solve(g, method="pure").equilibria}
    per_state = list(itertools.product(*(range(k) for k in shape)))
    for prof in itertools.product(per_state, repeat=S):
        sig = [[np.eye(shape[i])[prof[s][i]] for i in range(N)] for s in range(S)]
        assert (prof in found) == (regret(g, sig) <= 1e-9)
