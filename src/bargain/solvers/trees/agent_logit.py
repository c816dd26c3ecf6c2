"""Agent-form logit quantal response equilibrium on a game tree.

Each information set ``h`` of player ``i`` is an agent choosing by the logit rule on its
conditional action values (McKelvey & Palfrey 1998, the agent QRE):

``b_h(a) ∝ exp(λ · G_h(a) / (P_b(h) · s))``,

with ``G_h`` the action values of :mod:`bargain.solvers.trees.agent`, ``P_b(h)`` the
probability of reaching the set and ``s`` the payoff range of the game (so ``λ`` has no
unit).  Under full-support behavior every set is reached, so the rule is defined
everywhere.  The principal branch starts at ``λ = 0`` (uniform play) and is traced by
pseudo-arclength continuation in ``(log b, λ)`` (predictor along the tangent, chord-Newton
corrector); it stops at the first point whose largest agent regret is at most
``tol · s``, which is returned as an approximate agent equilibrium.  No perfect recall is
needed; under absent-mindedness ``G_h`` counts every visit of the set (the "modified
multiselves" reading, Piccione & Rubinstein 1997).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargain.errors import SolverError
from bargain.solvers.result import SolveResult
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees._agent_kernels import _agent_values
from bargain.solvers.trees.agent import (
    AGENT_CAVEAT,
    ONE_VISIT,
    AgentArrays,
    agent_arrays,
    make_equilibrium,
)

__all__ = ["agent_logit"]

_FD = 1e-6  # central-difference step in log-probability


def agent_logit(tree: Any, *, tol: float = 1e-8, max_steps: int = 20_000) -> SolveResult:
    """The limit of the principal branch of the agent logit QRE.

    Parameters
    ----------
    tree : GameTree
        Numeric tree, with or without perfect recall.
    tol : float
        Stop at the first point of the branch whose largest agent regret is at most `tol`
        times the game's payoff range (Gambit's ``maxregret`` convention).
    max_steps : int
        Bound on the continuation steps.

    Returns
    -------
    SolveResult
        ``method == "agent_logit"``; one equilibrium in behavior strategies (none, with
        ``complete`` False and a note, if the branch did not get within `tol` in
        `max_steps` steps); ``info["lambda"]`` is where it stopped.

    Examples
    --------
    The absent-minded driver (Piccione & Rubinstein 1997): exit at the first exit 0, at
    the second 4, never 1.  The agent equilibrium continues with probability 2/3.

    >>> from bargain import Decision, GameTree, Terminal
    >>> driver = GameTree(("D",), Decision("D", {"exit": Terminal(0), "go": Decision(
    ...     "D", {"exit": Terminal(4), "go": Terminal(1)}, infoset="h")}, infoset="h"))
    >>> r = agent_logit(driver)
    >>> round(float(r.equilibria[0].behavior[0][0][1]), 6)
    0.666667
    """
    tol = check_tol(tol, method="agent_logit")
    max_steps = check_limit("max_steps", max_steps, method="agent_logit")
    from bargain.games.extensive_form import GameTree

    if not isinstance(tree, GameTree):
        raise SolverError(f"method 'agent_logit' needs a GameTree, got {type(tree).__name__}")
    arr = agent_arrays(tree)
    options = {"tol": tol, "max_steps": max_steps}
    if arr.n_slots == 0 or arr.scale == 0.0:  # nothing to choose, or nothing at stake
        slots = np.concatenate([np.full(int(k), 1.0 / int(k)) for k in arr.n_actions] or [[]])
        eq = make_equilibrium(arr, slots, {"lambda": 0.0})
        return _result(tree, (eq,), options, True, ())
    path = _Path(arr)
    slots, lam, steps = path.trace(tol * arr.scale, max_steps)
    if slots is None:
        note = (
            f"the logit branch did not reach agent regret <= {tol:g} x payoff range in "
            f"{steps} steps (stopped at lambda={lam:.3g}); raise max_steps"
        )
        return _result(tree, (), options, False, (note,))
    eq = make_equilibrium(arr, slots, {"lambda": lam, "steps": steps})
    return _result(tree, (eq,), options, True, ())


def _result(tree, equilibria, options, complete, notes) -> SolveResult:
    return SolveResult(
        game=tree,
        method="agent_logit",
        equilibria=tuple(equilibria),
        options=options,
        tolerance=options["tol"],
        complete=complete,
        notes=(
            AGENT_CAVEAT,
            *([ONE_VISIT] if tree.absent_minded else []),
            "the limit of the principal branch only",
            *notes,
        ),
    )


class _Path:
    """The equations ``F(z, λ) = 0`` of the agent QRE in log-probabilities ``z``."""

    def __init__(self, arr: AgentArrays) -> None:
        self.arr = arr
        self.first = arr.slot_first
        self.k = arr.n_actions
        self.n = arr.n_slots

    def _values(self, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        b = np.exp(np.minimum(z, 1.0))  # a Newton iterate may overshoot; F then says so
        g, reach, _ = _agent_values(*self.arr.args, b)
        cond = np.empty_like(g)
        for h, (s, k) in enumerate(zip(self.first, self.k, strict=True)):
            cond[s : s + k] = g[s : s + k] / max(reach[h], 1e-300)
        return cond / self.arr.scale, b

    def residual(self, y: np.ndarray) -> np.ndarray:
        z, lam = y[:-1], y[-1]
        v, b = self._values(z)
        out = np.empty(self.n)
        for s, k in zip(self.first, self.k, strict=True):
            out[s] = b[s : s + k].sum() - 1.0
            out[s + 1 : s + k] = z[s + 1 : s + k] - z[s] - lam * (v[s + 1 : s + k] - v[s])
        return out

    def jacobian(self, y: np.ndarray) -> np.ndarray:
        jac = np.empty((self.n, self.n + 1))
        for j in range(self.n):
            up, down = y.copy(), y.copy()
            up[j] += _FD
            down[j] -= _FD
            jac[:, j] = (self.residual(up) - self.residual(down)) / (2 * _FD)
        v, _ = self._values(y[:-1])
        col = np.zeros(self.n)
        for s, k in zip(self.first, self.k, strict=True):
            col[s + 1 : s + k] = -(v[s + 1 : s + k] - v[s])
        jac[:, -1] = col
        return jac

    def trace(self, target: float, max_steps: int):
        z0 = np.concatenate([np.full(int(k), -np.log(int(k))) for k in self.k])
        y = np.concatenate((z0, [0.0]))
        uniform = np.exp(z0)
        if self.arr.regrets(uniform).max(initial=0.0) <= target:  # already there at λ = 0
            return _normalized(uniform, self.first, self.k), 0.0, 0
        tangent = _tangent(self.jacobian(y), None)
        h = 0.1
        for step in range(1, max_steps + 1):
            guess = y + h * tangent
            y_new = self._correct(guess, tangent)
            if y_new is None or y_new[-1] < 0:
                h /= 2
                if h < 1e-12:
                    return None, float(y[-1]), step
                continue
            moved = np.linalg.norm(y_new - y)
            y = y_new
            tangent = _tangent(self.jacobian(y), tangent)
            regrets = self.arr.regrets(np.exp(y[:-1]))
            if regrets.max(initial=0.0) <= target:
                return _normalized(np.exp(y[:-1]), self.first, self.k), float(y[-1]), step
            h = min(max(h, moved) * 1.5, 1e6 + y[-1])
        return None, float(y[-1]), max_steps

    def _correct(self, guess: np.ndarray, tangent: np.ndarray):
        jac = self.jacobian(guess)
        aug = np.vstack((jac, tangent))
        y = guess.copy()
        scale = 1.0 + np.abs(y).max()
        for _ in range(8):
            r = np.concatenate((self.residual(y), [tangent @ (y - guess)]))
            try:
                dy = np.linalg.solve(aug, -r)
            except np.linalg.LinAlgError:
                return None
            y += dy
            if not np.all(np.isfinite(y)):
                return None
            if np.abs(dy).max() <= 1e-10 * scale:
                return y
        r = self.residual(y)
        return y if np.abs(r).max() <= 1e-9 else None


def _tangent(jac: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    """Unit null vector of the ``n x (n+1)`` Jacobian, oriented like `previous` (or with
    λ increasing at the start)."""
    _, _, vt = np.linalg.svd(jac)
    t = vt[-1]
    if previous is None:
        if t[-1] < 0:
            t = -t
    elif t @ previous < 0:
        t = -t
    return t


def _normalized(b: np.ndarray, first: np.ndarray, k: np.ndarray) -> np.ndarray:
    out = b.copy()
    for s, n in zip(first, k, strict=True):
        out[s : s + n] /= out[s : s + n].sum()
    return out
