"""Linked tracks: the Washington (Rwanda–DRC) and Doha (DRC–M23) tracks as one game.

Context.  The Washington track (Declaration of Principles, 25 April 2025; Washington Peace
Agreement, 27 June 2025, U.S. State Department; Washington Accords, 4 December 2025) asks
Rwanda to withdraw its troops (3,000-4,000 by the UN Group of Experts' 2024 "conservative"
estimate, up to ~6,000 in January-April 2025; 7,000-12,000 per analysts cited by Reuters,
2025).  The Doha track (Declaration of Principles, 19 July 2025; Doha Framework, 15
November 2025; Qatar MFA) asks M23 to withdraw from captured areas and join the national
dialogue.  The tracks are linked: Rwanda's troops are what makes M23 strong, so a
withdrawal changes the balance of power in the Doha bargaining.

The model.  Players Rwanda, the DRC, M23 and the Assembly (the DRC's domestic ratifier:
the "terrorist" designation caps M23's share at ``x_bar``, Putnam 1988; its payoff is
``x_bar - x`` for a ratified share ``x``, 0 otherwise).  M23 wins a war with probability
``p_hi = p0 + omega T / T_max`` while Rwanda's ``T`` troops stay and ``p0`` after they
leave; ``shift = omega T / T_max``.  War payoffs (Fearon 1995): M23 ``p - c_M``, the DRC
``1 - p - c_G``.  In Doha the DRC offers M23 its current war value ``p - c_M`` (the
take-it-or-leave-it offer).  Rwanda gets ``M_R`` (the Washington deal: regional economic
integration) if it withdraws, ``rho`` (its net rent from the deployment) if it stays, plus
``lam`` times M23's payoff (its stake in M23: the DRC's "proxy" claim, which Kigali denies;
``lam = 0`` allowed).  After Rwanda has withdrawn the DRC can renege on a Doha deal struck
at the old balance: it cuts M23 to its new war value ``p0 - c_M`` from the next period
(weight ``delta``; Powell 2006) unless a guarantor makes reneging cost ``g_Q`` per period
(Qatari/U.S. guarantee; Walter 2002).  Payoffs are normalized as in Powell (2006): a
flow ``x`` now and ``z`` later is worth ``(1 - delta) x + delta z``.

Regimes (perfect-information trees):

* ``washington_first``: Rwanda withdraws or stays; then Doha at the resulting balance.
* ``doha_first``: Doha at the current balance (``x = p_hi - c_M``); then Rwanda withdraws or
  stays; after a withdrawal the DRC honours or reneges.
* ``simultaneous``: one package: Rwanda commits to withdraw (or rejects the package), then
  M23 accepts the share ``p_hi - c_M`` or fights, the Assembly ratifies, the DRC honours or
  reneges.

Derived conditions (``model.conditions``; tested at random points against the solver):

* ``washington_first`` agreement (Withdraw, Offer, Accept, Ratify) iff

      M_R >= rho + lam * shift      and      x_bar >= p0 - c_M.

* ``doha_first`` agreement (Offer, Accept, Ratify, Withdraw, Honour) iff

      x_bar >= p_hi - c_M      and      g_Q >= shift      and      M_R >= rho.

* ``simultaneous`` agreement (Offer, Withdraw, Accept, Ratify, Honour): the same three
  inequalities as ``doha_first``.

When does settling one track first make the other settle too?

* Washington first makes Doha settle iff ``x_bar >= p0 - c_M``; it *adds* a Doha settlement
  that Doha alone at the current balance would not reach iff
  ``p0 - c_M <= x_bar < p_hi - c_M`` (the withdrawal brings M23's war value under the
  domestic ceiling).  Its price is on the Washington side: Rwanda must accept the fall in
  its proxy's value, ``M_R >= rho + lam * shift``.
* Doha first makes Washington settle iff the Doha deal is protected against the shift,
  ``g_Q >= shift``, and ``M_R >= rho``: a guaranteed Doha deal locks in M23's share, so
  Rwanda's stake no longer argues against withdrawing (``lam * shift`` drops out).  Without
  the guarantee (``g_Q < shift``) M23, anticipating the cut, fights rather than sign at the
  old balance — Powell's commitment problem — and Doha-first fails.
* Hence Washington first is the better sequence iff
  ``x_bar >= p0 - c_M`` and ``M_R >= rho + lam shift`` while
  (``x_bar < p_hi - c_M`` or ``g_Q < shift`` or ``M_R < rho``) holds — for instance a
  binding ceiling; Doha first is better iff the ceiling is slack at the old balance,
  the guarantee covers the shift and ``rho <= M_R < rho + lam shift``.

Ties: an indifferent player takes the agreement action (M23 is indifferent by construction
when offered its war value and accepts, as in Fearon 1995).

Defaults (assumptions; wide ranges): T = 6,000 (UN Group of Experts 2025) gives
``p_hi = 0.375``, ``shift = 0.225``; with ``x_bar = 0.25`` the ceiling binds at the current
balance (0.275) but not after a withdrawal (0.05), so Washington first settles both tracks
(``M_R = 1.2 >= rho + lam shift = 1.1125``) and Doha first does not.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. International Organization 49(3),
379-414.
Powell, R. (2006). War as a commitment problem. International Organization 60(1), 169-203.
Putnam, R. D. (1988). Diplomacy and domestic politics: the logic of two-level games.
International Organization 42(3), 427-460.
Walter, B. F. (2002). Committing to Peace. Princeton University Press.
U.S. Department of State (2025). Declaration of Principles, 25 April; Washington Peace
Agreement, 27 June.  Qatar MFA (2025). Doha Declaration of Principles, 19 July; Doha
Framework, 15 November.  UN Group of Experts on the DRC (2024, 2025). Final reports.
"""

