"""What the stochastic-game solvers return: verified equilibria and how they were found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["MarkovEquilibrium", "StochasticSolveResult"]


@dataclass(frozen=True)
class MarkovEquilibrium:
    """One stationary Markov perfect equilibrium (or a QRE at finite λ), verified.

    Attributes
    ----------
    strategies : tuple of tuple of numpy.ndarray
        ``strategies[s][i]``: player *i*'s action probabilities in state ``s``.
    values : numpy.ndarray
        ``values[s, i]``: player *i*'s expected discounted payoff from state ``s``.
    regrets : numpy.ndarray
        ``regrets[s, i]``: gain of player *i*'s best one-shot deviation in state ``s``
        (>= 0), computed by :func:`bargain.dynamic.evaluate.one_shot_regrets`.
    max_regret : float
        ``regrets.max()``; ≤ the solver's tolerance for an equilibrium.
    info : mapping
        Method-specific extras (e.g. ``lambda`` of a QRE).

    Examples
    --------
    >>> import numpy as np
    >>> eq = MarkovEquilibrium(((np.array([0.0, 1.0]),),), np.zeros((1, 1)), np.zeros((1, 1)))
    >>> eq.pure_actions
    ((1,),)
    """

    strategies: tuple[tuple[np.ndarray, ...], ...]
    values: np.ndarray
    regrets: np.ndarray
    max_regret: float = 0.0
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def pure_actions(self) -> tuple[tuple[int, ...], ...] | None:
        """Per state, each player's action index, if the profile is pure (else None)."""
        out = []
        for row in self.strategies:
            acts = []
            for x in row:
                k = int(np.argmax(x))
                if abs(x[k] - 1.0) > 1e-9:
                    return None
                acts.append(k)
            out.append(tuple(acts))
        return tuple(out)


@dataclass(frozen=True)
class StochasticSolveResult:
    """Equilibria of a stochastic game and a record of how they were computed.

    Attributes
    ----------
    game : StochasticGame
    method : str
        ``"pure"``, ``"qre"``, ``"value_iteration"`` or ``"shapley"``.
    equilibria : tuple of MarkovEquilibrium
    options : mapping
        The options the solver ran with (tolerances, caps, λ values).
    complete : bool
        Whether `equilibria` is known to hold every equilibrium the method looks for (pure:
        all pure stationary equilibria).
    tol : float
        Tolerance the regrets were verified against.
    path : numpy.ndarray or None
        QRE: the traced path, one row per step: ``λ`` then every strategy probability
        (state-major, then player, then action), when asked for.
    qres : tuple of MarkovEquilibrium
        QRE: the quantal response equilibria at the requested λ values (their regrets are
        those of the profile, not ≤ tol).
    stats : mapping
        Counters (steps, iterations, profiles checked) and wall time in seconds.

    Examples
    --------
    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame, solve
    >>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
    >>> r = solve(g, method="pure")
    >>> r.method, len(r.equilibria), r.complete
    ('pure', 1, True)
    """

    game: Any
    method: str
    equilibria: tuple[MarkovEquilibrium, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    complete: bool = True
    tol: float = 0.0
    path: np.ndarray | None = None
    qres: tuple[MarkovEquilibrium, ...] = ()
    stats: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self, game_name: str = "") -> dict[str, Any]:
        """The JSON object ``bargain solve FILE.json --format json`` prints.

        ``strategies[s][i]`` is player *i*'s action distribution in state *s*, ``values``
        and ``regrets`` are indexed ``[s][i]``; ``strategies``, ``values`` and ``regrets``
        follow the file's order of states, players and actions.

        Examples
        --------
        >>> import numpy as np
        >>> from bargain.dynamic import StochasticGame, solve
        >>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
        >>> d = solve(g, method="pure").to_dict("g.json")
        >>> d["states"], d["equilibria"][0]["strategies"], d["equilibria"][0]["values"]
        (['1'], [[[1.0, 0.0]]], [[2.0]])
        """
        g = self.game
        return {
            "game": game_name or g.title,
            "kind": "stochastic",
            "method": self.method,
            "complete": self.complete,
            "tol": self.tol,
            "players": list(g.players),
            "states": list(g.states),
            "actions": [[list(a) for a in row] for row in g.actions],
            "equilibria": [
                {
                    "strategies": [[x.tolist() for x in row] for row in eq.strategies],
                    "values": eq.values.tolist(),
                    "regrets": eq.regrets.tolist(),
                    "max_regret": float(eq.max_regret),
                    **({"lambda": float(eq.info["lambda"])} if "lambda" in eq.info else {}),
                }
                for eq in self.equilibria
            ],
        }

    @property
    def equilibrium(self) -> MarkovEquilibrium:
        """The first equilibrium (the one a path-following method reached).

        Raises
        ------
        SolverError
            If there is none.
        """
        from bargain.errors import SolverError

        if not self.equilibria:
            raise SolverError(f"method {self.method!r} found no equilibrium")
        return self.equilibria[0]
