"""Behavior strategies on game trees: realization plans, Kuhn's theorem, beliefs, regret.

A behavior profile is given per player, per information set (in the order of
``tree.infosets`` restricted to the player, i.e. first appearance in preorder), as the
probabilities of the actions.  With perfect recall, a player's behavior strategy ``b`` and
its *realization plan* ``x`` (the probability ``x_σ`` that the player's own moves follow
sequence ``σ``; von Stengel 1996) determine each other where reached:
``x_{σ(h)a} = x_{σ(h)} b_h(a)``; behavior and reduced mixed strategies are outcome
equivalent (Kuhn 1953).  Sequences are numbered ``0`` (empty), then the player's
information sets in order, each with its actions in order.

Under imperfect recall (``tree.perfect_recall`` False) realization plans, Kuhn's
equivalence and this best response do not hold; the functions that need them raise
:class:`~bargain.errors.SolverError` naming the information set (see
:mod:`bargain.solvers.trees.agent` for the agent form, which does not need them).
Expected payoffs and beliefs are defined for any tree.

The regret of a profile is computed on the tree, without the strategic form: a player's
best-response value against the others is found by backward induction over the player's
own information sets, each action valued with the realization weights of chance and the
other players (the sequence-form best response; von Stengel 1996, §4).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from bargain.errors import GameShapeError, SolverError
from bargain.solvers.trees._seqform_build import SequenceIndex, node_sequences, sequence_index

__all__ = [
    "behavior_from_realization",
    "behavior_to_mixed",
    "beliefs",
    "best_response_values",
    "expected_payoffs",
    "mixed_to_behavior",
    "realization_plan",
    "tree_regret",
]

Behavior = Sequence[Sequence[Any]]


@dataclass(frozen=True)
class _TreeArrays:
    index: tuple[SequenceIndex, ...]
    parent: np.ndarray  # int64, -1 at the root
    mover: np.ndarray  # player of the parent (-1 chance, -2 root)
    local: np.ndarray  # own information set (local index) of the parent, -1 otherwise
    action: np.ndarray  # action index of the edge into the node
    chance: np.ndarray  # chance probability of the edge into the node (1 otherwise)
    leaves: np.ndarray
    payoffs: np.ndarray  # (n_leaves, n_players)
    node_seq: np.ndarray  # (n_nodes, n_players)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _arrays(tree: Any) -> _TreeArrays:
    got = _CACHE.get(tree)
    if got is not None:
        return got
    from bargain.games.extensive_form import Chance

    if tree.is_symbolic:
        raise GameShapeError("the tree is symbolic; call .numeric(...) with parameter values first")
    index = tuple(sequence_index(tree, p) for p in range(tree.n_players))
    pos = {h: k for ix in index for k, h in enumerate(ix.infosets)}
    n = len(tree.nodes)
    parent = np.array(tree.parent, np.int64)
    mover = np.full(n, -2, np.int64)
    local = np.full(n, -1, np.int64)
    action = np.array(tree.parent_action, np.int64)
    chance = np.ones(n)
    for j in range(1, n):
        p = tree.parent[j]
        mover[j] = tree.node_player[p]
        if mover[j] >= 0:
            local[j] = pos[tree.infoset_of(p)]
        elif isinstance(tree.nodes[p], Chance):
            chance[j] = float(tree.nodes[p].probabilities[action[j]])
    leaves = np.array(tree.leaves, np.int64)
    payoffs = np.array([[float(x) for x in tree.nodes[i].payoffs] for i in leaves], float)
    out = _TreeArrays(
        index=index,
        parent=parent,
        mover=mover,
        local=local,
        action=action,
        chance=chance,
        leaves=leaves,
        payoffs=payoffs.reshape(len(leaves), tree.n_players),
        node_seq=node_sequences(tree, list(index)),
    )
    _CACHE[tree] = out
    return out


def _check_player(tree: Any, player: int) -> None:
    if not (isinstance(player, (int, np.integer)) and 0 <= player < tree.n_players):
        raise GameShapeError(f"player must be an index in 0..{tree.n_players - 1}, got {player!r}")


def _own(tree: Any, player: int, behavior: Sequence[Any]) -> list[np.ndarray]:
    """Validate one player's behavior strategy; return float arrays."""
    sets = [s for s in tree.infosets if s.player == player]
    name = tree.players[player]
    if len(behavior) != len(sets):
        raise GameShapeError(
            f"behavior of player {name!r}: {len(behavior)} information sets given, "
            f"the player has {len(sets)}"
        )
    out = []
    for s, probs in zip(sets, behavior, strict=True):
        b = np.asarray(probs, dtype=float).reshape(-1)
        label = s.name or s.index
        if b.shape != (len(s.actions),):
            raise GameShapeError(
                f"behavior of player {name!r} at information set {label!r}: "
                f"{b.size} probabilities for {len(s.actions)} actions"
            )
        if not np.all(np.isfinite(b)) or b.min(initial=0.0) < -1e-9:
            raise GameShapeError(
                f"behavior of player {name!r} at information set {label!r}: "
                f"probabilities must be finite and >= 0, got {b.tolist()}"
            )
        out.append(b)
    return out


