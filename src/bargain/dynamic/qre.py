"""Logit-QRE homotopy: from the centroid at λ = 0 to a stationary equilibrium.

The stationary logit quantal response equilibria of a stochastic game (McKelvey & Palfrey
1995, 1998; for stochastic games Eibelshäuser & Poensgen 2019) solve ``H(β, V, λ) = 0``
(:mod:`bargain.dynamic._kernels`).  At λ = 0 the only solution is the centroid; for generic
games the solutions form a smooth curve from it, whose limit as λ → ∞ is a stationary
equilibrium.  The curve is followed by pseudo-arclength predictor–corrector continuation
(Allgower & Georg 1990, ch. 2): an Euler step along the tangent (the kernel of the
Jacobian, oriented by the previous tangent), then chord-Newton corrections in a hyperplane
orthogonal to it with the same factors (a block elimination that exploits the Jacobian's
structure, :mod:`bargain.dynamic._blocks`), and step-size control.  The steps run in one
Numba kernel (:func:`bargain.dynamic._trace.trace`) between the points where Python looks
at the path (a polish check each time λ doubles, a requested λ, or every step when the
path is stored).  Once λ is large the
support is read off the QRE and the equilibrium equations on that support are solved by
Newton's method; the result is accepted only if it is close to the path and its
one-shot-deviation regret is at rounding level (within the tolerance as a last resort).
Every loop is bounded (steps, corrections, λ).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.dynamic.evaluate import one_shot_regrets, profile_values
from bargain.dynamic.result import MarkovEquilibrium, StochasticSolveResult
from bargain.errors import SolverError

__all__ = ["qre_homotopy"]

#: step-size control: largest step, growth factor after a successful step, smallest
#: cosine between consecutive tangents
H_MAX = 1e6
GROWTH = 3.0
MIN_COS = 0.999
#: chord corrector: largest accepted ratio of consecutive correction sizes (chord steps
#: converge linearly; 0.7 halved the rejected steps of 0.3 on the benchmark games)
RATIO = 0.7
#: the support read off a QRE: actions with probability at least one of these, tried in
#: turn from the smallest support (a pure limit is then solved exactly)
POLISH_THRESHOLDS = (1e-2, 1e-3, 1e-6)
#: a polished profile is accepted at once when its regret is below this fraction of tol
POLISH_EXACT = 1e-3
#: games with at most this many action profiles in all (summed over states) are solved
#: by the interpreted twins of the kernels while the kernels are neither compiled nor in
#: Numba's cache (:mod:`bargain.dynamic._numpy_twins`): ~1 s for 16 states of 2 x 2,
#: where a first compile costs ~45 s of CPU
INTERPRETED_MAX_PROFILES = 256
#: at most this many solves per process run interpreted; the next one compiles the
#: kernels (a job of many small games pays one compile, then compiled speed)
HOT_SOLVES = 12
_interpreted_solves = 0


def _interpret(nprof: np.ndarray) -> bool:
    """Whether this solve runs the kernels' interpreted twins (and counts it)."""
    global _interpreted_solves
    from bargain.dynamic import _kernels, _trace
    from bargain.solvers._interpreted import is_ready

    kernels = (_trace.trace, _trace.polish, _kernels.profile_regret)
    if int(nprof.sum()) > INTERPRETED_MAX_PROFILES or all(is_ready(k) for k in kernels):
        return False
    if _interpreted_solves >= HOT_SOLVES:
        return False
    _interpreted_solves += 1
    from bargain.dynamic import _numpy_twins

    _numpy_twins.register()
    return True


