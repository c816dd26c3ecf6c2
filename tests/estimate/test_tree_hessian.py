"""The tree kernels (egame122, egame123, strategic): the fused log-likelihood and
gradient equal the NumPy tree code's, and the analytic Hessian equals central finite
differences of the gradient, for each link, error type and scale specification."""

import numpy as np
import pytest

from bargain.datasets import load_data_122, load_data_123
from bargain.estimate import egame122, egame123
from bargain.estimate._fit import hessian

F122 = "y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2"
F123 = "y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8"
FIXED122 = [0.5, -0.3, 0, 0.2, 0.4, -0.6]
CASES = {
    "122 probit agent": (egame122, F122, {}),
    "122 logit agent": (egame122, F122, {"link": "logit"}),
    "122 common scale": (egame122, F122, {"sdformula": "~ x2 - 1"}),
    "122 scale by player, private": (
        egame122,
        F122,
        {"sdformula": "~ x2 - 1 | z1 - 1", "sd_by_player": True, "type": "private"},
    ),
    "122 fixed utilities by player": (
        egame122,
        "y ~ 1",
        {"fixed_utils": FIXED122, "sd_by_player": True},
    ),
    "123 private": (egame123, F123, {"type": "private"}),
    "123 scale by player": (
        egame123,
        F123,
        {"sdformula": "~ x2 - 1 | x3 - 1 | x8 - 1", "sd_by_player": True},
    ),
}


def _numpy_value_and_grad(model, theta, y, mats):
    P, dP, _ = model._root(theta, mats, True)
    rows = np.arange(len(y))
    dll = dP[y, rows] / P[y, rows][:, None, None]
    g = np.concatenate([X.T @ w for w, X in model.index_weights(theta, mats, dll)])
    return float(np.log(P[y, rows]).sum()), g


@pytest.mark.parametrize("case", sorted(CASES))
def test_tree_hessian_equals_finite_differences(case):
    fn, formula, options = CASES[case]
    data = load_data_122() if fn is egame122 else load_data_123()
    fit = fn(formula, data, **options)
    assert fit.converged
    model, y, mats = fit._model, np.asarray(fit._y, dtype=np.int64), fit._matrices
    stacked = model.stack(mats)
    rng = np.random.default_rng(11)
    for theta in (fit.params.to_numpy(), fit.params.to_numpy() + rng.normal(0, 0.1, model.k)):
        value, grad, H = model.value_grad_hess(theta, y, stacked)
        ref_value, ref_grad = _numpy_value_and_grad(model, theta, y, mats)
        assert value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-8, atol=1e-8)
        fused_value, fused_grad = model.fused_value_and_grad(theta, y, stacked)
        assert fused_value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(fused_grad, ref_grad, rtol=1e-8, atol=1e-8)
        H_fd = hessian(lambda t: _numpy_value_and_grad(model, t, y, mats)[1], theta)
        np.testing.assert_allclose(H, H_fd, rtol=1e-5, atol=1e-5 * np.abs(H_fd).max())


def test_chunked_tree_sums_equal_the_one_chunk_sums(monkeypatch):
    # 40,000 rows (16 chunks of 2,500 rows, run in parallel) against the two
    # halves in one chunk each
    from bargain.estimate import _tree_newton

    data = load_data_122()
    big = data.sample(40_000, replace=True, random_state=5).reset_index(drop=True)
    fit = egame122(F122, data)
    model = fit._model
    from bargain.estimate._design import design_matrices

    mats = model.arrange(design_matrices(fit._design, big))
    y = np.asarray(big["y"].cat.codes, dtype=np.int64)
    theta = fit.params.to_numpy()
    whole = model.value_grad_hess(theta, y, model.stack(mats))
    monkeypatch.setattr(_tree_newton, "CHUNK_ROWS", 10**9)  # one chunk, no threads
    halves = [
        model.value_grad_hess(theta, y[s], model.stack([m[s] for m in mats]))
        for s in (slice(0, 20_000), slice(20_000, None))
    ]
    assert whole[0] == pytest.approx(halves[0][0] + halves[1][0], rel=1e-12)
    np.testing.assert_allclose(whole[1], halves[0][1] + halves[1][1], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(whole[2], halves[0][2] + halves[1][2], rtol=1e-9)


def _deep_binary_tree_with_chance():
    # a chance root; below it a three-level tree whose root decision has two decisions
    # as children, one with a chance node below it: every branch of the kernel's
    # node update (leaf, chance and decision children; the root restricted to the
    # observed leaf) is used
    from bargain import Chance, Decision, GameTree, Terminal

    def leaf(a, b, c, label):
        return Terminal(a, b, c, label=label)

    inner = Decision(
        "1",
        {
            "l": Decision(
                "2",
                {
                    "a": leaf(0.3, 0, 0, "la"),
                    "b": Chance(
                        {
                            "u": (0.4, leaf(0, 0.2, 0, "lbu")),
                            "d": (0.6, Decision("3", {"x": leaf(0, 0, 0, "lbdx"),
                                                      "y": leaf(0.1, 0.5, 0, "lbdy")})),
                        }
                    ),
                },
            ),
            "r": Decision("3", {"a": leaf(-0.2, 0, 0.4, "ra"), "b": leaf(0, 0, 0, "rb")}),
        },
    )  # fmt: skip
    return GameTree(
        ("1", "2", "3"),
        Chance({"h": (0.5, inner), "t": (0.5, leaf(0, 0, 0, "tails"))}),
    )


@pytest.mark.parametrize(("link", "error"), [("probit", "agent"), ("logit", "agent"),
                                             ("probit", "private")])  # fmt: skip
def test_deep_tree_with_chance_hessian_equals_finite_differences(link, error):
    import warnings

    import pandas as pd

    from bargain.estimate import strategic

    tree = _deep_binary_tree_with_chance()
    rng = np.random.default_rng(3)
    n = 300
    leaves = ["la", "lbu", "lbdx", "lbdy", "ra", "rb", "tails"]
    df = pd.DataFrame(
        {"x": rng.normal(size=n), "z": rng.normal(size=n), "y": rng.choice(leaves, size=n)}
    )
    utils = {
        ("1", "la"): "x",
        ("1", "lbdy"): "1",
        ("2", "lbu"): "z",
        ("2", "lbdy"): "1 + x",
        ("3", "lbdy"): "z",
        ("3", "ra"): "1",
        ("1", "rb"): "z",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = strategic(
            tree, df, utils, outcome="y", link=link, error=error, start="zero", maxiter=0,
            tol=np.inf,
        )  # fmt: skip
    model, y, mats = fit._model, np.asarray(fit._y, dtype=np.int64), fit._matrices
    stacked = model.stack(mats)
    assert stacked is not None  # the binary kernel, not the NumPy fallback
    theta = rng.normal(0, 0.5, model.k)
    value, grad, H = model.value_grad_hess(theta, y, stacked)
    ref_value, ref_grad = _numpy_value_and_grad(model, theta, y, mats)
    assert value == pytest.approx(ref_value, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-8, atol=1e-8)
    H_fd = hessian(lambda t: _numpy_value_and_grad(model, t, y, mats)[1], theta)
    np.testing.assert_allclose(H, H_fd, rtol=1e-5, atol=1e-5 * np.abs(H_fd).max())
