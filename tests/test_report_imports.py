"""A warm report loads neither SymPy, Numba, pandas nor SciPy, and a cold one compiles no
kernel for models whose regimes are all trees (issue 14; a normal-form regime's equilibrium
components come from compiled vertex enumeration, issue 15).  Run in fresh
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


@pytest.mark.parametrize("model", ["withdrawal_sequencing", "deadline_bargaining"])
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
    if all(hasattr(m.game(r), "to_tikz") for r in m.regimes):
        assert "compiling" not in err  # trees only: nothing to compile
    else:  # a normal-form regime's components come from vertex enumeration, compiled
        assert all("vertex" in line or "single-point" in line
                   for line in err.splitlines() if "compiling" in line)  # fmt: skip
    warm, _ = _run(model, tmp_path / "b", env)
    assert warm == []
    for name in ("sensitivity.csv", "equilibria.csv", "regions.pdf", "regions.png"):
        assert (tmp_path / "a" / name).read_bytes()[:4] == (tmp_path / "b" / name).read_bytes()[:4]
    first = (tmp_path / "a" / "sensitivity.csv").read_text()
    assert first == (tmp_path / "b" / "sensitivity.csv").read_text()
    assert (tmp_path / "a" / "equilibria.csv").read_text() == (
        tmp_path / "b" / "equilibria.csv"
    ).read_text()
