"""Support enumeration for two-player games (method ``"support"``).

For a pair of supports ``(I, J)`` the equilibria with ``supp x ⊆ I ⊆ BR1(y)`` and
``supp y ⊆ J ⊆ BR2(x)`` form a product ``X(I, J) × Y(I, J)`` of two polytopes:
``Y(I, J)`` = {y on J making player 1 indifferent on I and not preferring a row outside I},
``X(I, J)`` likewise.  Every point of such a product is an equilibrium and every
equilibrium lies in one (take ``I = supp x``, ``J = supp y``).  Each ``X(I, J)`` is a face of
player 1's best-response polytope, so the vertices of the products over all pairs are exactly
the extreme equilibria (what vertex enumeration returns).

``degenerate="fast"`` only tries pairs of equal size and keeps pairs whose indifference
systems have a unique solution: all equilibria of a nondegenerate game (as QuantEcon's
``support_enumeration``).  ``degenerate="safe"`` tries every pair; where a system is
underdetermined it enumerates the vertices of the (small) polytope of solutions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form._combinations import next_combination as _next_comb
from bargain.solvers.normal_form._scaling import needs_rescale, power_of_two_scale, rescaled
from bargain.solvers.normal_form._support_faces import MAX_CONTINUUM_PAIRS, with_continua
from bargain.solvers.normal_form.pure import as_numeric_game
from bargain.solvers.result import MAX_EQUILIBRIA, SolveResult, new_equilibrium, new_result
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.verify import _bimatrix_profiles, _pack_profiles, _range

__all__ = ["support_enumeration"]

#: pivots below RANK_TOL count as zero when deciding rank and consistency (payoffs are
#: first mapped onto [0, 1] per player)
RANK_TOL = 1e-9
#: two profiles closer than this (max abs difference of probabilities) are the same
SAME_TOL = 1e-8
#: default cap on the support pairs tried beyond the pure profiles: a few seconds on a
#: random 30x30 game, more than every pair of an 11x11 game
MAX_SUPPORTS = 5_000_000


def support_enumeration(
    game: Any,
    *,
    tol: float = 1e-10,
    degenerate: str = "safe",
    max_supports: int = MAX_SUPPORTS,
    max_equilibria: int = MAX_EQUILIBRIA,
) -> SolveResult:
    """Equilibria of a two-player game by enumerating pairs of supports.

    Parameters
    ----------
    game : NormalFormGame
        A numeric two-player game.
    tol : float
        Regret tolerance, relative to the payoff scale ``s`` (the larger of the two
        players' payoff ranges, max - min; 1 for a constant game): every returned profile
        has ``max_regret <= tol * s`` (``result.tolerance``).  The result does not change
        when a player's payoffs are multiplied by a positive number or shifted.
    degenerate : {"safe", "fast"}
        ``"fast"``: supports of equal size with a unique solution of the indifference
        equations.  In a nondegenerate game this finds every equilibrium; in a degenerate
        one it may miss some, so the result has ``complete=False`` and a note.
        ``"safe"``: every pair of supports, any sizes; an underdetermined system (a
        continuum of solutions) is expanded into the vertices of its polytope of solutions,
        and a note says where a support pair holds a continuum of equilibria.
    max_supports : int
        Work limit: at most this many support pairs larger than 1 x 1 are tried (the pure
        profiles are always checked, in one pass).  Default ``MAX_SUPPORTS = 5_000_000``
        (a few seconds on a random 30x30 game); a 2x2 game has 8 pairs, an 11x11 one
        4.2e6, a 30x30 one 1.2e18.  When the limit stops the enumeration the result has
        ``complete=False`` and a note naming the limit; the equilibria found so far (on
        the smaller supports) are returned, verified.
    max_equilibria : int
        List at most this many equilibria (default
        :data:`~bargain.solvers.result.MAX_EQUILIBRIA`), the first in the order below;
        ``complete`` is then False and ``count`` holds the number found.

    Returns
    -------
    SolveResult
        Distinct equilibria sorted by player 1's strategy, then player 2's, in decreasing
        lexicographic order.  ``info["continuum"]`` says whether the profile is an extreme
        point of a continuum of equilibria (of a support pair whose solution set is not a
        single point); ``info["supports"]`` is that support pair for such a profile (an
        isolated profile's supports are ``eq.support``).

    Notes
    -----
    What ``"safe"`` guarantees: in exact arithmetic it returns exactly the extreme
    equilibria (vertex pairs of the best-response polytopes), i.e. every isolated
    equilibrium and the extreme points of every continuum, so ``complete=True``.  In
    floating point, rank and consistency decisions use a relative tolerance
    (``RANK_TOL = 1e-9``): a nearly degenerate game may be misread, though every returned
    profile is verified.  It costs ``(2^m - 1)(2^n - 1)`` small solves, so it is for small
    games.  For an exact, rational answer and the connected components of the equilibrium
    set use method ``"vertex"``.

    Raises
    ------
    SolverError
        If the game is not a numeric two-player game, or an option is invalid.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> g = NormalFormGame([[[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]])
    >>> r = support_enumeration(g)  # von Stengel (2007), 3 equilibria
    >>> for eq in r.equilibria:
    ...     print([s.round(3).tolist() for s in eq.strategies])
    [[1.0, 0.0, 0.0], [1.0, 0.0]]
    [[0.8, 0.2, 0.0], [0.667, 0.333]]
    [[0.0, 0.333, 0.667], [0.333, 0.667]]
    """
    g = game
    if type(g) is not NormalFormGame or g.is_symbolic or len(g.payoffs) != 2:
        g = as_numeric_game(game, method="support", players=2)
    if type(tol) is not float or not 0.0 < tol < 1.0:
        tol = check_tol(tol, method="support")
    if type(max_supports) is not int or max_supports < 1:
        max_supports = check_limit("max_supports", max_supports, method="support")
    if type(max_equilibria) is not int or max_equilibria < 1:
        max_equilibria = check_limit("max_equilibria", max_equilibria, method="support")
    if degenerate == "safe":
        safe = True
    elif degenerate == "fast":
        safe = False
    else:
        raise SolverError(f"degenerate must be 'safe' or 'fast', got {degenerate!r}")
    A0, B0 = g.payoffs  # numeric games hold C-contiguous float64 arrays
    P = _support_packed(A0, B0, tol, safe, max_supports)
    at = P.item
    if at(3) == 2.0:  # payoffs too large for float arithmetic: solve them scaled
        return rescaled(
            g,
            power_of_two_scale(g.payoffs),
            lambda h: support_enumeration(
                h,
                tol=tol,
                degenerate=degenerate,
                max_supports=max_supports,
                max_equilibria=max_equilibria,
            ),
            True,
        )
    capped = at(3) == 1.0
    dropped = int(at(1))
    if safe and at(0):  # a degenerate game: enumerate again, keeping the continuum pairs
        notes: list[str] = []
        xs, ys, cont_i, cont_j, n_cont, A, B, tol_s, _ = _support_candidates(
            A0, B0, tol, safe, max_supports
        )
        equilibria, dropped, complete = with_continua(
            g, xs, ys, cont_i, cont_j, n_cont, A, B, tol, tol_s, notes, RANK_TOL, SAME_TOL
        )
        if dropped:
            complete = False
            notes.append(f"{dropped} candidate(s) failed verification (regret > {tol_s:.3g})")
        notes = tuple(notes)
    else:  # the kernel verified, sorted and deduplicated the candidates
        tol_s = at(2)
        m, n = A0.shape
        mn = m + n
        equilibria = []
        for t in range(1, P.shape[0]):  # row t: x | y | payoffs | regret
            row = P[t]
            equilibria.append(
                new_equilibrium(
                    (row[:m], row[m:mn]), row[mn : mn + 2], at(t, mn + 2), {"continuum": False}
                )
            )
        equilibria = tuple(equilibria)
        complete = safe and not dropped
        notes = (_FAST_NOTE,) if not safe else ()
        if dropped:
            notes += (f"{dropped} candidate(s) failed verification (regret > {tol_s:.3g})",)
    options = {"tol": tol, "degenerate": degenerate}
    if capped:
        complete = False
        notes = (*notes, _cap_note(max_supports, *A0.shape))
        options["max_supports"] = max_supports
    count = len(equilibria) if complete else None
    if len(equilibria) > max_equilibria:
        notes = (
            *notes,
            f"{len(equilibria)} equilibria found; listed the first {max_equilibria} "
            f"(max_equilibria={max_equilibria})",
        )
        equilibria = equilibria[:max_equilibria]
        complete = False
        options["max_equilibria"] = max_equilibria
    return new_result(g, "support", equilibria, options, tol_s, complete, notes, count)


def _cap_note(max_supports: int, m: int, n: int) -> str:
    pairs = f"{(2**m - 1) * (2**n - 1) - m * n:.3g}" if m + n < 1000 else "over 1e300"
    return (
        f"support enumeration stopped at the work limit max_supports={max_supports} "
        f"(a {m}x{n} game has {pairs} support pairs larger than 1x1): equilibria on "
        "larger supports may be missing; raise max_supports, or use method "
        "'lemke_howson' (labels='all') for a few equilibria of a large game"
    )


_FAST_NOTE = (
    "degenerate='fast' tries equal-size supports with unique solutions only: complete "
    "if the game is nondegenerate (not checked); use degenerate='safe' otherwise"
)


@njit(cache=True)
def solve_affine(M, r, c, sol, rank_tol):  # pragma: no cover - compiled
    """Solve the r x c system with augmented column ``M[:r, c]`` in place.

    Returns 0 if inconsistent, 1 for a unique solution (in ``sol[:c]``), 2 if consistent
    with free variables.  Gaussian elimination with partial pivoting.
    """
    row = 0
    for col in range(c):
        if row == r:
            break
        p = row
        best = abs(M[row, col])
        for i in range(row + 1, r):
            v = abs(M[i, col])
            if v > best:
                best = v
                p = i
        if best <= rank_tol:
            continue
        if p != row:
            for j in range(col, c + 1):
                t = M[row, j]
                M[row, j] = M[p, j]
                M[p, j] = t
        piv = M[row, col]
        for i in range(row + 1, r):
            f = M[i, col] / piv
            if f != 0.0:
                for j in range(col, c + 1):
                    M[i, j] -= f * M[row, j]
        row += 1
    for i in range(row, r):
        if abs(M[i, c]) > rank_tol:
            return 0
    if row < c:
        return 2
    for i in range(c - 1, -1, -1):
        s = M[i, c]
        for j in range(i + 1, c):
            s -= M[i, j] * sol[j]
        sol[i] = s / M[i, i]
    return 1


@njit(cache=True)
def _indifference(P, rows, k1, cols, k2, M, sol, tol_s, rank_tol):  # pragma: no cover - compiled
    """Status of {q on J: (P q)_i = u for i in I, sum q = 1}: 0 none/infeasible, 1 unique
    and a best response (q >= 0, no row outside I better), 2 continuum."""
    for a in range(k1):
        for b in range(k2):
            M[a, b] = P[rows[a], cols[b]]
        M[a, k2] = -1.0
        M[a, k2 + 1] = 0.0
    for b in range(k2):
        M[k1, b] = 1.0
    M[k1, k2] = 0.0
    M[k1, k2 + 1] = 1.0
    status = solve_affine(M, k1 + 1, k2 + 1, sol, rank_tol)
    if status != 1:
        return status
    for b in range(k2):
        if sol[b] < -tol_s:
            return 0
    u = sol[k2]
    m = P.shape[0]
    a = 0
    for i in range(m):
        if a < k1 and rows[a] == i:
            a += 1
            continue
        s = 0.0
        for b in range(k2):
            s += P[i, cols[b]] * sol[b]
        if s > u + tol_s:
            return 0
    return 1


@njit(cache=True)
def _grow(buf, need):  # pragma: no cover - compiled
    if need <= buf.shape[0]:
        return buf
    out = np.zeros((2 * buf.shape[0], buf.shape[1]), dtype=buf.dtype)
    out[: buf.shape[0]] = buf
    return out


@njit(cache=True)
def _support_enumeration(A, B, tol_s, rank_tol, safe, max_pairs):  # pragma: no cover
    """Candidates of every support pair, the pure ones first; stops before the
    ``max_pairs``-th pair larger than 1 x 1 (last output True)."""
    m, n = A.shape
    tried = 0
    BT = B.T  # a view (the systems are small: strided reads cost less than a copy)
    size = max(m, n) + 2
    work = np.empty((2 * size + 2, size))  # one allocation: two systems, two solutions
    My = work[:size]
    Mx = work[size : 2 * size]
    sy = work[2 * size]
    sx = work[2 * size + 1]
    xs = np.zeros((16, m))
    ys = np.zeros((16, n))
    cont = np.zeros((4, m + n), dtype=np.bool_)  # support pairs with a continuum: I | J
    n_eq = 0
    n_cont = 0
    idx = np.empty(m + n, dtype=np.int64)
    rows = idx[:m]
    cols = idx[m:]
    # supports of size 1 x 1 (pure profiles) in one O(mn) pass: (i, j) is an equilibrium
    # iff i is a best reply to column j and j to row i
    for i in range(m):
        for j in range(n):
            best_a = True
            for r in range(m):
                if A[r, j] > A[i, j] + tol_s:
                    best_a = False
                    break
            if not best_a:
                continue
            best_b = True
            for c in range(n):
                if B[i, c] > B[i, j] + tol_s:
                    best_b = False
                    break
            if best_b:
                xs = _grow(xs, n_eq + 1)
                ys = _grow(ys, n_eq + 1)
                xs[n_eq, :] = 0.0
                ys[n_eq, :] = 0.0
                xs[n_eq, i] = 1.0
                ys[n_eq, j] = 1.0
                n_eq += 1
    for k1 in range(1, m + 1):
        lo = 1 if safe else k1
        hi = n if safe else min(k1, n)
        for k2 in range(lo, hi + 1):
            if k1 == 1 and k2 == 1:
                continue  # done above
            for a in range(k1):
                rows[a] = a
            more_i = True
            while more_i:
                for b in range(k2):
                    cols[b] = b
                more_j = True
                while more_j:
                    if tried >= max_pairs:
                        return xs, ys, n_eq, cont[:, :m], cont[:, m:], n_cont, True
                    tried += 1
                    st_y = _indifference(A, rows, k1, cols, k2, My, sy, tol_s, rank_tol)
                    if st_y != 0:
                        st_x = _indifference(BT, cols, k2, rows, k1, Mx, sx, tol_s, rank_tol)
                        if st_y == 1 and st_x == 1:
                            xs = _grow(xs, n_eq + 1)
                            ys = _grow(ys, n_eq + 1)
                            xs[n_eq, :] = 0.0
                            ys[n_eq, :] = 0.0
                            for a in range(k1):
                                xs[n_eq, rows[a]] = sx[a]
                            for b in range(k2):
                                ys[n_eq, cols[b]] = sy[b]
                            n_eq += 1
                        elif st_x != 0 and safe:
                            if n_cont < MAX_CONTINUUM_PAIRS:  # only these are expanded
                                cont = _grow(cont, n_cont + 1)
                                cont[n_cont, :] = False
                                for a in range(k1):
                                    cont[n_cont, rows[a]] = True
                                for b in range(k2):
                                    cont[n_cont, m + cols[b]] = True
                            n_cont += 1
                        elif st_x != 0:
                            n_cont += 1
                    more_j = _next_comb(cols, k2, n)
                more_i = _next_comb(rows, k1, m)
    return xs, ys, n_eq, cont[:, :m], cont[:, m:], n_cont, False


@njit(cache=True)
def _unit_range(P):  # pragma: no cover - compiled
    """``P`` mapped onto [0, 1] (zeros if constant), and its range ``max - min``.  Plain
    loops: ``P.min()``, ``P.max()`` and ``(P - lo) / span`` cost more than the rest on a
    small game."""
    m, n = P.shape
    lo, hi = _range(P)
    span = hi - lo
    out = np.zeros_like(P)
    if span == 0.0:
        return out, 0.0
    inv = 1.0 / span
    for i in range(m):
        for j in range(n):
            out[i, j] = (P[i, j] - lo) * inv
    return out, span


@njit(cache=True)
def _support_candidates(A0, B0, tol, safe, max_pairs):  # pragma: no cover - compiled
    """:func:`_support_enumeration` on the payoffs mapped onto [0, 1] (so ``RANK_TOL`` is
    relative).  Returns the candidates with unique solutions ``xs, ys``, the support pairs
    with a continuum ``ci, cj, n_cont``, the mapped payoffs, the absolute regret
    tolerance: `tol` times the payoff scale (the larger of the two players' payoff
    ranges, 1 if both are constant), and whether `max_pairs` stopped the enumeration."""
    A, sa = _unit_range(A0)
    B, sb = _unit_range(B0)
    scale = max(sa, sb)
    if scale == 0.0:
        scale = 1.0
    xs, ys, n_eq, ci, cj, n_cont, capped = _support_enumeration(
        A, B, tol, RANK_TOL, safe, max_pairs
    )
    return xs[:n_eq], ys[:n_eq], ci, cj, n_cont, A, B, tol * scale, capped


@njit(cache=True)
def _support_packed(A0, B0, tol, safe, max_pairs):  # pragma: no cover - compiled
    """The candidates of :func:`_support_candidates` verified on the original payoffs by
    :func:`bargain.solvers.verify.bimatrix_profiles`, deduplicated and sorted.  One float
    array out keeps the call's boxing cost small (a few microseconds solve a 2x2 game):
    row 0 holds the number of support pairs with a continuum, the number of candidates
    dropped, the absolute tolerance (the integers are exact) and a flag: 1 if
    `max_pairs` stopped the enumeration, 2 if a payoff is too large in magnitude for
    float arithmetic (nothing else computed; see :mod:`bargain.solvers.normal_form._scaling`); then
    one row per equilibrium, ``x | y | payoff 1, payoff 2 | regret``."""
    if needs_rescale(A0, B0):
        P = np.zeros((1, A0.shape[0] + A0.shape[1] + 3))
        P[0, 3] = 2.0
        return P
    xs, ys, _, _, n_cont, _, _, tol_s, capped = _support_candidates(A0, B0, tol, safe, max_pairs)
    order, X, Y, values, regret, _, dropped = _bimatrix_profiles(A0, B0, xs, ys, tol_s, SAME_TOL)
    P = _pack_profiles(order, X, Y, values, regret, 0)
    P[0, 0] = n_cont
    P[0, 1] = dropped
    P[0, 2] = tol_s
    P[0, 3] = 1.0 if capped else 0.0
    return P
