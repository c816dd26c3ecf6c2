"""Staged withdrawal over time: the Rwanda–DRC deal as a stochastic game (issue 18).

The model is ``models/staged_withdrawal.py`` (``bargain.load_model("staged_withdrawal")``;
its docstring gives the game and the sources of every parameter).  This script walks
through what a reader of the case asks, with the model's own functions:

* ``conditions.tex`` — the symbolic condition under which full staged withdrawal (with
  DRC action against an active FDLR) is a Markov perfect equilibrium, one
  one-shot-deviation inequality a line, and the detection threshold q* at the baseline;
* ``equilibrium.md`` — the agreement profile state by state at the baseline, with values,
  regrets and the equilibrium the logit-QRE homotopy selects;
* ``q_sweep.csv`` — over a grid of q: whether the profile is an MPE (the numeric
  one-shot-deviation check and the symbolic condition, which must agree) and the expected
  time to full withdrawal under the QRE-selected equilibrium, in rounds and months
  against the U.S. two-month target.

``bargain report staged_withdrawal --out DIR`` writes the full bundle (sensitivity, the
region figure over (delta, q), the binding stage over k and delta, the comparison with
``withdrawal_sequencing``).

Usage: ``python examples/staged_withdrawal.py OUTDIR [N_GRID]``.  All numbers are
illustrative assumptions in an index unit (status-quo net rent rho - c_R = 1).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

import bargain as bg
from bargain.dynamic import solve
from bargain.dynamic.regime import expected_time, numeric_game, profile_regrets
from bargain.formats.tables import to_markdown
from bargain.report.dynamic import conditions_tex, equilibrium_table

TARGET_MONTHS = 2.0  # "within two months" (Boulos, Reuters interview 2025)


def main(out: Path, n_grid: int = 21) -> None:
    out.mkdir(parents=True, exist_ok=True)
    m = bg.load_model("staged_withdrawal")
    cond = m.conditions("staged")  # q, tau, sanctions, rents symbolic; delta, p_c, p_r fixed
    grid = np.linspace(0.0, 1.0, n_grid)
    holds = [profile_regrets(m, "staged", q=q).max() <= 1e-9 for q in grid]
    q_star = next((q for q, h in zip(grid, holds, strict=True) if h), float("nan"))
    text = conditions_tex(m) + f"\n% smallest q on the grid at which it holds: {q_star:.4f}"
    (out / "conditions.tex").write_text(text + "\n")
    (out / "equilibrium.md").write_text(to_markdown(equilibrium_table(m, "staged")) + "\n")
    period = m.parameters["period"].default
    with (out / "q_sweep.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["q", "staged_withdrawal_is_mpe", "symbolic_condition_holds",
                    "qre_expected_rounds", "qre_expected_months", "within_target"])  # fmt: skip
        for q, numeric in zip(grid, holds, strict=True):
            symbolic = cond.holds(q=q)
            if symbolic != numeric:
                raise SystemExit(f"symbolic and numeric readings disagree at q = {q}")
            game = numeric_game(m, "staged", q=q)
            done = [s for s, name in enumerate(game.states) if name.startswith("m=0")]
            t = expected_time(game, solve(game, method="qre").equilibrium.strategies, done)
            w.writerow([f"{q:.4f}", bool(numeric), symbolic, f"{t:.4g}",
                        f"{t * period:.4g}", t * period <= TARGET_MONTHS])  # fmt: skip
    print((out / "conditions.tex").read_text())
    print((out / "equilibrium.md").read_text())


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "out_staged_withdrawal"),
        int(sys.argv[2]) if len(sys.argv) > 2 else 21,
    )
