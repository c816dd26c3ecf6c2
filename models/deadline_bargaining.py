"""Deadline bargaining: alternating offers under the U.S. deadline, with breakdown risk.

Context.  After the Declaration of Principles of 25 April 2025 the U.S. aimed to close a
Rwanda-DRC deal "within two months" (Massad Boulos, senior Africa adviser, Reuters
interview 2025); the Washington Peace Agreement was signed on 27 June 2025 (U.S. State
Department), about nine weeks later.  The parties bargained over the terms of the security
arrangement and the share of the gains of the regional economic integration (mineral
investment) that each could claim.

The model.  The DRC and Rwanda split a unit surplus by alternating offers (Rubinstein 1982):
the DRC proposes in rounds 1, 3, ...; Rwanda in rounds 2, 4, ....  The responder accepts,
rejects, or walks out to its outside option ``w_G`` (the DRC: continued fighting, the Doha
track) or ``w_R`` (Rwanda: the status quo rents).  After a rejection the talks break down with
probability ``p`` per round (Binmore, Rubinstein & Wolinsky 1986); the U.S. deadline ends them
after ``N`` rounds.  On breakdown, at the deadline and on a walk-out both parties fall back on
their outside options (the disagreement point is ``(w_G, w_R)``).  Payoffs are discounted by
``delta`` per round.  The per-round breakdown probability comes from ``P_fail``, the
probability that the talks would fail before the deadline without agreement::

    1 - (1 - p)**N = P_fail    <=>    p = 1 - (1 - P_fail)**(1/N).

In the subgame-perfect equilibrium of the full game (any offer in [0, 1]) agreement is
immediate and the first proposer's share is ``x_N = 1 - max(w_R, p w_R + (1 - p) delta
y_{N-1})``, where ``y_{N-1}`` is Rwanda's share as first proposer of the remaining
``N - 1`` rounds, by backward induction from ``y_1 = 1 - w_G`` (the outside-option principle:
an option matters only when it beats rejecting; Binmore, Shaked & Sutton 1989).

Regimes (perfect-information trees; players DRC and Rwanda): the same game with the deadline
after two and after three rounds, each with its own per-round breakdown probability
``p_n = 1 - (1 - P_fail)**(1/n)`` (the trees stay small enough for the symbolic derivation;
the outputs below take any ``N``).  The DRC opens with a *hard-line demand* ``h`` (its share;
e.g. Rwanda's withdrawal before signing) or walks out; Rwanda accepts, walks out, or rejects;
a rejection is followed by breakdown (probability ``p_n``) or the next round:

* ``two_rounds``: round 2 is the deadline; Rwanda offers the DRC its option ``w_G`` (the
  DRC accepts on the tie; a terminal).  Derived agreement condition of ``Demand -> Accept``::

      w_G <= h    and    1 - h >= w_R    and    1 - h >= p w_R + (1 - p) delta (1 - w_G),

  i.e. ``w_G <= h <= x_2`` with ``x_2 = 1 - max(w_R, p w_R + (1 - p) delta (1 - w_G))``.
* ``three_rounds``: in round 2 Rwanda offers the DRC either its option ``w_G`` or its value
  of rejecting ``r_2 = p w_G + (1 - p) delta (1 - w_R)`` (round 3, the deadline, where the
  DRC offers Rwanda ``w_R``, is a terminal).  The DRC's reservation value is one of the two,
  so the SPE of the tree is the SPE with any offer; the derived condition is
  ``w_G <= h <= x_3`` with ``x_3 = 1 - max(w_R, p w_R + (1 - p) delta (1 - max(w_G, r_2)))``
  (a disjunction over which reservation binds).

The conditions contain ``sqrt(1 - P_fail)`` (``(1 - P_fail)**(1/3)``): exact, but solvable
in closed form only for ``h`` (and the linear parameters ``w_G``, ``w_R``, ``delta`` at fixed
``P_fail``).  Ties go to the agreement (the package's tie rule): Rwanda accepts a demand that
leaves it exactly its continuation value.  A rejected DRC gets at most its (discounted)
option, so a demand Rwanda would reject is not made: the DRC walks out instead (the path
``Demand -> Reject`` needs ``w_G = 0``).  The trees do not depend on ``N``; conditions are
derived at the default ``N`` but hold for every ``N``.

Closed-form outputs (any ``N``): ``breakdown_per_round`` ``p``; ``share_first_proposer``
``x_N`` (:func:`bargain.bargaining.rubinstein` with ``horizon=N``); ``share_no_deadline`` (no
horizon, the same ``p``); ``deadline_effect`` (their difference: what the deadline gives the
DRC; it favours the last proposer, Rwanda when ``N`` is even and the DRC when ``N`` is odd);
``demand_gap`` ``x_N - h`` (the hard-line demand is accepted iff >= 0 and ``h >= w_G``).

Defaults (illustrative assumptions with wide ranges): weekly rounds over two months
(``N = 8``), a 30% chance that the talks collapse before the deadline, ``delta = 0.98`` per
round, ``w_G = 0.2``, ``w_R = 0.3``, and the DRC's hard-line demand ``h = 0.6``.  Then the
hard line holds with a three-round deadline (the DRC makes the last offer, ``x_3 = 0.646``)
and fails with a two-round one (Rwanda does, ``x_2 = 0.295``: the DRC walks out).

References
----------
Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica 50(1), 97-109.
Binmore, K., Rubinstein, A. & Wolinsky, A. (1986). The Nash bargaining solution in economic
modelling. RAND Journal of Economics 17(2), 176-188.
Binmore, K., Shaked, A. & Sutton, J. (1989). An outside option experiment. Quarterly Journal
of Economics 104(4), 753-770.
Osborne, M. J. & Rubinstein, A. (1990). Bargaining and Markets. Academic Press.
Reuters (2025). Interview with Massad Boulos ("within two months").
U.S. Department of State (2025). Declaration of Principles, 25 April 2025; Washington Peace
Agreement, 27 June 2025.
"""

