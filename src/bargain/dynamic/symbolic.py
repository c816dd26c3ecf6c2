"""Symbolic conditions under which a pure stationary profile is a Markov perfect equilibrium.

For a pure stationary profile the values solve ``(I - δ_i P) V_i = u_i``; by Cramer's rule
``V_i = adj(M_i) u_i / det(M_i)`` with ``M_i = I - δ_i P``.  ``M_i`` is strictly diagonally
dominant with a positive diagonal for δ_i in [0, 1) and a stochastic ``P``, so
``det(M_i) > 0`` and each one-shot-deviation inequality
``V_i(s) >= u_i(s, a', σ_-i(s)) + δ_i Σ_t φ(t | s, a', σ_-i(s)) V_i(t)`` can be multiplied by
it: a polynomial inequality in the parameters (when the entries are polynomials).  When
``M_i`` is numeric (δ_i a number and the profile's transitions free of parameters, as when
parameters enter only payoffs and off-path transitions) the values come from an exact
rational LU solve instead, which scales to many states.  Factors
that the parameter bounds show to be positive (such as ``1 - δ``) are divided out, so that a
threshold in one parameter can be read off (:meth:`Conditions.threshold`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bargain.errors import GameShapeError

__all__ = ["pure_conditions"]


def _action_index(game: Any, s: int, i: int, a: Any) -> int:
    labels = game.actions[s][i]
    if isinstance(a, str):
        if a not in labels:
            raise GameShapeError(
                f"state {game.states[s]!r}, player {game.players[i]!r}: no action {a!r}; "
                f"actions: {', '.join(labels)}"
            )
        return labels.index(a)
    k = int(a)
    if not 0 <= k < len(labels):
        raise GameShapeError(
            f"state {game.states[s]!r}, player {game.players[i]!r}: action index {k} out of "
            f"range (0..{len(labels) - 1})"
        )
    return k


def _strip_positive(d: Any, bounds: Any) -> Any:
    """`d` without the factors whose sign the bounds fix (the sign of `d` is kept)."""
    import sympy

    from bargain.symbolic import _inequalities as iq

    f = sympy.factor(d)
    keep, sign = [], 1
    for factor in f.args if isinstance(f, sympy.Mul) else (f,):
        base, exp = factor.as_base_exp()
        if factor.is_number:
            sign *= -1 if factor < 0 else 1
        elif iq.decide(iq.canonical(base), True, bounds) is True:
            continue
        elif exp.is_integer and iq.decide(iq.canonical(-base), True, bounds) is True:
            sign *= -1 if exp % 2 else 1
        else:
            keep.append(factor)
    return sympy.expand(sign * sympy.Mul(*keep))


#: bounds on the state count: symbolic determinants (Cramer) and exact rational LU solves
MAX_SYMBOLIC_STATES = 12
MAX_RATIONAL_STATES = 200


def pure_conditions(game: Any, profile: Sequence[Sequence[Any]]) -> Any:
    """One-shot-deviation conditions of a pure stationary profile, as symbolic Conditions.

    Parameters
    ----------
    game : StochasticGame
        Entries are numbers or SymPy expressions (polynomials, or rational functions) of
        the game's parameters; the discount factors may be parameters too.
    profile : sequence of sequence of (int or str)
        ``profile[s][i]``: player *i*'s action in state ``s`` (index or label).

    Returns
    -------
    bargain.symbolic.Conditions
        One case: the profile (``path`` = one ``"state: a_1, ..., a_N"`` label per state)
        with the conjunction of all one-shot-deviation inequalities as its condition and
        the values ``V_i(s_0)`` of the first state as its payoffs; ``agreement_path`` is
        that path, so ``.holds(**values)``, ``.threshold(name)`` and ``.latex()`` apply.

    Raises
    ------
    GameShapeError
        If the profile does not fit the game's states, players or actions, or the game has
        more states than the exact solve can handle (``MAX_SYMBOLIC_STATES`` when δ or the
        profile's transitions are symbolic, ``MAX_RATIONAL_STATES`` otherwise).

    Examples
    --------
    >>> import numpy as np, sympy
    >>> from bargain.games import Parameter, ParameterSet
    >>> from bargain.dynamic import StochasticGame
    >>> ps = ParameterSet([Parameter("delta", 0.9, (0.01, 0.99))])
    >>> d = ps["delta"].symbol
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])  # (C, D) for each player
    >>> go = np.zeros((2, 2, 2)); go[..., 1] = 1; go[0, 0] = (1, 0)  # leave state 0 unless (C, C)
    >>> stay = np.zeros((2, 2, 2)); stay[..., 1] = 1
    >>> g = StochasticGame([pd, pd], [go, stay], d, parameters=ps,
    ...                    states=["coop", "punish"], actions=[[["C", "D"]] * 2] * 2)
    >>> c = pure_conditions(g, [("C", "C"), ("D", "D")])  # grim trigger
    >>> str(c.threshold("delta"))
    'delta >= 1/2'
    >>> c.holds(delta=0.6), c.holds(delta=0.4)
    (True, False)
    """
    import sympy

    from bargain.symbolic import _inequalities as iq
    from bargain.symbolic.cases import Case, Conditions

    S, N = game.n_states, game.n_players
    if len(profile) != S:
        raise GameShapeError(f"profile has {len(profile)} states, the game {S}")
    acts = []
    for s, row in enumerate(profile):
        if len(row) != N:
            raise GameShapeError(f"profile in state {s}: {len(row)} actions for {N} players")
        acts.append(tuple(_action_index(game, s, i, a) for i, a in enumerate(row)))
    bounds = iq.bounds_map(game.parameters)
    P = sympy.Matrix(S, S, lambda s, t: iq.to_sympy(game.transitions[s][(*acts[s], t)]))
    conj: tuple | None = ()
    values = []
    for i in range(N):
        delta = iq.to_sympy(game.discount[i])
        u = sympy.Matrix(S, 1, [iq.to_sympy(game.payoffs[s][(i, *acts[s])]) for s in range(S)])
        M = sympy.eye(S) - delta * P
        cap = MAX_SYMBOLIC_STATES if M.free_symbols else MAX_RATIONAL_STATES
        if S > cap:
            raise GameShapeError(
                f"{S} states is more than the exact value solve handles here ({cap}); "
                "make the discount factor and the profile's transitions numeric, or use the "
                "numeric check bargain.dynamic.one_shot_regrets"
            )
        if M.free_symbols:  # Cramer: V = adj(M) u / det(M), det(M) > 0
            det = sympy.expand(M.det())
            num = (M.adjugate() * u).applyfunc(sympy.expand)
        else:  # numeric M (a numeric δ and profile transitions): exact rational solve
            det = sympy.Integer(1)
            num = M.LUsolve(u).applyfunc(sympy.expand)
        values.append(sympy.simplify(num[0] / det))
        for s in range(S):
            for a in range(int(game.nums_actions[s, i])):
                if a == acts[s][i]:
                    continue
                dev = list(acts[s])
                dev[i] = a
                dev = tuple(dev)
                cont = sum(
                    (iq.to_sympy(game.transitions[s][(*dev, t)]) * num[t] for t in range(S)),
                    sympy.Integer(0),
                )
                gain = num[s] - det * iq.to_sympy(game.payoffs[s][(i, *dev)]) - delta * cont
                gain = sympy.together(gain)
                numer, denom = sympy.fraction(gain)
                if not denom.is_number:  # rational entries: keep the sign of the denominator
                    numer = sympy.expand(numer * denom)
                d = _strip_positive(sympy.expand(numer), bounds)
                conj = iq.conj_add(conj, d, False, bounds)
    path = tuple(
        f"{game.states[s]}: " + ", ".join(game.actions[s][i][acts[s][i]] for i in range(N))
        for s in range(S)
    )
    dnf = iq.dnf_or([conj])
    if game.parameters is not None:
        symbols = tuple(game.parameters.symbols())
    else:
        free: set[Any] = set()
        for c in dnf:
            for d, _ in c:
                free |= d.free_symbols
        symbols = tuple(sorted(free, key=lambda x: x.name))
    return Conditions(
        cases=(Case(path, iq.dnf_to_boolean(dnf), tuple(values)),),
        agreement_path=path,
        symbols=symbols,
        parameters=game.parameters,
        kind="stochastic",
        players=game.players,
        dnfs=(dnf,),
    )
