"""Staged withdrawal over time: the Rwanda–DRC deal as a stochastic game (issue 18).

Context (see ``/work/shared/REFERENCES.md``).  The U.S. draft of May–June 2025 asked
Rwanda to withdraw before signing (Reuters report on the U.S. draft, 2025); the U.S.
sought a deal "within two months" (Massad Boulos, Reuters interview 2025).  The Washington
Peace Agreement of 27 June 2025 (U.S. State Department) set up a joint security
coordination mechanism (first meetings Aug 2025, operations order from 1 Oct 2025, press
reports) and a regional economic integration framework.  Kigali's condition is the
neutralization of the FDLR (estimates < 1,000 to 1,000–2,000 fighters, UN Group of
Experts); Rwandan troops in eastern DRC: 7,000–12,000 (analysts, Reuters 2025) against
3,000–4,000 (UN Group of Experts 2024) and up to ~6,000 (2025).

The game (one regime, ``staged``).  A state is (remaining deployment ``m`` in ``0..k``
stages, FDLR active/contained, agreement in force/collapsed); the first state,
``(k, active, in force)``, is where play starts.  Each period Rwanda withdraws a stage,
holds, or re-escalates by one stage; the DRC acts against the FDLR or not.  The joint
security mechanism detects a re-escalation with probability ``q``: the agreement
collapses for good and Rwanda is sanctioned by ``s_R``; it also detects the DRC's inaction
against an active FDLR with probability ``q`` (sanction ``s_G``).  Each verified stage
withdrawn under the agreement pays Rwanda a U.S. tranche ``tau``, and the deal in force
pays ``M_R`` a period once the withdrawal is complete.  Rwanda's per-period rent from the
deployment, ``(rho - c_R) m / k`` — its outside option, the leverage it gives up by
withdrawing — falls with the remaining deployment: Powell's (2004, 2006) shifting power,
the commitment problem of Fearon (1995).  A withdrawn Rwanda bears a security loss
``theta (1 - m/k)`` while the FDLR is active.

The agreement (``Regime.profile``): while the agreement is in force, Rwanda withdraws one
stage per period and the DRC acts against an active FDLR; once it has collapsed (an
absorbing subgame without mechanism, tranche or deal), Rwanda re-escalates a stage per
period to its full deployment and the DRC does not act — the pure MPE of the collapsed
subgame that Rwanda prefers at the baseline (found by enumeration in
``examples/staged_withdrawal.py``).  The symbolic condition keeps ``delta``, ``p_c``,
``p_r`` and ``k`` numeric (``Regime.fixed``): they enter the profile's transitions, and an
exact value solve of 4(k + 1) states needs them as numbers.

Outputs (``Model.tables``; ``bargain report staged_withdrawal`` writes them):
``binding_stage`` — the detection probability each stage needs and the stage that binds,
over ``k`` and ``delta``; ``comparison`` — staged withdrawal against the withdrawal-first
and phased regimes of ``withdrawal_sequencing``: agreement at the baseline, detection
threshold, and time to full withdrawal against the two-month target.

All numbers are illustrative assumptions in an index unit (status-quo net rent
``rho - c_R = 1``); the bounds are wide on purpose.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. *International Organization* 49.
Powell, R. (2004). The inefficient use of power. *APSR* 98.
Powell, R. (2006). War as a commitment problem. *International Organization* 60.
Reuters (2025). Report on the U.S. draft Rwanda–DRC agreement; interview with M. Boulos.
UN Group of Experts on the DRC (2024, 2025). Final reports.
U.S. Department of State (2025). Washington Peace Agreement, 27 June 2025.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from bargain import Model, Parameter, ParameterSet, Reference, Regime

UNIT = "index (status-quo net rent rho - c_R = 1)"
TROOPS = (
    "troop estimates 7,000-12,000 (analysts, Reuters 2025) vs 3,000-4,000 (UN Group of "
    "Experts 2024), up to ~6,000 (UN Group of Experts 2025)"
)
MECHANISM = (
    "joint security coordination mechanism of the Washington Peace Agreement, 27 June 2025 "
    "(U.S. State Department); operations order from 1 Oct 2025 (press reports); no track record"
)
#: the U.S. target for the deal, in months (Boulos, Reuters interview 2025)
TARGET_MONTHS = 2.0

PARAMETERS = ParameterSet(
    [
        Parameter("k", 3, (1, 5), "stages", "number of verified withdrawal stages",
                  "assumption: phased withdrawal as in models/withdrawal_sequencing.py; "
                  + TROOPS, integer=True, label="withdrawal stages"),
        Parameter("delta", 0.9, (0.5, 0.99), "per period",
                  "discount factor per verification round",
                  "assumption; the U.S. sought a deal 'within two months' (Boulos, Reuters "
                  "interview 2025)", label="discount factor"),
        Parameter("period", 1.0, (0.25, 6.0), "months",
                  "length of one verification round (one stage at most per round)",
                  "assumption: a monthly review by the " + MECHANISM,
                  label="round length"),
        Parameter("q", 0.3, (0.0, 1.0), "probability",
                  "probability that the mechanism detects a violation",
                  "assumption: " + MECHANISM, label="detection probability"),
        Parameter("tau", 0.5, (0.0, 3.0), UNIT,
                  "U.S. tranche paid to Rwanda per verified stage",
                  "assumption: regional economic integration framework (Washington Peace "
                  "Agreement, 27 June 2025); value not public", label="tranche"),
        Parameter("s_R", 3.0, (0.0, 10.0), UNIT,
                  "sanction on Rwanda when a re-escalation is detected", "assumption",
                  label="sanction on Rwanda"),
        Parameter("rho", 1.5, (0.0, 5.0), UNIT,
                  "Rwanda's per-period benefit of the full deployment (rents, buffer)",
                  "assumption as in models/withdrawal_sequencing.py; " + TROOPS,
                  label="deployment benefit"),
        Parameter("c_R", 0.5, (0.0, 3.0), UNIT,
                  "Rwanda's per-period cost of the full deployment",
                  "assumption: one third of rho", label="deployment cost"),
        Parameter("theta", 0.5, (0.0, 5.0), UNIT,
                  "Rwanda's per-period security loss when withdrawn and the FDLR is active",
                  "assumption; FDLR strength < 1,000 to 1,000-2,000 (UN Group of Experts); "
                  "Rwanda's claims far higher", label="security loss"),
        Parameter("M_R", 1.5, (0.0, 5.0), UNIT,
                  "Rwanda's per-period value of the deal in force after full withdrawal",
                  "assumption: regional economic integration framework; value not public",
                  label="Rwanda's deal value"),
        Parameter("k_G", 0.3, (0.0, 3.0), UNIT,
                  "DRC's per-period cost of acting against the FDLR",
                  "assumption; FDLR strength (UN Group of Experts)", label="DRC's action cost"),
        Parameter("M_G", 1.5, (0.0, 10.0), UNIT,
                  "DRC's per-period value of the deal in force, per withdrawn share",
                  "assumption: DRC supplies > 70% of world cobalt (USGS Mineral Commodity "
                  "Summaries); in-ground values unsourced", label="DRC's deal value"),
        Parameter("h_G", 1.0, (0.0, 5.0), UNIT,
                  "DRC's per-period loss from the full Rwandan deployment", "assumption",
                  label="DRC's occupation loss"),
        Parameter("s_G", 1.0, (0.0, 10.0), UNIT,
                  "sanction on the DRC when inaction against an active FDLR is detected",
                  "assumption: " + MECHANISM, label="sanction on the DRC"),
        Parameter("p_c", 0.6, (0.0, 1.0), "probability",
                  "probability that action contains an active FDLR within a period",
                  "assumption", label="containment probability"),
        Parameter("p_r", 0.5, (0.0, 1.0), "probability",
                  "probability that a contained FDLR revives without action", "assumption",
                  label="revival probability"),
    ]
)  # fmt: skip
WITHDRAW, HOLD, ESCALATE = "withdraw", "hold", "escalate"


def states(k: int) -> list[tuple[int, int, int]]:
    """(m, FDLR contained, agreement in force), the start ``(k, 0, 1)`` first."""
    return [(m, f, g) for g in (1, 0) for f in (0, 1) for m in range(k, -1, -1)]


def label(state: tuple[int, int, int]) -> str:
    m, f, g = state
    return f"m={m},{'contained' if f else 'active'},{'in force' if g else 'collapsed'}"


def rwanda_actions(m: int, k: int) -> list[str]:
    out = [WITHDRAW, HOLD, ESCALATE]
    return [a for a in out if not ((a == WITHDRAW and m == 0) or (a == ESCALATE and m == k))]


def build(p):
    """The stochastic game; attributes of `p` are numbers or SymPy expressions."""
    k = int(p.k)
    S = states(k)
    index = {s: n for n, s in enumerate(S)}
    payoffs, transitions, actions = [], [], []
    for m, f, g in S:
        ra = rwanda_actions(m, k)
        u = np.empty((2, len(ra), 2), dtype=object)
        phi = np.zeros((len(ra), 2, len(S)), dtype=object)
        share = Fraction(m, k)
        for (x, a), (y, act) in itertools.product(enumerate(ra), enumerate((True, False))):
            u[0, x, y] = (
                (p.rho - p.c_R) * share
                - p.theta * (1 - f) * (1 - share)
                + (p.tau if a == WITHDRAW and g else 0)
                - (p.q * p.s_R if a == ESCALATE and g else 0)
                + (p.M_R if g and m == 0 else 0)
            )
            u[1, x, y] = (
                -p.h_G * share
                + p.M_G * g * (1 - share)
                - (p.k_G if act else 0)
                - (p.q * p.s_G if (not act and g and not f) else 0)
            )
            m2 = m - 1 if a == WITHDRAW else m + 1 if a == ESCALATE else m
            contain = (p.p_c if not f else 1) if act else (0 if not f else 1 - p.p_r)
            collapse = p.q if (a == ESCALATE and g) else 0
            for f2, pf in ((1, contain), (0, 1 - contain)):
                for g2, pg in ((1, (1 - collapse) if g else 0), (0, collapse if g else 1)):
                    phi[x, y, index[(m2, f2, g2)]] += pf * pg
        payoffs.append(u)
        transitions.append(phi)
        actions.append([ra, ["act", "not"]])
    symbolic = any(getattr(v, "free_symbols", None) for v in vars(p).values())
    from bargain.dynamic import StochasticGame

    return StochasticGame(
        payoffs,
        transitions,
        p.delta,
        players=["Rwanda", "DRC"],
        states=[label(s) for s in S],
        actions=actions,
        parameters=PARAMETERS if symbolic else None,
        title="staged withdrawal",
    )


def agreement_profile(p) -> list[tuple[str, str]]:
    """In force: Rwanda withdraws while troops remain, the DRC acts while the FDLR is
    active; collapsed: Rwanda re-escalates to its full deployment, the DRC does not act."""
    k = int(p.k)
    prof = []
    for m, f, g in states(k):
        if g:
            prof.append((WITHDRAW if m > 0 else HOLD, "not" if f else "act"))
        else:
            prof.append((ESCALATE if m < k else HOLD, "not"))
    return prof


# -- outputs (Model.tables) -------------------------------------------------------------
def _mpe_at(model, qs, **values) -> np.ndarray:
    """Whether the agreement profile is an MPE at each detection probability in `qs`
    (others at `values`): the one-shot-deviation check of the whole grid in one batch
    (:func:`bargain.report.dynamic_check.batch_check`, regret tolerance 1e-9)."""
    from bargain.report.dynamic_check import batch_check

    qs = np.atleast_1d(np.asarray(qs, dtype=float))
    X = np.tile(np.array(model.parameters.vector(**values), dtype=float), (qs.size, 1))
    X[:, model.parameters.names.index("q")] = qs
    return batch_check(model, "staged", X)[0]


def detection_threshold(model, *, n_q: int = 101, **values) -> float:
    """Smallest detection probability on an `n_q`-point grid at which the agreement
    profile is an MPE (others at `values`); NaN if none."""
    qs = np.linspace(0.0, 1.0, n_q)
    ok = _mpe_at(model, qs, **values)
    return float(qs[int(np.argmax(ok))]) if ok.any() else float("nan")


def stage_slack(model, **values) -> np.ndarray:
    """Per stage ``m = k, ..., 1`` (in force, either FDLR state) and player: the smallest
    slack of the no-deviation constraints (negative: a deviation pays there)."""
    from bargain.dynamic.regime import profile_slack

    k = int(model.parameters.resolve(**values)["k"])
    S = states(k)
    sl = profile_slack(model, "staged", **values)
    return np.array(
        [sl[[n for n, s in enumerate(S) if s[0] == m and s[2] == 1]].min(axis=0)
         for m in range(k, 0, -1)]
    )  # fmt: skip


#: scenarios of the binding-stage table: the baseline, and an FDLR that action rarely
#: contains with a larger security loss for a withdrawn Rwanda
SCENARIOS = {"baseline": {}, "FDLR hard to contain (p_c = 0.2, theta = 1)": {"p_c": 0.2,
                                                                           "theta": 1.0}}  # fmt: skip


def binding_stage_table(model):
    """Per scenario, number of stages k and discount factor: Rwanda's slack at each stage
    (the value of continuing minus its best deviation), the stage where it is smallest
    (binding), the DRC's smallest slack, and the detection threshold of the profile."""
    import pandas as pd

    rows = []
    for (name, extra), k, delta in itertools.product(SCENARIOS.items(), (1, 2, 3, 4, 5),
                                                     (0.6, 0.8, 0.9, 0.95)):  # fmt: skip
        sl = stage_slack(model, k=k, delta=delta, **extra)
        c = int(np.argmin(sl[:, 0]))
        rows.append({
            "scenario": name,
            "k": k,
            "delta": delta,
            "Rwanda's slack per stage (1st..kth)": ", ".join(f"{x:.3f}" for x in sl[:, 0]),
            "binding stage (Rwanda)": f"{c + 1} of {k}",
            "DRC's smallest slack": float(sl[:, 1].min()),
            "q* (whole profile)": detection_threshold(model, k=k, delta=delta, **extra),
        })  # fmt: skip
    return pd.DataFrame(rows)


