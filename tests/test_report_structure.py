"""The report tells the truth about structure: continua, several n, grid precision
(issue 15)."""

import numpy as np
import pytest

import bargain as bg
from bargain.report.equilibria import equilibria_table
from bargain.report.structure import (
    describe_equilibria,
    grid_decimals,
    path_text,
    sensitivity_view,
    structural_points,
)
from bargain.sweep.intervals import agreement_intervals

TOL = 1e-9


def test_simultaneous_regime_is_reported_as_a_continuum_of_equilibria():
    m = bg.load_model("withdrawal_sequencing")
    s = m.solve("simultaneous")
    count, members = describe_equilibria(s)
    assert count.startswith("continuum: 1 component")
    r = bg.solve(s.result.game, method="vertex")
    (component,) = r.components
    assert len(component) == 2
    # the extreme points and the segment between them are equilibria (no profitable
    # deviation), which is what "continuum" claims
    a, b = (r.equilibria[k].strategies for k in component)
    for t in (0.0, 0.3, 0.5, 1.0):
        profile = [t * x + (1 - t) * y for x, y in zip(a, b, strict=True)]
        assert bg.regret(s.result.game, profile).max() <= TOL
    # the DRC's mixture is printed: Comply with probability k/(k + ...) = 0.921 here
    drc = a[1] if a[1][0] > 0 else b[1]
    assert f"{drc[0]:.3g} Comply" in members
    assert members.count(" to ") == 1


def test_a_unique_mixed_equilibrium_is_one_point():
    # Kilgour & Brams (1992) style inspection game: a unique, fully mixed equilibrium
    m = bg.load_model("security_mechanism_inspection")
    count, members = describe_equilibria(m.solve("simultaneous"))
    assert (count, members) == ("1 equilibrium", "")


def test_phased_is_reported_at_the_tranche_numbers_that_matter():
    m = bg.load_model("withdrawal_sequencing")
    assert structural_points(m, "phased") == [{"n": 1}, {"n": 2}, {"n": 10}]
    assert structural_points(m, "withdraw_first") == [{}]  # the tree does not use n
    t = equilibria_table(m)
    phased = t[t.regime == "phased"]
    assert phased["n"].tolist() == ["1", "2", "10"]
    # closed form (model docstring): the DRC complies iff q >= k_G / (M_G + n s), and
    # Rwanda withdraws iff M_R >= rho - c_R (holds at the baseline)
    v = m.parameters.defaults
    for n, agrees in zip([1, 2, 10], phased["agreement"], strict=True):
        assert agrees == (v["q"] >= v["k_G"] / (v["M_G"] + n * v["s"]))
    assert phased["equilibrium"].tolist()[1] == "Withdraw -> Comply, 2 times"
    assert t[t.regime != "phased"]["n"].eq("").all()


def test_path_text_writes_a_repeated_block_once():
    assert path_text(["A", "B", "A", "B", "A", "B"]) == "A -> B, 3 times"
    assert path_text(["A", "B", "A"]) == "A -> B -> A"
    assert path_text([]) == ""


@pytest.mark.parametrize(("step", "decimals"), [(0.02, 2), (0.005, 3), (0.1, 1), (0.198, 1),
                                                (1.0, 0), (0.0004, 4)])  # fmt: skip
def test_grid_decimals(step, decimals):
    assert grid_decimals(step) == decimals


def test_sensitivity_endpoints_at_the_grid_precision_and_step_beside_agree():
    m = bg.load_model("withdrawal_sequencing")
    raw = agreement_intervals(m, ["withdraw_first"], n=51)
    t = sensitivity_view(m, raw)
    cols = list(t.columns)
    k = cols.index("agree")
    assert cols[k + 1 : k + 3] == ["grid step", "tie tolerance"]
    row = t[t.parameter == "q"].iloc[0]
    v = m.parameters.defaults
    q_star = v["k_G"] / (v["M_G"] + v["s"])  # 1/3: the model's threshold
    d = grid_decimals(row["grid step"])
    assert d == 2
    assert row["symbolic"] == f"[{q_star:.{d}f}, 1.00]"
    lo = float(row["numeric"].strip("[]").split(",")[0])
    assert abs(lo - q_star) <= row["grid step"]  # a grid value within one step
    assert np.isclose(row["grid step"], 0.02)
    assert row["tie tolerance"] == "1e-12 (relative)"


def test_the_stated_tie_tolerance_is_the_batch_solvers():
    from bargain.report.structure import TIE_TOL
    from bargain.solvers.trees.points import BatchSPE

    assert TIE_TOL == BatchSPE.tol
