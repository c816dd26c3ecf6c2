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
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form._scaling import needs_rescale, power_of_two_scale, rescaled
from bargain.solvers.normal_form.pure import as_numeric_game
from bargain.solvers.normal_form.support import SAME_TOL
from bargain.solvers.result import SolveResult, new_equilibrium, new_result
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.verify import _bimatrix_profiles, _pack_profiles, _range

__all__ = ["lemke_howson"]

#: entries of a pivot column at most this large are not eligible pivots
PIVOT_TOL = 1e-10
#: ratios within this relative distance are ties, broken lexicographically
RATIO_TOL = 1e-13
#: one-label arrays handed to the kernel, made once (an array costs ~0.25 µs to build,
#: a tenth of a small game's solve)
_LABEL_ARRAYS: dict[tuple[int, ...], np.ndarray] = {}


def lemke_howson(
    game: Any,
    *,
    labels: int | Sequence[int] | str = 0,
    tol: float = 1e-10,
    max_iter: int | None = None,
    exact: bool = False,
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
    max_iter : int, optional
        Work limit: pivots per path.  Default ``1000 + 50 * (m + n)`` (paths of random
        games take about ``(m + n) / 2`` pivots; some games have paths exponentially
        long in the size, Savani & von Stengel 2006).  A path that reaches it is dropped
        and the result has ``complete=False`` and a note naming the limit.
    exact : bool
        Pivot in exact integer arithmetic (:mod:`~bargain.solvers.normal_form._lh_exact`):
        every equilibrium carries its rational strategies in ``exact`` and regret 0.
        Slower; :func:`bargain.solve` turns it on by itself when the payoffs are too large
        or too spread for float verification.

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
    g = game
    if type(g) is not NormalFormGame or g.is_symbolic or len(g.payoffs) != 2:
        g = as_numeric_game(game, method="lemke_howson", players=2)
    if type(tol) is not float or not 0.0 < tol < 1.0:
        tol = check_tol(tol, method="lemke_howson")
    A, B = g.payoffs  # numeric games hold C-contiguous float64 arrays
    m, n = A.shape
    if type(labels) is int and 0 <= labels < m + n:  # the common case, checked quickly
        run: tuple[int, ...] = (labels,)
    else:
        run = _check_labels(labels, m, n)
    if max_iter is None:
        max_iter = 1000 + 50 * (m + n)
    elif type(max_iter) is not int or max_iter < 1:
        max_iter = check_limit("max_iter", max_iter, method="lemke_howson")
    if exact:
        from bargain.solvers.normal_form._lh_exact import exact_lemke_howson

        return exact_lemke_howson(g, run, max_iter)
    run_array = _LABEL_ARRAYS.get(run)
    if run_array is None:
        run_array = np.array(run, dtype=np.int64)
        if len(run) == 1 and run[0] < 1024:  # read-only in the kernel: safe to share
            _LABEL_ARRAYS[run] = run_array
    out = _lh_run(A, B, run_array, max_iter, tol)
    if out.item(3) == 2.0:  # payoffs too large for float arithmetic: solve them scaled
        return rescaled(
            g,
            power_of_two_scale(g.payoffs),
            lambda h: lemke_howson(h, labels=run, tol=tol, max_iter=max_iter),
            True,
        )
    n_eq, dropped, tol_s = int(out.item(0)), int(out.item(1)), out.item(2)
    equilibria, label_map, capped = _label_equilibria(out, n_eq, run, m, n)
    notes = []
    if len(run) > 1:
        notes.append("label map: " + ", ".join(f"{k}->{v}" for k, v in label_map.items()))
    if capped:
        notes.append(
            f"labels {capped} reached max_iter={max_iter} pivots (the work limit per path); "
            "their paths were dropped: raise max_iter, or try other labels"
        )
    if dropped:
        notes.append(f"{dropped} path end(s) failed verification (regret > {tol_s:.3g})")
    return new_result(
        g,
        "lemke_howson",
        equilibria,
        {"labels": run, "tol": tol, "max_iter": max_iter, "label_map": label_map},
        tol_s,
        not capped and not dropped,
        tuple(notes),
    )


def _label_equilibria(out, n_eq, run, m, n):
    """Equilibria from the output of :func:`_lh_run`, each with the labels whose paths end
    there, plus the label map and the labels stopped at the cap.  Scalars are read with
    ``item`` (``tolist`` of the whole output would cost more than the rest together)."""
    mn = m + n
    w = mn + 3
    at = out.item
    if len(run) == 1:  # the common case, without the bookkeeping below
        r, k = (1 + n_eq) * w, run[0]
        if at(r) < 0.0:  # capped or dropped
            return (), {k: None}, ([] if at(r + 1) > 0.0 else [k])
        row = out[1]
        info = {"labels": run, "pivots": int(at(r + 2))}
        eq = new_equilibrium((row[:m], row[m:mn]), row[mn : mn + 2], at(w + mn + 2), info)
        return (eq,), {k: 0}, []
    paths = [
        (int(at(r * w)), at(r * w + 1) > 0.0, int(at(r * w + 2)))
        for r in range(1 + n_eq, 1 + n_eq + len(run))
    ]
    label_map: dict[int, int | None] = {}
    labels_of: list[list[int]] = [[] for _ in range(n_eq)]
    pivots_of = [0] * n_eq
    capped = []
    for k, (owner, converged, pivots) in zip(run, paths, strict=True):
        if owner >= 0:
            label_map[k] = owner
            if not labels_of[owner]:
                pivots_of[owner] = pivots
            labels_of[owner].append(k)
        else:
            label_map[k] = None
            if not converged:
                capped.append(k)
    equilibria = []
    for t in range(n_eq):
        row = out[1 + t]
        info = {"labels": tuple(sorted(labels_of[t])), "pivots": pivots_of[t]}
        equilibria.append(
            new_equilibrium((row[:m], row[m:mn]), row[mn : mn + 2], at((1 + t) * w + mn + 2), info)
        )
    return tuple(equilibria), label_map, capped


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
def _unit_map(P):  # pragma: no cover - compiled
    """``(lo, inv, span)`` such that ``(P - lo) * inv + 1`` lies in [1, 2] (all ones when
    ``P`` is constant; best responses and equilibria are unchanged)."""
    lo, hi = _range(P)
    span = hi - lo
    return lo, (1.0 / span if span > 0.0 else 0.0), span


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
def _lemke_howson(A0, B0, init, max_iter, piv_tol, ratio_tol):  # pragma: no cover - compiled
    """One Lemke–Howson path from label ``init``; returns (x, y, pivots, converged)."""
    lo_a, inv_a, _ = _unit_map(A0)
    lo_b, inv_b, _ = _unit_map(B0)
    return _lh_path(A0, B0, lo_a, inv_a, lo_b, inv_b, init, max_iter, piv_tol, ratio_tol)


@njit(cache=True)
def _lh_run(A0, B0, labels, max_iter, tol):  # pragma: no cover - compiled
    """The paths from every label in `labels` (pivot and ratio tolerances ``PIVOT_TOL``,
    ``RATIO_TOL``; compile-time constants, as ``SAME_TOL``: fewer arguments, a cheaper
    call), their ends verified on the original payoffs
    by :func:`bargain.solvers.verify.bimatrix_profiles` (tolerance ``tol`` times the payoff
    scale: the larger of the two players' payoff ranges, 1 if both are constant).

    Returns one float array (a single output keeps the call's boxing cost small; the
    integers in it are exact): row 0 holds the number of equilibria ``e``, the number of
    path ends dropped, the absolute tolerance and a flag (2: a payoff is too large in
    magnitude for float arithmetic, nothing else computed; see
    :mod:`bargain.solvers.normal_form._scaling`); rows ``1 .. e`` the distinct equilibria
    in their final order, ``x | y | payoff 1, payoff 2 | regret``; then one row per label,
    (the index of the equilibrium its path ends at, -1 if capped or dropped; whether it
    converged; its pivot count).
    """
    m, n = A0.shape
    if needs_rescale(A0, B0):  # flag 2 in row 0, column 3: nothing computed
        out = np.zeros((1, m + n + 3))
        out[0, 3] = 2.0
        return out
    lo_a, inv_a, span_a = _unit_map(A0)
    lo_b, inv_b, span_b = _unit_map(B0)
    scale = max(span_a, span_b)
    if scale == 0.0:
        scale = 1.0
    k = labels.shape[0]
    xs = np.zeros((k, m))
    ys = np.zeros((k, n))
    converged = np.zeros(k, dtype=np.bool_)
    pivots = np.zeros(k, dtype=np.int64)
    path_of = np.empty(k, dtype=np.int64)  # row of xs of each converged path
    c = 0
    for t in range(k):
        x, y, piv, conv = _lh_path(
            A0, B0, lo_a, inv_a, lo_b, inv_b, labels[t], max_iter, PIVOT_TOL, RATIO_TOL
        )
        pivots[t] = piv
        converged[t] = conv
        if conv:
            xs[c] = x
            ys[c] = y
            path_of[c] = t
            c += 1
    tol_s = tol * scale
    order, X, Y, values, regret, merged, dropped = _bimatrix_profiles(
        A0, B0, xs[:c], ys[:c], tol_s, SAME_TOL
    )
    rank = np.full(c, -1, dtype=np.int64)
    for i in range(order.shape[0]):
        rank[order[i]] = i
    owner = np.full(k, -1, dtype=np.int64)
    for r in range(c):
        if merged[r] >= 0:
            owner[path_of[r]] = rank[merged[r]]
    n_eq = order.shape[0]
    out = _pack_profiles(order, X, Y, values, regret, k)
    out[0, 0] = n_eq
    out[0, 1] = dropped
    out[0, 2] = tol_s
    for t in range(k):
        out[1 + n_eq + t, 0] = owner[t]
        out[1 + n_eq + t, 1] = converged[t]
        out[1 + n_eq + t, 2] = pivots[t]
    return out


@njit(cache=True)
def _lh_path(
    A, B, lo_a, inv_a, lo_b, inv_b, init, max_iter, piv_tol, ratio_tol
):  # pragma: no cover
    """One Lemke–Howson path from label ``init`` on the payoffs mapped into [1, 2] by
    ``(A - lo_a) * inv_a + 1`` (likewise B; see :func:`_unit_map`), the map applied while
    the tableaux are filled; returns (x, y, pivots, converged)."""
    m, n = A.shape
    width = m + n + 1
    # P: B^T x + s = 1 (columns: x labels 0..m-1, s labels m..m+n-1); slacks basic
    TP = np.zeros((n, width))
    for j in range(n):
        for i in range(m):
            TP[j, i] = (B[i, j] - lo_b) * inv_b + 1.0
        TP[j, m + j] = 1.0
        TP[j, width - 1] = 1.0
    basis_p = np.arange(m, m + n)
    # Q: r + A y = 1 (columns: r labels 0..m-1, y labels m..m+n-1); slacks basic
    TQ = np.zeros((m, width))
    for i in range(m):
        TQ[i, i] = 1.0
        for j in range(n):
            TQ[i, m + j] = (A[i, j] - lo_a) * inv_a + 1.0
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
