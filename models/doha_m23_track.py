"""The Doha track: the DRC and M23 bargain in the shadow of war, under a domestic ceiling.

Context.  Alongside the Washington track (Rwanda–DRC: Declaration of Principles, 25 April
2025; Washington Peace Agreement, 27 June 2025, U.S. State Department), Qatar mediates
between the DRC government and the M23 rebels: a Declaration of Principles was signed in
Doha on 19 July 2025 and the Doha Framework on 15 November 2025 (Qatar MFA; press
reports).  The Qatari proposal asks M23 to withdraw from the areas it captured and to join
the national dialogue.  The DRC designated M23 a terrorist organization (2022) and calls
it a Rwandan proxy; Kigali denies backing it.  The UN Group of Experts on the DRC put the
Rwandan deployment at 3,000–4,000 troops (2024, "conservative") and up to ~6,000 in
January–April 2025; analysts and diplomats cited by Reuters (2025) at 7,000–12,000.

The model.  Bargaining over M23's share ``x`` of a unit good (political inclusion,
administrative posts, security roles: what it keeps in exchange for withdrawing), in the
shadow of war (Fearon 1995).  M23 wins a war with probability

    p_M = p0 + omega * T / T_max,        T_max = 12,000 troops,

rising with Rwandan support ``T``.  War costs M23 ``c_M`` and the DRC ``c_G`` (units of the
good), so the bargaining range of M23's shares that both prefer to war is
``[p_M - c_M, p_M + c_G]``.  The "terrorist" designation makes the deal a two-level game
(Putnam 1988): a settlement must be ratified at home, where no share above the ceiling
``x_bar`` passes.  A settlement exists iff the range meets ``[0, x_bar]``, i.e.

    p_M - c_M <= x_bar    <=>    T <= T* = T_max (x_bar + c_M - p0) / omega.

Regimes (perfect-information trees; players DRC, M23 and the Assembly, the DRC's domestic
ratifier whose payoff is ``x_bar - x`` for a ratified deal and 0 otherwise):

* ``ultimatum``: the DRC offers M23 its war value ``p_M - c_M`` (the least M23 accepts,
  the top of the DRC's side of the range: Fearon's take-it-or-leave-it proposer) or fights;
  M23 accepts or fights; the Assembly ratifies or vetoes (a veto means war).  Derived
  condition of the SPE agreement ``Offer -> Accept -> Ratify``: ``x_bar >= p_M - c_M`` —
  exactly the Fearon range meeting the ceiling.
* ``mediator_proposal``: the Qatari mediator proposes the midpoint of the range,
  ``x_m = p_M + (c_G - c_M)/2`` (split the difference; the symmetric Nash bargaining
  solution over the range); M23 and the DRC accept (each always weakly prefers it to war),
  the Assembly ratifies iff ``x_bar >= p_M + (c_G - c_M)/2``: the mediator's fair split
  needs more room under the ceiling than the DRC's ultimatum.

Closed-form outputs (Fearon 1995; Powell 2006):

* ``range_low``, ``range_high``: ``[p_M - c_M, p_M + c_G]`` clipped to [0, 1]
  (:func:`bargain.bargaining.fearon_range`); ``ceiling_gap`` = ``x_bar - (p_M - c_M)``
  (settlement iff >= 0); ``troop_threshold`` ``T*``.
* ``war_prob_unmediated``, ``war_prob_mediated``: the DRC does not know M23's cost; it is
  uniform on ``[0, c_bar]``.  The DRC, as proposer, keeps ``1 - x`` and wins a war with
  probability ``1 - p_M``: :func:`bargain.bargaining.fearon_screening` with
  ``p = 1 - p_M``, ``cost_a = c_G``, ``cost_b_max = c_bar`` gives war probability
  ``(c_bar - c_G) / (2 c_bar)`` (interior case).  The mediator is modelled as removing a
  share ``mu`` of the private-information noise: ``c_bar -> (1 - mu) c_bar``, which lowers
  the war probability in the interior case and removes it when ``(1 - mu) c_bar <= c_G``.
  Caveat (Fearon's corner): when the DRC's interior demand would exceed the whole good
  (``1 - p_M + (c - c_G)/2 > 1``) it demands everything and ``P(war) = p_M / c``, which
  *rises* as the noise ``c`` shrinks (e.g. ``p_M = 0.1, c_G = 0, c_bar = 1, mu = 0.5``:
  0.1 -> 0.2).
* ``commitment_peace``, ``steps_needed``: when Rwanda withdraws, M23's win probability falls
  by ``omega T / T_max``; the DRC cannot commit not to exploit the shift (Powell 2006).  Peace
  holds iff ``delta (p_M - p0) <= (1 - delta)(1 - p_M + c_M)``; phasing the withdrawal in
  ``n`` equal steps keeps the peace iff ``n >= delta (p_M - p0) / ((1 - delta)(1 - p_M +
  c_M))`` (:func:`bargain.bargaining.phased_shift`).

Ties: an indifferent player takes the agreement action (the package's tie rule); in the
ultimatum M23 is indifferent by construction and accepts, as in Fearon (1995).

Defaults.  At the baseline (T = 6,000, UN Group of Experts 2025) ``p_M = 0.375`` and M23's
war value ``0.275`` exceeds the ceiling ``x_bar = 0.25``: no settlement; below
``T* = 5,333`` troops (e.g. the 2024 estimate) there is one.  Every value but ``T`` is an
illustrative assumption with a wide range.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. International Organization 49(3),
379-414.
Powell, R. (2006). War as a commitment problem. International Organization 60(1), 169-203.
Putnam, R. D. (1988). Diplomacy and domestic politics: the logic of two-level games.
International Organization 42(3), 427-460.
Qatar Ministry of Foreign Affairs (2025). Declaration of Principles between the DRC and the
AFC/M23, Doha, 19 July 2025; Doha Framework, 15 November 2025.
UN Group of Experts on the DRC (2024, 2025). Final reports.
Reuters (2025). Report on the U.S. draft Rwanda–DRC agreement.
"""

