"""Exact rational arithmetic for equilibria: payoffs as fractions, exact regret, recovery.

A float payoff is read as the simplest fraction that rounds to it when every payoff of the
game has such a fraction with a small denominator (integers, ``0.5``, ``0.1``, ``1/3``
typed as a float): that is the game the user meant.  Otherwise each float is taken at its
exact binary value, which is also a rational number.  Either way the reading is exact, and
:func:`verify_exact` then decides the equilibrium property without rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from bargain.errors import SolverError

__all__ = [
    "exact_on_support",
    "payoffs_to_fractions",
    "simple_fractions",
    "to_fraction_profile",
    "verify_exact",
]

#: Largest denominator of the "simple fraction" reading of float payoffs and strategies.
MAX_DENOMINATOR = 10**6


def _simple_fraction(x: float, max_denominator: int) -> Fraction | None:
    f = Fraction(x).limit_denominator(max_denominator)
    return f if float(f) == x else None


def payoffs_to_fractions(
    payoffs: Sequence[np.ndarray], *, max_denominator: int = MAX_DENOMINATOR
) -> tuple[tuple[np.ndarray, ...], bool]:
    """Read float payoff arrays as exact rationals.

    Parameters
    ----------
    payoffs : sequence of numpy.ndarray
        One float array per player.
    max_denominator : int
        If every payoff ``x`` equals ``float(p / q)`` for some fraction with
        ``q <= max_denominator``, the payoffs are read as those fractions (the closest such
        fraction is unique: two fractions with denominators at most ``q`` differ by at least
        ``1 / q**2``, far more than a float's rounding).  Otherwise every payoff is read at its
        exact binary value.

    Returns
    -------
    fractions : tuple of numpy.ndarray
        Object arrays of :class:`fractions.Fraction`, same shapes.
    simple : bool
        Whether the simple-fraction reading was used.

    Examples
    --------
    >>> import numpy as np
    >>> fr, simple = payoffs_to_fractions([np.array([[0.5, 0.1]])])
    >>> [str(x) for x in fr[0].ravel()], simple
    (['1/2', '1/10'], True)
    """
    arrays = [np.asarray(p, dtype=float) for p in payoffs]
    simple = simple_fractions(arrays, max_denominator=max_denominator)
    if simple is not None:
        return simple, True
    out = []
    for a in arrays:
        conv = np.empty(a.shape, dtype=object)
        for idx, x in np.ndenumerate(a):
            conv[idx] = Fraction(float(x))
        out.append(conv)
    return tuple(out), False


def simple_fractions(
    payoffs: Sequence[np.ndarray], *, max_denominator: int = MAX_DENOMINATOR
) -> tuple[np.ndarray, ...] | None:
    """The payoffs as simple fractions if every one of them is one, else None.

    See :func:`payoffs_to_fractions`; this is its first reading alone, and stops at the
    first payoff without a simple fraction.

    Examples
    --------
    >>> import numpy as np
    >>> simple_fractions([np.array([[1.0, 0.25]])])[0].tolist()
    [[Fraction(1, 1), Fraction(1, 4)]]
    >>> simple_fractions([np.array([[np.pi]])]) is None
    True
    """
    out = []
    for p in payoffs:
        a = np.asarray(p, dtype=float)
        if np.all(a == np.round(a)) and np.all(np.abs(a) < 2**53):
            conv = np.empty(a.shape, dtype=object)
            for idx, x in np.ndenumerate(a):
                conv[idx] = Fraction(int(x))
            out.append(conv)
            continue
        conv = np.empty(a.shape, dtype=object)
        for idx, x in np.ndenumerate(a):
            f = _simple_fraction(float(x), max_denominator)
            if f is None:
                return None
            conv[idx] = f
        out.append(conv)
    return tuple(out)


def _check_profile(strategies: Sequence[Sequence[Fraction]], shape: tuple[int, ...]) -> None:
    if len(strategies) != len(shape):
        raise SolverError(f"need {len(shape)} strategies, one per player, got {len(strategies)}")
    for i, (s, k) in enumerate(zip(strategies, shape, strict=True)):
        if len(s) != k:
            raise SolverError(f"strategy of player {i + 1} has {len(s)} entries, expected {k}")
        if any(Fraction(x) < 0 for x in s) or sum(Fraction(x) for x in s) != 1:
            raise SolverError(
                f"strategy of player {i + 1} is not a probability vector in exact arithmetic: "
                f"{[str(x) for x in s]}"
            )


def verify_exact(
    payoffs: Sequence[np.ndarray], strategies: Sequence[Sequence[Fraction]]
) -> Fraction:
    """Largest gain from a unilateral deviation, in exact rational arithmetic.

    Parameters
    ----------
    payoffs : sequence of numpy.ndarray
        One array of exact numbers (Fractions or ints, ``object`` dtype) per player, shape
        ``(n1, ..., nN)``; see :func:`payoffs_to_fractions`.
    strategies : sequence of sequence of Fraction
        One mixed strategy per player; each must be a probability vector exactly.

    Returns
    -------
    Fraction
        ``max_i (max_k u_i(k, s_-i) - u_i(s))``: zero exactly at a Nash equilibrium.

    Raises
    ------
    SolverError
        If a strategy has the wrong length or is not a probability vector exactly.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> import numpy as np
    >>> A = np.array([[F(1), F(-1)], [F(-1), F(1)]], dtype=object)
    >>> verify_exact([A, -A], [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)]])
    Fraction(0, 1)
    >>> verify_exact([A, -A], [[F(1), F(0)], [F(1, 2), F(1, 2)]])
    Fraction(1, 1)
    """
    arrays = [np.asarray(p, dtype=object) for p in payoffs]
    shape = arrays[0].shape
    _check_profile(strategies, shape)
    probs = [np.array([Fraction(x) for x in s], dtype=object) for s in strategies]
    worst = Fraction(0)
    n = len(arrays)
    for i in range(n):
        t = arrays[i]
        for j in range(n - 1, -1, -1):  # contract the other players' axes, last first
            if j != i:
                t = np.tensordot(t, probs[j], axes=([j], [0]))
        dev = [Fraction(x) for x in np.ravel(t)]
        value = sum((d * p for d, p in zip(dev, probs[i], strict=True)), Fraction(0))
        worst = max(worst, max(dev) - value)
    return worst


def to_fraction_profile(
    strategies: Sequence[np.ndarray],
    payoffs: Sequence[np.ndarray],
    *,
    max_denominator: int = MAX_DENOMINATOR,
) -> tuple[tuple[Fraction, ...], ...]:
    """Recover exact rational strategies from floats and prove them an equilibrium.

    Each probability is replaced by the closest fraction with denominator at most
    `max_denominator` (:meth:`fractions.Fraction.limit_denominator`).  This is the exact
    value whenever the true probability has such a denominator and the float is within
    ``1 / (2 * max_denominator**2)`` of it, because distinct fractions with denominators at
    most ``q`` are at least ``1 / q**2`` apart.  The result is then checked by
    :func:`verify_exact`; nothing is returned that has not passed.

    Parameters
    ----------
    strategies : sequence of numpy.ndarray
        Float mixed strategies, one per player.
    payoffs : sequence of numpy.ndarray
        Exact payoffs (``object`` arrays of Fractions), see :func:`payoffs_to_fractions`.
    max_denominator : int
        Largest denominator tried.

    Returns
    -------
    tuple of tuple of Fraction

    Raises
    ------
    SolverError
        If the recovered fractions do not sum to one or are not an exact equilibrium.

    Examples
    --------
    >>> import numpy as np
    >>> fr, _ = payoffs_to_fractions([np.array([[1.0, 0.0], [0.0, 2.0]]),
    ...                               np.array([[2.0, 0.0], [0.0, 1.0]])])
    >>> prof = to_fraction_profile([np.array([1 / 3, 2 / 3]), np.array([2 / 3, 1 / 3])], fr)
    >>> [[str(x) for x in s] for s in prof]
    [['1/3', '2/3'], ['2/3', '1/3']]
    """
    prof = tuple(
        tuple(Fraction(float(x)).limit_denominator(max_denominator) for x in s) for s in strategies
    )
    for i, s in enumerate(prof):
        if sum(s) != 1:
            raise SolverError(
                f"strategy of player {i + 1} has no exact rational reading with denominators "
                f"<= {max_denominator} that sums to 1: {[str(x) for x in s]}"
            )
    regret = verify_exact(payoffs, prof)
    if regret != 0:
        raise SolverError(
            f"the rational reading {[[str(x) for x in s] for s in prof]} is not an exact "
            f"equilibrium: a player gains {regret} by deviating"
        )
    return prof


def _solve_exact(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The unique solution of a square rational system (Gauss-Jordan), or None if singular."""
    n = len(rows)
    m = [[*r, b] for r, b in zip(rows, rhs, strict=True)]
    for c in range(n):
        pivot = next((r for r in range(c, n) if m[r][c] != 0), None)
        if pivot is None:
            return None
        m[c], m[pivot] = m[pivot], m[c]
        inv = 1 / m[c][c]
        m[c] = [x * inv for x in m[c]]
        for r in range(n):
            if r != c and m[r][c] != 0:
                f = m[r][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[r][n] for r in range(n)]