def _profile(tree: Any, behavior: Behavior) -> list[list[np.ndarray]]:
    if len(behavior) != tree.n_players:
        raise GameShapeError(
            f"behavior profile: {len(behavior)} players given, the tree has {tree.n_players}"
        )
    return [_own(tree, p, behavior[p]) for p in range(tree.n_players)]


@njit(cache=True)
def _path_products(parent, factor):  # pragma: no cover - compiled
    """Product of `factor` over the path root → node (preorder: parents come first)."""
    out = np.empty_like(factor)
    out[0] = factor[0]
    for j in range(1, parent.shape[0]):
        out[j] = out[parent[j]] * factor[j]
    return out


def _reach(tree: Any, prof: list[list[np.ndarray]]) -> np.ndarray:
    """``(n_nodes, n_players + 1)``: each player's own reach probability, then chance's."""
    t = _arrays(tree)
    n = len(tree.nodes)
    out = np.ones((n, tree.n_players + 1))
    for p in range(tree.n_players):
        factor = np.ones(n)
        mine = np.flatnonzero(t.mover == p)
        if mine.size:
            flat = np.concatenate(prof[p])
            offs = np.concatenate(([0], np.cumsum([len(b) for b in prof[p]])[:-1]))
            factor[mine] = flat[offs[t.local[mine]] + t.action[mine]]
        out[:, p] = _path_products(t.parent, factor)
    out[:, -1] = _path_products(t.parent, t.chance)
    return out


def expected_payoffs(tree: Any, behavior: Behavior) -> np.ndarray:
    """Expected payoff of each player under a behavior profile.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(2, 0), "R": Terminal(0, 4)}))
    >>> expected_payoffs(t, [[[0.25, 0.75]], []]).tolist()
    [0.5, 3.0]
    """
    prof = _profile(tree, behavior)
    t = _arrays(tree)
    reach = _reach(tree, prof).prod(axis=1)[t.leaves]
    return reach @ t.payoffs


def _backward_max(ix: SequenceIndex, g: np.ndarray) -> tuple[float, np.ndarray]:
    """Best-response value and choice per own information set for sequence payoffs `g`.

    Ties go to the lowest action index.
    """
    val = np.array(g, dtype=float, copy=True)
    choice = np.zeros(len(ix.infosets), np.int64)
    for k in range(len(ix.infosets) - 1, -1, -1):
        s = int(ix.first[k])
        block = val[s : s + int(ix.n_actions[k])]
        a = int(np.argmax(block))
        choice[k] = a
        val[ix.parent[k]] += block[a]
    return float(val[0]), choice