import numpy as np

from bargain import Chance, Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.bargaining import rubinstein
from bargain.games.parameters import is_symbolic
from bargain.models import Output, Reference

SHARE = "share of the surplus (the deal's gains, normalized to 1)"
ASSUMPTION = "assumption: illustrative, wide range"

PARAMETERS = ParameterSet(
    [
        Parameter(
            "P_fail",
            0.3,
            (0.01, 0.95),
            "probability",
            "probability that the talks break down before the deadline if no agreement is "
            "reached (exogenous breakdown over all N rounds)",
            f"{ASSUMPTION}; the U.S. pressed for a deal within two months (Massad Boulos, "
            "Reuters interview 2025)",
            label="breakdown probability",
        ),
        Parameter(
            "w_G",
            0.2,
            (0.0, 0.45),
            SHARE,
            "the DRC's outside option (continued fighting, the Doha track); also its payoff on "
            "breakdown and at the deadline",
            f"{ASSUMPTION}; Doha track with M23 from 19 July 2025 (Qatar MFA)",
            label="DRC's outside option",
        ),
        Parameter(
            "w_R",
            0.3,
            (0.0, 0.45),
            SHARE,
            "Rwanda's outside option (keeping the status quo rents); also its payoff on "
            "breakdown and at the deadline",
            f"{ASSUMPTION}; Rwandan deployment 3,000-12,000 troops (UN Group of Experts "
            "2024-2025; Reuters 2025)",
        ),
        Parameter(
            "delta",
            0.98,
            (0.5, 0.999),
            "per round",
            "discount factor per bargaining round (common to both parties)",
            f"{ASSUMPTION}; a round is a week at the default N = 8",
        ),
        Parameter(
            "h",
            0.6,
            (0.05, 0.95),
            SHARE,
            "the DRC's hard-line opening demand (its share; e.g. Rwandan withdrawal before "
            "signing)",
            f"{ASSUMPTION}; the U.S. draft asked Rwanda to withdraw before signing (Reuters 2025)",
        ),
        Parameter(
            "N",
            8,
            (2, 12),
            "rounds",
            "number of bargaining rounds before the U.S. deadline (closed-form outputs; the "
            "regimes are the N = 2 and N = 3 games)",
            "assumption: weekly rounds over the two months the U.S. aimed for (Boulos, Reuters "
            "2025); 25 April to 27 June 2025 is nine weeks (U.S. State Department)",
            integer=True,
        ),
    ]
)
PLAYERS = ("DRC", "Rwanda")


