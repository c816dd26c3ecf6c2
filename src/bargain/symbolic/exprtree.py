"""Expressions as JSON trees, evaluated over NumPy arrays without SymPy.

A derived formula (a payoff, a condition's atom, an interval endpoint) is stored in the
disk cache as a small tree of JSON lists: ``["x", name]`` a parameter, a bare number a
constant, ``["+", a, b, ...]``, ``["*", a, b, ...]``, ``["^", base, exponent]`` and the
calls ``["exp", a]``, ``["log", a]``, ``["abs", a]``, ``["max", a, ...]``,
``["min", a, ...]``.  :func:`to_tree` writes one from a SymPy expression (on the cold
path, where SymPy is loaded anyway); :func:`check_tree` validates a tree read from disk
(only these operators, only declared names, a bounded size and depth: nothing in it is
ever executed) and :func:`evaluate` computes it on whole arrays with NumPy, so a warm
report classifies its grids without importing SymPy.

Examples
--------
>>> import numpy as np, sympy
>>> q, k = sympy.symbols("q k")
>>> t = to_tree(k / (q + 1))
>>> t
['*', ['x', 'k'], ['^', ['+', 1.0, ['x', 'q']], -1.0]]
>>> evaluate(t, {"q": np.array([0.0, 1.0]), "k": 2.0}).tolist()
[2.0, 1.0]
>>> check_tree(["__import__", "os"], {"q"})
Traceback (most recent call last):
...
bargain.errors.ExpressionError: derivation cache: unknown operator '__import__'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import numpy as np

from bargain.errors import ExpressionError

__all__ = ["MAX_DEPTH", "MAX_NODES", "check_tree", "evaluate", "to_tree", "tree_names"]

#: Largest tree accepted from disk, in nodes.
MAX_NODES = 5000
#: Deepest nesting accepted from disk.
MAX_DEPTH = 80

_NARY = {"+": np.add, "*": np.multiply, "max": np.maximum, "min": np.minimum}
_UNARY = {"exp": np.exp, "log": np.log, "abs": np.abs}


def to_tree(expr: Any) -> Any:
    """The JSON tree of a SymPy expression or a Python number.

    Raises
    ------
    NotImplementedError
        For an operation outside the tree's grammar (the caller then keeps SymPy).

    Examples
    --------
    >>> import sympy
    >>> to_tree(sympy.Max(sympy.Symbol("a"), 0) + 1)
    ['+', 1.0, ['max', 0.0, ['x', 'a']]]
    """
    import sympy

    from bargain.games.expression import to_sympy

    if isinstance(expr, bool):
        raise NotImplementedError("a boolean is not an expression")
    if isinstance(expr, (int, float)):
        return float(expr)
    expr = to_sympy(expr, where="expression")  # a number or a SymPy object: no text parsed
    if expr.is_Number:
        value = float(expr)
        if not np.isfinite(value):
            raise NotImplementedError(f"non-finite constant {expr}")
        return value
    if expr.is_Symbol:
        return ["x", expr.name]
    if expr.is_Add:
        return ["+", *(to_tree(a) for a in expr.args)]
    if expr.is_Mul:
        return ["*", *(to_tree(a) for a in expr.args)]
    if expr.is_Pow:
        return ["^", to_tree(expr.base), to_tree(expr.exp)]
    calls = {sympy.exp: "exp", sympy.log: "log", sympy.Abs: "abs", sympy.Max: "max"}
    calls[sympy.Min] = "min"
    op = calls.get(expr.func)
    if op is None or (op == "log" and len(expr.args) != 1):
        raise NotImplementedError(f"{expr.func.__name__} is not in the tree grammar")
    return [op, *(to_tree(a) for a in expr.args)]


def check_tree(tree: Any, names: Collection[str], *, where: str = "derivation cache") -> Any:
    """Validate a tree read from disk: known operators and arities, declared names, finite
    numbers, at most :data:`MAX_NODES` nodes and :data:`MAX_DEPTH` levels.  Returns it.

    Raises
    ------
    ExpressionError
        Naming `where` and the offending part.

    Examples
    --------
    >>> check_tree(["+", 1.0, ["x", "q"]], {"q"})
    ['+', 1.0, ['x', 'q']]
    >>> check_tree(["x", "r"], {"q"})
    Traceback (most recent call last):
    ...
    bargain.errors.ExpressionError: derivation cache: unknown name 'r'
    """
    count = 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES or depth > MAX_DEPTH:
            raise ExpressionError(where, "expression too large")
        if isinstance(node, bool) or node is None:
            raise ExpressionError(where, f"{node!r} is not a number or an operation")
        if isinstance(node, (int, float)):
            if not np.isfinite(node):
                raise ExpressionError(where, f"non-finite constant {node!r}")
            continue
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise ExpressionError(where, f"malformed node {str(node)[:60]!r}")
        op, args = node[0], node[1:]
        if op == "x":
            if len(args) != 1 or not isinstance(args[0], str) or args[0] not in names:
                raise ExpressionError(where, f"unknown name {str(args[0] if args else '')!r}")
            continue
        if op in _NARY:
            ok = len(args) >= 1
        elif op in _UNARY:
            ok = len(args) == 1
        elif op == "^":
            ok = len(args) == 2
        else:
            raise ExpressionError(where, f"unknown operator {op[:40]!r}")
        if not ok:
            raise ExpressionError(where, f"wrong number of arguments of {op!r}")
        stack += [(a, depth + 1) for a in args]
    return tree


def tree_names(tree: Any) -> set[str]:
    """The parameter names a (checked) tree uses.

    Examples
    --------
    >>> sorted(tree_names(["+", ["x", "b"], ["*", 2.0, ["x", "a"]]]))
    ['a', 'b']
    """
    out: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            if node[0] == "x":
                out.add(node[1])
            else:
                stack += node[1:]
    return out


def evaluate(tree: Any, values: Mapping[str, Any]) -> Any:
    """The value of a (checked) tree, with NumPy, at `values` (numbers or arrays, which
    broadcast).  Arithmetic follows the tree's order, as SymPy's printed code does.

    Examples
    --------
    >>> evaluate(["^", ["x", "a"], 0.5], {"a": np.array([4.0, 9.0])}).tolist()
    [2.0, 3.0]
    """
    if not isinstance(tree, list):
        return float(tree)
    op = tree[0]
    if op == "x":
        return values[tree[1]]
    args = [evaluate(a, values) for a in tree[1:]]
    if op == "^":
        base, exp = args
        if isinstance(exp, float) and exp == -1.0:
            return 1.0 / np.asarray(base, dtype=float)
        if isinstance(exp, float) and exp == 0.5:
            return np.sqrt(base)
        return np.power(np.asarray(base, dtype=float), exp)
    if op in _UNARY:
        return _UNARY[op](args[0])
    out = args[0]
    for a in args[1:]:
        out = _NARY[op](out, a)
    return out
