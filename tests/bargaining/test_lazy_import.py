"""Importing bargain.bargaining imports neither SymPy, SciPy nor Numba."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bargain

CODE = """
import sys
import bargain.bargaining as bb
bb.rubinstein(0.9, 0.9)
bb.fearon_screening(0.5, 0.1, 0.3)
bb.phased_shift(0.9, 0.3, 0.5, 0.05)
bb.inspection_equilibrium(1, 3, 0.8, 0.2, 2)
print(sorted(m for m in ("sympy", "scipy", "numba") if m in sys.modules))
"""


def test_import_and_closed_forms_stay_light():
    env = dict(os.environ, PYTHONPATH=str(Path(bargain.__file__).resolve().parents[1]))
    out = subprocess.run(
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
