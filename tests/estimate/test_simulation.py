"""The simulation study of ``benchmarks/sim_estimate.py``, small: 40 replications.

Choices are drawn from the structural model (egame12 and a tree with a chance move, agent
error and private information).  If the estimator and its standard errors are right,
each parameter's count of 95% intervals holding the true value is Binomial(40, 0.95):
at least 30 fails with probability 3.7e-7 per parameter, under 1e-5 for all 24.  The
mean bias must lie within 4.6 Monte Carlo standard errors (two-sided 1e-4/24 each), and
the mean standard error within a factor 1.6 of the estimates' spread (a too-wide
interval would pass the coverage check alone).
"""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "sim_estimate.py"
spec = importlib.util.spec_from_file_location("sim_estimate", PATH)
sim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sim)

REPS = 40


@pytest.mark.parametrize("error", sim.ERRORS)
@pytest.mark.parametrize("shape", sim.SHAPES)
def test_estimates_are_unbiased_and_intervals_cover(shape, error):
    seed = 7 + 2 * sim.SHAPES.index(shape) + sim.ERRORS.index(error)
    table = sim.study(shape, error, reps=REPS, n=2000, seed=seed)
    assert (table["failed"] == 0).all()
    assert (table["covered"] >= 30).all(), table[["parameter", "covered"]]
    assert (table["bias"].abs() < 4.6 * table["bias_mcse"]).all(), table
    ratio = table["mean_se"] / table["sd_est"]
    assert ratio.between(1 / 1.6, 1.6).all(), ratio


def test_the_simulated_tree_has_every_outcome():
    import numpy as np

    for error in sim.ERRORS:
        y = sim.simulate_tree(2000, error, np.random.default_rng(0))["y"]
        assert set(y) == {"sq", "cap", "win", "lose"}
