"""The staged-withdrawal model: a regime whose game is a stochastic game (issue 18)."""

import itertools
import sys

import numpy as np
import pytest

import bargain as bg
from bargain.dynamic import StochasticGame
from bargain.dynamic.regime import (
    agreement_indices,
    expected_time,
    numeric_game,
    profile_regrets,
    profile_slack,
)
from bargain.errors import GameShapeError, ParameterError

M = bg.load_model("staged_withdrawal")


def _plain_regret(game, labels):
    """One-shot-deviation regret R[s, i] of a pure profile, from scratch with loops:
    values from V = u + δ P V, then every single-period deviation (Fudenberg & Tirole
    1991, Thm 4.2: no profitable one-shot deviation <=> Markov perfect)."""
    S, N = game.n_states, game.n_players
    act = [[game.actions[s][i].index(labels[s][i]) for i in range(N)] for s in range(S)]
    u = np.array([[game.payoffs[s][(i, *act[s])] for i in range(N)] for s in range(S)])
    P = np.array([game.transitions[s][tuple(act[s])] for s in range(S)])
    R = np.zeros((S, N))
    for i in range(N):
        d = game.discount[i]
        V = np.linalg.solve(np.eye(S) - d * P, u[:, i])
        for s in range(S):
            for a in range(int(game.nums_actions[s, i])):
                dev = list(act[s])
                dev[i] = a
                gain = game.payoffs[s][(i, *dev)] + d * game.transitions[s][tuple(dev)] @ V
                R[s, i] = max(R[s, i], gain - V[s])
    return R


def _labels(**values):
    return M.regimes["staged"].profile(M.namespace(**values))


def test_listed_and_loadable():
    assert "staged_withdrawal" in bg.list_models()
    assert list(M.regimes) == ["staged"]
    g = M.game("staged")
    assert isinstance(g, StochasticGame)
    assert g.n_states == 4 * (3 + 1)  # (m = 0..k) x FDLR x agreement
    assert g.states[0] == "m=3,active,in force"  # play starts here


def test_fast_numeric_build_matches_the_symbolic_game():
    fast = numeric_game(M, "staged", q=0.4, tau=1.1)
    slow = M.game("staged", q=0.4, tau=1.1)  # symbolic game with numbers substituted
    for a, b in zip(fast.payoffs + fast.transitions, slow.payoffs + slow.transitions, strict=True):
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), atol=1e-12)


def test_agreement_is_an_mpe_at_baseline_by_plain_regret():
    game = numeric_game(M, "staged")
    R = _plain_regret(game, _labels())
    assert R.max() <= 1e-9
    np.testing.assert_allclose(profile_regrets(M, "staged"), R, atol=1e-12)
    # without detection, escalation is free and the DRC need not act: a deviation pays
    R0 = _plain_regret(numeric_game(M, "staged", q=0.0), _labels())
    assert R0.max() > 1e-3


def test_solve_reports_the_agreement_and_the_selected_equilibrium():
    s = M.solve("staged")
    assert s.agreement is True
    assert len(s.path) == 16
    assert s.path[0] == "m=3,active,in force: withdraw, act"
    assert s.result.method == "qre"
    assert s.result.equilibrium.max_regret <= 1e-6
    assert M.solve("staged", q=0.0).agreement is False


def test_symbolic_condition_agrees_with_numeric_check_at_1000_points():
    c = M.conditions("staged")
    classify = c.lambdify()
    rng = np.random.default_rng(18)
    ps = M.parameters
    fixed = set(M.regimes["staged"].fixed) | {"k"}
    X = np.tile(ps.vector(), (1000, 1))
    for j, p in enumerate(ps.parameters):
        if p.name not in fixed:
            X[:, j] = rng.uniform(*p.bounds, size=len(X))
    sym = classify(X) == 0
    num = np.array(
        [
            profile_regrets(
                M,
                "staged",
                **{n: float(x) for n, x in zip(ps.names, row, strict=True) if n not in fixed},
            ).max()
            <= 1e-9
            for row in X
        ]
    )
    assert (sym == num).all(), np.flatnonzero(sym != num)[:5]
    assert 50 <= num.sum() <= 950  # both outcomes are exercised


def test_conditions_with_other_fixed_values():
    c = M.conditions("staged", delta=0.6, k=2)
    for q in (0.0, 0.1, 0.19, 0.21, 0.5, 1.0):
        num = profile_regrets(M, "staged", delta=0.6, k=2, q=q).max() <= 1e-9
        assert c.holds(q=q, delta=0.6, k=2) == num
    with pytest.raises(ParameterError, match="q"):
        M.conditions("staged", q=0.5)  # q stays a symbol


def test_expected_time():
    # the agreement path withdraws one stage per round
    for k in (1, 3, 5):
        assert expected_time(M, "staged", k=k) == pytest.approx(k)
    # a two-state chain that leaves state 0 with probability 1/4: geometric, mean 4
    g = StochasticGame.from_arrays(
        np.zeros((2, 1, 1)), np.array([[[0.75, 0.25]], [[0.0, 1.0]]]), 0.9
    )
    assert expected_time(g, [[[1.0]], [[1.0]]], [1]) == pytest.approx(4.0)
    # absorbing elsewhere with positive probability: never sure to arrive
    g = StochasticGame.from_arrays(
        np.zeros((3, 1, 1)), np.array([[[0.0, 0.5, 0.5]], [[0, 1.0, 0]], [[0, 0, 1.0]]]), 0.9
    )
    assert expected_time(g, [[[1.0]]] * 3, [1]) == float("inf")


def test_binding_stage_moves_when_the_fdlr_is_hard_to_contain():
    mod = sys.modules[M.regimes["staged"].build.__module__]
    # baseline: the first stage (most leverage left, furthest from the deal) binds
    for k, delta in itertools.product((2, 4), (0.6, 0.95)):
        assert int(np.argmin(mod.stage_slack(M, k=k, delta=delta)[:, 0])) == 0
    # an FDLR that action rarely contains: a patient Rwanda balks at the middle stage
    sl = mod.stage_slack(M, k=3, delta=0.95, p_c=0.2, theta=1.0)[:, 0]
    assert int(np.argmin(sl)) == 1
    assert sl.min() < 0
    # slack and regret are two readings of one check
    sl = profile_slack(M, "staged", q=0.0)
    R = profile_regrets(M, "staged", q=0.0)
    assert ((sl < 0) == (R > 1e-12)).all()


def test_bad_profile_is_named():
    game = numeric_game(M, "staged", k=1)
    labels = _labels(k=1)
    labels[0] = ("retreat", "act")
    with pytest.raises(GameShapeError, match="retreat"):
        agreement_indices(game, labels)


def test_fixed_parameters_must_exist():
    r = bg.Regime("x", M.regimes["staged"].build, "d", profile=lambda p: [], fixed=("gamma",))
    with pytest.raises(ParameterError, match="gamma"):
        bg.Model("m", "t", "d", M.parameters, [r])
