"""Verification of equilibria: regrets in floating point (and, later, exact arithmetic)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["deviation_payoffs", "expected_payoffs", "max_regret", "regrets"]


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
