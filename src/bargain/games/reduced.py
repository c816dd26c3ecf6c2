"""The reduced strategic form of a game tree.

A reduced pure strategy of a player names an action at each of the player's information
sets that the player's own earlier choices do not rule out; strategies that differ only at
information sets they themselves make unreachable are the same reduced strategy.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from bargain.errors import GameShapeError
from bargain.games.normal_form import NormalFormGame

__all__ = ["reduced_normal_form", "reduced_strategies"]

Plan = dict[int, int]  # information set index -> action index


def reduced_strategies(tree: Any, player: int) -> list[Plan]:
    """All reduced pure strategies of `player`, in a deterministic order.

    Each is a mapping information set index → action index over the sets it reaches.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {
    ...     "Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> reduced_strategies(t, 0)
    [{0: 0}, {0: 1, 1: 0}, {0: 1, 1: 1}]
    """

    def plans(i: int) -> list[Plan]:
        kids = tree.child_ids[i]
        if not kids:
            return [{}]
        if tree.node_player[i] == player:
            iset = tree.infoset_of(i)
            out = []
            for a, j in enumerate(kids):
                for p in plans(j):
                    if p.get(iset, a) == a:
                        out.append({iset: a, **p})
            return out
        combined: list[Plan] = [{}]
        for j in kids:
            combined = [m for a in combined for b in plans(j) if (m := _merge(a, b)) is not None]
        return combined

    unique: dict[tuple[tuple[int, int], ...], Plan] = {}
    for p in plans(0):
        unique.setdefault(tuple(sorted(p.items())), p)
    return [dict(k) for k in sorted(unique)]


def _merge(a: Plan, b: Plan) -> Plan | None:
    out = dict(a)
    for k, v in b.items():
        if out.setdefault(k, v) != v:
            return None
    return out


def _label(tree: Any, player: int, plan: Plan) -> str:
    own = [s for s in tree.infosets if s.player == player]
    parts = [s.actions[plan[s.index]] if s.index in plan else "*" for s in own]
    return "/".join(parts) if parts else "-"


def reduced_normal_form(tree: Any, *, max_profiles: int = 1_000_000) -> NormalFormGame:
    """Convert a tree to its reduced strategic form.

    Expected payoffs over chance moves are exact for numeric and symbolic trees.  A player
    without a move has one strategy labelled ``"-"``.  Strategy labels list the action at
    each of the player's information sets in order of first appearance, ``*`` where the
    strategy does not reach it.

    Raises
    ------
    GameShapeError
        If the strategic form would have more than `max_profiles` profiles.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {
    ...     "L": Decision("B", {"l": Terminal(2, 1), "r": Terminal(0, 0)}),
    ...     "R": Terminal(1, 2)}))
    >>> g = reduced_normal_form(t)
    >>> g.strategies
    (('L', 'R'), ('l', 'r'))
    >>> g.payoffs[0].tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """
    strategies = [reduced_strategies(tree, i) for i in range(tree.n_players)]
    shape = tuple(len(s) for s in strategies)
    total = int(np.prod(shape, dtype=object))
    if total > max_profiles:
        raise GameShapeError(
            f"the reduced strategic form has {total} profiles ({'x'.join(map(str, shape))}), "
            f"more than max_profiles={max_profiles}"
        )
    symbolic = tree.is_symbolic
    arrays = [np.empty(shape, dtype=object if symbolic else float) for _ in tree.players]
    for idx in itertools.product(*(range(k) for k in shape)):
        profile = [strategies[i][k] for i, k in enumerate(idx)]
        values = _expected(tree, 0, profile)
        for i in range(tree.n_players):
            arrays[i][idx] = values[i]
    if symbolic:
        import sympy

        arrays = [np.vectorize(sympy.expand, otypes=[object])(a) for a in arrays]
    labels = [[_label(tree, i, p) for p in strategies[i]] for i in range(tree.n_players)]
    return NormalFormGame(
        arrays,
        players=tree.players,
        strategies=labels,
        parameters=tree.parameters,
        title=tree.title,
    )


def _expected(tree: Any, i: int, profile: list[Plan]) -> list[Any]:
    node = tree.nodes[i]
    kids = tree.child_ids[i]
    if not kids:
        return list(node.payoffs)
    player = tree.node_player[i]
    if player >= 0:
        a = profile[player][tree.infoset_of(i)]
        return _expected(tree, kids[a], profile)
    total: list[Any] = [0] * tree.n_players
    for p, j in zip(node.probabilities, kids, strict=True):
        if not _is_zero(p):
            sub = _expected(tree, j, profile)
            total = [t + p * s for t, s in zip(total, sub, strict=True)]
    return total


def _is_zero(p: Any) -> bool:
    try:
        return float(p) == 0.0
    except TypeError:
        return False
