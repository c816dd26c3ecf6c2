"""`import bargain` is cheap: it imports neither Numba nor SymPy and compiles nothing."""

import json
import subprocess
import sys

import pytest

import bargain


def _fresh(code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(out.stdout)


def test_import_loads_no_heavy_module():
    info = _fresh(
        "import json, sys; import bargain; "
        "print(json.dumps({m: m in sys.modules for m in ('numba', 'sympy', 'scipy', 'numpy')}))"
    )
    assert info == {"numba": False, "sympy": False, "scipy": False, "numpy": False}


def test_public_names_resolve_lazily():
    for name in bargain.__all__:
        assert getattr(bargain, name) is not None, name
    assert bargain.solve.__module__ == "bargain.solvers.api"


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        bargain.nope
