"""War as a commitment problem: Powell (2006).

Two states divide a flow of 1 per period and discount by ``delta``; payoffs are normalized
(``(1 - delta)`` times the discounted sum), so war, which ends the game, is worth its
expected share minus a cost.  The declining state D wins a war at ``t`` with probability
``p_t`` and pays ``cost`` (``kappa``).  The rising state cannot commit to future transfers:
from ``t + 1`` on it can hold D down to D's war value then, ``p_{t+1} - kappa``.  The most D
can get by not fighting at ``t`` is the whole flow now plus that continuation, so D keeps the
peace iff ``(1 - delta) + delta (p_{t+1} - kappa) >= p_t - kappa``, i.e.

    delta (p_t - p_{t+1}) <= (1 - delta)(1 - p_t + kappa).

Large, rapid shifts in power cause war even though both prefer every peaceful division
to fighting.  Phasing a total shift ``omega`` in ``n`` equal steps replaces the shift by
``omega / n``; the right-hand side grows as ``p_t`` falls, so the first step binds and
``n >= delta omega / ((1 - delta)(1 - p_start + kappa))``.

Comparisons and the ceiling are computed in exact rational arithmetic, reading each float
as the decimal it prints as (``0.9`` is 9/10), so boundary cases are decided exactly.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bargain.bargaining import _validate as v
from bargain.errors import ParameterError
from bargain.games.expression import to_sympy

__all__ = [
    "PhasedShift",
    "PowellCondition",
    "phased_shift",
    "phased_shift_symbolic",
    "powell_peace_condition",
    "powell_peace_condition_symbolic",
]


@dataclass(frozen=True)
class PowellCondition:
    """Whether a one-period shift in power is compatible with peace.

    Attributes
    ----------
    peace : bool
        ``delta * shift <= (1 - delta) * (1 - p_now + cost)`` (a SymPy relation for
        :func:`powell_peace_condition_symbolic`).
    max_shift : float
        Largest one-period fall ``p_now - p_next`` compatible with peace.
    shift : float
        ``p_now - p_next`` (negative when D's position improves).
    """

    peace: Any
    max_shift: Any
    shift: Any


@dataclass(frozen=True)
class PhasedShift:
    """Fewest equal steps that shift power by ``omega`` without war.

    Attributes
    ----------
    steps : int
        ``n* = max(1, ceil(bound))``.
    step_size : float
        ``omega / steps``.
    bound : float
        ``delta * omega / ((1 - delta) * (1 - p_start + cost))``.
    """

    steps: Any
    step_size: Any
    bound: Any


def powell_peace_condition(
    delta: float, p_now: float, p_next: float, cost: float
) -> PowellCondition:
    """Powell's (2006) condition for peace under a shift from `p_now` to `p_next`.

    Parameters
    ----------
    delta : float
        Discount factor in (0, 1].
    p_now, p_next : float
        Declining state's probability of winning now and next period, in [0, 1].
    cost : float
        Declining state's cost of war (normalized units), >= 0.

    Returns
    -------
    PowellCondition

    Examples
    --------
    >>> r = powell_peace_condition(0.9, 0.5, 0.45, 0.05)  # 0.9 * 0.05 <= 0.1 * 0.55
    >>> r.peace, round(r.max_shift, 12)
    (True, 0.061111111111)
    >>> powell_peace_condition(0.9, 0.5, 0.4, 0.05).peace
    False
    """
    d = _exact("delta", delta, v.discount)
    now = _exact("p_now", p_now, v.probability)
    nxt = _exact("p_next", p_next, v.probability)
    c = _exact("cost", cost, v.nonnegative)
    room = (1 - d) * (1 - now + c)
    return PowellCondition(d * (now - nxt) <= room, _float(room / d), float(now - nxt))


def powell_peace_condition_symbolic(
    delta: Any, p_now: Any, p_next: Any, cost: Any
) -> PowellCondition:
    """SymPy twin of :func:`powell_peace_condition`.

    Examples
    --------
    >>> import sympy as sp
    >>> d, p0, p1, k = sp.symbols("delta p_t p_t1 kappa", positive=True)
    >>> powell_peace_condition_symbolic(d, p0, p1, k).peace
    delta*(p_t - p_t1) <= (1 - delta)*(kappa - p_t + 1)
    """
    sp = v.sympy()
    d, now, nxt, c = (
        to_sympy(x, where=n)
        for x, n in ((delta, "delta"), (p_now, "p_now"), (p_next, "p_next"), (cost, "cost"))
    )
    room = (1 - d) * (1 - now + c)
    return PowellCondition(sp.Le(d * (now - nxt), room), room / d, now - nxt)


def phased_shift(delta: float, omega: float, p_start: float, cost: float) -> PhasedShift:
    """Fewest equal steps in which D's win probability can fall by `omega` without war.

    Parameters
    ----------
    delta : float
        Discount factor in (0, 1) (with ``delta = 1`` no finite phasing keeps the peace).
    omega : float
        Total fall in D's win probability, in [0, p_start].
    p_start : float
        D's win probability before the shift, in [0, 1].
    cost : float
        D's cost of war, >= 0.

    Returns
    -------
    PhasedShift
        ``steps = max(1, ceil(delta omega / ((1 - delta)(1 - p_start + cost))))``: the first
        step binds (Powell 2006); a bound that is an exact integer needs exactly that many.

    Examples
    --------
    >>> phased_shift(0.9, 0.3, 0.5, 0.05).steps  # 0.27 / 0.055 = 4.9...
    5
    >>> phased_shift(0.5, 0.5, 0.5, 0).steps  # bound exactly 1
    1
    """
    d = _exact("delta", delta, v.discount)
    if d == 1:
        raise ParameterError("delta", "must lie in (0, 1) for phasing, got 1.0")
    start = _exact("p_start", p_start, v.probability)
    w = _exact("omega", omega, v.nonnegative)
    if w > start:
        raise ParameterError(
            "omega", f"must lie in [0, p_start] = [0, {float(start)!r}], got {float(w)!r}"
        )
    c = _exact("cost", cost, v.nonnegative)
    room = (1 - d) * (1 - start + c)
    if room == 0:
        if w > 0:
            raise ParameterError(
                "omega",
                "with p_start = 1 and cost = 0 any fall in power causes war: no number of "
                f"steps keeps the peace (got omega = {float(w)!r} > 0)",
            )
        return PhasedShift(1, 0.0, 0.0)
    bound = d * w / room
    steps = max(1, math.ceil(bound))
    return PhasedShift(steps, float(w / steps), _float(bound))


def phased_shift_symbolic(delta: Any, omega: Any, p_start: Any, cost: Any) -> PhasedShift:
    """SymPy twin of :func:`phased_shift` (``Max(1, ceiling(bound))``).

    Examples
    --------
    >>> import sympy as sp
    >>> d, w, p, k = sp.symbols("delta omega p kappa", positive=True)
    >>> r = phased_shift_symbolic(d, w, p, k)
    >>> r.steps.subs({d: sp.Rational(9, 10), w: sp.Rational(3, 10), p: sp.Rational(1, 2),
    ...               k: sp.Rational(1, 20)})
    5
    """
    sp = v.sympy()
    d, w, start, c = (
        to_sympy(x, where=n)
        for x, n in ((delta, "delta"), (omega, "omega"), (p_start, "p_start"), (cost, "cost"))
    )
    bound = d * w / ((1 - d) * (1 - start + c))
    steps = sp.Max(1, sp.ceiling(bound))
    return PhasedShift(steps, w / steps, bound)


def _float(x: Fraction) -> float:
    """``float(x)``, or ``inf`` when `x` is too large for a float (tiny denominators)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf


def _exact(name: str, value: Any, check: Any) -> Fraction:
    """Validate `value` with `check`; return it exactly (floats read as their decimals)."""
    as_float = check(name, value)
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    return Fraction(repr(as_float))
