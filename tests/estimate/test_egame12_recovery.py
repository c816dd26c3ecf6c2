"""Data simulated from the game with known utilities: the fit recovers them.

Choices are drawn from the structural model itself (random utility shocks per action or
per outcome, players best-responding), not from the likelihood code.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from bargain.estimate import egame12

FORMULA = "a1 + a2 ~ x1 | 0 | x2 | z"
TRUE = np.array([0.3, -0.8, 0.6, 1.0, -0.2, 1.2])  # u11: 1, x1; u14: 1, x2; u24: 1, z
N = 6000


def simulate(error, link, rng):
    x1, x2, z = rng.normal(size=(3, N))
    u11 = TRUE[0] + TRUE[1] * x1
    u13 = np.zeros(N)
    u14 = TRUE[2] + TRUE[3] * x2
    u24 = TRUE[4] + TRUE[5] * z
    if link == "probit":  # each action's shock standard normal
        cdf = stats.norm.cdf

        def shock(n):
            return rng.standard_normal(n)
    else:  # each action's shock Gumbel with scale √2: differences are logistic(√2)
        cdf = stats.logistic.cdf

        def shock(n):
            return rng.gumbel(scale=np.sqrt(2.0), size=n)

    if error == "agent":
        # player 2: fight iff u24 + e(fight) > 0 + e(back down)
        fight = u24 + shock(N) > shock(N)
        # player 1 knows player 2's choice probabilities, not the shocks
        p_fight = cdf(u24 / np.sqrt(2.0))
        value = (1 - p_fight) * u13 + p_fight * u14
        esc = value + shock(N) > u11 + shock(N)
    else:
        # private information: each player's shocks sit on their own outcomes
        e23, e24, e11, e13, e14 = rng.standard_normal((5, N))
        fight = u24 + e24 > e23
        p_fight = cdf(u24 / np.sqrt(2.0))
        esc = (1 - p_fight) * (u13 + e13) + p_fight * (u14 + e14) > u11 + e11
    return pd.DataFrame(
        {"a1": esc.astype(int), "a2": (esc & fight).astype(int), "x1": x1, "x2": x2, "z": z}
    )


@pytest.mark.parametrize(
    ("error", "link", "seed"),
    [("agent", "probit", 1), ("agent", "logit", 2), ("private", "probit", 3)],
    ids=["agent-probit", "agent-logit", "private-probit"],
)
def test_true_utilities_lie_in_the_confidence_region(error, link, seed):
    data = simulate(error, link, np.random.default_rng(seed))
    fit = egame12(FORMULA, data, link=link, type=error)
    assert fit.converged
    diff = fit.params.to_numpy() - TRUE
    # joint Wald test of the true values at the 0.1% level, and every 99.9% interval
    wald = diff @ np.linalg.solve(fit.cov_params().to_numpy(), diff)
    assert wald < stats.chi2.ppf(0.999, df=TRUE.size)
    ci = fit.conf_int(alpha=0.001)
    assert ((ci["lower"] < TRUE) & (TRUE < ci["upper"])).all()
    # and the estimates are informative: standard errors well below the effects
    assert (fit.bse < 0.25).all()


def test_sandwich_and_hessian_standard_errors_agree_when_the_model_is_right():
    data = simulate("agent", "probit", np.random.default_rng(11))
    fit = egame12(FORMULA, data)
    robust = np.sqrt(np.diag(fit.cov_params(kind="sandwich")))
    np.testing.assert_allclose(robust, fit.bse.to_numpy(), rtol=0.15)
