"""Normal-form (strategic-form) games with numeric or symbolic payoffs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.games.parameters import ParameterSet, is_symbolic, substitute

__all__ = ["NormalFormGame"]


class NormalFormGame:
    """A finite game in strategic form: one payoff array per player.

    Parameters
    ----------
    payoffs : sequence of array_like
        ``payoffs[i][s1, ..., sN]`` is player *i*'s payoff when player *j* plays strategy
        ``sj``.  Every array has the same shape ``(n1, ..., nN)`` with ``N = len(payoffs)``.
        Entries are numbers or SymPy expressions in the declared `parameters`.
    players : sequence of str, optional
        Player names (default ``"1"``, ``"2"``, ...).
    strategies : sequence of sequence of str, optional
        Strategy labels per player (default ``"1"``, ``"2"``, ... per player).
    parameters : ParameterSet, optional
        Parameters the symbolic payoffs may use.
    title : str
        A short name shown in outputs.

    Raises
    ------
    GameShapeError
        If the arrays are ragged, their shapes differ or do not match the number of
        players, a player has no strategy, labels do not fit, or a payoff is not finite.

    Examples
    --------
    >>> g = NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], title="matching pennies")
    >>> g.shape
    (2, 2)
    >>> float(g.payoffs[1][0, 1])
    1.0
    """

    def __init__(
        self,
        payoffs: Sequence[Any],
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        parameters: ParameterSet | None = None,
        title: str = "",
    ) -> None:
        arrays = [_as_payoff_array(p, i) for i, p in enumerate(payoffs)]
        n = len(arrays)
        if n < 1:
            raise GameShapeError("a game needs at least one player's payoff array")
        shape = arrays[0].shape
        for i, a in enumerate(arrays):
            if a.ndim != n:
                raise GameShapeError(
                    f"payoff array of player {i + 1} has {a.ndim} dimensions, expected {n} "
                    f"(one per player)"
                )
            if a.shape != shape:
                raise GameShapeError(
                    f"payoff array of player {i + 1} has shape {a.shape}, expected {shape}"
                )
        if any(k < 1 for k in shape):
            raise GameShapeError(f"every player needs at least one strategy, shape is {shape}")
        self.players = _labels(players, n, "players", default=[str(i + 1) for i in range(n)])
        if strategies is None:
            strategies = [[str(j + 1) for j in range(k)] for k in shape]
        if len(strategies) != n:
            raise GameShapeError(f"strategies: got labels for {len(strategies)} players, need {n}")
        self.strategies = tuple(
            _labels(s, shape[i], f"strategies of player {self.players[i]!r}", default=None)
            for i, s in enumerate(strategies)
        )
        self.payoffs: tuple[np.ndarray, ...] = tuple(arrays)
        self.parameters = parameters
        self.title = title
        self.is_symbolic = any(a.dtype == object for a in arrays)
        if self.is_symbolic and parameters is not None:
            known = set(parameters.names)
            for i, a in enumerate(arrays):
                for idx, x in np.ndenumerate(a):
                    if is_symbolic(x):
                        for s in x.free_symbols:
                            if s.name not in known:
                                raise ParameterError(
                                    s.name,
                                    f"used in the payoff of player {self.players[i]!r} at "
                                    f"{idx} but not declared",
                                )

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.payoffs)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player."""
        return self.payoffs[0].shape

    def _repr_html_(self) -> str:
        from bargain.games.display import normal_form_html

        return normal_form_html(self)

    def _repr_latex_(self) -> str:
        from bargain.games.display import normal_form_latex

        return "$$" + normal_form_latex(self) + "$$"

    def __repr__(self) -> str:
        kind = "symbolic" if self.is_symbolic else "numeric"
        name = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{name} {'x'.join(map(str, self.shape))} {kind}>"

    def numeric(self, **values: float) -> NormalFormGame:
        """Substitute parameter values and return a game with float payoffs.

        Parameters not given take their defaults (when the game declares `parameters`).

        Examples
        --------
        >>> import sympy
        >>> from bargain.games.parameters import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("a", 1.0, (0, 5))])
        >>> (a,) = ps.symbols()
        >>> g = NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]], parameters=ps)
        >>> float(g.numeric(a=3).payoffs[0][0, 0])
        3.0
        """
        if self.parameters is not None:
            vals = self.parameters.resolve(**values)
        else:
            vals = {k: float(v) for k, v in values.items()}
        arrays = []
        for i, a in enumerate(self.payoffs):
            if a.dtype != object:
                arrays.append(a.copy())
                continue
            out = np.empty(a.shape, dtype=float)
            for idx, x in np.ndenumerate(a):
                out[idx] = substitute(
                    x, vals, where=f"payoff of player {self.players[i]!r} at {idx}"
                )
            arrays.append(out)
        return NormalFormGame(
            arrays, players=self.players, strategies=self.strategies, title=self.title
        )

    def payoff_tensor(self) -> np.ndarray:
        """All payoffs as one float array of shape ``(N, n1, ..., nN)``.

        Raises
        ------
        SolverError
            If the game is symbolic (call :meth:`numeric` first).
        """
        if self.is_symbolic:
            raise SolverError("the game has symbolic payoffs; call .numeric(...) first")
        return np.stack(self.payoffs)

    def require(self, *, players: int | None = None, min_strategies: int = 1, method: str = ""):
        """Check the game fits a solver; raise a clear :class:`SolverError` if not.

        Examples
        --------
        >>> g = NormalFormGame([[[1]], [[1]]])
        >>> g.require(min_strategies=2, method="support")
        Traceback (most recent call last):
        ...
        bargain.errors.SolverError: method 'support' needs every player to have at least 2 ...
        """
        who = f"method {method!r}" if method else "this method"
        if self.is_symbolic:
            raise SolverError(f"{who} needs numeric payoffs; call .numeric(...) first")
        if players is not None and self.n_players != players:
            raise SolverError(f"{who} needs {players} players, the game has {self.n_players}")
        for name, k in zip(self.players, self.shape, strict=True):
            if k < min_strategies:
                raise SolverError(
                    f"{who} needs every player to have at least {min_strategies} strategies; "
                    f"player {name!r} has {k}"
                )
        return self

    @classmethod
    def from_nashpy(cls, game: Any, **kwargs: Any) -> NormalFormGame:
        """Build from a :class:`nashpy.Game` (two players).

        Examples
        --------
        >>> import nashpy
        >>> float(NormalFormGame.from_nashpy(nashpy.Game([[1, 0], [0, 1]])).payoffs[1][0, 0])
        -1.0
        """
        return cls([np.asarray(m, dtype=float) for m in game.payoff_matrices], **kwargs)

    def to_nashpy(self) -> Any:
        """Convert a numeric 2-player game to a :class:`nashpy.Game`.

        Examples
        --------
        >>> NormalFormGame([[[1, 0], [0, 1]], [[0, 1], [1, 0]]]).to_nashpy().payoff_matrices[0]
        array([[1., 0.],
               [0., 1.]])
        """
        import nashpy

        self.require(players=2, method="to_nashpy")
        return nashpy.Game(self.payoffs[0], self.payoffs[1])


