"""The joint security mechanism as an inspector: the paper bundle and the mixed equilibrium.

Usage::

    python examples/security_mechanism_inspection.py [OUT_DIR] [GRID]

Writes the report (equilibria, derived conditions, sensitivity intervals, the (beta, f)
region figure, manifest) and ``detection.tex``/``detection.csv``: along the detection
probability beta, the deterrence threshold, the least committed inspection rate, and the
inspection and violation rates without commitment.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import bargain as bg
from bargain.formats.tables import to_csv, to_latex
from bargain.report import write_report


def main(out: Path, grid: int) -> None:
    model = bg.load_model("security_mechanism_inspection")
    for path in write_report(model, out, points=grid, progress=False):
        print(path)
    print("commitment deters iff", model.conditions("commitment").agreement())

    betas = np.linspace(0.05, 1.0, min(grid, 20))
    points = np.array([model.parameters.vector(beta=b) for b in betas])
    frame = pd.DataFrame({"beta": betas})
    for name in model.outputs:
        frame[name] = model.evaluate_output(name, points)
    frame["commitment deters"] = [model.solve("commitment", beta=b).agreement for b in betas]
    (out / "detection.tex").write_text(
        to_latex(frame, caption="Inspection along the detection probability") + "\n",
        encoding="utf-8",
    )
    to_csv(frame, out / "detection.csv")
    print(frame.to_string(index=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else Path("out/security_mechanism_inspection"),
        int(args[1]) if len(args) > 1 else 201,
    )
