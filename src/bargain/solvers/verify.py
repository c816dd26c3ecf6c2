"""Verification of equilibria: regrets in floating point (exact arithmetic: :mod:`.exact`).

The functions take any number of players.  :func:`bimatrix_profiles` is the compiled
two-player path the solvers use on every candidate they return: it computes the same
quantity as :func:`max_regret` (payoff of each pure strategy against the other's mixed
strategy, best minus actual) for many profiles in one call, without Python loops.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit

__all__ = [
    "bimatrix_profiles",
    "deviation_payoffs",
    "expected_payoffs",
    "max_regret",
    "pure_regrets",
    "regrets",
]


def deviation_payoffs(payoffs: Sequence[np.ndarray], strategies: Sequence[np.ndarray]):
    """Payoff of each pure strategy of each player against the others' mixed strategies.

    Parameters
    ----------
    payoffs : sequence of numpy.ndarray
        One array of shape ``(n1, ..., nN)`` per player.
    strategies : sequence of numpy.ndarray
        One mixed strategy per player.

    Returns
    -------
    list of numpy.ndarray
        ``out[i][k]`` is player *i*'s expected payoff from pure strategy *k*.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> deviation_payoffs([A, -A], [np.array([.5, .5]), np.array([.5, .5])])[0]
    array([0., 0.])
    """
    n = len(payoffs)
    if n == 2:  # the common case, without tensordot's overhead
        a = np.asarray(payoffs[0], dtype=float)
        b = np.asarray(payoffs[1], dtype=float)
        x = np.asarray(strategies[0], dtype=float)
        y = np.asarray(strategies[1], dtype=float)
        return [a @ y, x @ b]
    out = []
    for i in range(n):
        t = np.asarray(payoffs[i], dtype=float)
        # contract every other player's axis, last axis first so indices stay valid
        for j in range(n - 1, -1, -1):
            if j != i:
                t = np.tensordot(t, np.asarray(strategies[j], dtype=float), axes=([j], [0]))
        out.append(t)
    return out


def regrets(payoffs: Sequence[np.ndarray], strategies: Sequence[np.ndarray]) -> np.ndarray:
    """Each player's gain from the best unilateral deviation (>= 0 up to rounding).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> regrets([A, A.T], [np.array([1.0, 0.0]), np.array([1.0, 0.0])])
    array([2., 2.])
    """
    dev = deviation_payoffs(payoffs, strategies)
    r = [
        float(np.max(d) - np.dot(d, np.asarray(s, dtype=float)))
        for d, s in zip(dev, strategies, strict=True)
    ]
    return np.maximum(np.array(r), 0.0)


def max_regret(payoffs: Sequence[np.ndarray], strategies: Sequence[np.ndarray]) -> float:
    """Largest regret over players: 0 exactly at a Nash equilibrium.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> max_regret([A, -A], [np.array([.5, .5]), np.array([.5, .5])])
    0.0
    """
    return float(np.max(regrets(payoffs, strategies)))


def expected_payoffs(payoffs: Sequence[np.ndarray], strategies: Sequence[np.ndarray]):
    """Expected payoff of every player under a mixed profile.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 0.0], [0.0, 1.0]])
    >>> expected_payoffs([A, A], [np.array([1.0, 0.0]), np.array([1.0, 0.0])])
    array([2., 2.])
    """
    dev = deviation_payoffs(payoffs, strategies)
    return np.array(
        [float(np.dot(d, np.asarray(s, dtype=float))) for d, s in zip(dev, strategies, strict=True)]
    )


def pure_regrets(payoffs: Sequence[np.ndarray], profiles: np.ndarray):
    """Payoffs and max regret of many pure profiles at once (any number of players).

    Parameters
    ----------
    payoffs : sequence of numpy.ndarray
        One array of shape ``(n1, ..., nN)`` per player.
    profiles : numpy.ndarray of int, shape (k, N)
        Strategy index of every player in each profile.

    Returns
    -------
    values : numpy.ndarray, shape (k, N)
        Each player's payoff in each profile.
    regret : numpy.ndarray, shape (k,)
        Largest gain from a unilateral deviation, per profile (>= 0).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])  # prisoner's dilemma
    >>> values, regret = pure_regrets([A, A.T], np.array([[1, 1], [0, 0]]))
    >>> values.tolist(), regret.tolist()
    ([[1.0, 1.0], [3.0, 3.0]], [0.0, 2.0])
    """
    profiles = np.asarray(profiles, dtype=np.int64)
    k, n_players = profiles.shape
    idx = tuple(profiles.T)
    values = np.empty((k, n_players))
    regret = np.zeros(k)
    for i, p in enumerate(payoffs):
        p = np.asarray(p, dtype=float)
        best = p.max(axis=i)  # best payoff of player i against the others' strategies
        values[:, i] = p[idx]
        others = idx[:i] + idx[i + 1 :]
        regret = np.maximum(regret, best[others] - values[:, i])
    return values, np.maximum(regret, 0.0)


def bimatrix_profiles(
    A: np.ndarray, B: np.ndarray, X: np.ndarray, Y: np.ndarray, tol: float, same_tol: float
):
    """Clean, deduplicate, verify and sort candidate profiles of a bimatrix game.

    Row ``t`` of ``X`` and ``Y`` is a candidate ``(x, y)``.  Each is clipped at 0, entries
    below ``1e-14`` of its total are zeroed, and it is renormalized (dropped if nothing is
    left); a candidate within ``same_tol`` (max abs difference, both players) of a kept one
    is merged into it; the others are verified: payoffs ``x A y``, ``x B y`` and the max
    regret, as :func:`max_regret`; those above ``tol`` are dropped.

    Parameters
    ----------
    A, B : numpy.ndarray, shape (m, n)
        Payoffs of the row and column player (float64).
    X, Y : numpy.ndarray, shapes (k, m) and (k, n)
        Candidate strategies (float64).
    tol, same_tol : float
        Regret tolerance and the distance below which two profiles are the same.

    Returns
    -------
    order : numpy.ndarray of int64
        Kept candidates, in decreasing lexicographic order of ``(x, y)`` rounded to 9
        decimals (stable).
    Xc, Yc : numpy.ndarray
        Cleaned strategies (rows of kept candidates are valid).
    values : numpy.ndarray, shape (k, 2)
        Payoffs of each kept candidate.
    regret : numpy.ndarray, shape (k,)
        Max regret of each kept candidate.
    merged : numpy.ndarray of int64, shape (k,)
        For each candidate: itself if kept, the kept candidate it was merged into, or -1
        if dropped.
    dropped : int
        Candidates dropped (nothing left after cleaning, or regret above ``tol``).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0]])  # coordination: (1,0),(1,0) twice, a bad one
    >>> X = np.array([[1.0, 0.0], [1.0, 1e-16], [0.0, 1.0]])
    >>> Y = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    >>> order, Xc, Yc, values, regret, merged, dropped = bimatrix_profiles(A, A, X, Y, 1e-9, 1e-8)
    >>> order.tolist(), merged.tolist(), dropped, values[0].tolist()
    ([0], [0, 0, -1], 1, [1.0, 1.0])
    """
    return _bimatrix_profiles(
        np.ascontiguousarray(A, dtype=np.float64),
        np.ascontiguousarray(B, dtype=np.float64),
        np.ascontiguousarray(X, dtype=np.float64),
        np.ascontiguousarray(Y, dtype=np.float64),
        float(tol),
        float(same_tol),
    )


@njit(cache=True)
def _clean_row(P, t):  # pragma: no cover - compiled
    """Clip row ``t`` at 0, zero entries below 1e-14 of its total, renormalize in place.
    False if nothing is left."""
    k = P.shape[1]
    total = 0.0
    for j in range(k):
        if P[t, j] < 0.0:
            P[t, j] = 0.0
        total += P[t, j]
    if not (0.0 < total < np.inf):
        return False
    s = 0.0
    for j in range(k):
        if P[t, j] < 1e-14 * total:
            P[t, j] = 0.0
        s += P[t, j]
    for j in range(k):
        P[t, j] /= s
    return True


@njit(cache=True)
def _close(P, s, t, tol):  # pragma: no cover - compiled
    for j in range(P.shape[1]):
        if abs(P[s, j] - P[t, j]) > tol:
            return False
    return True


@njit(cache=True)
def bimatrix_regret(A, B, X, Y, t, values):  # pragma: no cover - compiled
    """Payoffs (into ``values[t]``) and max regret of profile ``(X[t], Y[t])``."""
    m, n = A.shape
    p1 = 0.0
    best1 = -np.inf
    for i in range(m):
        d = 0.0
        for j in range(n):
            d += A[i, j] * Y[t, j]
        p1 += X[t, i] * d
        best1 = max(best1, d)
    p2 = 0.0
    best2 = -np.inf
    if m * n <= 256:  # small: column by column, no scratch array
        for j in range(n):
            d = 0.0
            for i in range(m):
                d += X[t, i] * B[i, j]
            p2 += Y[t, j] * d
            best2 = max(best2, d)
    else:  # x^T B by rows of B (contiguous reads); each sum still runs over i in order
        col = np.zeros(n)
        for i in range(m):
            xi = X[t, i]
            for j in range(n):
                col[j] += xi * B[i, j]
        for j in range(n):
            p2 += Y[t, j] * col[j]
            best2 = max(best2, col[j])
    values[t, 0] = p1
    values[t, 1] = p2
    return max(0.0, best1 - p1, best2 - p2)


@njit(cache=True)
def _before(K, a, b):  # pragma: no cover - compiled
    """Whether row ``a`` of ``K`` comes before row ``b`` (decreasing lexicographic)."""
    for j in range(K.shape[1]):
        if K[a, j] != K[b, j]:
            return K[a, j] > K[b, j]
    return False


@njit(cache=True)
def _bimatrix_profiles(A, B, X, Y, tol, same_tol):  # pragma: no cover - compiled
    k = X.shape[0]
    m = X.shape[1]
    n = Y.shape[1]
    Xc = X.copy()
    Yc = Y.copy()
    values = np.zeros((k, 2))
    regret = np.zeros(k)
    merged = np.full(k, -1, dtype=np.int64)
    kept = np.empty(k, dtype=np.int64)
    n_kept = 0
    dropped = 0
    for t in range(k):
        if not (_clean_row(Xc, t) and _clean_row(Yc, t)):
            dropped += 1
            continue
        same = -1
        for a in range(n_kept):
            s = kept[a]
            if _close(Xc, s, t, same_tol) and _close(Yc, s, t, same_tol):
                same = s
                break
        if same >= 0:
            merged[t] = same
            continue
        r = bimatrix_regret(A, B, Xc, Yc, t, values)
        if r > tol:
            dropped += 1
            continue
        regret[t] = r
        merged[t] = t
        kept[n_kept] = t
        n_kept += 1
    order = kept[:n_kept]
    if n_kept < 2:
        return order, Xc, Yc, values, regret, merged, dropped
    # sort keys: the profile rounded to 9 decimals; insertion sort is stable
    K = np.empty((k, m + n))
    for a in range(n_kept):
        t = kept[a]
        for j in range(m):
            K[t, j] = np.rint(Xc[t, j] * 1e9) / 1e9  # np.round(x, 9), without its pow call
        for j in range(n):
            K[t, m + j] = np.rint(Yc[t, j] * 1e9) / 1e9
    for a in range(1, n_kept):
        t = order[a]
        b = a - 1
        while b >= 0 and _before(K, t, order[b]):
            order[b + 1] = order[b]
            b -= 1
        order[b + 1] = t
    return order, Xc, Yc, values, regret, merged, dropped


@njit(cache=True)
def _pack_profiles(order, X, Y, values, regret, extra_rows):  # pragma: no cover - compiled
    """The profiles ``order`` picks (as :func:`bimatrix_profiles` returns them) packed into
    one float array for a cheap return to Python: row 0 is left for the caller's header,
    rows ``1 .. len(order)`` hold ``x | y | payoff 1, payoff 2 | regret``, and
    `extra_rows` zero rows follow.  There are ``m + n + 3 >= 5`` columns."""
    m = X.shape[1]
    n = Y.shape[1]
    k = order.shape[0]
    out = np.zeros((1 + k + extra_rows, m + n + 3))
    for a in range(k):
        t = order[a]
        out[1 + a, :m] = X[t]
        out[1 + a, m : m + n] = Y[t]
        out[1 + a, m + n] = values[t, 0]
        out[1 + a, m + n + 1] = values[t, 1]
        out[1 + a, m + n + 2] = regret[t]
    return out


@njit(cache=True)
def _range(P):  # pragma: no cover - compiled
    """Minimum and maximum of ``P`` in one pass, with four running pairs (independent
    chains the CPU overlaps: twice as fast as one on a 150 x 150 game)."""
    x = P.ravel()
    n = x.size
    l0 = l1 = l2 = l3 = h0 = h1 = h2 = h3 = x[0]
    i = 0
    while i + 4 <= n:
        l0 = min(l0, x[i])
        l1 = min(l1, x[i + 1])
        l2 = min(l2, x[i + 2])
        l3 = min(l3, x[i + 3])
        h0 = max(h0, x[i])
        h1 = max(h1, x[i + 1])
        h2 = max(h2, x[i + 2])
        h3 = max(h3, x[i + 3])
        i += 4
    while i < n:
        l0 = min(l0, x[i])
        h0 = max(h0, x[i])
        i += 1
    return min(min(l0, l1), min(l2, l3)), max(max(h0, h1), max(h2, h3))
