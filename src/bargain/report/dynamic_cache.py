"""The derivation-cache entries of the stochastic report: JSON rows keyed by the baseline.

Rows are stored as ``[column, value]`` pairs (the cache writes dict keys sorted, a table
keeps its column order) with native Python values; a table read back is the same table
(:class:`~bargain.formats.tables.Rows` writes what pandas writes).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["model_tables"]


def _cached(
    model: Any,
    what: str,
    compute: Callable[[], Any],
    ok: Callable[[Any], bool],
    use_cache: bool,
    **fields: Any,
) -> Any:
    """`compute()` (JSON-ready), kept in the derivation cache under the model's source
    hash, the package version, the baseline and `fields`."""
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    key = model_key(model, what=what, baseline=model.parameters.defaults, **fields)
    if use_cache:
        data = load_entry(key)
        if data is not None and ok(data):
            return data
    data = compute()
    if use_cache:
        store_entry(key, data)
    return data


def _native(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _rows_data(rows: list[dict[str, Any]]) -> list[list[list[Any]]]:
    """Rows as ``[column, value]`` pairs (the cache sorts dict keys), values native."""
    return [[[k, _native(v)] for k, v in r.items()] for r in rows]


def _is_rows(data: Any) -> bool:
    return isinstance(data, list) and all(
        isinstance(r, list) and all(isinstance(c, list) and len(c) == 2 for c in r) for r in data
    )


def _from_data(data: list) -> list[dict[str, Any]]:
    return [{k: v for k, v in r} for r in data]


def model_tables(model: Any, *, use_cache: bool = True) -> dict[str, list[dict[str, Any]]]:
    """``{name: rows}`` of the model's own tables (``Model.tables``, each function called
    with the model), kept in the derivation cache (keyed by the model's source hash, the
    package version, the baseline and the source of every model file: a table may compare
    the model with others).

    Examples
    --------
    >>> import bargain as bg
    >>> t = model_tables(bg.load_model("staged_withdrawal"))
    >>> list(t), t["comparison"][0]["regime"]
    (['binding_stage', 'timing', 'comparison'], 'staged')
    """

    def compute() -> list:
        from contextlib import nullcontext

        from bargain.symbolic import cache

        out = []
        for name, fn in model.tables.items():
            with nullcontext() if use_cache else cache.bypassed():  # what the table derives
                frame = fn(model)
            cols = [str(c) for c in frame.columns]
            rows = [dict(zip(cols, r, strict=True)) for r in frame.itertuples(index=False)]
            out.append([name, _rows_data(rows)])
        return out

    def ok(data: Any) -> bool:
        return (
            isinstance(data, list)
            and [d[0] for d in data if isinstance(d, list) and len(d) == 2] == list(model.tables)
            and all(_is_rows(d[1]) for d in data)
        )

    # a table may use other models (the comparison table loads withdrawal_sequencing): the
    # key holds the source of every model file, so that a change to any is seen
    data = _cached(
        model, "stochastic_model_tables", compute, ok, use_cache, models=_models_digest()
    )
    return {name: _from_data(rows) for name, rows in data}


def _models_digest() -> str:
    """SHA-256 over the name and contents of every model file in the model folders."""
    import hashlib

    from bargain.models import model_dirs

    h = hashlib.sha256()
    for d in model_dirs():
        for f in sorted(d.glob("*.py")):
            h.update(f"{d}/{f.name}\0".encode())
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()
