"""Two-player zero-sum (and constant-sum) games: value and optimal strategies by LP.

Von Neumann's minimax theorem: in a finite two-player zero-sum game with row payoffs
``A`` there are mixed strategies ``x*``, ``y*`` and a value ``v`` with
``min_j (x*ᵀA)_j = v = max_i (A y*)_i``.  The row player's problem is the linear program

    maximize v  subject to  Aᵀx ≥ v·1,  1ᵀx = 1,  x ≥ 0,

and the column player's is its dual.  A dense simplex kernel (Numba; Dantzig's rule,
switching to Bland's against cycling) solves the column player's LP in the classical form
with payoffs shifted to be positive (maximize 1ᵀw subject to Aw ≤ 1, w ≥ 0; then
y = w/1ᵀw and v = 1/1ᵀw), and reads the row player's strategy off the optimal dual.  If
the result does not verify within the tolerance (ill-conditioned payoffs), both LPs are
solved again with HiGHS (:func:`scipy.optimize.linprog`).

The Nash equilibria of a zero-sum game are exactly the pairs of optimal strategies, and
each player's optimal set is a polytope (possibly more than a point).  :func:`zero_sum`
reports one optimal strategy per player (the vertex the simplex ends at); use method
``"vertex"`` to list every extreme optimal strategy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit
from scipy.optimize import linprog

from bargain.errors import SolverError
from bargain.solvers.normal_form._scaling import power_of_two_scale, rescaled
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import check_tol
from bargain.solvers.verify import expected_payoffs, max_regret

__all__ = ["zero_sum"]

#: HiGHS options: tighter than the defaults (1e-7) so that the verified regret of the
#: returned strategies is at the level of rounding, not of the solver's tolerances.
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def zero_sum(game: Any, *, tol: float = 1e-9, constant_sum: bool = True) -> SolveResult:
    """Value and one pair of optimal (minimax) strategies of a two-player zero-sum game.

    Parameters
    ----------
    game : NormalFormGame
        Numeric two-player game with ``A + B == 0`` (up to `tol`), or, when
        `constant_sum` is true, ``A + B == c`` for a constant ``c``.  A constant-sum game is
        strategically a zero-sum game (subtracting ``c`` from player 2's payoffs changes no
        best response), so it has the same optimal strategies.
    tol : float
        Tolerance of the zero-sum check (absolute, per cell) and of the regret verification.
    constant_sum : bool
        Accept constant-sum games (default).  With ``False`` only ``A + B == 0`` is accepted.

    Returns
    -------
    SolveResult
        Method ``"zero_sum"`` with one :class:`~bargain.solvers.result.Equilibrium` whose
        ``info`` holds ``"value"`` (player 1's value ``v``; player 2 gets ``c - v``),
        ``"value_row"`` (what player 1's strategy guarantees, ``min_j (xᵀA)_j``),
        ``"value_column"`` (what player 2's strategy concedes, ``max_i (Ay)_i``; both equal
        ``v`` by the minimax theorem, up to the regret), ``"constant"`` (``c``, 0 for
        zero-sum) and ``"lp"`` (``"simplex"``: the Numba kernel; ``"highs"``: the
        fallback when the kernel's answer did not verify).
        ``complete`` is true: the equilibrium payoffs are unique, though the optimal
        strategy sets may be polytopes of which one point is reported (see notes).

    Raises
    ------
    SolverError
        If the game is symbolic, does not have two players, is not zero-sum (constant-sum),
        the LP fails, or the strategies found do not verify within `tol`.  The message of
        the zero-sum check names the cell that deviates most.
    ParameterError
        If `tol` is not a finite non-negative number.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.solvers.normal_form.zero_sum import zero_sum
    >>> rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    >>> r = zero_sum(bg.NormalFormGame([rps, -np.array(rps)]))
    >>> round(r[0].info["value"], 12) + 0.0
    0.0
    >>> [round(float(p), 6) for p in r[0].strategies[0]]
    [0.333333, 0.333333, 0.333333]
    """
    tol = check_tol(tol, method="zero_sum")
    if not hasattr(game, "require"):
        raise SolverError(f"method 'zero_sum' needs a NormalFormGame, got {type(game).__name__}")
    game.require(players=2, method="zero_sum")
    A = np.asarray(game.payoffs[0], dtype=float)
    B = np.asarray(game.payoffs[1], dtype=float)
    big = power_of_two_scale((A, B))
    if big != 1.0:  # payoffs too large for the LP's arithmetic: solve them scaled
        return rescaled(
            game,
            big,
            lambda h: zero_sum(h, tol=tol, constant_sum=constant_sum),
            False,
            ("value", "value_row", "value_column", "constant"),
        )
    c = _check_constant_sum(game, A, B, tol, constant_sum)

    lp = "simplex"
    x, y, ok = _simplex_game(np.ascontiguousarray(A), 1e-12)
    strategies = (x, y)
    regret = max_regret((A, B), strategies) if ok else np.inf
    if regret > tol:  # fall back on HiGHS, one LP per player
        lp = "highs"
        x, _ = _row_lp(A)
        y, _ = _row_lp(-A.T)
        strategies = (x, y)
        regret = max_regret((A, B), strategies)
    if regret > tol:
        raise SolverError(
            f"method 'zero_sum': the LP solution has max regret {regret:.3g} > tol={tol:g}; "
            "the payoffs may be badly scaled"
        )
    pay = expected_payoffs((A, B), strategies)
    value = float(pay[0])
    eq = Equilibrium(
        strategies=strategies,
        payoffs=pay,
        max_regret=regret,
        info={
            "value": value,
            "value_row": float(np.min(x @ A)),
            "value_column": float(np.max(A @ y)),
            "constant": c,
            "lp": lp,
        },
    )
    notes = (
        "zero_sum: one optimal strategy per player is reported; each player's set of "
        "optimal strategies is a polytope (use method 'vertex' for all its vertices)",
    )
    if c != 0.0:
        notes = (*notes, f"zero_sum: constant-sum game (A + B = {c:g}); player 2's value is c - v")
    return SolveResult(
        game=game,
        method="zero_sum",
        equilibria=(eq,),
        options={"tol": tol, "constant_sum": constant_sum},
        tolerance=tol,
        complete=True,
        notes=notes,
    )


def _check_constant_sum(game: Any, A: np.ndarray, B: np.ndarray, tol: float, allow: bool):
    """Return the constant ``c`` with ``A + B == c`` or raise naming the worst cell."""
    S = A + B
    c = 0.0
    if allow:
        mid = 0.5 * (float(S.max()) + float(S.min()))
        # snap to 0 when the game is zero-sum within tol, so c is exactly 0 there
        c = 0.0 if float(np.max(np.abs(S))) <= tol else mid
    dev = np.abs(S - c)
    worst = np.unravel_index(int(np.argmax(dev)), S.shape)
    if dev[worst] > tol:
        r, k = (int(i) for i in worst)
        what = "constant-sum" if allow else "zero-sum"
        rhs = "a constant" if allow else "0"
        raise SolverError(
            f"method 'zero_sum' needs a {what} game (A + B == {rhs} within tol={tol:g}); "
            f"the largest deviation is at cell ({r}, {k}) (player {game.players[0]!r} plays "
            f"{game.strategies[0][r]!r}, player {game.players[1]!r} plays "
            f"{game.strategies[1][k]!r}): A + B = {float(S[worst]):g}"
            + (f", constant would be {c:g}" if allow else "")
        )
    return c


def _row_lp(A: np.ndarray) -> tuple[np.ndarray, float]:
    """Maximin strategy of the row player of ``A`` and its guaranteed value."""
    m, n = A.shape
    # variables (x_1..x_m, v); minimize -v
    cost = np.zeros(m + 1)
    cost[-1] = -1.0
    # v - (Aᵀx)_j <= 0 for every column j
    A_ub = np.hstack([-A.T, np.ones((n, 1))])
    b_ub = np.zeros(n)
    A_eq = np.zeros((1, m + 1))
    A_eq[0, :m] = 1.0
    bounds = [(0.0, None)] * m + [(None, None)]
    res = linprog(
        cost,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=bounds,
        method="highs",
        options=_HIGHS,
    )
    if res.status != 0:
        raise SolverError(f"method 'zero_sum': HiGHS failed on the value LP: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    x = x / x.sum()
    return x, float(res.x[-1])


@njit(cache=True)
def _simplex_game(A, eps):
    """Optimal strategies of both players of the zero-sum game A by one tableau simplex.

    With ``P = A - min(A) + 1 > 0``, the column player's LP is: maximize 1ᵀw subject to
    Pw ≤ 1, w ≥ 0 (Dantzig's rule, switching to Bland's after
    a run of degenerate pivots, so it cannot cycle); y = w/1ᵀw, v = 1/1ᵀw + shift.  The
    row player's strategy is the optimal dual (the reduced costs of the slacks),
    normalized.  Returns (x, y, ok)."""
    m, n = A.shape
    shift = np.min(A) - 1.0
    # rows 0..m-1: constraints (one per row of A); row m: objective (reduced costs);
    # columns: n variables w, m slacks, right-hand side
    W = n + m
    T = np.zeros((m + 1, W + 1))
    for i in range(m):
        for j in range(n):
            T[i, j] = A[i, j] - shift
        T[i, n + i] = 1.0
        T[i, W] = 1.0
    for j in range(n):
        T[m, j] = -1.0
    basis = np.empty(m, np.int64)
    for i in range(m):
        basis[i] = n + i
    ok = False
    bland = False
    stuck = 0  # consecutive degenerate pivots
    for _ in range(50 * W + 100):
        # Dantzig's rule (most negative reduced cost); Bland's rule (first negative one)
        # after a run of degenerate pivots, which rules out cycling
        enter = -1
        most = -eps
        for k in range(W):
            if T[m, k] < most:
                enter = k
                most = T[m, k]
                if bland:
                    break
        if enter < 0:
            ok = True
            break
        leave = -1
        best = np.inf
        for i in range(m):
            if T[i, enter] > eps:
                ratio = T[i, W] / T[i, enter]
                if ratio < best - 1e-15 or (abs(ratio - best) <= 1e-15 and basis[i] < basis[leave]):
                    best = ratio
                    leave = i
        if leave < 0:
            break  # unbounded: impossible for this LP, so numerical trouble
        if best <= 1e-15:
            stuck += 1
            bland = bland or stuck > W
        else:
            stuck = 0
        piv = T[leave, enter]
        for k in range(W + 1):
            T[leave, k] /= piv
        for r in range(m + 1):
            if r != leave:
                f = T[r, enter]
                if f != 0.0:
                    for k in range(W + 1):
                        T[r, k] -= f * T[leave, k]
        basis[leave] = enter
    x = np.zeros(m)
    y = np.zeros(n)
    if not ok:
        return x, y, False
    for i in range(m):
        if basis[i] < n:
            y[basis[i]] = max(T[i, W], 0.0)
    for i in range(m):
        x[i] = max(T[m, n + i], 0.0)
    sx = x.sum()
    sy = y.sum()
    if sx <= 0.0 or sy <= 0.0:
        return x, y, False
    return x / sx, y / sy, True
