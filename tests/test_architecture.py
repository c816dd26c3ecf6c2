"""The house keeps its shape: layers enforced, no circles, files of one idea."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bargain"
ROOT = SRC.parents[1]
MAX_LINES = 500


def test_no_module_over_the_limit():
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in SRC.rglob("*.py")
    }
    over = {p: n for p, n in sizes.items() if n > MAX_LINES}
    assert not over, f"modules over {MAX_LINES} lines (split by responsibility): {over}"


def test_solvers_do_not_mix_normal_form_and_tree_code():
    # Every solver module stands in normal_form/ or trees/, or is one of the shared ones.
    shared = {"__init__.py", "api.py", "result.py", "verify.py", "tolerance.py", "points.py"}
    shared |= {"_interpreted.py"}  # interpreted twins of kernels, for both kinds
    shared |= {"certify.py"}  # exact verification when payoffs defeat floats, for both kinds
    top = {p.name for p in (SRC / "solvers").glob("*.py")}
    assert top == shared


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.fail("import-linter is not installed; it is in the 'test' extra")
    r = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout
