"""The equilibrium table of a report: each regime's equilibrium at the baseline."""

from __future__ import annotations

from typing import Any

__all__ = ["equilibria_rows", "equilibria_table"]


def equilibria_table(model: Any, **values: float) -> Any:
    """Per regime at the baseline (with `values` applied): SPE path, payoffs, agreement.

    Returns a :class:`pandas.DataFrame` of :func:`equilibria_rows` solved by
    :meth:`Model.solve <bargain.models.Model.solve>`.

    Examples
    --------
    >>> import bargain as bg
    >>> equilibria_table(bg.load_model("entry_deterrence"))["agreement"].tolist()
    [True, True]
    """
    import pandas as pd

    return pd.DataFrame([_solved_row(model, name, values) for name in model.regimes])


def _solved_row(model: Any, name: str, values: dict) -> dict[str, Any]:
    s = model.solve(name, **values)
    players = getattr(s.result.game, "players", ())
    return _row(name, s.path, s.agreement, len(s.paths), players, s.payoffs)


def _row(name, path, agreement, n_paths, players, payoffs) -> dict[str, Any]:
    row = {
        "regime": name,
        "equilibrium path": " -> ".join(path),
        "agreement": bool(agreement),
        "SPE paths": n_paths,
    }
    for player, v in zip(players, payoffs, strict=True):
        row[f"payoff {player}"] = float(v)
    return row


def equilibria_rows(model: Any, *, use_cache: bool = True) -> list[dict[str, Any]]:
    """The rows of :func:`equilibria_table` at the baseline, from each regime's plan
    (:mod:`bargain.sweep.plan`, :func:`bargain.sweep.numpy_spe.baseline_equilibria`): no
    SymPy, no compile on a warm run.  A regime without a plan, or whose baseline needs a
    mixed equilibrium, is solved by :meth:`Model.solve <bargain.models.Model.solve>`.

    Examples
    --------
    >>> import bargain as bg
    >>> [r["equilibrium path"] for r in equilibria_rows(bg.load_model("entry_deterrence"))]
    ['In -> Accommodate', 'Commit -> Out']
    """
    import numpy as np

    from bargain.sweep.numpy_spe import baseline_equilibria
    from bargain.sweep.plan import numeric_plan

    point = np.array(model.parameters.vector(), dtype=float)
    rows = []
    for name in model.regimes:
        plan = numeric_plan(model, name, use_cache=use_cache)
        found = baseline_equilibria(plan, point) if plan is not None else None
        if found is None:
            rows.append(_solved_row(model, name, {}))
            continue
        rows.append(
            _row(
                name,
                found["path"],
                found["agreement"],
                found["n_paths"],
                plan["players"],
                found["payoffs"],
            )
        )
    return rows
