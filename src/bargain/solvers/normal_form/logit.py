"""Logit quantal response equilibrium (QRE) and its limit Nash equilibrium, n players.

In a logit QRE with precision ``λ ≥ 0`` every player mixes with probabilities
proportional to ``exp(λ · expected payoff)`` of each pure strategy (McKelvey & Palfrey
1995, *Games Econ. Behav.* 10:6–38).  At ``λ = 0`` the unique QRE is the centroid; for a
generic game the QRE that starts there (the *principal branch*) is a smooth curve that
converges, as ``λ → ∞``, to one Nash equilibrium — the logit ("tracing") selection
(McKelvey & Palfrey 1995; Turocy 2005, "A dynamic homotopy interpretation of the
logistic quantal response equilibrium correspondence", *Games Econ. Behav.* 51:243–263).

The branch is followed in log-probability coordinates by pseudo-arclength
predictor–corrector continuation (kernels in
:mod:`bargain.solvers.normal_form._logit_kernels`), with
payoffs rescaled so that the largest payoff range is 1 (``λ`` is reported in the game's
own units).  Steps are also limited in probability space (no probability moves by more
than 0.05, the corrector moves less than half the step, the profile does not reverse its
motion), which keeps the tracer from jumping between the legs of a fold where the branch
bends back in ``λ``.

To find the Nash limit without going to ``λ = ∞``, from rescaled ``λ = 4`` on, at points
``λ`` apart by factors of 1.4, the current QRE is *polished*: the support it suggests
(strategies with probability above a threshold relative to the player's most likely one;
several thresholds are tried) is fixed and Newton's method solves the indifference
equations on it. A polished profile is accepted when its regret is within ``tol``, it
lies within ``min(0.05, 1/(2√λ))`` of the QRE, and two successive attempts give the same
profile (or, in a continuum of equilibria, profiles closer than the QRE's distance) with
the QRE closer the second time by a factor of at least 0.8 (the branch converges at rate
1/λ to its limit; it may also pass by another equilibrium, or approach one close to its
limit, whose distance then levels off), and polishing only starts once the QRE's own
regret is below 1e-4 (rescaled). If no attempt is accepted, the path is followed to
`max_lambda` and polished there; the result is incomplete only if that fails too and the
last point's regret exceeds `tol`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from bargain.errors import SolverError
from bargain.solvers.normal_form import _logit_kernels as K
from bargain.solvers.normal_form._scaling import power_of_two_scale, rescaled
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import OptionError, check_limit, check_tol
from bargain.solvers.verify import deviation_payoffs, expected_payoffs, max_regret

__all__ = ["QREPath", "logit", "qre_path"]


@dataclass(frozen=True)
class QREPath:
    """Points of the principal logit QRE branch, for plotting.

    Attributes
    ----------
    lambdas : numpy.ndarray
        ``λ`` at each point (game units), shape ``(K,)``; not necessarily monotone.
    profiles : tuple of numpy.ndarray
        Per player, the strategy probabilities at each point, shape ``(K, n_i)``.
    status : str
        Why tracing stopped: ``"reached"``, ``"nash"``, ``"max_steps"`` or ``"stalled"``.
    """

    lambdas: np.ndarray
    profiles: tuple[np.ndarray, ...]
    status: str

    def __len__(self) -> int:
        return len(self.lambdas)


def logit(
    game: Any,
    *,
    lam: float | None = None,
    max_lambda: float = 1e6,
    tol: float = 1e-10,
    step: float = 0.03,
    max_steps: int = 20_000,
    accel: float = 1.5,
) -> SolveResult:
    """Follow the logit QRE branch from the centroid, to a given ``λ`` or to Nash.

    Parameters
    ----------
    game : NormalFormGame
        Numeric game, any number of players.
    lam : float, optional
        Return the QRE of the principal branch at this ``λ`` (the first time the branch
        reaches it).  Default: follow the branch to its Nash equilibrium limit.
    max_lambda : float
        Give up looking for the limit beyond this ``λ`` (game units).
    tol : float
        Regret tolerance of the returned Nash equilibrium; with `lam`, tolerance of the
        QRE fixed-point residual ``max |p − logit_λ(u(p))|``.
    step : float
        First arclength step (in rescaled units: payoffs divided by their largest range).
    max_steps : int
        Work limit: accepted plus rejected predictor–corrector steps (default 20 000).
        A run stopped by it returns the last point with ``complete=False`` and a note.
    accel : float
        Factor by which the step grows after an easy corrector (> 1).

    Returns
    -------
    SolveResult
        Method ``"logit"`` with one equilibrium.  Nash mode: the limit of the principal
        branch, ``info = {"lambda": λ where it was polished, "steps": points traced}``,
        regret ≤ `tol`; if no point polishes to an equilibrium before `max_lambda` or
        `max_steps`, the last point of the path is returned with its (larger) regret,
        ``complete=False`` and a note.  QRE mode (`lam` given): the QRE at ``λ``, with
        ``info = {"lambda": lam, "qre": True, "qre_residual": ...}``; its ``max_regret``
        is its distance from Nash, not a failure.

    Raises
    ------
    OptionError
        (a :class:`~bargain.errors.ParameterError` and a :class:`SolverError`) if `lam`
        or `max_lambda` is negative or not finite (names the option); if `tol`, `step`,
        `max_steps` or `accel` is out of range.
    SolverError
        If the game is symbolic, or (QRE mode) the branch cannot be followed to `lam`.

    Examples
    --------
    >>> import bargain as bg
    >>> pd = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> r = logit(pd)
    >>> [[round(float(x), 9) for x in s] for s in r[0].strategies]
    [[0.0, 1.0], [0.0, 1.0]]
    >>> mp = bg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> q = logit(mp, lam=2.0)
    >>> [float(x) for x in q[0].strategies[0]]
    [0.5, 0.5]
    """
    _check_options(lam, max_lambda, tol, step, max_steps, accel)
    big = _huge(game)
    if big != 1.0:  # payoffs too large for float arithmetic
        if lam is not None:
            raise SolverError(
                "method 'logit': payoffs above 2**500 in magnitude make the QRE at "
                f"lam={lam:g} (game units) numerically meaningless; divide the payoffs first"
            )
        return rescaled(
            game,
            big,
            lambda h: logit(
                h, max_lambda=max_lambda, tol=tol, step=step, max_steps=max_steps, accel=accel
            ),
            False,
        )
    pay, shape, off, scale = _unpack(game)
    qre_mode = lam is not None
    options = {
        "lam": lam,
        "max_lambda": max_lambda,
        "tol": tol,
        "step": step,
        "max_steps": max_steps,
        "accel": accel,
    }
    payoffs = [np.asarray(p, dtype=float) for p in game.payoffs]
    if scale == 0.0 or (qre_mode and lam == 0.0):
        # constant payoffs (every profile is an equilibrium), or λ = 0: the centroid
        status = K.REACHED if qre_mode else K.POLISHED
        p = np.concatenate([np.full(k, 1.0 / k) for k in shape])
        lam_end, npts = (float(lam) if qre_mode else 0.0), 1
    else:
        stop = (lam if qre_mode else max_lambda) * scale
        no_path = np.empty((1, off[-1] + 1))
        status, npts, p, lam_end, _ = K._trace(
            pay, shape, off, stop, not qre_mode, tol / scale, step, max_steps, accel, no_path
        )
        lam_end = float(lam_end) / scale
    strategies = tuple(np.array(p[off[i] : off[i + 1]]) for i in range(len(shape)))
    regret = max_regret(payoffs, strategies)
    pay_exp = expected_payoffs(payoffs, strategies)
    notes: list[str] = []
    complete = True
    if qre_mode:
        if status != K.REACHED:
            raise SolverError(
                f"method 'logit': could not follow the QRE branch to lam={lam:g} "
                f"({_STATUS[status]} at lam={lam_end:.6g}); try a smaller step or more "
                "max_steps"
            )
        resid = _qre_residual(payoffs, strategies, float(lam))
        if resid > max(tol, 1e-12):
            raise SolverError(
                f"method 'logit': the QRE at lam={lam:g} has fixed-point residual "
                f"{resid:.3g} > tol={tol:g}"
            )
        info = {"lambda": float(lam), "qre": True, "qre_residual": resid, "steps": int(npts)}
        notes.append(
            f"logit: quantal response equilibrium at lam={lam:g} (not a Nash equilibrium; "
            "max_regret is its distance from one)"
        )
    else:
        info = {"lambda": lam_end, "steps": int(npts)}
        if regret > tol:
            complete = False
            notes.append(
                f"logit: no Nash equilibrium within tol={tol:g} was found on the branch "
                f"({_STATUS[status]} at lam={lam_end:.6g}); the last point, with max regret "
                f"{regret:.3g}, is returned"
            )
            if status == K.MAX_STEPS:
                notes.append(
                    f"logit: stopped at the work limit max_steps={max_steps} steps; raise "
                    "max_steps to follow the branch further"
                )
        elif status == K.POLISHED:
            notes.append(
                f"logit: principal-branch limit, polished at lam={lam_end:.6g} "
                f"(regret {regret:.3g})"
            )
        else:  # the unpolished branch point is itself within tol of Nash
            notes.append(
                f"logit: principal-branch point at lam={lam_end:.6g} ({_STATUS[status]}), "
                f"an equilibrium within tol (regret {regret:.3g}); not polished"
            )
    eq = Equilibrium(strategies=strategies, payoffs=pay_exp, max_regret=regret, info=info)
    return SolveResult(
        game=game,
        method="logit",
        equilibria=(eq,),
        options=options,
        tolerance=tol,
        complete=complete,
        notes=tuple(notes),
    )


def qre_path(
    game: Any,
    *,
    max_lambda: float = 1e3,
    step: float = 0.03,
    max_steps: int = 20_000,
    accel: float = 1.5,
) -> QREPath:
    """The traced points ``(λ, profile)`` of the principal logit branch, up to `max_lambda`.

    Parameters
    ----------
    game : NormalFormGame
        Numeric game, any number of players.
    max_lambda : float
        Trace until ``λ`` first reaches this value (game units).
    step, max_steps, accel
        As in :func:`logit`.

    Returns
    -------
    QREPath

    Raises
    ------
    ParameterError
        If an option is out of range.
    SolverError
        If the game is symbolic.

    Examples
    --------
    >>> import bargain as bg
    >>> pd = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> path = qre_path(pd, max_lambda=10.0)
    >>> float(path.lambdas[0]), float(path.lambdas[-1])
    (0.0, 10.0)
    >>> bool(path.profiles[0][-1, 1] > 0.99)   # defection is almost certain at λ = 10
    True
    """
    _check_options(max_lambda, max_lambda, 1e-10, step, max_steps, accel, lam_name="max_lambda")
    if _huge(game) != 1.0:
        raise SolverError(
            "qre_path: payoffs above 2**500 in magnitude overflow the logit response; "
            "divide the payoffs first"
        )
    pay, shape, off, scale = _unpack(game)
    M = int(off[-1])
    if scale == 0.0:  # constant payoffs: the centroid for every λ
        centroid = np.concatenate([np.log(np.full(k, 1.0 / k)) for k in shape])
        rows = np.array([[*centroid, 0.0], [*centroid, float(max_lambda)]])
        status, npts = K.REACHED, 2
    else:
        rows = np.empty((max_steps + 2, M + 1))
        status, npts, _, _, _ = K._trace(
            pay, shape, off, max_lambda * scale, False, 1e-10, step, max_steps, accel, rows
        )
        rows = rows[:npts].copy()
        rows[:, M] /= scale
    probs = np.exp(rows[:npts, :M])
    profiles = tuple(probs[:, off[i] : off[i + 1]].copy() for i in range(len(shape)))
    return QREPath(rows[:npts, M].copy(), profiles, _STATUS[status])


_STATUS = {
    K.REACHED: "reached",
    K.POLISHED: "nash",
    K.MAX_STEPS: "max_steps",
    K.STALLED: "stalled",
    K.NOT_POLISHED: "max_lambda reached",
}


def _huge(game: Any) -> float:
    """The power-of-two scale of a numeric game's payoffs (see ``_scaling``)."""
    if not hasattr(game, "require"):
        raise SolverError(f"method 'logit' needs a NormalFormGame, got {type(game).__name__}")
    game.require(method="logit")
    return power_of_two_scale([np.asarray(p, dtype=float) for p in game.payoffs])


