"""Inference after a fit: non-nested tests, the bootstrap, predicted-probability curves."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special, stats

from bargain.errors import DataError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from bargain.estimate.results import StrategicResults

__all__ = ["NonNestedTest", "bootstrap", "clarke", "predicted_probabilities", "vuong"]


@dataclass(frozen=True)
class NonNestedTest:
    """Result of a Vuong or Clarke test of two non-nested fits.

    ``statistic`` is the z statistic (Vuong) or the number of observations the first
    model fits better (Clarke), after the BIC correction for the models' sizes;
    ``pvalue`` is two-sided; ``preferred`` is 1, 2, or 0 (neither, at `level`).

    Examples
    --------
    >>> NonNestedTest("vuong", 2.5, 0.012, 1, 100).preferred
    1
    """

    test: str
    statistic: float
    pvalue: float
    preferred: int
    nobs: int


def _pointwise(fit1: StrategicResults, fit2: StrategicResults) -> np.ndarray:
    a, b = np.asarray(fit1.llf_obs), np.asarray(fit2.llf_obs)
    if a.shape != b.shape or not fit1._design.index.equals(fit2._design.index):
        raise DataError("index", "the two fits must use the same observations, in the same order")
    k1, k2 = len(fit1.params), len(fit2.params)
    n = a.size
    return (a - b) - (k1 - k2) * np.log(n) / (2.0 * n)  # BIC correction (Clarke 2007)


def vuong(fit1: StrategicResults, fit2: StrategicResults, *, level: float = 0.05) -> NonNestedTest:
    """Vuong's test of two non-nested models of the same outcomes.

    Null: both are equally close (Kullback–Leibler) to the truth.  The pointwise
    log-likelihood differences are corrected by the BIC penalty, as in R ``games``
    (Vuong 1989, *Econometrica* 57(2): 307–333; Clarke 2007, *Political Analysis* 15(3):
    347–363).

    Parameters
    ----------
    fit1, fit2 : StrategicResults
        Fits on the same observations.
    level : float
        Significance level for `preferred`.

    Returns
    -------
    NonNestedTest

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12, vuong
    >>> f = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"
    >>> df = load_war1800()
    >>> t = vuong(egame12(f, df), egame12(f, df, link="logit"))
    >>> t.test, t.preferred
    ('vuong', 0)
    """
    m = _pointwise(fit1, fit2)
    sd = m.std(ddof=1)
    z = float(m.sum() / (np.sqrt(m.size) * sd)) if sd > 0 else 0.0
    p = float(2.0 * stats.norm.sf(abs(z)))
    return NonNestedTest("vuong", z, p, (1 if z > 0 else 2) if p < level else 0, m.size)


def clarke(fit1: StrategicResults, fit2: StrategicResults, *, level: float = 0.05) -> NonNestedTest:
    """Clarke's distribution-free test: a sign test of the pointwise differences.

    Parameters
    ----------
    fit1, fit2 : StrategicResults
        Fits on the same observations.
    level : float
        Significance level for `preferred`.

    Returns
    -------
    NonNestedTest
        ``statistic``: observations where model 1 fits better (BIC-corrected).

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import clarke, egame12
    >>> df = load_war1800()
    >>> a = egame12("esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2", df)
    >>> b = egame12("esc + war ~ s_wt_re1 | 0 | regime1 | balanc + regime2", df)
    >>> clarke(a, b).nobs
    282
    """
    m = _pointwise(fit1, fit2)
    b = int((m > 0).sum())
    n = m.size
    p = float(min(1.0, 2.0 * min(stats.binom.sf(b - 1, n, 0.5), stats.binom.cdf(b, n, 0.5))))
    return NonNestedTest("clarke", float(b), p, (1 if b > n / 2 else 2) if p < level else 0, n)


def bootstrap(fit: StrategicResults, *, n_boot: int = 200, seed: int | None = None) -> pd.DataFrame:
    """Nonparametric bootstrap: refit on rows resampled with replacement.

    Each replicate starts at the estimates; replicates that do not converge are kept
    and flagged in the ``converged`` column (never silently dropped).

    Parameters
    ----------
    fit : StrategicResults
    n_boot : int
        Number of replicates.
    seed : int, optional
        For reproducible draws.

    Returns
    -------
    pandas.DataFrame
        One row per replicate: the parameters, then ``converged``.  ``.std()`` of the
        parameter columns gives bootstrap standard errors.

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import bootstrap, egame12
    >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
    >>> draws = bootstrap(fit, n_boot=5, seed=1)
    >>> draws.shape
    (5, 6)
    """
    if not (isinstance(n_boot, int) and n_boot >= 1):
        raise ParameterError("n_boot", f"must be a positive integer, got {n_boot!r}")
    refit = getattr(fit, "_refit", None)
    if refit is None:
        raise ParameterError("fit", "this fit cannot be refitted (no refit recipe)")
    rng = np.random.default_rng(seed)
    frame = fit._design.frame
    rows = []
    for _ in range(n_boot):
        sample = frame.iloc[rng.integers(0, len(frame), len(frame))].reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # recorded in the `converged` column instead
            try:
                rep = refit(sample, start=fit.params.to_numpy())
            except ValueError:  # a resample can lose a factor level: not estimable
                rows.append([np.nan] * len(fit.params) + [False])
                continue
        same = list(rep.params.index) == list(fit.params.index)
        values = list(rep.params.to_numpy()) if same else [np.nan] * len(fit.params)
        rows.append([*values, bool(rep.converged and same)])
    return pd.DataFrame(rows, columns=[*fit.params.index, "converged"])


def predicted_probabilities(
    fit: StrategicResults,
    vary: str,
    *,
    values: Sequence[float] | None = None,
    n: int = 50,
    kind: str = "outcome",
    ci: float | None = 0.95,
    method: str = "delta",
    n_boot: int = 200,
    seed: int | None = None,
) -> pd.DataFrame:
    """Predicted probabilities as one regressor varies, the others at typical values.

    Numeric columns are held at their median, factors at their most common level, over
    the rows the fit used (as R ``games::predProbs`` does by default).  Confidence bands
    come from the delta method on the log-odds scale (so they stay inside (0, 1)), with
    the Hessian covariance and a central-difference Jacobian of the probabilities, or
    from percentiles of the probabilities over a nonparametric bootstrap (:func:`bootstrap`;
    replicates that did not converge are left out).

    Parameters
    ----------
    fit : StrategicResults
    vary : str
        The column to vary.
    values : sequence of float, optional
        Its values (default: `n` points from its minimum to its maximum; every level of a
        factor).
    n : int
    kind : {"outcome", "action"}
    ci : float or None
        Level of the bands (``None``: no bands).
    method : {"delta", "bootstrap"}
    n_boot : int
        Bootstrap replicates (``method="bootstrap"``).
    seed : int, optional
        Seed of the bootstrap draws.

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per value of `vary` and outcome (or action), with columns `vary`,
        ``outcome``, ``probability`` and, with bands, ``lower`` and ``upper``.
        :func:`plot_probabilities` draws it.

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12, predicted_probabilities
    >>> fit = egame12("esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2",
    ...               load_war1800())
    >>> curve = predicted_probabilities(fit, "balanc", n=3)
    >>> list(curve.columns), len(curve)
    (['balanc', 'outcome', 'probability', 'lower', 'upper'], 9)
    >>> sorted(set(curve["outcome"]))
    ['Pr(esc,war)', 'Pr(esc,~war)', 'Pr(~esc)']
    >>> inside = (curve["lower"] < curve["probability"]) & (curve["probability"] < curve["upper"])
    >>> bool(inside.all())
    True
    """
    from bargain.estimate._design import design_matrices

    if kind not in ("outcome", "action"):
        raise ParameterError("kind", f"must be 'outcome' or 'action', got {kind!r}")
    if method not in ("delta", "bootstrap"):
        raise ParameterError("method", f"must be 'delta' or 'bootstrap', got {method!r}")
    if ci is not None and not (isinstance(ci, float) and 0 < ci < 1):
        raise ParameterError("ci", f"must be a level in (0, 1) or None, got {ci!r}")
    grid, values = _typical_grid(fit, vary, values, n)
    mats = fit._model.arrange(design_matrices(fit._design, grid))
    model = fit._model
    probs = model.outcome_probs if kind == "outcome" else model.action_probs

    def at(theta):
        return probs(theta, mats)

    theta = fit.params.to_numpy()
    point = at(theta)
    names = list(point.columns)
    p = point.to_numpy()
    column = grid[vary].repeat(len(names)).reset_index(drop=True)
    out = pd.DataFrame({vary: column, "outcome": names * len(values), "probability": p.ravel()})
    if ci is None:
        return out
    if method == "delta":
        lower, upper = _delta_band(lambda t: at(t).to_numpy(), theta, fit._cov.to_numpy(), ci)
    else:
        draws = bootstrap(fit, n_boot=n_boot, seed=seed)
        good = draws[draws["converged"]].drop(columns="converged").to_numpy()
        if len(good) < 2:
            raise ParameterError("n_boot", "fewer than 2 bootstrap replicates converged")
        sims = np.stack([at(t).to_numpy() for t in good])
        lower, upper = np.quantile(sims, [(1 - ci) / 2, (1 + ci) / 2], axis=0)
    out["lower"] = lower.ravel()
    out["upper"] = upper.ravel()
    return out


def _typical_grid(fit, vary, values, n):
    used = list(
        dict.fromkeys(str(v) for spec in fit._design.specs for v in spec.required_variables)
    )
    if vary not in used:
        raise DataError(vary, "not a regressor of the fit; regressors: " + ", ".join(used))
    frame = fit._design.frame[used]
    typical = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object:
            typical[col] = s.mode().iloc[0]
        else:
            typical[col] = s.median()
    if values is None:
        s = frame[vary]
        if isinstance(s.dtype, pd.CategoricalDtype):
            values = list(s.cat.categories)
        else:
            values = np.linspace(s.min(), s.max(), n)
    values = list(values)
    grid = pd.DataFrame([typical] * len(values))
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            grid[col] = pd.Categorical(grid[col], categories=frame[col].cat.categories)
    grid[vary] = (
        pd.Categorical(values, categories=frame[vary].cat.categories)
        if isinstance(frame[vary].dtype, pd.CategoricalDtype)
        else np.asarray(values, dtype=float)
    )
    return grid, values


def _delta_band(f, theta, cov, ci):
    """Delta-method band of probabilities ``f(theta)`` on the log-odds scale."""
    p = f(theta)
    jac = np.empty((*p.shape, theta.size))
    for j in range(theta.size):
        h = 1e-6 * max(1.0, abs(theta[j]))
        up, dn = theta.copy(), theta.copy()
        up[j] += h
        dn[j] -= h
        jac[..., j] = (f(up) - f(dn)) / (2.0 * h)
    var = np.einsum("...i,ij,...j->...", jac, cov, jac)
    q = np.clip(p, 1e-300, 1 - 1e-16)
    se = np.sqrt(np.maximum(var, 0.0)) / (q * (1 - q))  # d logit(p) = dp / (p (1 - p))
    z = stats.norm.ppf((1 + ci) / 2)
    logit = np.log(q) - np.log1p(-q)
    return special.expit(logit - z * se), special.expit(logit + z * se)
