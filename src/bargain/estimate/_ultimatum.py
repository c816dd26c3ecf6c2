"""``ultimatum``: the statistical ultimatum game of Ramsay & Signorino (2009).

Player 1 offers ``y`` in ``[min_offer, max_offer]`` (= Q); player 2 accepts when
``y > R2 + ε2`` and player 1 keeps ``Q − y``; on rejection player 1 gets ``R1 + ε1``.
The shocks are logistic with scales ``s1``, ``s2`` and private.  So

    P(accept | y) = Λ(u),   u = (y − R2) / s2,

and player 1's optimal offer solves ``Q − y − R1 − ε1 = s2 (1 + eᵘ)`` (first-order
condition), decreasing in ε1, hence the offer distribution

    F(y) = P(offer ≤ y) = Λ(−g(y)/s1),   g(y) = Q − y − R1 − s2 (1 + eᵘ),

with density ``f = Λ(h) Λ(−h) (1 + eᵘ)/s1`` (``h = g/s1``) inside and atoms
``F(min_offer)`` and ``1 − F(max_offer)`` at the bounds.  The log-likelihood is
``log f`` (or the atom) plus, when acceptance is observed, ``log P(accept | y)`` or its
complement — Ramsay & Signorino (2009), "A Statistical Model of the Ultimatum Game",
working paper, University of Rochester; as in R ``games::ultimatum`` (Kenkel & Signorino
2014, *Journal of Statistical Software* 56(8)).  All logs are evaluated as softplus
terms, so they stay finite.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from bargain.errors import DataError, ParameterError
from bargain.estimate._design import build_design
from bargain.estimate._fit import WARM_ROWS, binary_regression, newton, warm_start
from bargain.estimate._response import dummy_column
from bargain.estimate.results import StrategicResults

__all__ = ["ultimatum"]


def _softplus(x):
    return np.logaddexp(0.0, x)


class _Ultimatum:
    def __init__(self, kx, kz, *, q, lo, both, fixed_s, tol):
        self.kx, self.kz = kx, kz
        self.q, self.lo, self.both, self.tol = q, lo, both, tol
        self.fixed_s = fixed_s  # (log s1 or None, log s2 or None)
        self.k = kx + kz + sum(v is None for v in fixed_s)
        self.levels = ("E(offer)", "Pr(accept)")
        self.accept = None  # the acceptance column (offers are the model's `y`)

    def arrange(self, design_mats):
        return list(design_mats[:2])

    def _split(self, theta):
        b, g = theta[: self.kx], theta[self.kx : self.kx + self.kz]
        rest = list(theta[self.kx + self.kz :])
        ls = [rest.pop(0) if v is None else v for v in self.fixed_s]
        return b, g, ls[0], ls[1]

    def _parts(self, theta, y, a, mats):
        b, g, l1, l2 = self._split(theta)
        s1, s2 = np.exp(l1), np.exp(l2)
        r1, r2 = mats[0] @ b, mats[1] @ g
        u = (y - r2) / s2
        e = np.exp(np.minimum(u, 700.0))
        h = (self.q - y - r1 - s2 * (1.0 + e)) / s1
        at_lo = np.abs(y - self.lo) < self.tol
        at_hi = np.abs(y - self.q) < self.tol
        lam_h, lam_mh = special.expit(h), special.expit(-h)
        # offers: atoms at the bounds, density inside; derivative in h and u
        ll = np.where(
            at_lo,
            -_softplus(h),
            np.where(at_hi, -_softplus(-h), -_softplus(h) - _softplus(-h) + _softplus(u) - l1),
        )
        dh = np.where(at_lo, -lam_h, np.where(at_hi, lam_mh, lam_mh - lam_h))
        du = np.where(at_lo | at_hi, 0.0, special.expit(u))
        dl1 = np.where(at_lo | at_hi, 0.0, -1.0)
        if self.both:
            ll = ll + np.where(a == 1, -_softplus(-u), -_softplus(u))
            du = du + np.where(a == 1, special.expit(-u), -special.expit(u))
        # chain rule: h = g/s1, g = Q − y − R1 − s2 (1 + eᵘ), u = (y − R2)/s2
        d_r1 = -dh / s1
        d_r2 = dh * e / s1 - du / s2
        d_l1 = -dh * h + dl1
        d_l2 = dh * s2 * (-(1.0 + e) + e * u) / s1 - du * u
        return ll, d_r1, d_r2, d_l1, d_l2

    def loglik_obs(self, theta, y, mats):
        return self._parts(theta, y, self.accept, mats)[0]

    def score_obs(self, theta, y, mats):
        _, d1, d2, dl1, dl2 = self._parts(theta, y, self.accept, mats)
        cols = [d1[:, None] * mats[0], d2[:, None] * mats[1]]
        for v, d in zip(self.fixed_s, (dl1, dl2), strict=True):
            if v is None:
                cols.append(d[:, None])
        return np.hstack(cols)

    def value_and_grad(self, theta, y, mats):
        return float(self.loglik_obs(theta, y, mats).sum()), self.score_obs(theta, y, mats).sum(
            axis=0
        )

    def outcome_probs(self, theta, mats) -> pd.DataFrame:
        """Expected offer and probability of acceptance, by Gauss–Legendre quadrature."""
        b, g, l1, l2 = self._split(theta)
        s1, s2 = np.exp(l1), np.exp(l2)
        r1, r2 = (mats[0] @ b)[:, None], (mats[1] @ g)[:, None]
        x, w = np.polynomial.legendre.leggauss(200)
        half = (self.q - self.lo) / 2.0
        grid = self.lo + half * (x + 1.0)

        def cdf(y):
            u = np.minimum((y - r2) / s2, 700.0)
            return special.expit(-(self.q - y - r1 - s2 * (1.0 + np.exp(u))) / s1)

        def p_acc(y):
            return special.expit((y - r2) / s2)

        f_lo, f_hi = cdf(self.lo)[:, 0], cdf(self.q)[:, 0]
        mean = self.lo + half * ((1.0 - cdf(grid)) @ w)
        u = np.minimum((grid - r2) / s2, 700.0)
        hh = (self.q - grid - r1 - s2 * (1.0 + np.exp(u))) / s1
        dens = special.expit(hh) * special.expit(-hh) * (1.0 + np.exp(u)) / s1
        acc = (
            f_lo * p_acc(self.lo)[:, 0]
            + half * ((dens * p_acc(grid)) @ w)
            + (1.0 - f_hi) * p_acc(self.q)[:, 0]
        )
        return pd.DataFrame({"E(offer)": mean, "Pr(accept)": acc})

    action_probs = outcome_probs


def ultimatum(
    formula: str,
    data: pd.DataFrame,
    *,
    max_offer: float,
    min_offer: float = 0.0,
    s1: float | None = None,
    s2: float | None = None,
    outcome: str = "both",
    offer_tol: float = 1.4901161193847656e-08,
    tol: float = 1e-6,
    maxiter: int = 2000,
) -> StrategicResults:
    """Fit the statistical ultimatum game (Ramsay & Signorino 2009).

    Parameters
    ----------
    formula : str
        ``"offer + accept ~ R1 | R2"``: the offer column and the 0/1 acceptance column
        (``"offer ~ R1 | R2"`` with ``outcome="offer"``), then the regressors of player
        1's and player 2's reservation values.
    data : pandas.DataFrame
    max_offer, min_offer : float
        The feasible offers; offers within `offer_tol` of a bound count as the bound.
    s1, s2 : float, optional
        Fix the players' logistic scales (estimated as ``log(s1)``, ``log(s2)`` if None).
    outcome : {"both", "offer"}
        Fit offers and acceptances, or the offers alone.
    offer_tol : float
    tol : float
        Gradient-norm tolerance.
    maxiter : int
        Bound on iterations.

    Returns
    -------
    StrategicResults
        Parameters ``R1:<regressor>``, ``R2:<regressor>``, ``log(s1)``, ``log(s2)``;
        ``predict()`` gives the expected offer and the probability of acceptance.

    Raises
    ------
    DataError
        An offer outside ``[min_offer, max_offer]`` or a non-binary acceptance column.

    Examples
    --------
    >>> from bargain.datasets import load_data_ult
    >>> from bargain.estimate import ultimatum
    >>> fit = ultimatum("offer + accept ~ x1 + x2 + x3 + x4 + w1 + w2 | "
    ...                 "z1 + z2 + z3 + z4 + w1 + w2", load_data_ult(), max_offer=15)
    >>> fit.nobs, round(fit.llf, 3)
    (1500, -3717.679)
    """
    if outcome not in ("both", "offer"):
        raise ParameterError("outcome", f"must be 'both' or 'offer', got {outcome!r}")
    if not (np.isfinite(max_offer) and np.isfinite(min_offer) and min_offer < max_offer):
        raise ParameterError("max_offer", "needs finite min_offer < max_offer")
    for name, v in (("s1", s1), ("s2", s2)):
        if v is not None and not (np.isfinite(v) and v > 0):
            raise ParameterError(name, f"a scale must be positive, got {v}")
    design = build_design(formula, data, n_parts=2, model="ultimatum")
    both = outcome == "both"
    if len(design.lhs) not in (1, 2) or (both and len(design.lhs) != 2):
        raise ParameterError(
            "formula", "the left side is 'offer + accept' (or 'offer' with outcome='offer')"
        )
    y = np.asarray(design.frame[design.lhs[0]], dtype=float)
    if (y > max_offer + offer_tol).any() or (y < min_offer - offer_tol).any():
        raise DataError(design.lhs[0], f"offers must lie in [{min_offer:g}, {max_offer:g}]")
    a = dummy_column(design.frame, design.lhs[1]) if len(design.lhs) == 2 else None
    X, Z = design.matrices
    fixed_s = (None if s1 is None else np.log(s1), None if s2 is None else np.log(s2))
    model = _Ultimatum(
        X.shape[1],
        Z.shape[1],
        q=float(max_offer),
        lo=float(min_offer),
        both=both,
        fixed_s=fixed_s,
        tol=offer_tol,
    )
    model.accept = a
    mats = [X, Z]
    x0 = _start(model, y, a, X, Z, float(max_offer))
    from bargain.estimate._ultimatum_hess import ultimatum_fused, ultimatum_stack

    stacked = ultimatum_stack(model, mats)
    if len(y) > 2 * WARM_ROWS:  # starts from a fit to every m-th row
        every = len(y) // WARM_ROWS
        sub, y_sub = [m[::every] for m in mats], y[::every]
        a_sub = None if a is None else a[::every]
        st_sub = ultimatum_stack(model, sub)
        x0 = warm_start(
            lambda t, hess: ultimatum_fused(model, t, y_sub, a_sub, st_sub, hess),
            x0,
            tol=tol,
            maxiter=maxiter,
        )
    best = newton(
        lambda t, hess: ultimatum_fused(model, t, y, a, stacked, hess),
        x0,
        tol=tol,
        maxiter=maxiter,
        fallback=lambda t: model.value_and_grad(t, y, mats),
    )
    names = [f"R1:{c}" for c in design.names[0]] + [f"R2:{c}" for c in design.names[1]]
    names += [n for n, v in zip(("log(s1)", "log(s2)"), fixed_s, strict=True) if v is None]
    fixed = {
        n: float(v) for n, v in zip(("log(s1)", "log(s2)"), fixed_s, strict=True) if v is not None
    }
    return StrategicResults(
        model_name="ultimatum",
        formula=formula,
        link="logit",
        error="private",
        names=names,
        maximum=best,
        model=model,
        design=design,
        y=y,
        matrices=tuple(mats),
        levels=model.levels,
        fixed=fixed,
        refit=lambda df, start: ultimatum(
            formula,
            df,
            max_offer=max_offer,
            min_offer=min_offer,
            s1=s1,
            s2=s2,
            outcome=outcome,
            offer_tol=offer_tol,
            tol=tol,
            maxiter=maxiter,
        ),
    )


def _start(model, y, a, X, Z, q):
    """Rough starts: R1 by least squares of Q − y; R2 and s2 from a logit of acceptance
    on the offer and Z; scales at the offers' standard deviation otherwise."""
    sd = float(np.log(max(np.std(y, ddof=1), 1e-3)))
    # least squares through the (k, k) normal equations: lstsq on the (n, k) matrix
    # itself took ~8 ms at 1,500 rows (a LAPACK SVD), a third of the whole fit
    b = np.linalg.lstsq(X.T @ X, X.T @ (q - y), rcond=None)[0]
    l2 = sd
    g = np.zeros(Z.shape[1])
    if a is not None:
        c = binary_regression(np.column_stack([y, Z]), a.astype(float), "logit")
        if c[0] > 1e-3:  # P(accept) = Λ((y − Zγ)/s2)
            l2 = -np.log(c[0])
            g = -c[1:] / c[0]
    theta = list(b) + list(g)
    if model.fixed_s[0] is None:
        theta.append(sd)
    if model.fixed_s[1] is None:
        theta.append(l2)
    theta = np.asarray(theta)
    if not np.isfinite(model.loglik_obs(theta, y, [X, Z]).sum()):
        theta[:] = 0.0
    return theta
