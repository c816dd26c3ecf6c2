"""Nash equilibria of two-player trees with imperfect information, via the sequence form.

The sequence form (Koller, Megiddo & von Stengel 1996; von Stengel 1996) describes a
player's behavior strategy by its *realization plan* ``x`` (``x ≥ 0``, ``Ex = e``), so the
game's size is linear in the tree instead of exponential as the strategic form.  A pair
``(x, y)`` is an equilibrium iff, with free dual variables ``u``, ``v``,

    Eᵀu − Ay ≥ 0 ⊥ x ≥ 0,    Fᵀv − Bᵀx ≥ 0 ⊥ y ≥ 0,    Ex = e,    Fy = f.

General-sum trees: Lemke's algorithm on this linear complementarity problem, with the
covering vector of von Stengel, van den Elzen & Talman (2002) built from a *prior*
``(x̄, ȳ)``: the path follows the linear tracing procedure, on which each player best
responds to ``(1 − z0)·(opponent's plan) + z0·(opponent's prior)``, from ``z0 = 1``
(best responses to the prior) to ``z0 = 0`` (an equilibrium).  The ratio test is
lexicographic, so degenerate games cannot make it cycle.  Different priors may end at
different equilibria.  The first start is the uniform (completely mixed) prior, from
which von Stengel, van den Elzen & Talman (2002) show the equilibrium reached is
normal-form perfect (a property not re-checked here).

Zero-sum (and constant-sum) trees: the sequence-form linear program (Koller, Megiddo &
von Stengel 1996, §4; Romanovskii 1962) solved with HiGHS; ``info["value"]`` is player 1's
value.

Every profile returned is verified on the tree: each player's best-response value against
the other's behavior strategy is computed by backward induction over the player's own
information sets (:func:`bargain.solvers.trees.behavior.tree_regret`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.solvers.certify import magnitude_reason
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees._lemke import CAPPED, SOLVED, basis_tableau, lemke_path
from bargain.solvers.trees._seqform_build import SequenceForm, build_sequence_form
from bargain.solvers.trees._seqform_exact import exact_behavior, exact_equilibrium
from bargain.solvers.trees._seqform_huge import solve_exactly
from bargain.solvers.trees._seqform_paths import parent_seq
from bargain.solvers.trees._seqform_paths import path as path_of
from bargain.solvers.trees.behavior import (
    _backward_max,
    behavior_from_realization,
    beliefs,
    expected_payoffs,
    realization_plan,
    tree_regret,
)

__all__ = ["sequence_form"]

#: at most this many Lemke paths from generated priors (``starts`` as an integer)
MAX_STARTS = 10_000
_PIV_TOL = 1e-9
_RATIO_TOL = 1e-11
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def sequence_form(
    game: Any,
    *,
    tol: float = 1e-9,
    exact: bool = False,
    starts: int | Sequence[Any] = 1,
    max_iter: int | None = None,
    zero_sum: bool | None = None,
    seed: int = 0,
) -> SolveResult:
    """Equilibria of a two-player tree with perfect recall via its sequence form.

    Parameters
    ----------
    game : GameTree
        Numeric two-player tree (chance moves allowed); perfect recall is guaranteed by
        :class:`~bargain.games.extensive_form.GameTree`.
    tol : float
        Verification tolerance on the max regret, relative to the payoff scale
        ``s = max(1, max |payoff|)``.
    exact : bool
        Recompute each equilibrium in rational arithmetic from Lemke's final basis and
        verify it exactly: no player gains by deviating, in rational arithmetic.
        ``Equilibrium.exact`` holds each player's behavior probabilities as fractions (own
        information sets in order, their actions concatenated) and
        ``info["realization"]`` the float plans.  Not available
        for the zero-sum LP (pass ``zero_sum=False``).
    starts : int or sequence of behavior profiles
        Priors of the tracing procedure.  An integer ``k`` uses the uniform prior first,
        then the pure profiles "first action everywhere", "last action everywhere" and
        pure profiles drawn with `seed`.  Or give the priors (per player, per information
        set, action probabilities).  Equilibria found from several starts are listed once
        (``info["starts"]``).
    max_iter : int, optional
        Pivot cap per path (default ``50 * N + 1000`` for ``N`` tableau rows).
    zero_sum : bool, optional
        Use the linear program (True) or Lemke (False); default: the LP when every leaf's
        payoffs sum to the same constant (within ``tol``).
    seed : int
        Seed of the random pure priors.

    Returns
    -------
    SolveResult
        Method ``"sequence_form"``.  Each equilibrium has ``behavior`` (per player, per own
        information set in order of first appearance; uniform where the player's own plan
        never reaches the set, see notes), ``payoffs``, ``max_regret`` (on the tree) and
        ``info`` with ``"beliefs"`` (information set index → Bayes' rule belief over its
        nodes, for every set reached with positive probability), ``"realization"`` (the two
        realization plans), ``"starts"`` and ``"pivots"``, and, for zero-sum trees,
        ``"value"``.  ``complete`` is False for Lemke (it finds some equilibria, not all).

    Raises
    ------
    SolverError
        If `game` is not a GameTree, has not two players, is symbolic, or no start yields a
        verified equilibrium.
    ParameterError
        For a bad `tol`, `starts`, `max_iter` or `seed`.

    Examples
    --------
    >>> from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
    >>> def guess(c):   # matching pennies: B guesses the coin A chose, without seeing it
    ...     return Decision("B", {"h": Terminal(-1 if c == "h" else 1, 1 if c == "h" else -1),
    ...                           "t": Terminal(1 if c == "h" else -1, -1 if c == "h" else 1)},
    ...                     infoset="guess")
    >>> t = GameTree(("A", "B"), Decision("A", {"h": guess("h"), "t": guess("t")}))
    >>> r = sequence_form(t)
    >>> [b.round(6).tolist() for p in r[0].behavior for b in p]
    [[0.5, 0.5], [0.5, 0.5]]
    >>> round(r[0].info["value"], 9) + 0.0
    0.0
    """
    tree = _require(game)
    _check_options(tol, max_iter, seed)
    priors = _priors(tree, starts, seed)
    sf = build_sequence_form(tree)
    scale = max(1.0, float(np.max(np.abs(sf.leaf_payoffs), initial=0.0)))
    reason = magnitude_reason(tree)
    if reason is not None:  # floats cannot certify: exact enumeration of the reduced form
        return solve_exactly(tree, reason, {"tol": tol, "exact": exact, "zero_sum": zero_sum})
    bound = float(tol) * scale
    sums = sf.leaf_payoffs.sum(axis=1)
    constant = bool(sums.size == 0 or np.ptp(sums) <= tol * scale)
    use_lp = constant if zero_sum is None else bool(zero_sum)
    if use_lp and not constant:
        raise SolverError(
            "zero_sum=True needs payoffs that sum to the same constant at every leaf; "
            f"they range over [{sums.min():g}, {sums.max():g}]"
        )
    options = {
        "tol": tol,
        "exact": exact,
        "starts": starts,
        "max_iter": max_iter,
        "zero_sum": zero_sum,
        "seed": seed,
    }
    if use_lp and zero_sum is None and not exact and sum(sf.shape) <= SMALL_LCP:
        return _small_zero_sum(tree, sf, priors, bound, max_iter, options)
    if use_lp:
        if exact:
            raise SolverError("exact=True is available for Lemke only; pass zero_sum=False")
        eq = _solve_lp(tree, sf, bound)
        return SolveResult(
            game=tree,
            method="sequence_form",
            equilibria=(eq,),
            options=options,
            tolerance=bound,
            complete=True,
            notes=("zero-sum tree: sequence-form linear program (HiGHS)",),
        )
    return _solve_lcp(tree, sf, priors, bound, exact, max_iter, options)


# -- validation ------------------------------------------------------------------------------


def _require(game: Any):
    from bargain.games.extensive_form import GameTree

    if not isinstance(game, GameTree):
        raise SolverError(
            f"method 'sequence_form' needs a GameTree, got {type(game).__name__}; for a "
            "NormalFormGame use method 'vertex' or 'lemke_howson'"
        )
    if game.n_players != 2:
        raise SolverError(
            f"method 'sequence_form' needs a two-player tree, got {game.n_players} players "
            f"({', '.join(game.players)}); use method 'logit' for n players"
        )
    if game.is_symbolic:
        raise SolverError(
            "the tree has symbolic payoffs or probabilities; call .numeric(...) with "
            "parameter values first"
        )
    game.require_perfect_recall("method 'sequence_form'")
    return game


def _check_options(tol: Any, max_iter: Any, seed: Any) -> None:
    check_tol(tol, method="sequence_form")
    if max_iter is not None:
        check_limit("max_iter", max_iter, method="sequence_form")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ParameterError("seed", f"must be an integer, got {seed!r}")


def _priors(tree: Any, starts: Any, seed: int) -> list[list[list[np.ndarray]]]:
    """Starting behavior profiles (uniform, first, last, then seeded random pure ones)."""
    sets = [[s for s in tree.infosets if s.player == p] for p in range(2)]
    if isinstance(starts, (int, np.integer)) and not isinstance(starts, bool):
        if not 1 <= starts <= MAX_STARTS:
            raise ParameterError(
                "starts", f"must be in [1, {MAX_STARTS}] or a list of profiles, got {starts}"
            )
        rng = np.random.default_rng(seed)

        def pure(pick) -> list[list[np.ndarray]]:
            return [[np.eye(len(s.actions))[pick(len(s.actions))] for s in own] for own in sets]

        out = [[[np.full(len(s.actions), 1 / len(s.actions)) for s in own] for own in sets]]
        makers = [lambda k: 0, lambda k: k - 1]
        while len(out) < starts:
            maker = (
                makers[len(out) - 1]
                if len(out) <= len(makers)
                else (lambda k: int(rng.integers(k)))
            )
            out.append(pure(maker))
        return out
    if isinstance(starts, (str, bytes)) or not isinstance(starts, Sequence) or not starts:
        raise ParameterError(
            "starts",
            f"must be an integer >= 1 or a non-empty list of behavior profiles, got {starts!r}",
        )
    out = []
    for k, prof in enumerate(starts):
        try:
            plans = [realization_plan(tree, p, prof[p]) for p in range(2)]
        except (GameShapeError, TypeError, IndexError) as exc:
            raise ParameterError("starts", f"profile {k}: {exc}") from None
        out.append([list(behavior_from_realization(tree, p, plans[p])) for p in range(2)])
    return out


# -- Lemke -----------------------------------------------------------------------------------


def _tableau(sf: SequenceForm, xbar: np.ndarray, ybar: np.ndarray, pay_scale: float):
    """Starting tableau of the tracing-procedure LCP and its bookkeeping arrays.

    Variables: x (m), y (n), u (k1), v (k2), w_x (m), w_y (n), z0.  Rows:
    ``w_x − Eᵀu + Ay + (Aȳ) z0 = 0``, ``w_y − Fᵀv + Bᵀx + (Bᵀx̄) z0 = 0``,
    ``Ex + e z0 = e``, ``Fy + f z0 = f``.  Starting basis: z0 = 1, each player's best
    response to the opponent's prior (one sequence per information set, at level 0),
    the duals u, v, and the slacks of the other sequences; the missing label is the empty
    sequence of player 1, whose variable x_∅ enters first.
    """
    A, B = sf.A / pay_scale, sf.B / pay_scale
    E, F = sf.E, sf.F
    m, n = A.shape
    k1, k2 = E.shape[0], F.shape[0]
    N = m + n + k1 + k2
    X, Y, U, V = 0, m, m + n, m + n + k1
    WX, WY, Z0 = m + n + k1 + k2, 2 * m + n + k1 + k2, 2 * m + 2 * n + k1 + k2
    ncols = Z0 + 1
    M = np.zeros((N, ncols + 1))
    M[:m, WX : WX + m] = np.eye(m)
    M[:m, U : U + k1] = -E.T
    M[:m, Y : Y + n] = A
    M[:m, Z0] = A @ ybar
    M[m : m + n, WY : WY + n] = np.eye(n)
    M[m : m + n, V : V + k2] = -F.T
    M[m : m + n, X : X + m] = B.T
    M[m : m + n, Z0] = B.T @ xbar
    M[m + n : m + n + k1, X : X + m] = E
    M[m + n, Z0] = M[m + n, ncols] = 1.0
    M[m + n + k1 :, Y : Y + n] = F
    M[m + n + k1, Z0] = M[m + n + k1, ncols] = 1.0
    _, c1 = _backward_max(sf.index[0], A @ ybar)
    _, c2 = _backward_max(sf.index[1], B.T @ xbar)
    s1 = np.zeros(m, bool)
    s1[sf.index[0].first + c1] = True
    s2 = np.zeros(n, bool)
    s2[0] = True
    s2[sf.index[1].first + c2] = True
    basic = np.concatenate(
        [
            np.arange(U, U + k1 + k2),
            [Z0],
            X + np.flatnonzero(s1),
            WX + np.flatnonzero(~s1[1:]) + 1,
            Y + np.flatnonzero(s2),
            WY + np.flatnonzero(~s2),
        ]
    ).astype(np.int64)
    T = M.copy()
    basic = basis_tableau(T, basic)
    if basic[0] < 0:
        raise SolverError("internal error: the starting basis of Lemke's path is singular")
    # the free duals u, v never leave the basis and no other row depends on them: drop
    # their rows and columns; renumber x, y, w_x, w_y, z0 consecutively
    keep_rows = (basic < U) | (basic >= WX)
    keep_cols = np.r_[X : X + m + n, WX : ncols + 1]
    new_of = np.full(ncols, -1, np.int64)
    new_of[keep_cols[:-1]] = np.arange(len(keep_cols) - 1)
    T = np.ascontiguousarray(T[np.ix_(keep_rows, keep_cols)])
    basis = new_of[basic[keep_rows]]
    if np.any(T[:, -1] < -1e-9):
        raise SolverError("internal error: the starting basis of Lemke's path is infeasible")
    T[T[:, -1] < 0, -1] = 0.0
    mn = m + n
    comp = np.concatenate([np.arange(mn, 2 * mn), np.arange(mn), [-1]]).astype(np.int64)
    return T, basis, basis.copy(), comp, 2 * mn, keep_cols[:-1]


def _solve_lcp(tree, sf, priors, bound, exact, max_iter, options) -> SolveResult:
    pay_scale = max(1.0, float(np.max(np.abs(sf.leaf_payoffs), initial=0.0)))
    m, n = sf.shape
    found: dict[tuple, int] = {}
    equilibria: list[Equilibrium] = []
    notes = ["Lemke's algorithm finds some equilibria, not necessarily all"]
    for k, prior in enumerate(priors):
        xbar = realization_plan(tree, 0, prior[0])
        ybar = realization_plan(tree, 1, prior[1])
        T, basis, lexcols, comp, z0, old_of = _tableau(sf, xbar, ybar, pay_scale)
        cap = max_iter if max_iter is not None else 50 * T.shape[0] + 1000
        status, pivots = lemke_path(T, basis, lexcols, comp, 0, z0, cap, _PIV_TOL, _RATIO_TOL)
        if status != SOLVED:
            what = "reached max_iter" if status == CAPPED else "ended on a ray"
            notes.append(f"start {k}: Lemke's path {what} after {pivots} pivots")
            continue
        x = np.zeros(m)
        y = np.zeros(n)
        rhs = T[:, -1]
        for r, var in enumerate(basis):
            if var < m:
                x[var] = rhs[r]
            elif var < m + n:
                y[var - m] = rhs[r]
        x = np.clip(x, 0.0, None)
        y = np.clip(y, 0.0, None)
        frac = None
        if exact:
            free = np.arange(m + n, m + n + sf.E.shape[0] + sf.F.shape[0])
            frac = exact_equilibrium(tree, sf, np.concatenate([free, old_of[basis]]))
            if frac is None:
                notes.append(
                    f"start {k}: the rational solution of Lemke's basis failed "
                    "exact verification; dropped"
                )
                continue
            x = np.array([float(v) for v in frac[0]])
            y = np.array([float(v) for v in frac[1]])
        key = tuple(np.round(np.concatenate([x, y]), 9).tolist())
        if key in found:
            e = found[key]
            old = equilibria[e]
            equilibria[e] = _with_info(old, starts=(*old.info["starts"], k))
            continue
        eq = _equilibrium(tree, x, y, bound, {"starts": (k,), "pivots": int(pivots)}, frac)
        if eq is None:
            notes.append(f"start {k}: Lemke's solution failed verification; dropped")
            continue
        found[key] = len(equilibria)
        equilibria.append(eq)
    if not equilibria:
        raise SolverError(
            "method 'sequence_form': no start gave a verified equilibrium; " + "; ".join(notes[1:])
        )
    if any(eq.info.get("uniform_at") for eq in equilibria):
        notes.append(
            "behavior is uniform at information sets the player's own plan never "
            "reaches (info['uniform_at']); any behavior there gives the same outcome"
        )
    return SolveResult(
        game=tree,
        method="sequence_form",
        equilibria=tuple(equilibria),
        options=options,
        tolerance=bound,
        complete=False,
        notes=tuple(notes),
    )


def _with_info(eq: Equilibrium, **extra: Any) -> Equilibrium:
    return dataclasses.replace(eq, info={**eq.info, **extra})


def _equilibrium(tree, x, y, bound, info, frac=None) -> Equilibrium | None:
    behavior = (
        behavior_from_realization(tree, 0, x, tol=1e-12),
        behavior_from_realization(tree, 1, y, tol=1e-12),
    )
    regret = float(tree_regret(tree, behavior).max())
    if regret > bound:
        return None
    sf_index = [[s.index for s in tree.infosets if s.player == p] for p in range(2)]
    plans = (x, y)
    uniform = tuple(
        h
        for p in range(2)
        for k, h in enumerate(sf_index[p])
        if plans[p][parent_seq(tree, p, k)] <= 1e-12
    )
    bel = {i: b for i, b in enumerate(beliefs(tree, behavior)) if b is not None}
    return Equilibrium(
        behavior=behavior,
        payoffs=expected_payoffs(tree, behavior),
        max_regret=regret,
        exact=None if frac is None else exact_behavior(tree, sf_plans=frac),
        path=path_of(tree, behavior),
        info={**info, "beliefs": bel, "realization": (x, y), "uniform_at": uniform},
    )


# -- zero-sum: the sequence-form LP ------------------------------------------------------------

#: zero-sum trees with at most this many sequences (both players) are solved by Lemke's
#: path, whose set-up costs microseconds, rather than the LP, where scipy's linprog alone
#: costs milliseconds; both give an equilibrium, and every equilibrium its value
SMALL_LCP = 64


def _small_zero_sum(tree, sf, priors, bound, max_iter, options) -> SolveResult:
    r = _solve_lcp(tree, sf, priors[:1], bound, False, max_iter, options)
    eq = _with_info(r.equilibria[0], value=float(r.equilibria[0].payoffs[0]))
    note = f"zero-sum tree with {sum(sf.shape)} sequences: sequence-form LCP (Lemke)"
    return dataclasses.replace(r, equilibria=(eq,), complete=True, notes=(note,))


def _solve_lp(tree: Any, sf: SequenceForm, bound: float) -> Equilibrium:
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack

    A, E, F = sf.A, sf.E, sf.F
    m, n = A.shape
    k1, k2 = E.shape[0], F.shape[0]
    # player 1: max q_0 s.t. Fᵀq − Aᵀx ≤ 0, Ex = e, x ≥ 0 (q free)
    c1 = np.zeros(m + k2)
    c1[m] = -1.0
    res1 = linprog(
        c1,
        A_ub=hstack([csr_matrix(-A.T), csr_matrix(F.T)]),
        b_ub=np.zeros(n),
        A_eq=hstack([csr_matrix(E), csr_matrix((k1, k2))]),
        b_eq=np.eye(k1)[0],
        bounds=[(0, None)] * m + [(None, None)] * k2,
        method="highs",
        options=_HIGHS,
    )
    # player 2: min p_0 s.t. Ay − Eᵀp ≤ 0, Fy = f, y ≥ 0 (p free)
    c2 = np.zeros(n + k1)
    c2[n] = 1.0
    res2 = linprog(
        c2,
        A_ub=hstack([csr_matrix(A), csr_matrix(-E.T)]),
        b_ub=np.zeros(m),
        A_eq=hstack([csr_matrix(F), csr_matrix((k2, k1))]),
        b_eq=np.eye(k2)[0],
        bounds=[(0, None)] * n + [(None, None)] * k1,
        method="highs",
        options=_HIGHS,
    )
    for who, res in (("1", res1), ("2", res2)):
        if res.status != 0:
            raise SolverError(
                f"method 'sequence_form': HiGHS failed on player {who}'s LP: {res.message}"
            )
    x = np.clip(res1.x[:m], 0.0, None)
    y = np.clip(res2.x[:n], 0.0, None)
    eq = _equilibrium(tree, x, y, bound, {"value_lp": (float(-res1.fun), float(res2.fun))})
    if eq is None:
        raise SolverError(
            "method 'sequence_form': the LP solution does not verify within "
            f"tol (scaled bound {bound:g}); the payoffs may be badly scaled"
        )
    return _with_info(eq, value=float(eq.payoffs[0]))
