"""Regenerate the report regression data in this folder.

The stored files were written by the implementation of commit 98ddf2a (before issue 14:
SymPy ``Set.contains`` per grid point, one vector path per cell); the tests in
``tests/test_report_regression.py`` check that later implementations give the same
answers.  Run from the repository root::

    PYTHONPATH=src python tests/data/report/regenerate.py

Rerun it only when a change of the answers is intended, and say why in the commit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bargain.models import load_model
from bargain.sweep.intervals import agreement_intervals
from bargain.sweep.plots import region_grid

HERE = Path(__file__).resolve().parent
#: small fixed grids: (model, x, y, points of the sensitivity sweeps, points per figure axis)
CASES = (
    ("withdrawal_sequencing", "q", "M_G", 41, 41),
    ("entry_deterrence", "commitment_cost", "entrant_profit", 41, 41),
    # a model with open intervals and boundary points where the two readings differ
    ("rwanda_type_screening", "p_sec", "e_R", 41, 41),
    # a model with a condition SymPy cannot solve in closed form, and an integer parameter
    ("deadline_bargaining", "P_fail", "w_G", 41, 41),
)


def region_codes(model, regimes, x, y, n):
    """Regime code per cell: bit k set where regime k's agreement holds, ``[iy, ix]``."""
    xs, ys, holds = region_grid(model, regimes, x, y, n=n)
    code = np.zeros((len(ys), len(xs)), dtype=int)
    for k, r in enumerate(regimes):
        code |= holds[r].astype(int) << k
    return code


def main() -> None:
    for name, x, y, points, cells in CASES:
        model = load_model(name)
        regimes = [r for r, reg in model.regimes.items() if reg.agreement is not None]
        table = agreement_intervals(model, regimes, n=points)
        table.to_csv(HERE / f"{name}_sensitivity.csv", index=False)
        code = region_codes(model, regimes, x, y, cells)
        np.savetxt(HERE / f"{name}_regions.csv", code, fmt="%d", delimiter=",")
        print(f"wrote {name}: {len(table)} rows, raster {code.shape}")


if __name__ == "__main__":
    main()
