"""The Lemke–Howson algorithm for two-player games (method ``"lemke_howson"``).

Complementary pivoting on the two best-response polytopes (Lemke & Howson 1964; the
tableau form of von Stengel 2007, Algorithmic Game Theory ch. 3).  Payoffs are shifted and
scaled to lie in ``[1, 2]``, which changes no equilibrium.  Labels ``0 .. m-1`` are player
1's strategies and ``m .. m+n-1`` player 2's.  The minimum-ratio test is lexicographic
(ratios of the right-hand side, then of the columns of the inverse basis), so degenerate
games cannot make the algorithm cycle: every path ends at an equilibrium.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numba import njit

from bargain.errors import SolverError
from bargain.solvers.pure import as_numeric_game, check_tol
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.support import SAME_TOL
from bargain.solvers.verify import _bimatrix_profiles

__all__ = ["lemke_howson"]

#: entries of a pivot column at most this large are not eligible pivots
PIVOT_TOL = 1e-10
#: ratios within this relative distance are ties, broken lexicographically
RATIO_TOL = 1e-13


def lemke_howson(
    game: Any,
    *,
    labels: int | Sequence[int] | str = 0,
    tol: float = 1e-10,
    max_iter: int = 1_000_000,
) -> SolveResult:
    """Equilibria of a two-player game at the ends of Lemke–Howson paths.

    Parameters
    ----------
    game : NormalFormGame
        A numeric two-player game with an ``m x n`` shape.
    labels : int, sequence of int, or "all"
        Label(s) dropped first: ``0 .. m-1`` are player 1's strategies, ``m .. m+n-1``
        player 2's.  ``"all"`` runs every one of the ``m + n`` labels.
    tol : float
        Regret tolerance, relative to the payoff scale ``s`` (the larger of the two
        players' payoff ranges; 1 for a constant game): ``max_regret <= tol * s``.
    max_iter : int
        Pivot cap per path.  A path that reaches it is dropped and the result has
        ``complete=False`` and a note.

    Returns
    -------
    SolveResult
        Distinct equilibria (decreasing lexicographic order of the profile);
        ``info["labels"]`` of each is the tuple of starting labels whose path ends there,
        ``info["pivots"]`` the pivot count of the first such path.  ``options["label_map"]``
        maps every label run to the index of its equilibrium (or None at the cap).
        Lemke–Howson finds one equilibrium per label, not necessarily all of them.

    Raises
    ------
    SolverError
        If the game is not a numeric two-player game, a label is out of range or not an
        integer, or ``max_iter`` is not a positive integer.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> g = NormalFormGame([[[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]])
    >>> r = lemke_howson(g, labels="all")  # von Stengel (2007), 3x2 example
    >>> [(eq.strategies[0].round(3).tolist(), eq.info["labels"]) for eq in r.equilibria]
    [([1.0, 0.0, 0.0], (0, 2, 3)), ([0.0, 0.333, 0.667], (1, 4))]
    """
    g = as_numeric_game(game, method="lemke_howson", players=2)
    tol = check_tol(tol)
    m, n = g.shape
    if type(labels) is int and 0 <= labels < m + n:  # the common case, checked quickly
        run: tuple[int, ...] = (labels,)
    else:
        run = _check_labels(labels, m, n)
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise SolverError(f"max_iter must be a positive integer, got {max_iter!r}")
    A, B = (np.ascontiguousarray(p, dtype=np.float64) for p in g.payoffs)
    X, Y, values, regret, first, owner, converged, pivots, dropped, tol_s = _lh_run(
        A, B, np.array(run, dtype=np.int64), int(max_iter), PIVOT_TOL, RATIO_TOL, tol, SAME_TOL
    )
    # owner[t]: the equilibrium label run[t]'s path ends at (-1: capped or dropped)
    owner_l = owner.tolist()
    label_map: dict[int, int | None] = {
        k: (i if i >= 0 else None) for k, i in zip(run, owner_l, strict=True)
    }
    labels_of: list[list[int]] = [[] for _ in range(len(X))]
    for k, i in zip(run, owner_l, strict=True):
        if i >= 0:
            labels_of[i].append(k)
    pivots_l = pivots.tolist()
    equilibria = tuple(
        Equilibrium(
            strategies=(x, y),
            payoffs=v,
            max_regret=r,
            info={"labels": tuple(sorted(labs)), "pivots": pivots_l[t]},
        )
        for x, y, v, r, t, labs in zip(
            X, Y, values, regret.tolist(), first.tolist(), labels_of, strict=True
        )
    )
    capped = [k for k, c in zip(run, converged.tolist(), strict=True) if not c]
    notes = ["label map: " + ", ".join(f"{k}->{v}" for k, v in label_map.items())]
    if capped:
        notes.append(f"labels {capped} reached max_iter={max_iter} pivots; their paths dropped")
    if dropped:
        notes.append(f"{dropped} path end(s) failed verification (regret > {tol_s:.3g})")
    return SolveResult(
        game=g,
        method="lemke_howson",
        equilibria=equilibria,
        options={"labels": run, "tol": tol, "max_iter": int(max_iter), "label_map": label_map},
        tolerance=tol_s,
        complete=not capped and not dropped,
        notes=tuple(notes),
    )


def _check_labels(labels: Any, m: int, n: int) -> tuple[int, ...]:
    if isinstance(labels, str):
        if labels != "all":
            raise SolverError(f"labels must be an int, a sequence of ints or 'all', got {labels!r}")
        return tuple(range(m + n))
    try:
        seq = [labels] if np.isscalar(labels) else list(labels)
    except TypeError:
        raise SolverError(
            f"labels must be an int, a sequence of ints or 'all', got {labels!r}"
        ) from None
    if not seq:
        raise SolverError("labels is empty; give at least one label or 'all'")
    out = []
    for k in seq:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise SolverError(f"label {k!r} is not an integer")
        if not 0 <= k < m + n:
            raise SolverError(
                f"label {k} is out of range: labels are 0..{m + n - 1} "
                f"(0..{m - 1} player 1, {m}..{m + n - 1} player 2)"
            )
        if int(k) not in out:
            out.append(int(k))
    return tuple(out)


@njit(cache=True)
def _normalize(P):  # pragma: no cover - compiled
    """Shift and scale into [1, 2] (best responses and equilibria are unchanged)."""
    lo = P.min()
    span = P.max() - lo
    if span == 0.0:
        return np.ones_like(P)
    return (P - lo) / span + 1.0


@njit(cache=True)
def _lex_min_ratio(T, col, slack_start, n_slack, piv_tol, ratio_tol, rows):  # pragma: no cover
    """Row of the lexicographic minimum-ratio test for entering column ``col`` (-1: none)."""
    n_rows = T.shape[0]
    rhs = T.shape[1] - 1
    k = 0
    for r in range(n_rows):
        if T[r, col] > piv_tol:
            rows[k] = r
            k += 1
    if k == 0:
        return -1
    for level in range(n_slack + 1):
        c = rhs if level == 0 else slack_start + level - 1
        best = np.inf
        for a in range(k):
            r = rows[a]
            v = T[r, c] / T[r, col]
            if v < best:
                best = v
        keep = 0
        thr = ratio_tol * max(1.0, abs(best))
        for a in range(k):
            r = rows[a]
            if T[r, c] / T[r, col] - best <= thr:
                rows[keep] = r
                keep += 1
        k = keep
        if k == 1:
            break
    return rows[0]


@njit(cache=True)
def _pivot(T, row, col, buf):  # pragma: no cover - compiled
    """Gauss–Jordan pivot on ``T[row, col]``; ``buf`` holds the normalized pivot row (a
    separate array, so the update loop has no aliasing and vectorizes)."""
    width = T.shape[1]
    p = T[row, col]
    for j in range(width):
        v = T[row, j] / p
        buf[j] = v
        T[row, j] = v
    for r in range(T.shape[0]):
        if r == row:
            continue
        f = T[r, col]
        if f != 0.0:
            for j in range(width):
                T[r, j] -= f * buf[j]
            T[r, col] = 0.0
    T[row, col] = 1.0


@njit(cache=True)
def _lemke_howson(A_raw, B_raw, init, max_iter, piv_tol, ratio_tol):  # pragma: no cover - compiled
    """One Lemke–Howson path from label ``init``; returns (x, y, pivots, converged)."""
    return _lh_path(_normalize(A_raw), _normalize(B_raw), init, max_iter, piv_tol, ratio_tol)


@njit(cache=True)
def _lh_run(A0, B0, labels, max_iter, piv_tol, ratio_tol, tol, same_tol):  # pragma: no cover
    """The paths from every label in `labels`, their ends verified on the original payoffs
    by :func:`bargain.solvers.verify.bimatrix_profiles` (tolerance ``tol`` times the payoff
    scale, see :func:`bargain.solvers.support.payoff_scale`).

    Returns the distinct equilibria in their final order (``X, Y, values, regret``), the
    path (index into `labels`) that found each first, for each label the equilibrium its
    path ends at (-1: capped or dropped), whether each path converged, the pivot count of
    each path, the number of path ends dropped, and the absolute tolerance.
    """
    scale = max(A0.max() - A0.min(), B0.max() - B0.min())
    if scale == 0.0:
        scale = 1.0
    A = _normalize(A0)
    B = _normalize(B0)
    m, n = A.shape
    k = labels.shape[0]
    xs = np.zeros((k, m))
    ys = np.zeros((k, n))
    converged = np.zeros(k, dtype=np.bool_)
    pivots = np.zeros(k, dtype=np.int64)
    path_of = np.empty(k, dtype=np.int64)  # row of xs of each converged path
    c = 0
    for t in range(k):
        x, y, piv, conv = _lh_path(A, B, labels[t], max_iter, piv_tol, ratio_tol)
        pivots[t] = piv
        converged[t] = conv
        if conv:
            xs[c] = x
            ys[c] = y
            path_of[c] = t
            c += 1
    tol_s = tol * scale
    order, X, Y, values, regret, merged, dropped = _bimatrix_profiles(
        A0, B0, xs[:c], ys[:c], tol_s, same_tol
    )
    rank = np.full(c, -1, dtype=np.int64)
    for i in range(order.shape[0]):
        rank[order[i]] = i
    owner = np.full(k, -1, dtype=np.int64)
    for r in range(c):
        if merged[r] >= 0:
            owner[path_of[r]] = rank[merged[r]]
    first = path_of[order]
    return (
        X[order],
        Y[order],
        values[order],
        regret[order],
        first,
        owner,
        converged,
        pivots,
        dropped,
        tol_s,
    )


@njit(cache=True)
def _lh_path(A, B, init, max_iter, piv_tol, ratio_tol):  # pragma: no cover - compiled
    """One Lemke–Howson path from label ``init`` on payoffs in [1, 2]; returns
    (x, y, pivots, converged)."""
    m, n = A.shape
    width = m + n + 1
    # P: B^T x + s = 1 (columns: x labels 0..m-1, s labels m..m+n-1); slacks basic
    TP = np.zeros((n, width))
    for j in range(n):
        for i in range(m):
            TP[j, i] = B[i, j]
        TP[j, m + j] = 1.0
        TP[j, width - 1] = 1.0
    basis_p = np.arange(m, m + n)
    # Q: r + A y = 1 (columns: r labels 0..m-1, y labels m..m+n-1); slacks basic
    TQ = np.zeros((m, width))
    for i in range(m):
        TQ[i, i] = 1.0
        for j in range(n):
            TQ[i, m + j] = A[i, j]
        TQ[i, width - 1] = 1.0
    basis_q = np.arange(m)
    rows = np.empty(max(m, n), dtype=np.int64)
    buf = np.empty(width)
    entering = init
    in_p = init < m
    converged = False
    pivots = 0
    while pivots < max_iter:
        if in_p:
            r = _lex_min_ratio(TP, entering, m, n, piv_tol, ratio_tol, rows)
            if r < 0:
                break
            _pivot(TP, r, entering, buf)
            leaving = basis_p[r]
            basis_p[r] = entering
        else:
            r = _lex_min_ratio(TQ, entering, 0, m, piv_tol, ratio_tol, rows)
            if r < 0:
                break
            _pivot(TQ, r, entering, buf)
            leaving = basis_q[r]
            basis_q[r] = entering
        pivots += 1
        if leaving == init:
            converged = True
            break
        entering = leaving
        in_p = not in_p
    x = np.zeros(m)
    y = np.zeros(n)
    for r in range(n):
        if basis_p[r] < m:
            x[basis_p[r]] = TP[r, width - 1]
    for r in range(m):
        if basis_q[r] >= m:
            y[basis_q[r] - m] = TQ[r, width - 1]
    sx = x.sum()
    sy = y.sum()
    if sx > 0.0:
        x /= sx
    if sy > 0.0:
        y /= sy
    return x, y, pivots, converged
