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
    "discount",
    "disagreement_pair",
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


def real(name: str, value: Any) -> float:
    """Return `value` as a finite ``float`` or raise ParameterError naming `name`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        # numpy scalars are registered as numbers.Real; strings, None, arrays are not
        raise ParameterError(name, f"must be a real number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ParameterError(name, f"must be finite, got {_show(value)}")
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
    """A discount factor in (0, 1]."""
    return interval(name, value, 0.0, 1.0, open_low=True)


def probability(name: str, value: Any) -> float:
    """A probability in [0, 1]."""
    return interval(name, value, 0.0, 1.0)


def nonnegative(name: str, value: Any) -> float:
    """A finite real number ≥ 0."""
    out = real(name, value)
    if out < 0:
        raise ParameterError(name, f"must be >= 0, got {_show(value)}")
    return out


def positive(name: str, value: Any) -> float:
    """A finite real number > 0."""
    out = real(name, value)
    if out <= 0:
        raise ParameterError(name, f"must be > 0, got {_show(value)}")
    return out


def positive_int(name: str, value: Any) -> int:
    """An integer ≥ 1 (``bool`` and non-integral floats are refused)."""
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
            name, f"must be a pair of numbers (one per player), got {len(items)} values"
        )
    return real(f"{name}[0]", items[0]), real(f"{name}[1]", items[1])


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
            raise ParameterError(name, f"entries must lie in [0, 1), got {name}[{i}] = {b!r}")
    if b1 + b2 >= 1:
        raise ParameterError(
            name,
            f"infeasible: {b1!r} + {b2!r} >= 1; {why}",
        )
    return b1, b2


def sympy() -> Any:
    """Import SymPy on first use (the bargaining package must not import it eagerly)."""
    import sympy as sp

    return sp
