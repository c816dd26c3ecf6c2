"""Non-nested tests, the bootstrap and predicted-probability curves."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bargain.datasets import load_war1800
from bargain.errors import DataError, ParameterError
from bargain.estimate import bootstrap, clarke, egame12, predicted_probabilities, vuong

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"
F2 = "esc + war ~ s_wt_re1 | 0 | regime1 | balanc"


@pytest.fixture(scope="module")
def fits():
    df = load_war1800()
    return egame12(F1, df), egame12(F2, df.dropna(subset=["regime2"]))


def test_vuong_statistic_by_its_formula(fits):
    a, b = fits
    m = a.llf_obs - b.llf_obs
    n = m.size
    m = m - (len(a.params) - len(b.params)) * np.log(n) / (2 * n)
    z = m.mean() / (m.std(ddof=1) / np.sqrt(n))
    t = vuong(a, b)
    assert t.statistic == pytest.approx(z)
    assert t.pvalue == pytest.approx(2 * stats.norm.sf(abs(z)))
    assert t.nobs == 282
    # swapping the models flips the sign
    assert vuong(b, a).statistic == pytest.approx(-z)


def test_clarke_counts_the_better_fitted_observations(fits):
    a, b = fits
    n = a.nobs
    m = a.llf_obs - b.llf_obs - (len(a.params) - len(b.params)) * np.log(n) / (2 * n)
    t = clarke(a, b)
    assert t.statistic == (m > 0).sum()
    assert 0 <= t.pvalue <= 1
    assert clarke(b, a).statistic == (m < 0).sum()


def test_non_nested_tests_need_the_same_observations(fits):
    a, _ = fits
    other = egame12(F2, load_war1800())  # no regime2: 12 more rows
    with pytest.raises(DataError, match="same observations"):
        vuong(a, other)


def _simulated(n, seed):
    rng = np.random.default_rng(seed)
    x1, x2, z = rng.normal(size=(3, n))
    u11, u14, u24 = 0.3 - 0.8 * x1, 0.6 + x2, -0.2 + 1.2 * z
    fight = u24 + rng.standard_normal(n) > rng.standard_normal(n)
    p = stats.norm.cdf(u24 / np.sqrt(2))
    esc = p * u14 + rng.standard_normal(n) > u11 + rng.standard_normal(n)
    return pd.DataFrame(
        {"a1": esc.astype(int), "a2": (esc & fight).astype(int), "x1": x1, "x2": x2, "z": z}
    )


def test_bootstrap_standard_errors_match_the_hessian_ones():
    fit = egame12("a1 + a2 ~ x1 | 0 | x2 | z", _simulated(2000, 3))
    draws = bootstrap(fit, n_boot=60, seed=7)
    assert draws["converged"].all()
    se = draws.drop(columns="converged").std()
    np.testing.assert_allclose(se.to_numpy(), fit.bse.to_numpy(), rtol=0.35)
    again = bootstrap(fit, n_boot=3, seed=7)
    pd.testing.assert_frame_equal(again, draws.iloc[:3])


def test_bootstrap_rejects_bad_counts(fits):
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap(fits[0], n_boot=0)


def test_predicted_probability_curve_equals_predict_at_typical_values(fits):
    fit = fits[0]
    curve = predicted_probabilities(fit, "balanc", values=[0.2, 0.8])
    frame = fit._design.frame
    row = pd.DataFrame(
        {
            "s_wt_re1": [frame["s_wt_re1"].median()] * 2,
            "revis1": [frame["revis1"].median()] * 2,
            "regime1": pd.Categorical(
                [frame["regime1"].mode()[0]] * 2, categories=frame["regime1"].cat.categories
            ),
            "regime2": pd.Categorical(
                [frame["regime2"].mode()[0]] * 2, categories=frame["regime2"].cat.categories
            ),
            "balanc": [0.2, 0.8],
        }
    )
    want = fit.predict(row)
    wide = curve.pivot(index="balanc", columns="outcome", values="probability")
    np.testing.assert_allclose(wide[list(want.columns)].to_numpy(), want.to_numpy())
    assert list(curve["outcome"][:3]) == list(want.columns)
    levels = predicted_probabilities(fit, "regime2", kind="action", ci=None)
    assert list(levels.columns) == ["regime2", "outcome", "probability"]
    war = levels[levels["outcome"] == "Pr(esc,war|esc)"]
    assert list(war["regime2"]) == ["autoc", "dem", "mixed"]
    # democracies as player 2 fight less (the fitted regime2[T.dem] utility is negative)
    assert war["probability"].iloc[1] < war["probability"].iloc[0]
    with pytest.raises(DataError, match="column 'distance'"):
        predicted_probabilities(fit, "distance")
