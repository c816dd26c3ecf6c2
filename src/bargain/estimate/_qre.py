"""``logit_qre``: maximum-likelihood logit quantal response equilibrium of a normal-form game.

A logit QRE at precision λ is a profile π with ``π_ij ∝ exp(λ u_ij(π₋ᵢ))`` for every player
i and strategy j (McKelvey & Palfrey 1995, "Quantal Response Equilibria for Normal Form
Games", *Games and Economic Behavior* 10(1): 6–38).  λ = 0 is uniform play; as λ → ∞ the
principal branch, followed here from λ = 0 by continuation with Newton corrections, tends
to a Nash equilibrium.  Given counts of observed choices, λ is estimated by maximizing the
multinomial log-likelihood ``Σ c_ij log π_ij(λ)`` along that branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from bargain.errors import GameShapeError, ParameterError
from bargain.games.normal_form import NormalFormGame

__all__ = ["QREResults", "logit_qre"]


def _expected(arrays, probs, i):
    """Player i's expected payoff of each own strategy against the others' mixes."""
    a = arrays[i]
    for j in range(len(arrays) - 1, -1, -1):
        if j != i:
            a = np.tensordot(a, probs[j], axes=([j], [0]))
    return a


def _residual(x, lam, arrays, sizes):
    probs = _unpack(x, sizes)
    out = []
    pos = 0
    for i, k in enumerate(sizes):
        xi = x[pos : pos + k]
        u = _expected(arrays, probs, i)
        out.append(xi[1:] - xi[0] - lam * (u[1:] - u[0]))
        m = xi.max()
        out.append([m + np.log(np.exp(xi - m).sum())])  # log Σ π = 0
        pos += k
    return np.concatenate(out)


def _unpack(x, sizes):
    out, pos = [], 0
    for k in sizes:
        out.append(np.exp(x[pos : pos + k]))
        pos += k
    return out


def _newton(x, lam, arrays, sizes, *, iters=30, tol=1e-12):
    for _ in range(iters):
        r = _residual(x, lam, arrays, sizes)
        if np.max(np.abs(r)) < tol:
            return x, True
        J = np.empty((x.size, x.size))
        h = 1e-7
        for j in range(x.size):
            e = np.zeros(x.size)
            e[j] = h
            J[:, j] = (_residual(x + e, lam, arrays, sizes) - r) / h
        try:
            x = x - np.linalg.solve(J, r)
        except np.linalg.LinAlgError:
            return x, False
        if not np.all(np.isfinite(x)):
            return x, False
    return x, np.max(np.abs(_residual(x, lam, arrays, sizes))) < 1e-9


@dataclass(frozen=True)
class QREResults:
    """A fitted logit QRE.

    Attributes
    ----------
    lam : float
        Estimated precision λ.
    bse : float
        Its standard error (inverse curvature of the log-likelihood in λ).
    profile : tuple of numpy.ndarray
        The QRE at λ̂, one mixed strategy per player.
    llf, nobs : float, int
        Log-likelihood at λ̂ and the number of observed choices.
    llf_uniform, llf_nash : float
        At λ = 0, and at the end of the traced branch (λ = `lam_max`, the Nash limit).
    lr_uniform, lr_nash : tuple of float
        Likelihood-ratio statistic and χ²(1) p-value against each limit.
    converged : bool

    Examples
    --------
    >>> from bargain import NormalFormGame
    >>> pd_game = NormalFormGame([[[2, 0], [3, 1]], [[2, 3], [0, 1]]])  # defect pays +1
    >>> r = logit_qre(pd_game, [[20, 80], [20, 80]])
    >>> round(r.lam, 4), [round(float(p[1]), 3) for p in r.profile]  # λ = log 4
    (1.3863, [0.8, 0.8])
    """

    lam: float
    bse: float
    profile: tuple[np.ndarray, ...]
    llf: float
    nobs: int
    llf_uniform: float
    llf_nash: float
    lr_uniform: tuple[float, float]
    lr_nash: tuple[float, float]
    converged: bool


def logit_qre(
    game: NormalFormGame,
    counts: Sequence[Sequence[float]],
    *,
    lam_max: float = 1e3,
    max_steps: int = 20_000,
) -> QREResults:
    """Estimate the logit QRE precision λ from observed choice counts.

    Parameters
    ----------
    game : NormalFormGame
        Numeric payoffs.
    counts : sequence of sequence of float
        ``counts[i][j]``: how often player i was observed playing strategy j.
    lam_max : float
        How far along the principal branch to search (in units of 1/payoff).
    max_steps : int
        Bound on continuation steps.

    Returns
    -------
    QREResults

    Raises
    ------
    ParameterError
        Counts of the wrong length, negative, or all zero.

    Examples
    --------
    >>> from bargain import NormalFormGame
    >>> from bargain.estimate import logit_qre
    >>> g = NormalFormGame([[[9, 0], [0, 1]], [[0, 1], [1, 0]]])  # asymmetric pennies
    >>> r = logit_qre(g, [[60, 40], [45, 55]])
    >>> round(r.lam, 3), r.nobs, r.lr_uniform[0] > 0
    (0.108, 200, True)
    """
    if not isinstance(game, NormalFormGame):
        raise ParameterError("game", f"must be a NormalFormGame, got {type(game).__name__}")
    if game.is_symbolic:
        raise GameShapeError("the game has symbolic payoffs; call game.numeric(...) first")
    arrays = [np.asarray(a, dtype=float) for a in game.payoffs]
    sizes = list(game.shape)
    if len(counts) != len(sizes):
        raise ParameterError(
            "counts", f"needs one row per player ({len(sizes)}), got {len(counts)}"
        )
    c = []
    for i, (row, k) in enumerate(zip(counts, sizes, strict=True)):
        row = np.asarray(row, dtype=float)
        if row.shape != (k,) or np.any(row < 0) or not np.all(np.isfinite(row)):
            raise ParameterError(
                "counts", f"player {game.players[i]!r}: needs {k} non-negative counts"
            )
        c.append(row)
    if sum(r.sum() for r in c) <= 0:
        raise ParameterError("counts", "no observed choices")
    cvec = np.concatenate(c)

    def llf(x):
        return float(cvec @ x)

    # follow the principal branch from uniform play, recording the log-likelihood
    x = np.concatenate([np.full(k, -np.log(k)) for k in sizes])
    lam, step = 0.0, 0.05
    path = [(0.0, x.copy(), llf(x))]
    converged = True
    for _ in range(max_steps):
        if lam >= lam_max:
            break
        trial_lam = min(lam + step, lam_max)
        trial, ok = _newton(x, trial_lam, arrays, sizes)
        if not ok:
            step /= 2
            if step < 1e-10:
                converged = False
                break
            continue
        lam, x = trial_lam, trial
        path.append((lam, x.copy(), llf(x)))
        step = min(step * 1.5, max(0.05, 0.25 * lam))
    else:
        converged = False
    best = int(np.argmax([p[2] for p in path]))
    lo = path[max(best - 1, 0)]
    hi = path[min(best + 1, len(path) - 1)]
    start = path[best][1]

    def neg(lam_):
        xx, ok = _newton(start, lam_, arrays, sizes)
        return -llf(xx) if ok else np.inf

    if hi[0] > lo[0]:
        res = optimize.minimize_scalar(
            neg, bounds=(lo[0], hi[0]), method="bounded", options={"xatol": 1e-10}
        )
        lam_hat = float(res.x)
    else:
        lam_hat = path[best][0]
    x_hat, ok = _newton(start, lam_hat, arrays, sizes)
    converged = converged and ok
    value = llf(x_hat)
    h = 1e-4 * max(1.0, lam_hat)
    curv = (-neg(lam_hat + h) - 2 * value + -neg(max(lam_hat - h, 0.0))) / (h * h)
    bse = float(1.0 / np.sqrt(-curv)) if curv < 0 else float("nan")
    llf0, llf_end = path[0][2], path[-1][2]

    def lr(other):
        stat = 2.0 * (value - other)
        return float(stat), float(stats.chi2.sf(stat, 1))

    return QREResults(
        lam=lam_hat,
        bse=bse,
        profile=tuple(_unpack(x_hat, sizes)),
        llf=value,
        nobs=round(float(cvec.sum())),
        llf_uniform=llf0,
        llf_nash=llf_end,
        lr_uniform=lr(llf0),
        lr_nash=lr(llf_end),
        converged=bool(converged),
    )
