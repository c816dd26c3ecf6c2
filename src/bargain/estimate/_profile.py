"""Profile likelihoods: the log-likelihood maximized over the other parameters."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from bargain.errors import ParameterError
from bargain.estimate._fit import maximize

__all__ = ["profile_likelihood"]


def profile_likelihood(fit, name: str, *, n: int = 11, width: float = 3.0, values=None):
    """See :meth:`StrategicResults.profile`."""
    names = list(fit.params.index)
    if name not in names:
        raise ParameterError("name", f"unknown parameter {name!r}; parameters: {names}")
    if not (isinstance(n, int) and n >= 2):
        raise ParameterError("n", f"must be an integer >= 2, got {n!r}")
    j = names.index(name)
    theta = fit.params.to_numpy()
    if values is None:
        se = fit.bse.iloc[j]
        if not np.isfinite(se) or not width > 0:
            raise ParameterError("width", "needs a finite standard error and width > 0")
        values = theta[j] + np.linspace(-width, width, n) * se
    values = np.asarray(values, dtype=float)
    model, y, mats = fit._model, fit._y, fit._matrices
    free = np.arange(theta.size) != j

    def at(b, v):
        full = theta.copy()
        full[free] = b
        full[j] = v
        return full

    rows: dict[int, tuple[float, bool, np.ndarray]] = {}
    # walk outward from the estimate, each point starting at its neighbour's optimum
    order = np.argsort(np.abs(values - theta[j]), kind="stable")
    for i in order:
        v = values[i]
        near = [k for k in rows if np.sign(values[k] - theta[j]) == np.sign(v - theta[j])]
        start = rows[max(near, key=lambda k: abs(values[k] - theta[j]))][2] if near else None
        start = theta[free] if start is None else start

        def value_and_grad(b, v=v):
            full = at(b, v)
            ll = model.loglik_obs(full, y, mats)
            g = model.score_obs(full, y, mats).sum(axis=0)
            return float(ll.sum()), g[free]

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # reported in the `converged` column
            best = maximize(value_and_grad, start, tol=1e-6, maxiter=2000)
        rows[i] = (best.llf, best.converged, best.x)
    llf = np.array([rows[i][0] for i in range(len(values))])
    return pd.DataFrame(
        {
            name: values,
            "llf": llf,
            "lr": 2.0 * (fit.llf - llf),
            "converged": [rows[i][1] for i in range(len(values))],
        }
    )
