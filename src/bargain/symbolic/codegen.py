"""Compile conditions to classifiers of parameter points: NumPy and Numba.

A classifier maps a float array ``X`` of shape ``(n_points, n_params)`` (columns in the
order of :attr:`Conditions.symbols`, the ParameterSet order) to an int64 array of case ids:
the index of the first case whose condition holds at the point, ``-1`` if none does (only
possible for NaN inputs).  An inequality ``d >= 0`` is evaluated as ``d >= -tol`` and
``d > 0`` as ``d > tol``, so values within `tol` of a tie follow the tie rule.

Two builds of the same conditions:

* :func:`numpy_classifier` uses :func:`sympy.lambdify` with the NumPy printer: vectorized,
  no compilation.
* :func:`classifier_source` writes a plain Python function (one loop over the points, the
  conditions as ``if``/``elif`` chains of float comparisons, printed with SymPy's Python
  code printer) that Numba can compile: it uses only ``math``, ``numpy`` and floats.
  :func:`numba_classifier` compiles it with :func:`numba.njit`.  A sweep that wants
  ``cache=True`` writes the source to a module file and imports it (Numba caches functions
  defined in files only); :mod:`bargain.sweep` does this.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy
from sympy.printing.pycode import PythonCodePrinter

from bargain.symbolic._inequalities import DNF, atoms_in

__all__ = ["classifier_source", "numba_classifier", "numpy_classifier"]


def _columns(symbols: Sequence[Any]) -> dict[Any, Any]:
    return {s: sympy.Symbol(f"_x{j}", real=True) for j, s in enumerate(symbols)}


def numpy_classifier(
    dnfs: Sequence[DNF], symbols: Sequence[Any], *, tol: float = 1e-10
) -> Callable[[np.ndarray], np.ndarray]:
    """Vectorized classifier (see the module docstring).

    Examples
    --------
    >>> import numpy as np, sympy
    >>> a = sympy.Symbol("a", real=True)
    >>> f = numpy_classifier([(((a - 1, False),),), (((1 - a, True),),)], [a])
    >>> f(np.array([[0.0], [1.0], [2.0]])).tolist()
    [1, 0, 0]
    """
    cols = _columns(symbols)
    atoms = atoms_in(tuple(c for dnf in dnfs for c in dnf))
    diffs = [d.xreplace(cols) for d, _ in atoms]
    args = [cols[s] for s in symbols]
    fn = sympy.lambdify(args, diffs, modules="numpy") if diffs else None
    index = {a: k for k, a in enumerate(atoms)}
    n_cases = len(dnfs)

    def classify(X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(symbols):
            raise ValueError(
                f"expected an array of shape (n_points, {len(symbols)}), got {X.shape}"
            )
        n = X.shape[0]
        values = fn(*X.T) if fn is not None else []
        truth = []
        for (_, strict), v in zip(atoms, values, strict=True):
            v = np.broadcast_to(np.asarray(v, dtype=float), (n,))
            truth.append(v > tol if strict else v >= -tol)
        hit = np.zeros((n_cases + 1, n), dtype=bool)
        for c, dnf in enumerate(dnfs):
            for conj in dnf:
                term = np.ones(n, dtype=bool)
                for a in conj:
                    term &= truth[index[a]]
                hit[c] |= term
        hit[n_cases] = True
        ids = np.argmax(hit, axis=0)
        ids[ids == n_cases] = -1
        return ids.astype(np.int64)

    return classify


class _Printer(PythonCodePrinter):
    """Python printer whose output Numba compiles (``math`` functions, float literals)."""

    def _print_Rational(self, expr: Any) -> str:
        return f"({float(expr.p)!r} / {float(expr.q)!r})"

    def _print_Integer(self, expr: Any) -> str:
        return repr(float(expr))


def classifier_source(
    dnfs: Sequence[DNF], symbols: Sequence[Any], *, tol: float = 1e-10, name: str = "classify"
) -> str:
    """Source of a Numba-compilable classifier function named `name`.

    Examples
    --------
    >>> import sympy
    >>> a = sympy.Symbol("a", real=True)
    >>> print(classifier_source([(((a - 1, False),),), (((1 - a, True),),)], [a]))
    ... # doctest: +NORMALIZE_WHITESPACE
    import math
    import numpy as np
    <BLANKLINE>
    <BLANKLINE>
    def classify(X):
        n = X.shape[0]
        out = np.full(n, -1, np.int64)
        for i in range(n):
            _x0 = X[i, 0]
            _a0 = (_x0 - 1.0) >= -1e-10
            _a1 = (1.0 - _x0) > 1e-10
            if _a0:
                out[i] = 0
            elif _a1:
                out[i] = 1
        return out
    """
    if not name.isidentifier():
        raise ValueError(f"name must be a Python identifier, got {name!r}")
    cols = _columns(symbols)
    printer = _Printer({"standard": "python3", "fully_qualified_modules": True})
    atoms = atoms_in(tuple(c for dnf in dnfs for c in dnf))
    index = {a: k for k, a in enumerate(atoms)}
    tol_s = repr(float(tol))
    used = set()
    for d, _ in atoms:
        used |= {cols[s] for s in d.free_symbols if s in cols}
    lines = [
        "import math",
        "import numpy as np",
        "",
        "",
        f"def {name}(X):",
        "    n = X.shape[0]",
        "    out = np.full(n, -1, np.int64)",
        "    for i in range(n):",
    ]
    for j, s in enumerate(symbols):
        if cols[s] in used:
            lines.append(f"        _x{j} = X[i, {j}]")
    for k, (d, strict) in enumerate(atoms):
        expr = printer.doprint(d.xreplace(cols))
        cmp = f"> {tol_s}" if strict else f">= -{tol_s}"
        lines.append(f"        _a{k} = ({expr}) {cmp}")
    first = True
    for c, dnf in enumerate(dnfs):
        if not dnf:
            continue
        terms = []
        for conj in dnf:
            terms.append("True" if not conj else " and ".join(f"_a{index[a]}" for a in conj))
        test = " or ".join(f"({t})" if len(dnf) > 1 else t for t in terms)
        lines.append(f"        {'if' if first else 'elif'} {test}:")
        lines.append(f"            out[i] = {c}")
        first = False
    lines.append("    return out")
    return "\n".join(lines) + "\n"


def python_classifier(source: str, name: str = "classify") -> Callable[[np.ndarray], np.ndarray]:
    """Execute generated source and return the (pure Python) function."""
    namespace: dict[str, Any] = {"math": math, "np": np}
    exec(compile(source, f"<bargain.symbolic:{name}>", "exec"), namespace)
    return namespace[name]


def numba_classifier(
    dnfs: Sequence[DNF], symbols: Sequence[Any], *, tol: float = 1e-10
) -> Callable[[np.ndarray], np.ndarray]:
    """The generated classifier compiled with ``numba.njit`` (compiles on first call)."""
    from numba import njit

    fn = njit(python_classifier(classifier_source(dnfs, symbols, tol=tol)))

    def classify(X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(symbols):
            raise ValueError(
                f"expected an array of shape (n_points, {len(symbols)}), got {X.shape}"
            )
        return fn(X)

    return classify
