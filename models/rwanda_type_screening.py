"""Rwanda's type and the security mechanism: does the withdrawal-first offer screen?

Context.  Kigali states a security motive (the FDLR); critics see a rent motive (minerals
trafficked from eastern DRC, UN Group of Experts on the DRC, 2024, 2025).  The Washington
Peace Agreement of 27 June 2025 (U.S. State Department) pairs withdrawal with a joint
security coordination mechanism.  The question: can the DRC and the U.S., not knowing
which Rwanda they face, use the mechanism to tell the two apart?

The model.  Rwanda is security-motivated with prior probability ``p_sec`` and
rent-motivated otherwise; it knows its type.  The DRC (with the U.S. behind it; the U.S.
enters through the parameters) offers either

* ``Mechanism``: the withdrawal-first deal with the joint security mechanism: Rwanda
  withdraws under verification and the DRC neutralizes the FDLR (cost ``k_G``); or
* ``Plain``: withdrawal without the mechanism: no neutralization, no verification.

Rwanda accepts or rejects (status quo); its actions carry its type (``Accept_sec``,
``Reject_rent``, ...) so that a path names each type's reply.  Payoffs reuse the parameters of
``withdrawal_sequencing`` (same names and defaults) plus ``p_sec`` and ``e_R``, the
rent-motivated type's extraction rents:

=====================  ==========================  ===============================
outcome                Rwanda (security / rent)    DRC
=====================  ==========================  ===============================
reject                 rho - c_R / rho - c_R + e_R  -H
Mechanism accepted     M_R / M_R                   M_G - k_G + W
Plain accepted         M_R - theta / M_R + e_R     M_G + W (security), M_G + W - e_R (rent)
=====================  ==========================  ===============================

Under the mechanism the FDLR is neutralized (the security type loses nothing) and
verification ends the extraction; under the plain deal the security type bears the FDLR
threat ``theta`` and the rent-motivated type keeps extracting through proxies.

Formulations.  The Bayesian game (Harsanyi 1967–68) has nature first and the DRC choosing
at an information set joining both types (:func:`harsanyi_tree`; imperfect information,
solved by subgame decomposition: Rwanda's replies are subgames, the DRC's choice is a
one-player piece).  Because the DRC learns nothing before it offers, the game is
strategically equivalent to the perfect-information tree in which the DRC offers first,
nature then draws the type and Rwanda replies: the DRC's strategies, Rwanda's type-contingent
replies and every payoff are the same.  That tree is the regime ``screening``, which the
symbolic conditions, ``bargain derive`` and ``bargain report`` read.

Results (derived in :func:`screening_threshold`, tested).  The Mechanism offer separates
the types (the security type accepts, the rent type rejects) iff
``rho - c_R <= M_R <= rho - c_R + e_R`` (at equality the indifferent type takes the
agreement action); the Plain offer is accepted by the rent type only iff
``M_R >= rho - c_R`` and ``M_R - theta < rho - c_R``.  Where both hold with
``M_R > rho - c_R``, the DRC offers the mechanism (the mechanism screens) iff

    p_sec >= p* = (M_G + W + H - e_R) / (2 (M_G + W + H) - k_G - e_R)

(when the denominator is positive, as at the defaults; otherwise the inequality turns).

Defaults: ``p* = 4.5 / 8.5 ≈ 0.53`` and ``p_sec = 0.6``: the mechanism is offered, the
security type accepts and the rent type rejects.  The numbers are illustrative assumptions.

References
----------
Harsanyi, J. C. (1967–68). Games with incomplete information played by "Bayesian"
players, I–III. Management Science 14.
UN Group of Experts on the DRC (2024, 2025). Final reports.
U.S. Department of State (2025). Washington Peace Agreement, 27 June 2025.
"""

from __future__ import annotations

from typing import Any

from bargain import Chance, Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.models import Reference, load_model

_BASE = load_model("withdrawal_sequencing").parameters
_REUSED = ("rho", "c_R", "M_R", "M_G", "k_G", "theta", "H", "W")
UNIT = _BASE["rho"].unit

PARAMETERS = ParameterSet(
    [
        *(_BASE[name] for name in _REUSED),
        Parameter(
            "p_sec",
            0.6,
            (0.0, 1.0),
            "probability",
            "prior probability that Rwanda is security-motivated (FDLR) rather than rent-motivated",
            "assumption: contested; Kigali cites the FDLR, the UN Group of Experts "
            "(2024, 2025) documents mineral trafficking",
            label="prior of a security type",
            tex=r"$p_{\mathrm{sec}}$",
        ),
        Parameter(
            "e_R",
            0.5,
            (0.0, 5.0),
            UNIT,
            "extraction rents of a rent-motivated Rwanda, kept under a plain deal and ended "
            "by the verification of the mechanism",
            "assumption: half the status-quo net rent; UN Group of Experts (2024, 2025) on "
            "minerals trafficked through Rwanda",
            label="extraction rents",
        ),
    ]
)
PLAYERS = ("Rwanda", "DRC")
AGREEMENT = ("Mechanism", "Accept_sec", "Reject_rent")


