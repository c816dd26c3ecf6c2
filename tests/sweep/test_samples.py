"""Designs that produce their points chunk by chunk: grid, Latin hypercube, Sobol'."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import qmc

from bargain.errors import ParameterError
from bargain.games.parameters import Parameter, ParameterSet
from bargain.models import load_model
from bargain.sweep.samples import design

PS = ParameterSet(
    [
        Parameter("q", 0.5, (0, 1), "probability", "detection probability"),
        Parameter("s", 1.0, (0, 4), "USD bn", "sanction"),
        Parameter("n", 2, (1, 4), "tranches", "tranches", integer=True),
    ]
)


@pytest.mark.parametrize("method", ["grid", "lhs", "sobol"])
@pytest.mark.parametrize("size", [1, 7, 64, 1000])
def test_chunks_and_random_access_give_the_same_points(method, size):
    d = design(PS, method=method, n=5 if method == "grid" else 100, seed=3)
    full = d.points()
    assert np.array_equal(np.concatenate(list(d.chunks(size))), full)
    parts = [d.chunk(k, size) for k in range(d.n_chunks(size))]
    assert np.array_equal(np.concatenate(parts), full)


@settings(max_examples=50, deadline=None)
@given(start=st.integers(0, 300), length=st.integers(0, 300), seed=st.integers(0, 50))
def test_any_slice_of_a_sample_is_the_slice_of_the_whole(start, length, seed):
    for method in ("lhs", "sobol"):
        d = design(PS, method=method, n=600, seed=seed)
        assert np.array_equal(d.points(start, start + length), d.points()[start : start + length])


def test_sobol_is_scipys_scrambled_sequence():
    d = design(PS, method="sobol", n=256, vary=["q", "s"], seed=11)
    unit = qmc.Sobol(2, scramble=True, rng=np.random.default_rng(11)).random(256)
    expected = qmc.scale(unit, [0, 0], [1, 4])
    assert np.array_equal(d.points()[:, :2], expected)
    assert (d.points()[:, 2] == 2).all()  # integer parameter fixed at its default


@pytest.mark.parametrize("n", [1, 2, 10, 997, 4096])
def test_lhs_puts_one_point_in_every_stratum_of_every_dimension(n):
    # the defining property of a Latin hypercube (McKay, Beckman & Conover 1979)
    d = design(PS, method="lhs", n=n, vary=["q", "s"], seed=5)
    pts = d.points()
    for col, (lo, hi) in ((0, (0, 1)), (1, (0, 4))):
        strata = np.floor((pts[:, col] - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


def test_varied_integer_parameter_takes_every_whole_value():
    d = design(PS, method="lhs", n=400, vary=["n"], seed=0)
    values = d.points()[:, 2]
    assert set(values.tolist()) == {1.0, 2.0, 3.0, 4.0}
    assert np.bincount(values.astype(int)).tolist() == [0, 100, 100, 100, 100]


def test_default_vary_is_every_continuous_parameter():
    m = load_model("withdrawal_sequencing")
    d = design(m, method="sobol", n=8)
    assert "n" not in d.vary
    assert len(d.vary) == len(m.parameters) - 1
    col = m.parameters.names.index("n")
    assert (d.points()[:, col] == m.parameters["n"].default).all()


def test_seeds_reproduce_and_differ():
    a = design(PS, method="lhs", n=50, seed=1).points()
    assert np.array_equal(a, design(PS, method="lhs", n=50, seed=1).points())
    assert not np.array_equal(a, design(PS, method="lhs", n=50, seed=2).points())


def test_spec_is_json_and_identifies_the_design():
    d = design(PS, method="sobol", n=32, vary={"q": (0.2, 0.8)}, seed=4, fixed={"s": 3})
    spec = json.loads(json.dumps(d.spec()))
    assert spec == {
        "method": "sobol",
        "n": 32,
        "seed": 4,
        "vary": {"q": [0.2, 0.8]},
        "fixed": {"s": 3.0, "n": 2.0},
        "parameters": ["q", "s", "n"],
    }
    assert spec != design(PS, method="sobol", n=32, vary={"q": (0.2, 0.8)}, seed=5).spec()


def test_huge_designs_stay_lazy():
    d = design(load_model("withdrawal_sequencing"), method="sobol", n=10**8, seed=0)
    last = d.chunk(d.n_chunks(10**6) - 1, 10**6)
    assert last.shape == (10**6, 13)
    g = design(PS, method="grid", n=10_000, vary=["q", "s"])
    assert len(g) == 10**8
    assert g.points(10**8 - 1).tolist() == [[1.0, 4.0, 2.0]]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param({"method": "halton", "n": 4}, "unknown design 'halton'", id="method"),
        pytest.param({"method": "lhs"}, "needs the number of points n", id="no-n"),
        pytest.param({"method": "lhs", "n": 0}, "parameter 'n': must be a whole", id="n-zero"),
        pytest.param({"method": "sobol", "n": 4, "vary": ["z"]}, "'z': unknown", id="unknown"),
        pytest.param(
            {"method": "sobol", "n": 4, "vary": {"q": (0, 2)}},
            "'q': value 2 is outside",
            id="range-bounds",
        ),
        pytest.param(
            {"method": "lhs", "n": 4, "vary": {"q": (0.8, 0.2)}}, "low <= high", id="range-order"
        ),
        pytest.param(
            {"method": "lhs", "n": 4, "vary": ["q"], "fixed": {"q": 0.1}},
            "both varied and fixed",
            id="both",
        ),
        pytest.param({"method": "lhs", "n": 4, "seed": -1}, "'seed': must be", id="seed"),
        pytest.param({"method": "grid", "vary": []}, "name at least one", id="nothing"),
    ],
)
def test_design_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        design(PS, **kwargs)


def test_bad_chunk_size_and_slice():
    d = design(PS, method="lhs", n=10)
    with pytest.raises(ParameterError, match=r"chunk_size.*whole number >= 1"):
        d.chunk(0, 0)
    with pytest.raises(ParameterError, match="need 0 <= start <= stop"):
        d.points(5, 2)
    with pytest.raises(ParameterError, match="expected a Model or ParameterSet"):
        design(42, method="lhs", n=3)
