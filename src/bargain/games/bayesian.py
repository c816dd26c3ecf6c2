"""Bayesian games as trees: Harsanyi's (1967–68) transformation.

Nature first draws a profile of types from a common prior; each player then learns its own
type only and chooses an action, without seeing the others' actions (a simultaneous move).
In the tree: a chance node over type profiles, then each player in turn at an information
set named ``"player:type"`` that joins every node where the player has that type.  A Nash
equilibrium of the tree is a Bayesian Nash equilibrium of the game; solve two-player ones
with method ``"sequence_form"``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from bargain.errors import GameShapeError
from bargain.games.extensive_form import Chance, Decision, GameTree, Node, Terminal
from bargain.games.parameters import ParameterSet

__all__ = ["bayesian"]


def bayesian(
    players: Sequence[str],
    types: Sequence[Sequence[str]],
    prior: Mapping[tuple[str, ...], Any] | Sequence[Mapping[str, Any]],
    actions: Sequence[Sequence[str]],
    payoffs: Callable[[tuple[str, ...], tuple[str, ...]], Sequence[Any]],
    *,
    parameters: ParameterSet | None = None,
    title: str = "",
) -> GameTree:
    """Build the game tree of a Bayesian game (Harsanyi transformation).

    Parameters
    ----------
    players : sequence of str
    types : sequence of sequence of str
        Each player's type labels (one label for a player without private information).
    prior : mapping or sequence of mappings
        Either the joint prior, type profile (tuple of labels, one per player) →
        probability, or independent priors, one mapping type → probability per player.
        Profiles of probability 0 are left out of the tree.
    actions : sequence of sequence of str
        Each player's actions (the same for all its types).
    payoffs : callable
        ``payoffs(type_profile, action_profile)`` → one payoff per player (numbers,
        fractions or SymPy expressions in `parameters`).
    parameters : ParameterSet, optional
    title : str

    Returns
    -------
    GameTree

    Raises
    ------
    GameShapeError
        For mismatched lengths, unknown types, negative probabilities or a prior that
        does not sum to 1 (the tree's checks name the chance node).

    Examples
    --------
    >>> t = bayesian(("1", "2"), [["-"], ["meet", "avoid"]],
    ...              [{"-": 1}, {"meet": Fraction(1, 2), "avoid": Fraction(1, 2)}],
    ...              [["B", "S"], ["B", "S"]],
    ...              lambda ty, a: (2 * (a == ("B", "B")) + (a == ("S", "S")), 0))
    >>> [(s.name, len(s.nodes)) for s in t.infosets]
    [('1:-', 2), ('2:meet', 2), ('2:avoid', 2)]
    """
    players = tuple(players)
    n = len(players)
    if len(types) != n or len(actions) != n:
        raise GameShapeError(
            f"{n} players but {len(types)} type lists and {len(actions)} action lists; "
            "give one of each per player"
        )
    types = [tuple(str(t) for t in ts) for ts in types]
    actions = [tuple(str(a) for a in acts) for acts in actions]
    for i, p in enumerate(players):
        if not types[i] or len(set(types[i])) != len(types[i]):
            raise GameShapeError(f"player {p!r}: types must be distinct labels, got {types[i]}")
        if not actions[i] or len(set(actions[i])) != len(actions[i]):
            raise GameShapeError(f"player {p!r}: actions must be distinct labels, got {actions[i]}")
    joint = _joint_prior(players, types, prior)

    def after(i: int, ty: tuple[str, ...], chosen: tuple[str, ...]) -> Node:
        if i == n:
            pay = tuple(payoffs(ty, chosen))
            if len(pay) != n:
                raise GameShapeError(
                    f"payoffs({ty}, {chosen}) returned {len(pay)} values, expected {n}"
                )
            return Terminal(*pay)
        return Decision(
            players[i],
            {a: after(i + 1, ty, (*chosen, a)) for a in actions[i]},
            infoset=f"{players[i]}:{ty[i]}",
        )

    outcomes = {",".join(ty): (p, after(0, ty, ())) for ty, p in joint.items()}
    return GameTree(players, Chance(outcomes), parameters=parameters, title=title)


def _joint_prior(players, types, prior) -> dict[tuple[str, ...], Any]:
    n = len(players)
    if isinstance(prior, Mapping):
        joint = {}
        for key, p in prior.items():
            ty = (key,) if isinstance(key, str) else tuple(key)
            if len(ty) != n:
                raise GameShapeError(f"prior: type profile {key!r} needs {n} types, one per player")
            for i, t in enumerate(ty):
                if t not in types[i]:
                    raise GameShapeError(
                        f"prior: unknown type {t!r} of player {players[i]!r}; "
                        f"its types are {list(types[i])}"
                    )
            joint[ty] = p
    else:
        if len(prior) != n:
            raise GameShapeError(f"prior: {len(prior)} independent priors for {n} players")
        for i, marg in enumerate(prior):
            extra = set(marg) - set(types[i])
            if extra:
                raise GameShapeError(
                    f"prior of player {players[i]!r}: unknown types {sorted(extra)}; "
                    f"its types are {list(types[i])}"
                )
        joint = {}
        for ty in itertools.product(*types):
            p: Any = Fraction(1)
            for i, t in enumerate(ty):
                p = p * prior[i].get(t, 0)
            joint[ty] = p
    out = {}
    for ty, p in joint.items():
        try:
            if float(p) == 0.0:
                continue
        except TypeError:  # symbolic
            pass
        out[ty] = p
    if not out:
        raise GameShapeError("prior: every type profile has probability 0")
    return out