def _reply(p: Any, offer: str, kind: str) -> Decision:
    """Rwanda of type `kind` ("security" or "rent") accepts or rejects `offer`."""
    rent = p.rho - p.c_R
    if kind == "security":
        accept = p.M_R if offer == "Mechanism" else p.M_R - p.theta
        status_quo = rent
        drc = p.M_G - p.k_G + p.W if offer == "Mechanism" else p.M_G + p.W
    else:
        accept = p.M_R if offer == "Mechanism" else p.M_R + p.e_R
        status_quo = rent + p.e_R
        drc = p.M_G - p.k_G + p.W if offer == "Mechanism" else p.M_G + p.W - p.e_R
    tag = "sec" if kind == "security" else "rent"
    return Decision(
        "Rwanda",
        {f"Accept_{tag}": Terminal(accept, drc), f"Reject_{tag}": Terminal(status_quo, -p.H)},
    )


def _types(p: Any, offer: str) -> Chance:
    return Chance(
        {
            "security": (p.p_sec, _reply(p, offer, "security")),
            "rent": (1 - p.p_sec, _reply(p, offer, "rent")),
        }
    )


def screening(p: Any) -> GameTree:
    """Perfect-information form: the DRC offers, nature draws Rwanda's type, Rwanda replies.

    The equilibrium path lists the offer, then the security type's and the rent type's
    replies (labels ``Accept_sec``/``Reject_sec`` and ``Accept_rent``/``Reject_rent``):
    ``("Mechanism", "Accept_sec", "Reject_rent")`` is the screening outcome.
    """
    root = Decision("DRC", {"Mechanism": _types(p, "Mechanism"), "Plain": _types(p, "Plain")})
    return GameTree(PLAYERS, root, parameters=PARAMETERS, title="type screening")


def harsanyi_tree(*, symbolic: bool = False, **values: float) -> GameTree:
    """The Bayesian game as a tree: nature first, the DRC at one information set, Rwanda.

    Parameters
    ----------
    symbolic : bool
        Return the tree with SymPy payoffs (else numeric at the defaults with `values`).
    **values : float
        Parameter values (validated against the bounds).

    Returns
    -------
    GameTree
        Imperfect information: the DRC's information set ``"offer"`` joins both types.
        Paths of its subgame-perfect equilibria list, per type in order (security, rent),
        the offer and the reply.

    Examples
    --------
    >>> t = harsanyi_tree()
    >>> t.perfect_information, [len(s.nodes) for s in t.infosets][:1]
    (False, [2])
    """
    from types import SimpleNamespace

    resolved = PARAMETERS.resolve(**values)
    p = SimpleNamespace(**PARAMETERS.symbol_map())

    def offer(kind: str) -> Decision:
        return Decision(
            "DRC",
            {o: _reply(p, o, kind) for o in ("Mechanism", "Plain")},
            infoset="offer",
        )

    root = Chance({"security": (p.p_sec, offer("security")), "rent": (1 - p.p_sec, offer("rent"))})
    tree = GameTree(PLAYERS, root, parameters=PARAMETERS, title="type screening (Harsanyi)")
    return tree if symbolic else tree.numeric(**resolved)


def screening_threshold() -> Any:
    """The prior ``p*`` above which the DRC offers the mechanism, derived with SymPy.

    In the region where the mechanism separates the types and the plain deal is accepted
    by the rent type only, the DRC's expected payoffs are linear in ``p_sec``:
    ``E[Mechanism] = p_sec (M_G - k_G + W) - (1 - p_sec) H`` and
    ``E[Plain] = -p_sec H + (1 - p_sec)(M_G + W - e_R)``; ``p*`` solves their equality.

    Examples
    --------
    >>> p_star = screening_threshold()
    >>> at = {PARAMETERS.symbol_map()[n]: x for n, x in PARAMETERS.resolve().items()}
    >>> float(p_star.subs(at))  # 4.5 / 8.5 at the defaults
    0.5294117647058824
    """
    import sympy

    s = PARAMETERS.symbol_map()
    p = s["p_sec"]
    mechanism = p * (s["M_G"] - s["k_G"] + s["W"]) - (1 - p) * s["H"]
    plain = -p * s["H"] + (1 - p) * (s["M_G"] + s["W"] - s["e_R"])
    (root,) = sympy.solve(sympy.Eq(mechanism, plain), p)
    return sympy.simplify(root)


MODEL = Model(
    name="rwanda_type_screening",
    title="Screening Rwanda's type with the joint security mechanism",
    description=(
        "Rwanda is security- or rent-motivated; the DRC (with the U.S.) offers the "
        "withdrawal-first deal with a joint security mechanism or a plain deal, and Rwanda "
        "accepts or rejects. When does the mechanism separate the types?"
    ),
    parameters=PARAMETERS,
    report_axes=("p_sec", "e_R"),
    regimes=[
        Regime(
            "screening",
            screening,
            "the DRC offers (mechanism or plain), nature draws Rwanda's type, Rwanda replies",
            agreement=AGREEMENT,
        ),
    ],
    references=(
        Reference(
            kind="article",
            authors=("Harsanyi, J. C.",),
            year=1967,
            note="Parts I-III, 1967-1968",
            title="Games with incomplete information played by Bayesian players, I-III",
            container="Management Science",
            volume="14",
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
            title="Washington Peace Agreement",
            date="2025-06-27",
            note=(
                "Joint security coordination mechanism within 30 days; regional economic "
                "integration framework within 90 days"
            ),
        ),
    ),
)

__all__ = ["MODEL", "harsanyi_tree", "screening_threshold"]
