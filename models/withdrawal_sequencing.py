"""Withdrawal sequencing: who moves first in the Rwanda–DRC deal brokered by the U.S.

Context.  In May–June 2025 a U.S. draft of a Rwanda–DRC agreement was reported to require
Rwanda to withdraw its troops, weapons and equipment from eastern DRC *before* signing
(Reuters report on the U.S. draft, 2025, four diplomatic sources).  Estimates of the
Rwandan deployment range from 7,000–12,000 troops (analysts and diplomats cited by
Reuters, 2025) to 3,000–4,000 (UN Group of Experts on the DRC, final report 2024,
"conservative") and up to about 6,000 in January–April 2025 (UN Group of Experts, 2025).
The Declaration of Principles of 25 April 2025 (U.S. State Department) committed both
sides to explore a joint security coordination mechanism; the Washington Peace Agreement
of 27 June 2025 (U.S. State Department) set it up within 30 days, together with a regional
economic integration framework within 90 days.  Kigali's stated condition is the
neutralization of the FDLR; the DRC's is Rwanda's withdrawal.  The investment the deal
unlocks (the DRC supplies over 70% of the world's cobalt, USGS Mineral Commodity Summaries)
is an assumption with a wide range: in-ground values quoted in the press are unsourced.

The model.  Two players, Rwanda (R) and the DRC (G); the U.S. enters only through the
parameters (investment released, detection by the joint security mechanism, sanctions).
Payoffs are in an index unit: Rwanda's status-quo net rent from the deployment,
``rho - c_R``, is 1 at the defaults.  Regimes:

* ``withdraw_first`` (the U.S. draft): R withdraws or stays; after a withdrawal G complies
  (neutralizes the FDLR at cost ``k_G``) or reneges.  A violation is detected with
  probability ``q``; then the U.S. withholds the investment and sanctions G by ``s``.
  G complies iff ``q (M_G + s) >= k_G``, i.e. ``q >= q* = k_G / (M_G + s)``; the agreement
  holds iff, in addition, ``M_R >= rho - c_R``.
* ``neutralize_first``: G neutralizes first (or refuses: status quo); then R withdraws or
  stays covertly, detected with probability ``q_R`` (sanction ``s_R``, investment
  withheld).  R withdraws iff ``q_R (M_R + s_R) >= rho - c_R``.
* ``simultaneous``: the same choices as a 2×2 normal-form game with consistent payoffs.
* ``phased``: ``n`` verified tranches; each withdrawn tranche releases ``M_R/n`` and
  ``M_G/n`` when the DRC neutralizes its share of the FDLR (cost ``k_G/n``).  A violation
  is detected per tranche with probability ``q`` and is sanctioned by ``s`` (a sanction
  is a fixed penalty per detected violation, not proportional to the tranche).  The DRC's
  incentive constraint at tranche ``t`` is
  ``q (M_G + n s) >= k_G - (n - t)(M_G - k_G + W + H)``; it binds at the last tranche
  (``t = n``) when ``M_G - k_G + W + H >= 0`` (the DRC prefers the completed deal to the
  status quo), so the threshold falls from ``k_G / (M_G + s)`` to ``k_G / (M_G + n s)``;
  otherwise the first tranche binds.  With ``n = 1`` it is ``withdraw_first``.

Ties: an indifferent player takes the agreement action (the package's tie rule).

Defaults.  At the baseline (``q = 0.3`` against ``q* = 1/3``) withdrawal-first fails: the
DRC would renege, so Rwanda stays.  Neutralize-first holds narrowly
(``q_R (M_R + s_R) = 1.1 >= 1``) and two tranches suffice (``q* = 1/4`` for ``n = 2``).
These numbers are illustrative assumptions; the bounds are wide on purpose.

References
----------
Reuters (2025). Report on the U.S. draft Rwanda–DRC agreement (withdrawal before signing);
interview with Massad Boulos.
UN Group of Experts on the DRC (2024, 2025). Final reports.
U.S. Department of State (2025). Declaration of Principles, 25 April 2025; Washington Peace
Agreement, 27 June 2025.
U.S. Geological Survey (2025). Mineral Commodity Summaries: Cobalt.
"""

