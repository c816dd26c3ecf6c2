"""Designs of experiments that produce their points chunk by chunk.

A :class:`Design` is a small, picklable description (method, varied parameters, bounds,
size, seed) that computes any slice of its points on demand, so a 10⁸-point design never
sits in memory:

* ``grid``: full factorial; point ``i`` is unravelled from its index (first axis slowest,
  as in a nested loop).
* ``sobol``: scrambled Sobol' sequence (:class:`scipy.stats.qmc.Sobol`, seeded); a slice
  ``[a, b)`` is ``fast_forward(a)`` then ``random(b - a)`` — the same numbers as one long
  draw.  Balance needs ``n`` to be a power of 2.
* ``lhs``: Latin hypercube.  Point ``i`` in dimension ``j`` lies in stratum ``π_j(i)`` of
  ``n`` equal strata, jittered uniformly inside it, where ``π_j`` is a seeded pseudo-random
  permutation of ``0..n-1`` evaluated index by index (a Feistel network with cycle walking)
  — so memory is O(chunk), not O(n), and every stratum of every dimension holds exactly one
  point, as in a Latin hypercube.  (SciPy's ``LatinHypercube`` needs the whole sample at
  once; this one does not, and gives different numbers from it.)

Integer (structural) parameters are fixed at their defaults unless listed in `vary`;
varied integer parameters take whole values (grid: rounded axis; samples: ``n`` equal
strata of ``[low, high + 1)`` floored).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bargain.errors import ParameterError

__all__ = ["METHODS", "Design", "design"]

METHODS = ("grid", "lhs", "sobol")
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Design:
    """A design over a model's parameters; see :func:`design`.

    Attributes
    ----------
    method : str
        ``"grid"``, ``"lhs"`` or ``"sobol"``.
    names : tuple of str
        All parameter names, in the model's order (the columns of every point array).
    vary : tuple of str
        The varied parameters.
    bounds : tuple of (float, float)
        Low and high of each varied parameter (grid: first and last axis value).
    axes : tuple of tuple of float
        Grid values per varied parameter (grid only; empty otherwise).
    integer : tuple of bool
        Whether each varied parameter is integer.
    base : tuple of float
        Values of every parameter (defaults with `fixed` applied) before the varied ones
        are filled in.
    n : int
        Number of points.
    seed : int
    """

    method: str
    names: tuple[str, ...]
    vary: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    axes: tuple[tuple[float, ...], ...]
    integer: tuple[bool, ...]
    base: tuple[float, ...]
    n: int
    seed: int = 0

    def __len__(self) -> int:
        return self.n

    def n_chunks(self, size: int) -> int:
        """Number of chunks of `size` points (the last one may be shorter)."""
        return -(-self.n // _chunk_size(size))

    def points(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Points ``start .. stop-1`` as an array ``(stop - start, len(names))``.

        Examples
        --------
        >>> from bargain.games.parameters import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1)), Parameter("s", 1, (0, 2))])
        >>> design(ps, method="grid", vary={"q": (0, 1, 3)}).points(1, 3).tolist()
        [[0.5, 1.0], [1.0, 1.0]]
        """
        stop = self.n if stop is None else min(int(stop), self.n)
        start = int(start)
        if not 0 <= start <= stop:
            raise ParameterError("points", f"need 0 <= start <= stop <= {self.n}")
        out = np.tile(np.asarray(self.base, dtype=float), (stop - start, 1))
        cols = [self.names.index(v) for v in self.vary]
        if self.method == "grid":
            shape = tuple(len(a) for a in self.axes)
            idx = np.unravel_index(np.arange(start, stop, dtype=np.int64), shape)
            for c, axis, i in zip(cols, self.axes, idx, strict=True):
                out[:, c] = np.asarray(axis)[i]
            return out
        return self._fill(out, cols, self._unit(start, stop))

    def _fill(self, out: np.ndarray, cols: list[int], unit: np.ndarray) -> np.ndarray:
        for j, c in enumerate(cols):
            lo, hi = self.bounds[j]
            if self.integer[j]:
                out[:, c] = np.minimum(np.floor(lo + unit[:, j] * (hi - lo + 1)), hi)
            else:
                out[:, c] = lo + unit[:, j] * (hi - lo)
        return out

    def chunk(self, index: int, size: int) -> np.ndarray:
        """The `index`-th chunk of `size` points (random access, for resuming and workers)."""
        size = _chunk_size(size)
        return self.points(index * size, (index + 1) * size)

    def chunks(self, size: int) -> Iterator[np.ndarray]:
        """Yield the points `size` at a time, in order; memory stays O(size).

        Examples
        --------
        >>> from bargain.games.parameters import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1))])
        >>> d = design(ps, method="sobol", n=8, seed=1)
        >>> [c.shape for c in d.chunks(3)]
        [(3, 1), (3, 1), (2, 1)]
        """
        size = _chunk_size(size)
        if self.method != "sobol":
            for k in range(self.n_chunks(size)):
                yield self.chunk(k, size)
            return
        engine = self._sobol()
        for lo in range(0, self.n, size):
            hi = min(lo + size, self.n)
            with warnings.catch_warnings():
                # a chunk need not be a power of 2: the design as a whole is what is balanced
                warnings.filterwarnings("ignore", "The balance properties of Sobol")
                unit = engine.random(hi - lo)
            yield self._scale(unit, lo, hi)

    def _scale(self, unit: np.ndarray, start: int, stop: int) -> np.ndarray:
        out = np.tile(np.asarray(self.base, dtype=float), (stop - start, 1))
        return self._fill(out, [self.names.index(v) for v in self.vary], unit)

    def _sobol(self) -> Any:
        from scipy.stats import qmc

        return qmc.Sobol(len(self.vary), scramble=True, rng=np.random.default_rng(self.seed))

    def _unit(self, start: int, stop: int) -> np.ndarray:
        if self.method == "sobol":
            engine = self._sobol()
            if start > 0:
                engine.fast_forward(start)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "The balance properties of Sobol")
                return engine.random(stop - start)
        return _lhs_unit(self.n, len(self.vary), self.seed, start, stop)

    def spec(self) -> dict[str, Any]:
        """A JSON-ready description (method, n, seed, varied bounds or axes, fixed values);
        equal specs give equal points.

        Examples
        --------
        >>> from bargain.games.parameters import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1)), Parameter("s", 1, (0, 2))])
        >>> design(ps, method="lhs", n=4, vary=["q"], seed=3).spec()["vary"]
        {'q': [0.0, 1.0]}
        """
        vary: dict[str, Any]
        if self.method == "grid":
            vary = {v: [float(x) for x in a] for v, a in zip(self.vary, self.axes, strict=True)}
        else:
            vary = {v: list(b) for v, b in zip(self.vary, self.bounds, strict=True)}
        fixed = {k: v for k, v in zip(self.names, self.base, strict=True) if k not in self.vary}
        return {
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "vary": vary,
            "fixed": fixed,
            "parameters": list(self.names),
        }


