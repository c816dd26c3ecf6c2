"""The statistical ultimatum game: R `games` reproduced, exact gradient, simulated recovery."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats

from bargain.datasets import load_data_ult, load_student_offers
from bargain.errors import DataError, ParameterError
from bargain.estimate import EstimationWarning, ultimatum

REF = Path(__file__).resolve().parents[1] / "data" / "estimate"
F = "offer + accept ~ x1 + x2 + x3 + x4 + w1 + w2 | z1 + z2 + z3 + z4 + w1 + w2"


def test_reproduces_r_games():
    ref = pd.read_csv(REF / "r_games_reference.csv")
    ref = ref[ref["model"] == "ultimatum_both"].set_index("parameter")
    fit = ultimatum(F, load_data_ult(), max_offer=15)
    assert fit.llf == pytest.approx(ref.loc["(logLik)", "estimate"], abs=1e-6)
    est = ref.drop(index=["(logLik)", "(nobs)"])
    assert list(fit.params.index) == list(est.index)
    np.testing.assert_allclose(fit.params.to_numpy(), est["estimate"], atol=2e-5)
    np.testing.assert_allclose(fit.bse.to_numpy(), est["se"], rtol=1e-4)


def _plain_loglik(theta, df, q):
    """Ramsay & Signorino's likelihood, one observation at a time, from player 1's problem."""
    r1c, r1x, r2c, r2z, ls1, ls2 = theta
    s1, s2 = np.exp(ls1), np.exp(ls2)
    total = 0.0
    for _, row in df.iterrows():
        r1, r2, y = r1c + r1x * row["x"], r2c + r2z * row["z"], row["offer"]

        def p_accept(v, r2=r2):
            return stats.logistic.cdf(v, loc=r2, scale=s2)

        def best_offer(eps, r1=r1):  # player 1 maximizes (Q − v) P + (R1 + ε)(1 − P)
            res = optimize.minimize_scalar(
                lambda v: -((q - v) * p_accept(v) + (r1 + eps) * (1 - p_accept(v))),
                bounds=(0, q),
                method="bounded",
                options={"xatol": 1e-10},
            )
            return res.x

        if y <= 0:  # P(best offer at the lower bound): the ε for which the FOC holds at 0
            eps0 = optimize.brentq(lambda e: best_offer(e) - 1e-6, -200, 200)
            prob = 1 - stats.logistic.cdf(eps0, scale=s1)
        else:
            # density of the offer: ε(y) from the FOC, times |dε/dy|
            def eps_of(v, r1=r1, r2=r2):
                return q - v - r1 - s2 * (1 + np.exp((v - r2) / s2))

            h = 1e-6
            jac = abs((eps_of(y + h) - eps_of(y - h)) / (2 * h))
            prob = stats.logistic.pdf(eps_of(y), scale=s1) * jac
        acc = p_accept(y) if row["accept"] == 1 else 1 - p_accept(y)
        total += np.log(prob) + np.log(acc)
    return total


def _small_data(n, rng):
    x, z = rng.normal(size=(2, n))
    df = pd.DataFrame({"x": x, "z": z})
    df["offer"] = np.clip(rng.uniform(-1, 6, n), 0, None)
    df["accept"] = (rng.uniform(size=n) < 0.6).astype(int)
    return df


def test_loglik_equals_player_1s_problem_solved_numerically():
    rng = np.random.default_rng(8)
    df = _small_data(12, rng)
    theta = np.array([2.0, 0.5, 3.0, -0.4, np.log(1.5), np.log(0.8)])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ultimatum("offer + accept ~ x | z", df, max_offer=10, maxiter=0, tol=np.inf)
    got = fit._model.loglik_obs(theta, fit._y, fit._matrices).sum()
    assert got == pytest.approx(_plain_loglik(theta, df, 10.0), rel=1e-5)


def test_gradient_equals_finite_differences():
    rng = np.random.default_rng(9)
    df = _small_data(300, rng)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ultimatum("offer + accept ~ x | z", df, max_offer=10, maxiter=0, tol=np.inf)
    model, y, mats = fit._model, fit._y, fit._matrices
    theta = np.array([2.0, 0.5, 3.0, -0.4, 0.3, -0.1])
    analytic = model.score_obs(theta, y, mats).sum(axis=0)
    h = 1e-6
    numeric = [
        (
            model.loglik_obs(theta + h * e, y, mats).sum()
            - model.loglik_obs(theta - h * e, y, mats).sum()
        )
        / (2 * h)
        for e in np.eye(theta.size)
    ]
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


def test_predicted_expected_offer_and_acceptance_by_integration():
    fit = ultimatum(F, load_data_ult(), max_offer=15)
    row = load_data_ult().iloc[:1]
    got = fit.predict(row).iloc[0]
    b = fit.params
    x = row.iloc[0]
    r1 = b["R1:(Intercept)"] + sum(
        b[f"R1:{c}"] * x[c] for c in ("x1", "x2", "x3", "x4", "w1", "w2")
    )
    r2 = b["R2:(Intercept)"] + sum(
        b[f"R2:{c}"] * x[c] for c in ("z1", "z2", "z3", "z4", "w1", "w2")
    )
    s1, s2 = np.exp(b["log(s1)"]), np.exp(b["log(s2)"])

    def cdf(v):
        return stats.logistic.cdf(-(15 - v - r1 - s2 * (1 + np.exp((v - r2) / s2))) / s1)

    mean = integrate.quad(lambda v: 1 - cdf(v), 0, 15, epsabs=1e-12)[0]
    assert got["E(offer)"] == pytest.approx(mean, rel=1e-6)
    assert 0 < got["Pr(accept)"] < 1


def test_fixed_scales_and_offer_only():
    df = load_data_ult()
    fixed = ultimatum(F, df, max_offer=15, s1=5, s2=1)
    assert "log(s1)" not in fixed.params.index
    assert fixed.fixed == {"log(s1)": pytest.approx(np.log(5)), "log(s2)": 0.0}
    offer_only = ultimatum(F.replace("offer + accept", "offer"), df, max_offer=15, outcome="offer")
    assert offer_only.converged
    assert offer_only.llf > ultimatum(F, df, max_offer=15).llf  # fewer events to explain


def test_student_offers_fit_and_bad_input():
    df = load_student_offers()
    fit = ultimatum("offer + accept ~ gender1 | gender2", df, max_offer=100, s2=10)
    assert fit.nobs == 32
    assert fit.converged
    # with both scales free the likelihood keeps rising as s2 grows: reported, not hidden
    with pytest.warns(EstimationWarning, match="did not converge"):
        free = ultimatum("offer + accept ~ 1 | 1", df, max_offer=100)
    assert not free.converged
    with pytest.raises(DataError, match="column 'offer': offers must lie in"):
        ultimatum("offer + accept ~ gender1 | gender2", df, max_offer=40)
    with pytest.raises(ParameterError, match="parameter 'outcome'"):
        ultimatum("offer + accept ~ 1 | 1", df, max_offer=100, outcome="accept")
    with pytest.raises(ParameterError, match="parameter 's1'"):
        ultimatum("offer + accept ~ 1 | 1", df, max_offer=100, s1=-1)
    df["accept"] = df["accept"] + 1
    with pytest.raises(DataError, match="column 'accept'"):
        ultimatum("offer + accept ~ 1 | 1", df, max_offer=100)


def test_analytic_hessian_equals_finite_differences_of_the_gradient():
    from bargain.estimate._fit import hessian
    from bargain.estimate._ultimatum_hess import (
        ultimatum_fused,
        ultimatum_stack,
        ultimatum_value_grad_hess,
    )

    formula = "offer + accept ~ x1 + x2 + x3 + x4 + w1 + w2 | z1 + z2 + z3 + z4 + w1 + w2"
    for options in ({}, {"s1": 1.0}, {"s2": 2.0}, {"outcome": "offer"}):
        fit = ultimatum(formula, load_data_ult(), max_offer=15, **options)
        model, y, mats = fit._model, fit._y, fit._matrices
        theta = fit.params.to_numpy() + 0.02
        value, grad, H = ultimatum_value_grad_hess(model, theta, y, model.accept, mats)
        ref_value, ref_grad = model.value_and_grad(theta, y, mats)
        assert value == pytest.approx(ref_value, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-9)
        H_fd = hessian(lambda t, m=model, y=y, x=mats: m.value_and_grad(t, y, x)[1], theta)
        np.testing.assert_allclose(H, H_fd, rtol=1e-5, atol=1e-6 * np.abs(H_fd).max())
        stacked = ultimatum_stack(model, mats)
        fused = ultimatum_fused(model, theta, y, model.accept, stacked)
        assert fused[0] == pytest.approx(value, rel=1e-12)
        np.testing.assert_allclose(fused[1], grad, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(fused[2], H, rtol=1e-9, atol=1e-9 * np.abs(H).max())
