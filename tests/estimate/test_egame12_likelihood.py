"""egame12's log-likelihood equals a plain evaluation of the formula, and its gradient
equals finite differences (all links, error types and scale specifications)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bargain.datasets import load_war1800
from bargain.estimate import egame12

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


def _by_hand_design(df):
    """The four design matrices of F1, built column by column (treatment coding)."""
    df = df.dropna(subset=["regime1", "regime2"])
    one = np.ones(len(df))
    X11 = np.column_stack([one, df["s_wt_re1"], df["revis1"]])
    X14 = np.column_stack([one, df["regime1"] == "dem", df["regime1"] == "mixed"]).astype(float)
    X24 = np.column_stack(
        [one, df["balanc"], df["regime2"] == "dem", df["regime2"] == "mixed"]
    ).astype(float)
    y = np.where(df["esc"] == 0, 1, np.where(df["war"] == 0, 3, 4))  # terminal node number
    return df, X11, X14, X24, y


def plain_loglik(theta, df, *, link, private, log_sigma=None):
    """Signorino (2003) egame12 log-likelihood, one observation at a time."""
    df, X11, X14, X24, y = _by_hand_design(df)
    b11, b14, b24 = theta[:3], theta[3:6], theta[6:10]
    cdf = stats.norm.cdf if link == "probit" else stats.logistic.cdf
    total = 0.0
    for i in range(len(df)):
        sigma = 1.0 if log_sigma is None else np.exp(log_sigma(df.iloc[i]))
        u11, u13, u14, u24 = X11[i] @ b11, 0.0, X14[i] @ b14, X24[i] @ b24
        # player 2: war vs back down; each action's (or outcome's) error has sd sigma
        pwar = cdf(u24 / (np.sqrt(2.0) * sigma))
        pback = 1.0 - pwar
        # player 1: escalate vs status quo, with player 2's choice probabilities
        gain = pback * u13 + pwar * u14 - u11
        if private:
            sd = sigma * np.sqrt(1.0 + pback**2 + pwar**2)
        else:
            sd = np.sqrt(2.0) * sigma
        pesc = cdf(gain / sd)
        prob = {1: 1.0 - pesc, 3: pesc * pback, 4: pesc * pwar}[y[i]]
        total += np.log(prob)
    return total


CASES = [
    ("probit", "agent"),
    ("logit", "agent"),
    ("probit", "private"),
]


def _fit_at(theta, **options):
    """A results object evaluated (not fitted) at `theta`: start there, no iterations."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return egame12(F1, load_war1800(), start=theta, maxiter=0, tol=np.inf, **options)


@pytest.mark.parametrize(("link", "error"), CASES, ids=lambda v: v)
def test_loglik_equals_a_plain_evaluation(link, error):
    rng = np.random.default_rng(17)
    for _ in range(3):
        theta = rng.normal(scale=0.7, size=10)
        fit = _fit_at(theta, link=link, type=error)
        np.testing.assert_allclose(fit.params.to_numpy(), theta)
        want = plain_loglik(theta, load_war1800(), link=link, private=error == "private")
        assert fit.llf == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("error", ["agent", "private"])
def test_loglik_with_a_scale_equation_equals_a_plain_evaluation(error):
    theta = np.array([-0.5, -0.7, 0.4, 0.2, -1.9, -0.6, 0.5, -0.04, -1.5, -0.6, 0.3])
    fit = _fit_at(theta, type=error, sdformula="~ balanc - 1")
    want = plain_loglik(
        theta,
        load_war1800(),
        link="probit",
        private=error == "private",
        log_sigma=lambda row: theta[10] * row["balanc"],
    )
    assert fit.llf == pytest.approx(want, rel=1e-12)


def _numeric_gradient(f, x, h=1e-6):
    g = np.empty_like(x)
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        g[j] = (f(x + e) - f(x - e)) / (2 * h)
    return g


SCALES = [
    ({}, 10),
    ({"sdformula": "~ balanc"}, 12),
    ({"sdformula": "~ 1 | balanc", "sd_by_player": True}, 13),
]


@pytest.mark.parametrize(("link", "error"), CASES, ids=lambda v: v)
@pytest.mark.parametrize(("scale", "k"), SCALES, ids=["no-scale", "scale", "scale-by-player"])
def test_analytic_gradient_equals_finite_differences(link, error, scale, k):
    rng = np.random.default_rng(3)
    theta = rng.normal(scale=0.5, size=k)
    fit = _fit_at(theta, link=link, type=error, **scale)
    model, y, mats = fit._model, fit._y, fit._matrices
    analytic = model.score_obs(theta, y, mats).sum(axis=0)
    numeric = _numeric_gradient(lambda t: model.loglik_obs(t, y, mats).sum(), theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


def test_fixed_utilities_gradient_in_the_scales():
    df = load_war1800()
    fit = egame12("esc + war ~ 1", df, fixed_utils=[-1, 0, -1.4, 0.1], sd_by_player=True)
    model, y, mats = fit._model, fit._y, fit._matrices
    theta = np.array([0.3, -0.2])
    analytic = model.score_obs(theta, y, mats).sum(axis=0)
    numeric = _numeric_gradient(lambda t: model.loglik_obs(t, y, mats).sum(), theta)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6)


def test_outcome_probabilities_are_products_of_action_probabilities():
    fit = egame12(F1, load_war1800())
    act = fit.predict(kind="action").to_numpy()
    out = fit.predict(kind="outcome").to_numpy()
    np.testing.assert_allclose(act[:, 0] + act[:, 1], 1.0)
    np.testing.assert_allclose(act[:, 2] + act[:, 3], 1.0)
    np.testing.assert_allclose(
        out, np.column_stack([act[:, 0], act[:, 1] * act[:, 2], act[:, 1] * act[:, 3]])
    )
    # the log-likelihood is the log of the observed outcome's predicted probability
    y = pd.Series(fit._y)
    assert np.log(out[np.arange(len(y)), y]).sum() == pytest.approx(fit.llf, rel=1e-12)
