"""Parameters and parameter sets: validation paths and the name <-> symbol <-> value maps."""

import math

import pytest

from bargain.errors import ParameterError
from bargain.games.parameters import Parameter, ParameterSet, substitute


def make_set():
    return ParameterSet(
        [
            Parameter("q", 0.6, (0.0, 1.0), "probability", "detection", "assumption"),
            Parameter("s", 2.0, (0.0, 10.0), "USD bn", "sanction", "assumption"),
            Parameter("n", 2, (1, 5), "tranches", "tranches", "assumption", integer=True),
        ]
    )


def test_resolve_applies_overrides_and_keeps_order():
    ps = make_set()
    assert ps.resolve(s=3) == {"q": 0.6, "s": 3.0, "n": 2.0}
    assert ps.vector(q=0.1) == (0.1, 2.0, 2.0)


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        pytest.param(
            {"q": 1.5},
            r"parameter 'q': value 1\.5 is outside its bounds \[0, 1\]",
            id="out-of-bounds",
        ),
        pytest.param({"q": math.nan}, r"parameter 'q': value must be finite, got nan", id="nan"),
        pytest.param({"s": math.inf}, r"parameter 's': value must be finite, got inf", id="inf"),
        pytest.param({"x": 1.0}, r"parameter 'x': unknown parameter; known: q, s, n", id="unknown"),
        pytest.param(
            {"q": "high"},
            r"parameter 'q': value must be a number, got the string 'high'",
            id="not-a-number",
        ),
        # A numeric string is still text, and a bool is not a probability: both refused,
        # not coerced (issue 13).
        pytest.param(
            {"q": "0.5"},
            r"parameter 'q': value must be a number, got the string '0\.5'",
            id="numeric-string",
        ),
        pytest.param({"q": True}, r"parameter 'q': value must be a number, got True", id="bool"),
        pytest.param({"q": None}, r"parameter 'q': value must be a number, got None", id="none"),
        pytest.param(
            {"n": 2.5}, r"parameter 'n': value must be a whole number, got 2\.5", id="not-integer"
        ),
    ],
)
def test_bad_overrides_name_the_parameter(overrides, match):
    with pytest.raises(ParameterError, match=match):
        make_set().resolve(**overrides)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        pytest.param(
            {"default": 2.0, "bounds": (0, 1)},
            r"parameter 'p': default 2 is outside its bounds \[0, 1\]",
            id="default",
        ),
        pytest.param(
            {"default": 0.5, "bounds": (1, 0)},
            r"bounds must be finite with low <= high, got \[1, 0\]",
            id="reversed",
        ),
        pytest.param(
            {"default": 0.5, "bounds": (0, math.inf)},
            r"bounds must be finite with low <= high",
            id="infinite-bound",
        ),
        pytest.param({"default": 0.5, "bounds": "x"}, r"bounds must be two numbers", id="junk"),
    ],
)
def test_bad_declarations(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        Parameter("p", **kwargs)


def test_duplicate_and_non_identifier_names():
    with pytest.raises(ParameterError, match="parameter 'q': declared twice"):
        ParameterSet([Parameter("q", 0, (0, 1)), Parameter("q", 0, (0, 1))])
    with pytest.raises(ParameterError, match="must be a Python identifier"):
        Parameter("2q", 0, (0, 1))


def test_symbols_carry_assumptions_from_bounds():
    ps = ParameterSet(
        [
            Parameter("a", 1, (1, 2)),
            Parameter("b", 0, (0, 2)),
            Parameter("c", 0, (-1, 1)),
            Parameter("n", 1, (1, 3), integer=True),
        ]
    )
    a, b, c, n = ps.symbols()
    assert a.is_positive
    assert b.is_nonnegative
    assert not b.is_positive
    assert c.is_nonnegative is None
    assert c.is_real
    assert n.is_integer
    assert ps.symbol_map()["a"] == a


def test_to_numeric_substitutes_and_checks():
    ps = make_set()
    q, s, _ = ps.symbols()
    assert ps.to_numeric(q * s) == pytest.approx(1.2)
    assert ps.to_numeric(q * s, q=0.5) == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="parameter 'q': expression uses it but no value"):
        substitute(q + 1, {})
    with pytest.raises(
        ParameterError, match=r"parameter 'q': expression evaluates to a non-finite"
    ):
        substitute(1 / (q - q.subs(q, 0.6)), {"q": 0.6})


def test_table_rows():
    rows = make_set().table()
    assert rows[1] == {
        "name": "s",
        "default": 2.0,
        "low": 0.0,
        "high": 10.0,
        "unit": "USD bn",
        "description": "sanction",
        "source": "assumption",
    }
