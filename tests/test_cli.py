"""The `bargain` command: exit codes, one-line errors, help on every command."""

import json
import subprocess
import sys

import pytest

from bargain.cli import COMMANDS, main


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "bargain.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_version_and_help_everywhere():
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("bargain ")
    for command in COMMANDS:
        h = run(command, "--help")
        assert h.returncode == 0, command
        assert "usage: bargain " + command in h.stdout


def test_usage_error_exits_2():
    r = run("frobnicate")
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(("show", "nope"), "bargain: error: no model named 'nope'", id="show-unknown"),
        pytest.param(
            ("solve", "entry_deterrence:entry", "--set", "fight_cost"),
            "--set expects NAME=VALUE",
            id="bad-set",
        ),
        pytest.param(
            ("solve", "entry_deterrence:entry", "--set", "fight_cost=abc"),
            "--set fight_cost: 'abc' is not a number",
            id="bad-set-number",
        ),
        pytest.param(
            ("solve", "entry_deterrence:entry", "--set", "fight_cost=99"),
            "parameter 'fight_cost': value 99 is outside its bounds",
            id="out-of-bounds",
        ),
        pytest.param(("solve", "entry_deterrence:nope"), "has no regime 'nope'", id="bad-regime"),
    ],
)
def test_user_errors_are_one_line_without_traceback(args, message):
    r = run(*args)
    assert r.returncode == 1
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_show_formats(capsys):
    assert main(["show", "entry_deterrence", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in data["parameters"]][:2] == ["entrant_profit", "fight_cost"]
    assert {r["name"] for r in data["regimes"]} == {"entry", "entry_commitment"}
    assert main(["show", "entry_deterrence", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name,default,low,high,unit,description,source"
    assert len(lines) == 5
    assert main(["show", "entry_deterrence"]) == 0
    out = capsys.readouterr().out
    assert "commitment_cost" in out
    assert "Regimes:" in out


DATA = __import__("pathlib").Path(__file__).resolve().parent / "data"


def test_solve_file_json_follows_design(capsys):
    # The JSON result schema of docs/explanation/architecture.md: {"game", "method",
    # "players", "equilibria": [{"strategies", "payoffs", "max_regret"}]}, strategies in
    # the file's order.
    assert main(["solve", str(DATA / "e02.nfg"), "--method", "vertex", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["game", "method", "players", "equilibria"]
    assert data["game"] == "e02.nfg"
    assert data["method"] == "vertex"
    for eq in data["equilibria"]:
        assert set(eq) == {"strategies", "payoffs", "max_regret"}
        assert [len(s) for s in eq["strategies"]] == [3, 2]
        assert eq["max_regret"] <= 1e-9


def test_solve_tree_file_and_convert(tmp_path, capsys):
    assert main(["solve", str(DATA / "nim.efg"), "--method", "spe", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "behavior" in data["equilibria"][0]
    out = tmp_path / "poker.json"
    assert main(["convert", str(DATA / "poker.efg"), str(out)]) == 0
    assert json.loads(out.read_text())
    capsys.readouterr()
    r = run("solve", str(DATA / "poker.efg"), "--method", "vertex")
    assert r.returncode == 1
    assert "takes a normal-form game, got a game tree" in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_solve_tree_with_information_sets_auto_is_spe(capsys):
    # bayes1a.efg (Gambit's sample): a two-player Bayesian game; `auto` picks spe and the
    # note on stderr says how the pieces with information sets are solved
    assert main(["solve", str(DATA / "bayes1a.efg"), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["method"] == "spe"
    assert data["equilibria"]
    assert all(eq["max_regret"] <= 1e-8 for eq in data["equilibria"])
    assert "note: auto: 2-player tree with information sets -> spe" in captured.err
    # with --exact, the sequence form (spe has no exact mode)
    assert main(["solve", str(DATA / "bayes1a.efg"), "--exact", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "sequence_form"
    assert all("exact" in eq for eq in data["equilibria"])


def test_model_solve_and_derive(capsys):
    assert (
        main(
            ["solve", "withdrawal_sequencing:withdraw_first", "--set", "q=0.5", "--format", "json"]
        )
        == 0
    )
    (sol,) = json.loads(capsys.readouterr().out)
    assert sol["path"] == ["Withdraw", "Comply"]
    assert sol["agreement"] is True
    assert main(["derive", "withdrawal_sequencing:withdraw_first", "--format", "latex"]) == 0
    assert r"\begin{cases}" in capsys.readouterr().out
