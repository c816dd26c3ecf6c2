"""Regenerate the regression data of the stochastic report (staged_withdrawal, issue 14).

The stored files were written by the implementation of commit d74faa0 (before the
vectorized one-shot-deviation check and the derivation cache of the dynamic report: one
game build and one ``profile_regrets`` per grid point, SymPy at every run); the tests in
``tests/test_report_dynamic_fast.py`` check that later implementations write the same
tables and the same region raster.  Run from the repository root::

    PYTHONPATH=src:. python tests/data/report_dynamic/regenerate.py

Rerun it only when a change of the answers is intended, and say why in the commit.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bargain.formats.tables import to_csv
from bargain.models import load_model
from bargain.report.dynamic import equilibrium_table, mpe_condition_table, sensitivity_table
from bargain.report.dynamic_plot import mpe_region

HERE = Path(__file__).resolve().parent
MODEL, REGIME = "staged_withdrawal", "staged"
#: grid values per parameter of the sensitivity table
POINTS = 21
#: the region raster: (x, y, points per axis)
REGION = ("delta", "q", 9)


def main() -> None:
    model = load_model(MODEL)
    to_csv(sensitivity_table(model, REGIME, n=POINTS), HERE / "sensitivity.csv")
    to_csv(equilibrium_table(model, REGIME), HERE / "equilibrium.csv")
    to_csv(mpe_condition_table(model, REGIME), HERE / "mpe_condition.csv")
    x, y, n = REGION
    _, _, code = mpe_region(model, REGIME, x, y, n=n)
    np.savetxt(HERE / "regions.csv", code, fmt="%d", delimiter=",")
    print(f"wrote {HERE}")


if __name__ == "__main__":
    main()
