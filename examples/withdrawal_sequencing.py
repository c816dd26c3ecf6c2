"""The withdrawal-first deal: the paper bundle, and one custom comparison.

Usage::

    python examples/withdrawal_sequencing.py [OUT_DIR] [GRID]   # default: out/withdrawal 201

Writes the full report (equilibria, derived conditions, sensitivity intervals — symbolic
and numeric side by side —, the (q, M_G) region figure, manifest) and a sweep of the
detection probability q for the withdraw-first regime.
"""

from __future__ import annotations

import sys
from pathlib import Path

import bargain as bg
from bargain.report import write_report


def main(out: Path, grid: int) -> None:
    model = bg.load_model("withdrawal_sequencing")
    for path in write_report(model, out, points=grid, progress=False):
        print(path)

    c = model.conditions("withdraw_first")
    print("withdraw_first holds iff", c.agreement())
    print("threshold on q:", c.threshold("q"))

    r = bg.sweep(model, "withdraw_first", vary={"q": (0, 1, grid)})
    r.to_latex(out / "q_sweep.tex")
    print(f"q sweep: agreement at {int(r.frame['agreement'].sum())} of {len(r.frame)} points")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0]) if args else Path("out/withdrawal"), int(args[1]) if len(args) > 1 else 201)
