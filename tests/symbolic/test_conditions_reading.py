"""Reading ``Conditions``: points without a ParameterSet, ties at zero tolerance, the
numba classifier's tolerance, thresholds of a path other than the agreement, and the
messages of the errors (found by mutation testing, tools/mutation.py)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.errors import BargainError, ParameterError
from bargain.games.extensive_form import Decision, GameTree, Terminal
from bargain.symbolic import conditions

x, y = sympy.symbols("x y", real=True)


def bare_tree() -> GameTree:
    """A takes "deal" (x - y) or "walk" (0); no ParameterSet: the tree's own symbols."""
    return GameTree(("A",), Decision("A", {"deal": Terminal(x - y), "walk": Terminal(0)}))


def test_point_without_a_parameter_set_reads_every_value_by_name() -> None:
    c = conditions(bare_tree(), agreement=("deal",))
    names = [s.name for s in c.symbols]
    assert sorted(names) == ["x", "y"]
    got = c.point(x=3, y=1.5)
    assert got == tuple({"x": 3.0, "y": 1.5}[n] for n in names)
    assert all(type(v) is float for v in got)
    # the deal is taken iff x >= y (ties: the agreement label "deal" is preferred)
    assert c.holds(x=2.0, y=1.0)
    assert c.holds(x=1.0, y=1.0)
    assert not c.holds(x=0.0, y=1.0)
    assert c.outcome(x=0.0, y=1.0) == ("walk",)


def test_point_errors_name_the_parameter() -> None:
    c = conditions(bare_tree(), agreement=("deal",))
    with pytest.raises(ParameterError, match=r"'z': unknown parameter; known: (x, y|y, x)$"):
        c.point(x=1.0, y=1.0, z=0.0)
    with pytest.raises(ParameterError) as err:
        c.point(x=1.0)
    assert str(err.value) == "parameter 'y': no value given (the game has no ParameterSet)"


def test_a_weak_inequality_holds_at_equality_with_zero_tolerance() -> None:
    # at x == y the deal's payoff is exactly 0 = walk's: "deal" is an equilibrium path
    # (the tie rule picks it) and the weak inequality x - y >= 0 holds exactly
    c = conditions(bare_tree(), agreement=("deal",))
    assert c.holds(x=1.0, y=1.0, tol=0.0)
    assert not c.holds(x=1.0, y=1.0 + 2**-40, tol=0.0)
    assert c.holds(x=1.0, y=1.0 + 2**-40, tol=1e-6)


def test_numba_classifier_uses_the_tolerance_given() -> None:
    c = bg.load_model("entry_deterrence").conditions("entry_commitment")
    v = c.parameters.defaults
    # committing pays iff commitment_cost <= entrant_profit; just above it, a tolerance of
    # 0.1 still counts the point as a tie and so as the agreement path
    row = [v[s.name] for s in c.symbols]
    k = [s.name for s in c.symbols].index("commitment_cost")
    row[k] = v["entrant_profit"] + 0.01
    X = np.array([row])
    for backend in ("numpy", "numba"):
        strict = c.paths[int(c.lambdify(backend=backend)(X)[0])]
        loose = c.paths[int(c.lambdify(backend=backend, tol=0.1)(X)[0])]
        assert strict != ("Commit", "Out"), backend
        assert loose == ("Commit", "Out"), backend


def test_thresholds_of_another_path_are_that_paths() -> None:
    c = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
    # Stay is played (given complying) iff rho > M_R + c_R: a strict bound above on M_R,
    # where the agreement path needs M_R >= rho - c_R
    agree = c.thresholds("M_R")
    stay = c.thresholds("M_R", path=("Stay",))
    assert [str(t) for t in agree] == ["M_R >= -c_R + rho"]
    assert "M_R >= -c_R + rho" not in [str(t) for t in stay]
    assert str(c.threshold("M_R")) == "M_R >= -c_R + rho"
    with pytest.raises(BargainError, match=r"is a disjunction of 2 cases; use \.thresholds"):
        c.threshold("M_R", path=("Stay",))


def test_thresholds_are_distinct() -> None:
    c = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
    for name in ("q", "M_R", "k_G"):
        ts = c.thresholds(name)
        keys = [(str(t.expression), t.direction) for t in ts]
        assert len(keys) == len(set(keys)), keys


def test_agreement_error_says_how_to_give_one() -> None:
    c = conditions(bare_tree())
    with pytest.raises(BargainError) as err:
        c.agreement()
    assert str(err.value) == (
        "no agreement path was given; pass agreement=(labels...) to conditions()"
    )


def test_str_lists_each_path_and_its_condition() -> None:
    c = conditions(bare_tree(), agreement=("deal",))
    lines = str(c).splitlines()
    assert len(lines) == len(c.cases)
    assert lines[0].startswith("deal: ")
    tree = bg.load_model("entry_deterrence").game("entry", symbolic=True)
    assert "In -> Accommodate: " in str(conditions(tree))
