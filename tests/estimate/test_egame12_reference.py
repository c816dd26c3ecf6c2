"""egame12 reproduces R `games` 1.1.2 on war1800.

The reference numbers are R's, stored with the script that regenerates them
(tests/data/estimate/make_reference.R); the suite never needs R.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bargain.datasets import load_war1800
from bargain.estimate import egame12

REF = Path(__file__).resolve().parents[1] / "data" / "estimate"
F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"

# model id in make_reference.R -> our call; whether R used its analytic gradient (it
# does not when scale parameters are estimated: its numerical Hessian, hence its standard
# errors, are then less accurate and are not compared)
CASES = {
    "egame12_probit_agent": (lambda df: egame12(F1, df), True),
    "egame12_logit_agent": (lambda df: egame12(F1, df, link="logit"), True),
    "egame12_probit_private": (lambda df: egame12(F1, df, type="private"), True),
    "egame12_fixed_utils": (
        lambda df: egame12("esc + war ~ 1", df, fixed_utils=[-1, 0, -1.4, 0.1]),
        False,
    ),
    "egame12_sdformula": (lambda df: egame12(F1, df, sdformula="~ balanc - 1"), False),
}


@pytest.fixture(scope="module")
def reference():
    return pd.read_csv(REF / "r_games_reference.csv")


def test_games_documentation_example():
    # the example of ?egame12 (Kenkel & Signorino 2014, JSS 56(8)): 282 observations,
    # log-likelihood -286.1238 as printed by summary()
    fit = egame12(F1, load_war1800(), link="probit", type="agent")
    assert fit.nobs == 282
    assert f"{fit.llf:.4f}" == "-286.1238"
    assert fit.converged
    assert fit.grad_norm < 1e-6


def test_rows_dropped_are_those_with_a_missing_used_value():
    df = load_war1800()
    used = ["esc", "war", "s_wt_re1", "revis1", "regime1", "balanc", "regime2"]
    fit = egame12(F1, df)
    assert fit.n_dropped == int(df[used].isna().any(axis=1).sum())
    assert fit.nobs + fit.n_dropped == len(df)
    assert "dropped for missing values" in fit.summary()


@pytest.mark.parametrize("case", sorted(CASES))
def test_estimates_and_loglik_equal_r(case, reference):
    make, analytic = CASES[case]
    fit = make(load_war1800())
    ref = reference[reference["model"] == case]
    stats = ref.set_index("parameter")["estimate"]
    assert fit.llf == pytest.approx(stats["(logLik)"], abs=1e-6)
    assert fit.nobs == int(stats["(nobs)"])
    est = ref[~ref["parameter"].str.startswith("(") & ~ref["fixed"]]
    # same parameters in the same order (our factor columns read regime1[T.dem] where
    # R writes regime1dem)
    ours = [n.replace("[T.", "").replace("]", "") for n in fit.params.index]
    assert ours == est["parameter"].tolist()
    np.testing.assert_allclose(fit.params.to_numpy(), est["estimate"], atol=2e-5)
    if analytic:
        np.testing.assert_allclose(fit.bse.to_numpy(), est["se"], rtol=1e-4)
    fixed = ref[ref["fixed"].astype(bool)]
    assert list(fit.fixed.values()) == fixed["estimate"].tolist()


def test_predicted_outcome_probabilities_equal_r():
    fit = egame12(F1, load_war1800())
    want = pd.read_csv(REF / "r_games_predict.csv")
    got = fit.predict(load_war1800().iloc[:20].dropna(subset=["regime1", "regime2"]))
    rows = load_war1800().iloc[:20][["regime1", "regime2"]].notna().all(axis=1).to_numpy()
    assert list(got.columns) == list(want.columns)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy()[rows], atol=1e-6)


@pytest.mark.parametrize("spelling", ["factor", "numeric", "string"])
def test_one_outcome_column_gives_the_dummy_fit(spelling):
    df = load_war1800()
    code = np.where(df["esc"] == 0, 0, np.where(df["war"] == 0, 1, 2))
    if spelling == "factor":
        labels = np.array(["sq", "cap", "war"])[code]
        df["y"] = pd.Categorical(labels, categories=["sq", "cap", "war"], ordered=True)
    elif spelling == "numeric":
        df["y"] = np.array([1, 3, 4])[code]
    else:  # alphabetical order a < b < c is the tree's order here
        df["y"] = np.array(["a", "b", "c"])[code]
    fit = egame12("y" + F1[F1.index(" ~") :], df)
    dummies = egame12(F1, df)
    assert fit.llf == pytest.approx(dummies.llf, abs=1e-8)
    np.testing.assert_allclose(fit.params.to_numpy(), dummies.params.to_numpy(), atol=1e-5)
    if spelling == "factor":
        assert fit.params.index[0] == "u1(sq):(Intercept)"
        assert fit.params.index[-1] == "u2(war):regime2[T.mixed]"
