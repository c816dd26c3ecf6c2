"""Bad input gives a clear bargain.errors error (a ValueError) naming the culprit."""

import numpy as np
import pandas as pd
import pytest

from bargain.datasets import load_war1800
from bargain.errors import DataError, ParameterError
from bargain.estimate import EstimationWarning, egame12

F1 = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"


@pytest.fixture
def war():
    return load_war1800()


def test_unknown_column_is_named(war):
    with pytest.raises(DataError, match="column 'revis3'") as info:
        egame12("esc + war ~ s_wt_re1 + revis3 | 0 | regime1 | balanc", war)
    assert isinstance(info.value, ValueError)
    assert info.value.column == "revis3"


def test_unknown_response_column_is_named(war):
    with pytest.raises(DataError, match="column 'fight'"):
        egame12("esc + fight ~ 1 | 0 | regime1 | balanc", war)


def test_non_binary_action_column_is_named(war):
    war["esc"] = war["esc"] * 2
    with pytest.raises(DataError, match=r"column 'esc'.*only 0 and 1, found 2"):
        egame12(F1, war)


def test_categorical_action_column_is_rejected(war):
    with pytest.raises(DataError, match="column 'regime2'"):
        egame12("esc + regime2 ~ 1 | 0 | regime1 | balanc", war)


def test_outcome_level_the_tree_cannot_produce_is_named(war):
    war["y"] = pd.Categorical(
        np.where(war["esc"] == 0, "sq", np.where(war["war"] == 1, "war", "cap")),
        categories=["sq", "cap", "war"],
    )
    war.loc[0, "y"] = np.nan
    war["y"] = war["y"].cat.add_categories("nuclear")
    war.loc[0, "y"] = "nuclear"
    with pytest.raises(DataError, match=r"column 'y'.*3 outcomes.*4 distinct values"):
        egame12("y ~ s_wt_re1 | 0 | regime1 | balanc", war)


def test_wrong_number_of_parts(war):
    with pytest.raises(ParameterError, match=r"4 right-hand parts.*got 3"):
        egame12("esc + war ~ s_wt_re1 | 0 | regime1", war)


def test_regressor_in_all_player_1_utilities_is_unidentified(war):
    with pytest.raises(ParameterError, match=r"unidentified: \(Intercept\)"):
        egame12("esc + war ~ 1 | 1 | 1 | balanc", war)


@pytest.mark.parametrize(
    ("options", "name"),
    [
        ({"link": "cauchit"}, "link"),
        ({"type": "public"}, "type"),
        ({"type": "private", "link": "logit"}, "link"),
        ({"start": "random"}, "start"),
        ({"start": [0.0, 1.0]}, "start"),
        ({"fixed_utils": [1, 2, 3]}, "fixed_utils"),
    ],
)
def test_bad_options_name_the_option(war, options, name):
    with pytest.raises(ParameterError, match=f"parameter '{name}'"):
        egame12(F1, war, **options)


def test_data_must_be_a_dataframe(war):
    with pytest.raises(ParameterError, match="parameter 'data'"):
        egame12(F1, war.to_dict())


def test_formula_text_is_not_evaluated(war):
    # a formula is parsed by formulaic, which rejects code
    with pytest.raises(ParameterError, match="parameter 'formula': cannot parse"):
        egame12("esc + war ~ __import__('os').getcwd() | 0 | 1 | balanc", war)


def test_nonconvergence_is_reported_not_hidden(war):
    with pytest.warns(EstimationWarning, match="did not converge"):
        fit = egame12(F1, war, start="zero", maxiter=2)
    assert not fit.converged
    assert "Converged: NO" in fit.summary()


def test_unidentified_intercepts_warn_about_the_hessian(war):
    # u11 and u14 intercepts enter only through p4*u14 - u11 when p4 is constant
    with pytest.warns(EstimationWarning, match="not negative definite"):
        egame12("esc + war ~ 1 | 0 | 1 | 1", war)
