"""Logit-QRE homotopy: equilibrium property, logit fixed points, agreement with sgamesolver."""

import json
from pathlib import Path

import numpy as np
import pytest

from bargain.dynamic import StochasticGame, solve
from bargain.errors import SolverError

DATA = Path(__file__).resolve().parents[1] / "data" / "dynamic" / "sgamesolver_qre.json"
REFERENCE = json.loads(DATA.read_text())
# sgamesolver stops its path at a finite λ (its convergence_tol = 1e-7 on the change of σ
# per unit λ); bargain solves the limit exactly on the support, so limits differ by O(1/λ).
LIMIT_TOL = 5e-3
QRE_TOL = 1e-6  # both sides solve H(·, λ) = 0 to ~1e-8 at the requested λ


def _game(case):
    return StochasticGame.from_arrays(
        [np.array(a) for a in case["payoffs"]],
        [np.array(a) for a in case["transitions"]],
        case["discount"],
    )


def _max_diff(a, b):
    return max(
        float(np.max(np.abs(np.asarray(x) - np.asarray(y))))
        for ra, rb in zip(a, b, strict=True)
        for x, y in zip(ra, rb, strict=True)
    )


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=[c["id"] for c in REFERENCE["cases"]])
def test_matches_sgamesolver(case, regret, values_and_q):
    g = _game(case)
    lambdas = REFERENCE["meta"]["lambdas"]
    r = solve(g, method="qre", lambdas=lambdas)
    eq = r.equilibrium
    # an equilibrium by the test's own one-shot-deviation check
    assert regret(g, eq.strategies) <= 1e-8
    # the same end of the path as sgamesolver's QRE homotopy
    assert _max_diff(eq.strategies, case["limit"]["strategies"]) <= LIMIT_TOL
    # the same QREs at finite λ, which are logit fixed points σ ∝ exp(λ Q)
    assert len(r.qres) == len(lambdas)
    for lam, q, ref in zip(lambdas, r.qres, case["qre"], strict=True):
        assert q.info["lambda"] == pytest.approx(lam)
        assert _max_diff(q.strategies, ref["strategies"]) <= QRE_TOL
        np.testing.assert_allclose(q.values, ref["values"], atol=QRE_TOL)
        _, Q = values_and_q(g.payoffs, g.transitions, g.discount, q.strategies)
        for s in range(g.n_states):
            for i in range(g.n_players):
                logit = np.exp(lam * (Q[s][i] - Q[s][i].max()))
                np.testing.assert_allclose(q.strategies[s][i], logit / logit.sum(), atol=1e-9)


def test_path_starts_at_centroid_and_is_recorded():
    case = REFERENCE["cases"][2]
    r = solve(_game(case), method="qre", store_path=True)
    assert r.path[0, 0] == 0.0
    np.testing.assert_allclose(r.path[0, 1:], 0.5)
    assert r.path.shape[0] == r.stats["steps"] + 1
    assert r.path[-1, 0] == pytest.approx(r.equilibrium.info["lambda"])


def test_bounded_steps():
    with pytest.raises(SolverError, match="max_steps=3"):
        solve(_game(REFERENCE["cases"][4]), method="qre", max_steps=3)


@pytest.mark.parametrize(("S", "N", "A", "seed"), [(6, 2, 2, 1), (3, 3, 3, 2), (4, 2, 4, 3)])
def test_random_games_reach_an_equilibrium(S, N, A, seed, regret):
    rng = np.random.default_rng(seed)
    u = rng.normal(0.0, 10.0, (S, N, *(A,) * N))  # not in [0, 1]: scaling must not matter
    phi = rng.exponential(1.0, (S, *(A,) * N, S))
    g = StochasticGame.from_arrays(u, phi / phi.sum(-1, keepdims=True), 0.9)
    eq = solve(g, method="qre").equilibrium
    assert eq.max_regret <= 1e-8
    assert regret(g, eq.strategies) <= 1e-7


@pytest.mark.parametrize("seed", range(8))
def test_degenerate_games(seed, regret):
    """Integer payoffs in {0, 1, 2} and 0/1 transitions: ties everywhere, continua of
    equilibria; the limit found on the support must still be an equilibrium."""
    rng = np.random.default_rng(seed)
    S, N, A = 2 + seed % 2, 2 + seed % 3 // 2, 2 + seed % 2
    u = rng.integers(0, 3, (S, N, *(A,) * N)).astype(float)
    phi = rng.integers(0, 2, (S, *(A,) * N, S)).astype(float)
    phi[phi.sum(-1) == 0, 0] = 1.0
    g = StochasticGame.from_arrays(u, phi / phi.sum(-1, keepdims=True), 0.9)
    eq = solve(g, method="qre").equilibrium
    assert regret(g, eq.strategies) <= 1e-8


def test_lambdas_beyond_the_limit_are_still_computed(values_and_q):
    case = REFERENCE["cases"][2]
    g = _game(case)
    plain = solve(g, method="qre")
    lam = 10.0 * plain.equilibrium.info["lambda"]  # past the point where the limit was found
    r = solve(g, method="qre", lambdas=[lam, 0.0])
    assert [q.info["lambda"] for q in r.qres] == [pytest.approx(0.0), pytest.approx(lam)]
    np.testing.assert_allclose(r.qres[0].strategies[0][0], 0.5)  # λ = 0: the centroid
    _, Q = values_and_q(g.payoffs, g.transitions, g.discount, r.qres[1].strategies)
    for s in range(g.n_states):
        for i in range(g.n_players):
            logit = np.exp(lam * (Q[s][i] - Q[s][i].max()))
            np.testing.assert_allclose(r.qres[1].strategies[s][i], logit / logit.sum(), atol=1e-9)
    for a, b in zip(r.equilibrium.strategies, plain.equilibrium.strategies, strict=True):
        for x, y in zip(a, b, strict=True):
            np.testing.assert_allclose(x, y, atol=1e-12)
