"""The degenerate path of support enumeration: support pairs with a continuum.

When the indifference equations of a support pair ``(I, J)`` are underdetermined, its
equilibria form a product of two polytopes (see :mod:`bargain.solvers.normal_form.support`);
:func:`with_continua` expands each into its vertices (every active set of the right size
in the affine solution space of the equalities, :func:`_face_vertices`) and verifies
every candidate with :func:`verified_equilibria`.  Plain NumPy: this path runs only on
degenerate games, where correctness, not speed, is the point.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.solvers.result import Equilibrium
from bargain.solvers.verify import _bimatrix_profiles

__all__ = ["verified_equilibria", "with_continua"]

#: at most this many support pairs with a continuum are expanded into vertices
MAX_CONTINUUM_PAIRS = 20_000
#: work limit: at most this many active sets are tried in all, over every polytope of
#: one run (each costs a small SVD and solve: a few seconds in all)
MAX_ACTIVE_SETS = 100_000


def with_continua(g, xs, ys, cont_i, cont_j, n_cont, A, B, tol, tol_s, notes, rank_tol, same_tol):
    """``degenerate="safe"`` with support pairs whose systems have a continuum of solutions:
    expand each into the vertices of its polytopes, then verify every candidate.

    `xs, ys` are the candidates with unique solutions, ``cont_i[k], cont_j[k]`` the masks
    of the k-th support pair with a continuum, `A, B` the payoffs mapped onto [0, 1],
    `tol` the relative and `tol_s` the absolute regret tolerance; `notes` is appended to.
    Returns the equilibria, the number of candidates dropped and whether every pair and
    active set was tried."""
    m, n = g.shape
    complete = True
    candidates = [(xs[k], ys[k], {"continuum": False}) for k in range(len(xs))]
    if n_cont > MAX_CONTINUUM_PAIRS:
        complete = False
        notes.append(
            f"{n_cont} support pairs have underdetermined systems; only the first "
            f"{MAX_CONTINUUM_PAIRS} were expanded into vertices"
        )
    n_continua = 0
    budget = [MAX_ACTIVE_SETS]  # active sets left, shared by every polytope
    for k in range(min(n_cont, MAX_CONTINUUM_PAIRS)):
        if budget[0] <= 0:
            complete = False
            break
        rows = np.flatnonzero(cont_i[k])
        cols = np.flatnonzero(cont_j[k])
        ys_v, ok_y = _face_vertices(A, rows, cols, tol, rank_tol, same_tol, budget)
        xs_v, ok_x = _face_vertices(B.T, cols, rows, tol, rank_tol, same_tol, budget)
        if not (ok_x and ok_y):
            complete = False
        if not xs_v or not ys_v:
            continue
        continuum = len(xs_v) > 1 or len(ys_v) > 1
        n_continua += continuum
        pair = (tuple(int(i) for i in rows), tuple(int(j) for j in cols))
        for x in xs_v:
            for y in ys_v:
                info = {"supports": pair, "continuum": True} if continuum else {"continuum": False}
                candidates.append((x, y, info))
    if budget[0] <= 0:
        notes.append(
            f"support enumeration stopped expanding continua at the work limit "
            f"MAX_ACTIVE_SETS={MAX_ACTIVE_SETS} active sets "
            "(bargain.solvers.normal_form._support_faces): "
            "extreme points of some continua may be missing; raise it, or use method "
            "'vertex' for a degenerate game"
        )
    if n_continua:
        notes.append(
            f"{n_continua} support pair(s) hold a continuum of equilibria; their extreme "
            "points are returned (info['continuum'] is True); use method 'vertex' for the "
            "connected components"
        )
    equilibria, dropped = verified_equilibria(g, candidates, tol_s, m, n, same_tol)
    return tuple(equilibria), dropped, complete


def verified_equilibria(
    g: Any,
    candidates: Sequence[tuple[np.ndarray, np.ndarray, dict]],
    tol_s: float,
    m: int,
    n: int,
    same_tol: float = 1e-8,
) -> tuple[list[Equilibrium], int]:
    """Clean, deduplicate, verify and sort candidate profiles ``(x, y, info)``.

    Probabilities are clipped at 0 and renormalized.  Profiles within `same_tol` of an
    earlier one are merged (their ``info["labels"]`` are joined, ``info["continuum"]``
    or-ed).  Returns the equilibria in decreasing lexicographic order of ``(x, y)`` and
    how many candidates failed verification.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.games.normal_form import NormalFormGame
    >>> g = NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    >>> c = [(np.array([1.0, 0]), np.array([1.0, 0]), {})] * 2
    >>> eqs, dropped = verified_equilibria(g, c, 1e-9, 2, 2)
    >>> len(eqs), dropped
    (1, 0)
    """
    A, B = (np.ascontiguousarray(p, dtype=np.float64) for p in g.payoffs)
    k = len(candidates)
    X = np.zeros((k, m))
    Y = np.zeros((k, n))
    for t, (x, y, _) in enumerate(candidates):
        X[t] = x[:m]
        Y[t] = y[:n]
    order, X, Y, values, regret, merged, dropped = _bimatrix_profiles(A, B, X, Y, tol_s, same_tol)
    return _merge_infos(candidates, order, X, Y, values, regret, merged), int(dropped)


def _merge_infos(candidates, order, X, Y, values, regret, merged) -> list[Equilibrium]:
    """Equilibria of the kept candidates; the ``info`` of a merged candidate is folded
    into its kept one (``labels`` joined, ``continuum`` or-ed)."""
    infos = {int(t): dict(candidates[t][2]) for t in order}
    for t in np.flatnonzero((merged >= 0) & (merged != np.arange(len(merged)))):
        old, info = infos[int(merged[t])], candidates[t][2]
        if "labels" in info:
            old["labels"] = tuple(sorted(set(old["labels"]) | set(info["labels"])))
        if info.get("continuum"):
            old["continuum"] = True
            if "supports" in info:
                old.setdefault("supports", info["supports"])
    return [
        Equilibrium(
            strategies=(X[t], Y[t]), payoffs=values[t], max_regret=float(regret[t]), info=infos[t]
        )
        for t in order
    ]


def _face_vertices(
    A: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    tol_s: float,
    rank_tol: float,
    same_tol: float,
    budget: list[int],
) -> tuple[list[np.ndarray], bool]:
    """Vertices of Y(I, J) = {y >= 0 on J, sum y = 1, (A y)_i = u on I, (A y)_k <= u}.

    Works in the affine solution space of the equalities and tries every active set of
    the dimension's size, while ``budget[0]`` (decremented per set) lasts.  Returns the
    vertices (as full-length y) and whether all active sets were tried.
    """
    m, n = A.shape
    k1, k2 = len(rows), len(cols)
    E = np.zeros((k1 + 1, k2 + 1))
    E[:k1, :k2] = A[np.ix_(rows, cols)]
    E[:k1, k2] = -1.0
    E[k1, :k2] = 1.0
    f = np.zeros(k1 + 1)
    f[k1] = 1.0
    outside = np.setdiff1d(np.arange(m), rows)
    G = np.zeros((k2 + len(outside), k2 + 1))
    G[:k2, :k2] = -np.eye(k2)
    G[k2:, :k2] = A[np.ix_(outside, cols)]
    G[k2:, k2] = -1.0
    h = np.zeros(G.shape[0])
    z0, *_ = np.linalg.lstsq(E, f, rcond=None)
    if np.max(np.abs(E @ z0 - f)) > rank_tol:
        return [], True
    _, sv, vt = np.linalg.svd(E)
    rank = int(np.sum(sv > rank_tol))
    N = vt[rank:].T
    d = N.shape[1]
    GN = G @ N
    slack = h - G @ z0
    points: list[np.ndarray] = []
    if d == 0:
        if np.all(slack >= -tol_s):
            points.append(z0)
        return [_embed(p[:k2], cols, n) for p in points], True
    complete = True
    for active in itertools.combinations(range(G.shape[0]), d):
        if budget[0] <= 0:
            complete = False
            break
        budget[0] -= 1
        M = GN[list(active)]
        with np.errstate(all="ignore"):
            if np.linalg.svd(M, compute_uv=False)[-1] <= rank_tol:
                continue
            try:
                t = np.linalg.solve(M, slack[list(active)])
            except np.linalg.LinAlgError:  # pragma: no cover - caught by the rank test
                continue
        if not np.all(np.isfinite(t)):
            continue
        if np.all(GN @ t <= slack + tol_s):
            z = z0 + N @ t
            if not any(np.max(np.abs(z - q)) <= same_tol for q in points):
                points.append(z)
    return [_embed(p[:k2], cols, n) for p in points], complete


def _embed(values: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[cols] = values
    return out
