"""Staged withdrawal over time: the Rwanda–DRC deal as a stochastic game (issue 18).

Context (REFERENCES.md).  The U.S. draft of May–June 2025 asked Rwanda to withdraw before
signing (Reuters, 2025); the Washington Peace Agreement of 27 June 2025 (U.S. State
Department) set up a joint security coordination mechanism (operations order from 1 Oct
2025, press reports) and a regional economic integration framework.  Kigali's condition is
the neutralization of the FDLR (estimates < 1,000 to 1,000–2,000 fighters, UN Group of
Experts); Rwandan troops in eastern DRC: 7,000–12,000 (analysts, Reuters 2025) against
3,000–4,000 (UN Group of Experts 2024) and up to ~6,000 (2025).

The game.  A state is (remaining deployment m in 0..k stages, FDLR active/contained,
agreement in force/collapsed).  Each period Rwanda withdraws a stage, holds, or
re-escalates by one stage; the DRC acts against the FDLR or not.  A re-escalation is
detected by the mechanism with probability q: the agreement collapses for good and Rwanda
is sanctioned.  Each verified stage withdrawn under the agreement pays Rwanda a U.S.
tranche.  Rwanda's per-period rent from the deployment — its outside option, the
coercive leverage it gives up by withdrawing — falls with the remaining deployment
(Powell 2004, 2006: a commitment problem from shifting power; Fearon 1995); a withdrawn
Rwanda bears a security loss while the FDLR is active.

Outputs (written to the folder given as the first argument):
* ``conditions.tex`` — the symbolic condition (in q and the tranche tau, the other
  parameters at their defaults) under which full staged withdrawal with DRC action is a
  Markov perfect equilibrium, and the detection threshold q* at the default tau (q enters
  quadratically: through the expected sanction and the collapse probability);
* ``equilibrium.md`` — the equilibrium the logit-QRE homotopy selects at the defaults;
* ``q_sweep.csv`` — over a grid of q: whether the staged-withdrawal profile is an MPE (the
  numeric one-shot-deviation check and the symbolic condition, which must agree) and the
  expected time to full withdrawal under the QRE-selected equilibrium.

Usage: ``python examples/staged_withdrawal.py OUTDIR [N_GRID]``.  All numbers are
illustrative assumptions in an index unit (status-quo net rent rho - c_R = 1).
"""

from __future__ import annotations

import csv
import itertools
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy

from bargain.dynamic import StochasticGame, one_shot_regrets, pure_conditions, solve
from bargain.games import Parameter, ParameterSet

UNIT = "index (status-quo net rent rho - c_R = 1)"
TROOPS = (
    "troop estimates 7,000-12,000 (analysts, Reuters 2025) vs 3,000-4,000 (UN Group of "
    "Experts 2024), up to ~6,000 (UN Group of Experts 2025)"
)
MECHANISM = (
    "joint security coordination mechanism of the Washington Peace Agreement, 27 June 2025 "
    "(U.S. State Department); operations order from 1 Oct 2025 (press reports); no track record"
)
PARAMETERS = ParameterSet(
    [
        Parameter(
            "k",
            3,
            (1, 5),
            "stages",
            "number of verified withdrawal stages",
            "assumption: phased withdrawal as in models/withdrawal_sequencing.py; " + TROOPS,
            integer=True,
        ),
        Parameter(
            "delta",
            0.9,
            (0.5, 0.99),
            "per period",
            "discount factor per verification round",
            "assumption: a round is a quarter; the U.S. sought a deal 'within two months' "
            "(Boulos, Reuters interview 2025)",
        ),
        Parameter(
            "q",
            0.3,
            (0.0, 1.0),
            "probability",
            "probability that the mechanism detects a re-escalation",
            "assumption: " + MECHANISM,
        ),
        Parameter(
            "tau",
            0.5,
            (0.0, 3.0),
            UNIT,
            "U.S. tranche paid to Rwanda per verified stage",
            "assumption: regional economic integration framework (Washington Peace "
            "Agreement, 27 June 2025); value not public",
        ),
        Parameter(
            "s_R",
            3.0,
            (0.0, 10.0),
            UNIT,
            "sanction on Rwanda when a re-escalation is detected",
            "assumption",
        ),
        Parameter(
            "rho",
            1.5,
            (0.0, 5.0),
            UNIT,
            "Rwanda's per-period benefit of the full deployment (rents, buffer)",
            "assumption as in models/withdrawal_sequencing.py; " + TROOPS,
        ),
        Parameter(
            "c_R",
            0.5,
            (0.0, 3.0),
            UNIT,
            "Rwanda's per-period cost of the full deployment",
            "assumption: one third of rho",
        ),
        Parameter(
            "theta",
            0.5,
            (0.0, 5.0),
            UNIT,
            "Rwanda's per-period security loss when withdrawn and the FDLR is active",
            "assumption; FDLR strength < 1,000 to 1,000-2,000 (UN Group of Experts); "
            "Rwanda's claims far higher",
        ),
        Parameter(
            "M_R",
            1.5,
            (0.0, 5.0),
            UNIT,
            "Rwanda's per-period value of the deal in force after full withdrawal",
            "assumption: regional economic integration framework; value not public",
        ),
        Parameter(
            "k_G",
            0.3,
            (0.0, 3.0),
            UNIT,
            "DRC's per-period cost of acting against the FDLR",
            "assumption; FDLR strength (UN Group of Experts)",
        ),
        Parameter(
            "M_G",
            1.5,
            (0.0, 10.0),
            UNIT,
            "DRC's per-period value of the deal in force, per withdrawn share",
            "assumption: DRC supplies > 70% of world cobalt (USGS Mineral Commodity "
            "Summaries); in-ground values unsourced",
        ),
        Parameter(
            "h_G",
            1.0,
            (0.0, 5.0),
            UNIT,
            "DRC's per-period loss from the full Rwandan deployment",
            "assumption",
        ),
        Parameter(
            "s_G",
            1.0,
            (0.0, 10.0),
            UNIT,
            "sanction on the DRC when inaction against an active FDLR is detected (prob. q)",
            "assumption: " + MECHANISM,
        ),
        Parameter(
            "p_c",
            0.6,
            (0.0, 1.0),
            "probability",
            "probability that action contains an active FDLR within a period",
            "assumption",
        ),
        Parameter(
            "p_r",
            0.5,
            (0.0, 1.0),
            "probability",
            "probability that a contained FDLR revives without action",
            "assumption",
        ),
    ]
)
WITHDRAW, HOLD, ESCALATE = "withdraw", "hold", "escalate"


