"""Independent oracles for perfect-information trees, written for the tests.

Nothing here imports ``bargain.solvers``: the oracles read a ``bargain.games`` tree (its
preorder ``nodes``, ``child_ids``, ``node_player``, payoffs and probabilities) and compute,
by plain recursion in exact rational arithmetic,

* every subgame-perfect equilibrium (SPE) in pure strategies, by backward induction
  (Zermelo 1913; Kuhn 1953; e.g. Osborne & Rubinstein 1994, Prop. 99.2): at a decision
  node every optimal action of the mover for every combination of SPE of the child
  subgames, at a chance node every combination;
* the SPE picked by the package's documented tie rule (``backward_induction``'s
  docstring): the first optimal action whose label is in `priority`, else the lowest-index
  optimal action;
* a profile's payoffs, its equilibrium path, and its regrets: each player's gain from a
  best response on the whole tree (Nash) and in every subgame (subgame perfection), by
  best-response recursion rather than by the one-shot deviation principle the package
  uses.

A profile is given by ``choices``: the action index at every node (-1 where no one moves),
indexed by preorder node id, as in ``Equilibrium.info["choices"]``.

The module also builds the random trees the oracle tests use (:func:`random_tree`).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

__all__ = [
    "TooMany",
    "all_spe",
    "path",
    "payoffs",
    "random_tree",
    "regrets",
    "tie_rule_spe",
]


class TooMany(Exception):
    """Some subgame has more SPE than the oracle was asked to list."""


def _exact(x) -> Fraction:
    return Fraction(x)  # ints, Fractions and floats alike, at their exact value


def _kids(tree: GameTree, i: int) -> tuple[int, ...]:
    return tree.child_ids[i]


def _labels(tree: GameTree, i: int) -> list[str]:
    return [a for a, _ in tree.nodes[i].children()]


def all_spe(tree: GameTree, *, priority=(), limit: int = 2000) -> list[tuple[tuple, tuple]]:
    """Every pure SPE as ``(values, choices)``; the tie rule's SPE comes first.

    Raises :class:`TooMany` when a subgame has more than `limit` SPE.
    """
    n = len(tree.nodes)
    pref = set(priority)

    def solve(i: int) -> list[tuple[tuple, dict]]:
        node = tree.nodes[i]
        if isinstance(node, Terminal):
            return [(tuple(_exact(x) for x in node.payoffs), {})]
        kids = _kids(tree, i)
        below = [solve(j) for j in kids]
        out = []
        for combo in itertools.product(*below):
            merged: dict = {}
            for _, ch in combo:
                merged.update(ch)
            if isinstance(node, Chance):
                probs = [_exact(p) for p in node.probabilities]
                value = tuple(
                    sum((p * v[k] for p, (v, _) in zip(probs, combo, strict=True)), Fraction(0))
                    for k in range(len(tree.players))
                )
                out.append((value, merged))
            else:
                mover = tree.node_player[i]
                best = max(v[mover] for v, _ in combo)
                optimal = [a for a, (v, _) in enumerate(combo) if v[mover] == best]
                labels = _labels(tree, i)
                first = [a for a in optimal if labels[a] in pref]
                for a in first + [a for a in optimal if a not in first]:
                    out.append((combo[a][0], {**merged, i: a}))
            if len(out) > limit:
                raise TooMany(f"more than {limit} SPE below node {i}")
        return out

    result = []
    for value, ch in solve(0):
        choices = [-1] * n
        for i, a in ch.items():
            choices[i] = a
        result.append((value, tuple(choices)))
    return result


def tie_rule_spe(tree: GameTree, *, priority=()) -> tuple[tuple, tuple]:
    """The one SPE the tie rule picks, as ``(values, choices)``."""
    pref = set(priority)
    choices = [-1] * len(tree.nodes)

    def solve(i: int) -> tuple:
        node = tree.nodes[i]
        if isinstance(node, Terminal):
            return tuple(_exact(x) for x in node.payoffs)
        values = [solve(j) for j in _kids(tree, i)]
        if isinstance(node, Chance):
            probs = [_exact(p) for p in node.probabilities]
            return tuple(
                sum((p * v[k] for p, v in zip(probs, values, strict=True)), Fraction(0))
                for k in range(len(tree.players))
            )
        mover = tree.node_player[i]
        best = max(v[mover] for v in values)
        optimal = [a for a, v in enumerate(values) if v[mover] == best]
        labels = _labels(tree, i)
        preferred = [a for a in optimal if labels[a] in pref]
        choices[i] = (preferred or optimal)[0]
        return values[choices[i]]

    value = solve(0)
    return value, tuple(choices)


def payoffs(tree: GameTree, choices, i: int = 0) -> tuple[Fraction, ...]:
    """Expected payoffs of the profile `choices` in the subgame at node `i`."""
    node = tree.nodes[i]
    if isinstance(node, Terminal):
        return tuple(_exact(x) for x in node.payoffs)
    kids = _kids(tree, i)
    if isinstance(node, Decision):
        return payoffs(tree, choices, kids[choices[i]])
    total = [Fraction(0)] * len(tree.players)
    for p, j in zip(node.probabilities, kids, strict=True):
        for k, v in enumerate(payoffs(tree, choices, j)):
            total[k] += _exact(p) * v
    return tuple(total)


def path(tree: GameTree, choices) -> tuple[str, ...]:
    """Labels of the actions taken at the decision nodes reached with positive probability,
    in preorder (the definition in ``equilibrium_path``'s docstring)."""
    out: list[str] = []

    def walk(i: int) -> None:
        node = tree.nodes[i]
        kids = _kids(tree, i)
        if isinstance(node, Decision):
            out.append(_labels(tree, i)[choices[i]])
            walk(kids[choices[i]])
        elif isinstance(node, Chance):
            for p, j in zip(node.probabilities, kids, strict=True):
                if p > 0:
                    walk(j)

    walk(0)
    return tuple(out)


def regrets(tree: GameTree, choices) -> tuple[Fraction, Fraction]:
    """``(Nash regret at the root, largest regret in any subgame)`` of a pure profile.

    In every subgame and for every player: the value of a best response (the player
    maximizes at her own nodes, the others follow `choices`, chance averages) minus the
    value of the profile. Exact; both are 0 for an SPE.
    """
    n_pl = len(tree.players)
    worst = Fraction(0)
    root_regret = Fraction(0)
    # bottom-up over preorder ids: children have larger ids than their parent
    value: list = [None] * len(tree.nodes)
    best: list = [None] * len(tree.nodes)
    for i in range(len(tree.nodes) - 1, -1, -1):
        node = tree.nodes[i]
        kids = _kids(tree, i)
        if isinstance(node, Terminal):
            value[i] = tuple(_exact(x) for x in node.payoffs)
            best[i] = value[i]
        elif isinstance(node, Chance):
            probs = [_exact(p) for p in node.probabilities]
            value[i] = tuple(
                sum((p * value[j][k] for p, j in zip(probs, kids, strict=True)), Fraction(0))
                for k in range(n_pl)
            )
            best[i] = tuple(
                sum((p * best[j][k] for p, j in zip(probs, kids, strict=True)), Fraction(0))
                for k in range(n_pl)
            )
        else:
            mover = tree.node_player[i]
            chosen = kids[choices[i]]
            value[i] = value[chosen]
            best[i] = tuple(
                max(best[j][k] for j in kids) if k == mover else best[chosen][k]
                for k in range(n_pl)
            )
        gap = max(b - v for b, v in zip(best[i], value[i], strict=True))
        worst = max(worst, gap)
        if i == 0:
            root_regret = gap
    return root_regret, worst


# -- random trees -----------------------------------------------------------------------------
LABELS = ("accept", "reject", "wait", "fight", "yield")


def reached_leaves(tree: GameTree, choices) -> list[int]:
    """Preorder ids of the leaves reached with positive probability."""
    out: list[int] = []

    def walk(i: int) -> None:
        node = tree.nodes[i]
        kids = tree.child_ids[i]
        if isinstance(node, Terminal):
            out.append(i)
        elif isinstance(node, Decision):
            walk(kids[choices[i]])
        else:
            for p, j in zip(node.probabilities, kids, strict=True):
                if p > 0:
                    walk(j)

    walk(0)
    return out


def random_tree(seed: int) -> tuple[GameTree, tuple[str, ...]]:
    """A seeded random perfect-information tree and a `priority` for it.

    2-4 players, depth up to 8, at most about 60 nodes, chance nodes (some with a
    probability-0 outcome), decision nodes with 1-3 actions, integer payoffs in a range
    drawn per tree from {1, 2, 5, 100}: small ranges make ties (and so several SPE) common.
    """
    rng = random.Random(seed)
    n_players = rng.randint(2, 4)
    depth_cap = rng.randint(2, 8)
    top = rng.choice([1, 2, 5, 100])
    chance_rate = rng.choice([0.0, 0.15, 0.3])
    budget = [rng.randint(8, 60)]

    def leaf() -> Terminal:
        return Terminal(*(rng.randint(0, top) for _ in range(n_players)))

    def build(depth: int):
        budget[0] -= 1
        if depth > 0 and (depth >= depth_cap or budget[0] <= 0 or rng.random() < 0.25):
            return leaf()
        if depth > 0 and rng.random() < chance_rate:
            k = rng.randint(2, 3)
            w = [rng.randint(0 if rng.random() < 0.2 else 1, 3) for _ in range(k)]
            if sum(w) == 0:
                w[0] = 1
            return Chance({f"n{a}": (Fraction(w[a], sum(w)), build(depth + 1)) for a in range(k)})
        k = rng.randint(1, 3)
        labels = rng.sample(LABELS, k)
        return Decision(rng.randrange(n_players), {lab: build(depth + 1) for lab in labels})

    players = [f"P{p}" for p in range(n_players)]
    tree = GameTree(players, build(0), title=f"oracle tree {seed}")
    priority = tuple(rng.sample(LABELS, rng.randint(0, 2)))
    return tree, priority