def comparison_table(model):
    """Staged withdrawal against withdrawal-first and phased (n = k) of
    ``withdrawal_sequencing``, each at its own baseline."""
    import pandas as pd

    from bargain.dynamic.regime import expected_time
    from bargain.models import load_model

    v = model.parameters.resolve()
    k, period = int(v["k"]), float(v["period"])

    def threshold(holds) -> float:
        lo, hi = 0.0, 1.0
        if not holds(1.0):
            return float("nan")
        if holds(0.0):
            return 0.0
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if holds(mid) else (mid, hi)
        return hi

    def staged_holds(q: float) -> bool:
        return bool(_mpe_at(model, [q])[0])

    rows = []
    holds = staged_holds(float(v["q"]))
    t = expected_time(model, "staged") if holds else float("inf")
    rows.append(("staged_withdrawal", "staged", f"{k} stages, one per round, stochastic game",
                 holds, threshold(staged_holds), t))  # fmt: skip
    ws = load_model("withdrawal_sequencing")
    for regime, n, text in (("withdraw_first", 1, "withdraw, then comply (tree)"),
                            ("phased", k, f"n = {k} verified tranches (tree)")):  # fmt: skip
        extra = {"n": n} if regime == "phased" else {}

        def ws_holds(q: float, regime=regime, extra=extra) -> bool:
            return bool(ws.solve(regime, q=q, **extra).agreement)

        q0 = float(ws.parameters.resolve()["q"])
        ok = ws_holds(q0)
        rows.append(("withdrawal_sequencing", regime, text, ok, threshold(ws_holds),
                     float(n) if ok else float("inf")))  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["model", "regime", "structure", "agreement at baseline",
                 "detection threshold q*", "rounds to full withdrawal"],
    )  # fmt: skip
    frame["months to full withdrawal"] = frame["rounds to full withdrawal"] * period
    frame[f"within {TARGET_MONTHS:g}-month target"] = (
        frame["months to full withdrawal"] <= TARGET_MONTHS
    )
    return frame


