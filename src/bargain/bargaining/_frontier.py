"""Pareto frontiers of two-player bargaining problems (private to ``axiomatic``).

Three representations with one small interface (``d``, ``ideal``, ``ray(k)``; ``nash(a)`` on
polygons):

* :class:`Curve` -- a numeric decreasing function ``u2 = f(u1)``; finds its own range;
* :class:`Polygon` -- the frontier of the comprehensive convex hull of points; its methods use
  only ``+ - * /`` and comparisons, so they run on floats and, exactly, on SymPy rationals;
* :class:`SymCurve` -- a SymPy expression in ``u1``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from bargain.bargaining import _validate as v
from bargain.errors import ParameterError, SolverError
from bargain.games.expression import to_sympy

__all__ = [
    "Curve",
    "Polygon",
    "SymCurve",
    "exact",
    "numeric_frontier",
    "symbolic_frontier",
    "weights",
]

_EPS = 2.220446049250313e-16


def weights(value: Any) -> tuple[float, float]:
    """Nash weights: two nonnegative numbers, not both zero, normalized to ``(a, 1 - a)``."""
    if value is None:
        return (0.5, 0.5)
    a, b = v.pair("weights", value)
    if a < 0 or b < 0 or a + b == 0:
        raise ParameterError(
            "weights", f"must be two numbers >= 0, not both zero, got ({a!r}, {b!r})"
        )
    return (a / (a + b), b / (a + b))


def _infeasible(d: tuple[Any, Any], detail: str) -> ParameterError:
    return ParameterError(
        "disagreement",
        f"infeasible: ({d[0]}, {d[1]}) is not strictly below the frontier ({detail})",
    )


def numeric_frontier(frontier: Any, disagreement: Any) -> Curve | Polygon:
    """Dispatch a user's frontier (callable or points) for the numeric solutions."""
    d = v.pair("disagreement", disagreement)
    if type(frontier).__module__.startswith("sympy"):
        raise ParameterError(
            "frontier",
            "got a SymPy object; use the *_symbolic function or pass sympy.lambdify(u1, expr)",
        )
    if callable(frontier):
        return Curve(frontier, d)
    import numpy as np

    try:
        pts = np.asarray(frontier, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(
            "frontier",
            f"must be a callable u2 = f(u1) or an (n, 2) array of points, got {frontier!r}",
        ) from None
    if pts.ndim != 2 or pts.shape[1] != 2 or pts.shape[0] < 1:
        raise ParameterError("frontier", f"points must have shape (n, 2), got {pts.shape}")
    if not np.isfinite(pts).all():
        raise ParameterError("frontier", "points must be finite (found nan or inf)")
    return Polygon([(float(x), float(y)) for x, y in pts], d)


def symbolic_frontier(frontier: Any, disagreement: Any, variable: Any) -> SymCurve | Polygon:
    """Dispatch a frontier for the symbolic twins (expression, Lambda or exact points)."""
    sp = v.sympy()
    d = tuple(exact(x) for x in disagreement)
    if len(d) != 2:
        raise ParameterError("disagreement", f"must be a pair, got {disagreement!r}")
    if isinstance(frontier, sp.Lambda):
        (variable,), frontier = frontier.variables, frontier.expr
    if isinstance(frontier, sp.Basic):
        expr = frontier
        if variable is None:
            free = expr.free_symbols - set().union(*(x.free_symbols for x in d))
            if len(free) != 1:
                raise ParameterError(
                    "variable", f"cannot tell u1 among {sorted(map(str, free))}; pass variable="
                )
            (variable,) = free
        return SymCurve(expr, variable, d)
    if not all(x.is_number for x in d):
        raise ParameterError("disagreement", "must be numbers when the frontier is points")
    pts = [tuple(exact(x) for x in p) for p in frontier]
    if not pts or any(len(p) != 2 or not (p[0].is_number and p[1].is_number) for p in pts):
        raise ParameterError("frontier", "points must be pairs of numbers")
    return Polygon(pts, d)


def exact(x: Any) -> Any:
    """SymPy version of `x`: floats are read as the decimals they print as (0.1 -> 1/10)."""
    sp = v.sympy()
    if isinstance(x, float):
        return sp.Rational(repr(x))
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    return to_sympy(x, where="value")


def _truth(x: Any) -> Any:
    """A comparison's result as a SymPy boolean (Python bools from numeric operands)."""
    sp = v.sympy()
    if isinstance(x, bool):
        return sp.true if x else sp.false
    return x


class Curve:
    """A numeric decreasing frontier ``u2 = f(u1)`` on ``[d1, u1_max]``."""

    def __init__(self, f: Callable[[float], float], d: tuple[float, float]) -> None:
        self.f, self.d = f, d
        d1, d2 = d
        top = self(d1)
        if math.isnan(top):
            raise ParameterError("frontier", f"is not defined (or not finite) at u1 = d1 = {d1!r}")
        if not top > d2:
            raise _infeasible(d, f"f(d1) = {top!r} <= d2")
        self.u1_max, self.vertical_end = self._right_end()
        self.ideal = (self.u1_max, top)
        self._check_decreasing()

    def __call__(self, u1: float) -> float:
        """``f(u1)`` as a float; ``nan`` where ``f`` fails or is not finite."""
        import numpy as np

        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                raw = self.f(u1)
        except (ArithmeticError, ValueError):
            return math.nan
        if isinstance(raw, complex) or np.iscomplexobj(raw):
            return math.nan  # e.g. a negative number to a fractional power: outside the domain
        try:
            y = float(raw)
        except (TypeError, ValueError):
            raise ParameterError(
                "frontier", f"must return a real number, got {raw!r} at u1 = {u1!r}"
            ) from None
        return y if math.isfinite(y) else math.nan

    def _right_end(self) -> tuple[float, bool]:
        """Find ``U1`` with ``f(U1) = d2`` (or where ``f`` stops being defined)."""
        from scipy.optimize import brentq

        d1, d2 = self.d
        lo, step = d1, max(1.0, abs(d1))
        for _ in range(200):
            hi = lo + step
            y = self(hi)
            if math.isnan(y) or y <= d2:
                break
            lo, step = hi, 2 * step
        else:
            raise ParameterError(
                "frontier",
                f"stays above d2 = {d2!r} for every u1 up to {hi:.3g}; the feasible set must "
                "be bounded",
            )
        for _ in range(2000):  # bisect towards the end of f's domain
            if not math.isnan(self(hi)) or hi - lo <= 4 * _EPS * max(abs(lo), abs(hi)):
                break
            mid = 0.5 * (lo + hi)
            y = self(mid)
            if math.isnan(y):
                hi = mid
            elif y <= d2:
                hi = mid
                break
            else:
                lo = mid
        if math.isnan(self(hi)):
            return lo, True  # the frontier ends above d2: a vertical drop at u1 = lo
        if self(hi) == d2:
            return hi, False
        root = brentq(lambda u: self(u) - d2, lo, hi, xtol=4 * _EPS * max(abs(lo), abs(hi), 1e-300))
        return float(root), False

    def _check_decreasing(self) -> None:
        d1, u1_max = self.d[0], self.u1_max
        xs = [d1 + (u1_max - d1) * k / 32 for k in range(33)]
        ys = [self(x) for x in xs]
        for (x0, y0), (x1, y1) in itertools.pairwise(zip(xs, ys, strict=True)):
            if math.isnan(y1) or y1 > y0 + 1e-12 * (1 + abs(y0)):
                raise ParameterError(
                    "frontier",
                    f"must be a decreasing function defined on [{d1:g}, {u1_max:g}]; "
                    f"f({x0:g}) = {y0:g} but f({x1:g}) = {y1:g}",
                )

    def nash(self, a: float) -> tuple[float, float]:
        """Maximize ``a ln(u1 - d1) + (1 - a) ln(f(u1) - d2)``; see ``nash_solution``."""
        from scipy.optimize import brentq, minimize_scalar

        (d1, d2), u1_max = self.d, self.u1_max
        if a == 0 or a == 1:
            u1 = d1 if a == 0 else u1_max
            return u1, self(u1)

        def neg_log(u: float) -> float:
            gap = self(u) - d2
            if u <= d1 or not gap > 0:
                return math.inf
            return -(a * math.log(u - d1) + (1 - a) * math.log(gap))

        grid = [d1 + (u1_max - d1) * k / 64 for k in range(65)]
        k = min(range(1, 64), key=lambda i: neg_log(grid[i]))
        res = minimize_scalar(
            neg_log, bounds=(grid[k - 1], grid[k + 1]), method="bounded",
            options={"xatol": 1e-12 * max(1.0, abs(u1_max))},
        )  # fmt: skip
        u1 = float(res.x)
        h = 1e-5 * max(u1_max - d1, abs(u1))

        def foc(u: float) -> float:  # > 0 left of the maximum, < 0 right of it
            slope = (self(u + h) - self(u - h)) / (2 * h)
            return a * (self(u) - d2) + (1 - a) * slope * (u - d1)

        width = 1e-4 * (u1_max - d1)
        lo, hi = max(u1 - width, d1 + 2 * h), min(u1 + width, u1_max - 2 * h)
        if lo < hi and foc(lo) > 0 > foc(hi):  # nan fails both tests: keep Brent's point
            polished = float(brentq(foc, lo, hi, xtol=4 * _EPS * max(abs(lo), abs(hi), 1e-300)))
            # near a kink the difference quotient straddles it: keep Brent's point if the
            # polished one is worse by more than rounding
            if neg_log(polished) <= neg_log(u1) + 1e-12 * max(1.0, abs(neg_log(u1))):
                u1 = polished
        return u1, self(u1)

    def ray(self, k: float) -> tuple[float, float]:
        """Return the last feasible point on ``u2 - d2 = k (u1 - d1)``."""
        from scipy.optimize import brentq

        (d1, d2), u1_max = self.d, self.u1_max

        def gap(u: float) -> float:
            return self(u) - d2 - k * (u - d1)

        if gap(u1_max) >= 0:  # the ray leaves through the vertical end
            return u1_max, d2 + k * (u1_max - d1)
        u1 = float(brentq(gap, d1, u1_max, xtol=4 * _EPS * max(abs(d1), abs(u1_max), 1e-300)))
        return u1, self(u1)


class Polygon:
    """Frontier of the comprehensive convex hull of points, restricted to ``u >= d``."""

    def __init__(self, points: list[tuple[Any, Any]], d: tuple[Any, Any]) -> None:
        self.d = d
        d1, d2 = d
        verts = _pareto_hull(points)
        if not d1 < verts[-1][0]:
            raise _infeasible(d, f"no feasible point has u1 > d1; max u1 = {verts[-1][0]}")
        top = _height(verts, d1)
        if not top > d2:
            raise _infeasible(d, f"the frontier at u1 = d1 is {top} <= d2")
        chain = [(d1, top)]
        for x, y in verts:
            if x <= d1:
                continue
            if y <= d2:
                (x0, y0) = chain[-1]
                xc = x0 + (x - x0) * (y0 - d2) / (y0 - y)
                chain.append((xc, d2))
                break
            chain.append((x, y))
        self.chain = chain  # u1 increasing, u2 non-increasing, concave
        self.ideal = (chain[-1][0], top)

    def nash(self, a: Any) -> tuple[Any, Any]:
        """Maximize ``a ln(u1 - d1) + (1 - a) ln(u2 - d2)`` (concave along the chain)."""
        d1, d2 = self.d
        for (x0, y0), (x1, y1) in itertools.pairwise(self.chain):
            beta = (y0 - y1) / (x1 - x0)
            if a * (y0 - d2) - (1 - a) * beta * (x0 - d1) <= 0:
                return (x0, y0)  # the log Nash product decreases from here on
            if beta > 0:
                level = y0 + beta * (x0 - d1)  # the segment's line at u1 = d1
                x = d1 + a * (level - d2) / beta
                if x < x1:
                    return (x, y0 - beta * (x - x0))
        return self.chain[-1]

    def ray(self, k: Any) -> tuple[Any, Any]:
        """Return the last feasible point on ``u2 - d2 = k (u1 - d1)``."""
        d1, d2 = self.d
        for (x0, y0), (x1, y1) in itertools.pairwise(self.chain):
            g0, g1 = y0 - d2 - k * (x0 - d1), y1 - d2 - k * (x1 - d1)
            if g1 <= 0:
                t = g0 / (g0 - g1)
                return (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
        x_end = self.chain[-1][0]
        return (x_end, d2 + k * (x_end - d1))


def _pareto_hull(points: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Vertices of the Pareto frontier of the comprehensive convex hull, u1 increasing."""
    upper: list[tuple[Any, Any]] = []
    for p in sorted(set(points)):
        while len(upper) >= 2:
            (ox, oy), (ax, ay) = upper[-2], upper[-1]
            if (ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) >= 0:
                upper.pop()  # not a right turn: upper[-1] is not a vertex of the upper hull
            else:
                break
        upper.append(p)
    top = max(y for _, y in upper)
    start = max(i for i, (_, y) in enumerate(upper) if y == top)
    return upper[start:]


def _height(verts: list[tuple[Any, Any]], u1: Any) -> Any:
    """Frontier height at ``u1 < verts[-1][0]``: flat left of the first vertex."""
    if u1 <= verts[0][0]:
        return verts[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(verts):
        if u1 <= x1:
            return y0 + (y1 - y0) * (u1 - x0) / (x1 - x0)
    raise AssertionError("u1 beyond the frontier")  # pragma: no cover


class SymCurve:
    """A SymPy frontier ``u2 = expr(var)``."""

    def __init__(self, expr: Any, var: Any, d: tuple[Any, Any]) -> None:
        sp = v.sympy()
        self.expr, self.var, self.d = expr, var, d
        d1, d2 = d
        top = sp.simplify(expr.subs(var, d1))
        if _truth(top > d2) is sp.false:
            raise _infeasible(d, f"f(d1) = {top} <= d2")
        self.u1_max = self.root(expr - d2, "where the frontier meets u2 = d2", upper=None)
        self.ideal = (self.u1_max, top)

    def root(self, equation: Any, what: str, upper: Any = "u1_max") -> Any:
        """Return the unique admissible root of `equation` in ``var`` (``d1 <= u1 <= u1_max``)."""
        sp = v.sympy()
        d1 = self.d[0]
        hi = self.u1_max if upper == "u1_max" else None
        keep = []
        for s in sp.solve(equation, self.var):
            if s.is_real is False:
                continue
            try:
                ok = [_truth(s >= d1)] + ([_truth(s <= hi)] if hi is not None else [])
            except TypeError:  # comparison with a non-real number
                continue
            if all(c is not sp.false for c in ok):
                keep.append(sp.simplify(s))
        if len(keep) != 1:
            found = "no admissible root" if not keep else f"several candidates {keep}"
            raise SolverError(
                f"{what}: {found} for u1 in [d1, U1]; give the symbols assumptions "
                "(e.g. positive=True) or substitute numbers"
            )
        return keep[0]

    def on_line(self, k: Any) -> tuple[Any, Any]:
        """Return the frontier point on ``u2 - d2 = k (u1 - d1)``."""
        sp = v.sympy()
        d1, d2 = self.d
        ray = self.expr - d2 - k * (self.var - d1)
        u1 = self.root(ray, "where the frontier meets the ray from d")
        return u1, sp.simplify(d2 + k * (u1 - d1))
