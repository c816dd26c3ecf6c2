"""Thresholds: an inequality of a condition solved for one parameter.

An atom ``d >= 0`` (or ``> 0``) in which ``d = a·x + b`` is linear in the parameter ``x``
with a coefficient ``a`` of known sign (from the symbols' assumptions or the bounds) is
equivalent to ``x >= -b/a`` if ``a > 0`` and ``x <= -b/a`` if ``a < 0``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from bargain.errors import BargainError, ParameterError
from bargain.symbolic._inequalities import Atom, decide

__all__ = ["Threshold", "combine", "solve_atom"]

_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}


@dataclass(frozen=True)
class Threshold:
    """``parameter direction expression``, e.g. ``q >= k_G/(M_G + s)``.

    Attributes
    ----------
    parameter : str
        The parameter solved for.
    expression : sympy.Expr
        The critical value (in the other parameters).
    direction : str
        ``">="``, ``">"``, ``"<="`` or ``"<"``: how the parameter must compare with
        `expression` for the condition to hold.  ``">="`` and ``"<="`` mean that at the
        threshold itself (a tie) the condition holds.

    Examples
    --------
    >>> import sympy
    >>> t = Threshold("q", sympy.Rational(1, 3), ">=")
    >>> str(t), t.latex()
    ('q >= 1/3', 'q \\\\geq \\\\frac{1}{3}')
    >>> t.holds(0.4), t.holds(0.3)
    (True, False)
    """

    parameter: str
    expression: Any
    direction: str
    #: where the threshold is valid, when the parameter's coefficient may be zero within the
    #: bounds (e.g. ``q > 0`` for a threshold on ``M_G`` from ``q (M_G + s) >= k_G``);
    #: outside it the inequality does not involve the parameter at all
    valid_where: Any = None

    def __str__(self) -> str:
        text = f"{self.parameter} {self.direction} {self.expression}"
        return text if self.valid_where is None else f"{text} (where {self.valid_where})"

    @property
    def relational(self) -> Any:
        """The threshold as a SymPy relational in the parameter's symbol."""
        x = _symbol_named(self.parameter, self.expression)
        op = {">=": sympy.Ge, ">": sympy.Gt, "<=": sympy.Le, "<": sympy.Lt}[self.direction]
        return op(x, self.expression, evaluate=False)

    def latex(self) -> str:
        """LaTeX of the relation (``q \\geq \\frac{k_G}{M_G + s}``)."""
        text = sympy.latex(self.relational)
        if self.valid_where is None:
            return text
        return text + r" \quad \text{where } " + sympy.latex(self.valid_where)

    def holds(self, value: float, **others: float) -> bool:
        """Whether `value` of the parameter satisfies the threshold.

        Parameters
        ----------
        value : float
            Value of :attr:`parameter`.
        **others : float
            Values of the parameters in :attr:`expression`.

        Raises
        ------
        ParameterError
            If a parameter of the expression has no value.
        """
        missing = sorted(s.name for s in self.expression.free_symbols if s.name not in others)
        if missing:
            raise ParameterError(
                missing[0], f"the threshold for {self.parameter!r} needs its value"
            )
        crit = float(
            self.expression.subs({s: others[s.name] for s in self.expression.free_symbols})
        )
        return {
            ">=": value >= crit,
            ">": value > crit,
            "<=": value <= crit,
            "<": value < crit,
        }[self.direction]


def _symbol_named(name: str, expr: Any) -> Any:
    for s in getattr(expr, "free_symbols", ()):
        if s.name == name:
            return s
    return sympy.Symbol(name, real=True)


def solve_atom(atom: Atom, x: Any, bounds: Mapping) -> Threshold:
    """Solve ``d > 0`` / ``d >= 0`` for the symbol `x`.

    Raises
    ------
    BargainError
        If `d` is not linear in `x` or the sign of its coefficient is not determined by
        the assumptions and bounds.

    Examples
    --------
    >>> import sympy
    >>> q, k = sympy.symbols("q k", positive=True)
    >>> solve_atom((3 * q - k, False), q, {})
    Threshold(parameter='q', expression=k/3, direction='>=', valid_where=None)
    """
    d, strict = atom
    poly = sympy.Poly(sympy.expand(d), x) if d.is_polynomial(x) else None
    if poly is None or poly.degree() != 1:
        raise BargainError(
            f"cannot solve {d} {'>' if strict else '>='} 0 for {x}: it is not linear in {x}"
        )
    a, b = poly.all_coeffs()
    positive, negative = decide(a, True, bounds), decide(-a, True, bounds)
    where = None
    if not (positive or negative):
        # a coefficient that is >= 0 (or <= 0) but may be 0 within the bounds: the
        # threshold holds where it is nonzero, and says so
        if decide(a, False, bounds):
            positive, where = True, sympy.Gt(a, 0)
        elif decide(-a, False, bounds):
            negative, where = True, sympy.Lt(a, 0)
        else:
            raise BargainError(
                f"cannot solve {d} {'>' if strict else '>='} 0 for {x}: the sign of its "
                f"coefficient {a} is not fixed by the parameter bounds"
            )
    crit = sympy.cancel(-b / a)
    direction = ">" if strict else ">="
    if negative:
        direction = _FLIP[direction]
    return Threshold(x.name, crit, direction, where)


def combine(thresholds: Sequence[Threshold], name: str) -> Threshold:
    """One threshold equivalent to the conjunction of `thresholds` (same direction).

    ``x >= a`` and ``x >= b`` give ``x >= Max(a, b)``; mixed strictness keeps the weaker
    symbol only when all agree, otherwise raises.
    """
    if not thresholds:
        raise BargainError(f"no inequality of the condition involves {name!r}")
    if len(thresholds) == 1:
        return thresholds[0]
    dirs = {t.direction for t in thresholds}
    if len(dirs) > 1:
        raise BargainError(
            f"{name!r} is bounded in several directions ({', '.join(sorted(dirs))}); use "
            ".thresholds(name) for each inequality"
        )
    (direction,) = dirs
    exprs = [t.expression for t in thresholds]
    agg = sympy.Max(*exprs) if direction in (">=", ">") else sympy.Min(*exprs)
    wheres = [t.valid_where for t in thresholds if t.valid_where is not None]
    return Threshold(name, agg, direction, sympy.And(*wheres) if wheres else None)
