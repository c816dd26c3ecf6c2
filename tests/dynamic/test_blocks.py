"""The block elimination of the QRE homotopy's Jacobian against dense linear algebra."""

import numpy as np
import pytest

from bargain.dynamic import StochasticGame, _kernels
from bargain.dynamic import _blocks as B
from bargain.dynamic.qre import _Setup


def _random_game(S, N, A, seed, vary=False):
    """Random game; with `vary`, player 0 has A - 1 actions in odd states."""
    rng = np.random.default_rng(seed)
    payoffs, transitions = [], []
    for s in range(S):
        shape = [A] * N
        if vary and s % 2:
            shape[0] = A - 1
        payoffs.append(rng.uniform(0.0, 1.0, (N, *shape)))
        phi = rng.exponential(1.0, (*shape, S))
        transitions.append(phi / phi.sum(-1, keepdims=True))
    return StochasticGame.from_arrays(payoffs, transitions, 0.9)


def _random_point(su, rng):
    x = np.empty(su.n + 1)
    x[: su.nb] = rng.normal(-1.0, 0.7, su.nb)  # log-probabilities, not normalized
    x[su.nb : su.n] = rng.normal(0.0, 1.0, su.n - su.nb)
    x[-1] = rng.uniform(0.0, 50.0)
    return x


CASES = [(1, 2, 2, False), (3, 2, 2, False), (5, 3, 2, False), (4, 2, 3, False),
         (6, 2, 3, True), (7, 3, 3, True)]  # fmt: skip


@pytest.mark.parametrize(
    ("S", "N", "A", "vary"), CASES, ids=[f"{c[0]}x{c[1]}x{c[2]}" for c in CASES]
)
def test_blocks_match_the_dense_jacobian_and_solve(S, N, A, vary):
    g = _random_game(S, N, A, seed=S * 10 + N + A, vary=vary)
    su = _Setup(g)
    rng = np.random.default_rng(S)
    x = _random_point(su, rng)
    H, J = su.hj(x)
    ks, loff = B.layout(su.nA, su.off)
    K = int(ks.max())
    Bl = np.full((S, K + N, K), np.nan)  # every entry must be written
    Bg = np.full((S, K + N, S * N + 1), np.nan)
    H2 = B.homotopy_blocks(*su.args, su.off, su.nb, x, Bl, Bg)
    np.testing.assert_array_equal(H2, H)
    border = rng.normal(size=su.n + 1)
    M = np.vstack([J, border])
    # the blocks hold exactly the dense matrix's entries (padding rows/columns are zero)
    Bl_d, Bg_d = B.dense_to_blocks(M, ks, loff, su.nb, N)
    np.testing.assert_array_equal(Bl, Bl_d)
    np.testing.assert_array_equal(Bg, Bg_d)
    perm, mult, R, rpiv, status = B.block_factor(Bl, Bg, ks, loff, N, border)
    assert status == B.OK
    for _ in range(3):
        b = rng.normal(size=su.n + 1)
        x_block = B.block_solve(Bl, Bg, ks, loff, N, perm, mult, R, rpiv, b)
        np.testing.assert_allclose(M @ x_block, b, atol=1e-9 * np.abs(M).max())
        np.testing.assert_allclose(x_block, np.linalg.solve(M, b), rtol=1e-8, atol=1e-8)


def test_residual_matches_homotopy():
    g = _random_game(5, 3, 3, seed=4, vary=True)
    su = _Setup(g)
    x = _random_point(su, np.random.default_rng(1))
    A = int(su.nA.max())
    H = np.full(su.n, np.nan)
    sigma, Q = np.zeros((su.S, su.N, A)), np.full((su.S, su.N, A), np.nan)
    _kernels.residual(*su.args, su.off, su.nb, x, sigma, Q, np.zeros(su.N, dtype=np.int64), H)
    np.testing.assert_allclose(H, su.hj(x)[0], rtol=1e-13, atol=1e-13)


def _support_system(S, seed, supp):
    g = _random_game(S, 2, 2, seed=seed)
    su = _Setup(g)
    rng = np.random.default_rng(seed)
    sigma = rng.uniform(0.1, 0.9, (S, 2, 2))
    V = rng.normal(size=(S, 2))
    _, dF = _kernels.support_system(*su.args, supp, sigma, V)
    ks = supp.sum(axis=(1, 2)).astype(np.int64)
    loff = np.concatenate([[0], np.cumsum(ks)[:-1]]).astype(np.int64)
    return dF, ks, loff, int(ks.sum())


def test_support_system_with_equal_support_sizes_is_solved_exactly():
    S = 6
    supp = np.ones((S, 2, 2), dtype=np.int64)
    supp[::2, :, 1] = 0  # pure in even states, mixed in odd ones, both players alike
    dF, ks, loff, nv = _support_system(S, 3, supp)
    Bl, Bg = B.dense_to_blocks(dF, ks, loff, nv, 2)
    perm, mult, R, rpiv, status = B.block_factor(Bl, Bg, ks, loff, 2, np.zeros(0))
    assert status == B.OK
    b = np.random.default_rng(0).normal(size=dF.shape[0])
    d = B.block_solve(Bl, Bg, ks, loff, 2, perm, mult, R, rpiv, b)
    np.testing.assert_allclose(dF @ d, b, atol=1e-10)


def test_unequal_support_sizes_are_singular_and_solved_by_least_squares():
    """Player 0 pure, player 1 mixed in every state: player 1's mixtures and player 0's
    values outnumber player 0's equations, so the system is singular (in the reduced,
    value part: each state's own columns stay independent)."""
    S = 5
    supp = np.ones((S, 2, 2), dtype=np.int64)
    supp[:, 0, 1] = 0
    dF, ks, loff, nv = _support_system(S, 7, supp)
    assert np.linalg.matrix_rank(dF) < dF.shape[0]
    Bl, Bg = B.dense_to_blocks(dF, ks, loff, nv, 2)
    perm, R, ok = B.block_reduce(Bl, Bg, ks, loff, 2)
    assert ok  # status REDUCED_SINGULAR, and R rebuilt from the eliminated rows
    b = dF @ np.random.default_rng(1).normal(size=dF.shape[0])  # consistent right side
    d = B.block_lstsq(Bl, Bg, ks, loff, 2, perm, R, b)
    np.testing.assert_allclose(dF @ d, b, atol=1e-9)


def test_singular_state_columns_are_reported():
    S = 3
    supp = np.ones((S, 2, 2), dtype=np.int64)
    dF, ks, loff, nv = _support_system(S, 2, supp)
    dF[:, loff[1] + 1] = 0.0  # a column of state 1 that no equation uses
    Bl, Bg = B.dense_to_blocks(dF, ks, loff, nv, 2)
    *_, status = B.block_factor(Bl, Bg, ks, loff, 2, np.zeros(0))
    assert status == B.LOCAL_SINGULAR
