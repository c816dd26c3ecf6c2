"""The built wheel installs into a fresh environment and finds the models by name."""

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_models_and_loads_them_by_name(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (tmp_path / "dist").glob("bargain_games-*.whl")
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    # Dependencies come from this environment (no network in tests): expose its packages.
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import bargain, pathlib; m = bargain.load_model('entry_deterrence'); "
        "print(m.name, pathlib.Path(m.source_path).parent.name, "
        "'site-packages' in m.source_path)"
    )
    out = subprocess.run(
        [str(py), "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["entry_deterrence", "_models", "True"]