class _Setup:
    """Normalized flat arrays and index maps shared by the tracking steps."""

    def __init__(self, game: Any) -> None:
        U, T, nA, strides, delta, nprof = game.flat()
        span = max(float(np.ptp(U[s, : nprof[s]])) for s in range(game.n_states))
        self.scale = span if span > 0 else 1.0
        self.args = (U / self.scale, T, nA, strides, delta, nprof)
        S, N = nA.shape
        self.off = np.zeros((S, N), dtype=np.int64)
        k = 0
        for s in range(S):
            for i in range(N):
                self.off[s, i] = k
                k += int(nA[s, i])
        self.nb = k
        self.n = k + S * N
        self.nA, self.S, self.N = nA, S, N
        self.nprof = nprof
        self.twins = False  # set by qre_homotopy (_interpret)

    def k(self, kernel: Any) -> Any:
        """`kernel`, or its interpreted twin when this solve runs interpreted."""
        if not self.twins:
            return kernel
        from bargain.solvers._interpreted import interpreted

        return interpreted(kernel)

    def hj(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        from bargain.dynamic import _kernels

        return self.k(_kernels.homotopy)(*self.args, self.off, self.nb, x)

    def profile(self, x: np.ndarray) -> tuple[tuple[np.ndarray, ...], ...]:
        out = []
        for s in range(self.S):
            row = []
            for i in range(self.N):
                o, k = self.off[s, i], int(self.nA[s, i])
                p = np.exp(x[o : o + k])
                row.append(p / p.sum())
            out.append(tuple(row))
        return tuple(out)

    def padded(self, prof: Any) -> np.ndarray:
        """A profile ``prof[s][i]`` as the padded (S, N, A) array of the kernels."""
        out = np.zeros((self.S, self.N, int(self.nA.max())))
        for s, row in enumerate(prof):
            for i, p in enumerate(row):
                out[s, i, : len(p)] = p
        return out

    def values(self, x: np.ndarray) -> np.ndarray:
        return x[self.nb : self.n].reshape(self.S, self.N) * self.scale


def _at_lambda(su: _Setup, x: np.ndarray, lam: float) -> np.ndarray | None:
    """Newton with λ fixed, from `x` (a point near the path)."""
    x = x.copy()
    x[-1] = lam
    for _ in range(50):
        H, J = su.hj(x)
        if np.max(np.abs(H)) < 1e-12:
            return x
        try:
            dx = np.linalg.solve(J[:, :-1], -H)
        except np.linalg.LinAlgError:
            return None
        x[:-1] += dx
    H, _ = su.hj(x)
    return x if np.max(np.abs(H)) < 1e-9 else None


def _support(su: _Setup, flat_sigma: np.ndarray, threshold: float) -> np.ndarray:
    """0/1 mask (S, N, A) of the actions whose probability is at least `threshold`."""
    A = int(su.nA.max())
    supp = np.zeros((su.S, su.N, A), dtype=np.int64)
    for s in range(su.S):
        for i in range(su.N):
            o, k = su.off[s, i], int(su.nA[s, i])
            supp[s, i, :k] = flat_sigma[o : o + k] >= threshold
    return supp


def _polish(
    su: _Setup, x: np.ndarray, supp: np.ndarray, max_iter: int = 12
) -> tuple[tuple, np.ndarray] | None:
    """Solve the equilibrium equations on the support mask `supp`, starting at the QRE `x`.

    Newton's method, least squares where a degenerate game makes the system singular (a
    continuum of equilibria; Gauss-Newton then moves to a nearby solution).  Gives up as
    soon as the iterate leaves the neighbourhood of the path or stops converging.
    """
    from bargain.dynamic import _kernels

    sigma, V = su.k(_kernels.unpack)(x, su.nA, su.off, su.nb)
    start = sigma.copy()
    m = int(supp.sum())
    last = np.inf
    for _ in range(max_iter):
        F, dF = su.k(_kernels.support_system)(*su.args, supp, sigma, V)
        size = float(np.max(np.abs(F))) if np.all(np.isfinite(F)) else np.inf
        if size < 1e-13:
            break
        if not (size < 0.5 * last or size < 1e-10) or not np.all(np.isfinite(dF)):
            return None  # not converging
        last = size
        try:
            d = np.linalg.solve(dF, -F)
        except np.linalg.LinAlgError:
            try:
                d = np.linalg.lstsq(dF, -F, rcond=None)[0]
            except np.linalg.LinAlgError:
                return None
        sigma[supp == 1] += d[:m]
        V = V + d[m:].reshape(V.shape)
        if np.max(np.abs(sigma - start)) > 0.05:
            return None  # a solution far from the path is not the path's limit
    else:
        F, _ = su.k(_kernels.support_system)(*su.args, supp, sigma, V)
        if np.max(np.abs(F)) > 1e-10:
            return None
    if np.any(sigma < -1e-12):
        return None
    sigma = np.clip(sigma, 0.0, None)
    prof = tuple(
        tuple(sigma[s, i, : su.nA[s, i]] / sigma[s, i, : su.nA[s, i]].sum() for i in range(su.N))
        for s in range(su.S)
    )
    return prof, V * su.scale


def _polish_at(su: _Setup, game: Any, x: np.ndarray, tol: float) -> tuple | None:
    """The polish step at `x`: the Numba kernel (:func:`bargain.dynamic._trace.polish`)
    screens each support; the evaluator decides.  A singular Newton system, or a screened
    candidate the evaluator rejects, continues in Python (least squares) from there."""
    from bargain.dynamic import _kernels, _trace

    thresholds = np.array(POLISH_THRESHOLDS)
    status, k, sigma, _ = su.k(_trace.polish)(
        *su.args, su.off, su.nb, x, thresholds, 12, POLISH_EXACT * tol / su.scale
    )
    if status == _trace.FOUND:
        prof = tuple(
            tuple(sigma[s, i, : su.nA[s, i]].copy() for i in range(su.N)) for s in range(su.S)
        )
        Vp = profile_values(game, prof)
        R = one_shot_regrets(game, prof, Vp)
        if R.max() <= POLISH_EXACT * tol:
            return prof, Vp, R
        k += 1
    if status == _trace.NOT_FOUND:
        return None
    sigma_now = np.exp(np.minimum(x[: su.nb], 0.0))
    tried = [_support(su, sigma_now, t).tobytes() for t in POLISH_THRESHOLDS[:k]]
    for threshold in POLISH_THRESHOLDS[k:]:
        supp = _support(su, sigma_now, threshold)
        if supp.tobytes() in tried:
            continue
        tried.append(supp.tobytes())
        res = _polish(su, x, supp)
        if res is None:
            continue
        # an exact solution on the right support has a regret at rounding level; a
        # near-miss (a tie broken the wrong way) waits for a larger λ
        _, worst = su.k(_kernels.profile_regret)(*su.args, su.padded(res[0]))
        if worst * su.scale > POLISH_EXACT * tol:
            continue
        Vp = profile_values(game, res[0])
        R = one_shot_regrets(game, res[0], Vp)
        if R.max() <= POLISH_EXACT * tol:
            return res[0], Vp, R
    return None


def qre_homotopy(
    game: Any,
    *,
    tol: float = 1e-8,
    lambdas: Sequence[float] = (),
    store_path: bool = False,
    max_steps: int = 20_000,
    lambda_max: float = 1e8,
    polish: bool = True,
) -> StochasticSolveResult:
    """Follow the logit-QRE path from the centroid to a stationary equilibrium.

    Parameters
    ----------
    game : StochasticGame
        Numeric.
    tol : float
        Largest one-shot-deviation regret (in payoff units) accepted for the limit.
    lambdas : sequence of float
        λ values (in payoff units: ``σ ∝ exp(λ Q)``) at which to return the QRE, each at
        the first point where the path reaches it.
    store_path : bool
        Keep every step of the path in ``result.path``.
    max_steps : int
        Bound on predictor–corrector steps.
    lambda_max : float
        Bound on λ (times the payoff span); past it the solver gives up.
    polish : bool
        Solve the equilibrium equations on the support once λ is large.  Otherwise, or if
        that has not succeeded by `lambda_max`, the QRE itself is returned when its regret
        is within `tol`.

    Returns
    -------
    StochasticSolveResult
        ``method="qre"``; one equilibrium (the limit of the path from the centroid),
        ``qres`` at `lambdas`, ``path`` if asked.

    Raises
    ------
    SolverError
        If the path cannot be followed (step size collapses), `max_steps` or `lambda_max`
        is exceeded before an equilibrium within `tol` is found.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> # matching pennies in one absorbing state: the only equilibrium is (1/2, 1/2)
    >>> u = np.array([[[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]], dtype=float)
    >>> g = StochasticGame.from_arrays(u, np.ones((1, 2, 2, 1)), 0.9)
    >>> r = qre_homotopy(g)
    >>> np.round(r.equilibrium.strategies[0][0], 6).tolist()
    [0.5, 0.5]
    """
    from bargain.dynamic import _kernels, _trace

    game.require_numeric("qre")
    if not (isinstance(max_steps, int) and max_steps >= 1):
        raise SolverError(f"max_steps must be a positive int, got {max_steps!r}")
    start = time.perf_counter()
    su = _Setup(game)
    su.twins = _interpret(su.nprof)
    targets = sorted(float(v) * su.scale for v in lambdas)
    if any(v < 0 for v in targets):
        raise SolverError("lambdas must be >= 0")
    centroid = tuple(tuple(np.full(int(k), 1.0 / int(k)) for k in row) for row in game.nums_actions)
    x = np.zeros(su.n + 1)
    for s in range(su.S):
        for i in range(su.N):
            k = int(su.nA[s, i])
            x[su.off[s, i] : su.off[s, i] + k] = -np.log(k)
    # the centroid's values (normalized payoffs) from the kernel; the evaluator checks the
    # limit, not the start
    x[su.nb : su.n] = su.k(_kernels.profile_regret)(*su.args, su.padded(centroid))[0].ravel()
    t = np.zeros(su.n + 1)
    t[-1] = 1.0
    h, h_min, h_max = 0.1, 1e-9, H_MAX
    path = [x.copy()] if store_path else None
    qres: dict[float, np.ndarray] = {}
    next_check, steps, rejected = 10.0, 0, 0
    found, lam_found = None, 0.0
    while found is None or any(lam not in qres for lam in targets):  # until both are done
        if steps >= max_steps:
            raise SolverError(
                f"QRE path not finished after max_steps={max_steps} steps (λ = "
                f"{x[-1] / su.scale:.4g}); raise max_steps"
            )
        # steps in the kernel until λ passes the next polish check or requested λ
        stop = min(
            [lam for lam in targets if lam not in qres] + [next_check if found is None else np.inf]
        )
        xp, x, t, h, k, rej, status = su.k(_trace.trace)(
            *su.args, su.off, su.nb, x, t, h, h_min, h_max, GROWTH, MIN_COS, RATIO,
            stop, 1 if path is not None else max_steps - steps,
        )  # fmt: skip
        steps += k
        rejected += rej
        if status == _trace.SINGULAR:
            raise SolverError(f"the QRE system is singular at λ = {x[-1] / su.scale:.4g}")
        if status == _trace.COLLAPSED:
            raise SolverError(
                f"QRE path following failed at λ = {x[-1] / su.scale:.4g}: step size fell "
                f"below {h_min:g} (a bifurcation or a badly scaled game)"
            )
        for lam in targets:
            if lam not in qres and min(xp[-1], x[-1]) <= lam <= max(xp[-1], x[-1]):
                w = 0.0 if x[-1] == xp[-1] else (lam - xp[-1]) / (x[-1] - xp[-1])
                z = _at_lambda(su, xp + w * (x - xp), lam)
                if z is None:
                    raise SolverError(
                        f"Newton's method failed for the QRE at λ = {lam / su.scale:g}"
                    )
                qres[lam] = z
        if path is not None:
            path.append(x.copy())
        if found is None and x[-1] >= next_check:
            next_check = x[-1] * 2.0
            if polish:
                found = _polish_at(su, game, x, tol)
                lam_found = x[-1]
            if found is None and (not polish or x[-1] > lambda_max):  # the QRE itself
                prof = su.profile(x)
                V = profile_values(game, prof)
                R = one_shot_regrets(game, prof, V)
                if R.max() <= tol:
                    found, lam_found = (prof, V, R), x[-1]
            if found is None and x[-1] > lambda_max:
                raise SolverError(
                    f"QRE path reached λ = {x[-1] / su.scale:.4g} (lambda_max = "
                    f"{lambda_max:g} / payoff span) without an equilibrium within tol={tol:g}"
                )
    prof, V, R = found  # R: the evaluator's regrets, computed when the limit was accepted
    eq = MarkovEquilibrium(prof, V, R, float(R.max()), {"lambda": float(lam_found / su.scale)})
    out_qres = []
    for lam in targets:
        if lam in qres:
            p = su.profile(qres[lam])
            Vq = su.values(qres[lam])
            Rq = one_shot_regrets(game, p, Vq)
            out_qres.append(
                MarkovEquilibrium(p, Vq, Rq, float(Rq.max()), {"lambda": lam / su.scale})
            )
    path_arr = None
    if path is not None:
        rows = []
        for z in path:
            flat = [z[-1] / su.scale]
            for row in su.profile(z):
                for p in row:
                    flat.extend(p.tolist())
            rows.append(flat)
        path_arr = np.array(rows)
    return StochasticSolveResult(
        game=game,
        method="qre",
        equilibria=(eq,),
        options={
            "tol": tol,
            "lambdas": tuple(float(v) for v in lambdas),
            "store_path": store_path,
            "max_steps": max_steps,
            "lambda_max": lambda_max,
            "polish": polish,
        },
        complete=False,
        tol=tol,
        path=path_arr,
        qres=tuple(out_qres),
        stats={
            "steps": steps,
            "rejected_steps": rejected,
            "payoff_span": su.scale,
            "seconds": time.perf_counter() - start,
        },
    )
