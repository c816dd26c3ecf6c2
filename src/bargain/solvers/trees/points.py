"""Backward induction at many parameter points at once, in compiled code.

A symbolic perfect-information tree (payoffs and chance probabilities are SymPy
expressions in the model's parameters) is solved at every row of a points array.  The leaf
expressions are compiled to a Numba function (:mod:`bargain.solvers.trees.compile`) that is put
in one generated module together with the tree walk and a ``prange`` loop over the points,
so the whole sweep runs in machine code: evaluate the leaves, fold the tree from the
leaves up, record the equilibrium path.  Tree arrays are passed as arguments; the
generated module is cached on disk under the hash of its source, and Numba caches its
machine code, so a second process pays no compilation.

The tie rule is the package's (see :mod:`bargain.solvers.trees.backward_induction`): among
optimal actions (value at least ``best - tol * max(1, |best|)``) the mover takes the first
whose label is in `priority`, else the lowest-index one.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from bargain.errors import ParameterError, SolverError
from bargain.games.flat import DECISION
from bargain.solvers.points import check_points
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees.backward_induction import (
    _edge_preference,
    _priority_labels,
    _require_tree,
    backward_induction,
)
from bargain.solvers.trees.regrets import _arrays

__all__ = ["TIE_RULE", "UNROLL_MAX_NODES", "BatchSPE", "solve_points"]

#: The documented tie rule, recorded in every :class:`BatchSPE`.
TIE_RULE = (
    "an indifferent mover takes the first optimal action whose label is in `priority` "
    "(the agreement labels), else the lowest-index optimal action; optimal means value >= "
    "best - tol * max(1, |best|)"
)


@dataclass(frozen=True)
class BatchSPE:
    """The SPE selected by the tie rule at each of many parameter points.

    Attributes
    ----------
    payoffs : numpy.ndarray
        ``(n_points, n_players)`` equilibrium payoffs.
    path_id : numpy.ndarray of int32
        Row of `paths` for each point.
    paths : tuple of tuple of str
        The distinct equilibrium paths (decision labels reached with positive probability,
        in preorder, as :func:`~bargain.solvers.trees.backward_induction.equilibrium_path`), sorted
        by their internal key (deterministic).
    leaf : numpy.ndarray of int32
        Row of the leaf reached (in ``tree.leaves`` order) when exactly one leaf is reached
        with positive probability, -1 when chance spreads the outcome over several.
    players : tuple of str
    param_names : tuple of str
        Column names of the points.
    priority : tuple of str
        Labels preferred on ties.
    tie_rule : str
        The rule, in words (:data:`TIE_RULE`).
    tol : float
        Tie tolerance.

    Examples
    --------
    >>> import numpy as np
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> tree = m.game("entry_commitment", symbolic=True)
    >>> pts = np.array([[2.0, 1.0, 5.0, 0.5], [2.0, 1.0, 5.0, 3.0]])
    >>> b = solve_points(tree, pts, priority=("Commit", "Out"))
    >>> [b.paths[i] for i in b.path_id]
    [('Commit', 'Out'), ('Open', 'In', 'Accommodate')]
    """

    payoffs: np.ndarray
    path_id: np.ndarray
    paths: tuple[tuple[str, ...], ...]
    leaf: np.ndarray
    players: tuple[str, ...]
    param_names: tuple[str, ...]
    priority: tuple[str, ...]
    tie_rule: str = TIE_RULE
    tol: float = 1e-12

    def __len__(self) -> int:
        return len(self.path_id)

    def path_of(self, i: int) -> tuple[str, ...]:
        """Equilibrium path at point `i`."""
        return self.paths[int(self.path_id[i])]


_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


#: Trees up to this many nodes get a straight-line kernel specialized to the tree (fastest;
#: compile time grows with the tree, about 30 s at 300 nodes); larger ones a generic loop
#: over the tree arrays (compiles in a few seconds whatever the size).
UNROLL_MAX_NODES = 64


def _prepare(tree: Any, param_names: tuple[str, ...], prio: tuple[str, ...], unroll: bool):
    per_tree = _PREPARED.setdefault(tree, {})
    key = (param_names, prio, unroll)
    if key in per_tree:
        return per_tree[key]
    from bargain.solvers.trees.compile import generic_source, load_kernel_module, unrolled_source

    flat = tree.flatten()
    off, space = _path_code(flat)
    pref = _edge_preference(flat, prio)
    if unroll:
        source = unrolled_source(flat, param_names, pref, off)
    else:
        source = generic_source(flat, param_names)
    module = load_kernel_module(source)
    per_tree[key] = (flat, module, off, space, pref)
    return per_tree[key]


def solve_points(
    tree: Any,
    points: Any,
    *,
    param_names: Sequence[str] | None = None,
    priority: Iterable[str] | None = None,
    tol: float = 1e-12,
    chunk: int = 4096,
    unroll: bool | None = None,
    parallel: bool = True,
) -> BatchSPE:
    """Solve a (symbolic) perfect-information tree at every row of `points`.

    Parameters
    ----------
    tree : GameTree
        Perfect-information tree; payoffs and chance probabilities may be SymPy expressions
        in the parameters (``model.game(regime, symbolic=True)``).  A numeric tree is
        solved once and the answer repeated for every point.
    points : array_like
        ``(n_points, n_params)`` parameter values, finite and within the parameters'
        declared bounds.
    param_names : sequence of str, optional
        Column names of `points`; default ``tree.parameters.names`` (declaration order).
    priority : iterable of str, optional
        Labels preferred on ties (the regime's agreement labels).
    tol : float
        Tie tolerance (relative to ``max(1, |best|)``).
    chunk : int
        Points per parallel work unit (generic kernel).
    unroll : bool, optional
        Use the straight-line kernel specialized to the tree (default for trees of at most
        :data:`UNROLL_MAX_NODES` nodes) or the generic loop over the tree arrays.
    parallel : bool
        Spread the points over Numba's threads (``numba.set_num_threads``); False runs one
        thread (and compiles faster), e.g. inside an outer parallel backend.

    Returns
    -------
    BatchSPE

    Raises
    ------
    SolverError
        Imperfect information, or a tree too large for path ids.
    GameShapeError
        `points` is not 2-D or its columns do not match `param_names`.
    ParameterError
        A non-finite or out-of-bounds value (naming the parameter and the point), or a
        symbol of the tree without a column.

    Examples
    --------
    >>> import numpy as np
    >>> import bargain as bg
    >>> tree = bg.load_model("entry_deterrence").game("entry", symbolic=True)
    >>> b = solve_points(tree, np.array([[2.0, 1.0, 5.0, 1.0]]))
    >>> b.path_of(0), b.payoffs.tolist()
    (('In', 'Accommodate'), [[2.0, 3.0]])
    """
    from bargain.games.extensive_form import GameTree

    if not isinstance(tree, GameTree):
        raise SolverError(f"solve_points needs a GameTree, got {type(tree).__name__}")
    if not tree.perfect_information:
        _require_tree(tree)  # raises the imperfect-information message
    tol = check_tol(tol, method="solve_points", zero_ok=True)
    chunk = check_limit("chunk", chunk, method="solve_points")
    if param_names is None:
        if tree.parameters is not None:
            param_names = tree.parameters.names
        else:
            flat0 = tree.flatten()
            syms = {
                s.name
                for row in flat0.payoff_exprs
                for x in row
                if hasattr(x, "free_symbols")
                for s in x.free_symbols
            }
            syms |= {
                s.name
                for _, x in flat0.prob_exprs
                if hasattr(x, "free_symbols")
                for s in x.free_symbols
            }
            param_names = tuple(sorted(syms))
    names = tuple(str(n) for n in param_names)
    pts = check_points(tree, points, names)
    prio = _priority_labels(priority)
    n = pts.shape[0]
    if not tree.is_symbolic:
        r = backward_induction(tree, tol=tol, all_equilibria=False, priority=prio)
        eq = r.equilibria[0]
        flat = tree.flatten()
        key_leaf = _single_leaf(flat, np.array(eq.info["choices"]))
        return BatchSPE(
            payoffs=np.tile(eq.payoffs, (n, 1)),
            path_id=np.zeros(n, np.int32),
            paths=(eq.path,),
            leaf=np.full(n, key_leaf, np.int32),
            players=tree.players,
            param_names=names,
            priority=prio,
            tol=float(tol),
        )
    unroll = tree_nodes(tree) <= UNROLL_MAX_NODES if unroll is None else bool(unroll)
    flat, module, off, space, pref = _prepare(tree, names, prio, unroll)
    out_pay = np.empty((n, flat.n_players))
    out_key = np.empty(n, np.int64)
    out_leaf = np.empty(n, np.int32)
    if unroll:
        args: tuple = (float(tol), out_pay, out_key, out_leaf)
    else:
        arrays = _arrays(flat)
        pay0 = np.nan_to_num(flat.payoffs, nan=0.0)
        args = (*arrays[:7], pay0, pref, off, float(tol), out_pay, out_key, out_leaf)
    if parallel and n > chunk:
        module._solve_points(pts, int(chunk), *args)
    else:
        module._solve_range(pts, 0, n, *args)
    if not np.isfinite(out_pay).all():
        row = int(np.argmax(~np.isfinite(out_pay).all(axis=1)))
        raise ParameterError(
            ", ".join(names), f"the payoffs are not finite at point {row}: {pts[row].tolist()}"
        )
    ids, table = _path_ids(out_key, space[0])
    paths = tuple(_decode(flat, int(k), off, space) for k in table)
    return BatchSPE(
        payoffs=out_pay,
        path_id=ids,
        paths=paths,
        leaf=out_leaf,
        players=tree.players,
        param_names=names,
        priority=prio,
        tol=float(tol),
    )


def tree_nodes(tree: Any) -> int:
    """Number of nodes of a tree."""
    return len(tree.nodes)


def _single_leaf(flat: Any, choices: np.ndarray) -> int:
    reached = []
    stack = [0]
    while stack:
        i = stack.pop()
        s, k = int(flat.child_start[i]), int(flat.n_children[i])
        if flat.kind[i] == DECISION:
            stack.append(int(flat.children[s + choices[i]]))
        elif k == 0:
            reached.append(int(flat.leaf[i]))
        else:
            stack += [int(flat.children[s + a]) for a in range(k) if flat.edge_prob[s + a] > 0]
    return reached[0] if len(reached) == 1 else -1


def _path_code(flat: Any) -> tuple[np.ndarray, list[int]]:
    """Per-edge offsets of the path key, and the number of path patterns per subtree.

    Every pattern of decisions reached with positive probability in a subtree gets a key
    in ``range(space[node])``: a leaf has one pattern (key 0); a decision node's patterns
    are those of its children one after the other (key ``off[edge] + key(child)``); a chance
    node's are the combinations of its children's patterns, each child also possibly
    unreached (a mixed-radix number with digit ``key(child) + 1``, or 0 when its
    probability is 0, and place value ``off[edge]``).  So a chain of n decisions (a
    centipede) needs only n + 1 keys.
    """
    off = np.zeros(len(flat.children), np.int64)
    space = [0] * flat.n_nodes
    kind = flat.kind.tolist()
    start = flat.child_start.tolist()
    count = flat.n_children.tolist()
    children = flat.children.tolist()
    for i in range(flat.n_nodes - 1, -1, -1):
        s, k = start[i], count[i]
        if kind[i] == DECISION:
            total = 0
            for a in range(k):
                off[s + a] = total
                total += space[children[s + a]]
        elif k:
            total = 1
            for a in range(k):
                off[s + a] = total
                total *= space[children[s + a]] + 1
        else:
            total = 1
        if total >= 2**62:
            raise SolverError(
                f"the tree has more than 2**62 possible equilibrium paths (at {flat.n_nodes} "
                "nodes), too many for batch path ids; solve points with backward_induction"
            )
        space[i] = total
    return off, space


def _decode(flat: Any, key: int, off: np.ndarray, space: list[int]) -> tuple[str, ...]:
    """The path (decision labels, preorder) of a path key."""
    labels = []
    stack = [(0, key)]
    while stack:
        i, k = stack.pop()
        s, m = int(flat.child_start[i]), int(flat.n_children[i])
        if flat.kind[i] == DECISION:
            for a in range(m):
                c = int(flat.children[s + a])
                if int(off[s + a]) <= k < int(off[s + a]) + space[c]:
                    labels.append(flat.edge_label[s + a])
                    stack.append((c, k - int(off[s + a])))
                    break
        else:
            for a in range(m - 1, -1, -1):
                c = int(flat.children[s + a])
                digit = (k // int(off[s + a])) % (space[c] + 1)
                if digit > 0:
                    stack.append((c, digit - 1))
    return tuple(labels)


def _path_ids(keys: np.ndarray, key_space: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids of the distinct keys, in increasing key order."""
    if key_space <= 1 << 22:
        present = np.zeros(key_space, np.uint8)
        _mark(keys, present)
        table = np.flatnonzero(present)
        lut = np.zeros(key_space, np.int32)
        lut[table] = np.arange(len(table), dtype=np.int32)
        ids = np.empty(len(keys), np.int32)
        _lookup(keys, lut, ids)
        return ids, table
    table, ids = np.unique(keys, return_inverse=True)
    return ids.astype(np.int32).reshape(len(keys)), table


@njit(cache=True)
def _mark(keys, present):
    for i in range(keys.shape[0]):
        present[keys[i]] = 1


@njit(cache=True)
def _lookup(keys, lut, ids):
    for i in range(keys.shape[0]):
        ids[i] = lut[keys[i]]
