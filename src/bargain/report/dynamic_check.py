"""The one-shot-deviation check of a stochastic regime's agreement profile, on whole grids.

:func:`bargain.dynamic.regime.profile_regrets` builds the game and checks the profile at
one point (a few milliseconds: a report's grids need thousands).  Here the regime's game
is built once per structure (integer parameters) with the other parameters as symbols,
each stage payoff, transition probability and discount factor is stored as a JSON
expression tree (:mod:`bargain.symbolic.exprtree`) in the derivation cache, and the check
of many points is array arithmetic: the entries evaluated on the whole batch, the values
``V_i = (I - δ_i P_σ)^{-1} u_σ`` of every point from one batched ``np.linalg.solve``, and
every one-shot deviation ``Q_i(s, a) - V_i(s)`` as arrays.  This is the numeric path of the
report: it does not use the derived MPE condition, which the report checks against it.

Examples
--------
>>> import numpy as np, bargain as bg
>>> m = bg.load_model("staged_withdrawal")
>>> X = np.tile(m.parameters.vector(), (3, 1))
>>> X[:, m.parameters.names.index("q")] = [0.0, 0.3, 1.0]
>>> ok, code = batch_check(m, "staged", X)
>>> ok.tolist(), code.tolist()  # without detection the DRC (player 2) deviates
([False, True, True], [2, 0, 0])
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from bargain.errors import ExpressionError, GameShapeError, ParameterError
from bargain.symbolic.exprtree import check_tree, evaluate

__all__ = ["TOL", "batch_check", "batch_regrets", "game_plan"]

#: regret at or below this: no profitable one-shot deviation (absolute, as
#: :data:`bargain.solution.STOCHASTIC_TOL`)
TOL = 1e-9


def _structural(model: Any, values: dict[str, Any]) -> dict[str, int]:
    return {p.name: int(values[p.name]) for p in model.parameters.parameters if p.integer}


def game_plan(
    model: Any, regime: str, *, use_cache: bool = True, **structural: int
) -> dict[str, Any] | None:
    """The regime's game at the integer parameters `structural` (defaults otherwise) as
    JSON: players, states, actions, and every entry as an expression tree (sparse: zero
    entries left out); None when an entry is outside the tree grammar.

    Kept in the derivation cache (keyed by the model's source hash, the package version,
    the regime and `structural`); a plan read from disk is validated
    (:func:`~bargain.symbolic.exprtree.check_tree`) and derived again when it does not fit.

    Examples
    --------
    >>> import bargain as bg
    >>> plan = game_plan(bg.load_model("staged_withdrawal"), "staged", k=1)
    >>> plan["players"], len(plan["states"])
    (['Rwanda', 'DRC'], 8)
    """
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    values = model.parameters.resolve(**structural)
    struct = _structural(model, values)
    memo = model.__dict__.setdefault("_stochastic_plans", {})
    mkey = (regime, tuple(sorted(struct.items())), use_cache)
    if mkey in memo:
        return memo[mkey]
    key = model_key(model, what="stochastic_game_plan", regime=regime, structural=struct)
    plan = None
    if use_cache:
        plan = _valid_plan(load_entry(key), model.parameters.names)
    if plan is None:
        plan = _derive_plan(model, regime, struct)
        if use_cache:
            store_entry(key, plan if plan is not None else {"grammar": False})
    memo[mkey] = plan
    return plan


def _derive_plan(model: Any, regime: str, struct: dict[str, int]) -> dict[str, Any] | None:
    from bargain.symbolic.exprtree import to_tree

    r = model.regime(regime)
    game = r.build(model.namespace(**struct))

    def sparse(a: Any) -> dict[str, Any]:
        arr = np.asarray(a, dtype=object)
        entries = []
        for flat, e in enumerate(arr.flat):
            t = to_tree(e)
            if t != 0.0:
                entries.append([flat, t])
        return {"shape": list(arr.shape), "entries": entries}

    try:
        return {
            "players": list(game.players),
            "states": list(game.states),
            "actions": [[list(a) for a in row] for row in game.actions],
            "discount": [to_tree(d) for d in game.discount],
            "payoffs": [sparse(u) for u in game.payoffs],
            "transitions": [sparse(t) for t in game.transitions],
        }
    except NotImplementedError:
        return None


def _valid_plan(plan: Any, names: Any) -> dict[str, Any] | None:
    """`plan` when it has the layout of :func:`_derive_plan` and valid trees, else None."""
    try:
        S, N = len(plan["states"]), len(plan["players"])
        if len(plan["actions"]) != S or len(plan["payoffs"]) != S:
            return None
        if len(plan["transitions"]) != S or len(plan["discount"]) != N:
            return None
        for d in plan["discount"]:
            check_tree(d, names)
        for s in range(S):
            acts = [len(a) for a in plan["actions"][s]]
            want = {"payoffs": [N, *acts], "transitions": [*acts, S]}
            for part, shape in want.items():
                block = plan[part][s]
                if block["shape"] != shape:
                    return None
                size = int(np.prod(shape))
                for flat, tree in block["entries"]:
                    if not (isinstance(flat, int) and 0 <= flat < size):
                        return None
                    check_tree(tree, names)
        return plan
    except (KeyError, TypeError, ValueError, ExpressionError):
        return None


def _points(model: Any, X: Any) -> np.ndarray:
    ps = model.parameters
    X = np.atleast_2d(np.asarray(X, dtype=float))
    if X.ndim != 2 or X.shape[1] != len(ps.names):
        raise ParameterError("points", f"expected shape (n, {len(ps.names)}), got {X.shape}")
    for k, p in enumerate(ps.parameters):
        lo, hi = p.bounds
        col = X[:, k]
        bad = ~((col >= lo) & (col <= hi))
        if p.integer:
            bad |= col != np.round(col)
        if bad.any():
            raise ParameterError(p.name, f"value {col[bad][0]!r} outside {p.bounds} or invalid")
    return X


def _groups(model: Any, regime: str, X: np.ndarray) -> dict[tuple, list[int]]:
    """Rows of `X` by (integer parameters, agreement profile): each group is one game
    layout and one pure profile."""
    ps = model.parameters
    r = model.regime(regime)
    ints = [k for k, p in enumerate(ps.parameters) if p.integer]
    groups: dict[tuple, list[int]] = {}
    for b, row in enumerate(X):
        ns = {
            p.name: int(row[k]) if p.integer else float(row[k]) for k, p in enumerate(ps.parameters)
        }
        prof = tuple(tuple(a) for a in r.profile(SimpleNamespace(**ns)))
        groups.setdefault((tuple(int(row[k]) for k in ints), prof), []).append(b)
    return groups


def _dense(block: dict[str, Any], vals: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.zeros((n, int(np.prod(block["shape"]))))
    for flat, tree in block["entries"]:
        out[:, flat] = evaluate(tree, vals)
    return out.reshape((n, *block["shape"]))


def _group_regrets(plan: dict[str, Any], profile: tuple, vals: dict, n: int) -> np.ndarray:
    """``R[b, s, i]`` of the pure `profile` (labels) at `n` points with values `vals`."""
    S, N = len(plan["states"]), len(plan["players"])
    idx = []
    for s, row in enumerate(profile):
        if len(row) != N:
            raise GameShapeError(
                f"profile in state {plan['states'][s]!r}: {len(row)} actions for {N} players"
            )
        cur = []
        for i, a in enumerate(row):
            acts = plan["actions"][s][i]
            if a not in acts:
                raise GameShapeError(
                    f"profile in state {plan['states'][s]!r}, player {plan['players'][i]!r}: "
                    f"no action {a!r}; actions: {', '.join(acts)}"
                )
            cur.append(acts.index(a))
        idx.append(tuple(cur))
    if len(idx) != S:
        raise GameShapeError(f"profile has {len(idx)} states, the game {S}")
    U = [_dense(u, vals, n) for u in plan["payoffs"]]
    T = [_dense(t, vals, n) for t in plan["transitions"]]
    delta = np.stack([np.broadcast_to(evaluate(d, vals), (n,)) for d in plan["discount"]], 1)
    u_sig = np.stack([U[s][(slice(None), slice(None), *idx[s])] for s in range(S)], 1)
    P = np.stack([T[s][(slice(None), *idx[s])] for s in range(S)], 1)  # (n, S, S)
    A = np.eye(S) - delta[:, :, None, None] * P[:, None]  # (n, N, S, S)
    V = np.linalg.solve(A, u_sig.transpose(0, 2, 1)[..., None])[..., 0]  # (n, N, S)
    R = np.zeros((n, S, N))
    for s in range(S):
        for i in range(N):
            best = np.full(n, -np.inf)
            for a in range(len(plan["actions"][s][i])):
                prof = list(idx[s])
                prof[i] = a
                cont = np.einsum("bt,bt->b", T[s][(slice(None), *prof)], V[:, i])
                best = np.maximum(best, U[s][(slice(None), i, *prof)] + delta[:, i] * cont)
            R[:, s, i] = np.maximum(best - V[:, i, s], 0.0)
    return R


def _run(model: Any, regime: str, X: Any, use_cache: bool) -> Any:
    from bargain.dynamic.regime import profile_regrets

    X = _points(model, X)
    names = model.parameters.names
    ints = [p.name for p in model.parameters.parameters if p.integer]
    for (struct, profile), rows in _groups(model, regime, X).items():
        plan = game_plan(model, regime, use_cache=use_cache, **dict(zip(ints, struct, strict=True)))
        if plan is None:  # an entry outside the tree grammar: one point at a time
            R = np.stack(
                [
                    profile_regrets(model, regime, **dict(zip(names, X[b], strict=True)))
                    for b in rows
                ]
            )
        else:
            vals = {name: X[rows, k] for k, name in enumerate(names)}
            R = _group_regrets(plan, profile, vals, len(rows))
        yield rows, R


def batch_regrets(model: Any, regime: str, X: Any, *, use_cache: bool = True) -> list:
    """One-shot-deviation regrets ``R[s, i]`` of the agreement profile at each row of `X`
    (columns in parameter order), as :func:`~bargain.dynamic.regime.profile_regrets`
    gives them one point at a time.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("staged_withdrawal")
    >>> [R.shape for R in batch_regrets(m, "staged", [m.parameters.vector()])]
    [(16, 2)]
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    out: list = [None] * len(X)
    for rows, R in _run(model, regime, X, use_cache):
        for j, b in enumerate(rows):
            out[b] = R[j]
    return out


def batch_check(
    model: Any, regime: str, X: Any, *, use_cache: bool = True, tol: float = TOL
) -> tuple[np.ndarray, np.ndarray]:
    """At each row of `X`: whether the agreement profile is an MPE (every regret at most
    `tol`), and a code: 0 if so, else ``1 + i`` for the first player *i* (0-based) with a
    profitable one-shot deviation in some state.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("staged_withdrawal")
    >>> ok, code = batch_check(m, "staged", [m.parameters.vector()])
    >>> bool(ok[0]), int(code[0])
    (True, 0)
    """
    X = np.atleast_2d(np.asarray(X, dtype=float))
    code = np.zeros(len(X), dtype=int)
    for rows, R in _run(model, regime, X, use_cache):
        bad = R.max(axis=1) > tol  # (n, N)
        first = np.argmax(bad, axis=1)
        code[rows] = np.where(bad.any(axis=1), 1 + first, 0)
    return code == 0, code
