"""The results object: statsmodels' conventions, predictions, text and LaTeX tables."""

import numpy as np
import pytest
from scipy import stats

from bargain.datasets import load_war1800
from bargain.errors import DataError, ParameterError
from bargain.estimate import egame12, latex_table

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


@pytest.fixture(scope="module")
def fit():
    return egame12(F1, load_war1800())


def test_information_criteria_follow_their_definitions(fit):
    k = len(fit.params)
    assert k == fit.df_model == 10
    assert fit.aic == pytest.approx(-2 * fit.llf + 2 * k)
    assert fit.bic == pytest.approx(-2 * fit.llf + np.log(282) * k)
    assert fit.llf_obs.shape == (282,)
    assert fit.llf_obs.sum() == pytest.approx(fit.llf)


def test_standard_errors_and_tests_come_from_the_covariance(fit):
    cov = fit.cov_params()
    assert list(cov.index) == list(fit.params.index) == list(cov.columns)
    np.testing.assert_allclose(cov.to_numpy(), cov.to_numpy().T)
    np.testing.assert_allclose(fit.bse.to_numpy(), np.sqrt(np.diag(cov)))
    z = fit.params / fit.bse
    np.testing.assert_allclose(fit.pvalues, 2 * stats.norm.sf(np.abs(z)))
    ci = fit.conf_int(alpha=0.1)
    np.testing.assert_allclose(ci["upper"] - fit.params, 1.6448536269514722 * fit.bse)
    np.testing.assert_allclose(fit.params - ci["lower"], 1.6448536269514722 * fit.bse)
    assert np.all(np.linalg.eigvalsh(fit.cov_params(kind="sandwich")) > 0)


def test_names_say_player_outcome_and_regressor(fit):
    assert list(fit.params.index[:3]) == [
        "u1(~esc):(Intercept)",
        "u1(~esc):s_wt_re1",
        "u1(~esc):revis1",
    ]
    assert fit.params.index[3] == "u1(esc,war):(Intercept)"
    assert fit.params.index[6] == "u2(esc,war):(Intercept)"


def test_predict_on_new_data_equals_predict_on_the_fitting_rows(fit):
    df = load_war1800().dropna(subset=["regime1", "regime2"])
    new = fit.predict(df.iloc[::-1], kind="action")
    own = fit.predict(kind="action")
    np.testing.assert_allclose(new.loc[own.index].to_numpy(), own.to_numpy())


def test_predicted_war_probability_follows_the_fitted_utility(fit):
    df = load_war1800().dropna(subset=["regime1", "regime2"]).iloc[:5].copy()
    b = fit.params
    for level in ("autoc", "dem", "mixed"):
        df["regime2"] = level
        u24 = b["u2(esc,war):(Intercept)"] + b["u2(esc,war):balanc"] * df["balanc"]
        if level != "autoc":
            u24 = u24 + b[f"u2(esc,war):regime2[T.{level}]"]
        got = fit.predict(df, kind="action")["Pr(esc,war|esc)"]
        np.testing.assert_allclose(got, stats.norm.cdf(u24 / np.sqrt(2)), rtol=1e-12)


def test_predict_errors_name_the_problem(fit):
    df = load_war1800()
    with pytest.raises(ParameterError, match="parameter 'kind'"):
        fit.predict(kind="node")
    with pytest.raises(DataError, match="column 'balanc'"):
        fit.predict(df.drop(columns="balanc"))
    with pytest.raises(DataError, match=r"column 'regime1'.*missing"):
        fit.predict(df)
    with pytest.raises(ParameterError, match="parameter 'alpha'"):
        fit.conf_int(alpha=1.5)


def test_summary_lists_every_parameter_and_the_fit(fit):
    text = fit.summary()
    for name in fit.params.index:
        assert name in text
    assert "Log-likelihood: -286.1238" in text
    assert "Observations: 282 (31 dropped" in text
    assert repr(fit).startswith("<StrategicResults egame12 probit/agent")


def test_latex_table_puts_fits_side_by_side(fit):
    logit = egame12(F1, load_war1800(), link="logit")
    tex = fit.to_latex(logit, model_names=["Probit", "Logit"], stars=True, caption="War_1800")
    assert tex == latex_table(
        [fit, logit], model_names=["Probit", "Logit"], stars=True, caption="War_1800"
    )
    lines = tex.splitlines()
    assert r"\toprule" in lines
    assert r"\bottomrule" in lines
    assert r"\caption{War\_1800}" in lines
    assert " & Probit & Logit \\\\" in lines
    row = next(line for line in lines if line.startswith(r"u2(esc,war):regime2[T.dem]"))
    cells = row.rstrip("\\ ").split(" & ")
    for cell, f in zip(cells[1:], (fit, logit), strict=True):
        p = f.pvalues["u2(esc,war):regime2[T.dem]"]
        stars = "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
        assert cell == f"${f.params['u2(esc,war):regime2[T.dem]']:.3f}^{{{stars}}}$"
    assert r"u1(\textasciitilde{}esc):s\_wt\_re1" in tex
    assert "Observations & 282 & 282" in tex


def test_latex_table_leaves_missing_parameters_blank(fit):
    small = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
    tex = latex_table([small, fit])
    row = next(
        line for line in tex.splitlines() if line.startswith(r"u1(\textasciitilde{}esc):revis1")
    )
    assert row.split(" & ")[1] == ""
    with pytest.raises(ParameterError, match="model_names"):
        latex_table([fit], model_names=["a", "b"])


def test_results_carry_provenance(fit):
    from bargain._version import __version__

    assert fit.provenance["bargain"] == __version__
    assert fit.provenance["formula"] == F1
    assert (fit.provenance["link"], fit.provenance["error"]) == ("probit", "agent")
    assert fit.to_latex().splitlines()[-1] == (f"% bargain {__version__}: egame12 (probit, agent)")