import numpy as np

from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.models import Output, Reference

#: upper end of the troop estimates (analysts and diplomats cited by Reuters, 2025)
T_MAX = 12_000

SHARE = "share of the good (M23's share x in [0, 1])"
ASSUMPTION = "assumption: illustrative, wide range"

PARAMETERS = ParameterSet(
    [
        Parameter(
            "T",
            6000.0,
            (0.0, 12000.0),
            "troops",
            "Rwandan troops supporting M23 in eastern DRC",
            "UN Group of Experts on the DRC, final report 2025: up to ~6,000 (Jan-Apr 2025); "
            "3,000-4,000 in 2024 ('conservative'); 7,000-12,000 per analysts and diplomats "
            "(Reuters 2025) - the bounds span all estimates",
            label="Rwandan troops",
        ),
        Parameter(
            "p0",
            0.15,
            (0.0, 0.45),
            "probability",
            "M23's probability of winning a war without Rwandan support",
            f"{ASSUMPTION}; M23 held Goma and Bukavu in 2025 with Rwandan support (UN Group "
            "of Experts 2025), so its stand-alone strength is taken to be small",
        ),
        Parameter(
            "omega",
            0.45,
            (0.01, 0.5),
            "probability",
            "rise in M23's win probability at full Rwandan deployment (T = T_max = 12,000)",
            f"{ASSUMPTION}; p_M = p0 + omega T / T_max stays in [0, 0.95]",
        ),
        Parameter(
            "c_M",
            0.1,
            (0.0, 0.5),
            SHARE,
            "M23's cost of war",
            ASSUMPTION,
        ),
        Parameter(
            "c_G",
            0.15,
            (0.0, 0.5),
            SHARE,
            "the DRC's cost of war",
            f"{ASSUMPTION}; war in the east also costs the DRC its mining revenue (USGS "
            "Mineral Commodity Summaries: > 70% of world cobalt)",
        ),
        Parameter(
            "x_bar",
            0.25,
            (0.0, 1.0),
            SHARE,
            "the DRC's domestic ceiling: the largest share for M23 that can be ratified at home",
            f"{ASSUMPTION}; M23 designated a terrorist organization by the DRC (2022); "
            "two-level game (Putnam 1988)",
            label="DRC's ceiling on M23's share",
        ),
        Parameter(
            "c_bar",
            0.4,
            (0.01, 1.0),
            SHARE,
            "upper end of the DRC's uncertainty about M23's cost of war (uniform on [0, c_bar])",
            ASSUMPTION,
        ),
        Parameter(
            "mu",
            0.5,
            (0.0, 0.95),
            "fraction",
            "share of the private-information noise the Qatari mediation removes",
            f"{ASSUMPTION}; Doha Declaration of Principles (19 July 2025) and Framework "
            "(15 November 2025), Qatar MFA",
        ),
        Parameter(
            "delta",
            0.9,
            (0.5, 0.99),
            "per period",
            "discount factor (Powell commitment problem after a Rwandan withdrawal)",
            ASSUMPTION,
        ),
    ]
)
PLAYERS = ("DRC", "M23", "Assembly")


