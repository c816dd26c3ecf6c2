"""Provenance written beside every table: what was computed, from what, by which version."""

from __future__ import annotations

import datetime as _dt
import platform
from pathlib import Path
from typing import Any

from bargain.formats.files import atomic_write_text, json_text

__all__ = ["build_manifest", "write_manifest"]


def build_manifest(*, model: Any = None, regime: str | None = None, **fields: Any) -> dict:
    """A JSON-ready dict: package and library versions, model name and source hash, the
    parameter values and grid, method, seed, date, plus any `fields` given.

    Examples
    --------
    >>> m = build_manifest(method="spe", grid={"q": [0, 1, 3]})
    >>> m["package"], m["method"]
    ('bargain-games', 'spe')
    """
    from bargain._version import __version__

    out: dict[str, Any] = {
        "package": "bargain-games",
        "version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "libraries": _library_versions(),
    }
    if model is not None:
        out["model"] = {
            "name": model.name,
            "title": model.title,
            "source_sha256": model.source_hash(),
            "references": [_reference(r) for r in model.references],
        }
        out["parameters"] = model.parameters.table()
    if regime is not None:
        out["regime"] = regime
    out.update(fields)
    return out


def _reference(ref: Any) -> Any:
    return ref.to_dict() if hasattr(ref, "to_dict") else str(ref)


def _library_versions() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for name in ("numpy", "scipy", "numba", "sympy", "pandas", "matplotlib"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def write_manifest(manifest: dict, path: str | Path) -> Path:
    """Write `manifest` as indented JSON; return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_manifest({"a": 1}, pathlib.Path(tempfile.mkdtemp()) / "manifest.json")
    >>> p.read_text()
    '{\\n  "a": 1\\n}\\n'
    """
    return atomic_write_text(path, json_text(manifest))
