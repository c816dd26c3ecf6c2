"""`StochasticGame`: finite states, per-state action sets, stage payoffs, transitions.

The array layout is sgamesolver's (Eibelshäuser & Poensgen 2019): for each state ``s``,
``payoffs[s]`` has shape ``(n_players, a_1, ..., a_N)`` (``a_i`` = number of actions of
player *i* in state ``s``; a player who only waits has one action) and ``transitions[s]``
has shape ``(a_1, ..., a_N, n_states)``: the distribution of the next state after each
action profile.  Players discount future stage payoffs with their own factor in (0, 1).
Entries may be numbers or SymPy expressions in declared parameters; :meth:`numeric`
substitutes values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.games.parameters import ParameterSet, is_symbolic, substitute

__all__ = ["StochasticGame"]

#: tolerance on transition probabilities summing to 1
PROB_TOL = 1e-9


def _array(x: Any, what: str) -> np.ndarray:
    try:
        a = np.asarray(x)
    except ValueError:
        raise GameShapeError(f"{what} is ragged") from None
    if a.dtype == object:
        if any(is_symbolic(v) for v in a.flat):
            return a
        try:
            return a.astype(float)
        except (TypeError, ValueError):
            raise GameShapeError(f"{what} holds entries that are not numbers") from None
    if not np.issubdtype(a.dtype, np.number) and a.dtype != bool:
        raise GameShapeError(f"{what} holds entries that are not numbers (dtype {a.dtype})")
    return a.astype(float)


def _profile(idx: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(k) for k in idx) + ")"


class StochasticGame:
    """A finite stochastic (Markov) game with discounting.

    Parameters
    ----------
    payoffs : sequence of array_like
        ``payoffs[s][i, a_1, ..., a_N]``: player *i*'s stage payoff in state ``s`` at the
        action profile ``(a_1, ..., a_N)``.
    transitions : sequence of array_like
        ``transitions[s][a_1, ..., a_N, t]``: probability that the next state is ``t``.
    discount : float or sequence of float
        One factor for all players, or one per player, each in (0, 1) (numbers or SymPy
        expressions of parameters).
    players, states : sequence of str, optional
        Names (default ``"1"``, ``"2"``, ...).
    actions : sequence of sequence of sequence of str, optional
        ``actions[s][i]``: action labels of player *i* in state ``s`` (default ``"1"``, ...).
    parameters : ParameterSet, optional
        Parameters that symbolic entries may use.
    title : str

    Raises
    ------
    GameShapeError
        If the arrays do not fit together (the message names the state), or a transition
        distribution is negative or does not sum to 1 (naming state and action profile).
    ParameterError
        If a discount factor is not in (0, 1) (naming the player).

    Examples
    --------
    >>> g = StochasticGame([[[1.0]]], [[[1.0]]], 0.9)  # one state, one player, one action
    >>> g.n_states, g.n_players, g.nums_actions.tolist()
    (1, 1, [[1]])
    """

    def __init__(
        self,
        payoffs: Sequence[Any],
        transitions: Sequence[Any],
        discount: Any,
        *,
        players: Sequence[str] | None = None,
        states: Sequence[str] | None = None,
        actions: Sequence[Sequence[Sequence[str]]] | None = None,
        parameters: ParameterSet | None = None,
        title: str = "",
    ) -> None:
        n_states = len(payoffs)
        if n_states < 1:
            raise GameShapeError("a stochastic game needs at least one state")
        if len(transitions) != n_states:
            raise GameShapeError(
                f"payoffs describe {n_states} states but transitions {len(transitions)}"
            )
        self.payoffs = tuple(_array(p, f"payoffs of state {s}") for s, p in enumerate(payoffs))
        self.transitions = tuple(
            _array(t, f"transitions of state {s}") for s, t in enumerate(transitions)
        )
        n = self.payoffs[0].shape[0] if self.payoffs[0].ndim else 0
        if n < 1:
            raise GameShapeError("payoffs of state 0 must have shape (n_players, a_1, ..., a_N)")
        nums = []
        for s, (u, t) in enumerate(zip(self.payoffs, self.transitions, strict=True)):
            if u.ndim != n + 1 or u.shape[0] != n:
                raise GameShapeError(
                    f"payoffs of state {s} have shape {u.shape}, expected (n_players = {n}, "
                    f"a_1, ..., a_{n})"
                )
            if any(k < 1 for k in u.shape[1:]):
                raise GameShapeError(f"state {s}: every player needs at least one action")
            want = (*u.shape[1:], n_states)
            if t.shape != want:
                raise GameShapeError(
                    f"transitions of state {s} have shape {t.shape}, expected {want}"
                )
            nums.append(u.shape[1:])
        self.nums_actions = np.array(nums, dtype=np.int64)
        self.players = _labels(players, n, "players")
        self.states = _labels(states, n_states, "states")
        if actions is None:
            actions = [[[str(k + 1) for k in range(a)] for a in row] for row in nums]
        if len(actions) != n_states:
            raise GameShapeError(f"actions: got labels for {len(actions)} states, need {n_states}")
        labels = []
        for s, row in enumerate(actions):
            if len(row) != n:
                raise GameShapeError(f"actions of state {s}: got {len(row)} players, need {n}")
            labels.append(
                tuple(
                    _labels(row[i], int(nums[s][i]), f"actions of player {i} in state {s}")
                    for i in range(n)
                )
            )
        self.actions = tuple(labels)
        d = list(discount) if np.ndim(discount) == 1 else [discount] * n
        if np.ndim(discount) > 1:
            raise ParameterError(
                "discount", f"must be a number or one per player, got {discount!r}"
            )
        if len(d) != n:
            raise ParameterError("discount", f"got {len(d)} factors for {n} players")
        self.discount = tuple(x if is_symbolic(x) else float(x) for x in d)
        self.parameters = parameters
        self.title = title
        self.is_symbolic = any(a.dtype == object for a in self.payoffs + self.transitions) or any(
            is_symbolic(x) for x in self.discount
        )
        if not self.is_symbolic:
            self._check_numbers()

    @classmethod
    def from_arrays(
        cls, payoffs: Any, transitions: Any, discount: Any, **kwargs: Any
    ) -> StochasticGame:
        """Build a game from arrays in sgamesolver's layout.

        Parameters
        ----------
        payoffs : array_like or sequence of array_like
            ``(n_states, n_players, a_1, ..., a_N)`` when every state has the same action
            numbers, else a list with one ``(n_players, a_1, ..., a_N)`` array per state.
        transitions : array_like or sequence of array_like
            ``(n_states, a_1, ..., a_N, n_states)``, or a list of per-state arrays.
        discount : float or sequence of float
        **kwargs
            Labels, parameters and title, as for :class:`StochasticGame`.

        Returns
        -------
        StochasticGame

        Examples
        --------
        >>> import numpy as np
        >>> u = np.zeros((2, 2, 2, 2)); phi = np.full((2, 2, 2, 2), 0.5)
        >>> StochasticGame.from_arrays(u, phi, 0.95).nums_actions.tolist()
        [[2, 2], [2, 2]]
        """
        return cls(list(payoffs), list(transitions), discount, **kwargs)

    # -- properties -------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        """Number of states."""
        return len(self.payoffs)

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    def __repr__(self) -> str:
        kind = "symbolic" if self.is_symbolic else "numeric"
        return (
            f"<StochasticGame {self.title!r}: {self.n_states} states, {self.n_players} "
            f"players, {kind}>"
        )

    def _check_numbers(self) -> None:
        for i, d in enumerate(self.discount):
            if not (math.isfinite(d) and 0.0 < d < 1.0):
                raise ParameterError(
                    "discount", f"player {self.players[i]!r}: must lie in (0, 1), got {d:g}"
                )
        for s, (u, t) in enumerate(zip(self.payoffs, self.transitions, strict=True)):
            if not np.all(np.isfinite(u)):
                bad = tuple(int(k) for k in np.argwhere(~np.isfinite(u))[0])
                raise GameShapeError(
                    f"state {s}: payoff of player {bad[0]} at action profile "
                    f"{_profile(bad[1:])} is not finite"
                )
            if not np.all(np.isfinite(t)):
                bad = tuple(int(k) for k in np.argwhere(~np.isfinite(t))[0])
                raise GameShapeError(
                    f"state {s}: transition probability at action profile "
                    f"{_profile(bad[:-1])} to state {bad[-1]} is not finite"
                )
            if np.any(t < 0):
                bad = tuple(int(k) for k in np.argwhere(t < 0)[0])
                raise GameShapeError(
                    f"state {s}: transition probability at action profile {_profile(bad[:-1])} "
                    f"to state {bad[-1]} is negative ({t[bad]:g})"
                )
            sums = t.sum(axis=-1)
            off = np.abs(sums - 1.0) > PROB_TOL
            if np.any(off):
                bad = tuple(int(k) for k in np.argwhere(off)[0])
                raise GameShapeError(
                    f"state {s}: transition probabilities at action profile {_profile(bad)} "
                    f"sum to {sums[bad]:.12g}, expected 1"
                )

    # -- conversions ------------------------------------------------------------------
    def numeric(self, **values: float) -> StochasticGame:
        """The game with parameters replaced by numbers (defaults with `values` applied).

        Raises
        ------
        ParameterError
            For an unknown parameter, a value outside its bounds, or an expression with a
            symbol that has no value.

        Examples
        --------
        >>> import sympy
        >>> from bargain.games import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("d", 0.9, (0.1, 0.99))])
        >>> g = StochasticGame([[[1.0]]], [[[1]]], ps["d"].symbol, parameters=ps)
        >>> g.numeric(d=0.5).discount
        (0.5,)
        """
        if not self.is_symbolic:
            return self
        vals = self.parameters.resolve(**values) if self.parameters is not None else dict(values)

        def conv(a: np.ndarray, what: str) -> np.ndarray:
            if a.dtype != object:
                return a
            out = np.empty(a.shape, dtype=float)
            for idx, x in np.ndenumerate(a):
                out[idx] = substitute(x, vals, where=what)
            return out

        return StochasticGame(
            [conv(u, f"payoff in state {s}") for s, u in enumerate(self.payoffs)],
            [conv(t, f"transition in state {s}") for s, t in enumerate(self.transitions)],
            [substitute(d, vals, where="discount") for d in self.discount],
            players=self.players,
            states=self.states,
            actions=self.actions,
            title=self.title,
        )

    def to_normal_form(self, state: int = 0) -> Any:
        """The stage game of one state as a :class:`~bargain.games.NormalFormGame`.

        With discount factors near 0 the stochastic game's stationary equilibria in a
        one-state game are the stage game's equilibria.

        Examples
        --------
        >>> g = StochasticGame([[[1.0, 0.0]]], [[[1.0], [1.0]]], 0.5)
        >>> g.to_normal_form().shape
        (2,)
        """
        from bargain.games.normal_form import NormalFormGame

        if not 0 <= state < self.n_states:
            raise GameShapeError(f"state {state} does not exist (n_states = {self.n_states})")
        u = self.payoffs[state]
        return NormalFormGame(
            [u[i] for i in range(self.n_players)],
            players=self.players,
            strategies=self.actions[state],
            parameters=self.parameters,
            title=f"{self.title} (stage game of state {self.states[state]})".strip(),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON form of the game (:func:`bargain.dynamic.json_io.stochastic_to_json`).

        Examples
        --------
        >>> StochasticGame([[[1.0]]], [[[1.0]]], 0.9).to_json()["kind"]
        'stochastic'
        """
        from bargain.dynamic.json_io import stochastic_to_json

        return stochastic_to_json(self)

    def require_numeric(self, method: str = "") -> None:
        """Raise :class:`~bargain.errors.SolverError` if the game is symbolic."""
        if self.is_symbolic:
            who = f"method {method!r}" if method else "this solver"
            raise SolverError(f"{who} needs numeric entries; call .numeric(...) first")

    def flat(self) -> tuple[np.ndarray, ...]:
        """Padded arrays for kernels: ``U, T, nA, strides, delta, nprof``.

        ``U[s, p, i]`` and ``T[s, p, t]`` are indexed by the row-major flat index ``p`` of
        an action profile in state ``s``; ``strides[s, i]`` decodes it
        (``a_i = p // strides[s, i] % nA[s, i]``).

        Examples
        --------
        >>> import numpy as np
        >>> g = StochasticGame.from_arrays(np.zeros((1, 2, 2, 3)), np.ones((1, 2, 3, 1)), 0.9)
        >>> [a.shape for a in g.flat()]
        [(1, 6, 2), (1, 6, 1), (1, 2), (1, 2), (2,), (1,)]
        """
        self.require_numeric()
        S, N = self.n_states, self.n_players
        nprof = np.array([int(np.prod(row)) for row in self.nums_actions], dtype=np.int64)
        P = int(nprof.max())
        U = np.zeros((S, P, N))
        T = np.zeros((S, P, S))
        strides = np.zeros((S, N), dtype=np.int64)
        for s in range(S):
            m = nprof[s]
            U[s, :m] = self.payoffs[s].reshape(N, m).T
            T[s, :m] = self.transitions[s].reshape(m, S)
            st = 1
            for i in range(N - 1, -1, -1):
                strides[s, i] = st
                st *= int(self.nums_actions[s, i])
        return U, T, self.nums_actions.copy(), strides, np.array(self.discount), nprof


def _labels(labels: Any, n: int, what: str) -> tuple[str, ...]:
    if labels is None:
        return tuple(str(k + 1) for k in range(n))
    out = tuple(str(x) for x in labels)
    if len(out) != n:
        raise GameShapeError(f"{what}: got {len(out)} labels, need {n}")
    if len(set(out)) != n:
        raise GameShapeError(f"{what}: labels must be distinct, got {list(out)}")
    return out
