"""Report bundles are whole or plainly unfinished, never a mix of two runs (issue 13)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bargain
from bargain.errors import BargainError
from bargain.formats import files as bundle_mod
from bargain.formats.files import MARKER, Bundle, verify_bundle
from bargain.report import write_report

SRC = str(Path(bargain.__file__).resolve().parents[1])


def _bundle(out: Path, tag: str) -> None:
    with Bundle(out) as b:
        b.write_text("table.csv", f"run,{tag}\n")
        b.write_text("figure.txt", f"figure of {tag}\n")
        b.finish({"run": tag})


def test_finished_bundle_verifies_and_lists_hashes(tmp_path):
    _bundle(tmp_path / "b", "one")
    manifest = verify_bundle(tmp_path / "b")
    assert manifest["run"] == "one"
    assert sorted(manifest["files"]) == ["figure.txt", "table.csv"]
    (tmp_path / "b" / "table.csv").write_text("run,tampered\n")
    with pytest.raises(BargainError, match=r"table\.csv: differs from the manifest"):
        verify_bundle(tmp_path / "b")


def test_failure_while_writing_leaves_the_old_bundle(tmp_path):
    out = tmp_path / "b"
    _bundle(out, "old")

    def killed_while_writing():
        with Bundle(out) as b:
            b.write_text("table.csv", "run,new\n")
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError, match="killed"):
        killed_while_writing()
    assert verify_bundle(out)["run"] == "old"
    assert (out / "table.csv").read_text() == "run,old\n"
    assert not list(tmp_path.glob(".b.partial-*"))


def test_failure_while_moving_marks_the_folder_incomplete(tmp_path, monkeypatch):
    out = tmp_path / "b"
    _bundle(out, "old")
    real = os.replace
    moved = []

    def replace_then_die(a, b):
        if len(moved) == 1:
            raise KeyboardInterrupt  # as if the process were killed after one file
        moved.append(b)
        real(a, b)

    monkeypatch.setattr(bundle_mod.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        _bundle(out, "new")
    monkeypatch.setattr(bundle_mod.os, "replace", real)
    assert (out / MARKER).exists()
    assert not (out / "manifest.json").exists()
    with pytest.raises(BargainError, match="marked INCOMPLETE"):
        verify_bundle(out)
    _bundle(out, "again")  # the next run repairs it
    assert verify_bundle(out)["run"] == "again"
    assert not (out / MARKER).exists()


def test_reserved_and_unwritten_names_are_refused(tmp_path):
    with Bundle(tmp_path / "b") as b:
        with pytest.raises(BargainError, match="not reserved"):
            b.path("manifest.json")
        with pytest.raises(BargainError, match="plain"):
            b.path("../escape.txt")
        b.path("never.csv")
        with pytest.raises(BargainError, match="announced but not written"):
            b.finish({})


def test_killed_report_never_looks_finished(tmp_path):
    out = tmp_path / "report"
    write_report("entry_deterrence", out, points=11, progress=False)
    before = verify_bundle(out)
    assert before["sensitivity_grid"] == 11
    env = {**os.environ, "PYTHONPATH": SRC}
    cmd = [sys.executable, "-m", "bargain.cli", "report", "withdrawal_sequencing"]
    proc = subprocess.Popen([*cmd, "--out", str(out), "--points", "301"], env=env)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".report.partial-*")) and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # Killed while writing: the old bundle stands, every file as its manifest says.
    after = verify_bundle(out)
    assert after == before
    assert json.loads((out / "manifest.json").read_text())["model"]["name"] == "entry_deterrence"


def test_atomic_files_get_the_usual_permissions(tmp_path):
    # mkstemp creates files readable by their owner only; a table must not end up so.
    from bargain.formats.files import atomic_write_text

    mask = os.umask(0o022)
    try:
        p = atomic_write_text(tmp_path / "t.csv", "a\n")
    finally:
        os.umask(mask)
    assert p.stat().st_mode & 0o777 == 0o644
