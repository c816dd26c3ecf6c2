"""Confidence bands of predicted probabilities, and their plot."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.image import imread

from bargain.datasets import load_war1800
from bargain.errors import ParameterError
from bargain.estimate import egame12, plot_probabilities, predicted_probabilities

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


@pytest.fixture(scope="module")
def fit():
    return egame12(F1, load_war1800())


def test_delta_band_matches_draws_from_a_narrow_normal_around_the_estimates(fit):
    """Draw θ ~ N(θ̂, Σ/10⁴) and take the probabilities' quantiles: as the covariance
    shrinks, the delta band (log-odds scale) and these quantiles agree."""
    from bargain.estimate._design import design_matrices
    from bargain.estimate.inference import _delta_band, _typical_grid

    values = [0.1, 0.5, 0.9]
    curve = predicted_probabilities(fit, "balanc", values=values)
    frame, _ = _typical_grid(fit, "balanc", values, 50)
    mats = fit._model.arrange(design_matrices(fit._design, frame))

    def probs(t):
        return fit._model.outcome_probs(t, mats).to_numpy()

    theta, cov = fit.params.to_numpy(), fit.cov_params().to_numpy()
    lower, upper = _delta_band(probs, theta, cov, 0.95)
    np.testing.assert_allclose(curve["lower"], lower.ravel(), rtol=1e-12)
    np.testing.assert_allclose(curve["upper"], upper.ravel(), rtol=1e-12)
    small = cov / 1e4
    lo, hi = _delta_band(probs, theta, small, 0.95)
    rng = np.random.default_rng(3)
    draws = rng.multivariate_normal(theta, small, size=20000)
    sims = np.stack([probs(t) for t in draws])
    q_lo, q_hi = np.quantile(sims, [0.025, 0.975], axis=0)
    width = hi - lo
    assert np.abs(lo - q_lo).max() < 0.05 * width.min()
    assert np.abs(hi - q_hi).max() < 0.05 * width.min()
    # the full band is about 100 times as wide, and a 50% band sits inside the 95% one
    assert np.allclose((upper - lower) / width, 100, rtol=0.3)
    half = predicted_probabilities(fit, "balanc", values=values, ci=0.5)
    assert (half["lower"] > curve["lower"]).all()
    assert (half["upper"] < curve["upper"]).all()
    grid = predicted_probabilities(fit, "balanc", values=values, ci=None)
    assert np.array_equal(curve["probability"], grid["probability"])


def test_bootstrap_band_brackets_the_estimate_and_is_reproducible(fit):
    a = predicted_probabilities(fit, "regime2", method="bootstrap", n_boot=40, seed=2)
    b = predicted_probabilities(fit, "regime2", method="bootstrap", n_boot=40, seed=2)
    assert a.equals(b)
    assert len(a) == 3 * 3
    assert ((a["lower"] <= a["probability"]) & (a["probability"] <= a["upper"])).all()
    delta = predicted_probabilities(fit, "regime2")
    ratio = (a["upper"] - a["lower"]) / (delta["upper"] - delta["lower"])
    assert ratio.between(0.4, 2.5).all(), ratio


@pytest.mark.parametrize(
    ("option", "value"), [("method", "sandwich"), ("ci", 1.5), ("ci", 95), ("kind", "node")]
)
def test_bad_band_options_are_refused(fit, option, value):
    with pytest.raises(ParameterError, match=option):
        predicted_probabilities(fit, "balanc", **{option: value})


def test_plot_draws_one_styled_curve_per_outcome_and_saves_300_dpi(fit, tmp_path):
    curve = predicted_probabilities(fit, "balanc", n=7)
    fig = plot_probabilities(curve, tmp_path / "pp")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "balanc"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Pr(~esc)", "Pr(esc,~war)", "Pr(esc,war)"]
    mains = [ln for ln in ax.get_lines() if ln.get_label() in labels]
    assert len({ln.get_linestyle() for ln in mains}) == 3  # tells them apart in greyscale
    assert len({ln.get_color() for ln in mains}) == 3
    np.testing.assert_allclose(mains[0].get_ydata(), curve["probability"][::3])
    assert len(ax.collections) == 3  # one band each
    png = imread(tmp_path / "pp.png")
    assert png.shape[:2] == (1200, 1800)  # 6 x 4 inches at 300 dpi
    assert (tmp_path / "pp.pdf").read_bytes()[:5] == b"%PDF-"


def test_plot_of_a_factor_uses_error_bars_at_each_level(fit):
    curve = predicted_probabilities(fit, "regime2", kind="action")
    ax = plot_probabilities(curve).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["autoc", "dem", "mixed"]
    assert ax.get_xlabel() == "regime2"
    assert len(ax.containers) == 4  # one error-bar set per action
    with pytest.raises(ParameterError, match="curve"):
        plot_probabilities(curve.drop(columns="probability"))
