"""Alternating offers: Rubinstein (1982) with breakdown risk, a deadline and outside options.

The model
---------
Two players split a pie of size 1.  Player 1 proposes in rounds 1, 3, 5, ...; player 2 in
rounds 2, 4, ....  A proposal is player 1's share ``x``; the responder accepts, rejects, or
(only when ``outside_options=(w1, w2)`` is given) opts out.  Payoffs of an event in round
``t`` are discounted by ``delta_i ** (t - 1)``:

* agreement on ``x`` in round ``t``: ``(delta1**(t-1) * x, delta2**(t-1) * (1 - x))``;
* the responder opts out in round ``t``: ``(delta1**(t-1) * w1, delta2**(t-1) * w2)``;
* a rejection in round ``t`` ends the talks with probability ``p`` (``breakdown=p``; the
  breakdown happens at once, undiscounted within the round) with payoffs
  ``(delta1**(t-1) * b1, delta2**(t-1) * b2)`` where ``disagreement=(b1, b2)``; otherwise
  round ``t + 1`` starts;
* with ``horizon=T`` a rejection in round ``T`` ends the talks for sure: the deadline acts as
  a breakdown with probability 1 in the last round.

Indifferent responders accept.  Write ``q_i = (1 - p) * delta_i``.  In round ``t`` the
responder ``j`` can secure ``R_j = p*b_j + q_j * s_{t+1}`` by rejecting (``s_{t+1}`` is
``j``'s share as next proposer), so the proposer's share is ``s_t = 1 - max(w_j, R_j)``
(Binmore, Shaked & Sutton 1989: an outside option matters only when it beats rejecting).
In the infinite game the stationary pair ``(x, y)`` solves ``x = 1 - max(w2, p*b2 + q2*y)``
and ``y = 1 - max(w1, p*b1 + q1*x)``; the map is a contraction with modulus ``q1*q2 < 1``, so
the solution is unique.  With no option binding,

    x = (1 - q2 - p*b2 + q2*p*b1) / (1 - q1*q2),

which is Rubinstein's ``(1 - delta2) / (1 - delta1*delta2)`` for ``p = 0`` and Binmore,
Rubinstein & Wolinsky's (1986) ``b1 + (1 - b1 - b2) / (2 - p)`` for ``delta1 = delta2 = 1``.
In every case agreement is immediate, so the delay is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bargain.bargaining import _validate as v
from bargain.errors import ParameterError
from bargain.games.expression import to_sympy

if TYPE_CHECKING:
    from bargain.games.extensive_form import GameTree

__all__ = ["RubinsteinSolution", "rubinstein", "rubinstein_game", "rubinstein_symbolic"]

#: Regimes of the infinite game: (option 2 binds when 1 proposes, option 1 binds when 2 does).
_REGIMES = {
    (False, False): "no_option_binds",
    (True, False): "option_2_binds",
    (False, True): "option_1_binds",
    (True, True): "both_options_bind",
}
_TOL = 1e-12
_OPT_OUT_WINS = "opting out would be at least as good as every agreement"


@dataclass(frozen=True)
class RubinsteinSolution:
    """Subgame-perfect equilibrium of an alternating-offers game.

    Attributes
    ----------
    shares : tuple
        ``(x, 1 - x)``: the first proposer's share first, the split agreed in round 1.
    delay : int
        Rounds of delay before agreement (0: the first offer is accepted).
    regime : str
        Infinite horizon: ``"no_option_binds"``, ``"option_2_binds"``, ``"option_1_binds"``
        or ``"both_options_bind"``; finite horizon: ``"finite"``; ``"symbolic"`` for results of
        :func:`rubinstein_symbolic`.
    options_bind : tuple of bool
        Whether the responder's outside option binds: infinite horizon, one entry per proposer
        (player 1, player 2); finite horizon, one entry per round; empty without options.
    delta1, delta2, horizon, breakdown, disagreement, outside_options
        The inputs.
    """

    shares: tuple[Any, Any]
    delay: int
    regime: str
    options_bind: tuple[bool, ...]
    delta1: Any
    delta2: Any
    horizon: int | None
    breakdown: Any
    disagreement: tuple[Any, Any]
    outside_options: tuple[Any, Any] | None

    @property
    def formula(self) -> Any:
        """Player 1's share as a SymPy expression.

        For a numeric result: the closed form of the branch that applies at these values, in
        the symbols ``delta1, delta2`` and, where they matter, ``p`` (breakdown), ``b1, b2``
        (disagreement) and ``w1, w2`` (outside options).  For a symbolic result: its share.

        Examples
        --------
        >>> rubinstein(0.9, 0.8).formula
        (1 - delta2)/(-delta1*delta2 + 1)
        """
        if self.regime == "symbolic":
            return self.shares[0]
        sp = v.sympy()
        d = sp.symbols("delta1 delta2")
        p = sp.Symbol("p") if self.breakdown is not None else 0
        b = sp.symbols("b1 b2") if p != 0 or self.horizon is not None else (0, 0)
        w = sp.symbols("w1 w2") if self.outside_options is not None else None
        if self.horizon is None:
            return _stationary_share(d, p, b, w, self.options_bind or (False, False))
        if w is None:
            unit = self.delta1 == self.delta2 == 1 and not self.breakdown
            return _finite_closed_form(self.horizon, d, p, b, geometric_limit=unit)
        return _backward(self.horizon, d, p, b, w, self.options_bind)[0]


def rubinstein(
    delta1: float,
    delta2: float,
    *,
    horizon: int | None = None,
    breakdown: float | None = None,
    disagreement: tuple[float, float] = (0, 0),
    outside_options: tuple[float, float] | None = None,
) -> RubinsteinSolution:
    """Subgame-perfect split of a unit pie under alternating offers.

    Parameters
    ----------
    delta1, delta2 : float
        Per-round discount factors, in (0, 1].
    horizon : int, optional
        Number of rounds ``T >= 1``; ``None`` for an infinite horizon (Rubinstein 1982).
    breakdown : float, optional
        Probability ``p`` in [0, 1] that talks break down after a rejection (Binmore,
        Rubinstein & Wolinsky 1986).
    disagreement : pair of float
        Payoffs ``(b1, b2)`` on breakdown and after the deadline; each in [0, 1) with
        ``b1 + b2 < 1``.  Irrelevant with an infinite horizon and no breakdown.
    outside_options : pair of float, optional
        ``(w1, w2)``, each in [0, 1) with ``w1 + w2 < 1``: payoffs if the responder opts out
        (Binmore, Shaked & Sutton 1989; Osborne & Rubinstein 1990).

    Returns
    -------
    RubinsteinSolution
        ``.shares`` (first proposer first), ``.delay`` (0), ``.regime``, ``.formula``.

    Raises
    ------
    ParameterError
        An argument is non-finite or out of range, or ``delta1 = delta2 = 1`` with an infinite
        horizon and no breakdown (then every split is an equilibrium).

    Notes
    -----
    See the module docstring for the timing and the derivation.  Finite horizon: backward
    induction from round ``T`` (closed form in ``.formula``).  With equal discount factors and
    only player 2 holding an option ``w``, ``x = 1/(1 + delta)`` if ``w <= delta/(1 + delta)``
    and ``x = 1 - w`` otherwise (Osborne & Rubinstein 1990).

    Examples
    --------
    >>> rubinstein(0.9, 0.9).shares  # (1 - 0.9) / (1 - 0.81) = 1/1.9
    (0.5263157894736843, 0.4736842105263157)
    >>> r = rubinstein(1, 1, breakdown=0.5, disagreement=(0.2, 0.1))  # 0.2 + 0.7/1.5
    >>> round(r.shares[0], 12)
    0.666666666667
    >>> rubinstein(0.9, 0.9, outside_options=(0, 0.6)).shares
    (0.4, 0.6)
    >>> rubinstein(0.5, 0.5, horizon=2).shares
    (0.5, 0.5)
    """
    d, horizon, p, b, w = _check(delta1, delta2, horizon, breakdown, disagreement, outside_options)
    if horizon is None:
        if d[0] == d[1] == 1 and p == 0:
            raise ParameterError(
                "delta1",
                "delta1 = delta2 = 1 with an infinite horizon and no breakdown: every split is "
                "a subgame-perfect equilibrium; give delta < 1, breakdown > 0 or a horizon",
            )
        bind = _stationary_regime(d, p, b, w)
        x = _stationary_share(d, p, b, w, bind)
        regime = _REGIMES[bind]
        bind = bind if w is not None else ()
    else:
        x, bind = _backward(horizon, d, p, b, w, None)
        regime = "finite"
    x = min(1.0, max(0.0, float(x)))
    return RubinsteinSolution(
        (x, 1.0 - x), 0, regime, tuple(bind), d[0], d[1], horizon,
        breakdown if breakdown is None else p, b, w,
    )  # fmt: skip


def rubinstein_symbolic(
    delta1: Any,
    delta2: Any,
    *,
    horizon: int | None = None,
    breakdown: Any = None,
    disagreement: Any = (0, 0),
    outside_options: Any = None,
) -> RubinsteinSolution:
    """SymPy twin of :func:`rubinstein`: the same arguments as symbols or expressions.

    Concrete numbers among the arguments are validated as in :func:`rubinstein`; `horizon`
    must be an integer or ``None``.  With outside options the share is a ``Piecewise`` over
    the regimes (infinite horizon) or nested ``Max`` terms (finite horizon).

    Returns
    -------
    RubinsteinSolution
        With SymPy ``shares`` and ``regime == "symbolic"``.

    Examples
    --------
    >>> import sympy as sp
    >>> d1, d2 = sp.symbols("delta1 delta2", positive=True)
    >>> rubinstein_symbolic(d1, d2).shares[0]
    (1 - delta2)/(-delta1*delta2 + 1)
    >>> p = sp.Symbol("p")
    >>> sp.simplify(rubinstein_symbolic(1, 1, breakdown=p).shares[0] - 1 / (2 - p))
    0
    """
    sp = v.sympy()
    d = (_sym("delta1", delta1, v.discount), _sym("delta2", delta2, v.discount))
    p = 0 if breakdown is None else _sym("breakdown", breakdown, v.probability)
    b = _sym_pair("disagreement", disagreement)
    w = None if outside_options is None else _sym_pair("outside_options", outside_options)
    if horizon is None:
        if w is None:
            x = _stationary_share(d, p, b, None, (False, False))
        else:
            pieces = []
            for bind in _REGIMES:  # the regimes partition the parameter space
                xc, gap2, gap1 = _regime_gaps(d, p, b, w, bind)
                c2 = sp.Ge(gap2, 0) if bind[0] else sp.Le(gap2, 0)
                c1 = sp.Ge(gap1, 0) if bind[1] else sp.Le(gap1, 0)
                pieces.append((xc, sp.And(c1, c2)))
            x = sp.Piecewise(*pieces[:-1], (pieces[-1][0], True))
    else:
        horizon = v.positive_int("horizon", horizon)
        if w is None:
            x = _finite_closed_form(horizon, d, p, b, geometric_limit=None)
        else:
            x = _backward(horizon, d, p, b, w, "max")[0]
    return RubinsteinSolution(
        (x, 1 - x), 0, "symbolic", (), d[0], d[1], horizon,
        None if breakdown is None else p, b, w,
    )  # fmt: skip


def rubinstein_game(
    delta1: float,
    delta2: float,
    horizon: int,
    *,
    grid: int = 10,
    breakdown: float | None = None,
    disagreement: tuple[float, float] = (0, 0),
    outside_options: tuple[float, float] | None = None,
) -> GameTree:
    """Build the finite alternating-offers game as a :class:`bargain.games.GameTree`.

    The proposer offers player 1 a share ``k / grid`` (``k = 0, ..., grid``, action labels
    ``"offer 0.40"``); the responder chooses ``"accept"``, ``"reject"`` or (with outside
    options) ``"opt out"``.  A rejection before the deadline leads to a chance node
    ``{"breakdown", "continue"}`` when ``breakdown`` is given.  Payoffs are discounted as in
    :func:`rubinstein`.  Backward induction (``bargain.solve(tree, method="spe")``) on this
    tree gives a split within ``horizon / grid`` of :func:`rubinstein` with the same
    arguments.  The tree has about ``(2 * (grid + 1)) ** horizon`` nodes: keep both small.

    Examples
    --------
    >>> tree = rubinstein_game(0.9, 0.8, 2, grid=4)
    >>> tree.players, len(tree.nodes)
    (('P1', 'P2'), 91)
    """
    from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

    if horizon is None:
        raise ParameterError("horizon", "must be an integer >= 1, got None (the tree is finite)")
    d, horizon, p, b, w = _check(delta1, delta2, horizon, breakdown, disagreement, outside_options)
    grid = v.positive_int("grid", grid)
    decimals = v.grid_decimals(grid)

    def scaled(t: int, u: tuple[float, float]) -> Any:
        return Terminal(d[0] ** (t - 1) * u[0], d[1] ** (t - 1) * u[1])

    def round_(t: int) -> Any:
        proposer = "P1" if t % 2 else "P2"
        responder = "P2" if t % 2 else "P1"
        offers = {}
        for k in range(grid + 1):
            x = k / grid
            acts: dict[str, Any] = {"accept": scaled(t, (x, 1 - x))}
            if t == horizon:
                acts["reject"] = scaled(t, b)
            elif breakdown is None:
                acts["reject"] = round_(t + 1)
            else:
                acts["reject"] = Chance(
                    {"breakdown": (p, scaled(t, b)), "continue": (1 - p, round_(t + 1))}
                )
            if w is not None:
                acts["opt out"] = scaled(t, w)
            offers[f"offer {x:.{decimals}f}"] = Decision(responder, acts)
        return Decision(proposer, offers)

    return GameTree(("P1", "P2"), round_(1), title=f"alternating offers, T={horizon}")


# -- shared closed forms (operate on floats and SymPy expressions alike) --------------------


def _check(delta1, delta2, horizon, breakdown, disagreement, outside_options):
    d = (v.discount("delta1", delta1), v.discount("delta2", delta2))
    if horizon is not None:
        horizon = v.positive_int("horizon", horizon)
    p = 0.0 if breakdown is None else v.probability("breakdown", breakdown)
    b = v.disagreement_pair("disagreement", disagreement)
    w = None
    if outside_options is not None:
        w = v.disagreement_pair("outside_options", outside_options, why=_OPT_OUT_WINS)
    return d, horizon, p, b, w


def _sym(name: str, value: Any, check) -> Any:
    """Sympify `value`; validate it with `check` when it is a concrete number."""
    expr = to_sympy(value, where=name)
    if expr.is_number:
        check(name, float(expr))
    return expr


def _sym_pair(name: str, value: Any) -> tuple[Any, Any]:
    """Sympify a pair; validate it as a disagreement point when both entries are numbers."""
    items = tuple(to_sympy(x, where=name) for x in value)
    if len(items) != 2:
        raise ParameterError(name, f"must be a pair (one entry per player), got {value!r}")
    if all(x.is_number for x in items):
        why = _OPT_OUT_WINS if name == "outside_options" else None
        v.disagreement_pair(name, tuple(float(x) for x in items), **({"why": why} if why else {}))
    return items


def _stationary_share(d, p, b, w, bind) -> Any:
    """Player 1's share in the infinite game, given which outside options bind."""
    q1, q2 = (1 - p) * d[0], (1 - p) * d[1]
    if bind[0]:  # player 2's option binds when player 1 proposes
        return 1 - w[1]
    if bind[1]:  # player 1's option binds when player 2 proposes: y = 1 - w1
        return 1 - p * b[1] - q2 * (1 - w[0])
    return (1 - q2 - p * b[1] + q2 * p * b[0]) / (1 - q1 * q2)


