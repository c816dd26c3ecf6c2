"""Numeric evaluation of a model regime at many parameter points.

Trees go through the compiled batch backward-induction kernel; normal-form regimes through
a vectorized test of every pure profile.  Both apply the package's tie rule: an indifferent
player takes the regime's agreement action, otherwise the first action.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bargain.errors import ParameterError
from bargain.games.expression import to_sympy

__all__ = ["PARALLEL_MIN", "PointOutcomes", "evaluate_points", "scalar_output"]

#: below this many points a report's sweeps run the single-thread kernel: it is fast
#: enough there, and a first run then compiles (or loads) one kernel variant, not two
PARALLEL_MIN = 1_000_000


@dataclass(frozen=True)
class PointOutcomes:
    """Outcomes at each point of a design.

    Attributes
    ----------
    path_id : numpy.ndarray of int
        Index into `paths` per point (-1: no pure equilibrium, normal form only).
    paths : tuple of tuple of str
        Distinct equilibrium paths (trees) or pure profiles as strategy labels (normal form).
    payoffs : numpy.ndarray
        ``(n_points, n_players)``; NaN where `path_id` is -1.
    agreement : numpy.ndarray of bool
        Whether the regime's agreement path is the equilibrium path at the point.
    players : tuple of str
    """

    path_id: np.ndarray
    paths: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    agreement: np.ndarray
    players: tuple[str, ...]


def _check_points(points: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    points = np.ascontiguousarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != len(names):
        raise ParameterError("points", f"expected shape (n, {len(names)}), got {points.shape}")
    bad = ~np.isfinite(points)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ParameterError(names[col], f"non-finite value at point {row}")
    return points


def evaluate_points(
    model: Any, regime: str, points: np.ndarray, *, parallel: bool = True
) -> PointOutcomes:
    """Solve `regime` of `model` at every row of `points` (columns in parameter order).

    `parallel` spreads the points over Numba's threads (False: one thread, e.g. inside an
    outer parallel backend such as Dask workers).

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> base = np.array(m.parameters.vector())
    >>> pts = np.array([base, base])
    >>> pts[1, 3] = 5.0  # commitment_cost above entrant_profit: commitment does not pay
    >>> evaluate_points(m, "entry_commitment", pts).agreement.tolist()
    [True, False]
    """
    names = tuple(model.parameters.names)
    points = _check_points(points, names)
    reg = model.regime(regime)
    integer = [p.name for p in model.parameters.parameters if p.integer]
    if integer:
        return _by_structure(model, regime, points, integer, parallel)
    game = model.game(regime, symbolic=True)
    return _evaluate_game(game, reg.agreement, points, names, parallel)


def _evaluate_game(
    game: Any, agreement: Any, points: np.ndarray, names: tuple[str, ...], parallel: bool = True
):
    from bargain.games.normal_form import NormalFormGame

    if isinstance(game, NormalFormGame):
        return _normal_form(game, agreement, points, names)
    from bargain.solvers.trees.points import solve_points

    batch = solve_points(game, points, param_names=names, priority=agreement, parallel=parallel)
    paths = tuple(tuple(p) for p in batch.paths)
    agree = np.zeros(len(points), dtype=bool)
    if agreement is not None:
        from bargain.symbolic.paths import agreement_path

        target = agreement_path(game, agreement)
        for k, p in enumerate(paths):
            if p == target:
                agree |= batch.path_id == k
    return PointOutcomes(batch.path_id, paths, batch.payoffs, agree, game.players)


def _by_structure(
    model: Any, regime: str, points: np.ndarray, integer: list[str], parallel: bool = True
):
    """Group points by the values of integer (structural) parameters: one tree each."""
    names = tuple(model.parameters.names)
    cols = [names.index(n) for n in integer]
    keys = points[:, cols]
    reg = model.regime(regime)
    if len(points) and (keys == keys[0]).all():
        # one structure (the usual case: integer parameters fixed): no grouping, which
        # would sort the keys (np.unique) and copy the points, dominating the kernel's time
        structural = {n: float(v) for n, v in zip(integer, keys[0], strict=True)}
        game = model.game(regime, symbolic=True, **structural)
        return _evaluate_game(game, reg.agreement, points, names, parallel)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    path_id = np.full(len(points), -1, dtype=np.int64)
    payoffs = None
    agree = np.zeros(len(points), dtype=bool)
    paths: list[tuple[str, ...]] = []
    players: tuple[str, ...] = ()
    for k, key in enumerate(uniq):
        mask = inverse == k
        structural = {n: float(v) for n, v in zip(integer, key, strict=True)}
        game = model.game(regime, symbolic=True, **structural)
        sub = _evaluate_game(game, reg.agreement, points[mask], names, parallel)
        players = sub.players
        if payoffs is None:
            payoffs = np.full((len(points), len(players)), np.nan)
        remap = []
        for p in sub.paths:
            if p not in paths:
                paths.append(p)
            remap.append(paths.index(p))
        remap_arr = np.array([*remap, -1], dtype=np.int64)
        path_id[mask] = remap_arr[sub.path_id]
        payoffs[mask] = sub.payoffs
        agree[mask] = sub.agreement
    return PointOutcomes(path_id, tuple(paths), payoffs, agree, players)


def _normal_form(game: Any, agreement: Any, points: np.ndarray, names: tuple[str, ...]):
    """Pure equilibria of a symbolic normal-form game at every point, vectorized."""
    import itertools

    import sympy

    # lambdify with the game's own symbols: they carry assumptions, so Symbol(name) would
    # be a different symbol
    by_name = {
        s.name: s
        for a in game.payoffs
        for x in a.flat
        if hasattr(x, "free_symbols")
        for s in x.free_symbols
    }
    symbols = [by_name.get(n, sympy.Symbol(n)) for n in names]
    cols = [points[:, j] for j in range(len(names))]
    shape = game.shape
    n = len(points)
    values = []
    for a in game.payoffs:
        flat = [to_sympy(x, where="payoff") for x in a.flat]
        fn = sympy.lambdify(symbols, flat, modules="numpy")
        out = fn(*cols)
        arr = np.empty((n, len(flat)))
        for k, v in enumerate(out):
            arr[:, k] = np.broadcast_to(np.asarray(v, dtype=float), (n,))
        values.append(arr.reshape((n, *shape)))
    profiles = list(itertools.product(*(range(k) for k in shape)))
    agree_idx = None
    if agreement is not None:
        agree_idx = tuple(game.strategies[i].index(a) for i, a in enumerate(agreement))
        profiles.remove(agree_idx)
        profiles.insert(0, agree_idx)
    path_id = np.full(n, -1, dtype=np.int64)
    payoffs = np.full((n, game.n_players), np.nan)
    paths = []
    for k, prof in enumerate(profiles):
        ok = np.ones(n, dtype=bool)
        for i in range(game.n_players):
            own = values[i][(slice(None), *prof)]
            best = np.max(_deviations(values[i], prof, i), axis=1)
            ok &= own >= best - 1e-12 * np.maximum(1.0, np.abs(best))
        paths.append(tuple(game.strategies[i][s] for i, s in enumerate(prof)))
        take = ok & (path_id < 0)
        path_id[take] = k
        for i in range(game.n_players):
            payoffs[take, i] = values[i][(slice(None), *prof)][take]
    agree = path_id == 0 if agree_idx is not None else np.zeros(n, dtype=bool)
    return PointOutcomes(path_id, tuple(paths), payoffs, agree, game.players)


def _deviations(values: np.ndarray, prof: tuple[int, ...], i: int) -> np.ndarray:
    """Player i's payoffs from each own strategy against the rest of `prof`: (n, k_i)."""
    index: list[Any] = [slice(None), *prof]
    index[1 + i] = slice(None)
    return values[tuple(index)]


