"""Solve many small bimatrix games at once: the kernel behind parameter sweeps.

:func:`solve_batch` takes stacked payoff matrices ``A, B`` of shape ``(n_games, m, n)``
(``m, n <= 6``; meant for 2x2 ... 4x4) and returns fixed-size arrays, computed by one
``parallel=True`` Numba kernel over the games (``prange``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import get_num_threads

from bargain.errors import SolverError
from bargain.solvers.normal_form._batch_kernels import CHUNK, _batch_pure, _batch_support
from bargain.solvers.normal_form._batch_vertices import LABEL_TOL, RANK_TOL
from bargain.solvers.normal_form._scaling import HUGE
from bargain.solvers.tolerance import check_limit, check_tol

__all__ = ["CHUNK", "LABEL_TOL", "MAX_STRATEGIES", "RANK_TOL", "BatchResult", "solve_batch"]

#: the largest number of strategies per player solve_batch accepts
MAX_STRATEGIES = 6


@dataclass(frozen=True)
class BatchResult:
    """Equilibria of a batch of bimatrix games, as fixed-size arrays.

    ``G`` games, ``K`` slots per game (``max_equilibria``), ``m x n`` strategies.  Unused
    slots hold NaN (floats) or False.

    Attributes
    ----------
    method : str
        ``"pure"`` or ``"support"``.
    count : numpy.ndarray of int64, shape (G,)
        Equilibria found in each game (may exceed ``K``: see `overflow`).
    x, y : numpy.ndarray, shapes (G, K, m) and (G, K, n)
        The strategies of players 1 and 2 of each equilibrium.
    payoffs : numpy.ndarray, shape (G, K, 2)
        Expected payoffs.
    regret : numpy.ndarray, shape (G, K)
        Max regret of each equilibrium, in the game's own payoff units.
    isolated : numpy.ndarray of bool, shape (G, K)
        ``"support"``: the equilibrium shares no vertex with another one, so it is an
        isolated equilibrium (a component of one point).  ``"pure"``: always False (not
        computed).
    continuum : numpy.ndarray of bool, shape (G,)
        ``"support"``: the game has a continuum of equilibria (some extreme equilibrium is
        not isolated; the listed ones include the continuum's extreme points).  ``"pure"``:
        always False (not computed).
    overflow : numpy.ndarray of bool, shape (G,)
        More than ``K`` equilibria were found; only the first ``K`` are stored.
    valid : numpy.ndarray of bool, shape (G,)
        No overflow and every stored regret ``<= tol * s`` (``s``: the game's larger
        payoff range, see :func:`solve_batch`).  Games with payoffs above ``2**500`` in
        magnitude are solved divided by a power of two (exact), their payoffs and
        regrets scaled back.
    tol : float
        The relative regret tolerance used.
    """

    method: str
    count: np.ndarray
    x: np.ndarray
    y: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    isolated: np.ndarray
    continuum: np.ndarray
    overflow: np.ndarray
    valid: np.ndarray
    tol: float

    def __len__(self) -> int:
        return int(self.count.shape[0])


def solve_batch(
    A: np.ndarray,
    B: np.ndarray,
    *,
    method: str = "support",
    tol: float = 1e-9,
    max_equilibria: int | None = None,
) -> BatchResult:
    """Equilibria of ``n_games`` small bimatrix games in one parallel kernel call.

    Parameters
    ----------
    A, B : array_like, shape (n_games, m, n)
        Payoffs of the row and the column player, game by game; ``1 <= m, n <= 6``.
    method : {"support", "pure"}
        ``"support"``: every extreme equilibrium — exactly the set
        ``support_enumeration(game, degenerate="safe")`` returns — found as the
        complementary vertex pairs of the two best-response polytopes (each vertex is
        a support of one player making a same-size set of the other's strategies
        indifferent).  Degenerate games included: every isolated equilibrium is counted
        once and flagged `isolated`; a continuum is flagged in `continuum` and represented
        by its extreme points.  ``"pure"``: every pure equilibrium (ties are best
        responses, within ``tol`` relative), in lexicographic order of ``(row, column)``.
    tol : float
        Relative tolerance: best responses within ``tol * s`` count as ties in ``"pure"``,
        and every stored equilibrium is checked to have regret ``<= tol * s``, where ``s``
        is the larger of the two players' payoff ranges (max - min) in that game (1 if
        both are constant).
    max_equilibria : int, optional
        Slots per game ``K``.  Default ``2 ** min(m, n)`` for ``"support"`` (more than
        any nondegenerate game has) and ``m * n`` for ``"pure"``.

    Returns
    -------
    BatchResult

    Raises
    ------
    SolverError
        If the arrays are not 3-D with equal shapes, hold non-finite values, a player has
        more than 6 strategies, or an option is invalid.

    Notes
    -----
    The contract, game by game (``g``): ``count[g]`` equilibria were found; the first
    ``min(count[g], K)`` rows of ``x[g]``, ``y[g]``, ``payoffs[g]``, ``regret[g]``,
    ``isolated[g]`` describe them and the other rows are NaN / False.  ``"support"``
    lists them by player 1's polytope vertex (smaller supports first, then
    lexicographically), then player 2's; the order is deterministic.  Each player's
    payoffs are mapped onto [1, 2] first (this changes no equilibrium), and a constraint
    counts as binding within ``1e-9`` there, so payoff differences below about ``1e-9``
    of a player's payoff range are read as ties.  ``valid[g]`` is False when a stored
    profile fails the regret check or slots overflowed; nothing is dropped silently.
    Results do not depend on the number of threads, nor on the other games in the batch
    (the kernel solves games in blocks, vectorized across games, and sends a game whose
    player 1 is degenerate, or whose completing system is singular, down an exact
    fallback that enumerates both polytopes; the two paths give the same answer).

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[[1.0, -1.0], [-1.0, 1.0]], [[3.0, 0.0], [5.0, 1.0]]])
    >>> B = np.array([-A[0], A[1].T])  # matching pennies, prisoner's dilemma
    >>> r = solve_batch(A, B)
    >>> r.count.tolist(), r.x[0, 0].round(12).tolist(), r.y[1, 0].tolist()
    ([1, 1], [0.5, 0.5], [0.0, 1.0])
    """
    A, B = _check_arrays(A, B)
    tol = check_tol(tol, method=f"solve_batch({method!r})")
    if method not in ("support", "pure"):
        raise SolverError(f"method must be 'support' or 'pure', got {method!r}")
    _, m, n = A.shape
    if max_equilibria is None:
        K = 2 ** min(m, n) if method == "support" else m * n
    else:
        K = check_limit("max_equilibria", max_equilibria, method=f"solve_batch({method!r})")
    G = A.shape[0]
    # allocated here, not in the kernel: NumPy asks for huge pages on large arrays
    count = np.empty(G, dtype=np.int64)
    x, y = np.empty((G, K, m)), np.empty((G, K, n))
    payoffs, regret = np.empty((G, K, 2)), np.empty((G, K))
    isolated = np.empty((G, K), dtype=np.bool_)
    continuum, valid = np.empty(G, dtype=np.bool_), np.empty(G, dtype=np.bool_)
    out = (count, x, y, payoffs, regret, isolated, continuum, valid)
    c = _huge_scales(A, B)  # None, or per game a power of two dividing huge payoffs
    if c is not None:
        A, B = A / c[:, None, None], B / c[:, None, None]
    if method == "support":
        _batch_support(A, B, tol, get_num_threads(), *out)
    else:
        _batch_pure(A, B, tol, *out)
    if c is not None:
        payoffs *= c[:, None, None]
        regret *= c[:, None]
    return BatchResult(
        method=method,
        count=count,
        x=x,
        y=y,
        payoffs=payoffs,
        regret=regret,
        isolated=isolated,
        continuum=continuum,
        overflow=count > K,
        valid=valid,
        tol=tol,
    )


def _huge_scales(A: np.ndarray, B: np.ndarray) -> np.ndarray | None:
    """Per game, the power of two that brings payoffs above ``2**500`` in magnitude to
    ``[1, 2)`` (1 for the other games; exact, see :mod:`bargain.solvers.normal_form._scaling`), or
    None when no game has such payoffs."""
    # max and min scan without the temporary array np.abs would allocate (12.8 MB for
    # 10**5 4x4 games)
    if A.size == 0 or max(A.max(), -A.min(), B.max(), -B.min()) <= HUGE:
        return None
    big = np.maximum(np.abs(A).max(axis=(1, 2)), np.abs(B).max(axis=(1, 2)))
    exp = np.frexp(big)[1] - 1
    return np.where(big > HUGE, np.ldexp(1.0, exp), 1.0)


def _check_arrays(A, B) -> tuple[np.ndarray, np.ndarray]:
    out = []
    for name, P in (("A", A), ("B", B)):
        try:
            P = np.ascontiguousarray(P, dtype=np.float64)
        except (TypeError, ValueError):
            raise SolverError(f"{name} must be a numeric array of shape (n_games, m, n)") from None
        if P.ndim != 3:
            raise SolverError(f"{name} must have shape (n_games, m, n), got shape {P.shape}")
        if not np.all(np.isfinite(P)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(P))[0])
            raise SolverError(f"{name}{list(bad)} is not finite")
        out.append(P)
    A, B = out
    if A.shape != B.shape:
        raise SolverError(f"A and B must have the same shape, got {A.shape} and {B.shape}")
    _, m, n = A.shape
    for who, k in (("player 1 (rows)", m), ("player 2 (columns)", n)):
        if not 1 <= k <= MAX_STRATEGIES:
            raise SolverError(f"{who} has {k} strategies; solve_batch handles 1..{MAX_STRATEGIES}")
    return A, B
