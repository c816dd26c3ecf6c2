"""Argument checks shared by the bargaining modules.

Every check converts its argument (to ``float``, a pair of floats, an ``int``) and raises
:class:`bargain.errors.ParameterError` naming the argument and the allowed range when it is
not a finite real number in range.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from bargain.errors import ParameterError

__all__ = [
    "disagreement_pair",
    "discount",
    "grid_decimals",
    "interval",
    "nonnegative",
    "pair",
    "positive",
    "positive_int",
    "probability",
    "real",
    "sympy",
]


def _show(value: Any) -> str:
    """Format a value for an error message (``1.2`` rather than ``np.float64(1.2)``)."""
    try:
        return repr(float(value))
    except (TypeError, ValueError):
        return repr(value)


def real(name: str, value: Any, *, entry: str = "") -> float:
    """Return `value` as a finite ``float`` or raise ParameterError naming `name`.

    `entry` (e.g. ``"entry 1 "``) prefixes the message when `value` is part of `name`.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        # numpy scalars are registered as numbers.Real; strings, None, arrays are not
        raise ParameterError(name, f"{entry}must be a real number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ParameterError(name, f"{entry}must be finite, got {_show(value)}")
    return out


def interval(
    name: str,
    value: Any,
    low: float,
    high: float,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """Return `value` as a float in the interval from `low` to `high` (ends open or closed)."""
    out = real(name, value)
    too_low = out <= low if open_low else out < low
    too_high = out >= high if open_high else out > high
    if too_low or too_high:
        left = "(" if open_low else "["
        right = ")" if open_high else "]"
        raise ParameterError(
            name, f"must lie in {left}{low:g}, {high:g}{right}, got {_show(value)}"
        )
    return out


def discount(name: str, value: Any) -> float:
    """Check a discount factor: in (0, 1]."""
    return interval(name, value, 0.0, 1.0, open_low=True)


def probability(name: str, value: Any) -> float:
    """Check a probability: in [0, 1]."""
    return interval(name, value, 0.0, 1.0)


def nonnegative(name: str, value: Any) -> float:
    """Check a finite real number >= 0."""
    out = real(name, value)
    if out < 0:
        raise ParameterError(name, f"must be >= 0, got {_show(value)}")
    return out


def positive(name: str, value: Any) -> float:
    """Check a finite real number > 0."""
    out = real(name, value)
    if out <= 0:
        raise ParameterError(name, f"must be > 0, got {_show(value)}")
    return out


def positive_int(name: str, value: Any) -> int:
    """Check an integer >= 1 (``bool`` and non-integral floats are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ParameterError(name, f"must be an integer >= 1, got {value!r}")
    if value < 1:
        raise ParameterError(name, f"must be an integer >= 1, got {value!r}")
    return int(value)


def pair(name: str, value: Any) -> tuple[float, float]:
    """Two finite real numbers, one per player."""
    try:
        items = [] if isinstance(value, str | bytes | Mapping) else list(value)
    except TypeError:
        items = []
    if not items:
        raise ParameterError(name, f"must be a pair of numbers (one per player), got {value!r}")
    if len(items) != 2:
        raise ParameterError(
            name, f"must be a pair of numbers (one per player), got {len(items)} entries"
        )
    return real(name, items[0], entry="entry 0 "), real(name, items[1], entry="entry 1 ")


def disagreement_pair(
    name: str,
    value: Any,
    *,
    why: str = "the point must lie strictly below the frontier u1 + u2 = 1",
) -> tuple[float, float]:
    """Payoffs in [0, 1) for splitting a unit pie, strictly below the frontier u1 + u2 = 1."""
    b1, b2 = pair(name, value)
    for i, b in enumerate((b1, b2)):
        if not 0 <= b < 1:
            raise ParameterError(name, f"entry {i} must lie in [0, 1), got {b!r}")
    if b1 + b2 >= 1:
        raise ParameterError(
            name,
            f"infeasible: {b1!r} + {b2!r} >= 1; {why}",
        )
    return b1, b2


def grid_decimals(grid: int) -> int:
    """Decimals that print every share ``k / grid`` distinctly (exactly when 6 suffice)."""
    for decimals in range(2, 7):
        if all(round(k / grid, decimals) == k / grid for k in range(grid + 1)):
            return decimals
    return max(2, len(str(grid)))  # 10**-decimals < 1/grid: labels stay distinct


def sympy() -> Any:
    """Import SymPy on first use (the bargaining package must not import it eagerly)."""
    import sympy as sp

    return sp