def survival(p_fail, n):
    """Per-round probability that the talks survive a rejection: ``(1 - P_fail)**(1/n)``."""
    if is_symbolic(p_fail):
        import sympy

        return (1 - p_fail) ** sympy.Rational(1, int(n))
    return (1 - np.asarray(p_fail, float)) ** (1.0 / np.asarray(n, float))


def _reject(p, s, continuation):
    """A rejection in round 1: breakdown (both take their options) or the continuation."""
    return Chance({"Breakdown": (1 - s, Terminal(p.w_G, p.w_R)), "Continue": (s, continuation)})


def _round_one(p, s, continuation, title):
    """The DRC demands ``h`` or walks out; Rwanda accepts, rejects or walks out."""
    rwanda = Decision(
        "Rwanda",
        {
            "Accept": Terminal(p.h, 1 - p.h),
            "Reject": _reject(p, s, continuation),
            "Walk out": Terminal(p.w_G, p.w_R),
        },
    )
    root = Decision("DRC", {"Demand": rwanda, "Walk out": Terminal(p.w_G, p.w_R)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title=title)


def _reject_2(p, s, last):
    """A rejection in round 2: breakdown (options, discounted once) or the deadline round."""
    d = p.delta
    return Chance(
        {"Breakdown": (1 - s, Terminal(d * p.w_G, d * p.w_R)), "Continue": (s, Terminal(*last))}
    )


def _offer(p, share, discount, reject):
    """Rwanda offers the DRC `share` in a round discounted by `discount`; the DRC answers."""
    d = discount
    return Decision(
        "DRC",
        {
            "Accept": Terminal(d * share, d * (1 - share)),
            "Reject": reject,
            "Walk out": Terminal(d * p.w_G, d * p.w_R),
        },
    )


def two_rounds(p):
    """Deadline after round 2: Rwanda's last offer leaves the DRC its option ``w_G``.

    The continuation after a rejection in round 1 is the deadline round, where Rwanda offers
    the DRC exactly its outside option (the DRC accepts on the tie); it is a terminal.
    """
    s = survival(p.P_fail, 2)
    last = Terminal(p.delta * p.w_G, p.delta * (1 - p.w_G))
    return _round_one(p, s, last, "hard-line demand, deadline after two rounds")


def three_rounds(p):
    """Deadline after round 3: Rwanda's round-2 offer is one of the DRC's two reservation
    values (its option ``w_G`` or the value of rejecting), so the SPE of the tree is the SPE
    with any offer; round 3 (the DRC offers Rwanda ``w_R``) is a terminal."""
    s = survival(p.P_fail, 3)
    d = p.delta
    # round 3 (deadline): the DRC keeps 1 - w_R; Rwanda gets w_R (discount delta**2)
    last = (d * d * (1 - p.w_R), d * d * p.w_R)
    r_2 = (1 - s) * p.w_G + s * d * (1 - p.w_R)  # the DRC's value of rejecting in round 2
    rwanda_2 = Decision(
        "Rwanda",
        {
            "Offer option": _offer(p, p.w_G, d, _reject_2(p, s, last)),
            "Offer continuation": _offer(p, r_2, d, _reject_2(p, s, last)),
        },
    )
    return _round_one(p, s, rwanda_2, "hard-line demand, deadline after three rounds")


# -- closed-form outputs (vectorized over parameter points; loops over rubinstein) ----------


def breakdown_per_round(p):
    """``p = 1 - (1 - P_fail)**(1/N)``, so that ``1 - (1 - p)**N = P_fail``."""
    return 1.0 - survival(p.P_fail, p.N)


def _shares(p, *, horizon_from_n):
    """The DRC's SPE share at each point (a loop over :func:`rubinstein`, scalar only)."""
    cols = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (p.P_fail, p.N, p.delta, p.w_G, p.w_R))
    )
    shape = cols[0].shape
    pf, n, d, w_g, w_r = (c.ravel() for c in cols)
    out = np.empty(pf.size)
    for k in range(pf.size):
        b = float(1.0 - (1.0 - pf[k]) ** (1.0 / n[k]))
        w = (float(w_g[k]), float(w_r[k]))
        horizon = round(n[k]) if horizon_from_n else None
        r = rubinstein(d[k], d[k], horizon=horizon, breakdown=b, disagreement=w, outside_options=w)
        out[k] = r.shares[0]
    return out.reshape(shape)


