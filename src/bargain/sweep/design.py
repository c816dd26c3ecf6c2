"""Designs of experiments over a model's parameters: full grids (samples come later)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from bargain.errors import ParameterError

__all__ = ["grid_points"]


def _axis(name: str, spec: Any, param: Any) -> np.ndarray:
    if (
        isinstance(spec, tuple)
        and len(spec) == 3
        and all(isinstance(v, (int, float)) for v in spec)
    ):
        lo, hi, n = spec
        if int(n) != n or n < 1:
            raise ParameterError(name, f"grid size must be a positive whole number, got {n}")
        values = np.linspace(float(lo), float(hi), int(n))
    else:
        values = np.asarray(spec, dtype=float).ravel()
        if values.size == 0:
            raise ParameterError(name, "grid has no values")
    for v in (values.min(), values.max()):
        param.validate(v)
    if param.integer:
        values = np.unique(np.round(values))
    return values


def grid_points(
    parameters: Any, vary: Mapping[str, Any], **fixed: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Full-factorial grid over the parameters in `vary`, the others at their defaults.

    Parameters
    ----------
    parameters : ParameterSet
    vary : mapping
        Parameter name → ``(low, high, n)`` (``n`` evenly spaced values, ends included) or
        an explicit sequence of values.  Values are checked against the bounds.
    **fixed : float
        Values for parameters that are not varied (defaults otherwise).

    Returns
    -------
    points : numpy.ndarray
        ``(n_points, n_parameters)`` in the ParameterSet's order; the first varied
        parameter changes slowest.
    axes : dict
        Name → grid values.

    Examples
    --------
    >>> from bargain.games.parameters import Parameter, ParameterSet
    >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1)), Parameter("s", 1, (0, 2))])
    >>> pts, axes = grid_points(ps, {"q": (0, 1, 3)}, s=2)
    >>> pts.tolist()
    [[0.0, 2.0], [0.5, 2.0], [1.0, 2.0]]
    """
    if not vary:
        raise ParameterError("vary", "name at least one parameter to vary")
    base = parameters.resolve(**fixed)
    names = list(parameters.names)
    axes = {name: _axis(name, spec, parameters[name]) for name, spec in vary.items()}
    for name in fixed:
        if name in axes:
            raise ParameterError(name, "is both varied and fixed")
    mesh = np.meshgrid(*axes.values(), indexing="ij")
    n = mesh[0].size
    points = np.tile(np.array([base[k] for k in names], dtype=float), (n, 1))
    for name, values in zip(axes, mesh, strict=True):
        points[:, names.index(name)] = values.ravel()
    return points, axes
