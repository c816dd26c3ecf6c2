"""Iterated elimination of dominated strategies (n players, pure or mixed dominators).

A strategy ``k`` of player ``i`` is *strictly dominated* when some mixed strategy ``σ`` of
``i`` over the strategies still in the game earns strictly more against every surviving
profile ``s₋ᵢ`` of the others:  ``Σₗ σₗ uᵢ(l, s₋ᵢ) > uᵢ(k, s₋ᵢ)``.  Domination by a pure
strategy is checked first (a Numba kernel); domination by a mixture is the linear program

    maximize ε  subject to  Σₗ σₗ uᵢ(l, s₋ᵢ) − uᵢ(k, s₋ᵢ) ≥ ε  for every s₋ᵢ,
                            σ ≥ 0,  Σσ = 1,  σₖ = 0,

solved with HiGHS; ``k`` is dominated iff the margin, recomputed in floating point from
the returned ``σ``, exceeds ``tol`` (Fudenberg & Tirole 1991, §2.1; Osborne 2004, ch. 4).

Iterated elimination of *strictly* dominated strategies (IESDS) does not depend on the
order of elimination, so each round here removes every strictly dominated strategy of
every player at once.  *Weak* domination (``weak=True``: ≥ everywhere, > somewhere) is
order dependent; it removes one strategy per round, the first dominated one in (player,
strategy) order, so the result is deterministic but is only one of the possible
reductions.  Every Nash equilibrium of a weakly reduced game is still one of the original
game, but equilibria may be lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit
from scipy.optimize import linprog

from bargain.errors import SolverError
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import check_tol
from bargain.solvers.verify import expected_payoffs, max_regret

__all__ = ["Elimination", "Step", "eliminate_dominated", "iesds"]

_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True)
class Step:
    """One elimination: who, which strategy, dominated by what, in which round.

    Attributes
    ----------
    player : str
        The player's name.
    strategy : str
        The label of the eliminated strategy.
    dominated_by : str or numpy.ndarray
        The label of a dominating pure strategy, or a mixed strategy over the player's
        strategies in the original game (zero on strategies already eliminated).
    round : int
        1-based round of the elimination.
    margin : float
        The smallest payoff advantage of the dominator over the surviving profiles
        (> 0; for weak domination the smallest is 0 and this is the total advantage).
    """

    player: str
    strategy: str
    dominated_by: str | np.ndarray
    round: int
    margin: float


@dataclass(frozen=True)
class Elimination:
    """The outcome of iterated elimination of dominated strategies.

    Attributes
    ----------
    game : NormalFormGame
        The reduced game, with the surviving strategy labels.
    order : tuple of Step
        The eliminations, in order.
    surviving : tuple of tuple of int
        Per player, the indices (in the original game) of the surviving strategies.
    weak : bool
        Whether weak domination was used (order dependent).
    """

    game: Any
    order: tuple[Step, ...]
    surviving: tuple[tuple[int, ...], ...]
    weak: bool = False

    @property
    def solved(self) -> bool:
        """Whether one strategy profile survives."""
        return all(len(s) == 1 for s in self.surviving)


def eliminate_dominated(
    game: Any, *, mixed: bool = True, weak: bool = False, tol: float = 1e-12
) -> Elimination:
    """Iteratively remove dominated strategies of every player.

    Parameters
    ----------
    game : NormalFormGame
        Numeric game with any number of players.
    mixed : bool
        Also look for domination by mixed strategies (an LP per candidate); with ``False``
        only pure dominators are used.
    weak : bool
        Use weak instead of strict domination.  Order dependent: one strategy is removed
        per round, the first dominated one in (player, strategy) order.
    tol : float
        A dominator must win by more than `tol` (strict) or lose nowhere by more than
        `tol` and win in total by more than `tol` (weak).

    Returns
    -------
    Elimination

    Raises
    ------
    SolverError
        If the game is symbolic.
    ParameterError
        If `tol` is not a finite number >= 0.

    Examples
    --------
    >>> import bargain as bg
    >>> pd = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]],
    ...                        strategies=[["C", "D"], ["C", "D"]])
    >>> e = eliminate_dominated(pd)
    >>> e.game.strategies
    (('D',), ('D',))
    >>> [(s.player, s.strategy, s.dominated_by, s.round) for s in e.order]
    [('1', 'C', 'D', 1), ('2', 'C', 'D', 1)]
    """
    tol = check_tol(tol, method="iesds", zero_ok=True)
    if not hasattr(game, "require"):
        raise SolverError(f"method 'iesds' needs a NormalFormGame, got {type(game).__name__}")
    game.require(method="iesds")
    payoffs = [np.asarray(p, dtype=float) for p in game.payoffs]
    n = len(payoffs)
    alive = [list(range(k)) for k in game.shape]
    order: list[Step] = []
    rnd = 0
    while True:
        rnd += 1
        sub = [p[np.ix_(*alive)] for p in payoffs]
        found: list[tuple[int, int, str | np.ndarray, float]] = []
        for i in range(n):
            if len(alive[i]) < 2:
                continue
            # rows: the player's surviving strategies; columns: the others' profiles
            U = np.ascontiguousarray(np.moveaxis(sub[i], i, 0).reshape(len(alive[i]), -1))
            for r in range(len(alive[i])):
                hit = _dominator(U, r, mixed, weak, tol)
                if hit is None:
                    continue
                by, margin = hit
                if isinstance(by, int):
                    label: str | np.ndarray = game.strategies[i][alive[i][by]]
                else:
                    full = np.zeros(game.shape[i])
                    full[alive[i]] = by
                    label = full
                found.append((i, r, label, margin))
                if weak:
                    break
            if weak and found:
                break
        if not found:
            break
        drop: dict[int, set[int]] = {}
        for i, r, label, margin in found:
            order.append(Step(game.players[i], game.strategies[i][alive[i][r]], label, rnd, margin))
            drop.setdefault(i, set()).add(r)
        for i, rows in drop.items():
            alive[i] = [s for j, s in enumerate(alive[i]) if j not in rows]
    reduced = type(game)(
        [p[np.ix_(*alive)] for p in payoffs],
        players=game.players,
        strategies=[[game.strategies[i][s] for s in alive[i]] for i in range(n)],
        title=game.title,
    )
    return Elimination(reduced, tuple(order), tuple(tuple(a) for a in alive), weak)


def iesds(game: Any, *, mixed: bool = True, weak: bool = False, tol: float = 1e-12) -> SolveResult:
    """Solve a game by iterated elimination of dominated strategies, when it can be.

    Parameters
    ----------
    game : NormalFormGame
        Numeric game with any number of players.
    mixed, weak, tol
        As in :func:`eliminate_dominated`.

    Returns
    -------
    SolveResult
        Method ``"iesds"``.  When one profile survives, ``equilibria`` holds it (for
        strict domination it is the game's unique Nash equilibrium; for weak domination
        one of its equilibria) and ``complete`` is true.  Otherwise ``equilibria`` is
        empty, ``complete`` is false, and the notes say what is left.  In both cases
        ``options["elimination"]`` is the :class:`Elimination` (reduced game and order).

    Raises
    ------
    SolverError
        If the game is symbolic, or the surviving profile fails verification (which
        would be a bug).

    Examples
    --------
    >>> import bargain as bg
    >>> pd = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> r = iesds(pd)
    >>> r[0].support
    ((1,), (1,))
    """
    elim = eliminate_dominated(game, mixed=mixed, weak=weak, tol=tol)
    options = {"mixed": mixed, "weak": weak, "tol": tol, "elimination": elim}
    kind = "weakly" if weak else "strictly"
    if not elim.solved:
        left = "x".join(str(len(s)) for s in elim.surviving)
        return SolveResult(
            game=game,
            method="iesds",
            equilibria=(),
            options=options,
            tolerance=tol,
            complete=False,
            notes=(
                f"iesds: after removing {len(elim.order)} {kind} dominated strategies a "
                f"{left} game is left (options['elimination'].game); solve it with "
                "another method",
            ),
        )
    payoffs = [np.asarray(p, dtype=float) for p in game.payoffs]
    strategies = []
    for k, s in zip(game.shape, elim.surviving, strict=True):
        v = np.zeros(k)
        v[s[0]] = 1.0
        strategies.append(v)
    regret = max_regret(payoffs, strategies)
    if regret > max(tol, 1e-12):
        raise SolverError(
            f"method 'iesds': the surviving profile has regret {regret:.3g}; please report"
        )
    eq = Equilibrium(
        strategies=tuple(strategies),
        payoffs=expected_payoffs(payoffs, strategies),
        max_regret=regret,
        info={"rounds": max((s.round for s in elim.order), default=0)},
    )
    notes = (f"iesds: the game is solved by iterated {kind} dominance",)
    if weak:
        notes = (*notes, "iesds: weak dominance is order dependent; other equilibria may exist")
    return SolveResult(
        game=game,
        method="iesds",
        equilibria=(eq,),
        options=options,
        tolerance=tol,
        complete=True,
        notes=notes,
    )


def _dominator(U: np.ndarray, r: int, mixed: bool, weak: bool, tol: float):
    """A dominator of row `r` of `U` (pure index, or mixed weights over rows) or None."""
    j, margin = _pure_dominator(U, r, weak, tol)
    if j >= 0:
        return j, float(margin)
    if not mixed or U.shape[0] < 3:  # with two rows a mixture is no better than the pure
        return None
    m, cols = U.shape
    others = [q for q in range(m) if q != r]
    D = U[others] - U[r]  # advantage of each other row, per column
    k = len(others)
    # variables (σ over others, ε); minimize -ε (strict) or -total advantage (weak)
    if weak:
        cost = np.concatenate([-D.sum(axis=1), [0.0]])
        bounds = [(0.0, None)] * k + [(0.0, 0.0)]
    else:
        cost = np.zeros(k + 1)
        cost[-1] = -1.0
        bounds = [(0.0, None)] * k + [(None, None)]
    A_ub = np.hstack([-D.T, np.ones((cols, 1))])  # ε - Dᵀσ <= 0
    A_eq = np.zeros((1, k + 1))
    A_eq[0, :k] = 1.0
    res = linprog(
        cost,
        A_ub=A_ub,
        b_ub=np.zeros(cols),
        A_eq=A_eq,
        b_eq=[1.0],
        bounds=bounds,
        method="highs",
        options=_HIGHS,
    )
    if res.status != 0:
        return None
    sigma = np.clip(res.x[:k], 0.0, None)
    sigma /= sigma.sum()
    sigma[sigma < 1e-13] = 0.0
    sigma /= sigma.sum()
    adv = sigma @ D
    if weak:
        ok = adv.min() >= -tol and adv.sum() > tol
        margin = float(adv.sum())
    else:
        margin = float(adv.min())
        ok = margin > tol
    if not ok:
        return None
    full = np.zeros(m)
    full[others] = sigma
    return full, margin


@njit(cache=True)
def _pure_dominator(U, r, weak, tol):
    """First row dominating row `r` of `U` and its margin, or (-1, 0)."""
    m, cols = U.shape
    for q in range(m):
        if q == r:
            continue
        lo = np.inf
        total = 0.0
        for c in range(cols):
            d = U[q, c] - U[r, c]
            lo = min(lo, d)
            total += d
        if weak:
            if lo >= -tol and total > tol:
                return q, total
        elif lo > tol:
            return q, lo
    return -1, 0.0
