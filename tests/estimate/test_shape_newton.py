"""The closed-form egame122/egame123 kernel (no scale equations; agent error, and
private information in egame123): its
log-likelihood and gradient equal the NumPy tree code's, its Hessian equals central
finite differences of that gradient and the generic tree kernel's Hessian, and its
parallel chunks add up to the one-chunk sums."""

import numpy as np
import pytest

from bargain.datasets import load_data_122, load_data_123
from bargain.estimate import _shape_newton, egame122, egame123
from bargain.estimate._fit import hessian

F122 = "y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2"
F123 = "y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8"
CASES = {
    "122-probit": (egame122, F122, "probit"),
    "122-logit": (egame122, F122, "logit"),
    "123-probit": (egame123, F123, "probit"),
    "123-logit": (egame123, F123, "logit"),
    # only player 2's utilities after R and player 3's estimated: the others fixed at 0
    "123-probit-sparse": (egame123, "y ~ 0 | 0 | 0 | x4 | 0 | 0 | x7 | x8", "probit"),
    "123-private": (egame123, F123, "private"),
    "123-private-sparse": (egame123, "y ~ 0 | 0 | 0 | x4 | 0 | 0 | x7 | x8", "private"),
}


def _numpy_value_and_grad(model, theta, y, mats):
    P, dP, _ = model._root(theta, mats, True)
    rows = np.arange(len(y))
    dll = dP[y, rows] / P[y, rows][:, None, None]
    g = np.concatenate([X.T @ w for w, X in model.index_weights(theta, mats, dll)])
    return float(np.log(P[y, rows]).sum()), g


def _fit(case):
    fn, formula, link = CASES[case]
    data = load_data_122() if fn is egame122 else load_data_123()
    options = {"type": "private"} if link == "private" else {"link": link}
    fit = fn(formula, data, **options)
    assert fit.converged
    return fit, fit._model, np.asarray(fit._y, dtype=np.int64), fit._matrices


@pytest.mark.parametrize("case", sorted(CASES))
def test_shape_kernel_equals_numpy_finite_differences_and_generic(case):
    fit, model, y, mats = _fit(case)
    assert model.shape in _shape_newton.SHAPES  # the closed-form kernel is the one used
    stacked = model.stack(mats)
    rng = np.random.default_rng(7)
    for theta in (fit.params.to_numpy(), fit.params.to_numpy() + rng.normal(0, 0.3, model.k)):
        value, grad, H = model.value_grad_hess(theta, y, stacked)
        ref_value, ref_grad = _numpy_value_and_grad(model, theta, y, mats)
        assert value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-8, atol=1e-8)
        H_fd = hessian(lambda t: _numpy_value_and_grad(model, t, y, mats)[1], theta)
        np.testing.assert_allclose(H, H_fd, rtol=1e-5, atol=1e-5 * np.abs(H_fd).max())
        shape, model.shape = model.shape, None  # the generic tree kernel, same model
        try:
            g_value, g_grad, g_H = model.value_grad_hess(theta, y, stacked)
        finally:
            model.shape = shape
        assert value == pytest.approx(g_value, rel=1e-12)
        np.testing.assert_allclose(grad, g_grad, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(H, g_H, rtol=1e-9, atol=1e-9 * np.abs(g_H).max())
        # without the Hessian: the same value and gradient
        v2, g2, _ = model.value_grad_hess(theta, y, stacked, hess=False)
        assert v2 == value
        np.testing.assert_array_equal(g2, grad)


@pytest.mark.parametrize("case", ["122-probit", "123-logit", "123-private"])
def test_parallel_chunks_add_up_to_one_chunk(case, monkeypatch):
    fit, model, y, mats = _fit(case)
    stacked = model.stack(mats)
    theta = fit.params.to_numpy()
    monkeypatch.setattr(_shape_newton, "CHUNK_ROWS", 100)  # 10 chunks, in parallel
    parts = model.value_grad_hess(theta, y, stacked)
    monkeypatch.setattr(_shape_newton, "CHUNK_ROWS", 10**9)  # one chunk, no threads
    whole = model.value_grad_hess(theta, y, stacked)
    assert parts[0] == pytest.approx(whole[0], rel=1e-12)
    np.testing.assert_allclose(parts[1], whole[1], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(parts[2], whole[2], rtol=1e-9)


def test_scales_and_egame122_private_keep_the_generic_kernel(monkeypatch):
    # the closed forms assume unit scales (and agent error in egame122): these fits must
    # not use them
    def refuse(*args, **kwargs):
        raise AssertionError("the closed-form kernel was used")

    monkeypatch.setattr(_shape_newton, "shape_newton", refuse)
    private = egame122(F122, load_data_122(), type="private")
    scaled = egame123(F123, load_data_123(), sdformula="~ x2 - 1")
    for fit in (private, scaled):
        model = fit._model
        stacked = model.stack(fit._matrices)
        y = np.asarray(fit._y, dtype=np.int64)
        theta = fit.params.to_numpy()
        value, grad, _ = model.value_grad_hess(theta, y, stacked)
        ref_value, ref_grad = _numpy_value_and_grad(model, theta, y, fit._matrices)
        assert value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-8, atol=1e-8)
        assert np.linalg.norm(grad) < 1e-6  # and the fit reached the maximum with it


@pytest.mark.parametrize(
    "case", ["122-probit", "122-logit", "123-probit", "123-probit-sparse", "123-private"]
)
def test_written_out_start_values_equal_the_tree_walk(case):
    from bargain.estimate._shape_start import shape_start_values
    from bargain.estimate._strategic import start_values

    _, model, y, mats = _fit(case)
    written = shape_start_values(model, y, mats)
    shape, model.shape = model.shape, None  # the generic walk over the tree
    try:
        walked = start_values(model, y, mats)
    finally:
        model.shape = shape
    assert np.abs(walked).max() > 0.1  # the regressions moved the values off zero
    np.testing.assert_allclose(written, walked, rtol=1e-10, atol=1e-12)
