"""The equilibrium table of a report: each regime's equilibrium at the baseline."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["equilibria_table"]


def equilibria_table(model: Any, **values: float) -> pd.DataFrame:
    """Per regime at the baseline (with `values` applied): the equilibrium (a path in a
    tree, a profile in normal form), agreement, how many equilibria there are and of what
    kind, the equilibrium set when it is not a single point, payoffs.  A regime whose
    game changes with an integer parameter gets a row per value that matters
    (:func:`~bargain.report.structure.structural_points`).

    Examples
    --------
    >>> import bargain as bg
    >>> equilibria_table(bg.load_model("entry_deterrence"))["agreement"].tolist()
    [True, True]
    """
    from bargain.report.structure import describe_equilibria, path_text, structural_points

    integer = [p.name for p in model.parameters.parameters if p.integer and p.name not in values]
    rows = []
    for name in model.regimes:
        for point in structural_points(model, name) if integer else [{}]:
            s = model.solve(name, **{**values, **point})
            tree = hasattr(s.result.game, "to_tikz")
            count, others = describe_equilibria(s)
            row = {"regime": name}
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
    frame = pd.DataFrame(rows)
    # an integer parameter no regime depends on stays out of the table
    return frame.drop(columns=[p for p in integer if not frame[p].any()])
