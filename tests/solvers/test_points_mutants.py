"""``solve_points`` on numeric trees and on trees without a ParameterSet, against the
independent oracle (tests/oracles.py).  Mutants of tools/mutation.py's run (issue 19)
survived here: the numeric fast path's single leaf, and the parameter names read from the
tree's own symbols.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
import sympy

from bargain import Chance, Decision, GameTree, Terminal
from bargain.solvers.trees.points import solve_points

# the suite runs with --import-mode=importlib: load the oracle module by path
_spec = importlib.util.spec_from_file_location("oracles", Path(__file__).parents[1] / "oracles.py")
oracles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracles)


SEEDS = range(30)


@pytest.mark.parametrize("seed", SEEDS)
def test_numeric_tree_equals_the_oracle(seed: int) -> None:
    # a numeric tree is solved once: every point gets the oracle's path, payoffs and leaf
    tree, priority = oracles.random_tree(seed)
    b = solve_points(tree, np.zeros((3, 0)), param_names=(), priority=priority)
    value, choices = oracles.tie_rule_spe(tree, priority=priority)
    reached = oracles.reached_leaves(tree, choices)
    leaf = tree.leaves.index(reached[0]) if len(reached) == 1 else -1
    assert b.paths == (oracles.path(tree, choices),)
    np.testing.assert_array_equal(b.path_id, 0)
    np.testing.assert_array_equal(b.leaf, leaf)
    # chance probabilities such as 1/3 are rounded to floats: equal up to rounding
    expected = np.tile([float(v) for v in value], (3, 1))
    np.testing.assert_allclose(b.payoffs, expected, rtol=1e-12, atol=1e-12)


def test_the_numeric_trees_reach_one_leaf_and_several() -> None:
    counts = []
    for seed in SEEDS:
        tree, priority = oracles.random_tree(seed)
        _, choices = oracles.tie_rule_spe(tree, priority=priority)
        counts.append(len(oracles.reached_leaves(tree, choices)))
    assert 1 in counts
    assert any(c > 1 for c in counts)


def test_parameter_names_are_the_trees_symbols_sorted() -> None:
    # no ParameterSet: the columns are the payoffs' and probabilities' symbols, by name
    b_, a_, p_ = sympy.symbols("b a p", real=True)
    tree = GameTree(
        ("A",),
        Chance(
            {
                "h": (p_, Decision("A", {"x": Terminal(a_), "y": Terminal(b_)})),
                "t": (1 - p_, Terminal(0)),
            }
        ),
    )
    pts = np.array([[1.0, 2.0, 0.5], [2.0, 1.0, 0.25]])  # columns a, b, p
    b = solve_points(tree, pts, parallel=False)
    assert b.param_names == ("a", "b", "p")
    assert [b.path_of(i) for i in range(2)] == [("y",), ("x",)]
    np.testing.assert_allclose(b.payoffs[:, 0], [0.5 * 2.0, 0.25 * 2.0])


T = sympy.Symbol("t", real=True)


def _symbolic_tree() -> GameTree:
    # A takes "x" (payoff t) over "y" (payoff 1) iff t >= 1 ("x" is first on ties)
    return GameTree(("A",), Decision("A", {"x": Terminal(T), "y": Terminal(1)}))


@pytest.mark.parametrize("symbolic", [False, True])
@pytest.mark.parametrize("tol", [0.0, 1e-6])
def test_tol_zero_is_accepted_and_recorded(symbolic: bool, tol: float) -> None:
    tree = _symbolic_tree() if symbolic else _symbolic_tree().numeric(t=2.0)
    pts = np.array([[2.0], [1.0]]) if symbolic else np.zeros((2, 0))
    names = ("t",) if symbolic else ()
    b = solve_points(tree, pts, param_names=names, tol=tol, parallel=False)
    assert b.tol == tol
    assert b.path_of(0) == ("x",)
    assert b.leaf.dtype == np.int32
    np.testing.assert_array_equal(b.leaf, 0)  # the leaf of "x", first in tree.leaves


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("tol", -1.0, r"^option 'tol' of method 'solve_points': must be a real number"),
        ("chunk", 0, r"^option 'chunk' of method 'solve_points': must be a positive integer"),
    ],
)
def test_option_errors_name_solve_points(option: str, value, message: str) -> None:
    from bargain.errors import SolverError

    with pytest.raises(SolverError, match=message):
        solve_points(_symbolic_tree(), np.array([[1.0]]), param_names=("t",), **{option: value})


# without the JIT (NUMBA_DISABLE_JIT=1) the overflow and inf - inf are NumPy scalars, which warn
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_non_finite_payoffs_name_the_first_such_point() -> None:
    from bargain.errors import ParameterError

    tree = GameTree(("A",), Decision("A", {"x": Terminal(1e300 * T), "y": Terminal(1)}))
    pts = np.array([[1.0], [2.0], [1e10], [1e20]])  # 1e300 * t overflows at rows 2 and 3
    with pytest.raises(ParameterError, match=r"not finite at point 2: \[10000000000\.0\]"):
        solve_points(tree, pts, param_names=("t",), parallel=False)


def test_too_many_path_patterns_are_refused() -> None:
    from bargain.errors import SolverError

    # a chance node with 40 outcomes, each a binary decision: 3**40 > 2**62 path patterns
    # (each outcome: unreached or one of its 2 decisions), too many for int64 path keys
    kids = {
        f"n{k}": (sympy.Rational(1, 40), Decision("A", {"l": Terminal(T), "r": Terminal(0)}))
        for k in range(40)
    }
    tree = GameTree(("A",), Chance(kids))
    with pytest.raises(SolverError, match=r"more than 2\*\*62 possible equilibrium paths"):
        solve_points(tree, np.array([[1.0]]), param_names=("t",), parallel=False)


# -- where generated kernels are written (bargain.solvers.trees.compile.kernel_cache_dir) --


def test_kernel_folder_defaults_to_the_user_cache(monkeypatch, tmp_path) -> None:
    from bargain.solvers.trees.compile import kernel_cache_dir

    monkeypatch.delenv("BARGAIN_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert kernel_cache_dir() == tmp_path / ".cache" / "bargain" / "kernels"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert kernel_cache_dir() == tmp_path / "xdg" / "bargain" / "kernels"


def test_unwritable_folder_falls_back_to_one_shared_per_user_folder(monkeypatch, tmp_path):
    import os
    import tempfile

    from bargain.solvers.trees.compile import kernel_cache_dir

    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(blocker / "below"))  # cannot mkdir there
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    first = kernel_cache_dir()
    # the shared temporary folder, named by the user id, the same on every call
    assert first == tmp_path / "tmp" / f"bargain-{os.getuid()}" / "kernels"
    assert kernel_cache_dir() == first
    assert oct(first.parent.stat().st_mode & 0o777) == oct(0o700)
