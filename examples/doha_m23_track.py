"""The Doha track: the paper bundle, and the closed forms along the troop axis.

Usage::

    python examples/doha_m23_track.py [OUT_DIR] [GRID]   # default: out/doha_m23_track 201

Writes the report (equilibria, derived conditions, sensitivity intervals, the (T, x_bar)
region figure, manifest) and ``troops.tex``/``troops.csv``: the Fearon range, the war
probability with and without Qatari mediation and the withdrawal steps Powell's condition
needs, as functions of the Rwandan deployment T.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import bargain as bg
from bargain.formats.tables import to_csv, to_latex
from bargain.report import write_report

OUTPUTS = (
    "range_low",
    "range_high",
    "ceiling_gap",
    "war_prob_unmediated",
    "war_prob_mediated",
    "steps_needed",
)


def main(out: Path, grid: int) -> None:
    model = bg.load_model("doha_m23_track")
    for path in write_report(model, out, points=grid, progress=False):
        print(path)
    c = model.conditions("ultimatum")
    print("ultimatum settles iff", c.agreement())
    print("troop threshold:", c.threshold("T"))

    troops = np.linspace(0, 12000, min(grid, 13))
    points = np.array([model.parameters.vector(T=t) for t in troops])
    frame = pd.DataFrame({"T": troops})
    for name in OUTPUTS:
        frame[name] = model.evaluate_output(name, points)
    frame["settles"] = [model.solve("ultimatum", T=t).agreement for t in troops]
    (out / "troops.tex").write_text(
        to_latex(frame, caption="Doha track along the Rwandan deployment T") + "\n",
        encoding="utf-8",
    )
    to_csv(frame, out / "troops.csv")
    print(frame.to_string(index=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else Path("out/doha_m23_track"),
        int(args[1]) if len(args) > 1 else 201,
    )
