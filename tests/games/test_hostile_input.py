"""Text from files and the command line is data: hostile strings are refused, never run.

The payloads below would each write a canary file if any of them were evaluated as
Python (the way ``sympy.sympify`` evaluates text).  Every entry point that reads text
is tried: the parser itself, ``read_game`` on a JSON file, ``bargain solve`` and
``bargain convert`` on that file, and ``--set`` / ``--vary`` on the command line.  Each
must answer with a :class:`bargain.errors.BargainError` and leave the canary unwritten.
"""

from __future__ import annotations

import json
import string

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.cli import main
from bargain.errors import BargainError, ExpressionError, FileFormatError
from bargain.games.expression import MAX_DEPTH, parse_expression, parse_number
from bargain.games.json_io import read_json_game

CANARY = "CANARY_PATH"

# Each payload would create CANARY if it were run as Python.
PAYLOADS = {
    "import": "__import__('os').system('touch CANARY_PATH')",
    "open": "open('CANARY_PATH', 'w').write('x')",
    "dunder-globals": "Integer.__new__.__globals__['__builtins__']['open']('CANARY_PATH','w')",
    "class-walk": "().__class__.__base__.__subclasses__()",
    "attribute-of-param": "q.__class__.__init__.__globals__",
    "lambda": "(lambda: __import__('os').system('touch CANARY_PATH'))()",
    "comprehension": "[open('CANARY_PATH', 'w') for _ in (1,)]",
    "generator": "sum(x for x in (1, 2))",
    "walrus": "(x := 1)",
    "fstring": "f\"{__import__('os').system('touch CANARY_PATH')}\"",
    "subscript": "q[0]",
    "keyword-call": "Max(q, evaluate=False)",
    "string-literal": "'touch CANARY_PATH'",
    "bytes-literal": "b'x'",
    "not-whitelisted": "Symbol('x')",
    "sympify-inside": "sympify('q')",
    "eval": "eval('1')",
    "exec": "exec('1')",
    "semicolon": "q; __import__('os')",
    "newline-statement": "q\nimport os",
    "starred": "Max(*[q, 1])",
    "conditional": "q if q else 0",
    "comparison-outside-piecewise": "q < 1",
    "bitwise-outside-piecewise": "q & 1",
    "matmul": "q @ q",
    "floordiv": "q // 2",
    "modulo": "q % 2",
    "huge-power": "9**9**9",
    "huge-power-chain": "9**9**9**9",
    "huge-exponent-symbolic": "q**(10**9)",
    "huge-negative-power": "2**-100000",
    "underflow": "1e-400",
    "overflow": "1e400",
    "division-by-zero": "1/0",
    "zero-negative-power": "0**-1",
    "complex": "1j",
    "nested-parens": "(" * 500 + "1" + ")" * 500,
    "nested-unary": "-" * 3000 + "1",
    "too-long": "+".join(["q"] * 3000),
    "nul": "q\x00",
    "empty": "",
    "unknown-name": "x + 1",
}


def _payload(template: str, tmp_path) -> str:
    return template.replace(CANARY, str(tmp_path / "canary"))


@pytest.mark.parametrize("name", PAYLOADS)
def test_parser_refuses_hostile_text(name, tmp_path) -> None:
    text = _payload(PAYLOADS[name], tmp_path)
    with pytest.raises(ExpressionError):
        parse_expression(text, {"q": sympy.Symbol("q")})
    assert not (tmp_path / "canary").exists()


def test_parser_accepts_what_sympy_prints() -> None:
    # The JSON writer prints symbolic payloads with str(); the reader must take them back.
    q, s = sympy.symbols("q s", real=True)
    exprs = [
        q * (s + 2) - sympy.Rational(1, 3),
        sympy.Max(0, q - s),
        sympy.Min(q, 1 - q),
        sympy.sqrt(q) + sympy.exp(-s) + sympy.log(1 + q),
        sympy.Abs(q - s) ** 2,
        sympy.Piecewise((q, q > sympy.Rational(1, 2)), (s, (q <= 1) & (s >= 0)), (0, True)),
        sympy.floor(q) + sympy.ceiling(s) + sympy.sign(q - 1),
        sympy.Float(0.25) * q + sympy.pi * s + sympy.E,
    ]
    names = {"q": q, "s": s}
    for e in exprs:
        back = parse_expression(str(e), names)
        assert sympy.simplify(back - e) == 0, (str(e), back)


def test_depth_limit_is_enforced() -> None:
    deep = "(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5)
    deep_ops = "1" + "+1" * 10  # flat chains are fine
    assert parse_expression(deep_ops, {}) == 11
    with pytest.raises(ExpressionError):
        parse_expression("-(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5), {})
    # plain parentheses add no syntax node, so they are fine up to Python's own limit
    assert parse_expression(deep, {}) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + "_.+-*/()[]{}<>=!&|~^%@,:;'\" \n\\",
        max_size=80,
    )
)
def test_random_text_is_an_expression_or_one_clear_error(text) -> None:
    q = sympy.Symbol("q")
    try:
        out = parse_expression(text, {"q": q})
    except ExpressionError as exc:
        message = str(exc)  # a message, naming where
    else:
        message = ""
        assert isinstance(out, sympy.Expr)
        assert out.free_symbols <= {q}
    assert message or isinstance(out, sympy.Expr)