def best_response_values(tree: Any, behavior: Behavior) -> np.ndarray:
    """Each player's best-response value against the others' behavior strategies.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(2, 0), "R": Terminal(0, 4)}))
    >>> best_response_values(t, [[[0.25, 0.75]], []]).tolist()
    [2.0, 3.0]
    """
    tree.require_perfect_recall("the best response by backward induction over own information sets")
    prof = _profile(tree, behavior)
    t = _arrays(tree)
    reach = _reach(tree, prof)
    out = np.empty(tree.n_players)
    for p in range(tree.n_players):
        others = np.prod(np.delete(reach, p, axis=1), axis=1)[t.leaves]
        g = np.zeros(t.index[p].n)
        np.add.at(g, t.node_seq[t.leaves, p], others * t.payoffs[:, p])
        out[p] = _backward_max(t.index[p], g)[0]
    return out


def tree_regret(tree: Any, behavior: Behavior) -> np.ndarray:
    """Regret of each player: best-response value minus the profile's value (>= 0).

    ``tree_regret(tree, b).max()`` is the largest gain of a unilateral deviation: 0 (up to
    rounding) exactly when `b` is a Nash equilibrium in behavior strategies.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(2, 0), "R": Terminal(0, 4)}))
    >>> tree_regret(t, [[[0.25, 0.75]], []]).tolist()
    [1.5, 0.0]
    """
    return np.maximum(best_response_values(tree, behavior) - expected_payoffs(tree, behavior), 0)


def realization_plan(tree: Any, player: int, behavior: Sequence[Any]) -> np.ndarray:
    """The realization plan of one player's behavior strategy.

    Parameters
    ----------
    tree : GameTree
    player : int
    behavior : sequence of array_like
        The player's action probabilities at each own information set, in order.

    Returns
    -------
    numpy.ndarray
        ``x_σ`` for the player's sequences (0 = empty, then per information set, per action).

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> realization_plan(t, 0, [[0.5, 0.5], [0.2, 0.8]]).tolist()
    [1.0, 0.5, 0.5, 0.1, 0.4]
    """
    tree.require_perfect_recall("a realization plan")
    _check_player(tree, player)
    own = _own(tree, player, behavior)
    ix = _arrays(tree).index[player]
    x = np.zeros(ix.n)
    x[0] = 1.0
    for k, b in enumerate(own):
        s = int(ix.first[k])
        x[s : s + b.size] = x[ix.parent[k]] * b
    return x


def behavior_from_realization(
    tree: Any, player: int, plan: Any, *, tol: float = 0.0
) -> tuple[np.ndarray, ...]:
    """One player's behavior strategy from a realization plan.

    At an information set the plan does not reach (``x_{σ(h)} <= tol``) the behavior is
    not determined by the plan; it is uniform there.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> [b.tolist() for b in behavior_from_realization(t, 0, [1, 1, 0, 0, 0])]
    [[1.0, 0.0], [0.5, 0.5]]
    """
    tree.require_perfect_recall("a behavior strategy from a realization plan")
    _check_player(tree, player)
    ix = _arrays(tree).index[player]
    x = np.asarray(plan, dtype=float).reshape(-1)
    if x.shape != (ix.n,):
        raise GameShapeError(
            f"realization plan of player {tree.players[player]!r}: {x.size} entries, "
            f"the player has {ix.n} sequences"
        )
    out = []
    for k in range(len(ix.infosets)):
        s, na = int(ix.first[k]), int(ix.n_actions[k])
        block = np.clip(x[s : s + na], 0.0, None)
        total = block.sum()
        if x[ix.parent[k]] > tol and total > 0:
            out.append(block / total)
        else:
            out.append(np.full(na, 1.0 / na))
    return tuple(out)


def _pure_plan(ix: SequenceIndex, strategy: dict[int, int]) -> np.ndarray:
    x = np.zeros(ix.n)
    x[0] = 1.0
    for k, h in enumerate(ix.infosets):
        if h in strategy:
            x[ix.first[k] + strategy[h]] = x[ix.parent[k]]
    return x


