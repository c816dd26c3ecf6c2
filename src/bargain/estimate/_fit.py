"""Maximum likelihood: BFGS then Newton polish, the Hessian, binary regressions.

Every loop is bounded; a fit that does not reach the gradient tolerance is returned with
``converged=False`` and an :class:`EstimationWarning`, never a hang.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from bargain.estimate._links import link_cdf, link_pdf

__all__ = [
    "EstimationWarning",
    "Maximum",
    "binary_regression",
    "conclude",
    "hessian",
    "maximize",
    "newton",
    "warm_start",
]


class EstimationWarning(UserWarning):
    """A fit did not converge, or its Hessian is not negative definite.

    Examples
    --------
    >>> issubclass(EstimationWarning, UserWarning)
    True
    """


@dataclass(frozen=True)
class Maximum:
    """Where the maximization stopped."""

    x: np.ndarray
    llf: float
    grad_norm: float
    hessian: np.ndarray
    converged: bool
    iterations: int
    message: str
    method: str = "maximum likelihood: BFGS, then Newton steps to the gradient tolerance"
    cov: str = "inverse negative Hessian (finite differences of the analytic gradient)"


def hessian(grad: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Central finite differences of an analytic gradient, symmetrized."""
    k = x.size
    out = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(x[j]))
        up, dn = x.copy(), x.copy()
        up[j] += h
        dn[j] -= h
        out[:, j] = (grad(up) - grad(dn)) / (2.0 * h)
    return 0.5 * (out + out.T)


