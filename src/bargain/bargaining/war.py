"""Bargaining in the shadow of war: Fearon (1995).

Two states, A and B, divide a good of size 1; ``x`` is A's share.  War is a costly lottery:
A wins (and takes everything) with probability ``p``; the states pay costs ``c_A, c_B >= 0``
in units of the good.  Expected war payoffs are ``p - c_A`` for A and ``1 - p - c_B`` for B.

*Complete information.*  A prefers ``x`` to war iff ``x >= p - c_A``; B iff ``x <= p + c_B``.
Every share in ``[p - c_A, p + c_B]`` beats war for both: the bargaining range.

*Private information (screening).*  B's cost is its private information, uniform on
``[0, c_max]``; A makes a take-it-or-leave-it demand ``x``.  A type accepts iff
``c_B >= x - p``, so ``P(war) = (x - p)/c_max`` for ``p <= x <= p + c_max`` and A maximizes
``x (1 - (x - p)/c_max) + (p - c_A)(x - p)/c_max``.  With ``z = x - p`` the first-order
condition gives ``z* = (c_max - c_A)/2``: the risk-return trade-off makes war happen with
positive probability although a peaceful deal exists for every type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bargain.bargaining import _validate as v
from bargain.games.expression import to_sympy

if TYPE_CHECKING:
    from bargain.games.extensive_form import GameTree

__all__ = [
    "FearonRange",
    "FearonScreening",
    "fearon_game",
    "fearon_range",
    "fearon_range_symbolic",
    "fearon_screening",
    "fearon_screening_game",
    "fearon_screening_symbolic",
]


@dataclass(frozen=True)
class FearonRange:
    """Bargaining range: A's shares both sides weakly prefer to war.

    Attributes
    ----------
    low, high : float
        ``max(0, p - cost_a)`` and ``min(1, p + cost_b)``.
    """

    low: Any
    high: Any

    @property
    def width(self) -> Any:
        """``high - low``; equals ``cost_a + cost_b`` when no end is clipped."""
        return self.high - self.low


@dataclass(frozen=True)
class FearonScreening:
    """A's optimal take-it-or-leave-it demand against a B of unknown cost.

    Attributes
    ----------
    demand : float
        A's share demanded.
    war_probability : float
        Probability that B's type rejects the demand.
    payoff_a : float
        A's expected payoff.
    regime : str
        ``"interior"``, ``"no_risk"`` (``cost_a >= cost_b_max``: demand ``p``, no war) or
        ``"whole_good"`` (the interior demand would exceed 1: demand 1); ``"symbolic"`` for
        results of :func:`fearon_screening_symbolic`.
    """

    demand: Any
    war_probability: Any
    payoff_a: Any
    regime: str


def fearon_range(p: float, cost_a: float, cost_b: float) -> FearonRange:
    """Fearon's (1995) bargaining range ``[p - cost_a, p + cost_b]``, clipped to [0, 1].

    Parameters
    ----------
    p : float
        Probability that A wins a war, in [0, 1].
    cost_a, cost_b : float
        Costs of war, >= 0, in units of the good.

    Returns
    -------
    FearonRange
        Shares outside [0, 1] are not feasible, so the range is
        ``[max(0, p - cost_a), min(1, p + cost_b)]``; it always contains ``p``, hence is never
        empty, and it is a single point only when both costs are 0.

    Examples
    --------
    >>> fearon_range(0.6, 0.1, 0.15)
    FearonRange(low=0.5, high=0.75)
    >>> fearon_range(0.95, 0.1, 0.2).high  # clipped at 1
    1.0
    """
    p, ca, cb = _check_range(p, cost_a, cost_b)
    return FearonRange(max(0.0, p - ca), min(1.0, p + cb))


def fearon_range_symbolic(p: Any, cost_a: Any, cost_b: Any) -> FearonRange:
    """SymPy twin of :func:`fearon_range` (``Max``/``Min`` express the clipping).

    Examples
    --------
    >>> import sympy as sp
    >>> p, ca, cb = sp.symbols("p c_A c_B", nonnegative=True)
    >>> fearon_range_symbolic(p, ca, cb).high
    Min(1, c_B + p)
    """
    sp = v.sympy()
    p, ca, cb = (
        to_sympy(x, where=n) for x, n in ((p, "p"), (cost_a, "cost_a"), (cost_b, "cost_b"))
    )
    return FearonRange(sp.Max(0, p - ca), sp.Min(1, p + cb))


def fearon_screening(p: float, cost_a: float, cost_b_max: float) -> FearonScreening:
    """A's optimal demand when B's cost of war is uniform on ``[0, cost_b_max]`` (Fearon 1995).

    Parameters
    ----------
    p : float
        Probability that A wins, in [0, 1].
    cost_a : float
        A's cost of war, >= 0.
    cost_b_max : float
        Upper end ``c_max > 0`` of B's cost distribution.

    Returns
    -------
    FearonScreening

    Notes
    -----
    Interior case: demand ``p + (c_max - c_A)/2``, war probability
    ``(c_max - c_A)/(2 c_max)``.  Corners: if ``c_A >= c_max`` A's payoff falls in the demand
    above ``p``, so A demands ``p`` and every type accepts (war probability 0); if
    ``p + (c_max - c_A)/2 > 1`` the concave payoff is maximized at the largest feasible
    demand, 1, which types with ``c_B < 1 - p`` reject (war probability ``(1 - p)/c_max``).

    Examples
    --------
    >>> r = fearon_screening(0.5, 0.1, 0.3)
    >>> round(r.demand, 12), round(r.war_probability, 12), r.regime
    (0.6, 0.333333333333, 'interior')
    >>> fearon_screening(0.5, 0.4, 0.3).war_probability
    0.0
    """
    p = v.probability("p", p)
    ca = v.nonnegative("cost_a", cost_a)
    cmax = v.positive("cost_b_max", cost_b_max)
    if ca >= cmax:
        z, regime = 0.0, "no_risk"
    elif p + (cmax - ca) / 2 > 1:
        z, regime = 1.0 - p, "whole_good"
    else:
        z, regime = (cmax - ca) / 2, "interior"
    war = z / cmax
    return FearonScreening(p + z, war, (p + z) * (1 - war) + (p - ca) * war, regime)


def fearon_screening_symbolic(p: Any, cost_a: Any, cost_b_max: Any) -> FearonScreening:
    """SymPy twin of :func:`fearon_screening`: ``Piecewise`` over the three regimes.

    Examples
    --------
    >>> import sympy as sp
    >>> p, ca, cm = sp.symbols("p c_A c_max", positive=True)
    >>> r = fearon_screening_symbolic(p, ca, cm)
    >>> r.war_probability.subs({p: 0.5, ca: 0.1, cm: 0.3})
    0.333333333333333
    """
    sp = v.sympy()
    p, ca, cmax = (
        to_sympy(x, where=n) for x, n in ((p, "p"), (cost_a, "cost_a"), (cost_b_max, "cost_b_max"))
    )
    z = sp.Piecewise((0, ca >= cmax), (1 - p, p + (cmax - ca) / 2 > 1), ((cmax - ca) / 2, True))
    war = z / cmax
    payoff = (p + z) * (1 - war) + (p - ca) * war
    fold = sp.piecewise_fold
    return FearonScreening(fold(p + z), fold(war), fold(payoff), "symbolic")


def fearon_game(p: float, cost_a: float, cost_b: float, *, grid: int = 20) -> GameTree:
    """Complete-information crisis bargaining as a :class:`bargain.games.GameTree`.

    A demands ``k / grid`` (``"demand 0.60"``); B chooses ``"accept"`` or ``"war"`` (a chance
    node: ``"A wins"`` with probability ``p``).  Backward induction gives A the largest grid
    demand not above ``min(1, p + cost_b)``, the top of :func:`fearon_range` (when B accepts
    at indifference).

    Examples
    --------
    >>> len(fearon_game(0.5, 0.1, 0.1, grid=4).nodes)  # 1 + 5 * (B, accept, war, 2 outcomes)
    26
    """
    p, ca, cb = _check_range(p, cost_a, cost_b)
    grid = v.positive_int("grid", grid)
    return _crisis_tree(p, ca, [(1.0, cb)], grid, "crisis bargaining")


def fearon_screening_game(
    p: float, cost_a: float, cost_b_max: float, *, grid: int = 20, types: int = 20
) -> GameTree:
    """Crisis bargaining with B's cost private, as a :class:`bargain.games.GameTree`.

    A demands ``k / grid``; then nature draws B's cost from ``types`` equally likely values
    ``(i + 1/2) cost_b_max / types`` (outcomes ``"type 1"``, ...; a discretized uniform); B,
    knowing it, accepts or fights.
    Backward induction approximates :func:`fearon_screening`; the demand converges as
    `grid` and `types` grow.

    Examples
    --------
    >>> len(fearon_screening_game(0.5, 0.1, 0.3, grid=2, types=2).nodes)
    34
    """
    p = v.probability("p", p)
    ca = v.nonnegative("cost_a", cost_a)
    cmax = v.positive("cost_b_max", cost_b_max)
    grid, types = v.positive_int("grid", grid), v.positive_int("types", types)
    costs = [(1 / types, (i + 0.5) * cmax / types) for i in range(types)]
    return _crisis_tree(p, ca, costs, grid, "crisis bargaining, private costs")


def _check_range(p: Any, cost_a: Any, cost_b: Any) -> tuple[float, float, float]:
    return (
        v.probability("p", p),
        v.nonnegative("cost_a", cost_a),
        v.nonnegative("cost_b", cost_b),
    )


def _crisis_tree(
    p: float, ca: float, costs: list[tuple[float, float]], grid: int, title: str
) -> GameTree:
    """Build the tree: A demands; nature draws B's cost (if several); B accepts or fights."""
    from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

    decimals = v.grid_decimals(grid)

    def respond(x: float, cb: float) -> Any:
        war = Chance(
            {"A wins": (p, Terminal(1 - ca, -cb)), "B wins": (1 - p, Terminal(-ca, 1 - cb))}
        )
        return Decision("B", {"accept": Terminal(x, 1 - x), "war": war})

    demands = {}
    for k in range(grid + 1):
        x = k / grid
        if len(costs) == 1:
            node = respond(x, costs[0][1])
        else:
            node = Chance({f"type {i + 1}": (w, respond(x, cb)) for i, (w, cb) in enumerate(costs)})
        demands[f"demand {x:.{decimals}f}"] = node
    return GameTree(("A", "B"), Decision("A", demands), title=title)