def _unpack(game: Any):
    """Flattened rescaled payoffs (N, S), shape, offsets and the scale (largest range)."""
    if not hasattr(game, "require"):
        raise SolverError(f"method 'logit' needs a NormalFormGame, got {type(game).__name__}")
    game.require(method="logit")
    arrays = [np.asarray(p, dtype=float) for p in game.payoffs]
    scale = max(float(a.max() - a.min()) for a in arrays)
    shape = np.array(game.shape, dtype=np.int64)
    off = np.concatenate([[0], np.cumsum(shape)]).astype(np.int64)
    if scale == 0.0:
        return np.zeros((len(arrays), 1)), shape, off, 0.0
    # shifting a player's payoffs changes no QRE; dividing by a common scale rescales λ
    pay = np.ascontiguousarray(
        np.stack([(a - a.min()).ravel() / scale for a in arrays]), dtype=np.float64
    )
    return pay, shape, off, scale


def _check_options(lam, max_lambda, tol, step, max_steps, accel, *, lam_name="lam"):
    """Every option checked as :mod:`bargain.solvers.tolerance` does (one error class,
    :class:`~bargain.solvers.tolerance.OptionError`, naming the option)."""
    if lam is not None and not _finite_number(lam, 0.0):
        raise OptionError(lam_name, f"must be a finite number >= 0, got {lam!r}", "logit")
    if not _finite_number(max_lambda, 0.0) or max_lambda <= 0:
        raise OptionError("max_lambda", f"must be a finite number > 0, got {max_lambda!r}", "logit")
    check_tol(tol, method="logit")
    if not _finite_number(step, 0.0) or step <= 0:
        raise OptionError("step", f"must be a finite number > 0, got {step!r}", "logit")
    check_limit("max_steps", max_steps, method="logit")
    if not _finite_number(accel, 1.0) or accel < 1.0:
        raise OptionError("accel", f"must be a finite number >= 1, got {accel!r}", "logit")


def _finite_number(x: Any, lo: float) -> bool:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        return False
    return math.isfinite(float(x)) and float(x) >= lo


def _qre_residual(payoffs, strategies, lam: float) -> float:
    """max |p − softmax(λ u(p))| over players and strategies."""
    worst = 0.0
    for d, s in zip(deviation_payoffs(payoffs, strategies), strategies, strict=True):
        z = lam * (d - d.max())
        q = np.exp(z) / np.exp(z).sum()
        worst = max(worst, float(np.max(np.abs(q - s))))
    return worst
