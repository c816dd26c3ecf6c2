"""The joint security coordination mechanism as an inspector (Kilgour & Brams 1992 style).

Context.  The Declaration of Principles of 25 April 2025 committed Rwanda and the DRC to
explore a joint security coordination mechanism; the Washington Peace Agreement of 27 June
2025 (U.S. State Department) set it up within 30 days; it met from August 2025 and its
operations order applied from 1 October 2025 (press reports).  Its observers verify the
two commitments the deal trades: the DRC's neutralization of the FDLR (< 1,000 to
1,000-2,000 fighters by UN Group of Experts estimates; Rwanda claims far more) and
Rwanda's withdrawal.  Whether verification makes compliance self-enforcing is the question
of third-party guarantees (Walter 1997, 2002) and of monitoring provisions (Mattes & Savun
2010).

The model.  A *party* bound by the deal (the DRC on FDLR neutralization, or Rwanda on
withdrawal) complies or violates; the *mechanism* inspects or not.  A violation gains
``g``; an inspection costs ``e`` and detects a violation with probability ``beta``; a
detected violator pays ``f`` instead of gaining (sanctions, withheld investment); an
undetected violation costs the mechanism (its sponsors) ``L``.  Payoffs (party,
mechanism) as in :func:`bargain.bargaining.inspection_game`::

                   Inspect                                 Not inspect
    Comply    (0, -e)                                      (0, 0)
    Violate   (g - beta (g + f), -e - (1 - beta) L)        (g, -L)

Regimes:

* ``simultaneous`` (2x2 normal form): neither side sees the other's choice.  With ``e > 0``
  there is no pure equilibrium in which the party complies: the unique equilibrium is mixed
  (``beta (g + f) > g``, ``e < beta L``) with inspection rate ``g / (beta (g + f))`` and
  violation rate ``e / (beta L)`` (Kilgour & Brams 1992 style; ``inspection_equilibrium``).
  The agreement profile ``(Comply, Inspect)`` is an equilibrium only when ``e = 0`` and
  ``beta (g + f) >= g``.
* ``commitment`` (tree): the mechanism first commits to inspect (deploy its observers) or
  not; the party, observing the commitment, then complies or violates.  Derived condition of
  the agreement ``Inspect -> Comply``:

      beta >= g / (g + f)    and    e <= L,

  the deterrence threshold plus the mechanism's willingness to pay for deterrence.

Closed-form outputs: ``deterrence_threshold`` ``g/(g + f)``; ``inspect_prob`` and
``violate_prob`` of the simultaneous game's equilibrium (:func:`inspection_equilibrium`, all
three cases); ``min_commit_rate`` ``min(1, g / (beta (g + f)))``, the least inspection rate a
committed mechanism needs to deter.

Ties: an indifferent player takes the agreement action.

Defaults (illustrative assumptions in an index unit, the party's gain ``g = 1``):
``beta = 0.5 >= 1/3``, so committed inspection deters; without commitment violations
persist with probability ``e/(beta L) = 0.2``.

References
----------
Kilgour, D. M. & Brams, S. J. (1992). Putting the other side "on notice" can induce
compliance in arms control. Journal of Conflict Resolution 36(3), 395-414.
Walter, B. F. (1997). The critical barrier to civil war settlement. International
Organization 51(3), 335-364; (2002) Committing to Peace. Princeton University Press.
Mattes, M. & Savun, B. (2010). Information, agreement design, and the durability of civil
war settlements. American Journal of Political Science 54(2), 511-524.
U.S. Department of State (2025). Declaration of Principles, 25 April 2025; Washington Peace
Agreement, 27 June 2025.
"""

import numpy as np

from bargain import (
    Decision,
    GameTree,
    Model,
    NormalFormGame,
    Parameter,
    ParameterSet,
    Regime,
    Terminal,
)
from bargain.models import Output, Reference

UNIT = "index (the party's gain from an undetected violation g = 1 at the defaults)"
MECH = (
    "joint security coordination mechanism: Washington Peace Agreement, 27 June 2025 (U.S. "
    "State Department); meetings from Aug 2025, operations order from 1 Oct 2025 (press)"
)

PARAMETERS = ParameterSet(
    [
        Parameter(
            "g",
            1.0,
            (0.1, 5.0),
            UNIT,
            "the party's gain from an undetected violation (e.g. FDLR neutralization not "
            "carried out, or troops kept in)",
            "assumption: index unit; FDLR strength < 1,000 to 1,000-2,000 (UN Group of "
            "Experts) vs Rwanda's higher claims",
        ),
        Parameter(
            "f",
            2.0,
            (0.0, 10.0),
            UNIT,
            "penalty on a detected violation (sanctions, investment withheld)",
            "assumption: U.S. leverage as broker; not specified in public documents",
            label="penalty on a detected violation",
        ),
        Parameter(
            "beta",
            0.5,
            (0.01, 1.0),
            "probability",
            "probability that an inspection by the mechanism's observers detects a violation",
            f"assumption: {MECH}; no track record yet, wide range",
            label="detection probability of an inspection",
        ),
        Parameter(
            "e",
            0.2,
            (0.0, 5.0),
            UNIT,
            "the mechanism's cost of an inspection (deploying observers)",
            "assumption",
        ),
        Parameter(
            "L",
            2.0,
            (0.1, 10.0),
            UNIT,
            "the mechanism's (and its sponsors') loss from an undetected violation",
            "assumption: the deal's collapse; twice the party's gain",
        ),
    ]
)
PLAYERS = ("Party", "Mechanism")


