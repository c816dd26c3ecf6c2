"""The reduced strategic form of a game tree.

A reduced pure strategy of a player names an action at each of the player's information
sets that the player's own earlier choices do not rule out; strategies that differ only at
information sets they themselves make unreachable are the same reduced strategy.  They
lead to the same leaf against every play of the others, with or without perfect recall,
so the reduced form has the mixed equilibria of the full one (up to payoff-equivalent
duplicates).

Both steps take time linear in their output:

* the reduced strategies of a player are found by a search that assigns an action to
  the first information set (in preorder) the partial plan reaches but does not yet
  decide; every leaf of the search is one reduced strategy, found once;
* the payoffs are accumulated leaf by leaf: leaf ``l`` adds ``P_chance(l) u(l)`` to every
  profile whose strategies all agree with their owners' moves on the path to ``l``, so the
  work is the number of (profile, reached leaf) pairs.  Numeric payoffs are summed
  exactly (integers over a common denominator) and rounded once, as a sum of
  :class:`fractions.Fraction` would be.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bargain.errors import GameShapeError
from bargain.games.normal_form import NormalFormGame

__all__ = ["reduced_normal_form", "reduced_strategies"]

Plan = dict[int, int]  # information set index -> action index


def reduced_strategies(tree: Any, player: int, *, max_plans: int | None = None) -> list[Plan]:
    """All reduced pure strategies of `player`, in a deterministic order.

    Each is a mapping information set index → action index over the sets it reaches,
    sorted by its ``(information set, action)`` pairs.

    Parameters
    ----------
    tree : GameTree
    player : int
    max_plans : int, optional
        Raise :class:`~bargain.errors.GameShapeError` as soon as the player has more.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {
    ...     "Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> reduced_strategies(t, 0)
    [{0: 0}, {0: 1, 1: 0}, {0: 1, 1: 1}]
    """
    kids = tree.child_ids
    mine = [tree.infoset_of(i) if tree.node_player[i] == player else -1 for i in range(len(kids))]
    n_actions = [len(s.actions) for s in tree.infosets]

    def pending(plan: Plan) -> int:
        """The first information set (preorder) the plan reaches and leaves open, or -1."""
        stack = [0]
        while stack:
            x = stack.pop()
            ks = kids[x]
            if not ks:
                continue
            h = mine[x]
            if h < 0:
                stack.extend(reversed(ks))
            elif h in plan:
                stack.append(ks[plan[h]])
            else:
                return h
        return -1

    out: list[Plan] = []
    todo: list[Plan] = [{}]
    while todo:
        plan = todo.pop()
        h = pending(plan)
        if h < 0:
            out.append(plan)
            if max_plans is not None and len(out) > max_plans:
                raise GameShapeError(
                    f"player {tree.players[player]!r} has more than {max_plans} reduced strategies"
                )
            continue
        todo.extend({**plan, h: a} for a in range(n_actions[h] - 1, -1, -1))
    out.sort(key=lambda p: tuple(sorted(p.items())))
    return [dict(sorted(p.items())) for p in out]


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
    strategies: list[list[Plan]] = []
    for i in range(tree.n_players):  # stop early: the others' counts bound this one's
        room = max_profiles // max(1, math.prod(len(s) for s in strategies))
        try:
            strategies.append(reduced_strategies(tree, i, max_plans=room))
        except GameShapeError:
            counts = "x".join(str(len(s)) for s in strategies)
            raise GameShapeError(
                f"the reduced strategic form has more than max_profiles={max_profiles} "
                f"profiles (player {tree.players[i]!r} has more than {room} reduced "
                f"strategies{' beside ' + counts if counts else ''})"
            ) from None
    shape = tuple(len(s) for s in strategies)
    total = math.prod(shape)
    if total > max_profiles:
        raise GameShapeError(
            f"the reduced strategic form has {total} profiles ({'x'.join(map(str, shape))}), "
            f"more than max_profiles={max_profiles}"
        )
    leaves, weights = _leaf_weights(tree)
    consistent = [_consistent(tree, i, strategies[i]) for i in range(tree.n_players)]
    cells = [
        np.ix_(*(np.flatnonzero(c[leaf]) for c in consistent)) for leaf in leaves
    ]  # the profiles that reach each leaf
    if tree.is_symbolic:
        import sympy

        arrays = []
        for p in range(tree.n_players):
            a = np.full(shape, sympy.Integer(0), dtype=object)
            for leaf, w, cell in zip(leaves, weights, cells, strict=True):
                a[cell] += w * tree.nodes[leaf].payoffs[p]
            arrays.append(np.vectorize(sympy.expand, otypes=[object])(a))
    else:
        arrays = [
            _exact_sum(
                shape,
                cells,
                [
                    w * Fraction(tree.nodes[leaf].payoffs[p])
                    for leaf, w in zip(leaves, weights, strict=True)
                ],
            )
            for p in range(tree.n_players)
        ]
    labels = [[_label(tree, i, p) for p in strategies[i]] for i in range(tree.n_players)]
    return NormalFormGame(
        arrays,
        players=tree.players,
        strategies=labels,
        parameters=tree.parameters,
        title=tree.title,
    )


def _leaf_weights(tree: Any) -> tuple[list[int], list[Any]]:
    """Leaves reached with nonzero chance probability, and that probability (exact:
    Fraction for numbers, SymPy for expressions)."""
    from bargain.games.nodes import Chance

    symbolic = tree.is_symbolic
    one: Any = 1 if symbolic else Fraction(1)
    weight: list[Any] = [one] * len(tree.nodes)
    alive = [True] * len(tree.nodes)
    for j in range(1, len(tree.nodes)):
        p = tree.parent[j]
        weight[j] = weight[p]
        alive[j] = alive[p]
        node = tree.nodes[p]
        if isinstance(node, Chance) and alive[j]:
            q = node.probabilities[tree.parent_action[j]]
            if _is_zero(q):
                alive[j] = False
            else:
                weight[j] = weight[j] * (q if symbolic else Fraction(q))
    leaves = [i for i in tree.leaves if alive[i]]
    return leaves, [weight[i] for i in leaves]


def _consistent(tree: Any, player: int, plans: list[Plan]) -> np.ndarray:
    """``(n_nodes, n_plans)`` booleans: whether each plan agrees with the player's own
    moves on the path to each node."""
    n = len(tree.nodes)
    k = len(plans)
    table = np.full((len(tree.infosets), k), -1, np.int64)
    for j, plan in enumerate(plans):
        for h, a in plan.items():
            table[h, j] = a
    out = np.empty((n, k), bool)
    out[0] = True
    for j in range(1, n):
        p = tree.parent[j]
        if tree.node_player[p] == player:
            out[j] = out[p] & (table[tree.infoset_of(p)] == tree.parent_action[j])
        else:
            out[j] = out[p]
    return out


def _exact_sum(shape: tuple[int, ...], cells: list[Any], terms: list[Fraction]) -> np.ndarray:
    """``sum over leaves of terms[l] on cells[l]``, exactly, rounded once to float."""
    den = 1
    for t in terms:
        den = math.lcm(den, t.denominator)
    nums = [t.numerator * (den // t.denominator) for t in terms]
    big = max((abs(x) for x in nums), default=0) * max(len(nums), 1)
    small = big < 2**62
    acc = np.zeros(shape, np.int64 if small else object)
    for num, cell in zip(nums, cells, strict=True):
        if num:
            acc[cell] += num
    if small and big < 2**53 and den < 2**53:
        return acc.astype(float) / float(den)  # exact operands: one correct rounding
    flat = [float(Fraction(int(x), den)) for x in acc.reshape(-1)]
    return np.array(flat, float).reshape(shape)


def _is_zero(p: Any) -> bool:
    try:
        return float(p) == 0.0
    except TypeError:
        return False
