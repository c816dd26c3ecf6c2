"""The stochastic report without per-point game builds (issue 14): the batched
one-shot-deviation check against the per-point one, the tables and region raster against
those of the per-point implementation, the derivation cache (read back, validated,
bypassed by ``--no-cache``) and a warm report that imports nothing heavy."""

import csv
import importlib.util
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bargain.dynamic.regime import profile_regrets
from bargain.formats.files import Bundle
from bargain.formats.tables import Rows, to_csv
from bargain.models import load_model
from bargain.report import dynamic
from bargain.report.dynamic_cache import _from_data, _rows_data
from bargain.report.dynamic_check import batch_check, batch_regrets, game_plan
from bargain.report.dynamic_plot import mpe_region
from bargain.symbolic import cache

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "report_dynamic"
_spec = importlib.util.spec_from_file_location("regenerate_dynamic", DATA / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)


@pytest.fixture
def model(tmp_path, monkeypatch):
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(tmp_path / "cache"))
    m = load_model("staged_withdrawal")
    m.__dict__.pop("_stochastic_plans", None)  # the in-process memo
    yield m
    m.__dict__.pop("_stochastic_plans", None)


def _random_points(m, n, seed):
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        row = []
        for p in m.parameters.parameters:
            lo, hi = p.bounds
            row.append(rng.integers(int(lo), int(hi) + 1) if p.integer else rng.uniform(lo, hi))
        rows.append(row)
    return np.array(rows, dtype=float)


def test_batch_check_agrees_with_the_per_point_check(model):
    # 240 random points over the whole box (every k), plus a q sweep through the
    # detection threshold, where the verdict flips
    X = _random_points(model, 240, seed=14)
    line = np.tile(model.parameters.vector(), (41, 1))
    line[:, model.parameters.names.index("q")] = np.linspace(0.0, 1.0, 41)
    X = np.concatenate([X, line])
    batch = batch_regrets(model, "staged", X)
    ok, code = batch_check(model, "staged", X)
    verdicts = []
    for b, row in enumerate(X):
        R = profile_regrets(model, "staged", **dict(zip(model.parameters.names, row, strict=True)))
        assert batch[b].shape == R.shape
        np.testing.assert_allclose(batch[b], R, atol=1e-9, rtol=0)
        holds = bool(R.max() <= 1e-9)
        assert bool(ok[b]) == holds
        bad = np.flatnonzero(R.max(axis=0) > 1e-9)
        assert code[b] == (0 if holds else 1 + bad[0])
        verdicts.append(holds)
    assert 20 < sum(verdicts) < len(verdicts) - 20  # both verdicts are exercised


def _cells(text):
    return list(csv.reader(io.StringIO(text)))


def _same_csv(new, stored):
    a, b = _cells(new), _cells(stored)
    assert len(a) == len(b)
    assert a[0] == b[0]
    for ra, rb in zip(a[1:], b[1:], strict=True):
        for x, y in zip(ra, rb, strict=True):
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                assert x == y
                continue
            assert fx == pytest.approx(fy, rel=1e-9, abs=1e-12), (x, y)


def test_tables_and_raster_match_the_per_point_implementation(model):
    # twice: derived (the cache empty), then read back from the derivation cache
    for _ in range(2):
        model.__dict__.pop("_stochastic_plans", None)
        sens = dynamic.sensitivity_rows(model, regenerate.REGIME, n=regenerate.POINTS)
        _same_csv(to_csv(Rows(sens)), (DATA / "sensitivity.csv").read_text())
        eq = dynamic.equilibrium_rows(model, regenerate.REGIME)
        _same_csv(to_csv(Rows(eq)), (DATA / "equilibrium.csv").read_text())
        cond = dynamic.mpe_condition_rows(model, regenerate.REGIME)
        _same_csv(to_csv(Rows(cond)), (DATA / "mpe_condition.csv").read_text())
        x, y, n = regenerate.REGION
        _, _, code = mpe_region(model, regenerate.REGIME, x, y, n=n)
        stored = np.loadtxt(DATA / "regions.csv", delimiter=",", dtype=int)
        np.testing.assert_array_equal(code, stored)
    assert len(list(cache.cache_dir().glob("*.json"))) >= 4


def test_a_corrupt_or_foreign_plan_is_derived_again(model):
    plan = game_plan(model, "staged")
    key = cache.model_key(model, what="stochastic_game_plan", regime="staged",
                          structural={"k": 3})  # fmt: skip
    bad = json.loads(json.dumps(plan))
    bad["payoffs"][0]["entries"][0][1] = ["__import__", "os"]  # never evaluated
    cache.store_entry(key, bad)
    model.__dict__.pop("_stochastic_plans")
    assert game_plan(model, "staged") == plan
    cache.store_entry(key, {"states": 3})
    model.__dict__.pop("_stochastic_plans")
    assert game_plan(model, "staged") == plan