def simultaneous(p):
    """The 2x2 inspection game (rows: the party; columns: the mechanism)."""
    g, f, beta, e, loss = p.g, p.f, p.beta, p.e, p.L
    party = [[0, 0], [g - beta * (g + f), g]]
    mechanism = [[-e, 0], [-e - (1 - beta) * loss, -loss]]
    return NormalFormGame(
        [party, mechanism],
        players=PLAYERS,
        strategies=(("Comply", "Violate"), ("Inspect", "Not inspect")),
        parameters=PARAMETERS,
        title="inspection, simultaneous",
    )


def commitment(p):
    """The mechanism commits to inspect or not; the party then complies or violates."""
    g, f, beta, e, loss = p.g, p.f, p.beta, p.e, p.L
    inspected = Decision(
        "Party",
        {
            "Comply": Terminal(0, -e),
            "Violate": Terminal(g - beta * (g + f), -e - (1 - beta) * loss),
        },
    )
    open_ = Decision("Party", {"Comply": Terminal(0, 0), "Violate": Terminal(g, -loss)})
    root = Decision("Mechanism", {"Inspect": inspected, "Not inspect": open_})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="inspection, commitment")


# -- closed-form outputs (vectorized; Kilgour & Brams 1992 style, bargaining.inspection) -----


def deterrence_threshold(p):
    """``g / (g + f)``: the least detection probability at which certain inspection deters."""
    return p.g / (p.g + p.f)


def _mixed(p):
    """(inspect, violate) probabilities of the simultaneous game, as inspection_equilibrium."""
    g, f, beta, e, loss = (np.asarray(x, float) for x in (p.g, p.f, p.beta, p.e, p.L))
    no_inspection = e >= beta * loss
    undeterrable = beta * (g + f) <= g
    r = np.where(no_inspection, 0.0, np.where(undeterrable, 1.0, g / (beta * (g + f))))
    s = np.where(no_inspection | undeterrable, 1.0, e / (beta * loss))
    return r, s


def inspect_prob(p):
    """Equilibrium inspection probability without commitment."""
    return _mixed(p)[0]


def violate_prob(p):
    """Equilibrium violation probability without commitment."""
    return _mixed(p)[1]


def min_commit_rate(p):
    """``min(1, g / (beta (g + f)))``: the least committed inspection rate that deters."""
    return np.minimum(1.0, p.g / (p.beta * (p.g + p.f)))


MODEL = Model(
    name="security_mechanism_inspection",
    title="The joint security coordination mechanism as an inspector",
    description=(
        "A party bound by the Washington agreement complies or violates; the joint security "
        "coordination mechanism inspects or not (an inspection game, Kilgour & Brams 1992 "
        "style): simultaneous moves versus a mechanism that commits to inspect."
    ),
    parameters=PARAMETERS,
    report_axes=("beta", "f"),
    regimes=[
        Regime(
            "simultaneous",
            simultaneous,
            "the party and the mechanism choose at once (2x2 normal form)",
            agreement=("Comply", "Inspect"),
        ),
        Regime(
            "commitment",
            commitment,
            "the mechanism commits to inspect; the party then complies or violates",
            agreement=("Inspect", "Comply"),
        ),
    ],
    outputs=[
        Output(
            "deterrence_threshold",
            deterrence_threshold,
            "g / (g + f): least detection probability at which certain inspection deters",
            "probability",
        ),
        Output(
            "inspect_prob",
            inspect_prob,
            "inspection probability in the simultaneous game's equilibrium",
            "probability",
        ),
        Output(
            "violate_prob",
            violate_prob,
            "violation probability in the simultaneous game's equilibrium",
            "probability",
        ),
        Output(
            "min_commit_rate",
            min_commit_rate,
            "least inspection rate a committed mechanism needs to deter (capped at 1)",
            "probability",
        ),
    ],
    references=(
        Reference(
            kind="article",
            authors=("Kilgour, D. M.", "Brams, S. J."),
            year=1992,
            title="Putting the other side 'on notice' can induce compliance in arms control",
            container="Journal of Conflict Resolution",
            volume="36",
            number="3",
            pages="395-414",
        ),
        Reference(
            kind="article",
            authors=("Walter, B. F.",),
            year=1997,
            title="The critical barrier to civil war settlement",
            container="International Organization",
            volume="51",
            number="3",
            pages="335-364",
        ),
        Reference(
            kind="book",
            authors=("Walter, B. F.",),
            year=2002,
            title="Committing to Peace: The Successful Settlement of Civil Wars",
            publisher="Princeton University Press",
        ),
        Reference(
            kind="article",
            authors=("Mattes, M.", "Savun, B."),
            year=2010,
            title="Information, agreement design, and the durability of civil war settlements",
            container="American Journal of Political Science",
            volume="54",
            number="2",
            pages="511-524",
        ),
        Reference(
            kind="document",
            authors=("U.S. Department of State",),
            title="Declaration of Principles",
            date="2025-04-25",
            note=(
                "Rwanda and the DRC, foreign ministers, Washington, with the U.S. Secretary of "
                "State; commits to explore a joint security coordination mechanism"
            ),
        ),
        Reference(
            kind="document",
            authors=("U.S. Department of State",),
            title="Washington Peace Agreement",
            date="2025-06-27",
            note=(
                "Joint security coordination mechanism within 30 days; regional economic "
                "integration framework within 90 days"
            ),
        ),
        Reference(
            kind="report",
            authors=("UN Group of Experts on the DRC",),
            year=2024,
            title="Final report",
            publisher="United Nations",
        ),
        Reference(
            kind="report",
            authors=("UN Group of Experts on the DRC",),
            year=2025,
            title="Final report",
            publisher="United Nations",
        ),
    ),
)

__all__ = ["MODEL"]
