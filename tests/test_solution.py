"""Model-level solve: equilibrium path, all SPE paths, agreement flag."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain import Model, NormalFormGame, Parameter, ParameterSet, Regime
from bargain.errors import ModelError, ParameterError, SolverError
from bargain.solution import ModelSolution, solve_model


@pytest.fixture(scope="module")
def entry() -> Model:
    return bg.load_model("entry_deterrence")


def test_entry_without_commitment(entry: Model) -> None:
    # Selten (1978): the entrant enters and the incumbent accommodates
    s = entry.solve("entry")
    assert isinstance(s, ModelSolution)
    assert s.path == ("In", "Accommodate")
    assert s.paths == (s.path,)
    assert s.agreement is True
    np.testing.assert_allclose(s.payoffs, [2.0, 3.0])  # (a, m - a) at the defaults
    assert s.model == "entry_deterrence"
    assert s.regime == "entry"
    assert s.values == entry.parameters.defaults
    assert s.result.method == "spe"
    assert s.result[0].max_regret <= 1e-9


@pytest.mark.parametrize(
    ("cost", "path", "agreement", "n_paths"),
    [
        (0.5, ("Commit", "Out"), True, 1),
        # tie m - k = m - a: the tie rule takes the agreement action; both SPE are listed
        (2.0, ("Commit", "Out"), True, 2),
        (3.0, ("Open", "In", "Accommodate"), False, 1),
    ],
    ids=["cheap-commitment", "tie", "dear-commitment"],
)
def test_entry_commitment(entry: Model, cost: float, path, agreement: bool, n_paths: int) -> None:
    # Dixit (1980): commit iff commitment_cost <= entrant_profit (accommodation credible at
    # the defaults: m - a = 3 >= -f = -1)
    s = solve_model(entry, "entry_commitment", commitment_cost=cost, entrant_profit=2.0)
    assert s.path == path
    assert s.agreement is agreement
    assert len(s.paths) == n_paths
    assert s.paths[0] == path
    assert s.values["commitment_cost"] == cost


def test_explicit_spe_method(entry: Model) -> None:
    s = solve_model(entry, "entry_commitment", method="spe", commitment_cost=2.0)
    assert s.path == ("Commit", "Out")
    assert "auto" not in " ".join(s.result.notes)


def _normal_form_model(agreement: tuple[str, str]) -> Model:
    ps = ParameterSet([Parameter("gain", 1.0, (0.0, 5.0))])

    def stag_hunt(p):
        # Rousseau's stag hunt (Skyrms 2004): (Stag, Stag) and (Hare, Hare) are both pure
        # Nash equilibria when gain > 0
        g = p.gain
        a = [[2 + g, 0], [1, 1]]
        return NormalFormGame(
            [a, [[row[0] for row in a], [row[1] for row in a]]],
            players=("A", "B"),
            strategies=(("Stag", "Hare"), ("Stag", "Hare")),
            parameters=ps,
        )

    return Model(
        name="stag",
        title="stag hunt",
        description="",
        parameters=ps,
        regimes=[Regime("hunt", stag_hunt, "simultaneous", agreement=agreement)],
    )


def test_normal_form_regime_agreement_is_equilibrium() -> None:
    s = solve_model(_normal_form_model(("Stag", "Stag")), "hunt", gain=1.0)
    assert s.agreement is True
    assert s.path == ("Stag", "Stag")
    assert set(s.paths) == {("Stag", "Stag"), ("Hare", "Hare")}
    np.testing.assert_allclose(s.payoffs, [3.0, 3.0])


def test_normal_form_regime_agreement_not_equilibrium() -> None:
    s = solve_model(_normal_form_model(("Stag", "Hare")), "hunt")
    assert s.agreement is False
    assert s.path in s.paths
    assert s.path != ("Stag", "Hare")


def test_withdrawal_model_baseline() -> None:
    m = bg.load_model("withdrawal_sequencing")
    v = m.parameters.defaults
    s = m.solve("withdraw_first")
    # closed form of the regime: agreement iff q (M_G + s) >= k_G and M_R >= rho - c_R
    expected = v["q"] * (v["M_G"] + v["s"]) >= v["k_G"] and v["M_R"] >= v["rho"] - v["c_R"]
    assert s.agreement is expected


# -- bad input -----------------------------------------------------------------------------


def test_unknown_regime(entry: Model) -> None:
    with pytest.raises(ModelError, match="has no regime 'nope'"):
        solve_model(entry, "nope")


def test_out_of_bounds_value(entry: Model) -> None:
    with pytest.raises(ParameterError, match=r"'fight_cost'.*outside its bounds"):
        solve_model(entry, "entry", fight_cost=-1.0)


def test_bad_agreement_label() -> None:
    with pytest.raises(SolverError, match="agreement label 'Deer' is not a strategy"):
        solve_model(_normal_form_model(("Deer", "Stag")), "hunt")


def test_phased_agreement_repeats_the_labels_per_tranche() -> None:
    m = bg.load_model("withdrawal_sequencing")
    for n in (1, 2, 3):
        s = m.solve("phased", n=n, q=0.9)
        assert s.path == ("Withdraw", "Comply") * n
        assert s.agreement is True
    assert m.solve("phased", n=2, q=0.0).agreement is False


def test_normal_form_regime_without_pure_equilibrium_reports_the_mixed_one() -> None:
    # The inspection game (Kilgour & Brams 1992 style) with a positive inspection cost has
    # only a mixed equilibrium: inspect with g/(beta (g + f)), violate with e/(beta L).
    m = bg.load_model("security_mechanism_inspection")
    s = m.solve("simultaneous")
    assert s.paths == ()
    assert s.agreement is False
    eq = s.result.equilibria[0]
    assert eq.max_regret <= 1e-9
    assert all(len(p.split(", ")) == 2 for p in s.path)
    np.testing.assert_allclose(s.payoffs, eq.payoffs)
    assert "no pure equilibrium" in s.result.notes[0]
