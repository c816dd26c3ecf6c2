"""Lemke–Howson in exact integer arithmetic (``lemke_howson(..., exact=True)``).

The float kernel of :mod:`~bargain.solvers.normal_form.lemke_howson` pivots on payoffs
scaled into ``[1, 2]``; when the payoffs are beyond ``2**53`` or spread over more than
fifteen decades, that scaling rounds the small payoffs away and the path can end at a
profile that is not an equilibrium.  Here the same complementary pivoting runs on
integers: each player's payoffs are read as exact rationals, multiplied by the common
denominator and shifted to be at least 1 (neither changes an equilibrium), and the two
tableaux are pivoted with *integer pivoting* (each new entry is a 2x2 determinant divided
exactly by the previous pivot; von Stengel 2007, Algorithmic Game Theory ch. 3, §3.5
"Integer pivoting"), so every entry stays an integer and nothing is rounded.  The
minimum-ratio test is lexicographic (right-hand side, then the columns of the slack
variables), so degenerate games cannot cycle; each path is also capped at ``max_iter``
pivots.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bargain.solvers.normal_form.exact import payoffs_to_fractions, verify_exact

__all__ = ["exact_lemke_howson", "exact_paths"]


def _integer_matrix(fracs: Any) -> list[list[int]]:
    """Positive integers with the same equilibria: common denominator, then a shift."""
    rows = [[Fraction(x) for x in r] for r in fracs]
    den = math.lcm(*(q.denominator for r in rows for q in r))
    ints = [[int(q * den) for q in r] for r in rows]
    low = min(min(r) for r in ints)
    return [[v - low + 1 for v in r] for r in ints]


class _Tableau:
    """``k`` equations ``slack_i + sum_j M[i][j] v_j = 1`` in integer-pivoting form.

    Columns ``0 .. k-1`` are the slacks, ``k .. k+l-1`` the other player's strategy
    variables, the last the right-hand side; ``basis[r]`` is the column basic in row ``r``
    and ``det`` the previous pivot (the common denominator of the basic solution).
    """

    def __init__(self, M: list[list[int]]) -> None:
        k, lv = len(M), len(M[0])
        self.k = k
        self.rows = [[int(i == r) for i in range(k)] + list(M[r]) + [1] for r in range(k)]
        self.basis = list(range(k))
        self.det = 1
        self.width = k + lv

    def leaving_row(self, col: int) -> int | None:
        """The lexicographic minimum-ratio row for entering column `col` (None: unbounded)."""
        best = None
        for r, row in enumerate(self.rows):
            a = row[col]
            if a <= 0:
                continue
            key = [Fraction(row[-1], a), *(Fraction(row[c], a) for c in range(self.k))]
            if best is None or key < best[0]:
                best = (key, r)
        return None if best is None else best[1]

    def pivot(self, r: int, col: int) -> int:
        """Pivot `col` into row `r`; returns the column that left the basis."""
        p = self.rows[r][col]
        pr = self.rows[r]
        for i, row in enumerate(self.rows):
            if i == r:
                continue
            f = row[col]
            self.rows[i] = [(v * p - f * w) // self.det for v, w in zip(row, pr, strict=True)]
        left = self.basis[r]
        self.basis[r] = col
        self.det = p
        return left

    def values(self) -> list[Fraction]:
        """The strategy variables of the basic solution (columns ``k ..``)."""
        out = [Fraction(0)] * (self.width - self.k)
        for r, c in enumerate(self.basis):
            if c >= self.k:
                out[c - self.k] = Fraction(self.rows[r][-1], self.rows[r][c])
        return out


def _path(A: list[list[int]], B: list[list[int]], label: int, max_iter: int):
    """One exact Lemke–Howson path: ``(x, y, pivots)``, or None at the cap.

    Labels ``0 .. m-1`` are player 1's strategies, ``m .. m+n-1`` player 2's.  Tableau
    ``P`` (player 1's mixture x, with player 2's best-response slacks) holds
    ``s_j + sum_i B[i][j] x_i = 1``: its slack ``j`` has label ``m + j`` and its variable
    ``i`` label ``i``.  Tableau ``Q`` holds ``r_i + sum_j A[i][j] y_j = 1``: slack ``i``
    has label ``i``, variable ``j`` label ``m + j``.
    """
    m, n = len(A), len(A[0])
    P = _Tableau([[B[i][j] for i in range(m)] for j in range(n)])  # n rows, x variables
    Q = _Tableau(A)  # m rows, y variables

    def column(t: _Tableau, lab: int) -> int:  # the column of `t` carrying label `lab`
        if t is P:
            return n + lab if lab < m else lab - m
        return lab if lab < m else m + lab - m

    def label_of(t: _Tableau, col: int) -> int:
        if t is P:
            return col - n if col >= n else m + col
        return col  # Q: slack i has label i, variable j label m + j: its column

    t, lab = (P, label) if label < m else (Q, label)
    for pivots in range(1, max_iter + 1):
        col = column(t, lab)
        r = t.leaving_row(col)
        if r is None:  # cannot happen with positive payoffs; a safe stop all the same
            return None
        left = label_of(t, t.pivot(r, col))
        if left == label:
            x, y = P.values(), Q.values()
            sx, sy = sum(x), sum(y)
            return tuple(v / sx for v in x), tuple(v / sy for v in y), pivots
        lab, t = left, (Q if t is P else P)
    return None


def exact_paths(payoffs: Any, labels: tuple[int, ...], max_iter: int) -> list[Any]:
    """Per label, the exact equilibrium at the end of its path (``(x, y, pivots)``) or None
    when the path reached `max_iter` pivots; every end is verified by
    :func:`~bargain.solvers.normal_form.exact.verify_exact` (an ``AssertionError`` would
    be a bug here, not in the game).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
    >>> B = np.array([[3.0, 2.0], [2.0, 6.0], [3.0, 1.0]])
    >>> x, y, pivots = exact_paths([A, B], (1,), 100)[0]  # von Stengel (2007), 3x2 game
    >>> [str(v) for v in x], [str(v) for v in y]
    (['0', '1/3', '2/3'], ['1/3', '2/3'])
    """
    fracs, _ = payoffs_to_fractions([np.asarray(p) for p in payoffs])
    A, B = _integer_matrix(fracs[0]), _integer_matrix(fracs[1])
    out = []
    for k in labels:
        end = _path(A, B, k, max_iter)
        if end is not None:
            regret = verify_exact(fracs, end[:2])
            assert regret == 0, f"exact Lemke-Howson ended off equilibrium (regret {regret})"
        out.append(end)
    return out


def exact_lemke_howson(game: Any, run: tuple[int, ...], max_iter: int) -> Any:
    """The :func:`~bargain.solvers.normal_form.lemke_howson.lemke_howson` result of
    `game` for the labels `run`, every path pivoted in exact integer arithmetic: each
    equilibrium carries ``exact`` (its rational strategies) and ``max_regret`` 0.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> g = NormalFormGame([[[10**19, 0], [0, 1]], [[1, 0], [0, 10**19]]])
    >>> r = exact_lemke_howson(g, (0, 1, 2, 3), 100)
    >>> [[str(q) for q in eq.exact[0]] for eq in r.equilibria]  # the two pure equilibria
    [['1', '0'], ['0', '1']]
    """
    from bargain.solvers.result import Equilibrium, new_result

    fracs, _ = payoffs_to_fractions([np.asarray(p) for p in game.payoffs])
    ends = exact_paths(game.payoffs, run, max_iter)
    found: dict[tuple, list[int]] = {}
    pivots: dict[tuple, int] = {}
    for k, end in zip(run, ends, strict=True):
        if end is not None:
            key = (end[0], end[1])
            found.setdefault(key, []).append(k)
            pivots.setdefault(key, end[2])
    order = sorted(found, reverse=True)  # decreasing lexicographic order, as the float path
    equilibria = []
    for key in order:
        x, y = key
        value = [
            sum((x[i] * y[j] * F[i][j] for i in range(len(x)) for j in range(len(y))), Fraction(0))
            for F in fracs
        ]
        equilibria.append(
            Equilibrium(
                strategies=(np.array([float(v) for v in x]), np.array([float(v) for v in y])),
                payoffs=np.array([float(v) for v in value]),
                max_regret=0.0,
                exact=(x, y),
                info={"labels": tuple(sorted(found[key])), "pivots": pivots[key]},
            )
        )
    label_map = {
        k: (None if end is None else order.index((end[0], end[1])))
        for k, end in zip(run, ends, strict=True)
    }
    capped = [k for k, end in zip(run, ends, strict=True) if end is None]
    notes = ["Lemke-Howson in exact integer arithmetic (integer pivoting)"]
    if len(run) > 1:
        notes.append("label map: " + ", ".join(f"{k}->{v}" for k, v in label_map.items()))
    if capped:
        notes.append(
            f"labels {capped} reached max_iter={max_iter} pivots (the work limit per path); "
            "their paths were dropped: raise max_iter, or try other labels"
        )
    options = {"labels": run, "exact": True, "max_iter": max_iter, "label_map": label_map}
    return new_result(
        game, "lemke_howson", tuple(equilibria), options, 0.0, not capped, tuple(notes)
    )
