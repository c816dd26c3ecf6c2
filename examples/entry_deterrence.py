"""Tutorial model: when does committing to fight deter entry?

Usage::

    python examples/entry_deterrence.py [OUT_DIR]      # default: out/entry_deterrence

Writes what a paper would use: the equilibrium table at the baseline, a sweep of the
commitment cost (LaTeX, Markdown, CSV, each with a manifest), the derived conditions, and
the region figure in the (commitment_cost, entrant_profit) plane.
"""

from __future__ import annotations

import sys
from pathlib import Path

import bargain as bg
from bargain.formats.tables import to_markdown
from bargain.report import equilibria_table
from bargain.sweep.plots import plot_regions


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model = bg.load_model("entry_deterrence")

    print(to_markdown(equilibria_table(model)))

    conditions = model.conditions("entry_commitment")
    print("commitment pays iff", conditions.agreement())

    result = bg.sweep(model, "entry_commitment", vary={"commitment_cost": (0, 4, 9)})
    result.to_latex(out / "commitment_sweep.tex")
    result.to_markdown(out / "commitment_sweep.md")
    result.to_csv(out / "commitment_sweep.csv")

    plot_regions(
        model,
        ["entry_commitment"],
        "commitment_cost",
        "entrant_profit",
        n=101,
        path=out / "commitment_regions",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out/entry_deterrence"))
