"""Results of a strategic-model fit, in statsmodels' conventions."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from bargain.errors import ParameterError

__all__ = ["StrategicResults", "parameter_names"]


def parameter_names(
    prefixes: Sequence[str], columns: Sequence[Sequence[str]], *, n_utility: int
) -> list[str]:
    """``prefix:regressor`` names; a non-utility equation with only an intercept is ``prefix``.

    Examples
    --------
    >>> parameter_names(["u1(sq)", "log(sigma)"], [["(Intercept)", "x"], ["(Intercept)"]],
    ...                 n_utility=1)
    ['u1(sq):(Intercept)', 'u1(sq):x', 'log(sigma)']
    """
    out: list[str] = []
    for i, (prefix, cols) in enumerate(zip(prefixes, columns, strict=True)):
        if i >= n_utility and list(cols) == ["(Intercept)"]:
            out.append(prefix)
        else:
            out.extend(f"{prefix}:{c}" for c in cols)
    return out


class StrategicResults:
    """A fitted strategic model: estimates, inference, predictions, tables.

    Attributes follow statsmodels: ``params``, ``bse``, ``tvalues``, ``pvalues``
    (pandas Series indexed by parameter name), ``llf``, ``nobs``, ``aic``, ``bic``,
    ``converged``; ``cov_params()``, ``conf_int()``, ``summary()``, ``predict()``.
    ``llf_obs`` holds the per-observation log-likelihoods (for non-nested tests),
    ``n_dropped`` the rows dropped for missing values, ``fixed`` any fixed utilities,
    ``provenance`` how the fit was made (package version, model, formula, method).
    Standard errors come from the inverse of the negative Hessian, as R ``games`` reports.

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12
    >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
    >>> list(fit.params.index)  # doctest: +NORMALIZE_WHITESPACE
    ['u1(~esc):(Intercept)', 'u1(~esc):s_wt_re1', 'u1(esc,war):(Intercept)',
     'u2(esc,war):(Intercept)', 'u2(esc,war):balanc']
    >>> bool(fit.converged), fit.nobs
    (True, 313)
    """

    def __init__(
        self,
        *,
        model_name,
        formula,
        link,
        error,
        names,
        maximum,
        model,
        design,
        y,
        matrices,
        levels,
        fixed,
        refit=None,
    ) -> None:
        self.model_name = model_name
        self.formula = formula
        self.link = link
        self.error = error
        self.levels = tuple(levels)
        self.fixed = dict(fixed)
        self._model = model
        self._design = design
        self._y = y
        self._matrices = matrices
        self._maximum = maximum
        self._refit = refit  # refit(data, start=...) -> a new fit (for the bootstrap)
        from bargain._version import __version__

        #: how the fit was made (DESIGN.md: results carry provenance)
        self.provenance = {
            "bargain": __version__,
            "model": model_name,
            "formula": formula,
            "link": link,
            "error": error,
            "method": maximum.method,
            "cov": maximum.cov,
            "fixed": dict(fixed),
        }
        names = list(names)
        self.params = pd.Series(maximum.x, index=names, name="params")
        self.converged = bool(maximum.converged)
        self.iterations = int(maximum.iterations)
        self.grad_norm = float(maximum.grad_norm)
        self._llf_obs = None  # per observation, computed when first asked for
        self.llf = float(maximum.llf)
        self.nobs = len(y)
        self.n_dropped = int(design.n_dropped)
        k = len(names)
        self.df_model = k
        self.aic = -2.0 * self.llf + 2.0 * k
        self.bic = -2.0 * self.llf + np.log(self.nobs) * k
        self._names = names
        # the covariance and what follows from it are computed when first asked for: a
        # fit (and each bootstrap refit) needs none of them
        self._hessian = maximum.hessian

    @functools.cached_property
    def _cov(self) -> pd.DataFrame:
        k, names = len(self._names), self._names
        cov = np.full((k, k), np.nan)
        if k:
            try:
                cov = np.linalg.inv(-self._hessian)
            except np.linalg.LinAlgError:
                pass
        return pd.DataFrame(cov, index=names, columns=names)

    @functools.cached_property
    def bse(self) -> pd.Series:
        """Standard errors: square roots of the diagonal of :meth:`cov_params`."""
        diag = np.diag(self._cov.to_numpy()).copy()
        diag[~(diag > 0)] = np.nan
        return pd.Series(np.sqrt(diag), index=self._names, name="bse")

    @functools.cached_property
    def tvalues(self) -> pd.Series:
        """z statistics: ``params / bse``."""
        return (self.params / self.bse).rename("tvalues")

    @functools.cached_property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values of the z statistics (standard normal)."""
        z = np.abs(self.tvalues.to_numpy())
        return pd.Series(2.0 * special.ndtr(-z), index=self._names, name="pvalues")

    @property
    def llf_obs(self) -> np.ndarray:
        """Log-likelihood of each observation at the estimates (sums to ``llf``)."""
        if self._llf_obs is None:
            self._llf_obs = self._model.loglik_obs(self._maximum.x, self._y, self._matrices)
        return self._llf_obs

    # -- inference ------------------------------------------------------------------
    def cov_params(self, *, kind: str = "hessian") -> pd.DataFrame:
        """Covariance of the estimates.

        Parameters
        ----------
        kind : {"hessian", "sandwich"}
            Inverse negative Hessian (default, as R ``games``), or the robust sandwich
            ``H⁻¹ (Σ sᵢ sᵢᵀ) H⁻¹`` from the per-observation scores (Huber–White).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
        >>> fit.cov_params().shape, fit.cov_params(kind="sandwich").shape
        ((5, 5), (5, 5))
        """
        if kind == "hessian":
            return self._cov.copy()
        if kind != "sandwich":
            raise ParameterError("kind", f"must be 'hessian' or 'sandwich', got {kind!r}")
        s = self._model.score_obs(self.params.to_numpy(), self._y, self._matrices)
        bread = self._cov.to_numpy()
        return pd.DataFrame(
            bread @ (s.T @ s) @ bread, index=self._cov.index, columns=self._cov.columns
        )

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals at level ``1 - alpha``.

        Parameters
        ----------
        alpha : float

        Returns
        -------
        pandas.DataFrame
            Columns ``lower`` and ``upper``.

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> ci = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800()).conf_int()
        >>> bool((ci["lower"] < ci["upper"]).all())
        True
        """
        if not 0 < alpha < 1:
            raise ParameterError("alpha", f"must lie in (0, 1), got {alpha}")
        z = stats.norm.ppf(1 - alpha / 2)
        return pd.DataFrame(
            {"lower": self.params - z * self.bse, "upper": self.params + z * self.bse}
        )

    def profile(self, name: str, *, n: int = 11, width: float = 3.0, values=None):
        """Profile log-likelihood of one parameter.

        At each value of `name` the other parameters are refitted (BFGS and Newton from
        the neighbouring point's optimum).  Twice the drop from the maximum, ``lr``, is
        asymptotically χ²(1): values with ``lr < 3.84`` form a 95% profile-likelihood
        interval, which need not be symmetric like the Wald one.

        Parameters
        ----------
        name : str
            A parameter, as in ``params.index``.
        n : int
            Grid points (with the default grid).
        width : float
            The default grid spans ``estimate ± width · bse``.
        values : sequence of float, optional
            The grid itself.

        Returns
        -------
        pandas.DataFrame
            Columns `name`, ``llf``, ``lr`` and ``converged``.

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
        >>> prof = fit.profile("u2(esc,war):balanc", n=5)
        >>> list(prof.columns), bool(prof["converged"].all())
        (['u2(esc,war):balanc', 'llf', 'lr', 'converged'], True)
        >>> bool(abs(prof["lr"][2]) < 1e-8), bool((prof["lr"].drop(2) > 1e-3).all())
        (True, True)
        """
        from bargain.estimate._profile import profile_likelihood

        return profile_likelihood(self, name, n=n, width=width, values=values)

    # -- prediction -----------------------------------------------------------------
    def predict(self, newdata: pd.DataFrame | None = None, *, kind: str = "outcome"):
        """Predicted probabilities of each outcome, or of each action at its node.

        Parameters
        ----------
        newdata : pandas.DataFrame, optional
            Regressor values (the fitting rows if omitted); factor levels are coded as in
            the fit.
        kind : {"outcome", "action"}

        Returns
        -------
        pandas.DataFrame
            One row per observation; columns ``Pr(<outcome>)`` or ``Pr(<action>|...)``.

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
        >>> p = fit.predict(load_war1800().head(2))
        >>> list(p.columns), bool(abs(p.sum(axis=1) - 1).max() < 1e-12)
        (['Pr(~esc)', 'Pr(esc,~war)', 'Pr(esc,war)'], True)
        """
        from bargain.estimate._design import design_matrices

        if kind not in ("outcome", "action"):
            raise ParameterError("kind", f"must be 'outcome' or 'action', got {kind!r}")
        if newdata is None:
            mats, index = self._matrices, self._design.index
        else:
            mats = self._model.arrange(design_matrices(self._design, newdata))
            index = newdata.index
        theta = self.params.to_numpy()
        f = self._model.outcome_probs if kind == "outcome" else self._model.action_probs
        out = f(theta, mats)
        out.index = index
        return out

    # -- text -----------------------------------------------------------------------
    def summary(self) -> str:
        """A coefficient table with fit statistics, as text.

        Returns
        -------
        str

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> print(egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800()).summary())
        ... # doctest: +ELLIPSIS
        Strategic model egame12 (probit link, agent error)
        ...
        Log-likelihood: -3...
        """
        table = pd.DataFrame(
            {
                "Estimate": self.params,
                "Std. Error": self.bse,
                "z value": self.tvalues,
                "Pr(>|z|)": self.pvalues,
            }
        )
        lines = [
            f"Strategic model {self.model_name} ({self.link} link, {self.error} error)",
            f"Formula: {self.formula}",
            "",
            table.to_string(float_format=lambda v: f"{v: .5f}"),
        ]
        for name, value in self.fixed.items():
            lines.append(f"fixed: {name} = {value:g}")
        dropped = f" ({self.n_dropped} dropped for missing values)" if self.n_dropped else ""
        state = "yes" if self.converged else "NO"
        lines += [
            "",
            f"Log-likelihood: {self.llf:.4f}   AIC: {self.aic:.4f}   BIC: {self.bic:.4f}",
            f"Observations: {self.nobs}{dropped}",
            f"Converged: {state} (gradient norm {self.grad_norm:.2e}, "
            f"{self.iterations} iterations)",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<StrategicResults {self.model_name} {self.link}/{self.error}: "
            f"{len(self.params)} parameters, nobs={self.nobs}, llf={self.llf:.4f}>"
        )

    def to_latex(self, *others: StrategicResults, **options) -> str:
        """A booktabs regression table of this fit and `others`, side by side.

        Parameters
        ----------
        *others : StrategicResults
            More fits, one column each.
        **options
            Passed to :func:`bargain.estimate.latex_table` (``model_names``, ``digits``,
            ``stars``, ``caption``, ``label``).

        Returns
        -------
        str

        Examples
        --------
        >>> from bargain.datasets import load_war1800
        >>> from bargain.estimate import egame12
        >>> fit = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", load_war1800())
        >>> print(fit.to_latex().splitlines()[0])
        \\begin{table}[htbp]
        """
        from bargain.estimate.latex import latex_table

        return latex_table([self, *others], **options)
