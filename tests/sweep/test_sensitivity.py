"""Sobol' indices, Morris screening and tornado swings on outputs with known answers."""

import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from bargain.errors import ModelError, ParameterError
from bargain.models import load_model
from bargain.sweep.sensitivity import morris, sobol, tornado

M = load_model("entry_deterrence")
# commitment_margin = entrant_profit - commitment_cost, additive in two uniform inputs:
# entrant_profit ~ U(0.1, 10), commitment_cost ~ U(0, 10).  For an additive model the
# first-order and total indices both equal each input's share of the variance (Sobol 1993;
# Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, sec. 4.1):
# Var = (9.9^2 + 10^2) / 12, so S_a = 98.01 / 198.01 and S_c = 100 / 198.01.
S_ENTRANT = 98.01 / 198.01
S_COMMIT = 100.0 / 198.01


def _indexed(result):
    return result.frame.set_index("parameter")


def test_sobol_indices_of_an_additive_output_are_variance_shares():
    r = sobol(M, None, "commitment_margin", n=4096, seed=0)
    f = _indexed(r)
    for name, expected in (("entrant_profit", S_ENTRANT), ("commitment_cost", S_COMMIT)):
        for col in ("S1", "ST"):
            assert f.loc[name, col] == pytest.approx(expected, abs=0.03)
            assert 0 < f.loc[name, f"{col}_conf"] < 0.1
    # parameters the output does not depend on have zero indices exactly
    assert f.loc[["fight_cost", "monopoly_profit"], ["S1", "ST"]].to_numpy().tolist() == [
        [0.0, 0.0],
        [0.0, 0.0],
    ]


def test_sobol_agreement_ranks_the_parameters_of_the_condition_first():
    # entry_commitment's agreement (Commit, Out) needs commitment_cost <= entrant_profit
    # and an empty fight threat (Dixit 1980): monopoly_profit and fight_cost matter less
    r = sobol(M, "entry_commitment", "agreement", n=512, seed=2)
    top = r.frame.sort_values("ST", ascending=False).parameter.tolist()[:2]
    assert set(top) == {"commitment_cost", "entrant_profit"}


def test_sobol_second_order_pairs():
    r = sobol(M, None, "commitment_margin", n=256, seed=0, calc_second_order=True)
    assert len(r.second_order) == 6
    assert r.second_order.columns.tolist() == ["parameter_1", "parameter_2", "S2", "S2_conf"]
    pair = r.second_order.query("parameter_1 == 'entrant_profit' and parameter_2 == 'fight_cost'")
    assert pair.S2.iloc[0] == pytest.approx(0.0, abs=1e-3)  # additive: no interaction


@pytest.mark.parametrize("seed", [0, 7])
def test_same_seed_same_result_and_backends_agree(seed):
    # seed 0 too: SALib 1.6 treats an int seed of 0 as "unseeded" for the bootstrap
    a = sobol(M, "entry_commitment", "agreement", n=128, seed=seed, backend="serial")
    b = sobol(M, "entry_commitment", "agreement", n=128, seed=seed, backend="parallel")
    assert a.frame.equals(b.frame)
    c = sobol(M, "entry_commitment", "agreement", n=128, seed=seed + 1)
    assert not a.frame.equals(c.frame)


def test_manifest_records_provenance():
    r = sobol(M, "entry", "payoff_Incumbent", n=64, seed=3, vary={"fight_cost": (0, 5)})
    m = r.manifest
    assert (m["n"], m["seed"], m["output"], m["backend"]) == (64, 3, "payoff_Incumbent", "parallel")
    assert m["method"].startswith("sobol (SALib")
    assert m["salib"].count(".") >= 1
    assert m["vary"] == {"fight_cost": [0.0, 5.0]}
    assert m["n_evaluations"] == 64 * 3
    assert m["model"]["source_sha256"] == M.source_hash()
    json.dumps(m)


def test_constant_output_gives_undefined_indices_with_a_note():
    r = sobol(M, None, "commitment_margin", n=64, vary=["fight_cost"])
    assert np.isnan(r.frame.S1.iloc[0])
    assert "constant" in r.manifest["notes"][0]


