"""Every solver bounded, no raw tracebacks, one validation of solver options.

Regression tests of a fuzzing run: unbounded enumerations on random 30x30 games, payoffs
near the float limit, and options accepted by some methods and refused by others.  The
limits used here are small, so every case runs in well under a second; no test measures
wall-clock time.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain.errors import BargainError, GameShapeError, SolverError
from bargain.solvers.normal_form.batch import solve_batch
from bargain.solvers.normal_form.lemke_howson import lemke_howson
from bargain.solvers.normal_form.logit import logit
from bargain.solvers.normal_form.support import MAX_SUPPORTS, support_enumeration
from bargain.solvers.normal_form.vertex import MAX_BASES, MAX_BASES_BIG, vertex_enumeration
from bargain.solvers.tolerance import OptionError, check_limit, check_tol

# the suite runs with --import-mode=importlib: load the sibling helper module by path
_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)


def _random_game(m: int, n: int, *, integer: bool = False, seed: int = 0) -> bg.NormalFormGame:
    rng = np.random.default_rng(seed)
    if integer:
        return bg.NormalFormGame([rng.integers(-100, 100, (m, n)) for _ in range(2)])
    return bg.NormalFormGame([rng.random((m, n)) for _ in range(2)])


def _regret(game: bg.NormalFormGame, x: np.ndarray, y: np.ndarray) -> float:
    """Max gain of a unilateral deviation, by plain NumPy (payoffs divided by their
    largest magnitude first, so that payoffs near the float limit do not overflow)."""
    A, B = (np.asarray(p, dtype=float) for p in game.payoffs)
    s = max(np.abs(A).max(), np.abs(B).max(), 1.0)
    A, B = A / s, B / s
    r1 = (A @ y).max() - x @ A @ y
    r2 = (x @ B).max() - x @ B @ y
    return float(max(r1, r2)) * s


def _assert_verified(result, game, rel: float = 1e-9) -> None:
    A, B = (np.asarray(p, dtype=float) for p in game.payoffs)
    s = max(np.abs(A).max(), np.abs(B).max(), 1.0)
    for eq in result:
        x, y = eq.strategies
        assert np.all(x >= 0)
        assert np.all(y >= 0)
        assert math.isclose(x.sum(), 1.0)
        assert math.isclose(y.sum(), 1.0)
        assert _regret(game, x, y) <= rel * s


# ---------------------------------------------------------------------------------------
# Work limits: a capped run returns complete=False and names the limit and its value.


@dataclass(frozen=True)
class Capped:
    game: Any
    run: Any
    note: str  # the note must contain this


CAPPED = {
    # fuzzing: support enumeration on a random 30x30 game ran > 300 s without a limit
    "support-30x30-max_supports": Capped(
        lambda: _random_game(30, 30),
        lambda g: support_enumeration(g, max_supports=1000),
        "max_supports=1000",
    ),
    "support-fast-30x30-max_supports": Capped(
        lambda: _random_game(30, 30),
        lambda g: support_enumeration(g, degenerate="fast", max_supports=1000),
        "max_supports=1000",
    ),
    # a degenerate 30x30 game: the continua of its support pairs are expanded within
    # the shared budget of active sets too
    "support-degenerate-30x30-max_supports": Capped(
        lambda: bg.NormalFormGame(
            [np.random.default_rng(1).integers(0, 2, (30, 30)) for _ in range(2)]
        ),
        lambda g: support_enumeration(g, max_supports=1000),
        "max_supports=1000",
    ),
    # fuzzing: vertex enumeration on a random 20x20 game ran > 300 s
    "vertex-float-20x20-max_bases": Capped(
        lambda: _random_game(20, 20),
        lambda g: vertex_enumeration(g, max_bases=1000),
        "max_bases=1000",
    ),
    # fuzzing: the exact integer path on 30x30 ran > 300 s
    "vertex-exact-30x30-max_bases": Capped(
        lambda: _random_game(30, 30, integer=True),
        lambda g: vertex_enumeration(g, max_bases=50),
        "max_bases=50",
    ),
    "vertex-exact-option-30x30-max_bases": Capped(
        lambda: _random_game(30, 30),
        lambda g: vertex_enumeration(g, exact=True, max_bases=50),
        "max_bases=50",
    ),
    "lemke_howson-30x30-max_iter": Capped(
        lambda: _random_game(30, 30),
        lambda g: lemke_howson(g, labels="all", max_iter=2),
        "max_iter=2",
    ),
}


@pytest.mark.parametrize("case", CAPPED.values(), ids=CAPPED.keys())
def test_capped_run_is_incomplete_and_says_why(case: Capped) -> None:
    g = case.game()
    r = case.run(g)
    assert not r.complete
    assert any(case.note in note and "work limit" in note for note in r.notes)
    assert any("raise " in note for note in r.notes)  # says how to lift it
    _assert_verified(r, g)


def test_logit_step_cap_is_incomplete() -> None:
    g = _random_game(6, 6, seed=3)
    r = logit(g, max_steps=2)
    assert not r.complete
    assert any("max_steps" in note for note in r.notes)


def test_default_limits_are_documented_integers() -> None:
    assert MAX_SUPPORTS == 5_000_000
    assert (MAX_BASES, MAX_BASES_BIG) == (100_000, 1_000)
    r = lemke_howson(_random_game(30, 30))
    assert r.options["max_iter"] == 1000 + 50 * 60


def test_auto_on_random_30x30_is_bounded_and_verified() -> None:
    # fuzzing: solve(g, method="auto") stopped only after 139 s at max_bases=1000000
    g = _random_game(30, 30)
    r = bg.solve(g, method="auto")
    assert r.method == "lemke_howson"
    assert not r.complete
    assert "lemke_howson from all 60 labels" in r.notes[0]
    assert len(r) >= 1
    _assert_verified(r, g)


def test_auto_falls_back_when_vertex_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import bargain.solvers.normal_form.vertex as vertex_module

    monkeypatch.setattr(vertex_module, "MAX_BASES", 200)  # small limits: a fast test
    monkeypatch.setattr(vertex_module, "MAX_BASES_BIG", 20)
    g = _random_game(20, 20, seed=2)
    r = bg.solve(g, method="auto")
    assert r.method == "lemke_howson"
    assert not r.complete
    assert any("vertex enumeration stopped at its work limit" in note for note in r.notes)
    assert len(r) >= 1
    _assert_verified(r, g)


def test_auto_on_small_game_is_still_vertex() -> None:
    g = _random_game(4, 4, seed=1)
    r = bg.solve(g, method="auto")
    assert r.method == "vertex"
    assert r.complete


# ---------------------------------------------------------------------------------------
# Payoffs near the float limit: an equilibrium, never a NumPy or Python exception.

H = 1e308  # matching pennies at the float limit: the unique equilibrium is (1/2, 1/2)
PENNIES = [[[H, -H], [-H, H]], [[-H, H], [H, -H]]]


@pytest.mark.parametrize(
    "run",
    [
        lambda g: bg.solve(g, method="support"),
        lambda g: bg.solve(g, method="vertex"),
        lambda g: bg.solve(g, method="vertex", exact=True),
        lambda g: bg.solve(g, method="lemke_howson"),
        lambda g: bg.solve(g, method="lemke_howson", labels="all"),
        lambda g: bg.solve(g, method="zero_sum"),
        lambda g: bg.solve(g, method="logit"),
        lambda g: bg.solve(g, method="auto"),
    ],
    ids=[
        "support",
        "vertex",
        "vertex-exact",
        "lemke_howson",
        "lemke_howson-all",
        "zero_sum",
        "logit",
        "auto",
    ],
)
def test_huge_matching_pennies(run) -> None:
    # fuzzing: vertex raised OverflowError, support LinAlgError after 41 s, lemke_howson
    # reached max_iter=1000000 without naming the cause
    g = bg.NormalFormGame(PENNIES)
    r = run(g)
    assert r.complete
    assert len(r) == 1
    x, y = r[0].strategies
    np.testing.assert_allclose(x, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(y, [0.5, 0.5], atol=1e-12)
    assert _regret(g, x, y) <= 1e-12 * H
    assert np.all(np.isfinite(r[0].payoffs))
    # the result says how it met the magnitude: scaled by 2**1023, or (Lemke-Howson, issue
    # 20) pivoted in exact integers, where no scaling is needed
    assert any(
        "divided by 2**1023" in note or "exact integer arithmetic" in note for note in r.notes
    )


def test_huge_pennies_exact_strategies() -> None:
    r = vertex_enumeration(bg.NormalFormGame(PENNIES), exact=True)
    assert [[str(p) for p in s] for s in r[0].exact] == [["1/2", "1/2"], ["1/2", "1/2"]]


def test_huge_pennies_pure_and_iesds_do_not_raise() -> None:
    g = bg.NormalFormGame(PENNIES)
    assert len(bg.solve(g, method="pure")) == 0
    assert len(bg.solve(g, method="iesds")) == 0


def test_huge_batch_scaled_per_game() -> None:
    A = np.array([PENNIES[0], [[1.0, -1.0], [-1.0, 1.0]]])
    r = solve_batch(A, -A)
    assert r.count.tolist() == [1, 1]
    np.testing.assert_allclose(r.x[:, 0], 0.5, atol=1e-12)
    np.testing.assert_allclose(r.y[:, 0], 0.5, atol=1e-12)
    assert np.all(np.isfinite(r.payoffs[:, 0]))
    assert r.valid.all()


def _huge_pennies_tree() -> bg.GameTree:
    def guess(c: str) -> bg.Decision:
        leaves = {g: bg.Terminal(-H, H) if g == c else bg.Terminal(H, -H) for g in "HT"}
        return bg.Decision("B", leaves, infoset="guess")

    return bg.GameTree(("A", "B"), bg.Decision("A", {"H": guess("H"), "T": guess("T")}))


def test_huge_tree_spe_and_sequence_form_solve_exactly() -> None:
    # payoffs above 2**500: sequence_form's float LP/LCP would overflow; since issue 20
    # it falls back to exact vertex enumeration of the reduced form (trees/_seqform_huge)
    for method in ("spe", "sequence_form"):
        r = bg.solve(_huge_pennies_tree(), method=method)
        np.testing.assert_allclose(np.concatenate([b for p in r[0].behavior for b in p]), 0.5)
        assert r.tolerance == 0.0
        assert [str(x) for p in r[0].exact for x in p] == ["1/2"] * 4


def test_huge_qre_refused_clearly() -> None:
    with pytest.raises(SolverError, match="payoffs above 2\\*\\*500"):
        logit(bg.NormalFormGame(PENNIES), lam=1.0)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
def test_non_finite_payoffs_refused(bad: float) -> None:
    with pytest.raises(GameShapeError, match="not finite"):
        bg.NormalFormGame([[[1.0, bad], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]])


# ---------------------------------------------------------------------------------------
# One validation of options: the same error class everywhere, naming option and value.

NF = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])

#: method -> (call with options, the limit options it takes)
METHODS = {
    "pure": (lambda **o: bg.solve(NF, method="pure", **o), ()),
    "support": (lambda **o: bg.solve(NF, method="support", **o), ("max_supports",)),
    "vertex": (lambda **o: bg.solve(NF, method="vertex", **o), ("max_bases",)),
    "lemke_howson": (lambda **o: bg.solve(NF, method="lemke_howson", **o), ("max_iter",)),
    "zero_sum": (lambda **o: bg.solve(NF, method="zero_sum", constant_sum=True, **o), ()),
    "iesds": (lambda **o: bg.solve(NF, method="iesds", **o), ()),
    "logit": (lambda **o: bg.solve(NF, method="logit", **o), ("max_steps",)),
    "spe": (lambda **o: bg.solve(trees.entry_game(), method="spe", **o), ("max_equilibria",)),
    "sequence_form": (
        lambda **o: bg.solve(trees.matching_pennies(), method="sequence_form", **o),
        ("max_iter",),
    ),
    "solve_batch": (
        lambda **o: solve_batch(np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), **o),
        ("max_equilibria",),
    ),
}


@pytest.mark.parametrize("method", METHODS, ids=METHODS.keys())
def test_string_tol_refused_everywhere(method: str) -> None:
    # fuzzing: tol='1e-9' was accepted by support, lemke_howson and pure
    call, _ = METHODS[method]
    with pytest.raises(OptionError, match=r"option 'tol'.*got '1e-9'") as info:
        call(tol="1e-9")
    assert isinstance(info.value, SolverError)


def test_tol_convention() -> None:
    assert check_tol(np.float64(1e-9)) == 1e-9
    assert check_tol(np.float16(0.25)) == 0.25
    for bad in ("1e-9", True, None, math.nan, -1e-9, 0.0, 1.0, math.inf, 1e300):
        with pytest.raises(OptionError, match="option 'tol'"):
            check_tol(bad)
    assert check_tol(0, zero_ok=True) == 0.0
    assert check_limit("max_bases", np.int32(7)) == 7
    for bad in (True, 2.0, "10", None, 0, -3):
        with pytest.raises(OptionError, match="option 'max_bases'"):
            check_limit("max_bases", bad)


#: methods whose limit option takes None for its default
NONE_IS_DEFAULT = ("vertex", "lemke_howson", "sequence_form", "solve_batch")

BAD_VALUES = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.booleans(),
    st.just(math.nan),
    st.floats(max_value=-1e-300, allow_nan=False),
    st.floats(min_value=1e3, allow_infinity=True, allow_nan=False),
    st.integers(max_value=0),
)


@settings(max_examples=50, deadline=None)
@given(
    method=st.sampled_from(sorted(METHODS)),
    which=st.integers(0, 1),
    value=BAD_VALUES,
)
def test_bad_options_name_the_option(method: str, which: int, value: Any) -> None:
    call, limits = METHODS[method]
    name = "tol" if which == 0 or not limits else limits[0]
    if name == "tol" and isinstance(value, int) and not isinstance(value, bool) and value == 0:
        if method in ("pure", "iesds", "spe"):  # tol=0 compares exactly there
            return
    if value is None and name != "tol" and method in NONE_IS_DEFAULT:
        return  # None asks for the default limit there
    with pytest.raises(BargainError, match=f"option '{name}'"):
        call(**{name: value})


@pytest.mark.parametrize("value", [None, "x", 1.5], ids=["none", "str", "float"])
def test_bad_limit_none_or_float(value: Any) -> None:
    with pytest.raises(OptionError, match="option 'max_supports'"):
        support_enumeration(NF, max_supports=value)
