"""Counting the pure subgame-perfect equilibria of a perfect-information tree, without listing them.

Backward induction with ties (:mod:`bargain.solvers.trees.backward_induction`) lists every
pure SPE: at each node, every combination of SPE of the child subgames and every optimal
action of the mover given them.  Their number can be astronomical (tic-tac-toe's tree has
far more than can be listed), but it follows from the tie structure alone, bottom-up:

* a subgame's SPE are summarized by a map *value vector → (number of SPE with that value,
  number of distinct equilibrium paths with that value)*; a leaf has one entry;
* at a chance node the value is the probability-weighted sum of the children's values:
  the map is the convolution of the children's maps (counts multiply; a child reached with
  probability 0 multiplies the SPE count by its total but adds nothing to the path);
* at a decision node of player ``p``, action ``a`` with child value ``v`` is optimal exactly
  when every other child ``b`` has ``f(v_b[p]) <= v[p]``, where ``f(x) = x - tol * max(1,
  |x|)`` is the tie rule's threshold (monotone, so ``f(max) = max f``): the count of SPE
  with action ``a`` and value ``v`` is ``n_a(v)`` times, for every other child, the number
  of its SPE whose threshold is at most ``v[p]`` (a sorted prefix sum).  Paths multiply by 1
  when every other child has such an SPE, else 0: a path is fixed by the action, the child's
  path, and nothing off the path.

The value of an SPE is fixed by its path, so distinct values give distinct paths and the
path counts add.  Counts are exact Python integers.  Without chance nodes every value is a
leaf's payoff vector, so the maps stay as small as the set of distinct payoffs; chance nodes
can multiply the number of distinct values, and the count gives up (returns None) past
``max_values`` distinct values at a node.

Examples
--------
>>> from bargain import Decision, GameTree, Terminal
>>> def zeros(*labels):
...     return Decision("B", {a: Terminal(0, 0) for a in labels})
>>> t = GameTree(("A", "B"), Decision("A", {"l": zeros("x", "y"), "r": zeros("x", "y", "z")}))
>>> count_pure_spe(t.flatten(), 0.0)  # (2 + 3 paths); 2 * 2 * 3 SPE
(12, 5)
"""

from __future__ import annotations

import bisect
import math
from typing import Any

from bargain.games.flat import CHANCE, DECISION, TERMINAL

__all__ = ["MAX_VALUES", "count_pure_spe"]

#: counting gives up (returns None) when a subgame has more distinct SPE values than this
MAX_VALUES = 20_000


def _threshold(x: float, tol: float) -> float:
    return x - tol * max(1.0, abs(x))


def count_pure_spe(flat: Any, tol: float, max_values: int = MAX_VALUES) -> tuple[int, int] | None:
    """Number of pure SPE and of distinct SPE paths of a perfect-information tree.

    Parameters
    ----------
    flat : FlatTree
        ``GameTree.flatten()`` of a numeric perfect-information tree.
    tol : float
        The tie tolerance of backward induction (an action is optimal when its value is at
        least ``best - tol * max(1, |best|)``).
    max_values : int
        Give up when a subgame has more distinct SPE value vectors than this.

    Returns
    -------
    tuple of int or None
        ``(n_spe, n_paths)``: the number of pure SPE (strategy profiles, off-path choices
        included) and of distinct equilibrium paths (as in
        :func:`~bargain.solvers.trees.backward_induction.equilibrium_path`); None when the
        count gave up.

    Examples
    --------
    >>> from bargain import Chance, Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Chance({
    ...     "h": (0.5, Decision("A", {"x": Terminal(1), "y": Terminal(1)})),
    ...     "t": (0.5, Decision("A", {"u": Terminal(0), "v": Terminal(3)}))}))
    >>> count_pure_spe(t.flatten(), 1e-12)
    (2, 2)
    """
    kind = flat.kind.tolist()
    player = flat.player.tolist()
    start = flat.child_start.tolist()
    count = flat.n_children.tolist()
    children = flat.children.tolist()
    prob = flat.edge_prob.tolist()
    leaf = flat.leaf.tolist()
    payoffs = flat.payoffs.tolist()
    n_pl = flat.payoffs.shape[1] if flat.payoffs.ndim == 2 else 0
    maps: list[dict[tuple[float, ...], tuple[int, int]] | None] = [None] * len(kind)
    for i in range(len(kind) - 1, -1, -1):
        if kind[i] == TERMINAL:
            maps[i] = {tuple(payoffs[leaf[i]]): (1, 1)}
            continue
        kids = children[start[i] : start[i] + count[i]]
        if kind[i] == CHANCE:
            out = _chance(kids, prob[start[i] : start[i] + count[i]], maps, n_pl, max_values)
        elif kind[i] == DECISION:
            out = _decision(kids, player[i], maps, tol)
        else:  # pragma: no cover - flatten() makes only the three kinds
            raise ValueError(f"node {i} has unknown kind {kind[i]}")
        if out is None or len(out) > max_values:
            return None
        maps[i] = out
        for c in kids:
            maps[c] = None  # free the children's maps: each is used by its parent only
    root = maps[0]
    assert root is not None
    return sum(n for n, _ in root.values()), sum(p for _, p in root.values())


def _chance(kids, probs, maps, n_pl, max_values):
    acc: dict[tuple[float, ...], tuple[int, int]] = {(0.0,) * n_pl: (1, 1)}
    for c, p in zip(kids, probs, strict=True):
        child = maps[c]
        if p == 0:  # off the path: multiplies the profiles, not the paths
            total = sum(n for n, _ in child.values())
            acc = {v: (n * total, q) for v, (n, q) in acc.items()}
            continue
        nxt: dict[tuple[float, ...], tuple[int, int]] = {}
        for v, (n, q) in acc.items():
            for w, (m, r) in child.items():
                key = tuple(x + p * y for x, y in zip(v, w, strict=True))
                old = nxt.get(key, (0, 0))
                nxt[key] = (old[0] + n * m, old[1] + q * r)
        if len(nxt) > max_values:
            return None
        acc = nxt
    return acc


def _decision(kids, pl, maps, tol):
    # per child: its SPE sorted by the tie threshold of the mover's value, with prefix counts
    sorted_thr: list[list[float]] = []
    prefix: list[list[int]] = []
    for c in kids:
        pairs = sorted((_threshold(v[pl], tol), n) for v, (n, _) in maps[c].items())
        sorted_thr.append([t for t, _ in pairs])
        run, acc = [], 0
        for _, n in pairs:
            acc += n
            run.append(acc)
        prefix.append(run)

    def at_most(b: int, x: float) -> int:
        k = bisect.bisect_right(sorted_thr[b], x)
        return prefix[b][k - 1] if k else 0

    out: dict[tuple[float, ...], tuple[int, int]] = {}
    for a, c in enumerate(kids):
        for v, (n, q) in maps[c].items():
            others = [at_most(b, v[pl]) for b in range(len(kids)) if b != a]
            k = math.prod(others)
            if k == 0:
                continue
            old = out.get(v, (0, 0))
            out[v] = (old[0] + n * k, old[1] + q)
    return out
