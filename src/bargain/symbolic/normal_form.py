"""Symbolic equilibrium conditions of a normal-form game.

Pure equilibria (any number of players and strategies): a profile is a Nash equilibrium
iff no player has a strictly better reply, i.e. the conjunction over players ``i`` and
alternative strategies ``t`` of ``u_i(s) >= u_i(t, s_-i)`` (ties count as best responses).

Mixed equilibrium of a 2×2 game (two players, two strategies each).  Write the row
player's gains from her first strategy as ``a = A[0,0] - A[1,0]`` (column player on his
first strategy) and ``b = A[0,1] - A[1,1]``, and the column player's as
``c = B[0,0] - B[0,1]`` and ``d = B[1,0] - B[1,1]``.  An equilibrium in which both players
mix with positive probability on both strategies exists iff ``a`` and ``b`` have strictly
opposite signs and so do ``c`` and ``d``; then the column player plays his first strategy
with probability ``y = b / (b - a)`` and the row player hers with ``x = d / (d - c)``
(each makes the other indifferent).  Degenerate games (``a = b = 0`` etc.) have continua of
mixed equilibria; they are covered by the pure conditions, which then hold with ties.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import sympy

from bargain.symbolic._inequalities import DNF, Conj, conj_add, dnf_or, to_sympy

__all__ = ["MIXED", "mixed_2x2", "pure_profiles"]

#: path label of the interior mixed equilibrium of a 2×2 game
MIXED = ("mixed",)


def pure_profiles(game: Any, bounds: Mapping) -> list[tuple[tuple[int, ...], DNF, tuple]]:
    """``(profile, condition, payoffs)`` for every pure profile that can be an equilibrium.

    Examples
    --------
    >>> from bargain import NormalFormGame
    >>> g = NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])  # prisoner's dilemma
    >>> [(s, c) for s, c, _ in pure_profiles(g, {})]
    [((1, 1), ((),))]
    """
    arrays = [a for a in game.payoffs]
    shape = game.shape
    out = []
    for profile in itertools.product(*(range(k) for k in shape)):
        conj: Conj | None = ()
        for i, k in enumerate(shape):
            u = to_sympy(arrays[i][profile])
            for t in range(k):
                if t == profile[i] or conj is None:
                    continue
                other = (*profile[:i], t, *profile[i + 1 :])
                conj = conj_add(conj, u - to_sympy(arrays[i][other]), False, bounds)
        dnf = dnf_or([conj])
        if dnf:
            payoffs = tuple(sympy.expand(to_sympy(a[profile])) for a in arrays)
            out.append((profile, dnf, payoffs))
    return out


def mixed_2x2(game: Any, bounds: Mapping) -> tuple[DNF, tuple, tuple] | None:
    """Condition, strategies and payoffs of the interior mixed equilibrium of a 2×2 game.

    Returns None when the game is not 2×2 or no interior equilibrium can exist.

    Examples
    --------
    >>> from bargain import NormalFormGame
    >>> g = NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])  # matching pennies
    >>> cond, strategies, payoffs = mixed_2x2(g, {})
    >>> cond, strategies, payoffs
    (((),), ((1/2, 1/2), (1/2, 1/2)), (0, 0))
    """
    if game.n_players != 2 or game.shape != (2, 2):
        return None
    A = [[to_sympy(game.payoffs[0][r, c]) for c in range(2)] for r in range(2)]
    B = [[to_sympy(game.payoffs[1][r, c]) for c in range(2)] for r in range(2)]
    a, b = A[0][0] - A[1][0], A[0][1] - A[1][1]
    c, d = B[0][0] - B[0][1], B[1][0] - B[1][1]
    terms = []
    for s1, s2 in itertools.product((1, -1), repeat=2):
        conj: Conj | None = ()
        for e in (s1 * a, -s1 * b, s2 * c, -s2 * d):
            conj = conj_add(conj, e, True, bounds)
        terms.append(conj)
    dnf = dnf_or(terms)
    if not dnf:
        return None
    y = sympy.cancel(b / (b - a))
    x = sympy.cancel(d / (d - c))
    strategies = ((x, sympy.cancel(1 - x)), (y, sympy.cancel(1 - y)))
    u1 = sympy.cancel(y * A[0][0] + (1 - y) * A[0][1])
    u2 = sympy.cancel(x * B[0][0] + (1 - x) * B[1][0])
    return dnf, strategies, (u1, u2)