from bargain import (
    Chance,
    Decision,
    GameTree,
    Model,
    NormalFormGame,
    Parameter,
    ParameterSet,
    Regime,
    Terminal,
)
from bargain.models import Reference

UNIT = "index (status-quo net rent rho - c_R = 1)"
TROOPS = (
    "range reflects troop estimates: 7,000-12,000 (analysts, Reuters 2025) vs 3,000-4,000 "
    "(UN Group of Experts 2024), up to ~6,000 (UN Group of Experts 2025)"
)

PARAMETERS = ParameterSet(
    [
        Parameter(
            "rho",
            1.5,
            (0.0, 5.0),
            UNIT,
            "Rwanda's benefit from keeping troops in eastern DRC (rents, security buffer)",
            f"assumption: index scale; {TROOPS}",
            label="Rwanda's deployment benefit",
        ),
        Parameter(
            "c_R",
            0.5,
            (0.0, 3.0),
            UNIT,
            "Rwanda's cost of the deployment",
            f"assumption: one third of rho; {TROOPS}",
            label="Rwanda's deployment cost",
        ),
        Parameter(
            "M_R",
            1.2,
            (0.1, 10.0),
            UNIT,
            "value to Rwanda of the investment the deal unlocks (regional integration)",
            "assumption: regional economic integration framework of the Washington "
            "Peace Agreement, 27 June 2025 (U.S. State Department); value not public",
            label="Rwanda's investment value",
        ),
        Parameter(
            "M_G",
            2.0,
            (0.1, 10.0),
            UNIT,
            "value to the DRC of the investment the deal unlocks (minerals)",
            "assumption: wide range; the DRC supplies > 70% of world cobalt (USGS "
            "Mineral Commodity Summaries); in-ground values in the press are unsourced",
            label="DRC's investment value",
        ),
        Parameter(
            "k_G",
            1.0,
            (0.1, 5.0),
            UNIT,
            "the DRC's cost of neutralizing the FDLR",
            "assumption: FDLR strength < 1,000 to 1,000-2,000 (UN Group of Experts); "
            "Rwanda's claims far higher",
            label="DRC's neutralization cost",
        ),
        Parameter(
            "theta",
            1.0,
            (0.0, 5.0),
            UNIT,
            "Rwanda's security loss if it has withdrawn and the FDLR is not neutralized",
            "assumption: equal to the status-quo net rent",
            label="Rwanda's security loss",
        ),
        Parameter(
            "q",
            0.3,
            (0.0, 1.0),
            "probability",
            "probability that the joint security mechanism detects DRC non-compliance",
            "assumption: mechanism set up by the Washington Peace Agreement, 27 June 2025 "
            "(U.S. State Department); no track record yet",
            label="detection probability",
        ),
        Parameter(
            "s",
            1.0,
            (0.0, 10.0),
            UNIT,
            "U.S. sanction on a detected DRC violation",
            "assumption: U.S. leverage as broker; not specified in public documents",
            label="sanction on the DRC",
        ),
        Parameter(
            "q_R",
            0.5,
            (0.0, 1.0),
            "probability",
            "probability that a covert Rwandan stay is detected",
            "assumption: joint security mechanism (27 June 2025) and UN Group of Experts "
            "monitoring",
            label="detection probability of a covert stay",
        ),
        Parameter(
            "s_R",
            1.0,
            (0.0, 10.0),
            UNIT,
            "U.S. sanction on Rwanda for a detected covert stay",
            "assumption: U.S. leverage as broker",
            label="sanction on Rwanda",
        ),
        Parameter(
            "H",
            2.0,
            (0.0, 10.0),
            UNIT,
            "the DRC's harm from the occupation",
            "assumption: twice Rwanda's status-quo net rent",
            label="DRC's harm from occupation",
        ),
        Parameter(
            "W",
            1.0,
            (0.0, 10.0),
            UNIT,
            "the DRC's value of restored territory",
            "assumption: equal to Rwanda's status-quo net rent",
            label="DRC's value of territory",
        ),
        Parameter(
            "n",
            1,
            (1, 10),
            "tranches",
            "number of verified withdrawal tranches (phased regime)",
            "assumption: n = 1 reduces phased to withdraw_first",
            integer=True,
            label="number of tranches",
        ),
    ]
)
PLAYERS = ("Rwanda", "DRC")


