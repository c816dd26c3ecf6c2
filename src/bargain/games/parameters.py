"""Model parameters: a name, a default, bounds, a unit, a description and a source.

A :class:`ParameterSet` maps parameter names to SymPy symbols (created lazily, so that
``import bargain`` does not import SymPy) and to validated numeric values.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

from bargain.errors import ParameterError

__all__ = ["Parameter", "ParameterSet", "real_number", "tex_symbol"]


@dataclass(frozen=True)
class Parameter:
    """One model parameter.

    Parameters
    ----------
    name : str
        Identifier used in formulas and on the command line (``q``, ``M_G``).
    default : float
        Baseline value; must lie within `bounds`.
    bounds : tuple of float
        Closed interval ``(low, high)`` of admissible values, both finite.
    unit : str
        Unit of measurement (``"probability"``, ``"USD bn"``, ``"troops"``).
    description : str
        One line a reader of a paper table understands.
    source : str
        Where the default comes from, or ``"assumption: ..."``.
    integer : bool
        Whether only whole numbers are admissible (e.g. a number of tranches).
    tex : str
        The parameter's symbol in LaTeX math for figures and tables (``r"$q$"``); derived
        from the name when empty (see :attr:`display_symbol`).  (The attribute
        :attr:`symbol` is the SymPy symbol, hence the name ``tex``.)
    label : str
        A short name for axis labels (``"detection probability"``); empty: the symbol
        alone.

    Examples
    --------
    >>> p = Parameter("q", 0.6, (0.0, 1.0), "probability", "detection probability",
    ...               "assumption")
    >>> p.validate(0.25)
    0.25
    >>> Parameter("M_G", 1.0, (0, 2)).display_symbol
    '$M_{G}$'
    """

    name: str
    default: float
    bounds: tuple[float, float]
    unit: str = ""
    description: str = ""
    source: str = ""
    integer: bool = False
    tex: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ParameterError(str(self.name), "name must be a Python identifier")
        if keyword.iskeyword(self.name) or self.name.startswith("__"):
            raise ParameterError(self.name, "name must not be a keyword or start with '__'")
        try:
            lo, hi = (real_number(b, self.name, what="bound") for b in self.bounds)
        except (TypeError, ValueError):
            raise ParameterError(
                self.name, f"bounds must be two numbers, got {self.bounds!r}"
            ) from None
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise ParameterError(
                self.name, f"bounds must be finite with low <= high, got [{lo:g}, {hi:g}]"
            )
        object.__setattr__(self, "bounds", (lo, hi))
        object.__setattr__(self, "default", self.validate(self.default, what="default"))

    def validate(self, value: Any, *, what: str = "value") -> float:
        """Return `value` as a float, or raise if it is not admissible.

        Parameters
        ----------
        value : float
            Candidate value.
        what : str
            Word used in the error message (``"value"`` or ``"default"``).

        Returns
        -------
        float

        Raises
        ------
        ParameterError
            If the value is not a finite real number within the bounds (or not whole for
            an integer parameter).  Strings, booleans and ``None`` are refused, not
            converted: ``"0.5"`` is text, and ``True`` is not a probability.

        Examples
        --------
        >>> Parameter("n", 3, (1, 10), integer=True).validate(4)
        4.0
        """
        x = real_number(value, self.name, what=what)
        if not math.isfinite(x):
            raise ParameterError(self.name, f"{what} must be finite, got {x}")
        lo, hi = self.bounds
        if not lo <= x <= hi:
            raise ParameterError(self.name, f"{what} {x:g} is outside its bounds [{lo:g}, {hi:g}]")
        if self.integer and x != round(x):
            raise ParameterError(self.name, f"{what} must be a whole number, got {x:g}")
        return x

    @property
    def display_symbol(self) -> str:
        """The symbol in LaTeX math: :attr:`tex`, or derived from the name.

        Greek names become Greek letters, the part after the first ``_`` a subscript
        (upright when it is a word), ``_bar`` a bar.

        Examples
        --------
        >>> for n in ("lam", "theta", "P_fail", "x_bar", "q_R"):
        ...     print(Parameter(n, 0.5, (0, 1)).display_symbol)
        $\\lambda$
        $\\theta$
        $P_{\\mathrm{fail}}$
        $\\bar{x}$
        $q_{R}$
        """
        return self.tex or tex_symbol(self.name)

    def axis_label(self, *, short: bool = False) -> str:
        """Label of an axis showing this parameter: label (unless `short`), symbol, unit.

        Examples
        --------
        >>> Parameter("q", 0.5, (0, 1), "probability", label="detection probability"
        ...           ).axis_label()
        'detection probability $q$'
        >>> Parameter("M_G", 2.0, (0, 10), "index (status-quo rent = 1)").axis_label()
        '$M_{G}$ (index)'
        """
        unit = self.unit.split(" (")[0].strip()
        text = self.display_symbol
        if self.label and not short:
            text = f"{self.label} {text}"
        if unit and unit != "probability" and unit not in self.label:
            text += f" ({unit})"
        return text

    @property
    def symbol(self) -> Any:
        """The SymPy symbol for this parameter (real; nonnegative if the bounds say so).

        Examples
        --------
        >>> Parameter("q", 0.5, (0, 1)).symbol.is_nonnegative
        True
        """
        return _symbol(self.name, self.bounds[0], self.integer)


def real_number(value: Any, name: str, *, what: str = "value") -> float:
    """`value` as a float if it is a real number (int, float, NumPy or SymPy number).

    Raises
    ------
    ParameterError
        Naming `name`, for a string, a bool, ``None``, a complex number or a symbolic
        expression.

    Examples
    --------
    >>> real_number(3, "n")
    3.0
    >>> real_number("0.5", "rho")
    Traceback (most recent call last):
    ...
    bargain.errors.ParameterError: parameter 'rho': value must be a number, got the string '0.5'
    """
    if isinstance(value, str | bytes):
        raise ParameterError(name, f"{what} must be a number, got the string {value!r}")
    if value is None or isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        raise ParameterError(name, f"{what} must be a number, got {value!r}")
    if is_symbolic(value):
        if not (getattr(value, "is_number", False) and value.is_real):
            raise ParameterError(name, f"{what} must be a real number, got {value}")
        return float(value)
    if not isinstance(value, Real):
        raise ParameterError(name, f"{what} must be a number, got {type(value).__name__}")
    return float(value)


_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
    "sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
).split()
_SHORT = {"lam": "lambda", "eps": "epsilon"}


def _tex_base(word: str) -> str:
    word = _SHORT.get(word, word)
    if word in _GREEK:
        return "\\" + word
    if len(word) == 1:
        return word
    return "\\mathrm{" + word.replace("_", "\\_") + "}"


def tex_symbol(name: str) -> str:
    """LaTeX math for a parameter name (``M_G`` → ``$M_{G}$``, ``lam`` → ``$\\lambda$``).

    Examples
    --------
    >>> print(tex_symbol("delta"), tex_symbol("k_G"), tex_symbol("p0"))
    $\\delta$ $k_{G}$ $p_{0}$
    >>> print(tex_symbol("entrant_profit"))
    $\\mathrm{entrant\\ profit}$
    """
    head, _, tail = name.partition("_")
    if not tail and len(head) > 1 and head.rstrip("0123456789") != head:
        head, tail = head.rstrip("0123456789"), head[len(head.rstrip("0123456789")) :]
    if tail == "bar":
        return f"$\\bar{{{_tex_base(head)}}}$"
    if not tail:
        return f"${_tex_base(head)}$"
    if len(head) > 1 and _SHORT.get(head, head) not in _GREEK:
        return "$\\mathrm{" + name.replace("_", "\\ ") + "}$"  # words: upright, spaced
    sub = tail if len(tail) == 1 or tail in _GREEK else _tex_base(tail)
    if tail in _GREEK:
        sub = "\\" + tail
    return f"${_tex_base(head)}_{{{sub}}}$"


def _symbol(name: str, low: float, integer: bool) -> Any:
    import sympy

    kwargs: dict[str, bool] = {"real": True}
    if integer:
        kwargs["integer"] = True
    if low > 0:
        kwargs["positive"] = True
    elif low >= 0:
        kwargs["nonnegative"] = True
    return sympy.Symbol(name, **kwargs)


class ParameterSet(Mapping[str, Parameter]):
    """An ordered collection of parameters: names ↔ SymPy symbols ↔ numeric values.

    Parameters
    ----------
    parameters : iterable of Parameter
        Names must be unique.

    Examples
    --------
    >>> ps = ParameterSet([Parameter("q", 0.6, (0, 1)), Parameter("s", 2.0, (0, 10))])
    >>> ps.resolve(q=0.9)
    {'q': 0.9, 's': 2.0}
    >>> q, s = ps.symbols()
    >>> ps.to_numeric(q * s, s=5)
    3.0
    """

    def __init__(self, parameters: Iterable[Parameter] = ()) -> None:
        params = tuple(parameters)
        seen: set[str] = set()
        for p in params:
            if not isinstance(p, Parameter):
                raise ParameterError(str(p), "a ParameterSet holds Parameter objects only")
            if p.name in seen:
                raise ParameterError(p.name, "declared twice")
            seen.add(p.name)
        self.parameters: tuple[Parameter, ...] = params

    def __repr__(self) -> str:
        return f"ParameterSet({list(self.names)!r})"

    def __getitem__(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(name, f"unknown parameter; known: {', '.join(self.names) or 'none'}")

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.parameters)

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in declaration order."""
        return tuple(p.name for p in self.parameters)

    @property
    def defaults(self) -> dict[str, float]:
        """Default values by name."""
        return {p.name: p.default for p in self.parameters}

    def symbols(self) -> tuple[Any, ...]:
        """SymPy symbols, in declaration order (imports SymPy on first use)."""
        return tuple(p.symbol for p in self.parameters)

    def symbol_map(self) -> dict[str, Any]:
        """Mapping name → SymPy symbol."""
        return {p.name: p.symbol for p in self.parameters}

    def resolve(self, **overrides: Any) -> dict[str, float]:
        """Defaults with `overrides` applied, each validated against its bounds.

        Raises
        ------
        ParameterError
            For an unknown name, a non-finite value or a value outside its bounds.

        Examples
        --------
        >>> ParameterSet([Parameter("q", 0.6, (0, 1))]).resolve(q=1)
        {'q': 1.0}
        """
        out = self.defaults
        for name, value in overrides.items():
            out[name] = self[name].validate(value)
        return out

    def vector(self, **overrides: Any) -> tuple[float, ...]:
        """Validated values as a tuple in declaration order (for kernels)."""
        return tuple(self.resolve(**overrides).values())

    def to_numeric(self, expr: Any, **overrides: Any) -> float:
        """Evaluate a SymPy expression (or number) at the defaults with `overrides`.

        Raises
        ------
        ParameterError
            If the expression has a free symbol that is not a declared parameter, or
            evaluates to a non-finite number.
        """
        return substitute(expr, self.resolve(**overrides))

    def table(self) -> list[dict[str, Any]]:
        """Rows ``{name, default, low, high, unit, description, source}`` for display."""
        return [
            {
                "name": p.name,
                "default": p.default,
                "low": p.bounds[0],
                "high": p.bounds[1],
                "unit": p.unit,
                "description": p.description,
                "source": p.source,
            }
            for p in self.parameters
        ]


def is_symbolic(x: Any) -> bool:
    """Whether `x` is a SymPy object (checked without importing SymPy).

    Examples
    --------
    >>> is_symbolic(1.5)
    False
    """
    return type(x).__module__.startswith("sympy")


def substitute(expr: Any, values: Mapping[str, float], *, where: str = "expression") -> float:
    """Evaluate a number or SymPy expression at named values, checking the result.

    Parameters
    ----------
    expr : float or sympy.Expr
    values : mapping of str to float
    where : str
        What the expression is (a node, a payoff), used in error messages.

    Examples
    --------
    >>> substitute(2.5, {})
    2.5
    """
    if not is_symbolic(expr):
        x = float(expr)
        name = where
    else:
        names = sorted(s.name for s in expr.free_symbols)
        missing = [n for n in names if n not in values]
        if missing:
            raise ParameterError(missing[0], f"{where} uses it but no value was given")
        name = names[0] if names else where
        value = expr.subs({s: values[s.name] for s in expr.free_symbols})
        x = float(value) if value.is_real and value.is_finite else math.nan
    if not math.isfinite(x):
        raise ParameterError(name, f"{where} evaluates to a non-finite value at {dict(values)}")
    return x
