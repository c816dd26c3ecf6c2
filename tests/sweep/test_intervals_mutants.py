"""Edges of ``bargain.sweep.intervals`` that mutants of tools/mutation.py's run (issue 19)
passed: the grid step of a parameter whose range does not start at 0 and of a one-value
grid, a model without continuous parameters, the conditions of a structural parameter,
and a non-linear parameter solved by SymPy with a structural parameter other than its
default.
"""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
from bargain.sweep.intervals import (
    agreement_intervals,
    conditions_at,
    interval_members,
    interval_rows,
    numeric_set,
    symbolic_set,
)


def square_model() -> Model:
    # R takes "deal" (payoff x**2 - k, k a whole number the tree is built with) or "walk"
    # (0): the deal is taken iff x**2 >= k, i.e. for |x| >= sqrt(k) within x in [-2, 2]
    ps = ParameterSet([Parameter("x", 1.5, (-2.0, 2.0)), Parameter("k", 1, (1, 4), integer=True)])

    def game(p):
        k = int(p.k)
        root = Decision("R", {"deal": Terminal(p.x**2 - k), "walk": Terminal(0)})
        return GameTree(("R",), root, parameters=ps, title=f"square, k = {k}")

    return Model(
        name="square_k",
        title="square_k",
        description="a condition quadratic in x, with a structural k",
        parameters=ps,
        regimes=[Regime("only", game, "one decision", agreement=("deal",))],
    )


@pytest.mark.parametrize("use_cache", [False, True])
@pytest.mark.parametrize(("k", "root"), [(1, 1.0), (4, 2.0)])
def test_non_linear_set_is_built_with_the_structural_value(
    k: int, root: float, use_cache: bool
) -> None:
    m = square_model()
    parts = symbolic_set(m, "only", "x", {"x": 0.0, "k": k}, use_cache=use_cache)
    assert parts == [(-2.0, True, -root, True), (root, True, 2.0, True)]
    g, holds = numeric_set(m, "only", "x", {"x": 0.0, "k": k}, n=17)  # step 0.25
    np.testing.assert_array_equal(interval_members(g, parts), holds)


def test_grid_step_is_the_spacing_of_the_grid() -> None:
    # x in [-2, 2] on 9 values: step 0.5 (a range that does not start at 0)
    rows = interval_rows(square_model(), ["only"], n=9)
    (x,) = [r for r in rows if r["parameter"] == "x"]
    assert x["grid step"] == pytest.approx(0.5)
    assert x["agree"]
    assert x["symbolic"] == "[-2.000, -1.000] ∪ [1.000, 2.000]"


def test_a_one_value_grid_has_step_zero() -> None:
    # n = 1: the grid is the lower bound alone, and there is no spacing
    t = agreement_intervals(bg.load_model("entry_deterrence"), ["entry_commitment"], n=1)
    assert len(t) == 4
    assert (t["grid step"] == 0.0).all()
    assert t["agree"].all()


def test_a_model_without_continuous_parameters_has_no_rows() -> None:
    ps = ParameterSet([Parameter("k", 2, (1, 3), integer=True)])

    def game(p):
        root = Decision("R", {"deal": Terminal(int(p.k)), "walk": Terminal(0)})
        return GameTree(("R",), root, parameters=ps, title="integer only")

    m = Model(
        name="integer_only",
        title="integer_only",
        description="only a structural parameter",
        parameters=ps,
        regimes=[Regime("only", game, "one decision", agreement=("deal",))],
    )
    assert interval_rows(m, ["only"], n=5) == []
    assert len(agreement_intervals(m, ["only"], n=5)) == 0


@pytest.mark.parametrize("n", [3, 4])
def test_conditions_at_are_the_regimes_for_the_structural_values(n: int) -> None:
    m = bg.load_model("withdrawal_sequencing")
    v = {**m.parameters.defaults, "n": n}
    c = conditions_at(m, "phased", v)
    assert c.paths == m.conditions("phased", n=n).paths
    # the phased regime's paths have one decision per tranche: they depend on n
    assert c.paths != m.conditions("phased", n=2).paths
    other = conditions_at(m, "withdraw_first", v)
    assert other.paths == m.conditions("withdraw_first").paths
    assert other.paths != c.paths


def _entries(folder) -> list:
    """Derivation-cache files under `folder` (the generated kernels live in kernels/)."""
    return [p for p in folder.rglob("*") if p.is_file() and "kernels" not in p.parts]


def test_use_cache_false_leaves_the_cache_alone(monkeypatch, tmp_path) -> None:
    # `use_cache`: "Read and write the derivation cache"; False must do neither
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(tmp_path))
    t = agreement_intervals(square_model(), ["only"], n=9, use_cache=False)
    assert t["agree"].all()
    assert _entries(tmp_path) == []
    # the same call with the cache fills it
    agreement_intervals(square_model(), ["only"], n=9, use_cache=True)
    assert _entries(tmp_path) != []


@pytest.mark.parametrize("k", [1, 4])
def test_a_non_linear_set_is_read_back_from_the_cache(monkeypatch, tmp_path, k: int) -> None:
    from bargain.sweep import intervals

    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(tmp_path))
    m = square_model()
    v = {"x": 0.0, "k": k}
    first = symbolic_set(m, "only", "x", v)
    assert first is not None

    def unsolvable(*args):
        raise AssertionError("solved again: the set was not read from the cache")

    # the second call must not solve again: the set was stored, and is read back
    monkeypatch.setattr(intervals, "_as_set", unsolvable)
    assert symbolic_set(m, "only", "x", v) == first
