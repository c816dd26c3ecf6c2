"""Parameter points for the batch solvers: one validation shared by trees and families.

A batch solver takes a float array of shape ``(n_points, n_params)``; this module checks
it once (shape, finiteness, the declared bounds) with a compiled pass over the array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from bargain.errors import GameShapeError, ParameterError

__all__ = ["check_points"]


def check_points(game: Any, points: Any, param_names: tuple[str, ...]) -> np.ndarray:
    """`points` as a C-contiguous float array ``(n_points, n_params)``, checked.

    Every value must be finite and within its parameter's bounds when `game` declares
    that parameter; the error names the parameter and the first bad point.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> check_points(NormalFormGame([[[1]], [[1]]]), [[0.5]], ("q",)).shape
    (1, 1)
    """
    try:
        pts = np.ascontiguousarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise GameShapeError("points must be a numeric array (n_points, n_params)") from None
    if pts.ndim != 2:
        raise GameShapeError(f"points must be 2-D (n_points, n_params), got shape {pts.shape}")
    if pts.shape[1] != len(param_names):
        raise GameShapeError(
            f"points have {pts.shape[1]} columns but param_names names {len(param_names)} "
            f"parameters ({', '.join(param_names)})"
        )
    big = np.finfo(np.float64).max
    lo = np.full(len(param_names), -big)
    hi = np.full(len(param_names), big)
    ps = game.parameters
    if ps is not None:
        for col, name in enumerate(param_names):
            if name in ps:
                lo[col], hi[col] = ps[name].bounds
    row, col = _first_bad(pts, lo, hi)
    if row >= 0:
        x = pts[row, col]
        if not np.isfinite(x):
            raise ParameterError(param_names[col], f"point {row} has the non-finite value {x}")
        raise ParameterError(
            param_names[col],
            f"point {row} has {x:g}, outside its bounds [{lo[col]:g}, {hi[col]:g}]",
        )
    return pts


@njit(cache=True)
def _first_bad(points, lo, hi):
    """(row, column) of the first NaN or out-of-bounds value, or (-1, -1).

    `lo`, `hi` are finite, so infinities fail the comparisons as NaN does.  A branch-free
    pass over everything first (the common case: all good), then a search.
    """
    n, m = points.shape
    bad = False
    for i in range(n):
        for j in range(m):
            x = points[i, j]
            bad |= (x < lo[j]) | (x > hi[j]) | (x != x)
    if bad:
        for i in range(n):
            for j in range(m):
                x = points[i, j]
                if not (x >= lo[j] and x <= hi[j]):
                    return i, j
    return -1, -1
