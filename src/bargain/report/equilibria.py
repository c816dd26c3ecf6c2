"""The equilibrium table of a report: each regime's equilibrium at the baseline."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["equilibria_table"]


def equilibria_table(model: Any, **values: float) -> pd.DataFrame:
    """Per regime at the baseline (with `values` applied): SPE path, payoffs, agreement.

    Examples
    --------
    >>> import bargain as bg
    >>> equilibria_table(bg.load_model("entry_deterrence"))["agreement"].tolist()
    [True, True]
    """
    rows = []
    for name in model.regimes:
        s = model.solve(name, **values)
        row = {
            "regime": name,
            "equilibrium path": " -> ".join(s.path),
            "agreement": bool(s.agreement),
            "SPE paths": len(s.paths),
        }
        players = getattr(s.result.game, "players", ())
        for player, v in zip(players, s.payoffs, strict=True):
            row[f"payoff {player}"] = float(v)
        rows.append(row)
    return pd.DataFrame(rows)