def withdraw_first(p):
    """The U.S. draft: Rwanda withdraws first, then the DRC complies or reneges."""
    renege = Chance(
        {
            "detected": (p.q, Terminal(-p.theta, -p.s + p.W)),
            "undetected": (1 - p.q, Terminal(p.M_R - p.theta, p.M_G + p.W)),
        }
    )
    drc = Decision("DRC", {"Comply": Terminal(p.M_R, p.M_G - p.k_G + p.W), "Renege": renege})
    root = Decision("Rwanda", {"Withdraw": drc, "Stay": Terminal(p.rho - p.c_R, -p.H)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="withdraw first")


def neutralize_first(p):
    """The DRC neutralizes the FDLR first, then Rwanda withdraws or stays covertly.

    Covert stay: Rwanda keeps its rents (``rho - c_R``); if detected (probability ``q_R``)
    the U.S. withholds the investment and sanctions Rwanda (``-s_R``); if undetected the
    investment flows (``+M_R``).  The DRC has paid ``k_G``, is still occupied (``-H``), does
    not recover territory, and receives the investment only if the stay goes undetected.
    """
    rent = p.rho - p.c_R
    covert = Chance(
        {
            "detected": (p.q_R, Terminal(rent - p.s_R, -p.k_G - p.H)),
            "undetected": (1 - p.q_R, Terminal(rent + p.M_R, p.M_G - p.k_G - p.H)),
        }
    )
    rwanda = Decision("Rwanda", {"Withdraw": Terminal(p.M_R, p.M_G - p.k_G + p.W), "Stay": covert})
    root = Decision("DRC", {"Neutralize": rwanda, "Refuse": Terminal(rent, -p.H)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="neutralize first")


def simultaneous(p):
    """Both choose at once; expected payoffs of the detection lotteries."""
    rent = p.rho - p.c_R
    rwanda = [
        [p.M_R, (1 - p.q) * p.M_R - p.theta],
        [rent + (1 - p.q_R) * p.M_R - p.q_R * p.s_R, rent],
    ]
    drc = [
        [p.M_G - p.k_G + p.W, (1 - p.q) * p.M_G - p.q * p.s + p.W],
        [(1 - p.q_R) * p.M_G - p.k_G - p.H, -p.H],
    ]
    return NormalFormGame(
        [rwanda, drc],
        players=PLAYERS,
        strategies=(("Withdraw", "Stay"), ("Comply", "Renege")),
        parameters=PARAMETERS,
        title="simultaneous",
    )


def _halt(p, m):
    """Payoffs when Rwanda stops after `m` of `n` tranches (the rest stay deployed)."""
    n = p.n
    rwanda = m * p.M_R / n + (n - m) * (p.rho - p.c_R) / n
    drc = m * (p.M_G - p.k_G + p.W) / n - (n - m) * p.H / n
    return rwanda, drc


def _tranche(p, t):
    """Rwanda's choice at tranche `t` (1-based) after `t - 1` verified tranches."""
    n = p.n
    done_r, done_g = (t - 1) * p.M_R / n, (t - 1) * (p.M_G - p.k_G + p.W) / n
    left_r, left_g = (n - t) * (p.rho - p.c_R) / n, -(n - t) * p.H / n
    exposed = p.theta * t / n  # security loss on the withdrawn share if the FDLR is not hit
    renege = Chance(
        {
            "detected": (p.q, Terminal(done_r + left_r - exposed, done_g + left_g + p.W / n - p.s)),
            "undetected": (
                1 - p.q,
                Terminal(
                    done_r + left_r - exposed + p.M_R / n, done_g + left_g + p.W / n + p.M_G / n
                ),
            ),
        }
    )
    comply = _tranche(p, t + 1) if t < n else Terminal(*_halt(p, n))
    drc = Decision("DRC", {"Comply": comply, "Renege": renege})
    return Decision("Rwanda", {"Withdraw": drc, "Stay": Terminal(*_halt(p, t - 1))})


def phased(p):
    """Withdrawal in ``n`` verified tranches (an alternating tree of depth ``2n``).

    After ``m`` verified tranches Rwanda has received ``m M_R / n`` and keeps the rents
    ``(n - m)(rho - c_R)/n`` of the troops still deployed; the DRC has ``m (M_G - k_G +
    W)/n`` and suffers ``(n - m) H / n``.  If the DRC reneges at tranche ``t``, the process
    stops: it keeps the territory of that tranche (``W/n``) and saves ``k_G/n``; with
    probability ``q`` the violation is detected (tranche investment withheld, sanction
    ``s``), otherwise the tranche's investment flows; Rwanda loses ``theta t / n`` (its
    exposure on the withdrawn share).

    Derivation (backward induction along the agreement path).  Rwanda's constraint at
    every tranche reduces to ``M_R >= rho - c_R`` (each withdrawal trades ``(rho - c_R)/n``
    for ``M_R/n``).  The DRC's gain from complying rather than reneging at tranche ``t``,
    when the later tranches are completed, is
    ``[(n - t)(M_G - k_G + W + H) + q M_G - k_G]/n + q s``, so it complies iff
    ``q (M_G + n s) >= k_G - (n - t)(M_G - k_G + W + H)``.  The right side is linear in
    ``t``: the last tranche binds when ``M_G - k_G + W + H >= 0``, giving
    ``q* = k_G / (M_G + n s)``; otherwise the first tranche binds.
    """
    return GameTree(
        PLAYERS, _tranche(p, 1), parameters=PARAMETERS, title=f"phased withdrawal, {p.n} tranches"
    )


MODEL = Model(
    name="withdrawal_sequencing",
    title="Withdrawal sequencing in the Rwanda-DRC deal",
    description=(
        "Rwanda (troops in eastern DRC) and the DRC (FDLR neutralization) under four "
        "sequencing regimes brokered by the U.S.: withdrawal first (the reported U.S. draft), "
        "neutralization first, simultaneous, and phased withdrawal in verified tranches."
    ),
    parameters=PARAMETERS,
    # the report's figure: detection probability against the DRC's investment value
    report_axes=("q", "M_G"),
    regimes=[
        Regime(
            "withdraw_first",
            withdraw_first,
            "Rwanda withdraws first; the DRC then complies or reneges (U.S. draft)",
            agreement=("Withdraw", "Comply"),
        ),
        Regime(
            "neutralize_first",
            neutralize_first,
            "the DRC neutralizes the FDLR first; Rwanda then withdraws or stays covertly",
            agreement=("Neutralize", "Withdraw"),
        ),
        Regime(
            "simultaneous",
            simultaneous,
            "both move at once (2x2 normal form)",
            agreement=("Withdraw", "Comply"),
        ),
        Regime(
            "phased",
            phased,
            "n verified tranches, investment released per tranche",
            agreement=("Withdraw", "Comply"),
        ),
    ],
    references=(
        Reference(
            kind="news",
            container="Reuters",
            year=2025,
            note=(
                "Report on the U.S. draft Rwanda-DRC agreement: Rwanda to withdraw troops, weapons "
                "and equipment before signing (four diplomatic sources)"
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
            authors=("U.S. Geological Survey",),
            year=2025,
            title="Cobalt",
            container="Mineral Commodity Summaries",
            publisher="U.S. Geological Survey",
        ),
    ),
)

__all__ = ["MODEL"]
