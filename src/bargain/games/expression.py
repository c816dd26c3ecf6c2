"""Safe reading of expressions: text from outside Python code becomes SymPy, never code.

Every string that reaches bargain from a file, the command line or a data set and that
stands for a number or a formula goes through :func:`parse_expression`.  It parses the
text with Python's :mod:`ast` (which builds a syntax tree and runs nothing) and accepts
only

* numbers (integers and decimals; a decimal that underflows to zero or overflows in
  double precision is refused rather than silently changed),
* the declared parameter names, and the constants ``pi`` and ``E``,
* ``+ - * / **``, unary ``+``/``-`` and parentheses,
* calls of the functions in :data:`FUNCTIONS` (``sqrt``, ``exp``, ``log``, ``Abs``,
  ``Min``, ``Max``, ``floor``, ``ceiling``, ``sign``, ``Piecewise``), positional arguments
  only, and — inside ``Piecewise`` conditions only — comparisons, ``&``, ``|``, ``~``,
  ``Eq``, ``Ne``, ``True`` and ``False`` (the forms :func:`str` of a SymPy expression uses).

It then builds the SymPy objects itself, node by node.  There is no attribute access, no
subscript, no lambda, no comprehension, no keyword argument and no name that was not
declared, so no string can reach a Python object's internals.  Work is bounded: the text's
length, the nesting depth, the number of nodes and the size of numeric powers are capped
(``9**9**9`` is refused at once instead of computed).

:func:`to_sympy` is the companion for *Python* values (numbers, fractions, SymPy objects):
it converts them without ever parsing a string, and refuses strings, so that no library
function turns text into code by accident.

Examples
--------
>>> import sympy
>>> q = sympy.Symbol("q")
>>> parse_expression("2*q - 1/3", {"q": q})
2*q - 1/3
>>> parse_expression("q.__class__", {"q": q})
Traceback (most recent call last):
...
bargain.errors.ExpressionError: expression 'q.__class__' (column 1): attribute access is not allowed
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from fractions import Fraction
from numbers import Integral, Real
from typing import Any

from bargain.errors import ExpressionError

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "parse_expression",
    "parse_number",
    "to_sympy",
]

#: Functions a string may call, with their number of arguments (``None``: one or more).
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "sqrt": (1, 1),
    "exp": (1, 1),
    "log": (1, 2),
    "Abs": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "sign": (1, 1),
    "Min": (1, None),
    "Max": (1, None),
    "Piecewise": (1, None),
}
#: Longest string accepted, in characters.
MAX_LENGTH = 4000
#: Deepest nesting of operations accepted.
MAX_DEPTH = 60
#: Most syntax nodes accepted in one expression.
MAX_NODES = 2000
# A numeric power whose result would need more than this many decimal digits is refused
# (double precision ends near 1e308; SymPy would otherwise compute it exactly, for minutes).
_MAX_POWER_DIGITS = 400
_MAX_EXPONENT = 10_000
_CONSTANTS = ("pi", "E")
_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
_COMPARE = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def parse_expression(
    text: str,
    names: Mapping[str, Any],
    *,
    where: str = "",
) -> Any:
    """Parse `text` into a SymPy expression in the declared `names`, running nothing.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"q*(M_G + s) - k_G"``.
    names : mapping of str to sympy.Symbol
        The names the text may use (a model's or a file's declared parameters).
    where : str
        Where the text comes from (``"game.json: $.payoffs[0][1, 0]"``, ``"--set q"``);
        it leads every error message.

    Returns
    -------
    sympy.Expr
        A number or an expression; never ``nan``, ``zoo`` or an infinity.

    Raises
    ------
    ExpressionError
        For anything outside the grammar above, naming `where` and the offending token.

    Examples
    --------
    >>> import sympy
    >>> q, s = sympy.symbols("q s")
    >>> parse_expression("Max(0, q*s - 1)", {"q": q, "s": s})
    Max(0, q*s - 1)
    >>> parse_expression("Piecewise((1, q > 1/2), (0, True))", {"q": q})
    Piecewise((1, q > 1/2), (0, True))
    >>> parse_expression("9**9**9", {}, where="cost")
    Traceback (most recent call last):
    ...
    bargain.errors.ExpressionError: cost (column 1): the exponent 387420489 is too large
    """
    label = where or f"expression {_clip(text)!r}"
    if not isinstance(text, str):
        raise ExpressionError(label, f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(label, f"longer than {MAX_LENGTH} characters")
    if "\x00" in text:
        raise ExpressionError(label, "contains a NUL character")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(label, f"not an expression ({exc.msg})") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(label, "nested too deeply") from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(label, f"has {count} syntax nodes (at most {MAX_NODES})")
    import sympy

    builder = _Builder(text, dict(names), label, sympy)
    expr = builder.build(tree.body, 0, False)
    if _is_condition(expr, sympy):
        raise ExpressionError(label, "is a condition, not a number or expression")
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ExpressionError(label, "is not finite (division by zero?)")
    return expr


def parse_number(text: str, *, where: str) -> float:
    """Parse a finite real number written as text (``"0.5"``, ``"1/3"``, ``"2e-3"``).

    The safe parser with no names: arithmetic of literals is allowed, anything else is
    refused.

    Parameters
    ----------
    text : str
    where : str
        Where the text comes from (``"--set q"``), leading the error message.

    Raises
    ------
    ExpressionError
        If the text is not a finite real number.

    Examples
    --------
    >>> parse_number("1/4", where="--set q")
    0.25
    >>> parse_number("abc", where="--set q")
    Traceback (most recent call last):
    ...
    bargain.errors.ExpressionError: --set q: 'abc' is not a number (unknown name 'abc')
    """
    try:
        value = parse_expression(text, {}, where=where)
    except ExpressionError as exc:
        raise ExpressionError(where, f"{_clip(text)!r} is not a number ({exc.message})") from None
    if not (value.is_number and value.is_real):
        raise ExpressionError(where, f"{_clip(text)!r} is not a real number")
    x = float(value)
    if not math.isfinite(x):
        raise ExpressionError(where, f"{_clip(text)!r} overflows double precision")
    return x


def to_sympy(value: Any, *, where: str = "value") -> Any:
    """Convert a Python number or SymPy object to SymPy, exactly, without parsing text.

    Floats become SymPy ``Float``; ``int`` and :class:`fractions.Fraction` become exact
    rationals.  Strings are refused: text is parsed only by :func:`parse_expression`,
    with an explicit list of names.

    Parameters
    ----------
    value : int, float, Fraction, NumPy scalar or sympy.Basic
    where : str
        Name of the value, for the error message.

    Raises
    ------
    ExpressionError
        For a string, a bool, ``None`` or any other non-numeric object.

    Examples
    --------
    >>> from fractions import Fraction
    >>> to_sympy(Fraction(1, 3))
    1/3
    >>> to_sympy("1/3", where="cost")
    Traceback (most recent call last):
    ...
    bargain.errors.ExpressionError: cost: a string is not a number here (got '1/3')
    """
    import sympy

    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, str):
        raise ExpressionError(where, f"a string is not a number here (got {_clip(value)!r})")
    if isinstance(value, bool) or value is None or type(value).__name__ == "bool_":
        raise ExpressionError(where, f"expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, Integral):
        return sympy.Integer(int(value))
    if isinstance(value, Real):
        return sympy.Float(float(value))
    raise ExpressionError(where, f"expected a number, got {type(value).__name__}")


def _is_condition(x: Any, sp: Any) -> bool:
    # A SymPy Symbol is also a Boolean; a condition is a Boolean that is not an Expr.
    return isinstance(x, sp.logic.boolalg.Boolean) and not isinstance(x, sp.Expr)


def _clip(text: Any, n: int = 60) -> str:
    s = str(text)
    return s if len(s) <= n else s[: n - 3] + "..."


class _Builder:
    """Build SymPy objects from a checked syntax tree (one method, one node kind each)."""

    def __init__(self, text: str, names: dict[str, Any], label: str, sympy: Any) -> None:
        self.text = text
        self.names = names
        self.label = label
        self.sp = sympy

    def fail(self, node: ast.AST | None, message: str) -> ExpressionError:
        where = self.label
        if node is not None and hasattr(node, "col_offset") and "\n" not in self.text:
            where = f"{self.label} (column {node.col_offset + 1})"
        return ExpressionError(where, message)

    def build(self, node: ast.AST, depth: int, logical: bool) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, ast.Constant):
            if logical and isinstance(node.value, bool):
                return self.sp.true if node.value else self.sp.false
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node, logical)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth, logical)
        if isinstance(node, ast.BinOp):
            return self.binop(node, depth, logical)
        if isinstance(node, ast.Call):
            return self.call(node, depth, logical)
        if logical and isinstance(node, ast.Compare):
            return self.compare(node, depth)
        if isinstance(node, ast.Attribute):
            raise self.fail(node, "attribute access is not allowed")
        if isinstance(node, ast.Subscript):
            raise self.fail(node, "subscripts are not allowed")
        if isinstance(node, ast.Compare):
            raise self.fail(node, "comparisons are allowed only in Piecewise conditions")
        kind = type(node).__name__
        raise self.fail(node, f"{kind} is not allowed (numbers, names, + - * / ** only)")

    def constant(self, node: ast.Constant) -> Any:
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(node, f"{v!r} is not a number")
        if isinstance(v, int):
            return self.sp.Integer(v)
        literal = ast.get_source_segment(self.text.strip(), node) or repr(v)
        try:
            exact = Fraction(literal.replace("_", ""))
        except (ValueError, ZeroDivisionError):
            exact = Fraction(v)
        if not math.isfinite(v):
            raise self.fail(node, f"{literal} overflows double precision")
        if v == 0.0 and exact != 0:
            raise self.fail(node, f"{literal} underflows to zero in double precision")
        return self.sp.Float(v)

    def name(self, node: ast.Name, logical: bool) -> Any:
        ident = node.id
        if ident in self.names:
            return self.names[ident]
        if ident == "pi":
            return self.sp.pi
        if ident == "E":
            return self.sp.E
        if logical and ident in ("True", "False"):
            return self.sp.true if ident == "True" else self.sp.false
        if not self.names:
            raise self.fail(node, f"unknown name {ident!r}")
        known = ", ".join(sorted(self.names))
        raise self.fail(node, f"unknown name {ident!r} (parameters: {known})")

    def unary(self, node: ast.UnaryOp, depth: int, logical: bool) -> Any:
        if isinstance(node.op, ast.Invert) and logical:
            return self.sp.Not(self.build(node.operand, depth + 1, True))
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise self.fail(node, f"the operator {type(node.op).__name__} is not allowed")
        x = self.arith(node.operand, depth + 1)
        return -x if isinstance(node.op, ast.USub) else x

    def binop(self, node: ast.BinOp, depth: int, logical: bool) -> Any:
        if logical and isinstance(node.op, ast.BitAnd | ast.BitOr):
            a = self.build(node.left, depth + 1, True)
            b = self.build(node.right, depth + 1, True)
            return self.sp.And(a, b) if isinstance(node.op, ast.BitAnd) else self.sp.Or(a, b)
        if not isinstance(node.op, _BINOPS):
            raise self.fail(node, f"the operator {type(node.op).__name__} is not allowed")
        a = self.arith(node.left, depth + 1)
        b = self.arith(node.right, depth + 1)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            if b == 0:
                raise self.fail(node, "division by zero")
            return a / b
        return self.power(node, a, b)

    def power(self, node: ast.AST, base: Any, exponent: Any) -> Any:
        if exponent.is_number:
            e = abs(float(exponent))
            if e > _MAX_EXPONENT:
                raise self.fail(node, f"the exponent {exponent} is too large")
            if base.is_number and base != 0:
                digits = e * abs(math.log10(abs(complex(base))))
                if digits > _MAX_POWER_DIGITS:
                    raise self.fail(node, f"the power {base}**{exponent} is too large")
            if base == 0 and float(exponent) < 0:
                raise self.fail(node, "division by zero")
        return self.sp.Pow(base, exponent)

    def arith(self, node: ast.AST, depth: int) -> Any:
        x = self.build(node, depth, False)
        if _is_condition(x, self.sp):
            raise self.fail(node, "a condition cannot be used as a number")
        return x

    def call(self, node: ast.Call, depth: int, logical: bool) -> Any:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only calls of named functions are allowed")
        fname = node.func.id
        if node.keywords:
            raise self.fail(node, f"{fname}: keyword arguments are not allowed")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(node, f"{fname}: starred arguments are not allowed")
        if logical and fname in ("Eq", "Ne"):
            if len(node.args) != 2:
                raise self.fail(node, f"{fname} takes 2 arguments")
            a, b = (self.arith(x, depth + 1) for x in node.args)
            return self.sp.Eq(a, b) if fname == "Eq" else self.sp.Ne(a, b)
        if fname not in FUNCTIONS:
            allowed = ", ".join(FUNCTIONS)
            raise self.fail(node, f"the function {fname!r} is not allowed (allowed: {allowed})")
        lo, hi = FUNCTIONS[fname]
        n = len(node.args)
        if n < lo or (hi is not None and n > hi):
            raise self.fail(node, f"{fname} takes {lo}{'' if hi == lo else '+'} arguments")
        if fname == "Piecewise":
            return self.piecewise(node, depth)
        args = [self.arith(a, depth + 1) for a in node.args]
        fn = getattr(self.sp, fname)
        return fn(*args)

    def piecewise(self, node: ast.Call, depth: int) -> Any:
        pieces = []
        for arg in node.args:
            if not (isinstance(arg, ast.Tuple) and len(arg.elts) == 2):
                raise self.fail(arg, "Piecewise takes (expression, condition) pairs")
            value = self.arith(arg.elts[0], depth + 2)
            cond = self.build(arg.elts[1], depth + 2, True)
            pieces.append((value, cond))
        try:
            return self.sp.Piecewise(*pieces)
        except (TypeError, ValueError) as exc:
            raise self.fail(node, f"Piecewise: {exc}") from None

    def compare(self, node: ast.Compare, depth: int) -> Any:
        ops = {ast.Lt: "Lt", ast.LtE: "Le", ast.Gt: "Gt", ast.GtE: "Ge"}
        left = self.arith(node.left, depth + 1)
        parts = []
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            if not isinstance(op, _COMPARE):
                raise self.fail(node, f"the comparison {type(op).__name__} is not allowed")
            right = self.arith(right_node, depth + 1)
            parts.append(getattr(self.sp, ops[type(op)])(left, right))
            left = right
        return parts[0] if len(parts) == 1 else self.sp.And(*parts)
