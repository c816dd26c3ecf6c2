r"""Verification of a commitment as an inspection game (in the style of Kilgour & Brams 1992).

A party bound by an agreement (the *violator*) complies or violates; a monitor (the
*inspector*) inspects or not, simultaneously.  A violation gains ``g > 0``; an inspection
costs ``e >= 0`` and detects a violation with probability ``beta``; a detected violator pays
the fine ``f >= 0`` instead of gaining; an undetected violation costs the inspector ``L > 0``.
Payoffs (violator, inspector)::

                     inspect                                don't inspect
    comply      (0, -e)                                     (0, 0)
    violate     (g - beta (g + f), -e - (1 - beta) L)       (g, -L)

Regimes (``r`` = probability of inspection, ``s`` = probability of violation):

* ``"mixed"`` -- ``beta (g + f) > g`` and ``e < beta L``: the unique equilibrium is interior;
  ``r = g / (beta (g + f))`` makes the violator indifferent and ``s = e / (beta L)`` makes the
  inspector indifferent.
* ``"no_inspection"`` -- ``e >= beta L``: inspecting never pays; ``r = 0``, ``s = 1``.
* ``"undeterrable"`` -- ``beta (g + f) <= g`` and ``e < beta L``: even certain inspection does
  not deter; ``s = 1``, ``r = 1``.

On a boundary the game has a continuum of equilibria; the pure one listed is returned.
Deterrence needs commitment: an inspector who can commit to ``r >= g / (beta (g + f))``
deters every violation, which is possible iff ``beta >= g / (g + f)`` (the deterrence
threshold); without commitment violations persist with probability ``e / (beta L)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bargain.bargaining import _validate as v
from bargain.games.expression import to_sympy

if TYPE_CHECKING:
    from bargain.games.normal_form import NormalFormGame

__all__ = [
    "InspectionEquilibrium",
    "inspection_equilibrium",
    "inspection_equilibrium_symbolic",
    "inspection_game",
]


@dataclass(frozen=True)
class InspectionEquilibrium:
    """Equilibrium of the inspection game.

    Attributes
    ----------
    inspect_prob : float
        Inspector's probability of inspecting (``g / (beta (g + f))`` when mixed).
    violate_prob : float
        Violator's probability of violating (``e / (beta L)`` when mixed).
    deterrence_threshold : float
        ``g / (g + f)``: the least detection probability at which certain inspection deters.
    regime : str
        ``"mixed"``, ``"no_inspection"``, ``"undeterrable"`` or ``"symbolic"``.
    payoffs : tuple
        Expected payoffs (violator, inspector).
    """

    inspect_prob: Any
    violate_prob: Any
    deterrence_threshold: Any
    regime: str
    payoffs: tuple[Any, Any]


def inspection_equilibrium(
    gain: float, fine: float, detection: float, inspection_cost: float, loss: float
) -> InspectionEquilibrium:
    """Nash equilibrium of the 2x2 inspection game in the module docstring.

    Parameters
    ----------
    gain : float
        Violator's gain ``g > 0`` from an undetected violation.
    fine : float
        Fine ``f >= 0`` paid when a violation is detected.
    detection : float
        Probability ``beta`` in [0, 1] that an inspection detects a violation.
    inspection_cost : float
        Inspector's cost ``e >= 0`` of inspecting.
    loss : float
        Inspector's loss ``L > 0`` from an undetected violation.

    Returns
    -------
    InspectionEquilibrium

    Examples
    --------
    >>> r = inspection_equilibrium(gain=1, fine=3, detection=0.8, inspection_cost=0.2, loss=2)
    >>> r.regime, r.inspect_prob, r.violate_prob, r.deterrence_threshold
    ('mixed', 0.3125, 0.125, 0.25)
    >>> inspection_equilibrium(1, 3, 0.2, 0.2, 2).regime  # beta = 0.2 < 1/4
    'undeterrable'
    """
    g, f, beta, e, loss = _check(gain, fine, detection, inspection_cost, loss)
    if e >= beta * loss:
        r, s, regime = 0.0, 1.0, "no_inspection"
    elif beta * (g + f) <= g:
        r, s, regime = 1.0, 1.0, "undeterrable"
    else:
        r, s, regime = g / (beta * (g + f)), e / (beta * loss), "mixed"
    return InspectionEquilibrium(r, s, g / (g + f), regime, _payoffs(g, f, beta, e, loss, r, s))


def inspection_equilibrium_symbolic(
    gain: Any, fine: Any, detection: Any, inspection_cost: Any, loss: Any
) -> InspectionEquilibrium:
    """SymPy twin of :func:`inspection_equilibrium`: ``Piecewise`` over the regimes.

    Examples
    --------
    >>> import sympy as sp
    >>> g, f, b, e, L = sp.symbols("g f beta e L", positive=True)
    >>> r = inspection_equilibrium_symbolic(g, f, b, e, L)
    >>> r.inspect_prob.args[-1][0]  # the interior piece
    g/(beta*(f + g))
    """
    sp = v.sympy()
    names = ("gain", "fine", "detection", "inspection_cost", "loss")
    values = (gain, fine, detection, inspection_cost, loss)
    g, f, beta, e, loss = (to_sympy(x, where=n) for x, n in zip(values, names, strict=True))
    no_inspection = e >= beta * loss
    undeterrable = beta * (g + f) <= g
    r = sp.Piecewise((0, no_inspection), (1, undeterrable), (g / (beta * (g + f)), True))
    s = sp.Piecewise((1, no_inspection), (1, undeterrable), (e / (beta * loss), True))
    payoffs = _payoffs(g, f, beta, e, loss, r, s)
    return InspectionEquilibrium(r, s, g / (g + f), "symbolic", payoffs)


def inspection_game(
    gain: float, fine: float, detection: float, inspection_cost: float, loss: float
) -> NormalFormGame:
    """Build the inspection game as a 2x2 :class:`bargain.NormalFormGame`.

    Rows: the violator's ``("comply", "violate")``; columns: the inspector's
    ``("inspect", "don't inspect")``.  ``bargain.solve(game, method="vertex")`` finds the
    equilibrium of :func:`inspection_equilibrium`.

    Examples
    --------
    >>> game = inspection_game(1, 3, 0.8, 0.2, 2)
    >>> game.payoffs[0].tolist()
    [[0.0, 0.0], [-2.2, 1.0]]
    """
    from bargain.games.normal_form import NormalFormGame

    g, f, beta, e, loss = _check(gain, fine, detection, inspection_cost, loss)
    violator = [[0.0, 0.0], [g - beta * (g + f), g]]
    inspector = [[-e, 0.0], [-e - (1 - beta) * loss, -loss]]
    return NormalFormGame(
        [violator, inspector],
        players=("violator", "inspector"),
        strategies=(("comply", "violate"), ("inspect", "don't inspect")),
        title="inspection game",
    )


def _check(gain: Any, fine: Any, detection: Any, inspection_cost: Any, loss: Any):
    return (
        v.positive("gain", gain),
        v.nonnegative("fine", fine),
        v.probability("detection", detection),
        v.nonnegative("inspection_cost", inspection_cost),
        v.positive("loss", loss),
    )


def _payoffs(g: Any, f: Any, beta: Any, e: Any, loss: Any, r: Any, s: Any) -> tuple[Any, Any]:
    """Return expected payoffs (violator, inspector) at inspection ``r``, violation ``s``."""
    violator = s * (g - r * beta * (g + f))
    inspector = -r * e - s * loss * (1 - r * beta)
    return violator, inspector
