"""A model regime whose game is a stochastic game: numeric games, its agreement profile.

A :class:`~bargain.models.Regime` with a ``profile`` builds a
:class:`~bargain.dynamic.StochasticGame`; ``profile(p)`` names the regime's agreement as a
stationary profile, one action label per player per state, and ``fixed`` names the
parameters that the exact symbolic solve needs as numbers (the discount factor and the
probabilities that enter the profile's own transitions).  The functions here take the
model and the regime's name (duck-typed: ``bargain.models`` stands above this package).
The first state of the game is where play starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np

from bargain.dynamic.evaluate import one_shot_regrets, profile_values
from bargain.dynamic.game import StochasticGame
from bargain.errors import GameShapeError, ModelError, ParameterError

__all__ = [
    "agreement_indices",
    "expected_time",
    "numeric_game",
    "profile_regrets",
    "profile_slack",
    "pure_strategies",
    "regime_conditions",
]


def _regime(model: Any, regime: str) -> Any:
    r = model.regime(regime)
    if getattr(r, "profile", None) is None:
        raise ModelError(f"regime {regime!r} of model {model.name!r} declares no profile")
    return r


def _namespace(model: Any, values: dict[str, Any]) -> SimpleNamespace:
    ns = {}
    for p in model.parameters.parameters:
        ns[p.name] = int(values[p.name]) if p.integer else values[p.name]
    return SimpleNamespace(**ns)


def numeric_game(model: Any, regime: str, **values: float) -> StochasticGame:
    """The regime's stochastic game at one point, built from numbers (no SymPy).

    Examples
    --------
    >>> import bargain as bg
    >>> g = numeric_game(bg.load_model("staged_withdrawal"), "staged", k=2)
    >>> g.n_states, g.states[0]
    (12, 'm=2,active,in force')
    """
    r = _regime(model, regime)
    vals = {n: float(v) for n, v in model.parameters.resolve(**values).items()}
    game = r.build(_namespace(model, vals))
    if not isinstance(game, StochasticGame):
        raise ModelError(
            f"regime {regime!r} of model {model.name!r} declares a profile but built a "
            f"{type(game).__name__}, not a StochasticGame"
        )
    return game


def agreement_indices(game: StochasticGame, labels: Sequence[Sequence[str]]) -> list[list[int]]:
    """Action indices of a profile given by labels, ``[s][i]``.

    Raises
    ------
    GameShapeError
        If the profile does not cover every state and player, or names an unknown action
        (the message names the state and player).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("staged_withdrawal")
    >>> g = numeric_game(m, "staged", k=1)
    >>> agreement_indices(g, m.regimes["staged"].profile(m.namespace(k=1)))[:2]
    [[0, 0], [0, 0]]
    """
    if len(labels) != game.n_states:
        raise GameShapeError(f"profile has {len(labels)} states, the game {game.n_states}")
    out = []
    for s, row in enumerate(labels):
        if len(row) != game.n_players:
            raise GameShapeError(
                f"profile in state {game.states[s]!r}: {len(row)} actions for "
                f"{game.n_players} players"
            )
        idx = []
        for i, a in enumerate(row):
            acts = game.actions[s][i]
            if a not in acts:
                raise GameShapeError(
                    f"profile in state {game.states[s]!r}, player {game.players[i]!r}: no "
                    f"action {a!r}; actions: {', '.join(acts)}"
                )
            idx.append(acts.index(a))
        out.append(idx)
    return out


def pure_strategies(game: StochasticGame, indices: Sequence[Sequence[int]]) -> list[list[Any]]:
    """The pure profile `indices` (``[s][i]``) as probability vectors.

    Examples
    --------
    >>> import numpy as np
    >>> g = StochasticGame.from_arrays(np.zeros((1, 1, 2)), np.ones((1, 2, 1)), 0.5)
    >>> pure_strategies(g, [[1]])[0][0].tolist()
    [0.0, 1.0]
    """
    return [
        [np.eye(int(game.nums_actions[s, i]))[a] for i, a in enumerate(row)]
        for s, row in enumerate(indices)
    ]


def profile_regrets(model: Any, regime: str, **values: float) -> np.ndarray:
    """One-shot-deviation regrets ``R[s, i]`` of the regime's agreement profile at a point.

    The profile is a Markov perfect equilibrium iff ``R.max() <= tol``.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("staged_withdrawal")
    >>> bool(profile_regrets(m, "staged").max() <= 1e-9)  # an MPE at the baseline
    True
    >>> bool(profile_regrets(m, "staged", q=0.0).max() <= 1e-9)  # no detection: not
    False
    """
    r = _regime(model, regime)
    game = numeric_game(model, regime, **values)
    vals = model.parameters.resolve(**values)
    idx = agreement_indices(game, r.profile(_namespace(model, vals)))
    return one_shot_regrets(game, pure_strategies(game, idx))


def profile_slack(model: Any, regime: str, **values: float) -> np.ndarray:
    """Slack ``V_i(s) - max_{a != σ_i(s)} Q_i(s, a)`` of the agreement profile at a point.

    Negative where a one-shot deviation pays; ``inf`` where the player has one action.
    The state with the smallest slack is where the profile is closest to breaking.

    Examples
    --------
    >>> import bargain as bg
    >>> sl = profile_slack(bg.load_model("staged_withdrawal"), "staged", k=1)
    >>> sl.shape, bool(sl.min() > 0)
    ((8, 2), True)
    """
    r = _regime(model, regime)
    game = numeric_game(model, regime, **values)
    vals = model.parameters.resolve(**values)
    idx = agreement_indices(game, r.profile(_namespace(model, vals)))
    strategies = pure_strategies(game, idx)
    V = profile_values(game, strategies)
    S, N = game.n_states, game.n_players
    out = np.full((S, N), np.inf)
    for s in range(S):
        for i in range(N):
            W = game.payoffs[s][i] + game.discount[i] * (game.transitions[s] @ V[:, i])
            for j in range(N - 1, -1, -1):  # contract opponents, last axis first
                if j != i:
                    W = np.tensordot(W, strategies[s][j], axes=([j], [0]))
            others = np.delete(W, idx[s][i])
            if others.size:
                out[s, i] = V[s, i] - float(others.max())
    return out


def regime_conditions(model: Any, regime: str, **fixed: float) -> Any:
    """Symbolic one-shot-deviation conditions of the regime's agreement profile.

    Parameters in ``Regime.fixed`` and integer parameters take the given values (defaults
    otherwise) as exact rationals; every other parameter stays a symbol.

    Returns
    -------
    bargain.symbolic.Conditions
        From :func:`bargain.dynamic.pure_conditions`.

    Raises
    ------
    ParameterError
        If a value is given for a parameter that is neither fixed nor integer.

    Examples
    --------
    >>> import bargain as bg
    >>> c = regime_conditions(bg.load_model("staged_withdrawal"), "staged", k=1)
    >>> c.holds(), c.holds(q=0.0)
    (True, False)
    """
    import sympy

    from bargain.dynamic.symbolic import pure_conditions

    r = _regime(model, regime)
    keep = set(getattr(r, "fixed", ())) | {p.name for p in model.parameters.parameters if p.integer}
    other = sorted(set(fixed) - keep)
    if other:
        raise ParameterError(
            other[0],
            f"is kept as a symbol in regime {regime!r}; fix only {', '.join(sorted(keep))}",
        )
    vals = model.parameters.resolve(**fixed)
    ns = {}
    for p in model.parameters.parameters:
        if p.integer:
            ns[p.name] = int(vals[p.name])
        elif p.name in keep:
            ns[p.name] = sympy.Rational(repr(float(vals[p.name])))
        else:
            ns[p.name] = p.symbol
    space = SimpleNamespace(**ns)
    game = r.build(space)
    return pure_conditions(game, r.profile(space))


def expected_time(
    model_or_game: Any,
    regime_or_strategies: Any,
    targets: Sequence[int] | None = None,
    *,
    start: int = 0,
    **values: float,
) -> float:
    """Expected number of periods until play reaches a target state (``inf`` if it may
    never do so).

    Either ``expected_time(game, strategies, targets)`` for any stationary profile, or
    ``expected_time(model, regime, **values)`` for the regime's agreement profile with the
    states whose label starts with ``"m=0"`` as targets (the staged-withdrawal convention:
    no deployment left).  The hitting time solves ``t = 1 + P t`` on the states from which
    a target is reached with probability one (Kemeny & Snell 1960, absorbing chains).

    Examples
    --------
    >>> import bargain as bg
    >>> expected_time(bg.load_model("staged_withdrawal"), "staged", k=3)
    3.0
    """
    if isinstance(regime_or_strategies, str):
        model, regime = model_or_game, regime_or_strategies
        game = numeric_game(model, regime, **values)
        vals = model.parameters.resolve(**values)
        r = _regime(model, regime)
        strategies = pure_strategies(
            game, agreement_indices(game, r.profile(_namespace(model, vals)))
        )
        if targets is None:
            targets = [s for s, name in enumerate(game.states) if name.startswith("m=0")]
    else:
        game, strategies = model_or_game, regime_or_strategies
        if targets is None:
            raise GameShapeError("expected_time(game, strategies, targets): targets missing")
    S, N = game.n_states, game.n_players
    P = np.zeros((S, S))
    for s in range(S):
        j = np.ones(())
        for x in strategies[s]:
            j = np.multiply.outer(j, np.asarray(x, dtype=float))
        P[s] = np.tensordot(j, game.transitions[s], axes=N)
    target = np.zeros(S, dtype=bool)
    target[list(targets)] = True
    # probability of ever reaching a target: least fixed point, by value iteration on the
    # graph (bounded by S rounds of reachability, then a linear solve on the reachable set)
    reach = target.copy()
    for _ in range(S):
        new = reach | ((P[:, reach] > 0).any(axis=1))
        if (new == reach).all():
            break
        reach = new
    free = reach & ~target
    h = target.astype(float)
    if free.any():
        A = np.eye(int(free.sum())) - P[np.ix_(free, free)]
        h[free] = np.linalg.solve(A, P[np.ix_(free, target)].sum(axis=1))
    sure = target | (h > 1 - 1e-12)
    if not sure[start]:
        return float("inf")
    if target[start]:
        return 0.0
    live = sure & ~target
    t = np.linalg.solve(np.eye(int(live.sum())) - P[np.ix_(live, live)], np.ones(int(live.sum())))
    return float(t[np.flatnonzero(live).tolist().index(start)])
