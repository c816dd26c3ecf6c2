"""Deadline bargaining: the paper bundle, and the shares along the failure probability.

Usage::

    python examples/deadline_bargaining.py [OUT_DIR] [GRID]   # default: out/deadline 201

Writes the report (equilibria, derived conditions, sensitivity intervals, the (P_fail, w_G)
region figure, manifest) and ``p_fail.tex``/``p_fail.csv``: along the probability ``P_fail``
that the talks fail before the U.S. deadline, the per-round breakdown probability, the DRC's
subgame-perfect share with the deadline after ``N`` rounds and without one, the deadline
effect, and whether the DRC's hard-line demand is accepted with a two- and a three-round
deadline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import bargain as bg
from bargain.formats.tables import to_csv, to_latex
from bargain.report import write_report

OUTPUTS = ("breakdown_per_round", "share_first_proposer", "share_no_deadline", "deadline_effect")


def main(out: Path, grid: int) -> None:
    model = bg.load_model("deadline_bargaining")
    for path in write_report(model, out, points=grid, progress=False):
        print(path)
    c = model.conditions("two_rounds")
    print("two rounds: the hard-line demand is accepted iff", c.agreement())

    lo, hi = model.parameters["P_fail"].bounds
    p_fail = np.linspace(lo, hi, min(grid, 19))
    points = np.array([model.parameters.vector(P_fail=x) for x in p_fail])
    frame = pd.DataFrame({"P_fail": p_fail})
    for name in OUTPUTS:
        frame[name] = model.evaluate_output(name, points)
    for regime in ("two_rounds", "three_rounds"):
        frame[f"accepted_{regime}"] = [model.solve(regime, P_fail=x).agreement for x in p_fail]
    (out / "p_fail.tex").write_text(
        to_latex(frame, caption="Deadline bargaining along the failure probability P_fail") + "\n",
        encoding="utf-8",
    )
    to_csv(frame, out / "p_fail.csv")
    print(frame.to_string(index=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else Path("out/deadline_bargaining"),
        int(args[1]) if len(args) > 1 else 201,
    )