def states(k):
    return [(m, f, g) for g in (1, 0) for f in (0, 1) for m in range(k, -1, -1)]


def label(state):
    m, f, g = state
    return f"m={m},{'contained' if f else 'active'},{'in force' if g else 'collapsed'}"


def rwanda_actions(m, k):
    return [
        a
        for a in (WITHDRAW, HOLD, ESCALATE)
        if not ((a == WITHDRAW and m == 0) or (a == ESCALATE and m == k))
    ]


def build(p, *, k):
    """The stochastic game; `p` maps names to numbers or SymPy symbols."""
    S = states(k)
    index = {s: n for n, s in enumerate(S)}
    payoffs, transitions, actions = [], [], []
    for m, f, g in S:
        ra = rwanda_actions(m, k)
        u = np.empty((2, len(ra), 2), dtype=object)
        phi = np.zeros((len(ra), 2, len(S)), dtype=object)
        for (x, a), (y, act) in itertools.product(enumerate(ra), enumerate((True, False))):
            share = Fraction(m, k)
            u[0, x, y] = (
                (p["rho"] - p["c_R"]) * share
                - p["theta"] * (1 - f) * (1 - share)
                + (p["tau"] if a == WITHDRAW and g else 0)
                - (p["q"] * p["s_R"] if a == ESCALATE and g else 0)
                + (p["M_R"] if g and m == 0 else 0)
            )
            u[1, x, y] = (
                -p["h_G"] * share
                + p["M_G"] * g * (1 - share)
                - (p["k_G"] if act else 0)
                - (p["q"] * p["s_G"] if (not act and g and not f) else 0)
            )
            m2 = m - 1 if a == WITHDRAW else m + 1 if a == ESCALATE else m
            contain = (p["p_c"] if not f else 1) if act else (0 if not f else 1 - p["p_r"])
            collapse = p["q"] if (a == ESCALATE and g) else 0
            for f2, pf in ((1, contain), (0, 1 - contain)):
                for g2, pg in ((1, (1 - collapse) if g else 0), (0, collapse if g else 1)):
                    phi[x, y, index[(m2, f2, g2)]] += pf * pg
        payoffs.append(u)
        transitions.append(phi)
        actions.append([ra, ["act", "not"]])
    return StochasticGame(
        payoffs,
        transitions,
        p["delta"],
        players=["Rwanda", "DRC"],
        states=[label(s) for s in S],
        actions=actions,
        parameters=None if all(isinstance(v, float) for v in p.values()) else PARAMETERS,
        title="staged withdrawal",
    )


def numeric_game(**values):
    v = PARAMETERS.resolve(**values)
    k = int(v.pop("k"))
    return build({n: float(x) for n, x in v.items()}, k=k), k


def collapsed_equilibrium(game, k):
    """Rwanda's best pure MPE of the collapsed subgame (absorbing; no mechanism, so it does
    not depend on q or tau), by enumeration."""
    S = states(k)
    collapsed = [n for n, s in enumerate(S) if s[2] == 0]
    sub = StochasticGame(
        [game.payoffs[n] for n in collapsed],
        [game.transitions[n][..., collapsed] for n in collapsed],
        game.discount,
        actions=[game.actions[n] for n in collapsed],
    )
    eqs = solve(sub, method="pure").equilibria
    off = max(eqs, key=lambda e: e.values[0].sum()).pure_actions
    return [tuple(game.actions[n][i][off[j][i]] for i in range(2)) for j, n in enumerate(collapsed)]


