"""Backends: serial, Numba-parallel and Dask give identical results."""

import logging

import numpy as np
import pandas as pd
import pytest

from bargain.errors import BargainError, ParameterError
from bargain.models import load_model
from bargain.sweep.backends import Backend, check_outputs, output_columns
from bargain.sweep.checkpoint import load_sweep, run_sweep
from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.samples import design
from bargain.sweep.sensitivity import sobol

M = load_model("withdrawal_sequencing")
REGIME = "withdraw_first"
OUTPUTS = ("agreement", "path", "payoffs")


def _collect(backend, d, size, **kwargs):
    with Backend(backend, **kwargs) as b:
        got = dict(b.map(M, REGIME, OUTPUTS, d, range(d.n_chunks(size)), size))
    return {c: np.concatenate([got[k][c] for k in sorted(got)]) for c in got[0]}


def test_output_columns_match_evaluate_points():
    pts = design(M, method="lhs", n=300, seed=4).points()
    cols = output_columns(M, REGIME, ("agreement", "payoff_DRC", "path"), pts, parallel=False)
    ref = evaluate_points(M, REGIME, pts)
    assert np.array_equal(cols["agreement"], ref.agreement)
    assert np.array_equal(cols["payoff_DRC"], ref.payoffs[:, ref.players.index("DRC")])
    assert set(cols["path"]) == {" -> ".join(p) for p in ref.paths}


def test_serial_and_parallel_are_identical():
    d = design(M, method="sobol", n=3000, seed=1)
    a, b = _collect("serial", d, 700), _collect("parallel", d, 700)
    assert a.keys() == b.keys()
    for c in a:
        assert np.array_equal(a[c], b[c]), c


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"backend": "gpu"}, "unknown backend 'gpu'", id="name"),
        pytest.param({"backend": "serial", "workers": 2}, "need backend='dask'", id="workers"),
        pytest.param({"backend": "dask", "workers": 0}, "whole number >= 1", id="zero"),
        pytest.param(
            {"backend": "dask", "workers": 2, "scheduler": "tcp://127.0.0.1:1"},
            "either workers",
            id="both",
        ),
    ],
)
def test_backend_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        Backend(kwargs.pop("backend"), **kwargs)


def test_dask_backend_outside_with_block_and_unreachable_scheduler():
    d = design(M, method="sobol", n=8, seed=1)
    with pytest.raises(BargainError, match="not running"):
        list(Backend("dask", workers=1).map(M, REGIME, OUTPUTS, d, [0], 8))


def test_check_outputs_names_the_choices():
    with pytest.raises(ParameterError, match=r"unknown output 'welfare'; choose from .*payoff_DRC"):
        check_outputs(M, REGIME, ["welfare"])


@pytest.fixture(scope="module")
def cluster():
    """A 2-worker LocalCluster on loopback, shared by the Dask tests and closed after."""
    distributed = pytest.importorskip("distributed")
    c = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        # the scheduler's HTTP server (health checks) on a free loopback port, not 8787:
        # otherwise a second cluster warns "Port 8787 is already in use" (an error here)
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        silence_logs=logging.ERROR,
    )
    try:
        yield c
    finally:
        c.close()


def test_dask_chunks_are_identical_to_serial(cluster):
    d = design(M, method="lhs", n=4000, seed=3)
    a = _collect("serial", d, 500)
    b = _collect("dask", d, 500, scheduler=cluster.scheduler_address)
    for c in a:
        assert np.array_equal(a[c], b[c]), c


def test_dask_run_sweep_and_sobol_equal_the_parallel_ones(cluster, tmp_path):
    d = design(M, method="sobol", n=2048, seed=5)
    kw = {"outputs": list(OUTPUTS), "chunk_size": 300}
    run_sweep(M, REGIME, d, tmp_path / "p", backend="parallel", **kw)
    run_sweep(
        M, REGIME, d, tmp_path / "d", backend="dask", scheduler=cluster.scheduler_address, **kw
    )
    pd.testing.assert_frame_equal(load_sweep(tmp_path / "p"), load_sweep(tmp_path / "d"))
    a = sobol(M, REGIME, "agreement", n=128, seed=2, vary=["q", "k_G", "M_G", "s"])
    b = sobol(
        M, REGIME, "agreement", n=128, seed=2, vary=["q", "k_G", "M_G", "s"],
        backend="dask", scheduler=cluster.scheduler_address,
    )  # fmt: skip
    assert a.frame.equals(b.frame)
    assert b.manifest["backend"] == "dask"
    assert b.manifest["workers"] == 2


def test_dask_local_cluster_started_and_closed_by_the_backend(tmp_path):
    # the workers=N path owns its LocalCluster and shuts it down on exit
    m = load_model("entry_deterrence")
    d = design(m, method="grid", vary={"commitment_cost": (0, 4, 5)})
    with Backend("dask", workers=1) as b:
        got = dict(b.map(m, "entry_commitment", ("agreement",), d, [0, 1], 3))
        cluster = b._cluster
    assert b._cluster is None
    assert cluster.status.name == "closed"
    assert got[0]["agreement"].tolist() + got[1]["agreement"].tolist() == [
        True, True, True, False, False,
    ]  # fmt: skip


def test_auto_picks_dask_when_a_cluster_is_named_else_parallel():
    assert Backend("auto").name == "parallel"
    assert Backend("auto", workers=2).name == "dask"
    assert Backend(scheduler="tcp://127.0.0.1:8786").name == "dask"
