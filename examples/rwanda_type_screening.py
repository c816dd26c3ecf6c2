"""Type screening: the paper bundle, and the offer and replies along the prior p_sec.

Usage::

    python examples/rwanda_type_screening.py [OUT_DIR] [GRID]   # default: out/... 201

Writes the report of the ``rwanda_type_screening`` model (equilibria, derived conditions,
sensitivity intervals, the (p_sec, e_R) region figure, manifest) and ``p_sec.tex`` /
``p_sec.csv``: along the prior ``p_sec`` that Rwanda is security-motivated, the DRC's offer
and each type's reply in the offer-first tree and in the Bayesian (Harsanyi) tree solved
by subgame decomposition, which agree, with the derived threshold ``p*``.
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
    model = bg.load_model("rwanda_type_screening")
    module = sys.modules[model.regime("screening").build.__module__]
    for path in write_report(model, out, points=grid, progress=False):
        print(path)
    p_star = module.screening_threshold()
    at = {model.parameters.symbol_map()[n]: x for n, x in model.parameters.resolve().items()}
    print("the mechanism is offered iff p_sec >=", p_star, "=", float(p_star.subs(at)))

    rows = []
    for p in np.linspace(0.05, 0.95, min(grid, 19)):  # both types present
        pi = model.solve("screening", p_sec=float(p)).path
        tree = module.harsanyi_tree(p_sec=float(p))
        bayes = bg.solve(tree, method="spe", all_equilibria=False)[0].path
        rows.append(
            {
                "p_sec": float(p),
                "offer": pi[0],
                "security": pi[1],
                "rent": pi[2],
                "harsanyi_agrees": (bayes[0], bayes[1], bayes[3]) == pi,
            }
        )
    frame = pd.DataFrame(rows)
    (out / "p_sec.tex").write_text(
        to_latex(frame, caption="Offer and replies along the prior p_sec") + "\n",
        encoding="utf-8",
    )
    to_csv(frame, out / "p_sec.csv")
    print(frame.to_string(index=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else Path("out/rwanda_type_screening"),
        int(args[1]) if len(args) > 1 else 201,
    )
