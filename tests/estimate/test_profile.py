"""Profile likelihoods: maximized over the other parameters, zero drop at the estimate."""

import numpy as np
import pytest

from bargain.datasets import load_war1800
from bargain.errors import ParameterError
from bargain.estimate import egame12, strategic

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


@pytest.fixture(scope="module")
def fit():
    return egame12(F1, load_war1800())


def test_profile_lies_between_the_slice_and_the_maximum(fit):
    name = "u2(esc,war):balanc"
    prof = fit.profile(name, n=7)
    assert prof["converged"].all()
    assert prof[name].iloc[3] == pytest.approx(fit.params[name])
    assert abs(prof["lr"].iloc[3]) < 1e-8
    assert (prof["lr"].drop(index=3) > 0).all()
    # holding the other parameters at their estimates (a slice) can only do worse
    j = list(fit.params.index).index(name)
    for v, llf in zip(prof[name], prof["llf"], strict=True):
        theta = fit.params.to_numpy().copy()
        theta[j] = v
        sliced = fit._model.loglik_obs(theta, fit._y, fit._matrices).sum()
        assert sliced <= llf + 1e-9
    # near the maximum the profile is quadratic in units of the standard error: lr ≈ 1
    # at ±1 s.e. (and the slice would be steeper, since the parameters are correlated)
    one = fit.profile(name, values=fit.params[name] + np.array([-1.0, 1.0]) * fit.bse[name])
    assert one["lr"].between(0.7, 1.4).all(), one


def test_profile_on_a_generic_tree_and_bad_arguments(fit):
    from bargain import Decision, GameTree, Terminal

    tree = GameTree(
        ("1", "2"),
        Decision(
            "1",
            {
                "sq": Terminal(0, 0, label="sq"),
                "esc": Decision(
                    "2", {"cap": Terminal(0, 0, label="cap"), "war": Terminal(0, 0, label="war")}
                ),
            },
        ),
    )
    df = load_war1800()
    df["y"] = df["esc"].map({0: "sq", 1: "cap"}).where(df["war"] == 0, "war")
    tfit = strategic(
        tree, df, {("1", "sq"): "1 + s_wt_re1", ("2", "war"): "1 + balanc"}, outcome="y"
    )
    prof = tfit.profile("2(war):balanc", n=5)
    assert prof["converged"].all()
    assert abs(prof["lr"].iloc[2]) < 1e-8
    assert (prof["lr"].drop(index=2) > 0).all()
    with pytest.raises(ParameterError, match="unknown parameter"):
        fit.profile("nope")
    with pytest.raises(ParameterError, match="n"):
        fit.profile("u2(esc,war):balanc", n=1)