def maximize(
    value_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    *,
    tol: float = 1e-6,
    maxiter: int = 2000,
    newton_steps: int = 50,
) -> Maximum:
    """Maximize a log-likelihood from `start` until its gradient's norm is below `tol`.

    `value_and_grad` returns the log-likelihood and its gradient in one pass.  BFGS
    (scipy) does the long walk; Newton steps with the finite-difference Hessian of the
    analytic gradient (and step halving) polish the answer.
    """
    x = np.asarray(start, dtype=float).copy()

    def loglik(b):
        return value_and_grad(b)[0]

    def grad(b):
        return value_and_grad(b)[1]

    if x.size == 0:
        return Maximum(x, float(loglik(x)), 0.0, np.zeros((0, 0)), True, 0, "no parameters")

    def f(b):
        v, g = value_and_grad(b)
        if not np.isfinite(v):
            return np.inf, np.zeros_like(b)
        return -v, -g

    res = optimize.minimize(
        f, x, jac=True, method="BFGS", options={"gtol": tol / 10, "maxiter": maxiter}
    )
    x = res.x
    iterations = int(res.nit)
    value = float(loglik(x))
    g = grad(x)
    for _ in range(min(newton_steps, maxiter)):
        if np.linalg.norm(g) < tol:
            break
        H = hessian(grad, x)
        try:
            step = np.linalg.solve(H, -g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or step @ g <= 0:  # not an ascent direction
            step = g / max(1.0, np.linalg.norm(g))
        t = 1.0
        for _ in range(40):
            trial = x + t * step
            v = float(loglik(trial))
            if np.isfinite(v) and v >= value - 1e-12 * max(1.0, abs(value)):
                break
            t *= 0.5
        else:
            break
        x, value = trial, v
        g = grad(x)
        iterations += 1
    return conclude(x, value, g, hessian(grad, x), iterations, tol)


_NEWTON = "maximum likelihood: Newton steps on the analytic Hessian to the gradient tolerance"
_ANALYTIC = "inverse negative Hessian (analytic)"


def conclude(x, value, g, H, iterations, tol, *, analytic=False) -> Maximum:
    """The :class:`Maximum` at `x`, warning if the gradient is above `tol` or the
    Hessian `H` is not negative definite."""
    norm = float(np.linalg.norm(g))
    converged = norm < tol
    message = (
        "gradient norm below tolerance"
        if converged
        else (f"gradient norm {norm:.3g} after {iterations} iterations (tolerance {tol:g})")
    )
    if not converged:
        warnings.warn(f"fit did not converge: {message}", EstimationWarning, stacklevel=4)
    else:
        eig = np.linalg.eigvalsh(-H)
        if not np.all(np.isfinite(eig)) or eig.min() <= 1e-8 * max(1.0, eig.max()):
            warnings.warn(
                "the Hessian is not negative definite (numerically singular or worse); the "
                "parameters may not be locally identified",
                EstimationWarning,
                stacklevel=4,
            )
    if analytic:
        return Maximum(x, value, norm, H, converged, iterations, message, _NEWTON, _ANALYTIC)
    return Maximum(x, value, norm, H, converged, iterations, message)


def _ascent_step(H, g):
    """Newton step ``−H⁻¹ g``, with ``−H`` shifted until positive definite if needed."""
    A = -H
    scale = max(1.0, float(np.max(np.abs(np.diag(A))))) if A.size else 1.0
    mu = 0.0
    for _ in range(30):
        try:
            L = np.linalg.cholesky(A + mu * np.eye(len(g)))
        except np.linalg.LinAlgError:
            mu = max(1e-10 * scale, 10.0 * mu)
            continue
        step = np.linalg.solve(L.T, np.linalg.solve(L, g))
        if np.all(np.isfinite(step)):
            return step
        mu = max(1e-10 * scale, 10.0 * mu)
    return g / max(1.0, float(np.linalg.norm(g)))


def newton(
    fun: Callable[[np.ndarray, bool], tuple[float, np.ndarray, np.ndarray]],
    start: np.ndarray,
    *,
    tol: float = 1e-6,
    maxiter: int = 2000,
    fallback: Callable[[np.ndarray], tuple[float, np.ndarray]] | None = None,
) -> Maximum:
    """Maximize with Newton steps on an analytic Hessian, from `start`.

    ``fun(x, hess)`` returns the log-likelihood, its gradient and (when `hess`) its
    Hessian in one pass.  Each step solves with the Hessian (shifted towards the
    gradient direction while it is not negative definite) and halves until the
    log-likelihood does not fall; at most ``min(maxiter, 100)`` steps.  If the line
    search stalls above a gradient norm of `tol`, BFGS on ``fallback(x)`` (value and
    gradient) continues from the best point, and the answer's Hessian is again the
    analytic one.
    """
    x = np.asarray(start, dtype=float).copy()
    value, g, H = fun(x, True)
    iterations = 0
    stuck = not np.isfinite(value)
    while not stuck and iterations < min(maxiter, 100) and np.linalg.norm(g) >= tol:
        step = _ascent_step(H, g)
        t = 1.0
        for _ in range(40):
            trial = x + t * step
            v, gt, Ht = fun(trial, True)
            if np.isfinite(v) and v >= value - 1e-12 * max(1.0, abs(value)):
                break
            t *= 0.5
        else:
            stuck = True
            break
        x, value, g, H = trial, v, gt, Ht
        iterations += 1
    # BFGS only when the line search stalled; a Newton walk that used all its steps is
    # running off (a flat or unbounded direction) and is reported as not converged
    if np.linalg.norm(g) >= tol and fallback is not None and stuck:
        best = maximize(fallback, x if np.isfinite(value) else start, tol=tol, maxiter=maxiter)
        value, g, H = fun(best.x, True)
        return conclude(best.x, value, g, H, iterations + best.iterations, tol, analytic=True)
    return conclude(x, value, g, H, iterations, tol, analytic=True)


# the starting regressions stop at this relative step: they are only starts (Newton on
# the full likelihood follows), and Fisher scoring of a probit converges linearly
START_TOL = 1e-3


def binary_regression(
    X: np.ndarray, y: np.ndarray, link: str, *, offset=0.0, maxiter: int = 50
) -> np.ndarray:
    """Probit or logit coefficients of binary `y` on `X` (the two-step starting values).

    Fisher scoring (iteratively reweighted least squares), at most `maxiter` steps; a
    separated sample stops at the bound with large coefficients (they are only starts).
    """
    k = X.shape[1]
    if k == 0 or X.shape[0] == 0:
        return np.zeros(k)
    b = np.zeros(k)
    for _ in range(maxiter):
        z = X @ b + offset
        p = link_cdf(link, z)
        f = link_pdf(link, z)
        v = p * (1.0 - p)
        score = X.T @ (f * (y - p) / v)
        info = X.T @ (X * (f * f / v)[:, None])
        try:
            step = np.linalg.solve(info, score)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, score, rcond=None)[0]
        if not np.all(np.isfinite(step)):
            break
        b = b + step
        if np.max(np.abs(step)) < START_TOL * max(1.0, np.max(np.abs(b))):
            break
    return b


WARM_ROWS = 10_000  # the auxiliary fit's rows (every m-th row of a larger data set)


def warm_start(fun, start, *, tol, maxiter) -> np.ndarray:
    """Starting values from a quiet Newton fit of an auxiliary (subsampled) problem.

    `fun` is as for :func:`newton`; the answer is `start` itself when that fit fails.
    On a large data set each Newton step costs a pass over all rows; a fit on 10,000 of
    them lands close enough that the full fit needs one to three steps.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        try:
            aux = newton(fun, start, tol=tol, maxiter=min(maxiter, 50))
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return np.asarray(start, dtype=float)
    if aux.converged and np.all(np.isfinite(aux.x)):
        return aux.x
    return np.asarray(start, dtype=float)
