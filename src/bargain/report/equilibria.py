"""The equilibria table of a report: each regime at the baseline."""

from __future__ import annotations

from typing import Any

__all__ = ["equilibria_rows", "equilibria_table"]


def equilibria_table(model: Any, **values: float) -> Any:
    """Per regime at the baseline (with `values` applied): the equilibrium (a path in a
    tree, a profile in normal form), agreement, how many equilibria there are and of what
    kind, the equilibrium set when it is not a single point, payoffs.  A regime whose
    game changes with an integer parameter gets a row per value that matters
    (:func:`~bargain.report.structure.structural_points`).

    Returns a :class:`pandas.DataFrame`.

    Examples
    --------
    >>> import bargain as bg
    >>> equilibria_table(bg.load_model("entry_deterrence"))["agreement"].tolist()
    [True, True]
    """
    import pandas as pd

    rows, integer = _structured_rows(model, values)
    frame = pd.DataFrame(rows)
    # an integer parameter no regime depends on stays out of the table
    return frame.drop(columns=[p for p in integer if not frame[p].any()])


def _structured_rows(model: Any, values: dict) -> tuple[list[dict[str, Any]], list[str]]:
    from bargain.report.structure import describe_equilibria, path_text, structural_points

    integer = [p.name for p in model.parameters.parameters if p.integer and p.name not in values]
    rows = []
    for name in model.regimes:
        for point in structural_points(model, name) if integer else [{}]:
            s = model.solve(name, **{**values, **point})
            tree = hasattr(s.result.game, "to_tikz")
            count, others = describe_equilibria(s)
            row: dict[str, Any] = {"regime": name}
            for p in integer:
                row[p] = str(point[p]) if p in point else ""
            row |= {
                "equilibrium": path_text(s.path) if tree else "(" + "; ".join(s.path) + ")",
                "agreement": bool(s.agreement),
                "equilibria": count,
                "equilibrium set": others,
            }
            players = getattr(s.result.game, "players", ())
            for player, v in zip(players, s.payoffs, strict=True):
                row[f"payoff {player}"] = float(v)
            rows.append(row)
    return rows, integer


def equilibria_rows(model: Any, *, use_cache: bool = True) -> list[dict[str, Any]]:
    """The rows of :func:`equilibria_table` at the baseline, as dicts (no pandas), kept in
    the derivation cache (:mod:`bargain.symbolic.cache`: keyed by the model's source hash,
    the package version and the baseline), so a warm report solves nothing again.

    Examples
    --------
    >>> import bargain as bg
    >>> [r["equilibrium"] for r in equilibria_rows(bg.load_model("entry_deterrence"))]
    ['In -> Accommodate', 'Commit -> Out']
    """
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    key = model_key(model, what="equilibria_rows", baseline=model.parameters.defaults)
    if use_cache:
        cached = load_entry(key)  # rows as [column, value] pairs: the store sorts dict keys
        if isinstance(cached, list) and all(isinstance(r, list) for r in cached):
            return [{k: v for k, v in r} for r in cached]
    rows, integer = _structured_rows(model, {})
    unused = [p for p in integer if not any(r.get(p) for r in rows)]
    rows = [{k: v for k, v in r.items() if k not in unused} for r in rows]
    if use_cache:
        store_entry(key, [[[k, v] for k, v in r.items()] for r in rows])
    return rows