def agreement_profile(k, off):
    """In force: Rwanda withdraws while troops remain, the DRC acts while the FDLR is
    active; collapsed: the subgame equilibrium `off`."""
    prof, j = [], 0
    for m, f, g in states(k):
        if g:
            prof.append((WITHDRAW if m > 0 else HOLD, "not" if f else "act"))
        else:
            prof.append(off[j])
            j += 1
    return prof


def as_strategies(game, prof):
    return [
        [np.eye(len(game.actions[s][i]))[game.actions[s][i].index(prof[s][i])] for i in range(2)]
        for s in range(game.n_states)
    ]


def expected_time(game, strategies, k, *, horizon=10_000):
    """Expected periods until m = 0 from (k, active, in force), from the state distribution
    over at most `horizon` periods; inf if withdrawal may never be completed."""
    S = states(k)
    P = np.zeros((len(S), len(S)))
    for s in range(len(S)):
        joint = np.multiply.outer(strategies[s][0], strategies[s][1])
        P[s] = np.tensordot(joint, game.transitions[s], axes=2)
    done = np.array([st[0] == 0 for st in S])
    dist = np.zeros(len(S))
    dist[S.index((k, 0, 1))] = 1.0
    total = 0.0
    for _ in range(horizon):
        alive = dist[~done].sum()
        if alive < 1e-12:
            return total
        total += alive
        dist = np.where(done, 0.0, dist) @ P
    return float("inf")


def detection_threshold(cond, *, iterations=50):
    """Smallest q in [0, 1] at which the condition holds (bisection; it is monotone here)."""
    if not cond.holds(q=1.0):
        return float("nan")
    if cond.holds(q=0.0):
        return 0.0
    lo, hi = 0.0, 1.0
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if cond.holds(q=mid) else (mid, hi)
    return hi


def main(out: Path, n_grid: int = 21) -> None:
    out.mkdir(parents=True, exist_ok=True)
    game, k = numeric_game()
    off = collapsed_equilibrium(game, k)
    prof = agreement_profile(k, off)
    # symbolic condition in q and tau, other parameters at their defaults
    values = {n: float(v) for n, v in PARAMETERS.resolve().items() if n != "k"}
    exact = {n: sympy.Rational(repr(v)) for n, v in values.items()}  # exact, not Float
    sym = dict(exact, q=PARAMETERS["q"].symbol, tau=PARAMETERS["tau"].symbol)
    cond = pure_conditions(
        build(sym, k=k),
        [[game.actions[s][i].index(prof[s][i]) for i in range(2)] for s in range(game.n_states)],
    )
    cond = cond.simplified()
    q_star = detection_threshold(cond)
    text = cond.latex() + f"\n\nq^{{*}} \\approx {q_star:.4f}"  # q enters quadratically
    (out / "conditions.tex").write_text(text + "\n")
    # the QRE-selected equilibrium at the defaults
    eq = solve(game, method="qre").equilibrium
    lines = ["| state | Rwanda | DRC | V_Rwanda | V_DRC |", "|---|---|---|---|---|"]
    for s, name in enumerate(game.states):
        cells = [
            ", ".join(
                f"{a} {p:.3f}"
                for a, p in zip(game.actions[s][i], eq.strategies[s][i], strict=True)
                if p > 5e-4
            )
            for i in range(2)
        ]
        lines.append(
            f"| {name} | {cells[0]} | {cells[1]} | {eq.values[s, 0]:.3f} | {eq.values[s, 1]:.3f} |"
        )
    lines.append(
        f"\nmax one-shot-deviation regret {eq.max_regret:.2e}; expected time to full "
        f"withdrawal from ({k}, active, in force): {expected_time(game, eq.strategies, k):.3g} "
        "periods"
    )
    (out / "equilibrium.md").write_text("\n".join(lines) + "\n")
    with (out / "q_sweep.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["q", "staged_withdrawal_is_mpe", "symbolic_condition_holds", "qre_expected_time"]
        )
        for q in np.linspace(0.0, 1.0, n_grid):
            g, _ = numeric_game(q=q)
            p = agreement_profile(k, off)
            numeric = bool(one_shot_regrets(g, as_strategies(g, p)).max() <= 1e-9)
            symbolic = cond.holds(q=q)
            if symbolic != numeric:
                raise SystemExit(f"symbolic and numeric readings disagree at q = {q}")
            t = expected_time(g, solve(g, method="qre").equilibrium.strategies, k)
            w.writerow([f"{q:.4f}", numeric, symbolic, f"{t:.4g}"])
    print((out / "conditions.tex").read_text())
    print((out / "equilibrium.md").read_text())


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "out_staged_withdrawal"),
        int(sys.argv[2]) if len(sys.argv) > 2 else 21,
    )