@settings(max_examples=100, deadline=None)
@given(st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=10**6))
def test_numbers_read_back_exactly(x) -> None:
    text = f"{x.numerator}/{x.denominator}"
    assert parse_expression(text, {}) == sympy.Rational(x.numerator, x.denominator)
    assert parse_number(text, where="t") == pytest.approx(float(x), rel=1e-15, abs=0)


def _json_game(payoff: str) -> dict:
    return {
        "format": "bargain-game",
        "version": 1,
        "kind": "normal_form",
        "players": ["A", "B"],
        "parameters": [
            # declaring the names an attack needs does not help it
            {"name": n, "default": 0, "bounds": [0, 1]}
            for n in ("q", "Integer", "os", "system", "x")
        ],
        "strategies": [["a"], ["b"]],
        "payoffs": [[[payoff]], [[0]]],
    }


@pytest.mark.parametrize("name", [n for n in PAYLOADS if n not in ("empty", "unknown-name")])
def test_json_file_never_runs_code(name, tmp_path, capsys) -> None:
    path = tmp_path / "game.json"
    path.write_text(json.dumps(_json_game(_payload(PAYLOADS[name], tmp_path)), indent=1))
    with pytest.raises(FileFormatError) as info:
        read_json_game(path)
    message = str(info.value)
    assert message.startswith(f"{path}:"), message
    assert "$.payoffs[0][0, 0]" in message
    # the command line: one-line error, exit code 1, nothing written
    assert main(["solve", str(path)]) == 1
    assert main(["convert", str(path), str(tmp_path / "out.nfg")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 2
    assert "Traceback" not in err
    assert not (tmp_path / "canary").exists()
    assert not (tmp_path / "out.nfg").exists()


def test_json_error_names_the_line(tmp_path) -> None:
    path = tmp_path / "game.json"
    path.write_text(json.dumps(_json_game("q.__class__"), indent=1))
    with pytest.raises(FileFormatError) as info:
        read_json_game(path)
    line = next(k for k, row in enumerate(path.read_text().splitlines(), 1) if "q.__class__" in row)
    assert info.value.line == line
    assert "attribute access is not allowed" in str(info.value)


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("1e-400", "underflows to zero"),
        ("1e400", "overflows double precision"),
        ("NaN", "is not finite"),
        ("Infinity", "is not finite"),
        ("1" * 5000, "invalid JSON"),
    ],
)
def test_json_numbers_that_floats_would_change_are_refused(literal, message, tmp_path) -> None:
    path = tmp_path / "g.json"
    path.write_text(
        '{"kind": "normal_form", "players": ["A", "B"], "payoffs": [[[LIT, 1]], [[0, 0]]]}'.replace(
            "LIT", literal
        )
    )
    with pytest.raises(FileFormatError, match=message):
        read_json_game(path)


@pytest.mark.parametrize("name", ["import", "dunder-globals", "lambda", "huge-power", "overflow"])
def test_set_and_vary_never_run_code(name, tmp_path, capsys) -> None:
    text = _payload(PAYLOADS[name], tmp_path)
    assert main(["solve", "entry_deterrence:entry", "--set", f"fight_cost={text}"]) == 1
    out = tmp_path / "sweep"
    vary = f"fight_cost={text}:1:3"
    assert main(["sweep", "entry_deterrence:entry", "--vary", vary, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 2
    assert "Traceback" not in err
    assert "--set fight_cost" in err
    assert "--vary fight_cost" in err
    assert not (tmp_path / "canary").exists()
    assert not out.exists()


@pytest.mark.parametrize(
    ("size", "message"),
    [("inf", "not a range of numbers"), ("1e12", "points on one axis"), ("2.5", "whole")],
)
def test_vary_grid_size_is_bounded(size, message, tmp_path, capsys) -> None:
    out = tmp_path / "sweep"
    args = ["sweep", "entry_deterrence:entry", "--vary", f"fight_cost=0:1:{size}"]
    assert main([*args, "--out", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_set_accepts_exact_fractions(capsys) -> None:
    assert main(["solve", "entry_deterrence:entry", "--set", "fight_cost=1/2"]) == 0
    assert capsys.readouterr().out


@pytest.mark.parametrize("value", ["0.5", True, None, b"1", 1j])
def test_model_parameters_refuse_non_numbers(value) -> None:
    import bargain as bg

    m = bg.load_model("withdrawal_sequencing")
    with pytest.raises(BargainError, match="parameter 'q'"):
        m.solve("withdraw_first", q=value)