def test_batch_check_names_a_point_outside_the_bounds(model):
    from bargain.errors import ParameterError

    X = np.tile(model.parameters.vector(), (2, 1))
    X[1, model.parameters.names.index("q")] = 1.5
    with pytest.raises(ParameterError, match="q"):
        batch_check(model, "staged", X)


def test_rows_read_back_from_the_cache_write_the_tables_pandas_writes(tmp_path):
    m = load_model("staged_withdrawal")
    frames = {
        "comparison": m.tables["comparison"](m),
        "mixed": pd.DataFrame(
            {
                "k": [1, 2],
                "q*": [0.25, float("nan")],
                "rounds": [3.0, float("inf")],
                "holds": np.array([True, False]),
                "text": ["a, b", "c"],
            }
        ),
    }
    for name, frame in frames.items():
        cols = [str(c) for c in frame.columns]
        rows = [dict(zip(cols, r, strict=True)) for r in frame.itertuples(index=False)]
        back = _from_data(json.loads(json.dumps(_rows_data(rows))))
        for kind, table in (("pandas", frame), ("rows", Rows(back))):
            with Bundle(tmp_path / kind / name) as b:
                dynamic._table(b, table, name, m, "caption")
                b.finish({})
        for ext in ("csv", "md", "tex"):
            a = (tmp_path / "pandas" / name / f"{name}.{ext}").read_text()
            assert a == (tmp_path / "rows" / name / f"{name}.{ext}").read_text(), (name, ext)


def test_no_cache_reads_and_stores_nothing(model, tmp_path):
    from bargain.report import write_report

    paths = write_report(model, tmp_path / "out", points=5, progress=False, use_cache=False,
                         dpi=40)  # fmt: skip
    assert paths[-1].name == "manifest.json"
    assert not cache.cache_dir().exists() or not list(cache.cache_dir().glob("*.json"))


CODE = """
import sys
from bargain.report import write_report
from bargain.report.phases import compile_notice
with compile_notice("kernel (any phase)", stream=sys.stderr):  # every compile, not only ours
    write_report("staged_withdrawal", {out!r}, points=9, progress=False, dpi=40, verbose=True)
print("LOADED=" + ",".join(m for m in ("sympy", "numba", "pandas", "scipy") if m in sys.modules))
"""


def test_warm_report_imports_nothing_heavy_and_writes_the_same_bundle(tmp_path):
    # cold (empty Numba and derivation caches), then warm; the cold run's QRE solves (16
    # states of 2 x 2) take the interpreted path: nothing compiles (issue 14)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BARGAIN_CACHE_DIR": str(tmp_path / "derive"),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
    }
    runs = []
    for out in ("a", "b"):
        done = subprocess.run([sys.executable, "-c", CODE.format(out=str(tmp_path / out))],
                              capture_output=True, text=True, env=env, check=True)  # fmt: skip
        loaded = done.stdout.strip().splitlines()[-1].removeprefix("LOADED=")
        runs.append(([m for m in loaded.split(",") if m], done.stderr))
    assert "sympy" in runs[0][0]  # the first run derives (so the check below can fail)
    assert "compiling" not in runs[0][1]
    assert runs[1][0] == []
    for phase in ("derive", "equilibria", "sweep", "figures", "writing"):
        assert f"report: {phase} " in runs[1][1]
    assert "compiling" not in runs[1][1]
    for stem in ("sensitivity", "equilibrium", "mpe_condition", "binding_stage", "timing"):
        for ext in ("csv", "md", "tex"):
            name = f"{stem}.{ext}"
            assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text()
    assert (tmp_path / "a" / "conditions.tex").read_text() == (
        tmp_path / "b" / "conditions.tex"
    ).read_text()


def test_model_tables_key_sees_a_change_to_any_model_file(tmp_path, monkeypatch):
    # the comparison table of staged_withdrawal loads withdrawal_sequencing: a change to
    # another model's file must not leave a stale table in the cache
    from bargain.report.dynamic_cache import _models_digest

    extra = tmp_path / "models"
    extra.mkdir()
    (extra / "other.py").write_text("MODEL = None\n")
    monkeypatch.setenv("BARGAIN_MODELS_PATH", str(extra))
    before = _models_digest()
    assert _models_digest() == before
    (extra / "other.py").write_text("MODEL = None  # changed\n")
    assert _models_digest() != before