def timing_table(model):
    """Expected time to full withdrawal from (k, active, in force) against the two-month
    target, under the agreement profile and under the equilibrium the logit-QRE homotopy
    selects, over the detection probability (others at baseline)."""
    import pandas as pd

    from bargain.dynamic import solve
    from bargain.dynamic.regime import expected_time, numeric_game

    v = model.parameters.resolve()
    period = float(v["period"])
    rows = []
    for q in (0.05, 0.1, 0.2, 0.3, 0.5):
        game = numeric_game(model, "staged", q=q)
        done = [s for s, name in enumerate(game.states) if name.startswith("m=0")]
        eq = solve(game, method="qre").equilibrium
        selected = expected_time(game, eq.strategies, done)
        mpe = bool(_mpe_at(model, [q])[0])
        agreed = expected_time(model, "staged", q=q) if mpe else float("inf")
        rows.append({
            "q": q,
            "agreement profile is an MPE": mpe,
            "rounds (agreement profile)": agreed,
            "rounds (QRE-selected)": selected,
            "months (QRE-selected)": selected * period,
            f"within {TARGET_MONTHS:g} months": bool(selected * period <= TARGET_MONTHS),
            "longest round meeting the target (months)": TARGET_MONTHS / selected,
        })  # fmt: skip
    return pd.DataFrame(rows)


MODEL = Model(
    name="staged_withdrawal",
    title="Staged withdrawal over time (Rwanda-DRC, stochastic game)",
    description=__doc__.split("\n\n")[0],
    parameters=PARAMETERS,
    regimes=[
        Regime(
            "staged",
            build,
            "Rwanda withdraws in k verified stages; the DRC acts against the FDLR; the joint "
            "security mechanism detects violations with probability q; a U.S. tranche per "
            "verified stage (stationary Markov perfect equilibrium)",
            profile=agreement_profile,
            fixed=("delta", "p_c", "p_r"),
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
            kind="news",
            container="Reuters",
            year=2025,
            note="U.S. draft Rwanda-DRC agreement; interview with M. Boulos",
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
        ),
    ),
    report_axes=("delta", "q"),
    tables={
        "binding_stage": binding_stage_table,
        "timing": timing_table,
        "comparison": comparison_table,
    },
)

__all__ = ["MODEL"]
