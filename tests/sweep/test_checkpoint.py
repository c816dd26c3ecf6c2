"""Long sweeps: chunked Parquet output, checkpoint, and resuming after SIGKILL."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import bargain
from bargain.errors import BargainError, ParameterError
from bargain.models import load_model
from bargain.sweep.checkpoint import load_sweep, run_sweep
from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.samples import design

M = load_model("withdrawal_sequencing")
REGIME = "withdraw_first"
SRC = str(Path(bargain.__file__).resolve().parents[1])


def test_table_matches_direct_evaluation(tmp_path):
    d = design(M, method="lhs", n=5000, vary=["q", "k_G", "M_G", "s"], seed=2)
    out = run_sweep(
        M, REGIME, d, tmp_path, outputs=["agreement", "path", "payoffs"], chunk_size=777
    )
    frame = load_sweep(out)
    ref = evaluate_points(M, REGIME, d.points())
    assert frame.columns.tolist() == [
        "point", "q", "k_G", "M_G", "s", "agreement", "path", "payoff_Rwanda", "payoff_DRC",
    ]  # fmt: skip
    assert frame.point.tolist() == list(range(5000))
    assert np.array_equal(frame.q.to_numpy(), d.points()[:, M.parameters.names.index("q")])
    assert np.array_equal(frame.agreement.to_numpy(), ref.agreement)
    assert np.array_equal(frame[["payoff_Rwanda", "payoff_DRC"]].to_numpy(), ref.payoffs)
    labels = [" -> ".join(p) for p in ref.paths]
    assert frame.path.tolist() == [labels[i] for i in ref.path_id]
    assert len(list(tmp_path.glob("chunk-*.parquet"))) == 7
    assert not list(tmp_path.glob(".*tmp"))
    state = json.loads((tmp_path / "checkpoint.json").read_text())
    assert state["complete"]
    assert state["done"] == list(range(7))
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["seed"] == 2
    assert manifest["design"]["method"] == "lhs"
    assert manifest["model"]["source_sha256"] == M.source_hash()


def test_closed_form_outputs_and_columns_subset(tmp_path):
    m = load_model("entry_deterrence")
    d = design(m, method="grid", vary={"commitment_cost": (0, 4, 5)})
    run_sweep(m, "entry_commitment", d, tmp_path, outputs=["commitment_margin", "agreement"])
    frame = load_sweep(tmp_path, columns=["commitment_margin"])
    assert frame.to_dict("list") == {
        "point": [0, 1, 2, 3, 4],
        "commitment_margin": [2, 1, 0, -1, -2],
    }


def _script(out: Path) -> str:
    return textwrap.dedent(
        f"""
        import time
        from bargain.models import load_model
        from bargain.sweep.checkpoint import run_sweep
        from bargain.sweep.samples import design

        m = load_model("withdrawal_sequencing")
        d = design(m, method="sobol", n=2**18, seed=9)
        run_sweep(m, "withdraw_first", d, {str(out)!r}, outputs=["agreement", "payoffs"],
                  chunk_size=2**14, progress=lambda done, total: time.sleep(0.1))
        """
    )


def _done(out: Path) -> int:
    try:
        return len(json.loads((out / "checkpoint.json").read_text())["done"])
    except (FileNotFoundError, json.JSONDecodeError, KeyError):
        return 0


def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path):
    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": SRC}
    proc = subprocess.Popen([sys.executable, "-c", _script(killed)], env=env)
    try:
        deadline = time.monotonic() + 120
        while _done(killed) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = _done(killed)
    assert 3 <= before < 16
    with pytest.raises(BargainError, match="is unfinished"):
        load_sweep(killed)
    assert len(load_sweep(killed, partial=True)) == before * 2**14

    d = design(M, method="sobol", n=2**18, seed=9)
    outputs = ["agreement", "payoffs"]
    run_sweep(M, REGIME, d, killed, outputs=outputs, chunk_size=2**14, resume=True)
    manifest = json.loads((killed / "manifest.json").read_text())
    assert manifest["chunks_computed_last_run"] == 16 - before  # nothing redone
    whole = run_sweep(M, REGIME, d, tmp_path / "whole", outputs=outputs, chunk_size=2**14)
    pd.testing.assert_frame_equal(load_sweep(killed), load_sweep(whole))


def test_half_written_chunk_is_not_counted(tmp_path):
    m = load_model("entry_deterrence")
    d = design(m, method="sobol", n=64, seed=1)
    run_sweep(m, "entry", d, tmp_path, chunk_size=16)
    state = json.loads((tmp_path / "checkpoint.json").read_text())
    # simulate a kill while chunk 2 was being written: its temp file exists, it is not done
    (tmp_path / "chunk-000002.parquet").rename(tmp_path / ".chunk-000002.parquet.999.tmp")
    state["done"], state["complete"] = [0, 1, 3], False
    (tmp_path / "checkpoint.json").write_text(json.dumps(state))
    run_sweep(m, "entry", d, tmp_path, chunk_size=16, resume=True)
    assert load_sweep(tmp_path).point.tolist() == list(range(64))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        pytest.param({"seed": 2}, r"different design", id="seed"),
        pytest.param({"n": 32}, r"different design", id="n"),
        pytest.param({"outputs": ["payoffs"]}, r"different outputs", id="outputs"),
        pytest.param({"chunk_size": 8}, r"different chunk_size", id="chunks"),
        pytest.param({"regime": "entry_commitment"}, r"different regime", id="regime"),
    ],
)
def test_resume_refuses_a_different_sweep(tmp_path, change, match):
    m = load_model("entry_deterrence")
    args = {"seed": 1, "n": 64, "outputs": ["agreement"], "chunk_size": 16, "regime": "entry"}
    run_sweep(m, args["regime"], design(m, method="sobol", n=64, seed=1), tmp_path, chunk_size=16)
    args.update(change)
    d = design(m, method="sobol", n=args["n"], seed=args["seed"])
    with pytest.raises(BargainError, match=rf"cannot resume the sweep in .*{match}"):
        run_sweep(
            m, args["regime"], d, tmp_path, outputs=args["outputs"],
            chunk_size=args["chunk_size"], resume=True,
        )  # fmt: skip


def test_resume_refuses_a_different_model_source(tmp_path):
    src = Path(M.source_path).read_text()
    a, b = tmp_path / "a" / "model_x.py", tmp_path / "b" / "model_x.py"
    for p, text in ((a, src), (b, src + "\n# edited\n")):
        p.parent.mkdir()
        p.write_text(text)
    ma, mb = load_model(a), load_model(b)
    d = design(ma, method="sobol", n=16, vary=["q"], seed=0)
    run_sweep(ma, REGIME, d, tmp_path / "out", chunk_size=8)
    with pytest.raises(BargainError, match="different model"):
        run_sweep(mb, REGIME, d, tmp_path / "out", chunk_size=8, resume=True)


def test_folder_with_a_sweep_needs_resume_and_bad_input(tmp_path):
    m = load_model("entry_deterrence")
    d = design(m, method="sobol", n=16, seed=0)
    run_sweep(m, "entry", d, tmp_path)
    with pytest.raises(BargainError, match=r"already holds a sweep.*resume=True"):
        run_sweep(m, "entry", d, tmp_path)
    with pytest.raises(BargainError, match="holds no sweep"):
        load_sweep(tmp_path / "nothing")
    with pytest.raises(ParameterError, match="pass a Design"):
        run_sweep(m, "entry", d.points(), tmp_path / "x")
    with pytest.raises(ParameterError, match="other parameters"):
        run_sweep(m, "entry", design(M, method="lhs", n=4), tmp_path / "y")
    with pytest.raises(ParameterError, match="unknown output 'welfare'"):
        run_sweep(m, "entry", d, tmp_path / "z", outputs=["welfare"])


def test_progress_callback_reports_points(tmp_path):
    m = load_model("entry_deterrence")
    seen = []
    run_sweep(
        m, "entry", design(m, method="lhs", n=50, seed=0), tmp_path, chunk_size=20,
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen == [(20, 50), (40, 50), (50, 50)]


def _resume_script(out: Path, seed: int) -> str:
    return textwrap.dedent(
        f"""
        import time
        from bargain.models import load_model
        from bargain.sweep.checkpoint import load_sweep, run_sweep
        from bargain.sweep.samples import design

        m = load_model("withdrawal_sequencing")
        d = design(m, method="sobol", n=2**12, seed=9)
        time.sleep(0.2 * {seed})
        run_sweep(m, "withdraw_first", d, {str(out)!r}, outputs=["agreement"],
                  chunk_size=2**6, resume=True,
                  progress=lambda done, total: time.sleep(0.002))
        assert len(load_sweep({str(out)!r})) == 2**12
        """
    )


def test_two_concurrent_resumes_both_finish(tmp_path):
    # Issue 13: two --resume runs of one sweep rewrote checkpoint.json without a lock, and
    # one of them ended "unfinished (62 of 64 chunks)".  Under the folder's lock each
    # update merges the other run's chunks, so both end with the whole table.
    out = tmp_path / "shared"
    d = design(M, method="sobol", n=2**12, seed=9)
    run_sweep(M, REGIME, d, out, outputs=["agreement"], chunk_size=2**6, progress=False)
    state = json.loads((out / "checkpoint.json").read_text())
    state["done"], state["complete"] = state["done"][:4], False
    (out / "checkpoint.json").write_text(json.dumps(state))
    env = {**os.environ, "PYTHONPATH": SRC}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _resume_script(out, k)], env=env, stderr=subprocess.PIPE
        )
        for k in range(2)
    ]
    errors = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    final = json.loads((out / "checkpoint.json").read_text())
    assert final["complete"]
    assert final["done"] == list(range(64))
    whole = run_sweep(M, REGIME, d, tmp_path / "whole", outputs=["agreement"], chunk_size=2**6)
    pd.testing.assert_frame_equal(load_sweep(out), load_sweep(whole))
