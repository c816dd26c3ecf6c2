"""Axiomatic bargaining solutions: Nash, Kalai–Smorodinsky, egalitarian.

A bargaining problem is a feasible set of utility pairs and a disagreement point
``d = (d1, d2)``.  The feasible set is given by its Pareto frontier, either

* a decreasing function ``u2 = f(u1)`` (the set ``{u : u2 <= f(u1)}``); the functions find the
  range ``d1 <= u1 <= U1`` on which ``f(u1) >= d2`` themselves, by stepping right from ``d1``
  until ``f`` drops to ``d2`` (or stops being defined) and then solving ``f(U1) = d2``; or
* utility points (an ``(n, 2)`` array): the feasible set is their comprehensive convex hull
  (every point weakly below a convex combination) and its frontier is piecewise linear; the
  solutions are computed exactly on it (with exact numbers, in rational arithmetic).

Solutions (``I = (U1, f(d1))`` is the ideal point):

* Nash (1950), generalized with weights ``(a, 1 - a)``: maximize
  ``(u1 - d1)**a * (u2 - d2)**(1 - a)`` over the frontier;
* Kalai & Smorodinsky (1975): the frontier point on the segment from ``d`` to ``I``;
* egalitarian (Kalai 1977): the largest ``t`` with ``(d1 + t, d2 + t)`` feasible; where the
  frontier ends in a vertical drop this point may be only weakly Pareto optimal.

The disagreement point must lie strictly below the frontier (``f(d1) > d2`` and some feasible
``u1 > d1``); otherwise :class:`~bargain.errors.ParameterError` names ``disagreement``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bargain.bargaining import _frontier as fr
from bargain.bargaining import _validate as v

__all__ = [
    "BargainingSolution",
    "egalitarian",
    "egalitarian_symbolic",
    "kalai_smorodinsky",
    "kalai_smorodinsky_symbolic",
    "nash_solution",
    "nash_solution_symbolic",
]

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    #: a decreasing function ``u2 = f(u1)`` or an ``(n, 2)`` array of utility points
    Frontier = Callable[[float], float] | ArrayLike


@dataclass(frozen=True)
class BargainingSolution:
    """A point chosen by an axiomatic bargaining solution.

    Attributes
    ----------
    utilities : tuple
        ``(u1, u2)`` on the frontier.
    solution : str
        ``"nash"``, ``"kalai_smorodinsky"`` or ``"egalitarian"``.
    disagreement : tuple
        ``(d1, d2)``.
    ideal : tuple
        ``(U1, f(d1))``: each player's best feasible utility given the other gets at least
        the disagreement payoff.
    weights : tuple or None
        ``(a, 1 - a)`` for the Nash solution.
    """

    utilities: tuple[Any, Any]
    solution: str
    disagreement: tuple[Any, Any]
    ideal: tuple[Any, Any]
    weights: tuple[Any, Any] | None = None


def nash_solution(
    frontier: Frontier,
    disagreement: tuple[float, float],
    weights: tuple[float, float] | None = None,
) -> BargainingSolution:
    """Generalized Nash bargaining solution (Nash 1950; asymmetric form, Roth 1979).

    Parameters
    ----------
    frontier : callable or array_like of shape (n, 2)
        Decreasing ``u2 = f(u1)``, or utility points (see the module docstring).
    disagreement : pair of float
        ``(d1, d2)``, strictly below the frontier.
    weights : pair of float, optional
        Nonnegative ``(a, b)``, not both zero, normalized to ``(a, 1 - a)``; maximizes
        ``(u1 - d1)**a * (u2 - d2)**(1 - a)``.  Default ``(1/2, 1/2)``.

    Returns
    -------
    BargainingSolution

    Notes
    -----
    A function frontier is assumed concave (a convex feasible set).  The log Nash product is
    maximized on a 64-cell grid and by bounded Brent search in the best cell (accuracy about
    1e-8 relative); the first-order condition, with a central-difference derivative, then
    polishes the point (about 1e-10 for smooth frontiers; kinks are found by bisection).
    On points the answer is exact up to floating rounding.

    Examples
    --------
    >>> [round(u, 9) for u in nash_solution(lambda u1: 1 - u1, (0.2, 0.0)).utilities]
    [0.6, 0.4]
    >>> nash_solution([(0, 1), (1, 0)], (0, 0), weights=(2, 1)).utilities
    (0.6666666666666666, 0.33333333333333337)
    """
    w = fr.weights(weights)
    f = fr.numeric_frontier(frontier, disagreement)
    return _result(f.nash(w[0]), "nash", f, w)


def kalai_smorodinsky(frontier: Frontier, disagreement: tuple[float, float]) -> BargainingSolution:
    """Kalai–Smorodinsky (1975) solution: the frontier point on the line from d to the ideal.

    Parameters
    ----------
    frontier : callable or array_like of shape (n, 2)
        As in :func:`nash_solution`.
    disagreement : pair of float
        ``(d1, d2)``, strictly below the frontier.

    Returns
    -------
    BargainingSolution

    Examples
    --------
    >>> r = kalai_smorodinsky([(0, 1), (0.5, 0.9), (1, 0)], (0, 0))
    >>> [round(u, 12) for u in r.utilities], r.ideal
    ([0.642857142857, 0.642857142857], (1.0, 1.0))
    """
    f = fr.numeric_frontier(frontier, disagreement)
    (d1, d2), (i1, i2) = f.d, f.ideal
    return _result(f.ray((i2 - d2) / (i1 - d1)), "kalai_smorodinsky", f, None)


def egalitarian(frontier: Frontier, disagreement: tuple[float, float]) -> BargainingSolution:
    """Egalitarian solution (Kalai 1977): equal gains ``u1 - d1 = u2 - d2``, as large as feasible.

    Parameters
    ----------
    frontier : callable or array_like of shape (n, 2)
        As in :func:`nash_solution`.
    disagreement : pair of float
        ``(d1, d2)``, strictly below the frontier.

    Returns
    -------
    BargainingSolution

    Examples
    --------
    >>> [round(u, 12) for u in egalitarian(lambda u1: 2 - 2 * u1, (0, 0)).utilities]
    [0.666666666667, 0.666666666667]
    >>> egalitarian([(1, 5)], (0, 0)).utilities  # ends in a vertical drop: weakly Pareto
    (1.0, 1.0)
    """
    f = fr.numeric_frontier(frontier, disagreement)
    return _result(f.ray(1), "egalitarian", f, None)


# -- symbolic twins --------------------------------------------------------------------------


def nash_solution_symbolic(
    frontier: Any, disagreement: Any, weights: Any = None, *, variable: Any = None
) -> BargainingSolution:
    """SymPy twin of :func:`nash_solution`.

    Parameters
    ----------
    frontier : SymPy expression, ``sympy.Lambda`` or sequence of exact points
        An expression ``f(u1)`` (name the variable with `variable` when the expression has
        more than one free symbol), or points with exact coordinates (ints, fractions,
        SymPy rationals; floats are read as the decimals they print as).
    disagreement, weights
        As in :func:`nash_solution`; symbols allowed with an expression frontier.
    variable : SymPy symbol, optional
        The ``u1`` variable of `frontier`.

    Returns
    -------
    BargainingSolution
        With SymPy utilities.

    Raises
    ------
    SolverError
        When the first-order condition has no or several admissible roots (give the
        symbols assumptions, e.g. ``positive=True``, or substitute numbers).

    Examples
    --------
    >>> import sympy as sp
    >>> u, c = sp.symbols("u1 c", positive=True)
    >>> nash_solution_symbolic(c - u, (0, 0), variable=u).utilities
    (c/2, c/2)
    >>> nash_solution_symbolic([(0, 1), (1, 0)], (0, 0), (2, 1)).utilities
    (2/3, 1/3)
    """
    sp = v.sympy()
    if weights is None:
        a = sp.Rational(1, 2)
    else:
        a, b = (fr.exact(x) for x in weights)
        if a.is_number and b.is_number:
            fr.weights((float(a), float(b)))  # validate
        a = a / (a + b)
    f = fr.symbolic_frontier(frontier, disagreement, variable)
    if isinstance(f, fr.Polygon):
        return _result(f.nash(a), "nash", f, (a, 1 - a))
    (d1, d2), u = f.d, f.var
    foc = a * (f.expr - d2) + (1 - a) * sp.diff(f.expr, u) * (u - d1)
    u1 = f.root(foc, "first-order condition of the Nash product")
    return _result((u1, sp.simplify(f.expr.subs(u, u1))), "nash", f, (a, 1 - a))


def kalai_smorodinsky_symbolic(
    frontier: Any, disagreement: Any, *, variable: Any = None
) -> BargainingSolution:
    """SymPy twin of :func:`kalai_smorodinsky` (arguments as in :func:`nash_solution_symbolic`).

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u1", positive=True)
    >>> kalai_smorodinsky_symbolic(1 - u**2, (0, 0), variable=u).utilities
    (-1/2 + sqrt(5)/2, -1/2 + sqrt(5)/2)
    """
    f = fr.symbolic_frontier(frontier, disagreement, variable)
    if isinstance(f, fr.Polygon):
        (d1, d2), (i1, i2) = f.d, f.ideal
        return _result(f.ray((i2 - d2) / (i1 - d1)), "kalai_smorodinsky", f, None)
    (d1, d2), (i1, i2) = f.d, f.ideal
    return _result(f.on_line((i2 - d2) / (i1 - d1)), "kalai_smorodinsky", f, None)


def egalitarian_symbolic(
    frontier: Any, disagreement: Any, *, variable: Any = None
) -> BargainingSolution:
    """SymPy twin of :func:`egalitarian` (arguments as in :func:`nash_solution_symbolic`).

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u1", positive=True)
    >>> egalitarian_symbolic(2 - 2 * u, (0, 0), variable=u).utilities
    (2/3, 2/3)
    """
    f = fr.symbolic_frontier(frontier, disagreement, variable)
    return _result(f.ray(1) if isinstance(f, fr.Polygon) else f.on_line(1), "egalitarian", f, None)


def _result(point: tuple[Any, Any], name: str, f: Any, w: Any) -> BargainingSolution:
    return BargainingSolution((point[0], point[1]), name, tuple(f.d), tuple(f.ideal), w)