def _regime_gaps(d, p, b, w, bind) -> tuple[Any, Any, Any]:
    """Player 1's share in regime `bind` and by how much each option beats rejecting there."""
    x = _stationary_share(d, p, b, w, bind)
    y = 1 - w[0] if bind[1] else 1 - p * b[0] - (1 - p) * d[0] * x  # player 2 proposing
    gap2 = w[1] - (p * b[1] + (1 - p) * d[1] * y)  # player 2 responding to player 1
    gap1 = w[0] - (p * b[0] + (1 - p) * d[0] * x)
    return x, gap2, gap1


def _stationary_regime(d, p, b, w) -> tuple[bool, bool]:
    """Find the regime whose conditions hold (ties go to the earlier regime: options not used)."""
    if w is None:
        return (False, False)
    worst = []
    for bind in _REGIMES:
        _, gap2, gap1 = _regime_gaps(d, p, b, w, bind)
        violation = max(-gap2 if bind[0] else gap2, -gap1 if bind[1] else gap1, 0.0)
        if violation <= _TOL:
            return bind
        worst.append((violation, bind))
    return min(worst)[1]  # pragma: no cover - the contraction has exactly one fixed point


def _finite_closed_form(horizon, d, p, b, *, geometric_limit) -> Any:
    """Return player 1's round-1 share in closed form: deadline `horizon`, no options.

    Two rounds of backward induction map player 1's share ``x`` to ``c + Q x`` with
    ``Q = q1 q2`` and ``c = 1 - p b2 - q2 (1 - p b1)``; hence ``x = c G(m) + Q**m x_last``
    with ``G(m) = (1 - Q**m)/(1 - Q)`` (``= m`` when ``Q = 1``).
    """
    q1, q2 = (1 - p) * d[0], (1 - p) * d[1]
    big_q = q1 * q2
    c = 1 - p * b[1] - q2 * (1 - p * b[0])
    if horizon % 2:
        m, last = (horizon - 1) // 2, 1 - b[1]
    else:
        m, last = (horizon - 2) // 2, 1 - p * b[1] - q2 * (1 - b[0])
    if geometric_limit:
        g = m
    elif geometric_limit is None:  # symbolic: both branches
        sp = v.sympy()
        g = sp.Piecewise((m, sp.Eq(big_q, 1)), ((1 - big_q**m) / (1 - big_q), True))
    else:
        g = (1 - big_q**m) / (1 - big_q)
    return c * g + big_q**m * last


def _backward(horizon, d, p, b, w, binds) -> tuple[Any, tuple[bool, ...]]:
    """Backward induction from the deadline; returns (player 1's share, options_bind).

    `binds` is ``None`` (decide numerically), ``"max"`` (SymPy ``Max``) or a tuple of bools
    (one per round, as recorded by a numeric run).
    """
    share = None  # the next round's proposer's share
    used: list[bool] = []
    for t in range(horizon, 0, -1):
        j = 1 if t % 2 else 0  # the responder
        reject = b[j] if t == horizon else p * b[j] + (1 - p) * d[j] * share
        if w is None:
            value = reject
        elif binds is None:
            used.append(w[j] > reject)
            value = max(w[j], reject)
        elif binds == "max":
            value = v.sympy().Max(w[j], reject)
        else:
            value = w[j] if binds[t - 1] else reject
        share = 1 - value
    return share, tuple(reversed(used))
