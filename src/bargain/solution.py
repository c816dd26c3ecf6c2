"""Solve one regime of a model at one parameter point: the equilibrium path and agreement.

:func:`solve_model` builds the regime's numeric game and solves it.  For a
perfect-information tree this is backward induction with the package's tie rule (an
indifferent mover takes the agreement action: the regime's agreement labels are preferred,
then the lowest action index); every SPE is listed, the one the tie rule selects first.  For
a normal-form regime the pure Nash equilibria are listed and the agreement holds when the
regime's agreement profile is one of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bargain.errors import SolverError
from bargain.solvers.result import Equilibrium, SolveResult

__all__ = ["ModelSolution", "solve_model"]


@dataclass(frozen=True)
class ModelSolution:
    """A regime solved at one parameter point.

    Attributes
    ----------
    model : str
        The model's name.
    regime : str
    values : mapping of str to float
        Every parameter's value (defaults with the given overrides), validated.
    result : SolveResult
        What the solver returned.
    path : tuple of str
        Tree: the decision labels of the equilibrium path selected by the tie rule (see
        :func:`bargain.solvers.trees.backward_induction.equilibrium_path`).  Normal form: one
        strategy label per player of the selected pure equilibrium (the agreement profile
        when it is an equilibrium, else the first in lexicographic order; empty if none).
    paths : tuple of tuple of str
        Every distinct SPE path (tree), or every pure equilibrium (normal form).
    payoffs : numpy.ndarray
        Payoff of each player at the selected equilibrium.
    agreement : bool or None
        Whether the regime's agreement path (``Regime.agreement``) is the equilibrium path
        (tree) or a Nash equilibrium (normal form); None when the regime declares none.

    Examples
    --------
    >>> import bargain as bg
    >>> s = bg.load_model("entry_deterrence").solve("entry")
    >>> s.path, s.agreement
    (('In', 'Accommodate'), True)
    """

    model: str
    regime: str
    values: Mapping[str, float]
    result: SolveResult
    path: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    agreement: bool | None
    notes: tuple[str, ...] = field(default=())


def solve_model(model: Any, regime: str, *, method: str = "auto", **values: float) -> ModelSolution:
    """Solve a model's regime at the parameter point given by `values` (defaults otherwise).

    Parameters
    ----------
    model : Model
    regime : str
        Name of one of ``model.regimes``.
    method : str
        ``"auto"``: backward induction (``"spe"``) for perfect-information trees, pure
        equilibria for normal-form regimes, :func:`bargain.solve`'s choice otherwise.  Any
        other name is passed to :func:`bargain.solve`.
    **values : float
        Parameter values; each is checked against its bounds.

    Returns
    -------
    ModelSolution

    Raises
    ------
    ModelError
        Unknown regime.
    ParameterError
        Unknown parameter or a value outside its bounds.
    SolverError
        The method does not fit the regime's game.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> s = solve_model(m, "entry_commitment", commitment_cost=0.5)
    >>> s.path, s.agreement, s.payoffs.tolist()
    (('Commit', 'Out'), True, [0.0, 4.5])
    """
    from bargain.games.extensive_form import GameTree
    from bargain.games.normal_form import NormalFormGame

    reg = model.regime(regime)
    resolved = model.parameters.resolve(**values)
    if getattr(reg, "profile", None) is not None:
        return _solve_stochastic(model, reg, resolved, method, values)
    game = model.game(regime, **values)
    agreement = reg.agreement
    if isinstance(game, GameTree):
        return _solve_tree(model, reg, resolved, game, method)
    if isinstance(game, NormalFormGame):
        return _solve_normal(model, reg, resolved, game, method)
    raise SolverError(
        f"regime {regime!r} of model {model.name!r} built a {type(game).__name__}; expected "
        f"a GameTree or NormalFormGame (agreement {agreement!r})"
    )


def _solve_tree(model: Any, reg: Any, resolved: dict, game: Any, method: str) -> ModelSolution:
    from bargain.solvers.api import solve

    if method in ("auto", "spe"):  # ties broken toward the regime's agreement actions
        result = solve(game, method="spe", priority=reg.agreement or ())
        if method == "auto":
            how = (
                "backward induction"
                if game.perfect_information
                else "spe (subgame decomposition; information sets)"
            )
            result = _with_note(result, f"auto: tree -> {how}")
    else:
        result = solve(game, method=method)
    eqs = result.equilibria
    if not eqs:
        raise SolverError(f"method {result.method!r} found no equilibrium of {reg.name!r}")
    path = tuple(eqs[0].path or ())
    paths = tuple(dict.fromkeys(tuple(e.path or ()) for e in eqs))
    agreement = None
    if reg.agreement is not None:
        from bargain.symbolic.paths import agreement_path

        # the agreement labels may repeat along the path (phased: once per tranche)
        agreement = path == agreement_path(game, reg.agreement)
    return ModelSolution(
        model=model.name,
        regime=reg.name,
        values=resolved,
        result=result,
        path=path,
        paths=paths,
        payoffs=np.asarray(eqs[0].payoffs, float).copy(),
        agreement=agreement,
    )


#: a stochastic regime's agreement profile is an MPE when its one-shot-deviation regret
#: is at most this (absolute; payoffs of the case models are O(1))
STOCHASTIC_TOL = 1e-9


def _solve_stochastic(
    model: Any, reg: Any, resolved: dict, method: str, values: dict
) -> ModelSolution:
    """A stochastic regime: the equilibrium `method` selects (auto: the logit-QRE homotopy
    from the centroid) and whether the agreement profile is an MPE (one-shot deviations).

    ``path`` has one ``"state: a_1, ..., a_N"`` entry per state (mixed actions as
    ``"label p"`` pairs): the agreement profile when it is an MPE, else the selected
    equilibrium; ``payoffs`` are the values at the first state.
    """
    from bargain.dynamic import one_shot_regrets, profile_values, solve
    from bargain.dynamic.regime import agreement_indices, numeric_game, pure_strategies

    game = numeric_game(model, reg.name, **values)
    labels = reg.profile(model.namespace(**values))
    strategies = pure_strategies(game, agreement_indices(game, labels))
    agreement = bool(one_shot_regrets(game, strategies).max() <= STOCHASTIC_TOL)
    result = solve(game, method="qre" if method == "auto" else method)
    if not result.equilibria:
        raise SolverError(f"method {result.method!r} found no equilibrium of {reg.name!r}")
    eq = result.equilibrium
    selected = tuple(
        f"{game.states[s]}: "
        + ", ".join(
            " / ".join(
                lab if p > 1 - 1e-9 else f"{lab} {p:.3g}"
                for lab, p in zip(game.actions[s][i], x, strict=True)
                if p > 1e-9
            )
            for i, x in enumerate(eq.strategies[s])
        )
        for s in range(game.n_states)
    )
    agreed = tuple(f"{game.states[s]}: " + ", ".join(row) for s, row in enumerate(labels))
    path = agreed if agreement else selected
    return ModelSolution(
        model=model.name,
        regime=reg.name,
        values=resolved,
        result=result,
        path=path,
        paths=tuple(dict.fromkeys(((agreed,) if agreement else ()) + (selected,))),
        payoffs=(profile_values(game, strategies) if agreement else eq.values)[0].copy(),
        agreement=agreement,
    )


def _with_note(result: SolveResult, note: str) -> SolveResult:
    import dataclasses

    return dataclasses.replace(result, notes=(note, *result.notes))


def _solve_normal(model: Any, reg: Any, resolved: dict, game: Any, method: str) -> ModelSolution:
    if method == "auto":
        result = _pure_equilibria(game)
    else:
        from bargain.solvers.api import solve

        result = solve(game, method=method)
    labels = []
    for eq in result.equilibria:
        if eq.strategies is not None and eq.is_pure():
            labels.append(
                tuple(game.strategies[p][int(np.argmax(s))] for p, s in enumerate(eq.strategies))
            )
    paths = tuple(labels)
    agreement = None
    if reg.agreement is not None:
        profile = tuple(reg.agreement)
        if len(profile) != game.n_players:
            raise SolverError(
                f"regime {reg.name!r}: agreement {profile!r} must give one strategy label per "
                f"player ({game.n_players})"
            )
        index = []
        for p, lab in enumerate(profile):
            if lab not in game.strategies[p]:
                raise SolverError(
                    f"regime {reg.name!r}: agreement label {lab!r} is not a strategy of "
                    f"{game.players[p]!r} ({list(game.strategies[p])})"
                )
            index.append(game.strategies[p].index(lab))
        agreement = _is_pure_nash(game, tuple(index), result.tolerance)
    if agreement:
        path = tuple(reg.agreement)
    else:
        path = paths[0] if paths else ()
    if path:
        cell = tuple(game.strategies[p].index(lab) for p, lab in enumerate(path))
        payoffs = np.array([float(a[cell]) for a in game.payoffs])
    elif method == "auto":
        # no pure equilibrium: report the first mixed one (all of them are in .result)
        from bargain.solvers.api import solve

        result = _with_note(solve(game), "no pure equilibrium: mixed equilibria reported")
        eq = result.equilibria[0]
        path = tuple(
            ", ".join(
                f"{lab} {pr:.4g}" for lab, pr in zip(game.strategies[p], s, strict=True) if pr > 0
            )
            for p, s in enumerate(eq.strategies)
        )
        payoffs = np.asarray(eq.payoffs, dtype=float)
    else:
        payoffs = np.full(game.n_players, np.nan)
    return ModelSolution(
        model=model.name,
        regime=reg.name,
        values=resolved,
        result=result,
        path=path,
        paths=paths,
        payoffs=payoffs,
        agreement=agreement,
    )


def _is_pure_nash(game: Any, cell: tuple[int, ...], tol: float) -> bool:
    for p, a in enumerate(game.payoffs):
        here = list(cell)
        here[p] = slice(None)
        if float(np.max(a[tuple(here)])) - float(a[cell]) > tol:
            return False
    return True


def _pure_equilibria(game: Any, tol: float = 1e-9) -> SolveResult:
    """Every pure Nash equilibrium (``solvers.normal_form.pure`` when present, else a check)."""
    try:
        from bargain.solvers.normal_form.pure import pure_nash
    except ModuleNotFoundError:
        pure_nash = None
    if pure_nash is not None:
        return pure_nash(game)
    eqs = []
    for cell in itertools.product(*(range(n) for n in game.shape)):
        if _is_pure_nash(game, cell, tol):
            strategies = tuple(np.eye(n)[c] for n, c in zip(game.shape, cell, strict=True))
            regret = 0.0
            for p, a in enumerate(game.payoffs):
                here = list(cell)
                here[p] = slice(None)
                regret = max(regret, float(np.max(a[tuple(here)]) - a[cell]))
            eqs.append(
                Equilibrium(
                    strategies=strategies,
                    payoffs=np.array([float(a[cell]) for a in game.payoffs]),
                    max_regret=regret,
                )
            )
    return SolveResult(
        game=game,
        method="pure",
        equilibria=tuple(eqs),
        options={"tol": tol},
        tolerance=tol,
        complete=True,
        notes=("pure equilibria by checking every profile",),
    )
