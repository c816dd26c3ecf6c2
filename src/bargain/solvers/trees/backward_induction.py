"""Subgame-perfect equilibria of perfect-information trees by backward induction.

A strategy profile of a finite perfect-information game is a subgame-perfect equilibrium
(SPE) iff no player gains from a one-shot deviation at any decision node (the one-shot
deviation principle, e.g. Osborne & Rubinstein 1994, Lemma 98.2).  Backward induction
(Zermelo 1913; Kuhn 1953) builds them from the leaves up: at a decision node the mover
takes an action that maximizes her continuation value given the continuation already
chosen below; at a chance node values are averaged.

Ties.  When the mover is indifferent between actions that give *other* players different
payoffs, the choice changes values upstream, so several SPE exist.  With
``all_equilibria=True`` every SPE is enumerated: for each node, every combination of SPE of
its child subgames, and for each such combination every optimal action of the mover.

The package's tie rule (one SPE, ``all_equilibria=False``, and the first of the list
otherwise): among optimal actions the mover takes one whose label is in `priority` (the
regime's agreement labels; "an indifferent player takes the agreement action"), the first
such in declaration order, else the lowest-index optimal action.  An action is optimal when
its value is at least ``best - tol * max(1, |best|)``.  :mod:`bargain.solvers.trees.points`
and the symbolic conditions use the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from numba import njit

from bargain.errors import SolverError
from bargain.games.flat import CHANCE, DECISION, TERMINAL
from bargain.solvers._interpreted import INTERPRETED_MAX_NODES, interpreted
from bargain.solvers.result import MAX_EQUILIBRIA, Equilibrium, SolveResult
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees.regrets import _arrays, _regrets
from bargain.solvers.trees.spe_count import count_pure_spe

__all__ = ["backward_induction", "equilibrium_path"]


def _require_tree(game: Any):
    from bargain.games.extensive_form import GameTree

    if not isinstance(game, GameTree):
        raise SolverError(
            f"method 'spe' needs a GameTree, got {type(game).__name__}; "
            "for a NormalFormGame use method 'pure', 'vertex' or 'support'"
        )
    if not game.perfect_information:
        sets = [s for s in game.infosets if len(s.nodes) > 1]
        s = sets[0]
        raise SolverError(
            "backward induction needs perfect information; information set "
            f"{s.name or s.index!r} of {game.players[s.player]!r} has {len(s.nodes)} nodes. "
            "Use bargain.solve(tree, method='spe') (subgame decomposition), 'sequence_form' "
            "(2 players) or 'logit'"
        )
    if game.is_symbolic:
        raise SolverError(
            "the tree has symbolic payoffs or probabilities; call .numeric(...) with parameter "
            "values first (or use bargain.solvers.trees.points.solve_points for many points)"
        )


def _priority_labels(priority: Iterable[str] | None) -> tuple[str, ...]:
    """`priority` as a tuple of labels (a single string is one label)."""
    if priority is None:
        return ()
    if isinstance(priority, str):
        return (priority,)
    try:
        labels = tuple(priority)
    except TypeError:
        raise SolverError(f"priority must be action labels, got {priority!r}") from None
    for lab in labels:
        if not isinstance(lab, str):
            raise SolverError(f"priority must be action labels (str), got {lab!r}")
    return labels


def _edge_preference(flat: Any, priority: Iterable[str] | None) -> np.ndarray:
    """1 for each edge whose label is preferred on ties, else 0."""
    labels = set(_priority_labels(priority))
    return np.array([1 if lab in labels else 0 for lab in flat.edge_label], np.int8).reshape(
        len(flat.edge_label)
    )


def backward_induction(
    game: Any,
    *,
    tol: float = 1e-12,
    all_equilibria: bool = True,
    priority: Iterable[str] | None = None,
    max_equilibria: int = MAX_EQUILIBRIA,
) -> SolveResult:
    """Subgame-perfect equilibria of a finite perfect-information tree.

    Parameters
    ----------
    game : GameTree
        Numeric tree with perfect information; any number of players; chance nodes allowed.
    tol : float
        Tie tolerance: an action is optimal when its value is at least
        ``best - tol * max(1, |best|)``.  Also the verification tolerance (scaled the same
        way, times the number of decisions on the longest path).
    all_equilibria : bool
        Enumerate every SPE (ties give several).  With False, return the single SPE picked
        by the tie rule (see `priority`).
    priority : iterable of str, optional
        Action labels preferred on ties (a regime's agreement labels).  The tie rule: the
        first optimal action whose label is in `priority`, else the lowest-index optimal
        action.  With `all_equilibria`, the SPE picked by this rule is listed first.
    max_equilibria : int
        Cap on the number of SPE listed (default
        :data:`~bargain.solvers.result.MAX_EQUILIBRIA`).  Every subgame keeps at most this
        many, so the root's list, and the work (about `max_equilibria` times the number of
        edges), are bounded whatever the number of ties.  When reached the list is
        truncated, ``complete`` is False, and ``count`` / ``path_count`` still give the
        total numbers of pure SPE and of distinct SPE paths, counted from the tie structure
        without listing them (:func:`~bargain.solvers.trees.spe_count.count_pure_spe`;
        None when not counted).
        (With ``all_equilibria=False``, ``complete`` says whether the SPE returned is the
        only one.)

    Returns
    -------
    SolveResult
        Method ``"spe"``.  Each :class:`~bargain.solvers.result.Equilibrium` has
        ``behavior`` (per player, per information set in order of first appearance, a
        one-hot array over the actions), ``payoffs``, ``path`` (see
        :func:`equilibrium_path`), ``max_regret`` (Nash regret on the whole tree) and
        ``info`` with ``"one_shot_regret"`` (largest gain of a one-shot deviation at any
        node, on or off the path: 0 up to `tol` for an SPE), ``"subgame_perfect"`` and
        ``"choices"`` (action index at every node, -1 where no one moves).

    Raises
    ------
    SolverError
        If the game is not a GameTree, has imperfect information, or is symbolic.

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> t = GameTree(("E", "I"), Decision("E", {
    ...     "Out": Terminal(0, 5),
    ...     "In": Decision("I", {"Accommodate": Terminal(2, 3), "Fight": Terminal(-1, -1)})}))
    >>> r = backward_induction(t)
    >>> len(r), r[0].path, r[0].payoffs.tolist()
    (1, ('In', 'Accommodate'), [2.0, 3.0])
    """
    _require_tree(game)
    tol = check_tol(tol, method="backward_induction", zero_ok=True)
    max_equilibria = check_limit("max_equilibria", max_equilibria, method="backward_induction")
    priority = _priority_labels(priority)
    flat = game.flatten()
    pref = _edge_preference(flat, priority)
    cap = max_equilibria if all_equilibria else 1
    enumerate_ = _enumerate if len(flat.kind) > INTERPRETED_MAX_NODES else interpreted(_enumerate)
    values, choices, truncated = enumerate_(*_arrays(flat), pref, float(tol), cap)
    scale = max(1.0, float(np.max(np.abs(flat.payoffs))) if flat.payoffs.size else 1.0)
    bound = float(tol) * scale * (1 + _max_decisions(flat)) + 64 * np.finfo(float).eps * scale
    equilibria = []
    for e in range(len(values)):
        eq = _equilibrium(game, flat, choices[e], bound)
        if np.max(np.abs(eq.payoffs - values[e])) > bound:
            raise SolverError("internal error: SPE payoffs do not match the profile's values")
        equilibria.append(eq)
    notes: tuple[str, ...] = ()
    if truncated:
        # counting is a Python pass (~5 us a node): skipped in the one-SPE mode on big trees
        counted = (
            count_pure_spe(flat, float(tol))
            if all_equilibria or len(flat.kind) <= _COUNT_MAX_NODES
            else None
        )
        count, path_count = counted if counted is not None else (None, None)
        total = (
            f"{count} pure SPE in all ({path_count} distinct equilibrium paths), counted "
            "from the ties without listing them"
            if count is not None
            else "the total was not counted (too many distinct subgame values, or a large "
            "tree with all_equilibria=False)"
        )
        if all_equilibria:
            notes = (
                f"listed the first {len(equilibria)} (max_equilibria={max_equilibria}); {total}",
            )
        else:
            notes = (
                f"several SPE (some mover is indifferent); returned the one the tie rule picks; "
                f"{total}",
            )
    else:
        count = len(equilibria)
        path_count = len({eq.path for eq in equilibria})
        if count > 1:
            notes = (f"{count} SPE: some mover is indifferent between actions",)
    options = {
        "tol": tol,
        "all_equilibria": all_equilibria,
        "priority": priority,
        "max_equilibria": max_equilibria,
    }
    return SolveResult(
        game=game,
        method="spe",
        equilibria=tuple(equilibria),
        options=options,
        tolerance=float(bound),
        complete=not truncated,
        notes=notes,
        count=count,
        path_count=path_count,
    )


#: with ``all_equilibria=False`` the SPE are counted only on trees up to this many nodes
_COUNT_MAX_NODES = 10_000


def _max_decisions(flat: Any) -> int:
    kind = flat.kind.tolist()
    start = flat.child_start.tolist()
    count = flat.n_children.tolist()
    children = flat.children.tolist()
    depth = [0] * len(kind)
    for i in range(len(kind) - 1, -1, -1):
        below = max((depth[c] for c in children[start[i] : start[i] + count[i]]), default=0)
        depth[i] = below + (1 if kind[i] == DECISION else 0)
    return depth[0]


def _behavior_edges(flat: Any, choices: np.ndarray) -> np.ndarray:
    beh = np.zeros(len(flat.children))
    for i in np.flatnonzero(flat.kind == DECISION):
        beh[flat.child_start[i] + choices[i]] = 1.0
    return beh


def _equilibrium(game: Any, flat: Any, choices: np.ndarray, bound: float) -> Equilibrium:
    beh = _behavior_edges(flat, choices)
    behavior = []
    for p in range(game.n_players):
        per = []
        for s in game.infosets:
            if s.player == p:
                node = s.nodes[0]
                start = flat.child_start[node]
                per.append(beh[start : start + flat.n_children[node]].copy())
        behavior.append(tuple(per))
    regrets_ = _regrets if len(flat.kind) > INTERPRETED_MAX_NODES else interpreted(_regrets)
    values, regrets, one_shot = regrets_(*_arrays(flat), beh)
    max_regret = float(max(0.0, regrets.max()))
    one_shot = float(max(0.0, one_shot))
    if max_regret > bound or one_shot > bound:
        raise SolverError(
            f"internal error: backward-induction profile fails verification "
            f"(regret {max_regret:g}, one-shot {one_shot:g}, bound {bound:g})"
        )
    return Equilibrium(
        behavior=tuple(behavior),
        payoffs=values[0].copy(),
        max_regret=max_regret,
        path=_path(flat, choices),
        info={
            "one_shot_regret": one_shot,
            "subgame_perfect": True,
            "choices": tuple(int(c) for c in choices),
        },
    )


def _path(flat: Any, choices: np.ndarray) -> tuple[str, ...]:
    out: list[str] = []
    stack = [0]
    while stack:
        i = stack.pop()
        s, k = int(flat.child_start[i]), int(flat.n_children[i])
        if flat.kind[i] == DECISION:
            out.append(flat.edge_label[s + choices[i]])
            stack.append(int(flat.children[s + choices[i]]))
        elif flat.kind[i] == CHANCE:
            for a in range(k - 1, -1, -1):
                if flat.edge_prob[s + a] > 0:
                    stack.append(int(flat.children[s + a]))
    return tuple(out)


def equilibrium_path(tree: Any, choices: Iterable[int]) -> tuple[str, ...]:
    """Action labels of the decisions taken on the equilibrium path.

    The path is defined as the labels of the decision actions taken at every decision node
    reached with positive probability, in preorder (a chance node branches: the decisions
    below each outcome of positive probability follow one another in outcome order; chance
    outcome labels are not included).  Without chance nodes this is simply the sequence of
    labels from the root to the leaf reached.

    Parameters
    ----------
    tree : GameTree
    choices : sequence of int
        Action index at every node (preorder id; ignored at non-decision nodes).

    Examples
    --------
    >>> from bargain import Chance, Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Chance({
    ...     "h": (0.5, Decision("A", {"x": Terminal(1), "y": Terminal(2)})),
    ...     "t": (0.5, Decision("A", {"u": Terminal(0), "v": Terminal(3)}))}))
    >>> equilibrium_path(t, [-1, 1, -1, -1, 1, -1, -1])
    ('y', 'v')
    """
    return _path(tree.flatten(), np.asarray(list(choices), np.int64))


@njit(cache=True)
def _grow_rows(a, n):
    if n < a.shape[0]:
        return a
    b = np.empty((2 * a.shape[0] + 1, a.shape[1]), a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _grow(a, n):
    if n < a.shape[0]:
        return a
    b = np.empty(2 * a.shape[0] + 1, a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _enumerate(
    kind, player, child_start, n_children, children, prob, leaf, payoffs, pref, tol, cap
):
    """Every SPE (up to `cap` per subgame), bottom-up.

    An entry is one SPE of the subgame at a node: its value vector, the action at the node
    and references to one entry of each child.  Returns the root entries' values, the
    action at every node for each root entry, and whether some subgame hit `cap`.
    """
    n_nodes = kind.shape[0]
    n_pl = payoffs.shape[1]
    ent_start = np.zeros(n_nodes, np.int64)
    ent_count = np.zeros(n_nodes, np.int64)
    val = np.empty((64, n_pl))
    act = np.empty(64, np.int64)
    node_of = np.empty(64, np.int64)
    ref_start = np.empty(64, np.int64)
    refs = np.empty(64, np.int64)
    n_ent = 0
    n_ref = 0
    truncated = False
    idx = np.zeros(np.max(n_children) + 1, np.int64)
    cv = np.empty(np.max(n_children) + 1)
    for i in range(n_nodes - 1, -1, -1):
        ent_start[i] = n_ent
        if kind[i] == TERMINAL:
            val = _grow_rows(val, n_ent)
            act = _grow(act, n_ent)
            node_of = _grow(node_of, n_ent)
            ref_start = _grow(ref_start, n_ent)
            val[n_ent] = payoffs[leaf[i]]
            act[n_ent] = -1
            node_of[n_ent] = i
            ref_start[n_ent] = n_ref
            n_ent += 1
            ent_count[i] = 1
            continue
        s = child_start[i]
        k = n_children[i]
        for a in range(k):
            idx[a] = 0
        done = False
        while not done:
            thr = 0.0
            if kind[i] == DECISION:
                pl = player[i]
                best = -np.inf
                for a in range(k):
                    cv[a] = val[ent_start[children[s + a]] + idx[a], pl]
                    best = max(best, cv[a])
                thr = best - tol * max(1.0, abs(best))
            # emit entries: preferred optimal actions first, then the others, in index order
            for rank in range(2 if kind[i] == DECISION else 1):
                for a in range(k if kind[i] == DECISION else 1):
                    if kind[i] == DECISION and (cv[a] < thr or (pref[s + a] == 1) != (rank == 0)):
                        continue
                    if ent_count[i] >= cap:
                        truncated = True
                        break
                    val = _grow_rows(val, n_ent)
                    act = _grow(act, n_ent)
                    node_of = _grow(node_of, n_ent)
                    ref_start = _grow(ref_start, n_ent)
                    while n_ref + k >= refs.shape[0]:
                        refs = _grow(refs, refs.shape[0])
                    ref_start[n_ent] = n_ref
                    for b in range(k):
                        refs[n_ref + b] = ent_start[children[s + b]] + idx[b]
                    n_ref += k
                    node_of[n_ent] = i
                    if kind[i] == CHANCE:
                        act[n_ent] = -1
                        for j in range(n_pl):
                            acc = 0.0
                            for b in range(k):
                                acc += prob[s + b] * val[refs[ref_start[n_ent] + b], j]
                            val[n_ent, j] = acc
                    else:
                        act[n_ent] = a
                        val[n_ent] = val[refs[ref_start[n_ent] + a]]
                    n_ent += 1
                    ent_count[i] += 1
            # next combination of child entries: the last child varies fastest
            b = k - 1
            while b >= 0:
                idx[b] += 1
                if idx[b] < ent_count[children[s + b]]:
                    break
                idx[b] = 0
                b -= 1
            if b < 0:
                done = True
            elif ent_count[i] >= cap:
                truncated = True  # another combination exists: it yields at least one SPE
                done = True
    n_root = ent_count[0]
    out_val = np.empty((n_root, n_pl))
    out_choice = np.full((n_root, n_nodes), -1, np.int64)
    stack = np.empty(n_nodes + 1, np.int64)
    for r in range(n_root):
        e0 = ent_start[0] + r
        out_val[r] = val[e0]
        top = 0
        stack[0] = e0
        top = 1
        while top > 0:
            top -= 1
            e = stack[top]
            node = node_of[e]
            out_choice[r, node] = act[e]
            for b in range(n_children[node]):
                stack[top] = refs[ref_start[e] + b]
                top += 1
    return out_val, out_choice, truncated
