"""Backward induction over a whole grid with NumPy, from a plan (:mod:`bargain.sweep.plan`).

A report solves a few thousand to a few tens of thousands of points of trees with a few
dozen nodes.  There, folding the tree node by node over whole arrays (per decision node an
argmax over the children's value arrays, per chance node a weighted sum) takes
milliseconds and compiles nothing, where the batch Numba kernel
(:func:`bargain.solvers.trees.points.solve_points`) costs a compile of many seconds on a
first run.  The rule is the kernel's, step for step: the mover's best value ``b``, the
threshold ``b - tol * max(1, |b|)``, the first action at or above it among the preferred
(agreement) edges, else among all edges in order; the path is the decision labels reached
with positive probability, in preorder.  Normal-form regimes: the first pure profile (the
agreement profile first) where every player's payoff is within ``1e-12 * max(1, |best|)``
of the best reply's.  ``tests/test_numpy_spe.py`` checks the answers against the kernel on
random trees and grids, ties included.

Examples
--------
>>> import numpy as np, bargain as bg
>>> from bargain.sweep.plan import numeric_plan
>>> m = bg.load_model("entry_deterrence")
>>> plan = numeric_plan(m, "entry_commitment", use_cache=False)
>>> pts = np.array([m.parameters.vector(), m.parameters.vector(commitment_cost=5)])
>>> solve_plan(plan, pts).agreement.tolist()
[True, False]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from bargain.errors import ParameterError

__all__ = [
    "NUMPY_MAX_POINTS",
    "PlanOutcomes",
    "baseline_equilibria",
    "evaluate_grid",
    "solve_plan",
]

#: grids up to this many points are solved with NumPy; larger sweeps use the compiled
#: batch kernel (its throughput wins once the compile is paid, and memory stays small)
NUMPY_MAX_POINTS = 250_000

TOL = 1e-12


@dataclass(frozen=True)
class PlanOutcomes:
    """Outcomes at each point: as :class:`bargain.sweep.evaluate.PointOutcomes`."""

    path_id: np.ndarray
    paths: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    agreement: np.ndarray
    players: tuple[str, ...]


def _columns(plan: dict, points: np.ndarray) -> dict[str, np.ndarray]:
    return {name: points[:, j] for j, name in enumerate(plan["names"])}


def _values(tree: Any, cols: dict, n: int) -> np.ndarray:
    from bargain.symbolic.exprtree import evaluate

    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(evaluate(tree, cols), dtype=float), (n,))


def _require_finite(plan: dict, points: np.ndarray, payoffs: np.ndarray) -> None:
    """As the batch kernel: an error naming the point where the payoffs are not finite."""
    bad = ~np.isfinite(payoffs).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        raise ParameterError(
            ", ".join(plan["names"]),
            f"the payoffs are not finite at point {row}: {points[row].tolist()}",
        )


def solve_plan(plan: dict, points: np.ndarray, *, tol: float = TOL) -> PlanOutcomes:
    """Solve a plan at every row of `points` (columns: ``plan["names"]``), vectorized.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.sweep.plan import numeric_plan
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> out = solve_plan(numeric_plan(m, "simultaneous"), np.array([m.parameters.vector()]))
    >>> out.paths[int(out.path_id[0])]
    ('Stay', 'Renege')
    """
    points = np.ascontiguousarray(points, dtype=float)
    if plan["kind"] == "normal":
        return _solve_normal(plan, points)
    return _solve_tree(plan, points, tol)


def _solve_tree(plan: dict, points: np.ndarray, tol: float) -> PlanOutcomes:
    n = len(points)
    cols = _columns(plan, points)
    kind, player, leaf = plan["kind_of"], plan["player"], plan["leaf"]
    start, count, children = plan["child_start"], plan["n_children"], plan["children"]
    pref = plan["pref"]
    n_pl = len(plan["players"])
    leaf_val = [np.stack([_values(x, cols, n) for x in row], axis=1) for row in plan["payoffs"]]
    prob = {int(e): _values(x, cols, n) for e, x in plan["probs"]}
    val: list[Any] = [None] * len(kind)
    choice: dict[int, np.ndarray] = {}
    rows = np.arange(n)
    for i in range(len(kind) - 1, -1, -1):
        s, m = start[i], count[i]
        kids = children[s : s + m]
        if kind[i] == 0:
            val[i] = leaf_val[leaf[i]]
        elif kind[i] == 1:
            pl = player[i]
            own = np.stack([val[c][:, pl] for c in kids], axis=1)  # (n, m)
            best = np.fmax.reduce(own, axis=1)  # NaN skipped, as the kernel does
            ok = own >= (best - tol * np.maximum(1.0, np.abs(best)))[:, None]
            order = [a for a in range(m) if pref[s + a]] + [a for a in range(m) if not pref[s + a]]
            first = np.argmax(ok[:, order], axis=1)
            c = np.asarray(order)[first]
            c[~ok.any(axis=1)] = m - 1
            choice[i] = c
            val[i] = np.stack([val[k] for k in kids], axis=1)[rows, c]
        else:
            acc = np.zeros((n, n_pl))
            for a, k in enumerate(kids):
                acc = acc + prob[s + a][:, None] * val[k]
            val[i] = acc
    _require_finite(plan, points, val[0])
    ids, paths = _paths(plan, choice, prob, n)
    target = tuple(plan["target"]) if plan.get("target") is not None else None
    agree = np.zeros(n, dtype=bool)
    for k, p in enumerate(paths):
        if p == target:
            agree |= ids == k
    return PlanOutcomes(ids, paths, val[0], agree, tuple(plan["players"]))


def _paths(plan: dict, choice: dict, prob: dict, n: int):
    """Per point, the pattern of actions at reached decision nodes; its distinct rows."""
    kind, start, count, children = (
        plan["kind_of"],
        plan["child_start"],
        plan["n_children"],
        plan["children"],
    )
    decisions = sorted(choice)  # preorder ids: the path's order
    reach: dict[int, np.ndarray] = {0: np.ones(n, dtype=bool)}
    for i in range(len(kind)):  # parents before children (preorder)
        r = reach.get(i)
        if r is None or kind[i] == 0:
            continue
        for a, c in enumerate(children[start[i] : start[i] + count[i]]):
            if kind[i] == 1:
                reach[c] = r & (choice[i] == a)
            else:
                reach[c] = r & (prob[start[i] + a] > 0)
    if not decisions:
        return np.zeros(n, np.int32), ((),)
    # one integer key per point: the actions at reached decisions as mixed-radix digits
    # (action + 1, 0 when unreached); unique on a 1-D key is a plain sort
    radix = [count[d] + 1 for d in decisions]
    if float(np.prod(np.array(radix, dtype=float))) < 2.0**62:
        key = np.zeros(n, dtype=np.int64)
        for d, r in zip(decisions, radix, strict=True):
            key = key * r + np.where(reach[d], choice[d] + 1, 0)
        table_keys, ids = np.unique(key, return_inverse=True)
        table = []
        for k in table_keys.tolist():
            row = []
            for r in reversed(radix):
                k, digit = divmod(k, r)
                row.append(digit - 1)
            table.append(row[::-1])
    else:
        code = np.stack([np.where(reach[d], choice[d], -1) for d in decisions], axis=1)
        rows_, ids = np.unique(code, axis=0, return_inverse=True)
        table = rows_.tolist()
    labels = plan["edge_label"]
    paths = tuple(
        tuple(labels[start[d] + int(a)] for d, a in zip(decisions, row, strict=True) if a >= 0)
        for row in table
    )
    return ids.reshape(n).astype(np.int32), paths


def _normal_values(plan: dict, points: np.ndarray) -> list[np.ndarray]:
    n = len(points)
    cols = _columns(plan, points)
    shape = tuple(plan["shape"])
    return [
        np.stack([_values(x, cols, n) for x in flat], axis=1).reshape((n, *shape))
        for flat in plan["payoffs"]
    ]


def _solve_normal(plan: dict, points: np.ndarray) -> PlanOutcomes:
    n = len(points)
    values = _normal_values(plan, points)
    shape = tuple(plan["shape"])
    profiles = list(itertools.product(*(range(k) for k in shape)))
    target = tuple(plan["target"]) if plan.get("target") is not None else None
    if target is not None:
        profiles.remove(target)
        profiles.insert(0, target)
    path_id = np.full(n, -1, dtype=np.int64)
    payoffs = np.full((n, len(plan["players"])), np.nan)
    paths = []
    for k, prof in enumerate(profiles):
        ok = np.ones(n, dtype=bool)
        for i, v in enumerate(values):
            own = v[(slice(None), *prof)]
            index: list[Any] = [slice(None), *prof]
            index[1 + i] = slice(None)
            best = np.max(v[tuple(index)], axis=1)
            ok &= own >= best - 1e-12 * np.maximum(1.0, np.abs(best))
        paths.append(tuple(plan["strategies"][i][s] for i, s in enumerate(prof)))
        take = ok & (path_id < 0)
        path_id[take] = k
        for i, v in enumerate(values):
            payoffs[take, i] = v[(slice(None), *prof)][take]
    agree = path_id == 0 if target is not None else np.zeros(n, dtype=bool)
    return PlanOutcomes(path_id, tuple(paths), payoffs, agree, tuple(plan["players"]))


def evaluate_grid(
    model: Any, regime: str, points: np.ndarray, *, use_cache: bool = True, parallel: bool = False
) -> Any:
    """Outcomes of `regime` at every row of `points` (the model's parameter order): from
    the plan with NumPy when the grid is at most :data:`NUMPY_MAX_POINTS` points, its
    structural parameters are one value and the regime has a plan; otherwise
    :func:`bargain.sweep.evaluate.evaluate_points` (the compiled kernel).

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> evaluate_grid(m, "entry", np.array([m.parameters.vector()])).agreement.tolist()
    [True]
    """
    points = np.ascontiguousarray(points, dtype=float)
    names = list(model.parameters.names)
    ok = points.ndim == 2 and points.shape[1] == len(names) and np.isfinite(points).all()
    if ok and 0 < len(points) <= NUMPY_MAX_POINTS:
        from bargain.sweep.plan import numeric_plan

        cols = [k for k, p in enumerate(model.parameters.parameters) if p.integer]
        keys = points[:, cols]
        if (keys == keys[0]).all():
            structural = {names[k]: float(v) for k, v in zip(cols, keys[0], strict=True)}
            plan = numeric_plan(model, regime, structural=structural, use_cache=use_cache)
            if plan is not None:
                return solve_plan(plan, points)
    from bargain.sweep.evaluate import evaluate_points

    return evaluate_points(model, regime, points, parallel=parallel)


def baseline_equilibria(plan: dict, point: np.ndarray, *, cap: int = 1000) -> dict | None:
    """The equilibrium row of a report at one point: the tie rule's path and payoffs,
    whether it is the agreement path, and how many distinct equilibrium paths there are
    (trees: subgame-perfect, every tie enumerated, at most `cap` per subgame; normal form:
    pure equilibria, within an absolute ``1e-12``).  None when a mixed equilibrium would
    be needed (no pure one), or a subgame hits `cap`: the caller then solves the game.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.sweep.plan import numeric_plan
    >>> m = bg.load_model("entry_deterrence")
    >>> row = baseline_equilibria(numeric_plan(m, "entry"), np.array(m.parameters.vector()))
    >>> row["path"], row["agreement"], row["n_paths"]
    (('In', 'Accommodate'), True, 1)
    """
    pts = np.asarray(point, dtype=float).reshape(1, -1)
    if plan["kind"] == "normal":
        return _baseline_normal(plan, pts)
    out = _solve_tree(plan, pts, TOL)
    paths = _all_paths(plan, pts, cap)
    if paths is None:
        return None
    return {
        "path": out.paths[int(out.path_id[0])],
        "payoffs": out.payoffs[0].tolist(),
        "agreement": bool(out.agreement[0]) if plan.get("target") is not None else None,
        "n_paths": len(paths),
    }


def _all_paths(plan: dict, pts: np.ndarray, cap: int):
    """Distinct equilibrium paths at one point: every SPE, ties enumerated (bounded)."""
    cols = _columns(plan, pts)
    kind, player, leaf = plan["kind_of"], plan["player"], plan["leaf"]
    start, count, children = plan["child_start"], plan["n_children"], plan["children"]
    labels = plan["edge_label"]
    prob = {int(e): float(_values(x, cols, 1)[0]) for e, x in plan["probs"]}
    entries: list[Any] = [None] * len(kind)  # per node: {(values, path)}
    for i in range(len(kind) - 1, -1, -1):
        s, m = start[i], count[i]
        kids = children[s : s + m]
        if kind[i] == 0:
            row = tuple(float(_values(x, cols, 1)[0]) for x in plan["payoffs"][leaf[i]])
            entries[i] = {(row, ())}
            continue
        out: set = set()
        for combo in itertools.islice(itertools.product(*(entries[k] for k in kids)), cap + 1):
            if kind[i] == 1:
                own = [e[0][player[i]] for e in combo]
                best = max(own)
                thr = best - TOL * max(1.0, abs(best))
                for a, e in enumerate(combo):
                    if own[a] >= thr:
                        out.add((e[0], (labels[s + a], *e[1])))
            else:
                vals = [0.0] * len(combo[0][0])
                path: tuple = ()
                for a, e in enumerate(combo):
                    p = prob[s + a]
                    vals = [v + p * x for v, x in zip(vals, e[0], strict=True)]
                    if p > 0:
                        path += e[1]
                out.add((tuple(vals), path))
        if len(out) > cap:
            return None
        entries[i] = out
    return {p for _, p in entries[0]}


def _baseline_normal(plan: dict, pts: np.ndarray) -> dict | None:
    values = [v[0] for v in _normal_values(plan, pts)]
    shape = tuple(plan["shape"])
    pure = []
    for prof in itertools.product(*(range(k) for k in shape)):  # lexicographic, as "pure"
        good = True
        for i, v in enumerate(values):
            index: list[Any] = list(prof)
            index[i] = slice(None)
            if float(np.max(v[tuple(index)])) - float(v[prof]) > TOL:
                good = False
                break
        if good:
            pure.append(prof)
    target = tuple(plan["target"]) if plan.get("target") is not None else None
    agreement = target in pure if target is not None else None
    cell = target if agreement else (pure[0] if pure else None)
    if cell is None:
        return _baseline_mixed(plan, values, agreement)
    return {
        "path": tuple(plan["strategies"][i][s] for i, s in enumerate(cell)),
        "payoffs": [float(v[cell]) for v in values],
        "agreement": agreement,
        "n_paths": len(pure),
    }


def _baseline_mixed(plan: dict, values: list[np.ndarray], agreement: Any) -> dict | None:
    """No pure equilibrium: the mixed one of a two-player game when it is unique (support
    enumeration over equal-size supports, at most 6 strategies each); None otherwise."""
    if len(values) != 2 or max(values[0].shape) > 6:
        return None
    a, b = values
    m, n = a.shape
    found = []
    for k in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                eq = _support_equilibrium(a, b, rows, cols)
                if eq is not None:
                    found.append(eq)
    if len(found) != 1:
        return None  # several (or degenerate): the solver's choice and order apply
    x, y = found[0]
    text = [
        ", ".join(f"{lab} {pr:.4g}" for lab, pr in zip(labels, mix, strict=True) if pr > 0)
        for labels, mix in zip(plan["strategies"], (x, y), strict=True)
    ]
    return {
        "path": tuple(text),
        "payoffs": [_snap(float(x @ p @ y), p) for p in (a, b)],
        "agreement": agreement,
        "n_paths": 0,
    }


def _snap(v: float, p: np.ndarray) -> float:
    """A rounding residue of zero (``-1.4e-17``) is written as 0.0."""
    return 0.0 if abs(v) < 1e-12 * max(1.0, float(np.max(np.abs(p)))) else v


def _support_equilibrium(a, b, rows, cols, tol=1e-9):
    k = len(rows)

    def indifferent(m):  # weights on the rows of m (k x k) making its columns equal
        lhs = np.zeros((k + 1, k + 1))
        lhs[:k, :k] = m.T
        lhs[:k, k] = -1.0
        lhs[k, :k] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        try:
            return np.linalg.solve(lhs, rhs)[:k]
        except np.linalg.LinAlgError:
            return None

    xs = indifferent(b[np.ix_(rows, cols)])
    ys = indifferent(a[np.ix_(rows, cols)].T)
    if xs is None or ys is None or (xs < -tol).any() or (ys < -tol).any():
        return None
    x, y = np.zeros(a.shape[0]), np.zeros(a.shape[1])
    x[list(rows)], y[list(cols)] = np.clip(xs, 0, None), np.clip(ys, 0, None)
    u, v = a @ y, x @ b
    if u.max() - x @ u > tol or v.max() - v @ y > tol:
        return None
    return x, y