def mixed_to_behavior(tree: Any, player: int, mixed: Any) -> tuple[np.ndarray, ...]:
    """Behavior strategy equivalent to a mixed strategy over reduced pure strategies.

    `mixed` is indexed like :func:`bargain.games.reduced.reduced_strategies` (the reduced
    strategic form's strategy order).  Kuhn (1953): with perfect recall the two are outcome
    equivalent.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> [b.tolist() for b in mixed_to_behavior(t, 0, [0.5, 0.25, 0.25])]
    [[0.5, 0.5], [0.5, 0.5]]
    """
    tree.require_perfect_recall("a behavior strategy equivalent to a mixed one (Kuhn 1953)")
    from bargain.games.reduced import reduced_strategies

    _check_player(tree, player)
    plans = reduced_strategies(tree, player)
    p = np.asarray(mixed, dtype=float).reshape(-1)
    if p.shape != (len(plans),):
        raise GameShapeError(
            f"mixed strategy of player {tree.players[player]!r}: {p.size} probabilities, "
            f"the player has {len(plans)} reduced pure strategies"
        )
    ix = _arrays(tree).index[player]
    x = sum((w * _pure_plan(ix, s) for w, s in zip(p, plans, strict=True)), np.zeros(ix.n))
    return behavior_from_realization(tree, player, x)


def behavior_to_mixed(tree: Any, player: int, behavior: Sequence[Any]) -> np.ndarray:
    """Mixed strategy over reduced pure strategies equivalent to a behavior strategy.

    The probability of a reduced strategy is the product of the behavior probabilities of
    its actions (Kuhn 1953); the order is that of
    :func:`bargain.games.reduced.reduced_strategies`.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"Out": Terminal(1, 1),
    ...     "In": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)})}))
    >>> behavior_to_mixed(t, 0, [[0.5, 0.5], [0.2, 0.8]]).tolist()
    [0.5, 0.1, 0.4]
    """
    if tree.absent_minded:
        h = tree.infosets[tree.absent_minded_infosets[0]]
        raise SolverError(
            f"information set {h.name or h.index!r} of {tree.players[h.player]!r} is "
            "absent-minded (two of its nodes lie on one path): a behavior strategy there "
            "has no equivalent mixed strategy (Piccione & Rubinstein 1997)"
        )
    from bargain.games.reduced import reduced_strategies

    _check_player(tree, player)
    own = _own(tree, player, behavior)
    ix = _arrays(tree).index[player]
    pos = {h: k for k, h in enumerate(ix.infosets)}
    plans = reduced_strategies(tree, player)
    out = np.ones(len(plans))
    for i, s in enumerate(plans):
        for h, a in s.items():
            out[i] *= own[pos[h]][a]
    return out


def beliefs(tree: Any, behavior: Behavior) -> tuple[np.ndarray | None, ...]:
    """Bayes' rule beliefs at every information set reached with positive probability.

    Returns
    -------
    tuple
        One entry per information set of ``tree.infosets``: the probability of each of its
        nodes (in the order of ``InfoSet.nodes``) given that the set is reached, or None
        when the profile reaches it with probability 0.

    Examples
    --------
    >>> from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Chance({
    ...     "h": (0.25, Decision("B", {"l": Terminal(1, 0), "r": Terminal(0, 1)}, infoset="b")),
    ...     "t": (0.75, Decision("B", {"l": Terminal(0, 1), "r": Terminal(1, 0)}, infoset="b"))}))
    >>> beliefs(t, [[], [[1, 0]]])[0].tolist()
    [0.25, 0.75]
    """
    prof = _profile(tree, behavior)
    reach = _reach(tree, prof).prod(axis=1)
    out: list[np.ndarray | None] = []
    for s in tree.infosets:
        r = reach[list(s.nodes)]
        total = r.sum()
        out.append(r / total if total > 0 else None)
    return tuple(out)
