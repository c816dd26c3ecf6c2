"""The ``bargain sweep`` and ``bargain sobol`` commands (parser built here via add_parser)."""

import argparse
import json

import pytest

from bargain.cli import sweep as cli_sweep
from bargain.errors import BargainError, ModelError, ParameterError
from bargain.sweep.checkpoint import load_sweep


def _run(argv):
    p = argparse.ArgumentParser(prog="bargain")
    cli_sweep.add_parser(p.add_subparsers(dest="command"))
    return cli_sweep.run(p.parse_args(argv))


def test_grid_sweep_prints_csv(tmp_path, capsys):
    # commitment pays iff commitment_cost <= entrant_profit = 2 (Dixit 1980; model docstring)
    code = _run(
        ["sweep", "entry_deterrence:entry_commitment", "--vary", "commitment_cost=0:4:5",
         "--out", str(tmp_path), "--format", "csv", "--chunk-size", "2"]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "point,commitment_cost,agreement",
        "0,0.0,True",
        "1,1.0,True",
        "2,2.0,True",
        "3,3.0,False",
        "4,4.0,False",
    ]
    assert len(list(tmp_path.glob("chunk-*.parquet"))) == 3


def test_sample_sweep_summary_resume_and_mismatch(tmp_path, capsys):
    argv = [
        "sweep", "withdrawal_sequencing:withdraw_first", "--vary", "q", "--vary", "k_G=0.5:2",
        "--design", "sobol", "--n", "512", "--seed", "3", "--set", "s=1", "--output",
        "agreement", "--output", "payoffs", "--out", str(tmp_path), "--backend", "serial",
    ]  # fmt: skip
    assert _run(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"wrote 512 points to {tmp_path}")
    frame = load_sweep(tmp_path)
    share = frame.agreement.mean()
    assert f"agreement holds at {share:.1%} of the points" in out
    assert frame.columns.tolist() == [
        "point", "q", "k_G", "agreement", "payoff_Rwanda", "payoff_DRC",
    ]  # fmt: skip
    assert frame.k_G.between(0.5, 2).all()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["design"]["fixed"]["s"] == 1.0
    assert manifest["seed"] == 3
    # a finished sweep resumes to a no-op; a different seed is refused
    assert _run([*argv, "--resume"]) == 0
    with pytest.raises(BargainError, match="different design"):
        _run([*argv[:-2], "--seed", "4", "--resume"])
    with pytest.raises(BargainError, match="already holds a sweep"):
        _run(argv)


def test_sobol_command_writes_the_bundle(tmp_path, capsys):
    code = _run(
        ["sobol", "entry_deterrence:entry_commitment", "--output", "agreement", "--n", "64",
         "--vary", "commitment_cost", "--vary", "entrant_profit=1:3", "--out", str(tmp_path),
         "--format", "markdown"]
    )  # fmt: skip
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "| parameter | S1 | S1_conf | ST | ST_conf |"
    assert [line.split("|")[1].strip() for line in lines[2:]] == [
        "commitment_cost",
        "entrant_profit",
    ]
    for name in ("sobol.csv", "sobol.tex", "sobol.md", "sobol.pdf", "sobol.png"):
        assert (tmp_path / name).stat().st_size > 0
    manifest = json.loads((tmp_path / "sobol.manifest.json").read_text())
    assert manifest["vary"] == {"commitment_cost": [0.0, 10.0], "entrant_profit": [1.0, 3.0]}


@pytest.mark.parametrize(
    ("argv", "error", "match"),
    [
        pytest.param(
            ["sweep", "entry_deterrence", "--out", "x"],
            BargainError,
            "name the regime",
            id="regime",
        ),
        pytest.param(
            ["sweep", "entry_deterrence:nope", "--out", "x"],
            ModelError,
            "no regime",
            id="bad-regime",
        ),
        pytest.param(
            ["sweep", "entry_deterrence:entry", "--vary", "fight_cost=a:b:3", "--out", "x"],
            BargainError,
            "not a range of numbers",
            id="vary-number",
        ),
        pytest.param(
            ["sweep", "entry_deterrence:entry", "--vary", "fight_cost=0:1:2.5", "--out", "x"],
            ParameterError,
            "grid size must be a positive whole number",
            id="vary-size",
        ),
        pytest.param(
            [
                "sweep",
                "entry_deterrence:entry",
                "--design",
                "lhs",
                "--n",
                "4",
                "--vary",
                "fight_cost=1,2",
                "--out",
                "x",
            ],
            BargainError,
            "value lists need --design grid",
            id="vary-list",
        ),
        pytest.param(
            ["sweep", "entry_deterrence:entry", "--vary", "=1:2", "--out", "x"],
            BargainError,
            "expects NAME",
            id="vary-name",
        ),
        pytest.param(
            ["sweep", "entry_deterrence:entry", "--set", "fight_cost", "--out", "x"],
            BargainError,
            "--set expects NAME=VALUE",
            id="set",
        ),
        pytest.param(
            ["sobol", "entry_deterrence:entry", "--n", "100"], ParameterError, "power of 2", id="n"
        ),
        pytest.param(
            ["sobol", "entry_deterrence", "--output", "agreement"],
            ParameterError,
            "name the regime",
            id="sobol-regime",
        ),
    ],
)
def test_bad_input(argv, error, match, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=match):
        _run(argv)


def test_big_table_is_not_printed(tmp_path, monkeypatch):
    monkeypatch.setattr(cli_sweep, "MAX_PRINTED_ROWS", 3)
    with pytest.raises(BargainError, match="too many to print as latex"):
        _run(
            ["sweep", "entry_deterrence:entry", "--vary", "fight_cost=0:1:4", "--out",
             str(tmp_path), "--format", "latex"]
        )  # fmt: skip
