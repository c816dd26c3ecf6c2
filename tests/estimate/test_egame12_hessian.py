"""egame12's fused kernel: its log-likelihood and gradient equal the per-observation
kernel's, its analytic Hessian equals central finite differences of the analytic
gradient, for every link, error type and scale specification, and the chunked
(parallel) sums equal the one-chunk sums."""

import numpy as np
import pytest

from bargain.datasets import load_war1800
from bargain.estimate import egame12
from bargain.estimate._egame12_newton import egame12_fused
from bargain.estimate._fit import hessian

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"

CASES = {
    "probit agent": dict(),
    "logit agent": dict(link="logit"),
    "probit private": dict(type="private"),
    "common scale": dict(sdformula="~ balanc - 1"),
    "scale by player, private": dict(
        type="private", sdformula="~ balanc - 1 | s_wt_re1 - 1", sd_by_player=True
    ),
    "fixed utilities, logit": dict(
        formula="esc + war ~ 1", fixed_utils=[-1, 0, -1.4, 0.1], link="logit"
    ),
}


@pytest.fixture(scope="module")
def war():
    return load_war1800()


@pytest.mark.parametrize("case", sorted(CASES))
def test_hessian_equals_finite_differences_of_the_gradient(case, war):
    options = dict(CASES[case])
    fit = egame12(options.pop("formula", F1), war, **options)
    model, y, mats = fit._model, np.asarray(fit._y, dtype=np.int64), fit._matrices
    stacked = model.stack(mats)
    rng = np.random.default_rng(7)
    # away from the optimum too, where the Hessian's gradient terms do not vanish
    for theta in (fit.params.to_numpy(), fit.params.to_numpy() + rng.normal(0, 0.2, model.k)):
        value, grad, H = model.value_grad_hess(theta, y, stacked)
        ref_value, ref_grad = model.value_and_grad(theta, y, mats)
        assert value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-9)
        H_fd = hessian(lambda t: model.value_and_grad(t, y, mats)[1], theta)
        np.testing.assert_allclose(H, H_fd, rtol=1e-5, atol=1e-5 * np.abs(H_fd).max())
        assert np.allclose(H, H.T)


def test_standard_errors_are_the_inverse_hessian_at_the_optimum(war):
    fit = egame12(F1, war)
    model, y, mats = fit._model, fit._y, fit._matrices
    H_fd = hessian(lambda t: model.value_and_grad(t, y, mats)[1], fit.params.to_numpy())
    np.testing.assert_allclose(fit.bse, np.sqrt(np.diag(np.linalg.inv(-H_fd))), rtol=1e-5)
    assert fit.grad_norm < 1e-6
    assert fit.converged
    assert fit.llf_obs.sum() == pytest.approx(fit.llf, rel=1e-12)


def test_chunked_sums_equal_one_chunk():
    # 60,000 rows run as three chunks; the same rows as three separate one-chunk calls
    rng = np.random.default_rng(3)
    n = 60_000
    X = np.column_stack([np.ones(n), rng.normal(size=n), np.ones(n), np.ones(n)])
    eq = np.array([0, 0, 2, 3], dtype=np.int64)
    S = np.zeros((6, 4))
    S[[0, 1, 2, 3], [0, 1, 2, 3]] = 1.0
    y = rng.integers(0, 3, n).astype(np.int64)
    theta = np.array([0.2, -0.5, 0.3, 0.4])
    opts = dict(logit=False, private=True, scaled=False, hess=True)
    whole = egame12_fused(y, X, eq, S, np.zeros(6), theta, **opts)
    parts = [
        egame12_fused(y[i : i + 20_000], X[i : i + 20_000], eq, S, np.zeros(6), theta, **opts)
        for i in range(0, n, 20_000)
    ]
    assert whole[0] == pytest.approx(sum(p[0] for p in parts), rel=1e-12)
    np.testing.assert_allclose(whole[1], sum(p[1] for p in parts), rtol=1e-10)
    np.testing.assert_allclose(whole[2], sum(p[2] for p in parts), rtol=1e-10)
