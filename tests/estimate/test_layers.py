"""bargain.estimate stays in its layer: it imports only bargain.errors, bargain.games,
bargain.formats and itself (no solvers, sweeps, models, symbolic), and importing it
compiles nothing and loads no plotting library."""

import json
import subprocess
import sys


def test_estimate_imports_only_its_layer():
    code = (
        "import json, sys; import bargain.estimate, bargain.datasets; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('bargain')) + "
        "[m for m in ('numba', 'sympy', 'matplotlib') if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(out.stdout)
    allowed = ("bargain", "bargain._version", "bargain.errors")
    for name in loaded:
        assert name in allowed or name.startswith(
            ("bargain.estimate", "bargain.datasets", "bargain.games", "bargain.formats")
        ), name
    assert "numba" not in loaded
    assert "sympy" not in loaded
    assert "matplotlib" not in loaded
