"""A warm report loads neither SymPy, Numba, pandas nor SciPy, and a cold one compiles no
kernel (issue 14): tree regimes are solved by the interpreted twins of the backward-induction
kernels, and the small normal-form regimes' equilibria and components (vertex enumeration,
issue 15) and pure equilibria by the interpreted twins of theirs.  Run in fresh
processes: the test process itself has imported everything."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sympy", "numba", "pandas", "scipy")

CODE = """
import sys
from bargain.report import write_report
from bargain.report.phases import compile_notice
with compile_notice("kernel (any phase)", stream=sys.stderr):  # every compile, not only ours
    write_report({model!r}, {out!r}, points=11, progress=False)
print("LOADED=" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _run(model, out, env):
    code = CODE.format(model=model, out=str(out), heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    loaded = done.stdout.strip().splitlines()[-1].removeprefix("LOADED=")
    return [m for m in loaded.split(",") if m], done.stderr


@pytest.mark.parametrize(
    "model", ["withdrawal_sequencing", "security_mechanism_inspection", "deadline_bargaining"]
)
def test_warm_report_imports_nothing_heavy_and_cold_compiles_nothing(model, tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BARGAIN_CACHE_DIR": str(tmp_path / "derive"),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
    }
    cold, err = _run(model, tmp_path / "a", env)
    assert "sympy" in cold  # the first run derives (so the check below can fail)
    import bargain as bg

    m = bg.load_model(model)
    forms = {hasattr(m.game(r), "to_tikz") for r in m.regimes}
    if model != "deadline_bargaining":  # trees and a normal form (so the check can fail)
        assert forms == {True, False}
    assert "compiling" not in err  # nothing compiled, trees and small normal forms alike
    warm, _ = _run(model, tmp_path / "b", env)
    assert warm == []
    for name in ("sensitivity.csv", "equilibria.csv", "regions.pdf", "regions.png"):
        assert (tmp_path / "a" / name).read_bytes()[:4] == (tmp_path / "b" / name).read_bytes()[:4]
    first = (tmp_path / "a" / "sensitivity.csv").read_text()
    assert first == (tmp_path / "b" / "sensitivity.csv").read_text()
    assert (tmp_path / "a" / "equilibria.csv").read_text() == (
        tmp_path / "b" / "equilibria.csv"
    ).read_text()
