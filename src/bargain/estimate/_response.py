"""Outcome columns → outcome codes: action dummies or one categorical/numeric column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bargain.errors import DataError

__all__ = ["dummy_column", "outcome_codes"]


def dummy_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A 0/1 action column as an int array; anything else raises DataError naming it."""
    col = frame[name]
    if isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == object:
        raise DataError(name, f"an action column must hold 0 and 1, found {col.dtype} values")
    values = np.asarray(col, dtype=float)
    bad = (values != 0.0) & (values != 1.0)
    if bad.any():
        raise DataError(name, f"an action column must hold only 0 and 1, found {values[bad][0]:g}")
    return values.astype(np.int64)


def outcome_codes(
    frame: pd.DataFrame, name: str, n_outcomes: int, model: str
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Codes 0..n-1 and level labels from one outcome column.

    A categorical column maps its levels in order (unused levels dropped, as R does);
    a numeric or string column maps its sorted distinct values.
    """
    col = frame[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        col = col.cat.remove_unused_categories()
        levels = tuple(str(c) for c in col.cat.categories)
        codes = np.asarray(col.cat.codes, dtype=np.int64)
    else:
        uniq = np.unique(np.asarray(col))
        levels = tuple(str(u.item() if hasattr(u, "item") else u) for u in uniq)
        codes = np.searchsorted(uniq, np.asarray(col)).astype(np.int64)
        if np.issubdtype(uniq.dtype, np.floating):
            levels = tuple(f"{u:g}" for u in uniq)
    if len(levels) != n_outcomes:
        raise DataError(
            name,
            f"{model} has {n_outcomes} outcomes, the outcome column has {len(levels)} "
            f"distinct values ({', '.join(levels[:8])}); a level the game tree cannot "
            "produce, or a missing one",
        )
    return codes, levels
