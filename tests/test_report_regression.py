"""The report's sensitivity table and region raster against stored answers (issue 14).

The stored files in ``tests/data/report/`` were written by the implementation that asked
SymPy about every grid point (regenerate with ``tests/data/report/regenerate.py``); the
vectorized implementation must give the same intervals (to grid resolution), the same
agreement column and the same region raster.
"""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sympy

from bargain.models import load_model
from bargain.sweep.intervals import agreement_intervals

DATA = Path(__file__).parent / "data" / "report"
_spec = importlib.util.spec_from_file_location("regenerate", DATA / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)
CASES = regenerate.CASES
NUMBER = re.compile(r"-?\d+\.\d+")


def _shape(text: str) -> str:
    """The set's text with numbers blanked: brackets, unions, braces, words."""
    return NUMBER.sub("#", text)


def _numbers(text: str) -> list[float]:
    return [float(x) for x in NUMBER.findall(text)]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_sensitivity_table_matches_stored(case):
    name, _, _, points, _ = case
    model = load_model(name)
    regimes = [r for r, reg in model.regimes.items() if reg.agreement is not None]
    new = agreement_intervals(model, regimes, n=points)
    old = pd.read_csv(DATA / f"{name}_sensitivity.csv", keep_default_na=False)
    assert list(new.columns)[: len(old.columns)] == list(old.columns)
    lo_hi = [model.parameters[p].bounds for p in new.parameter]
    assert new["grid step"].tolist() == pytest.approx([(b - a) / (points - 1) for a, b in lo_hi])
    assert (
        new[["parameter", "regime"]].values.tolist() == old[["parameter", "regime"]].values.tolist()
    )
    assert new["agree"].tolist() == old["agree"].astype(str).eq("True").tolist()
    assert new["mismatches"].tolist() == old["mismatches"].astype(int).tolist()
    for (_, a), (_, b) in zip(new.iterrows(), old.iterrows(), strict=True):
        lo, hi = model.parameters[a.parameter].bounds
        step = (hi - lo) / (points - 1)
        for col in ("symbolic", "numeric"):
            assert _shape(a[col]) == _shape(b[col]), (a.parameter, a.regime, col)
            np.testing.assert_allclose(_numbers(a[col]), _numbers(b[col]), atol=step, rtol=0)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_region_raster_matches_stored(case):
    name, x, y, _, cells = case
    model = load_model(name)
    regimes = [r for r, reg in model.regimes.items() if reg.agreement is not None]
    code = regenerate.region_codes(model, regimes, x, y, cells)
    stored = np.loadtxt(DATA / f"{name}_regions.csv", dtype=int, delimiter=",")
    np.testing.assert_array_equal(code, stored)


class _Counter:
    """Counts calls of SymPy's per-value entry points while installed."""

    def __init__(self, monkeypatch):
        self.calls = 0
        for owner, attr in ((sympy.Set, "contains"), (sympy.Basic, "subs")):
            real = getattr(owner, attr)

            def counted(*args, _real=real, **kwargs):
                self.calls += 1
                return _real(*args, **kwargs)

            monkeypatch.setattr(owner, attr, counted)


@pytest.mark.parametrize(
    ("name", "use_cache"),
    [("withdrawal_sequencing", True), ("deadline_bargaining", False)],
    ids=["closed-forms", "no-closed-form-uncached"],
)
def test_no_sympy_call_per_grid_point(name, use_cache, monkeypatch):
    # a sweep of 10 parameters x 1001 points (> 10^4) must ask SymPy no more than one of
    # 11 points: the symbolic work is done once per parameter, the grid is numeric
    model = load_model(name)
    regimes = [r for r, reg in model.regimes.items() if reg.agreement is not None]
    agreement_intervals(model, regimes, n=11, use_cache=use_cache)  # derive once
    counts = []
    for n in (11, 1001):
        counter = _Counter(monkeypatch)
        table = agreement_intervals(model, regimes, n=n, use_cache=use_cache)
        counts.append(counter.calls)
        monkeypatch.undo()
    assert len(table) * 1001 >= 10_000
    # SymPy's own caches make the counts wobble by a few calls; a per-point path would add
    # at least one call per point of a parameter's grid
    assert counts[1] - counts[0] < 1000, counts