def win_probability(p):
    """M23's war-win probability ``p0 + omega T / T_max`` (symbols or arrays)."""
    return p.p0 + p.omega * p.T / T_MAX


def _war(p):
    """Expected war payoffs (DRC, M23, Assembly): ``1 - p_M - c_G``, ``p_M - c_M``, 0."""
    pm = win_probability(p)
    return Terminal(1 - pm - p.c_G, pm - p.c_M, 0)


def _ratify(p, x):
    """The Assembly ratifies the share `x` for M23 (payoff ``x_bar - x``) or vetoes (war)."""
    return Decision("Assembly", {"Ratify": Terminal(1 - x, x, p.x_bar - x), "Veto": _war(p)})


def ultimatum(p):
    """The DRC offers M23 its war value ``p_M - c_M`` or fights (Fearon 1995 ultimatum)."""
    x = win_probability(p) - p.c_M
    m23 = Decision("M23", {"Accept": _ratify(p, x), "Fight": _war(p)})
    root = Decision("DRC", {"Offer": m23, "Fight": _war(p)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="DRC ultimatum under a ceiling")


def mediator_proposal(p):
    """Qatar proposes the midpoint of the range; M23, then the DRC, then the Assembly decide."""
    x = win_probability(p) + (p.c_G - p.c_M) / 2
    drc = Decision("DRC", {"Sign": _ratify(p, x), "Fight": _war(p)})
    root = Decision("M23", {"Accept": drc, "Fight": _war(p)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="Qatari split-the-range proposal")


# -- closed-form outputs (vectorized over parameter points) -----------------------------------


def range_low(p):
    """Bottom of the Fearon range of M23's shares, ``max(0, p_M - c_M)``."""
    return np.maximum(0.0, win_probability(p) - p.c_M)


def range_high(p):
    """Top of the Fearon range, ``min(1, p_M + c_G)``."""
    return np.minimum(1.0, win_probability(p) + p.c_G)


def ceiling_gap(p):
    """``x_bar - (p_M - c_M)``: a settlement within the ceiling exists iff >= 0."""
    return p.x_bar - (win_probability(p) - p.c_M)


def troop_threshold(p):
    """``T* = T_max (x_bar + c_M - p0) / omega``: most troops compatible with a settlement.

    Clipped to [0, T_max] (omega > 0 by its bounds).
    """
    return np.clip(T_MAX * (p.x_bar + p.c_M - p.p0) / p.omega, 0.0, T_MAX)


def screening_war_probability(p_a, cost_a, cmax):
    """Vectorized :func:`bargain.bargaining.fearon_screening` war probability (Fearon 1995).

    Interior ``(cmax - cost_a) / (2 cmax)``; 0 when ``cost_a >= cmax``; ``(1 - p_a)/cmax``
    when the interior demand would exceed 1.
    """
    p_a, cost_a, cmax = np.broadcast_arrays(*(np.asarray(v, float) for v in (p_a, cost_a, cmax)))
    z = np.where(
        cost_a >= cmax,
        0.0,
        np.where(p_a + (cmax - cost_a) / 2 > 1, 1 - p_a, (cmax - cost_a) / 2),
    )
    return z / cmax


def war_prob_unmediated(p):
    """War probability when the DRC screens M23's cost uniform on ``[0, c_bar]``."""
    return screening_war_probability(1 - win_probability(p), p.c_G, p.c_bar)


def war_prob_mediated(p):
    """War probability with mediation: the noise shrinks to ``(1 - mu) c_bar``."""
    return screening_war_probability(1 - win_probability(p), p.c_G, (1 - p.mu) * p.c_bar)


def _powell_bound(p):
    shift = p.omega * p.T / T_MAX
    return p.delta * shift / ((1 - p.delta) * (1 - win_probability(p) + p.c_M))


def commitment_peace(p):
    """1.0 if ``delta (p_M - p0) <= (1 - delta)(1 - p_M + c_M)`` (Powell 2006), else 0.0."""
    shift = p.omega * p.T / T_MAX
    room = (1 - p.delta) * (1 - win_probability(p) + p.c_M)
    return (p.delta * shift <= room).astype(float)


def steps_needed(p):
    """Fewest equal withdrawal steps that keep the peace (Powell 2006; ``phased_shift``)."""
    return np.maximum(1.0, np.ceil(_powell_bound(p) - 1e-12))


MODEL = Model(
    name="doha_m23_track",
    title="The Doha track: DRC-M23 bargaining under a domestic ceiling",
    description=(
        "The DRC and M23 bargain over M23's share in the shadow of war (Fearon 1995); M23's "
        "strength rises with Rwandan troops; the terrorist designation caps what Kinshasa "
        "can ratify (a two-level game); Qatari mediation reduces private information; a "
        "Rwandan withdrawal shifts power (Powell 2006)."
    ),
    parameters=PARAMETERS,
    report_axes=("T", "x_bar"),
    regimes=[
        Regime(
            "ultimatum",
            ultimatum,
            "the DRC offers M23 its war value; M23 accepts or fights; the Assembly ratifies",
            agreement=("Offer", "Accept", "Ratify"),
        ),
        Regime(
            "mediator_proposal",
            mediator_proposal,
            "Qatar proposes the midpoint of the bargaining range; M23, the DRC and the "
            "Assembly accept or not",
            agreement=("Accept", "Sign", "Ratify"),
        ),
    ],
    outputs=[
        Output("range_low", range_low, "bottom of the Fearon range (M23's war value)", SHARE),
        Output("range_high", range_high, "top of the Fearon range (1 - DRC's war value)", SHARE),
        Output("ceiling_gap", ceiling_gap, "x_bar - (p_M - c_M); settlement iff >= 0", SHARE),
        Output(
            "troop_threshold",
            troop_threshold,
            "most Rwandan troops compatible with a settlement under the ceiling",
            "troops",
        ),
        Output(
            "war_prob_unmediated",
            war_prob_unmediated,
            "war probability when the DRC screens M23's private cost (Fearon 1995)",
            "probability",
        ),
        Output(
            "war_prob_mediated",
            war_prob_mediated,
            "war probability when mediation shrinks the cost uncertainty to (1 - mu) c_bar",
            "probability",
        ),
        Output(
            "commitment_peace",
            commitment_peace,
            "1 if the power shift of a full Rwandan withdrawal is compatible with peace "
            "(Powell 2006)",
            "indicator",
        ),
        Output(
            "steps_needed",
            steps_needed,
            "fewest equal withdrawal steps that keep the peace (Powell 2006)",
            "steps",
        ),
    ],
    references=(
        Reference(
            kind="article",
            authors=("Fearon, J. D.",),
            year=1995,
            title="Rationalist explanations for war",
            container="International Organization",
            volume="49",
            number="3",
            pages="379-414",
        ),
        Reference(
            kind="article",
            authors=("Powell, R.",),
            year=2006,
            title="War as a commitment problem",
            container="International Organization",
            volume="60",
            number="1",
            pages="169-203",
        ),
        Reference(
            kind="article",
            authors=("Putnam, R. D.",),
            year=1988,
            title="Diplomacy and domestic politics: the logic of two-level games",
            container="International Organization",
            volume="42",
            number="3",
            pages="427-460",
        ),
        Reference(
            kind="document",
            authors=("Qatar Ministry of Foreign Affairs",),
            title="DRC-AFC/M23 Declaration of Principles",
            date="2025-07-19",
            note="Doha",
        ),
        Reference(
            kind="document",
            authors=("Qatar Ministry of Foreign Affairs",),
            title="Doha Framework",
            date="2025-11-15",
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
            kind="news",
            container="Reuters",
            year=2025,
            note=(
                "Troop estimates of analysts and diplomats: 7,000-12,000 Rwandan troops in eastern "
                "DRC"
            ),
        ),
    ),
)

__all__ = ["MODEL"]