def _as_payoff_array(p: Any, i: int) -> np.ndarray:
    try:
        a = np.array(p, dtype=object)
    except ValueError as exc:  # ragged nested lists
        raise GameShapeError(f"payoff array of player {i + 1} is ragged: {exc}") from None
    if a.dtype == object and any(isinstance(x, (list, tuple, np.ndarray)) for x in a.flat):
        raise GameShapeError(f"payoff array of player {i + 1} is ragged (rows of unequal length)")
    if any(is_symbolic(x) for x in a.flat):
        for idx, x in np.ndenumerate(a):
            if is_symbolic(x):
                if x.is_number and not math.isfinite(complex(x).real):
                    raise GameShapeError(f"payoff of player {i + 1} at {idx} is not finite: {x}")
            elif not _finite_number(x):
                raise GameShapeError(f"payoff of player {i + 1} at {idx} is not finite: {x!r}")
        return a
    try:
        f = np.array(p, dtype=float)
    except (TypeError, ValueError):
        raise GameShapeError(f"payoff array of player {i + 1} holds non-numbers") from None
    bad = np.argwhere(~np.isfinite(f))
    if bad.size:
        idx = tuple(int(k) for k in bad[0])
        raise GameShapeError(f"payoff of player {i + 1} at {idx} is not finite: {f[idx]}")
    return f


def _finite_number(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _labels(labels: Any, n: int, what: str, *, default: list[str] | None) -> tuple[str, ...]:
    if labels is None:
        if default is None:
            return tuple(str(j + 1) for j in range(n))
        return tuple(default)
    out = tuple(str(x) for x in labels)
    if len(out) != n:
        raise GameShapeError(f"{what}: got {len(out)} labels, need {n}")
    if len(set(out)) != n:
        raise GameShapeError(f"{what}: labels must be distinct, got {list(out)}")
    return out