def exact_on_support(
    payoffs: Sequence[np.ndarray], strategies: Sequence[np.ndarray], *, tol: float = 0.0
) -> tuple[tuple[Fraction, ...], ...] | None:
    """Re-solve a float equilibrium of a two-player game exactly on its supports.

    The supports are read from the float profile (probabilities above `tol`); on supports
    of equal size, the indifference equations of each player over the other's support
    (and probabilities summing to 1) have a unique rational solution when the game is
    non-degenerate there.  That solution is returned only if it is a probability vector
    and :func:`verify_exact` finds it an exact equilibrium, otherwise None.  This turns a
    float profile whose probabilities are rounded beyond recovery (payoffs beyond
    ``2**53``) into a certified one.

    Parameters
    ----------
    payoffs : sequence of numpy.ndarray
        Exact payoffs of the two players (``object`` arrays of Fractions), see
        :func:`payoffs_to_fractions`.
    strategies : sequence of numpy.ndarray
        The float mixed strategies.
    tol : float
        Probabilities at or below it are read as off the support (default 0: pivoting
        methods leave the off-support probabilities at exactly 0, and in a game with
        payoffs 10**19 apart a support probability may well be 1e-19).

    Returns
    -------
    tuple of tuple of Fraction, or None

    Examples
    --------
    >>> import numpy as np
    >>> fr, _ = payoffs_to_fractions([np.array([[10.0**19, 0.0], [0.0, 1.0]]),
    ...                               np.array([[1.0, 0.0], [0.0, 10.0**19]])])
    >>> prof = exact_on_support(fr, [np.array([1.0, 1e-19]), np.array([1e-19, 1.0])])
    >>> [str(q * (10**19 + 1)) for s in prof for q in s]  # x = (10**19, 1) / (10**19 + 1)
    ['10000000000000000000', '1', '1', '10000000000000000000']
    """
    if len(payoffs) != 2:
        return None
    A, B = (np.asarray(p, dtype=object) for p in payoffs)
    rows_, cols_ = (np.flatnonzero(np.asarray(s, dtype=float) > tol) for s in strategies)
    k = len(rows_)
    if k == 0 or k != len(cols_):
        return None
    one, zero = Fraction(1), Fraction(0)
    # y over the columns: A[i, cols] . y - v = 0 for i in rows, sum y = 1
    sys_y = [[Fraction(A[i, j]) for j in cols_] + [-one] for i in rows_]
    sys_y.append([one] * k + [zero])
    # x over the rows: x . B[rows, j] - w = 0 for j in cols, sum x = 1
    sys_x = [[Fraction(B[i, j]) for i in rows_] + [-one] for j in cols_]
    sys_x.append([one] * k + [zero])
    rhs = [zero] * k + [one]
    y, x = _solve_exact(sys_y, rhs), _solve_exact(sys_x, rhs)
    if x is None or y is None or min(x[:k]) < 0 or min(y[:k]) < 0:
        return None
    prof = []
    for n, support, sol in ((A.shape[0], rows_, x), (A.shape[1], cols_, y)):
        s = [zero] * n
        for idx, q in zip(support, sol[:k], strict=True):
            s[int(idx)] = q
        prof.append(tuple(s))
    return tuple(prof) if verify_exact([A, B], prof) == 0 else None