def scalar_output(
    model: Any, regime: str | None, output: str, points: np.ndarray, *, parallel: bool = True
) -> np.ndarray:
    """One number per point, for sensitivity analyses and plots.

    Parameters
    ----------
    model : Model
    regime : str or None
        Needed for equilibrium outputs; ignored for closed-form model outputs.
    output : str
        ``"agreement"`` (1.0 where the regime's agreement is the equilibrium, else 0.0),
        ``"payoff_<player>"`` (that player's equilibrium payoff), or the name of one of
        the model's closed-form :class:`~bargain.models.Output`.
    points : numpy.ndarray
        ``(n_points, n_parameters)`` in the model's parameter order.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> pts = np.array([m.parameters.vector(), m.parameters.vector(commitment_cost=5)])
    >>> scalar_output(m, "entry_commitment", "agreement", pts).tolist()
    [1.0, 0.0]
    >>> scalar_output(m, None, "commitment_margin", pts).tolist()
    [1.0, -3.0]
    """
    if output in model.outputs:
        return model.evaluate_output(output, points)
    if regime is None:
        raise ParameterError(
            "regime", f"output {output!r} is an equilibrium output: name the regime"
        )
    outcome = evaluate_points(model, regime, points, parallel=parallel)
    if output == "agreement":
        return outcome.agreement.astype(float)
    if output.startswith("payoff_"):
        player = output[len("payoff_") :]
        if player in outcome.players:
            return outcome.payoffs[:, outcome.players.index(player)]
    known = ["agreement", *(f"payoff_{p}" for p in outcome.players), *model.outputs]
    raise ParameterError("output", f"unknown output {output!r}; choose from {known}")