def test_morris_effects_of_a_linear_output():
    # elementary effects of a linear function are its slopes times the ranges (Morris 1991)
    r = morris(M, None, "commitment_margin", n=30, seed=1)
    f = _indexed(r)
    assert f.loc["entrant_profit", "mu"] == pytest.approx(9.9)
    assert f.loc["commitment_cost", "mu"] == pytest.approx(-10.0)
    assert f.loc["commitment_cost", "mu_star"] == pytest.approx(10.0)
    assert f.loc[:, "sigma"].to_numpy() == pytest.approx(np.zeros(4), abs=1e-9)
    assert r.manifest["n_evaluations"] == 30 * 5


def test_tornado_swings_are_exact_and_sorted():
    r = tornado(M, None, "commitment_margin")
    assert r.base_output == 1.0
    assert r.frame.to_dict("list") == {
        "parameter": ["commitment_cost", "entrant_profit", "fight_cost", "monopoly_profit"],
        "low": [0.0, 0.1, 0.0, 1.0],
        "high": [10.0, 10.0, 10.0, 20.0],
        "output_low": [2.0, -0.9, 1.0, 1.0],
        "output_high": [-8.0, 9.0, 1.0, 1.0],
        "swing": [-10.0, 9.9, 0.0, 0.0],
    }


def test_tornado_of_agreement_flips_where_the_condition_crosses():
    # at the defaults commitment pays (cost 1 <= entrant_profit 2); at cost 10 it does not
    r = tornado(M, "entry_commitment", "agreement", vary=["commitment_cost"])
    assert r.frame.iloc[0][["output_low", "output_high"]].tolist() == [1.0, 0.0]


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        pytest.param(
            lambda: sobol(M, None, "commitment_margin", n=1000),
            ParameterError,
            r"power of 2.*try 512 or 1024",
            id="sobol-n",
        ),
        pytest.param(
            lambda: sobol(M, "entry", "path", n=64), ParameterError, "not a scalar", id="path"
        ),
        pytest.param(
            lambda: morris(M, "entry", "payoff_Nobody"),
            ParameterError,
            "unknown output 'payoff_Nobody'",
            id="unknown-output",
        ),
        pytest.param(
            lambda: tornado(M, None, "agreement"),
            ParameterError,
            "equilibrium output: name the regime",
            id="no-regime",
        ),
        pytest.param(
            lambda: tornado(M, "nope", "agreement"), ModelError, "no regime 'nope'", id="regime"
        ),
        pytest.param(
            lambda: tornado(M, "entry", "agreement", backend="gpu"),
            ParameterError,
            "unknown backend 'gpu'",
            id="backend",
        ),
        pytest.param(
            lambda: morris(M, "entry", "agreement", n=1), ParameterError, ">= 2", id="morris-n"
        ),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_tables_and_manifests(tmp_path):
    r = sobol(M, None, "commitment_margin", n=64, seed=0)
    tex = r.to_latex(tmp_path / "s.tex", decimals=2)
    assert r"\toprule" in tex
    assert r"parameter & $S_1$ & $\pm$ & $S_T$ & $\pm$ \\" in tex
    assert "entrant\\_profit" in tex
    assert r"95\% bootstrap interval" in tex
    assert json.loads((tmp_path / "s.manifest.json").read_text())["table"] == "s.tex"
    md = r.to_markdown(tmp_path / "s.md")
    assert md.splitlines()[0] == "| parameter | S1 | S1_conf | ST | ST_conf |"
    csv = r.to_csv(tmp_path / "s.csv")
    assert csv.splitlines()[0] == "parameter,S1,S1_conf,ST,ST_conf"
    assert (tmp_path / "s.csv").read_text() == csv


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: sobol(M, None, "commitment_margin", n=64), id="sobol"),
        pytest.param(lambda: morris(M, None, "commitment_margin", n=10), id="morris"),
        pytest.param(lambda: tornado(M, "entry", "payoff_Entrant"), id="tornado"),
    ],
)
def test_plots_are_figures_saved_as_pdf_and_png(make, tmp_path):
    fig = make().plot(tmp_path / "fig")
    assert isinstance(fig, Figure)
    assert (tmp_path / "fig.pdf").stat().st_size > 0
    assert (tmp_path / "fig.png").stat().st_size > 0