from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.models import Reference

#: upper end of the troop estimates (analysts and diplomats cited by Reuters, 2025)
T_MAX = 12_000

SHARE = "share of the Doha good (M23's share x in [0, 1])"
UNIT = "index (Rwanda's status-quo net rent rho = 1)"
ASSUMPTION = "assumption: illustrative, wide range"

PARAMETERS = ParameterSet(
    [
        Parameter(
            "T",
            6000.0,
            (0.0, 12000.0),
            "troops",
            "Rwandan troops in eastern DRC",
            "UN Group of Experts on the DRC 2025: up to ~6,000 (Jan-Apr 2025); 3,000-4,000 in "
            "2024; 7,000-12,000 per analysts (Reuters 2025) - bounds span all estimates",
            label="Rwandan troops",
        ),
        Parameter(
            "p0",
            0.15,
            (0.0, 0.45),
            "probability",
            "M23's war-win probability without Rwandan troops",
            ASSUMPTION,
        ),
        Parameter(
            "omega",
            0.45,
            (0.01, 0.5),
            "probability",
            "rise in M23's win probability at full deployment (T = 12,000)",
            f"{ASSUMPTION}; p_hi = p0 + omega T / T_max",
        ),
        Parameter("c_M", 0.1, (0.0, 0.5), SHARE, "M23's cost of war", ASSUMPTION),
        Parameter("c_G", 0.15, (0.0, 0.5), SHARE, "the DRC's cost of war", ASSUMPTION),
        Parameter(
            "x_bar",
            0.25,
            (0.0, 1.0),
            SHARE,
            "the DRC's domestic ceiling on M23's share",
            f"{ASSUMPTION}; M23 designated a terrorist organization by the DRC (2022); "
            "two-level game (Putnam 1988)",
            label="DRC's ceiling on M23's share",
        ),
        Parameter(
            "delta",
            0.9,
            (0.5, 0.99),
            "per period",
            "weight of the future (after Rwanda's withdrawal) in normalized payoffs",
            ASSUMPTION,
        ),
        Parameter(
            "g_Q",
            0.1,
            (0.0, 1.0),
            SHARE,
            "per-period cost to the DRC of reneging on a guaranteed Doha deal",
            f"{ASSUMPTION}; Qatari mediation (Doha Framework, 15 Nov 2025) and U.S. "
            "leverage; third-party guarantees (Walter 2002)",
        ),
        Parameter(
            "rho",
            1.0,
            (0.0, 3.0),
            UNIT,
            "Rwanda's net rent from keeping its troops in",
            "assumption: index scale (as rho - c_R in withdrawal_sequencing)",
        ),
        Parameter(
            "M_R",
            1.2,
            (0.0, 3.0),
            UNIT,
            "value to Rwanda of the Washington deal (regional economic integration)",
            "assumption: framework of the Washington Peace Agreement, 27 June 2025; value "
            "not public",
        ),
        Parameter(
            "lam",
            0.5,
            (0.0, 2.0),
            "index per share",
            "Rwanda's stake in M23's payoff",
            "assumption: the DRC calls M23 a Rwandan proxy, Kigali denies backing it; "
            "lam = 0 is Kigali's position",
        ),
    ]
)
PLAYERS = ("Rwanda", "DRC", "M23", "Assembly")


def p_high(p):
    """M23's win probability with Rwandan troops, ``p0 + omega T / T_max``."""
    return p.p0 + p.omega * p.T / T_MAX