def share_first_proposer(p):
    """The DRC's SPE share with the deadline after N rounds (``rubinstein(horizon=N)``)."""
    return _shares(p, horizon_from_n=True)


def share_no_deadline(p):
    """The DRC's SPE share without a deadline (same per-round breakdown risk)."""
    return _shares(p, horizon_from_n=False)


def deadline_effect(p):
    """``share_first_proposer - share_no_deadline``: what the deadline gives the DRC."""
    return share_first_proposer(p) - share_no_deadline(p)


def demand_gap(p):
    """``x_N - h``: the hard-line demand is accepted (deadline regime) iff >= 0."""
    return share_first_proposer(p) - np.asarray(p.h, float)


MODEL = Model(
    name="deadline_bargaining",
    title="Deadline bargaining: alternating offers under the U.S. deadline",
    description=(
        "The DRC and Rwanda split the gains of a deal by alternating offers (Rubinstein "
        "1982) with an exogenous breakdown risk per round derived from the probability that "
        "the talks fail before the deadline (Binmore, Rubinstein & Wolinsky 1986), outside "
        "options (Binmore, Shaked & Sutton 1989) and the U.S. deadline after N rounds; the "
        "DRC opens with a hard-line demand."
    ),
    parameters=PARAMETERS,
    report_axes=("P_fail", "w_G"),
    regimes=[
        Regime(
            "two_rounds",
            two_rounds,
            "the DRC's hard-line demand; Rwanda accepts, walks out or rejects; deadline after "
            "round 2 (Rwanda's last offer)",
            agreement=("Demand", "Accept"),
        ),
        Regime(
            "three_rounds",
            three_rounds,
            "the DRC's hard-line demand; Rwanda accepts, walks out or rejects; Rwanda offers "
            "in round 2; deadline after round 3 (the DRC's last offer)",
            agreement=("Demand", "Accept"),
        ),
    ],
    outputs=[
        Output(
            "breakdown_per_round",
            breakdown_per_round,
            "per-round breakdown probability 1 - (1 - P_fail)^(1/N)",
            "probability",
        ),
        Output(
            "share_first_proposer",
            share_first_proposer,
            "the DRC's subgame-perfect share with the deadline after N rounds",
            SHARE,
        ),
        Output(
            "share_no_deadline",
            share_no_deadline,
            "the DRC's subgame-perfect share without a deadline",
            SHARE,
        ),
        Output(
            "deadline_effect",
            deadline_effect,
            "the DRC's share with the deadline minus without",
            SHARE,
        ),
        Output(
            "demand_gap",
            demand_gap,
            "SPE share with the deadline minus the hard-line demand (accepted iff >= 0)",
            SHARE,
        ),
    ],
    references=(
        Reference(
            kind="article",
            authors=("Rubinstein, A.",),
            year=1982,
            title="Perfect equilibrium in a bargaining model",
            container="Econometrica",
            volume="50",
            number="1",
            pages="97-109",
        ),
        Reference(
            kind="article",
            authors=("Binmore, K.", "Rubinstein, A.", "Wolinsky, A."),
            year=1986,
            title="The Nash bargaining solution in economic modelling",
            container="RAND Journal of Economics",
            volume="17",
            number="2",
            pages="176-188",
        ),
        Reference(
            kind="article",
            authors=("Binmore, K.", "Shaked, A.", "Sutton, J."),
            year=1989,
            title="An outside option experiment",
            container="Quarterly Journal of Economics",
            volume="104",
            number="4",
            pages="753-770",
        ),
        Reference(
            kind="book",
            authors=("Osborne, M. J.", "Rubinstein, A."),
            year=1990,
            title="Bargaining and Markets",
            publisher="Academic Press",
        ),
        Reference(
            kind="news",
            container="Reuters",
            year=2025,
            note=(
                "Interview with Massad Boulos, U.S. senior adviser for Africa: a deal 'within two "
                "months'"
            ),
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
    ),
)

__all__ = ["MODEL"]
