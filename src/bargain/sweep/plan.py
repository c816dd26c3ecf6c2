"""A regime's game as plain numbers and expression trees: what a numeric sweep needs.

A *plan* is the flattened game of one regime (structural parameters fixed) with every
payoff and chance probability stored as a JSON expression tree
(:mod:`bargain.symbolic.exprtree`), the tie preference of each edge, and the agreement
path.  It is built once from the symbolic game and kept in the derivation cache
(:mod:`bargain.symbolic.cache`), so a warm report solves its grids without building a
SymPy game: :mod:`bargain.sweep.numpy_spe` evaluates the leaves on the whole grid and
folds the tree with NumPy.  Regimes the plan does not cover (imperfect information, an
operation outside the tree grammar) have no plan and go through
:func:`bargain.sweep.evaluate.evaluate_points`.

Examples
--------
>>> import bargain as bg
>>> p = numeric_plan(bg.load_model("entry_deterrence"), "entry", use_cache=False)
>>> p["kind"], p["target"], len(p["kind_of"])
('tree', ['In', 'Accommodate'], 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bargain.errors import ExpressionError

__all__ = ["build_plan", "check_plan", "numeric_plan", "plan_of_game"]

#: bumped when the layout of a stored plan changes
PLAN_FORMAT = 1


def build_plan(model: Any, regime: str, structural: Mapping[str, float]) -> dict | None:
    """The plan of `regime` (JSON-ready), or None when the regime has no plan.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> build_plan(m, "simultaneous", {"n": 1})["strategies"]
    [['Withdraw', 'Stay'], ['Comply', 'Renege']]
    """
    reg = model.regime(regime)
    game = model.game(regime, symbolic=True, **{k: v for k, v in structural.items()})
    return plan_of_game(game, reg.agreement, list(model.parameters.names))


def plan_of_game(game: Any, agreement: Any, names: list[str]) -> dict | None:
    """The plan of a (symbolic) game: a perfect-information tree or a normal form game
    whose payoffs are in the tree grammar; None otherwise.

    Examples
    --------
    >>> import sympy
    >>> from bargain import Decision, GameTree, Terminal
    >>> a = sympy.Symbol("a")
    >>> g = GameTree(("P",), Decision("P", {"L": Terminal(a), "R": Terminal(1)}))
    >>> plan_of_game(g, ("L",), ["a"])["payoffs"]
    [[['x', 'a']], [1.0]]
    """
    from bargain.games.extensive_form import GameTree
    from bargain.games.normal_form import NormalFormGame
    from bargain.symbolic.exprtree import to_tree

    try:
        if isinstance(game, NormalFormGame):
            return _normal_plan(game, agreement, names, to_tree)
        if isinstance(game, GameTree) and game.perfect_information:
            return _tree_plan(game, agreement, names, to_tree)
    except NotImplementedError:
        return None
    return None


def _normal_plan(game: Any, agreement: Any, names: list[str], to_tree: Any) -> dict:
    strategies = [list(s) for s in game.strategies]
    target = None
    if agreement is not None:
        target = [strategies[i].index(a) for i, a in enumerate(agreement)]
    return {
        "format": PLAN_FORMAT,
        "kind": "normal",
        "names": names,
        "players": list(game.players),
        "shape": list(game.shape),
        "strategies": strategies,
        "payoffs": [[to_tree(x) for x in a.flat] for a in game.payoffs],
        "target": target,
    }


def _tree_plan(game: Any, agreement: Any, names: list[str], to_tree: Any) -> dict:
    from bargain.symbolic.paths import agreement_path

    flat = game.flatten()
    prio = set(agreement or ())
    return {
        "format": PLAN_FORMAT,
        "kind": "tree",
        "names": names,
        "players": list(game.players),
        "kind_of": [int(k) for k in flat.kind],
        "player": [int(p) for p in flat.player],
        "child_start": [int(s) for s in flat.child_start],
        "n_children": [int(k) for k in flat.n_children],
        "children": [int(c) for c in flat.children],
        "leaf": [int(r) for r in flat.leaf],
        "edge_label": [str(lab) for lab in flat.edge_label],
        "pref": [1 if lab in prio else 0 for lab in flat.edge_label],
        "payoffs": [[to_tree(x) for x in row] for row in flat.payoff_exprs],
        "probs": [[int(e), to_tree(x)] for e, x in flat.prob_exprs],
        "target": None if agreement is None else list(agreement_path(game, agreement)),
    }


def check_plan(data: Any) -> dict:
    """Validate a plan read from disk (shapes, indices, expression trees); returns it.

    Raises
    ------
    ExpressionError
        When anything is out of place (the caller then builds the plan again).

    Examples
    --------
    >>> check_plan({"kind": "other"})
    Traceback (most recent call last):
    ...
    bargain.errors.ExpressionError: derivation cache: not a plan
    """
    from bargain.symbolic.exprtree import check_tree

    where = "derivation cache"
    ok = isinstance(data, dict) and data.get("format") == PLAN_FORMAT
    if not ok or data.get("kind") not in ("tree", "normal"):
        raise ExpressionError(where, "not a plan")
    names = data.get("names")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ExpressionError(where, "plan without parameter names")
    trees = [x for row in data.get("payoffs", ()) for x in row]
    if data["kind"] == "tree":
        trees += [x for _, x in data.get("probs", ())]
        _check_tree_arrays(data, where)
    for t in trees:
        check_tree(t, set(names), where=where)
    return data


def _check_tree_arrays(data: dict, where: str) -> None:
    try:
        n = len(data["kind_of"])
        n_edges = len(data["children"])
        cols = ("player", "child_start", "n_children", "leaf")
        if any(len(data[c]) != n for c in cols):
            raise ValueError
        if len(data["edge_label"]) != n_edges or len(data["pref"]) != n_edges:
            raise ValueError
        n_pl = len(data["players"])
        rows = data["payoffs"]
        for i in range(n):
            s, k = int(data["child_start"][i]), int(data["n_children"][i])
            if not 0 <= s <= s + k <= n_edges:
                raise ValueError
            if any(not i < int(c) < n for c in data["children"][s : s + k]):
                raise ValueError  # preorder: children after their parent
            if data["kind_of"][i] == 0 and not 0 <= int(data["leaf"][i]) < len(rows):
                raise ValueError
            if data["kind_of"][i] == 1 and not 0 <= int(data["player"][i]) < n_pl:
                raise ValueError
        if any(len(r) != n_pl for r in rows):
            raise ValueError
        if any(not 0 <= int(e) < n_edges for e, _ in data["probs"]):
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise ExpressionError(where, "malformed tree plan") from None


def numeric_plan(
    model: Any,
    regime: str,
    *,
    structural: Mapping[str, float] | None = None,
    use_cache: bool = True,
) -> dict | None:
    """The plan of `regime`, read from the derivation cache or built (and stored).

    Parameters
    ----------
    model : Model
    regime : str
    structural : mapping, optional
        Values of integer (structural) parameters (defaults otherwise).
    use_cache : bool
        Read and write the derivation cache.

    Returns
    -------
    dict or None
        None when the regime has no plan (see the module docstring).

    Examples
    --------
    >>> import bargain as bg
    >>> numeric_plan(bg.load_model("entry_deterrence"), "entry")["players"]
    ['Entrant', 'Incumbent']
    """
    from bargain.symbolic.cache import cache_dir, load_entry, model_key, store_entry

    params = model.parameters
    fixed = params.resolve(**dict(structural or {}))
    fixed = {p.name: fixed[p.name] for p in params.parameters if p.integer}
    memo = model.__dict__.setdefault("_numeric_plans", {})
    mkey = (regime, tuple(sorted(fixed.items())), str(cache_dir()) if use_cache else None)
    if mkey in memo:
        return memo[mkey]
    key = model_key(model, what="numeric_plan", regime=regime, structural=fixed)
    plan: Any = None
    found = False
    if use_cache:
        data = load_entry(key)
        if data == "none":
            found = True
        elif data is not None:
            try:
                plan, found = check_plan(data), True
            except ExpressionError:
                plan = None  # a damaged entry: build again
    if not found:
        plan = build_plan(model, regime, fixed)
        if use_cache:
            store_entry(key, "none" if plan is None else plan)
    memo[mkey] = plan
    return plan