def _war(p, pm, base):
    """War at win probability `pm`; Rwanda's own payoff `base` plus its stake in M23's."""
    m23 = pm - p.c_M
    return Terminal(base + p.lam * m23, 1 - pm - p.c_G, m23, 0)


def _deal(p, base, x, *, drc=None, m23=None):
    """A ratified Doha deal: M23's share `x` (or payoff `m23`), the DRC's payoff `drc`."""
    m23 = x if m23 is None else m23
    drc = 1 - x if drc is None else drc
    return Terminal(base + p.lam * m23, drc, m23, p.x_bar - x)


def _honour(p, x):
    """After Rwanda's withdrawal the DRC honours the share `x` or cuts M23 to p0 - c_M."""
    y = (1 - p.delta) * x + p.delta * (p.p0 - p.c_M)
    return Decision(
        "DRC",
        {
            "Honour": _deal(p, p.M_R, x),
            "Renege": _deal(p, p.M_R, x, drc=1 - y - p.delta * p.g_Q, m23=y),
        },
    )


def _doha(p, pm, base):
    """Doha at win probability `pm`: offer the war value, accept or fight, ratify or veto."""
    x = pm - p.c_M
    assembly = Decision("Assembly", {"Ratify": _deal(p, base, x), "Veto": _war(p, pm, base)})
    m23 = Decision("M23", {"Accept": assembly, "Fight": _war(p, pm, base)})
    return Decision("DRC", {"Offer": m23, "Fight": _war(p, pm, base)})


def washington_first(p):
    """Rwanda withdraws or stays; Doha is then bargained at the resulting balance."""
    root = Decision(
        "Rwanda", {"Withdraw": _doha(p, p.p0, p.M_R), "Stay": _doha(p, p_high(p), p.rho)}
    )
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="Washington first")


def doha_first(p):
    """Doha at the current balance; then Rwanda withdraws; then the DRC honours or reneges."""
    ph = p_high(p)
    x = ph - p.c_M
    rwanda = Decision("Rwanda", {"Withdraw": _honour(p, x), "Stay": _deal(p, p.rho, x)})
    assembly = Decision("Assembly", {"Ratify": rwanda, "Veto": _war(p, ph, p.rho)})
    m23 = Decision("M23", {"Accept": assembly, "Fight": _war(p, ph, p.rho)})
    root = Decision("DRC", {"Offer": m23, "Fight": _war(p, ph, p.rho)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="Doha first")


def simultaneous(p):
    """One package: Rwanda commits to withdraw, M23 accepts ``p_hi - c_M``, ratification."""
    ph = p_high(p)
    x = ph - p.c_M
    assembly = Decision("Assembly", {"Ratify": _honour(p, x), "Veto": _war(p, p.p0, p.M_R)})
    m23 = Decision("M23", {"Accept": assembly, "Fight": _war(p, p.p0, p.M_R)})
    rwanda = Decision("Rwanda", {"Withdraw": m23, "Stay": _war(p, ph, p.rho)})
    root = Decision("DRC", {"Offer": rwanda, "Fight": _war(p, ph, p.rho)})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="simultaneous package")


MODEL = Model(
    name="linked_tracks",
    title="Linked tracks: Washington (Rwanda-DRC) and Doha (DRC-M23)",
    description=(
        "Rwanda's withdrawal lowers M23's strength in the Doha bargaining; three sequencings "
        "(Washington first, Doha first, one package) with a domestic ceiling on M23's share, "
        "Rwanda's stake in M23, and the DRC's commitment problem after the shift."
    ),
    parameters=PARAMETERS,
    report_axes=("T", "x_bar"),
    regimes=[
        Regime(
            "washington_first",
            washington_first,
            "Rwanda withdraws first; Doha is bargained at the new balance",
            agreement=("Withdraw", "Offer", "Accept", "Ratify"),
        ),
        Regime(
            "doha_first",
            doha_first,
            "Doha settles at the current balance; Rwanda then withdraws; the DRC honours",
            agreement=("Offer", "Accept", "Ratify", "Withdraw", "Honour"),
        ),
        Regime(
            "simultaneous",
            simultaneous,
            "one package: withdrawal, M23's acceptance and ratification together",
            agreement=("Offer", "Withdraw", "Accept", "Ratify", "Honour"),
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
            kind="book",
            authors=("Walter, B. F.",),
            year=2002,
            title="Committing to Peace: The Successful Settlement of Civil Wars",
            publisher="Princeton University Press",
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
    ),
)

__all__ = ["MODEL"]
