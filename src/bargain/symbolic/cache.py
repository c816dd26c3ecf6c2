"""A disk cache of derived conditions, as JSON text read back by the safe expression reader.

Deriving a model's conditions (symbolic backward induction, solving each inequality for a
parameter, LaTeX) takes seconds; a report needs the same results every time the model is
unchanged.  Entries are JSON files named by the SHA-256 of their *key* (model name, model
source hash, package version, structural parameter values, what is stored), so a changed
model file or a new version of the package never reads an old entry.

Nothing in an entry is executed: expressions are stored as the text ``str()`` of SymPy
prints and rebuilt with :func:`bargain.games.expression.parse_expression`, which builds
SymPy objects node by node from a whitelist (no ``eval``, ``sympify`` or pickle).  A
corrupt or foreign entry is ignored and derived again.

The folder is ``$BARGAIN_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/bargain`` (default
``~/.cache/bargain``); entries are written atomically.  ``bargain cache clear`` empties
it; ``bargain report --no-cache`` neither reads nor writes it.

Examples
--------
>>> key = {"what": "demo", "n": 1}
>>> load_entry(key) is None
True
>>> _ = store_entry(key, {"x": [1, 2]})
>>> load_entry(key)
{'x': [1, 2]}
>>> entry_path(key).unlink()
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bargain.formats.files import atomic_write_text

__all__ = [
    "bypassed",
    "cache_dir",
    "clear_cache",
    "entry_path",
    "load_entry",
    "model_key",
    "store_entry",
]

#: bumped when the layout of entries changes (old entries are then never read)
FORMAT = 4
_SUFFIX = ".json"


def cache_dir() -> Path:
    """The cache folder (created when an entry is first stored).

    Examples
    --------
    >>> cache_dir().is_absolute()
    True
    """
    env = os.environ.get("BARGAIN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bargain"


def model_key(model: Any, **fields: Any) -> dict[str, Any]:
    """The key of a model's entry: name, source hash, package version, and `fields`.

    Examples
    --------
    >>> import bargain as bg
    >>> k = model_key(bg.load_model("entry_deterrence"), regime="entry")
    >>> sorted(k)
    ['format', 'model', 'regime', 'source_sha256', 'version']
    """
    from bargain._version import __version__

    return {
        "format": FORMAT,
        "model": model.name,
        "source_sha256": model.source_hash(),
        "version": __version__,
        **fields,
    }


def _digest(key: dict[str, Any]) -> str:
    text = json.dumps(key, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def entry_path(key: dict[str, Any]) -> Path:
    """Where the entry of `key` is stored.

    Examples
    --------
    >>> entry_path({"a": 1}).suffix
    '.json'
    """
    return cache_dir() / f"{_digest(key)}{_SUFFIX}"


_BYPASSED = [0]


@contextlib.contextmanager
def bypassed() -> Iterator[None]:
    """Within the block, :func:`load_entry` finds nothing and :func:`store_entry` stores
    nothing: ``--no-cache`` for code that takes no ``use_cache`` argument (a model's own
    tables).

    Examples
    --------
    >>> key = {"what": "bypassed example"}
    >>> with bypassed():
    ...     store_entry(key, [1]) is None, load_entry(key) is None
    (True, True)
    """
    _BYPASSED[0] += 1
    try:
        yield
    finally:
        _BYPASSED[0] -= 1


def load_entry(key: dict[str, Any]) -> Any | None:
    """The stored data of `key`, or None (absent, unreadable, or stored under another key).

    Examples
    --------
    >>> load_entry({"what": "never stored"}) is None
    True
    """
    if _BYPASSED[0]:
        return None
    path = entry_path(key)
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != json.loads(
        json.dumps(key, sort_keys=True, default=str)
    ):
        return None
    return entry.get("data")


def store_entry(key: dict[str, Any], data: Any) -> Path | None:
    """Store `data` (JSON-ready) under `key`, atomically; None when the folder is not
    writable (the cache is an optimization, never a reason to fail).

    Examples
    --------
    >>> p = store_entry({"what": "example"}, [1.5])
    >>> load_entry({"what": "example"}), p.suffix
    ([1.5], '.json')
    >>> p.unlink()
    """
    if _BYPASSED[0]:
        return None
    entry = {"key": key, "data": data}
    try:
        return atomic_write_text(entry_path(key), json.dumps(entry, sort_keys=True, default=str))
    except OSError:
        return None


def clear_cache() -> int:
    """Delete every entry of the cache folder; return how many were deleted.

    Examples
    --------
    >>> import os, tempfile
    >>> old = os.environ.get("BARGAIN_CACHE_DIR")
    >>> os.environ["BARGAIN_CACHE_DIR"] = tempfile.mkdtemp()
    >>> _ = store_entry({"what": "a"}, 1), store_entry({"what": "b"}, 2)
    >>> clear_cache()
    2
    >>> if old is None:
    ...     del os.environ["BARGAIN_CACHE_DIR"]
    ... else:
    ...     os.environ["BARGAIN_CACHE_DIR"] = old
    """
    folder = cache_dir()
    n = 0
    if folder.is_dir():
        for f in folder.glob(f"*{_SUFFIX}"):
            f.unlink(missing_ok=True)
            n += 1
    return n
