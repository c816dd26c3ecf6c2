"""Stochastic games as JSON files: round trip, errors with file/path/line, hostile text
refused, ``bargain.read_game``/``bargain.solve`` dispatch and ``bargain solve FILE.json``."""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.cli import main
from bargain.dynamic import (
    StochasticGame,
    read_stochastic_game,
    solve,
    write_stochastic_game,
)
from bargain.dynamic.json_io import stochastic_from_json, stochastic_to_json
from bargain.errors import BargainError, FileFormatError, SolverError


def prisoners(delta="d"):
    """Repeated prisoner's dilemma with a punishment state: defecting once ends cooperation."""
    return {
        "format": "bargain-game",
        "version": 1,
        "kind": "stochastic",
        "title": "trigger",
        "players": ["A", "B"],
        "discount": delta,
        "parameters": [{"name": "d", "default": 0.9, "bounds": [0.01, 0.99]}],
        "states": [
            {
                "name": "cooperation",
                "actions": [["c", "d"], ["c", "d"]],
                "payoffs": [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
                "transitions": [
                    [{"cooperation": 1}, {"punishment": 1}],
                    [{"punishment": 1}, {"punishment": 1}],
                ],
            },
            {
                "name": "punishment",
                "actions": [["c", "d"], ["c", "d"]],
                "payoffs": [[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
                "transitions": [[[0, 1], [0, 1]], [[0, 1], [0, 1]]],
            },
        ],
    }


def write(tmp_path, data, name="g.json"):
    p = tmp_path / name
    p.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return p


def random_game(rng, S=3, shape=(2, 3)):
    u = rng.normal(size=(S, len(shape), *shape))
    t = rng.random(size=(S, *shape, S))
    return StochasticGame.from_arrays(u, t / t.sum(-1, keepdims=True), [0.8, 0.6])


def test_numeric_round_trip_is_exact(tmp_path):
    g = random_game(np.random.default_rng(0))
    p = tmp_path / "r.json"
    write_stochastic_game(g, p)
    h = read_stochastic_game(p)
    assert h.discount == g.discount
    for a, b in zip(g.payoffs + g.transitions, h.payoffs + h.transitions, strict=True):
        assert np.array_equal(a, b)  # floats written with repr round-trip bit for bit
    assert (h.states, h.players, h.actions) == (g.states, g.players, g.actions)


def test_symbolic_round_trip_keeps_expressions(tmp_path):
    data = prisoners()
    data["states"][0]["payoffs"][0][0][0] = "3*d + 1/3"
    g = bg.read_game(write(tmp_path, data))
    assert g.is_symbolic
    assert str(g.discount[0]) == "d"
    d = g.parameters["d"].symbol
    assert g.payoffs[0][0, 0, 0] == 3 * d + sympy.Rational(1, 3)
    h = stochastic_from_json(json.loads(json.dumps(stochastic_to_json(g))))
    assert h.payoffs[0][0, 0, 0] == g.payoffs[0][0, 0, 0]
    assert h.parameters.names == g.parameters.names
    assert h.numeric(d=0.5).discount == (0.5, 0.5)
    assert h.numeric(d=0.5).payoffs[0][0, 0, 0] == pytest.approx(1.5 + 1 / 3)


def test_write_game_and_convert_accept_a_stochastic_game(tmp_path):
    g = random_game(np.random.default_rng(1), S=2)
    bg.write_game(g, tmp_path / "w.json")
    assert np.array_equal(bg.read_game(tmp_path / "w.json").payoffs[1], g.payoffs[1])


@pytest.mark.parametrize(
    ("edit", "path", "line_of"),
    [
        (
            lambda d: d["states"][1]["payoffs"][0].__setitem__(0, [3]),
            "$.states[1].payoffs[0]",
            "punishment",
        ),
        (
            lambda d: d["states"][0]["transitions"][0].__setitem__(1, {"nowhere": 1}),
            "$.states[0].transitions[0, 1]",
            "cooperation",
        ),
        (
            lambda d: d["states"][1]["transitions"][1].__setitem__(0, [0.5]),
            "$.states[1].transitions[1, 0]",
            "punishment",
        ),
        (
            lambda d: d["states"][0].__setitem__("actions", [["c", "d"]]),
            "$.states[0].actions",
            "cooperation",
        ),
        (
            lambda d: d["states"][1]["payoffs"][1][0].__setitem__(0, True),
            "$.states[1].payoffs[1][0, 0]",
            "punishment",
        ),
    ],
)
def test_errors_name_file_json_path_and_line(tmp_path, edit, path, line_of):
    data = prisoners()
    edit(data)
    p = write(tmp_path, data)
    with pytest.raises(FileFormatError) as info:
        bg.read_game(p)
    text = p.read_text()
    line = text[: text.index(f'"name": "{line_of}"')].count("\n") + 1
    assert info.value.path == str(p)
    assert info.value.line == line
    assert path in str(info.value)


def test_unnormalized_transition_is_refused_with_state_and_profile(tmp_path):
    data = prisoners(0.9)
    data["states"][0]["transitions"][1][0] = {"punishment": 0.5}
    with pytest.raises(
        FileFormatError,
        match=r"g\.json: state 0: transition probabilities at "
        r"action profile \(1, 0\) sum to 0\.5",
    ):
        bg.read_game(write(tmp_path, data))


def test_expression_error_names_the_line_of_the_string(tmp_path):
    data = prisoners()
    data["states"][1]["payoffs"][0][1][1] = "d + undeclared"
    p = write(tmp_path, data)
    with pytest.raises(FileFormatError, match="undeclared") as info:
        bg.read_game(p)
    text = p.read_text()
    assert info.value.line == text[: text.index('"d + undeclared"')].count("\n") + 1


HOSTILE = {
    "import": "__import__('os').system('touch CANARY')",
    "open": "open('CANARY', 'w').write('x')",
    "globals": "d.__class__.__init__.__globals__",
    "lambda": "(lambda: __import__('os').system('touch CANARY'))()",
    "comprehension": "[open('CANARY', 'w') for _ in (1,)]",
    "sympify": "sympify('d')",
    "huge-power": "9**9**9",
    "underflow": "1e-400",
    "deep": "-(" * 200 + "d" + ")" * 200,
}


@pytest.mark.parametrize("where", ["payoff", "transition", "discount"])
@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_strings_are_refused_everywhere(tmp_path, monkeypatch, payload, where, capsys):
    monkeypatch.chdir(tmp_path)
    data = prisoners()
    # the names the attacks need are declared, so only the grammar can refuse them
    data["parameters"] += [
        {"name": n, "default": 1, "bounds": [0, 2]} for n in ("os", "open", "sympify")
    ]
    if where == "payoff":
        data["states"][0]["payoffs"][1][1][0] = payload
    elif where == "transition":
        data["states"][1]["transitions"][0][0] = [payload, 1]
    else:
        data["discount"] = [payload, "d"]
    p = write(tmp_path, data)
    with pytest.raises(BargainError) as info:
        bg.read_game(p)
    assert str(p) in str(info.value)
    assert main(["solve", str(p), "--method", "pure"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bargain: error: ")
    assert err.count("\n") == 1
    assert not (tmp_path / "CANARY").exists()


def test_cli_convert_copies_a_stochastic_game(tmp_path, capsys):
    src = write(tmp_path, prisoners())
    assert main(["convert", str(src), str(tmp_path / "copy.json")]) == 0
    a, b = bg.read_game(src), bg.read_game(tmp_path / "copy.json")
    assert a.states == b.states
    assert all(np.array_equal(x, y) for x, y in zip(a.payoffs, b.payoffs, strict=True))
    assert main(["convert", str(src), str(tmp_path / "g.nfg")]) == 1
    assert capsys.readouterr().err.startswith("bargain: error: ")


def test_read_game_without_dynamic_registration_points_to_it(tmp_path, monkeypatch):
    from bargain.games import json_io

    monkeypatch.delitem(json_io.JSON_KINDS, "stochastic")
    with pytest.raises(FileFormatError, match=r"read by bargain\.dynamic"):
        json_io.read_json_game(write(tmp_path, prisoners()))


def test_bargain_solve_dispatches_to_dynamic(regret):
    g = random_game(np.random.default_rng(2))
    r = bg.solve(g)  # auto -> the dynamic default, qre
    assert r.method == "qre"
    assert regret(g, r.equilibrium.strategies) < 1e-7
    pure = bg.solve(g, method="pure")
    assert pure.method == "pure"
    assert pure.complete
    assert len(pure.equilibria) == len(solve(g, method="pure").equilibria)
    with pytest.raises(SolverError, match="unknown method 'vertex'"):
        bg.solve(g, method="vertex")


@pytest.mark.parametrize("method", ["pure", "qre"])
def test_cli_json_output_is_a_verified_equilibrium(tmp_path, capsys, method, regret):
    p = write(tmp_path, prisoners(), "trigger.json")
    assert main(["solve", str(p), "--method", method, "--format", "json", "--set", "d=0.9"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["game"] == "trigger.json"
    assert out["method"] == method
    assert out["states"] == ["cooperation", "punishment"]
    g = bg.read_game(p).numeric(d=0.9)
    for eq in out["equilibria"]:
        strat = [[np.array(x) for x in row] for row in eq["strategies"]]
        assert regret(g, strat) <= 1e-7
        assert max(max(r) for r in eq["regrets"]) == pytest.approx(eq["max_regret"])
    if method == "pure":
        # d = 0.9: cooperation sustained by the trigger (3/(1-d) = 30 > 5 + d/(1-d) = 14),
        # and always defect; nothing else
        plays = sorted(
            tuple(int(np.argmax(x)) for x in eq["strategies"][0]) for eq in out["equilibria"]
        )
        assert plays == [(0, 0), (1, 1)]
        values = sorted(eq["values"][0][0] for eq in out["equilibria"])
        assert values == pytest.approx([10.0, 30.0])


def test_cli_table_and_set(tmp_path, capsys):
    p = write(tmp_path, prisoners(), "trigger.json")
    # d = 0.2: 3/(1-d) = 3.75 < 5 + 0.2/(0.8) = 5.25, so only "always defect" is left
    assert main(["solve", str(p), "--method", "pure", "--set", "d=0.2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("trigger.json: 1 stationary equilibria by method 'pure' (all found")
    assert "cooperation  A       d: 1" in out
    assert "punishment   B       d: 1" in out


def test_cli_refuses_set_without_parameters_and_exact(tmp_path, capsys):
    data = prisoners(0.9)
    del data["parameters"]
    p = write(tmp_path, data)
    assert main(["solve", str(p), "--method", "pure", "--set", "d=0.5"]) == 1
    assert "declares no parameters" in capsys.readouterr().err
    assert main(["solve", str(p), "--exact"]) == 1
    assert "--exact applies to" in capsys.readouterr().err


def test_fresh_cli_process_reads_stochastic_files(tmp_path):
    """No test-process import of bargain.dynamic helps here: the command must register the
    kind itself (solve and convert)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = write(tmp_path, prisoners(0.9))
    env = dict(os.environ, PYTHONPATH=str(Path(bg.__file__).parents[1]))
    run = [sys.executable, "-m", "bargain.cli"]
    out = subprocess.run(
        [*run, "solve", str(src), "--method", "pure", "--format", "json"],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["equilibria"]) == 2
    conv = subprocess.run(
        [*run, "convert", str(src), str(tmp_path / "c.json")],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert conv.returncode == 0, conv.stderr
