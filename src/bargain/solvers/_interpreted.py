"""Interpreted twins of Numba kernels, for inputs too small to be worth a compile.

A Numba kernel compiles on its first call in a process with an empty cache, which costs
seconds for the larger kernels (backward induction's enumeration: 7-30 s on a loaded
2-core machine). On a tree of a few dozen nodes the same Python code, run by the
interpreter, takes a fraction of a millisecond. :func:`interpreted` returns that twin:
the kernel's own Python function (``dispatcher.py_func``), with every Numba kernel it
calls replaced by that kernel's twin in turn, so nothing in the call compiles. It runs
the very same statements on the very same NumPy arrays, so its answers are the kernel's;
the tests check that they are identical.

Examples
--------
>>> import numpy as np
>>> from numba import njit
>>> @njit(cache=False)
... def double(x):
...     return 2 * x
>>> interpreted(double)(np.arange(3)).tolist()  # runs without compiling
[0, 2, 4]
>>> double.signatures
[]
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable
from typing import Any

__all__ = [
    "HOT_CALLS",
    "INTERPRETED_MAX_NODES",
    "INTERPRETED_MAX_STRATEGIES",
    "interpreted",
    "is_ready",
    "override",
    "tiered",
]

#: Trees of at most this many nodes are solved by the interpreted twins of the
#: backward-induction kernels: a fraction of a millisecond, where a first compile costs
#: seconds.  Larger trees use the compiled kernels.
INTERPRETED_MAX_NODES = 64

#: Two-player normal forms with at most this many strategies in all (``m + n``) are
#: solved by vertex enumeration with the interpreted twins of its kernels (reverse
#: search, partners, label pairing) and pure equilibria by that of ``_pure_nash_mask``:
#: a first compile costs 10-25 s of CPU and loading the cached kernels ~0.1-1.3 s, while
#: the interpreter takes (median of random games, loaded 2-core machine) 1-8 ms up to
#: 4x4, 21 ms at 5x5, 56 ms at 6x6 and 0.36 s at 8x8.
INTERPRETED_MAX_STRATEGIES = 12

#: :func:`tiered` runs a kernel's twin at most this many times in a process before it
#: compiles the kernel anyway (a job that solves many small games pays one compile and
#: then a fraction of the interpreter's time per game)
HOT_CALLS = 30

_TWINS: dict[int, Callable[..., Any]] = {}
_OVERRIDES: dict[int, Callable[..., Any]] = {}


def _is_kernel(obj: Any) -> bool:
    return hasattr(obj, "py_func") and hasattr(obj, "signatures")


def interpreted(kernel: Any, *, own: bool = False) -> Callable[..., Any]:
    """The interpreted twin of a Numba kernel (see the module docstring).

    Parameters
    ----------
    kernel : numba dispatcher
        A function decorated with ``@njit``.
    own : bool
        The kernel's own statements even where :func:`override` replaced them (what an
        override falls back to); the kernels it calls are still twins.

    Returns
    -------
    callable
        The kernel's Python function, calling the twins of the kernels it calls.
    """
    if not _is_kernel(kernel):
        # NUMBA_DISABLE_JIT=1 (debugging, mutation testing): @njit returns the plain
        # function, which already runs in the interpreter.
        return kernel
    key = id(kernel)
    if key in _OVERRIDES and not own:
        return _OVERRIDES[key]
    if key in _TWINS:
        return _TWINS[key]
    fn = kernel.py_func
    scope = dict(fn.__globals__)
    twin = types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)
    _TWINS[key] = twin  # before recursing, so that recursive kernels terminate
    for name in fn.__code__.co_names:
        value = scope.get(name)
        if _is_kernel(value):
            scope[name] = interpreted(value)
    return twin


def override(kernel: Any, fn: Callable[..., Any]) -> None:
    """Make the interpreted twins call `fn` wherever they would run `kernel`'s statements.

    For the innermost kernels, whose scalar loops the interpreter is slowest at: `fn`
    computes the same result with whole-array NumPy operations (its module says how it
    relates to the kernel).  Twins built before the call are built again.

    Examples
    --------
    >>> from numba import njit
    >>> @njit(cache=False)
    ... def inner(x):
    ...     return x + 1
    >>> @njit(cache=False)
    ... def outer(x):
    ...     return inner(x) * 2
    >>> override(inner, lambda x: x + 1.0)
    >>> interpreted(outer)(1), inner.signatures
    (4.0, [])
    """
    if not _is_kernel(kernel):
        return
    _OVERRIDES[id(kernel)] = fn
    _TWINS.clear()


_CALLS: dict[int, int] = {}


def _ready(kernel: Any) -> bool:
    """True when calling the compiled `kernel` costs no compile: it has a signature in
    this process, or an index in Numba's on-disk cache (loading it takes milliseconds)."""
    if kernel.signatures:
        return True
    cache_file = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
    index = getattr(cache_file, "_index_path", None)
    return bool(index) and os.path.exists(index)


def is_ready(kernel: Any) -> bool:
    """Whether calling `kernel` costs no compile (see :func:`tiered`); True for a plain
    function (``NUMBA_DISABLE_JIT=1``).

    Examples
    --------
    >>> from numba import njit
    >>> @njit(cache=False)
    ... def one():
    ...     return 1
    >>> is_ready(one), one(), is_ready(one)
    (False, 1, True)
    """
    return not _is_kernel(kernel) or _ready(kernel)


def tiered(kernel: Any, small: bool) -> Callable[..., Any]:
    """The compiled `kernel`, or its interpreted twin while that is cheaper.

    For a small input (`small`), the twin is used as long as the kernel is neither
    compiled in this process nor in Numba's cache, and at most :data:`HOT_CALLS` times:
    one small game never waits for a compile, and many small games get the compiled
    kernel's speed after a few calls.  Large inputs always get the kernel.

    Parameters
    ----------
    kernel : numba dispatcher
    small : bool
        Whether the input is small enough for the interpreter (the caller's bound).

    Returns
    -------
    callable

    Examples
    --------
    >>> import numpy as np
    >>> from numba import njit
    >>> @njit(cache=False)
    ... def triple(x):
    ...     return 3 * x
    >>> tiered(triple, True)(np.arange(2)).tolist(), triple.signatures
    ([0, 3], [])
    >>> tiered(triple, False) is triple
    True
    """
    if not small or not _is_kernel(kernel) or _ready(kernel):
        return kernel
    key = id(kernel)
    calls = _CALLS.get(key, 0)
    if calls >= HOT_CALLS:
        return kernel
    _CALLS[key] = calls + 1
    return interpreted(kernel)