def _chunk_size(size: Any) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ParameterError("chunk_size", f"must be a whole number >= 1, got {size!r}")
    return int(size)


def design(
    model_or_parameters: Any,
    *,
    method: str = "grid",
    n: int | None = None,
    vary: Sequence[str] | Mapping[str, Any] | None = None,
    seed: int = 0,
    fixed: Mapping[str, float] | None = None,
) -> Design:
    """A grid, Latin hypercube or scrambled Sobol' design over a model's parameters.

    Parameters
    ----------
    model_or_parameters : Model, str or ParameterSet
        A model (or its name) or a parameter set.
    method : {"grid", "lhs", "sobol"}
    n : int, optional
        Samples (``lhs``, ``sobol``: the number of points, required); grid: values per
        axis for axes given by name only (default 11).
    vary : sequence of str or mapping, optional
        The parameters to vary; default: every non-integer parameter whose bounds are not
        a single value.  A mapping gives each one's range: ``(low, high)`` for samples, and
        for grids ``(low, high, k)`` or a sequence of values.  Unlisted parameters stay at
        their defaults (or `fixed`); ranges must lie within the declared bounds.
    seed : int
        Seed of the sample (recorded in :meth:`Design.spec`; unused by grids).
    fixed : mapping, optional
        Values of parameters that are not varied.

    Returns
    -------
    Design

    Raises
    ------
    ParameterError
        Unknown method or parameter, a range outside the bounds, a missing `n`.

    Examples
    --------
    >>> import bargain as bg
    >>> d = design(bg.load_model("entry_deterrence"), method="sobol", n=1024, seed=0)
    >>> len(d), d.vary
    (1024, ('entrant_profit', 'fight_cost', 'monopoly_profit', 'commitment_cost'))
    >>> d.chunk(0, 2).shape
    (2, 4)
    """
    params = _parameter_set(model_or_parameters)
    if method not in METHODS:
        raise ParameterError("method", f"unknown design {method!r}; choose from {METHODS}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError("seed", f"must be a whole number >= 0, got {seed!r}")
    fixed = dict(fixed or {})
    base_values = params.resolve(**fixed)
    if vary is None:
        vary = [p.name for p in params.parameters if not p.integer and p.bounds[0] < p.bounds[1]]
    spec = dict(vary) if isinstance(vary, Mapping) else {name: None for name in vary}
    if not spec:
        raise ParameterError("vary", "name at least one parameter to vary")
    for name in spec:
        params[name]  # unknown names raise ParameterError
        if name in fixed:
            raise ParameterError(name, "is both varied and fixed")
    names = tuple(params.names)
    order = tuple(spec)
    integer = tuple(params[v].integer for v in order)
    base = tuple(float(base_values[k]) for k in names)
    if method == "grid":
        per_axis = 11 if n is None else _count("n", n)
        axes = []
        for name, rng in spec.items():
            p = params[name]
            axes.append(_axis(name, (*p.bounds, per_axis) if rng is None else rng, p))
        total = int(np.prod([len(a) for a in axes], dtype=object))
        bounds = tuple((float(a[0]), float(a[-1])) for a in axes)
        return Design(
            "grid",
            names,
            order,
            bounds,
            tuple(tuple(float(x) for x in a) for a in axes),
            integer,
            base,
            total,
            int(seed),
        )
    if n is None:
        raise ParameterError("n", f"a {method} design needs the number of points n")
    bounds = tuple(_bounds(name, rng, params[name]) for name, rng in spec.items())
    return Design(method, names, order, bounds, (), integer, base, _count("n", n), int(seed))


def _count(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(name, f"must be a whole number >= 1, got {n!r}")
    return int(n)


def _bounds(name: str, rng: Any, param: Any) -> tuple[float, float]:
    if rng is None:
        lo, hi = param.bounds
    else:
        try:
            lo, hi = (float(v) for v in rng)
        except (TypeError, ValueError):
            raise ParameterError(name, f"range must be (low, high), got {rng!r}") from None
        if not lo <= hi:
            raise ParameterError(name, f"range must have low <= high, got ({lo:g}, {hi:g})")
        param.validate(lo)
        param.validate(hi)
    return float(lo), float(hi)


def _parameter_set(obj: Any) -> Any:
    if isinstance(obj, str):
        from bargain.models import load_model

        obj = load_model(obj)
    from bargain.games.parameters import ParameterSet

    if isinstance(obj, ParameterSet):
        return obj
    params = getattr(obj, "parameters", None)
    if not isinstance(params, ParameterSet):
        raise ParameterError("model", f"expected a Model or ParameterSet, got {type(obj).__name__}")
    return params


# --- Latin hypercube by index: keyed Feistel permutation + counter-based jitter -----------


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finalizer on a uint64 array (wraps modulo 2**64)."""
    z = x + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _key(seed: int, dim: int, round_: int) -> np.ndarray:
    x = np.array([(seed * 1_000_003 + dim) * 64 + round_], dtype=np.uint64)
    return _mix(_mix(x))


def _feistel(x: np.ndarray, half: int, keys: list[np.ndarray]) -> np.ndarray:
    mask = np.uint64((1 << half) - 1)
    h = np.uint64(half)
    left, right = x >> h, x & mask
    for k in keys:
        left, right = right, left ^ (_mix(right ^ k) & mask)
    return (left << h) | right


def _permute(i: np.ndarray, n: int, seed: int, dim: int) -> np.ndarray:
    """A seeded permutation of ``0..n-1`` evaluated at the indices `i` (cycle walking)."""
    half = max(1, (max(n - 1, 1).bit_length() + 1) // 2)
    keys = [_key(seed, dim, r) for r in range(4)]
    y = _feistel(i.astype(np.uint64), half, keys)
    out = y >= np.uint64(n)
    while out.any():
        y[out] = _feistel(y[out], half, keys)
        out = y >= np.uint64(n)
    return y


def _lhs_unit(n: int, d: int, seed: int, start: int, stop: int) -> np.ndarray:
    i = np.arange(start, stop, dtype=np.uint64)
    unit = np.empty((stop - start, d))
    for j in range(d):
        stratum = _permute(i, n, seed, j).astype(np.float64)
        jitter = (_mix(i ^ _key(seed, j, 63)) >> np.uint64(11)).astype(np.float64) * 2.0**-53
        unit[:, j] = (stratum + jitter) / n
    return unit


def _axis(name: str, spec: Any, param: Any) -> np.ndarray:
    if (
        isinstance(spec, tuple)
        and len(spec) == 3
        and all(isinstance(v, (int, float)) for v in spec)
    ):
        lo, hi, n = spec
        if int(n) != n or n < 1:
            raise ParameterError(name, f"grid size must be a positive whole number, got {n}")
        values = np.linspace(float(lo), float(hi), int(n))
    else:
        values = np.asarray(spec, dtype=float).ravel()
        if values.size == 0:
            raise ParameterError(name, "grid has no values")
    for v in (values.min(), values.max()):
        param.validate(v)
    if param.integer:
        values = np.unique(np.round(values))
    return values
