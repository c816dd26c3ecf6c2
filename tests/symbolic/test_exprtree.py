"""JSON expression trees: the same numbers as SymPy's lambdify, and nothing else runs."""

import json

import numpy as np
import pytest
import sympy

from bargain.errors import ExpressionError
from bargain.symbolic.exprtree import MAX_DEPTH, check_tree, evaluate, to_tree, tree_names

a, b, c = sympy.symbols("a b c", positive=True)


def _random_expr(rng, depth):
    if depth == 0 or rng.random() < 0.25:
        pick = rng.integers(4)
        if pick == 3:
            return sympy.Rational(int(rng.integers(1, 7)), int(rng.integers(1, 5)))
        return (a, b, c)[pick]
    x, y = _random_expr(rng, depth - 1), _random_expr(rng, depth - 1)
    op = rng.integers(8)
    return [
        x + y,
        x * y,
        x - y,
        x / y,
        sympy.sqrt(x),
        sympy.Max(x, y),
        sympy.Min(x, y) + sympy.Abs(x - y),
        sympy.exp(-x) + sympy.log(y),
    ][op]


@pytest.mark.parametrize("seed", range(20))
def test_tree_matches_lambdify(seed):
    rng = np.random.default_rng(seed)
    e = _random_expr(rng, 4)
    tree = json.loads(json.dumps(to_tree(e)))  # what the cache stores and reads back
    check_tree(tree, {"a", "b", "c"})
    cols = {k: rng.uniform(0.1, 3.0, 50) for k in "abc"}
    with np.errstate(all="ignore"):  # sqrt of a negative: NaN on both sides
        expected = sympy.lambdify((a, b, c), e, modules="numpy")(*(cols[k] for k in "abc"))
        got = evaluate(tree, cols)
    np.testing.assert_allclose(
        np.broadcast_to(got, (50,)), np.broadcast_to(expected, (50,)), rtol=1e-12
    )
    assert tree_names(tree) == {s.name for s in e.free_symbols}


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        (["__import__", "os"], "unknown operator"),
        (["x", "os"], "unknown name"),
        (["+"], "wrong number of arguments"),
        (["^", 1.0], "wrong number of arguments"),
        ("a", "malformed node"),
        (True, "not a number"),
        (float("inf"), "non-finite"),
        ([["x", "a"]], "malformed node"),
    ],
)
def test_bad_trees_are_refused(tree, message):
    with pytest.raises(ExpressionError, match=message):
        check_tree(tree, {"a"})


def test_deep_trees_are_refused_before_evaluation():
    tree = ["x", "a"]
    for _ in range(MAX_DEPTH + 5):
        tree = ["abs", tree]
    with pytest.raises(ExpressionError, match="too large"):
        check_tree(tree, {"a"})


def test_unsupported_operations_are_not_silently_written():
    with pytest.raises(NotImplementedError):
        to_tree(sympy.Piecewise((a, a > 1), (b, True)))
