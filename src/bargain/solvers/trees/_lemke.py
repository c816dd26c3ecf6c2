"""Lemke's complementary pivoting on a dense tableau (private Numba kernels).

The tableau ``T`` has one row per basic variable and the columns
``[variables (ncols) | right-hand side]``.  Ties of the minimum-ratio test are broken
lexicographically by the columns ``lexcols`` of the variables basic at the start (in the
order of their starting rows): in the starting basis they form the identity, so this is
the perturbation ``rhs + (ε, ε², …)`` of the starting basic solution; every basic solution
along the path is lexicographically positive and degenerate games cannot make the path
cycle (Dantzig, Orden & Wolfe 1955; Lemke 1965).

The path ends when the artificial variable ``z0`` leaves (a solution), when the entering
column has no positive entry (a ray), or at ``max_iter``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["CAPPED", "RAY", "SOLVED", "lemke_path"]

SOLVED, RAY, CAPPED = 0, 1, 2


@njit(cache=True)
def _lex_min_row(T, col, lexcols, piv_tol, ratio_tol, rows, prefer):  # pragma: no cover
    """Row of the lexicographic minimum-ratio test for entering column `col` (-1: none).

    Entries up to ``piv_tol`` times the column's largest entry count as zero (rounding
    noise of exact zeros), so the path never pivots on noise.  If row `prefer` (where the
    artificial variable is basic) ties for the minimum ratio, it leaves: that ends the path
    at a solution instead of wandering among degenerate bases.
    """
    n_rows = T.shape[0]
    rhs = T.shape[1] - 1
    big = 0.0
    for r in range(n_rows):
        big = max(big, abs(T[r, col]))
    k = 0
    thr_piv = piv_tol * max(1.0, big)
    for r in range(n_rows):
        if T[r, col] > thr_piv:
            rows[k] = r
            k += 1
    if k == 0:
        return -1
    for level in range(lexcols.shape[0] + 1):
        c = rhs if level == 0 else lexcols[level - 1]
        best = np.inf
        for a in range(k):
            r = rows[a]
            # a basic value below 0 is rounding noise of a degenerate 0
            num = max(T[r, c], 0.0) if level == 0 else T[r, c]
            v = num / T[r, col]
            if v < best:
                best = v
        keep = 0
        thr = ratio_tol * max(1.0, abs(best))
        for a in range(k):
            r = rows[a]
            num = max(T[r, c], 0.0) if level == 0 else T[r, c]
            if num / T[r, col] - best <= thr:
                rows[keep] = r
                keep += 1
        k = keep
        if level == 0:
            for a in range(k):
                if rows[a] == prefer:
                    return prefer
        if k == 1:
            break
    return rows[0]


@njit(cache=True)
def _pivot(T, row, col, nz):  # pragma: no cover - compiled
    """Gauss–Jordan pivot on (row, col), touching only the pivot row's nonzero columns."""
    width = T.shape[1]
    p = T[row, col]
    k = 0
    for j in range(width):
        v = T[row, j]
        if v != 0.0:
            T[row, j] = v / p
            nz[k] = j
            k += 1
    T[row, col] = 1.0
    for r in range(T.shape[0]):
        if r != row:
            f = T[r, col]
            if f != 0.0:
                for a in range(k):
                    j = nz[a]
                    T[r, j] -= f * T[row, j]
                T[r, col] = 0.0


@njit(cache=True)
def lemke_path(T, basis, lexcols, complement, enter, z0, max_iter, piv_tol, ratio_tol):
    """Follow the almost-complementary path from the basis in `T` (modified in place).

    Parameters
    ----------
    T : float64 (N, ncols + 1)
        Tableau in the current basis; the last column is the right-hand side.
    basis : int64 (N,)
        Variable basic in each row (modified in place).
    lexcols : int64 (N,)
        Columns that form the identity in the starting basis (tie-breaking order).
    complement : int64 (ncols,)
        Complementary variable of each variable (-1 if none).
    enter : int
        First entering variable.
    z0 : int
        The artificial variable; the path ends when it leaves.

    Returns
    -------
    status : int
        ``SOLVED``, ``RAY`` or ``CAPPED``.
    pivots : int
    """
    n_rows = T.shape[0]
    rows = np.empty(n_rows, np.int64)
    nz = np.empty(T.shape[1], np.int64)
    for it in range(max_iter):
        prefer = -1
        for r in range(n_rows):
            if basis[r] == z0:
                prefer = r
        row = _lex_min_row(T, enter, lexcols, piv_tol, ratio_tol, rows, prefer)
        if row < 0:
            return RAY, it
        leaving = basis[row]
        _pivot(T, row, enter, nz)
        basis[row] = enter
        if leaving == z0:
            return SOLVED, it + 1
        enter = complement[leaving]
        if enter < 0:
            return RAY, it + 1
    return CAPPED, max_iter


@njit(cache=True)
def basis_tableau(T, cols):  # pragma: no cover - compiled
    """Pivot the columns `cols` into the basis of the system `T` (in place; Gauss–Jordan).

    Each column pivots on the unused row with the largest entry.  Returns the variable
    basic in each row, or an array starting with -1 if the columns are singular.  The
    pivots only touch nonzero entries, so a sparse system stays cheap.
    """
    n_rows = T.shape[0]
    basis = np.full(n_rows, -1, np.int64)
    nz = np.empty(T.shape[1], np.int64)
    for c in cols:
        best = -1
        big = 0.0
        for r in range(n_rows):
            if basis[r] < 0 and abs(T[r, c]) > big:
                big = abs(T[r, c])
                best = r
        if best < 0 or big < 1e-12:
            basis[0] = -1
            return basis
        _pivot(T, best, c, nz)
        basis[best] = c
    return basis
