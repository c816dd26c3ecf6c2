"""Generate and load Numba kernel modules for a symbolic tree (used by ``trees.points``).

:func:`leaf_source` prints the SymPy expressions of a flattened tree as Python source for

.. code-block:: python

    @njit(cache=True)
    def _leaves(p, out_payoffs, out_probs):
        ...  # out_payoffs[leaf, player] = f(p); out_probs[edge] = g(p)

where ``p`` is one parameter point (a row of a points array).  Common subexpressions are
shared (:func:`sympy.cse`), floats are printed exactly (``repr``), and only ``math``
functions and builtins Numba supports are used.  Only the symbolic entries are written; the
caller pre-fills the numeric ones once.  :func:`unrolled_source` and
:func:`generic_source` wrap the leaves into a whole module: the tree walk and a ``prange``
loop over parameter points, so a sweep never leaves compiled code.

:func:`load_kernel_module` writes generated source to a cache folder under the SHA-256 of
the source and imports it by path, so that Numba's ``cache=True`` works for it: a second
process that generates the same source reuses the compiled machine code.  The folder is
``$BARGAIN_CACHE_DIR/kernels`` if set, else ``$XDG_CACHE_HOME/bargain/kernels`` or
``~/.cache/bargain/kernels``; when that is not writable, a folder in the system temporary
directory that only the current user can write to (else a fresh private one per process).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from bargain.errors import ParameterError
from bargain.games.flat import DECISION, TERMINAL
from bargain.games.parameters import is_symbolic

__all__ = [
    "generic_source",
    "kernel_cache_dir",
    "leaf_lines",
    "leaf_source",
    "load_kernel_module",
    "unrolled_source",
]

_LOADED: dict[str, ModuleType] = {}


def _printer():
    from sympy.printing.pycode import PythonCodePrinter

    class _Printer(PythonCodePrinter):
        def _print_Float(self, expr: Any) -> str:
            return repr(float(expr))

        def _print_Rational(self, expr: Any) -> str:
            return repr(float(expr))

    return _Printer({"fully_qualified_modules": True, "standard": "python3"})


def leaf_source(flat: Any, param_names: Sequence[str], *, name: str = "_leaves") -> str:
    """Python source of an ``@njit`` function writing the symbolic leaves of `flat`.

    Parameters
    ----------
    flat : FlatTree
        A flattened tree (``tree.flatten()``).
    param_names : sequence of str
        Column order of a parameter point ``p``.
    name : str
        Name of the generated function.

    Returns
    -------
    str
        Source defining ``name(p, out_payoffs, out_probs)``; it needs ``math`` and ``njit``
        in its module.

    Raises
    ------
    ParameterError
        If an expression uses a symbol that is not in `param_names`.

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal, Parameter, ParameterSet
    >>> ps = ParameterSet([Parameter("a", 1.0, (0, 2))])
    >>> (a,) = ps.symbols()
    >>> t = GameTree(("A",), Decision("A", {"x": Terminal(a / 2), "y": Terminal(1)}),
    ...              parameters=ps)
    >>> print(leaf_source(t.flatten(), ["a"]))
    @njit(cache=True)
    def _leaves(p, out_payoffs, out_probs):
        _x0 = p[0]
        out_payoffs[0, 0] = (0.5)*_x0
    """
    lines = ["@njit(cache=True)", f"def {name}(p, out_payoffs, out_probs):"]
    body = leaf_lines(
        flat,
        param_names,
        payoff=lambda r, j: f"out_payoffs[{r}, {j}]",
        prob=lambda e: f"out_probs[{e}]",
        point=lambda k: f"p[{k}]",
    )
    lines += ["    " + b for b in body] or ["    return"]
    return "\n".join(lines)


def leaf_lines(
    flat: Any,
    param_names: Sequence[str],
    *,
    payoff: Callable[[int, int], str],
    prob: Callable[[int], str],
    point: Callable[[int], str],
) -> list[str]:
    """Assignment lines computing the symbolic leaves of `flat` (no indentation).

    `payoff(leaf_row, player)`, `prob(edge)` and `point(column)` give the target and
    source expressions; parameters are loaded into ``_x<column>``, common subexpressions
    into ``_c<k>``.  Numeric entries are not written.

    Examples
    --------
    >>> from bargain import Chance, GameTree, Terminal, Parameter, ParameterSet
    >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1))])
    >>> (q,) = ps.symbols()
    >>> t = GameTree(("A",), Chance({"x": (q, Terminal(1)), "y": (1 - q, Terminal(0))}),
    ...              parameters=ps)
    >>> leaf_lines(t.flatten(), ["q"], payoff=lambda r, j: f"v{r}", prob=lambda e: f"q{e}",
    ...            point=lambda k: f"row[{k}]")
    ['_x0 = row[0]', 'q0 = _x0', 'q1 = 1 - _x0']
    """
    import sympy

    index = {n: j for j, n in enumerate(param_names)}
    targets: list[str] = []
    exprs: list[Any] = []
    for r, row in enumerate(flat.payoff_exprs):
        for j, x in enumerate(row):
            if is_symbolic(x):
                targets.append(payoff(r, j))
                exprs.append(x)
    for edge, x in flat.prob_exprs:
        if is_symbolic(x):
            targets.append(prob(edge))
            exprs.append(x)
    used: dict[Any, Any] = {}
    for e in exprs:
        for s in sorted(e.free_symbols, key=lambda s: s.name):
            if s.name not in index:
                known = ", ".join(param_names) or "none"
                raise ParameterError(
                    s.name, f"the tree uses it but the points have no such column ({known})"
                )
            used[s] = sympy.Symbol(f"_x{index[s.name]}")
    exprs = [e.xreplace(used) for e in exprs]
    subs, reduced = sympy.cse(exprs, symbols=sympy.numbered_symbols("_c"))
    pr = _printer()
    lines = [f"_x{j} = {point(j)}" for j in sorted({index[s.name] for s in used})]
    lines += [f"{sym} = {pr.doprint(e)}" for sym, e in subs]
    lines += [f"{t} = {pr.doprint(e)}" for t, e in zip(targets, reduced, strict=True)]
    return lines


def kernel_cache_dir() -> Path:
    """The writable folder generated kernel modules are written to (created if needed).

    Examples
    --------
    >>> kernel_cache_dir().is_dir()
    True
    """
    env = os.environ.get("BARGAIN_CACHE_DIR")
    if env:
        first = Path(env) / "kernels"
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        first = Path(base) / "bargain" / "kernels"
    if _writable(first):
        return first
    # shared temporary folder: a per-user subfolder that only this user can write to
    # (generated code is imported from it, so nobody else may plant files there)
    uid = os.getuid() if hasattr(os, "getuid") else None
    shared = Path(tempfile.gettempdir()) / f"bargain-{uid if uid is not None else 'user'}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        st = shared.stat()
        private = uid is None or (st.st_uid == uid and not st.st_mode & 0o022)
    except OSError:
        private = False
    if private and _writable(shared / "kernels"):
        return shared / "kernels"
    global _PRIVATE_TMP
    if _PRIVATE_TMP is None:
        _PRIVATE_TMP = Path(tempfile.mkdtemp(prefix="bargain-kernels-"))
    return _PRIVATE_TMP


_PRIVATE_TMP: Path | None = None


def _writable(d: Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
        probe = d / f".probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError:
        return False
    return True


def load_kernel_module(source: str, *, prefix: str = "bargain_kernel") -> ModuleType:
    """Write `source` to the cache folder (named by its SHA-256) and import it.

    The file is written once (atomically) and never rewritten, so Numba's on-disk cache of
    the functions in it stays valid across processes.

    Examples
    --------
    >>> mod = load_kernel_module("ANSWER = 42\\n")
    >>> mod.ANSWER
    42
    """
    digest = hashlib.sha256(source.encode()).hexdigest()
    if digest in _LOADED:
        return _LOADED[digest]
    folder = kernel_cache_dir()
    path = folder / f"{prefix}_{digest[:32]}.py"
    if not (path.is_file() and path.read_text() == source):
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    name = path.stem
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - defensive
        raise ImportError(f"cannot import generated kernel {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _LOADED[digest] = module
    return module


_GENERIC = '''\
"""Generated by bargain.solvers.trees.points: backward induction over parameter points."""
import math

import numpy as np
from numba import njit, prange

{leaves}


@njit(cache=True)
def _walk(kind, player, child_start, n_children, children, prob, leaf, pay, pref, off, tol,
          val, key, n_leaf, leaf_sum):
    n_pl = pay.shape[1]
    for i in range(kind.shape[0] - 1, -1, -1):
        k = kind[i]
        if k == 0:
            r = leaf[i]
            for j in range(n_pl):
                val[i, j] = pay[r, j]
            key[i] = 0
            n_leaf[i] = 1
            leaf_sum[i] = r
        elif k == 1:
            s = child_start[i]
            m = n_children[i]
            pl = player[i]
            best = -np.inf
            for a in range(m):
                v = val[children[s + a], pl]
                if v > best:
                    best = v
            thr = best - tol * max(1.0, abs(best))
            c = -1
            for a in range(m):
                if pref[s + a] == 1 and val[children[s + a], pl] >= thr:
                    c = a
                    break
            if c < 0:
                for a in range(m):
                    if val[children[s + a], pl] >= thr:
                        c = a
                        break
            if c < 0:
                c = m - 1
            ch = children[s + c]
            for j in range(n_pl):
                val[i, j] = val[ch, j]
            key[i] = off[s + c] + key[ch]
            n_leaf[i] = n_leaf[ch]
            leaf_sum[i] = leaf_sum[ch]
        else:
            s = child_start[i]
            m = n_children[i]
            for j in range(n_pl):
                acc = 0.0
                for a in range(m):
                    acc += prob[s + a] * val[children[s + a], j]
                val[i, j] = acc
            kacc = 0
            nacc = 0
            lacc = 0
            for a in range(m):
                if prob[s + a] > 0:
                    ch = children[s + a]
                    kacc += off[s + a] * (key[ch] + 1)
                    nacc += n_leaf[ch]
                    lacc += leaf_sum[ch]
            key[i] = kacc
            n_leaf[i] = nacc
            leaf_sum[i] = lacc
    return key[0], leaf_sum[0] if n_leaf[0] == 1 else -1


@njit(cache=True)
def _solve_range(points, lo, hi, kind, player, child_start, n_children, children, prob0, leaf,
                 pay0, pref, off, tol, out_pay, out_key, out_leaf):
    n_nodes = kind.shape[0]
    n_pl = pay0.shape[1]
    pay = pay0.copy()
    prob = prob0.copy()
    val = np.empty((n_nodes, n_pl))
    key = np.empty(n_nodes, np.int64)
    n_leaf = np.empty(n_nodes, np.int64)
    leaf_sum = np.empty(n_nodes, np.int64)
    for i in range(lo, hi):
        _leaves(points[i], pay, prob)
        k, lf = _walk(kind, player, child_start, n_children, children, prob, leaf, pay,
                      pref, off, tol, val, key, n_leaf, leaf_sum)
        out_key[i] = k
        out_leaf[i] = lf
        for j in range(n_pl):
            out_pay[i, j] = val[0, j]


@njit(cache=True, parallel=True)
def _solve_points(points, chunk, kind, player, child_start, n_children, children, prob0, leaf,
                  pay0, pref, off, tol, out_pay, out_key, out_leaf):
    n = points.shape[0]
    n_chunks = (n + chunk - 1) // chunk
    for c in prange(n_chunks):
        _solve_range(points, c * chunk, min(n, (c + 1) * chunk), kind, player, child_start,
                     n_children, children, prob0, leaf, pay0, pref, off, tol, out_pay,
                     out_key, out_leaf)
'''


def generic_source(flat: Any, param_names: Sequence[str]) -> str:
    """Source of a kernel module walking the tree arrays (for large trees).

    The leaf function comes from :func:`leaf_source`; the walk, the same tie rule as
    :func:`unrolled_source`, takes the flattened arrays, the preference per edge and the
    path-key multipliers as arguments.  Defines ``_solve_range(points, lo, hi, kind,
    player, child_start, n_children, children, prob0, leaf, pay0, pref, off, tol, out_pay,
    out_key, out_leaf)`` and ``_solve_points(points, chunk, ...)``.
    """
    return _GENERIC.format(leaves=leaf_source(flat, param_names))


def unrolled_source(flat: Any, names: Sequence[str], pref: Any, off: Any) -> str:
    """Source of a kernel module specialized to one tree and one tie preference.

    Straight-line, branch-free code: the leaves, then every node from the last to the root
    (decision: the tie rule with the preferred edges `pref` tried first, as 0/1 weights;
    chance: the weighted sum),
    carrying up the path key (``off``: see ``points._path_code``), the number of leaves
    reached with positive probability and the sum of their rows (the leaf when there is
    one).  No nesting, so deep trees do not hit Python's indentation limit.  Defines
    ``_solve_range(points, lo, hi, tol, out_pay, out_key, out_leaf)`` and its ``prange``
    driver ``_solve_points(points, chunk, tol, ...)``.
    """
    n_pl = flat.n_players
    kids = [
        [
            int(c)
            for c in flat.children[flat.child_start[i] : flat.child_start[i] + flat.n_children[i]]
        ]
        for i in range(flat.n_nodes)
    ]
    leaf = flat.leaf.tolist()

    def key(c: int) -> str:  # path key, leaves reached, sum of their rows: literals at leaves
        return "0" if flat.kind[c] == TERMINAL else f"k{c}"

    def n_reached(c: int) -> str:
        return "1" if flat.kind[c] == TERMINAL else f"n{c}"

    def rows(c: int) -> str:
        return str(leaf[c]) if flat.kind[c] == TERMINAL else f"l{c}"

    body = leaf_lines(
        flat,
        names,
        payoff=lambda r, j: f"v{int(flat.leaf_node[r])}_{j}",
        prob=lambda e: f"q{e}",
        point=lambda k: f"points[i, {k}]",
    )
    for r, row in enumerate(flat.payoff_exprs):
        for j, x in enumerate(row):
            if not is_symbolic(x):
                body.append(f"v{int(flat.leaf_node[r])}_{j} = {float(x)!r}")
    for e, x in flat.prob_exprs:
        if not is_symbolic(x):
            body.append(f"q{e} = {float(x)!r}")
    for i in range(flat.n_nodes - 1, -1, -1):
        s = int(flat.child_start[i])
        if flat.kind[i] == DECISION:
            pl = int(flat.player[i])
            order = [a for a in range(len(kids[i])) if pref[s + a]]
            order += [a for a in range(len(kids[i])) if not pref[s + a]]
            if len(order) == 1:
                c = kids[i][0]
                body += [f"v{i}_{j} = v{c}_{j}" for j in range(n_pl)]
                body += [f"k{i} = {int(off[s])} + {key(c)}", f"n{i} = {n_reached(c)}"]
                body.append(f"l{i} = {rows(c)}")
                continue
            body.append(f"b = v{kids[i][0]}_{pl}")
            body += [f"b = max(b, v{c}_{pl})" for c in kids[i][1:]]
            body.append("t = b - tol * max(1.0, abs(b))")
            # branch-free tie rule: w<edge> = 1 for the first optimal action in `order`
            # (the last one if no comparison holds, e.g. NaN), 0 otherwise; values are
            # blended arithmetically (x * 1.0 + y * 0.0 == x for finite y): random points
            # make branches unpredictable, and this measured ~2x faster than if/else.
            body.append("free = 1")
            for rank, a in enumerate(order):
                c, e = kids[i][a], s + a
                if rank == len(order) - 1:
                    body.append(f"w{e} = free")
                else:
                    body.append(f"w{e} = free * (v{c}_{pl} >= t)")
                    body.append(f"free -= w{e}")
                body.append(f"f{e} = w{e} * 1.0")
            for j in range(n_pl):
                terms = " + ".join(f"f{s + a} * v{c}_{j}" for a, c in enumerate(kids[i]))
                body.append(f"v{i}_{j} = {terms}")
            k_terms = " + ".join(
                f"w{s + a} * ({int(off[s + a])} + {key(c)})" for a, c in enumerate(kids[i])
            )
            n_terms = " + ".join(f"w{s + a} * {n_reached(c)}" for a, c in enumerate(kids[i]))
            l_terms = " + ".join(f"w{s + a} * {rows(c)}" for a, c in enumerate(kids[i]))
            body += [f"k{i} = {k_terms}", f"n{i} = {n_terms}", f"l{i} = {l_terms}"]
        elif flat.kind[i] != TERMINAL:
            for j in range(n_pl):
                terms = " + ".join(f"q{s + a} * v{c}_{j}" for a, c in enumerate(kids[i]))
                body.append(f"v{i}_{j} = {terms}")
            # branch-free: (q > 0) is 0 or 1 (measured faster than if/else here)
            body += [f"z{s + a} = q{s + a} > 0" for a in range(len(kids[i]))]
            k_terms = " + ".join(
                f"{int(off[s + a])} * ({key(c)} + 1) * z{s + a}" for a, c in enumerate(kids[i])
            )
            n_terms = " + ".join(f"{n_reached(c)} * z{s + a}" for a, c in enumerate(kids[i]))
            l_terms = " + ".join(f"{rows(c)} * z{s + a}" for a, c in enumerate(kids[i]))
            body += [f"k{i} = {k_terms}", f"n{i} = {n_terms}", f"l{i} = {l_terms}"]
    body += [f"out_pay[i, {j}] = v0_{j}" for j in range(n_pl)]
    body.append(f"out_key[i] = {key(0)}")
    body.append(f"out_leaf[i] = {rows(0)} * ({n_reached(0)} == 1) - ({n_reached(0)} != 1)")
    lines = [
        '"""Generated by bargain.solvers.trees.points: backward induction over points."""',
        "import math",
        "",
        "import numpy as np",
        "from numba import njit, prange",
        "",
        "",
        "@njit(cache=True)",
        "def _solve_range(points, lo, hi, tol, out_pay, out_key, out_leaf):",
        "    for i in range(lo, hi):",
    ]
    lines += ["        " + b for b in body]
    lines += [
        "",
        "",
        "@njit(cache=True, parallel=True)",
        "def _solve_points(points, chunk, tol, out_pay, out_key, out_leaf):",
        "    n = points.shape[0]",
        "    n_chunks = (n + chunk - 1) // chunk",
        "    for c in prange(n_chunks):",
        "        _solve_range(points, c * chunk, min(n, (c + 1) * chunk), tol, out_pay, out_key,",
        "                     out_leaf)",
    ]
    return "\n".join(lines) + "\n"
