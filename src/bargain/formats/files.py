"""Outputs that are whole or plainly unfinished: atomic files and report bundles.

A table, figure or manifest is written to a temporary file beside its target and moved
into place with :func:`os.replace` (atomic on POSIX), so a reader never sees half a file.

A *bundle* (the folder ``bargain report`` writes) is built in a hidden folder beside the
target.  Only when every file is complete are the files moved into the target folder,
after its old manifest has been removed and a marker ``INCOMPLETE`` put in its place; the
new manifest, which lists every file with its SHA-256, is moved last and the marker
removed.  So a run killed at any moment leaves either the old bundle as it was (killed
while writing) or a folder without a manifest and with the marker (killed while moving);
never new tables beside an old figure under a manifest that describes neither.
:func:`verify_bundle` checks a folder against its manifest.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "bundle"
>>> with Bundle(out) as b:
...     _ = b.write_text("a.txt", "hello\\n")
...     _ = b.finish({"what": "demo"})
>>> verify_bundle(out)["files"]["a.txt"][:12]
'5891b5b522d5'
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bargain.errors import BargainError

__all__ = [
    "MARKER",
    "Bundle",
    "atomic_write",
    "atomic_write_text",
    "json_text",
    "save_figure",
    "sha256_file",
    "verify_bundle",
]

#: The file that marks a bundle folder whose files are being replaced.
MARKER = "INCOMPLETE"
_MANIFEST = "manifest.json"


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` to `path` through a temporary file and an atomic rename.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / "t.txt", "x")
    >>> p.read_text()
    'x'
    """
    path = Path(path)
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def atomic_write(path: Path, writer: Callable[[Path], Any]) -> Path:
    """Call ``writer(tmp)`` to fill a temporary file beside `path`, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def save_figure(
    fig: Any, stem: str | os.PathLike[str], *, dpi: int = 150, tight: bool = False
) -> list[Path]:
    """Save a Matplotlib figure as ``stem.pdf`` and ``stem.png``, each atomically.

    `tight` crops to the drawn content (nothing outside the figure is cut off, e.g. a
    legend wider than a one-column figure).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig = plt.figure()
    >>> [p.suffix for p in save_figure(fig, pathlib.Path(tempfile.mkdtemp()) / "f")]
    ['.pdf', '.png']
    >>> plt.close(fig)
    """
    stem = Path(stem)
    out = []
    extra = {"bbox_inches": "tight", "pad_inches": 0.03} if tight else {}
    for fmt in ("pdf", "png"):
        target = stem.with_suffix(f".{fmt}")
        out.append(
            atomic_write(target, lambda tmp, f=fmt: fig.savefig(tmp, format=f, dpi=dpi, **extra))
        )
    return out


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, as hex.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e"
    >>> _ = p.write_bytes(b"")
    >>> sha256_file(p)[:8]
    'e3b0c442'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Bundle:
    """A folder of outputs written all at once (see the module docstring).

    Parameters
    ----------
    out : path
        The target folder; it may exist (its files of the same names are replaced, other
        files are left alone).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> with Bundle(out) as b:
    ...     p = b.path("t.csv")
    ...     _ = p.write_text("a,b\\n")
    ...     written = b.finish({"rows": 0})
    >>> [p.name for p in written]
    ['t.csv', 'manifest.json']
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.names: list[str] = []
        self.staging: Path | None = None
        self.done = False

    def __enter__(self) -> Bundle:
        parent = self.out.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.partial-", dir=parent))
        (self.staging / MARKER).write_text("bundle being written by bargain\n")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.staging is not None and (self.done or exc[0] is not None):
            shutil.rmtree(self.staging, ignore_errors=True)

    def path(self, name: str) -> Path:
        """Where to write the file `name` now (inside the staging folder)."""
        if self.staging is None:
            raise BargainError("a Bundle is used inside 'with Bundle(out) as b:'")
        parts = name.split("/")
        plain = all(p and Path(p).name == p and p not in (".", "..") for p in parts)
        if not plain or len(parts) > 2 or name in (_MANIFEST, MARKER):
            raise BargainError(
                f"bundle file names are plain (or folder/name) and not reserved, got {name!r}"
            )
        if name not in self.names:
            self.names.append(name)
        if len(parts) == 2:
            (self.staging / parts[0]).mkdir(exist_ok=True)
        return self.staging / name

    def write_text(self, name: str, text: str) -> Path:
        """Write a text file into the bundle; return its staging path."""
        p = self.path(name)
        p.write_text(text, encoding="utf-8")
        return p

    def finish(self, manifest: dict[str, Any]) -> list[Path]:
        """Hash every file into `manifest`, move the files into place, manifest last.

        Returns the final paths, the manifest last.
        """
        assert self.staging is not None
        missing = [n for n in self.names if not (self.staging / n).is_file()]
        if missing:
            raise BargainError(f"bundle files were announced but not written: {missing}")
        manifest = dict(manifest)
        manifest["files"] = {n: sha256_file(self.staging / n) for n in self.names}
        (self.staging / _MANIFEST).write_text(json_text(manifest), encoding="utf-8")
        self.out.mkdir(parents=True, exist_ok=True)
        # From here until the new manifest lands, the folder says it is incomplete.
        (self.out / MARKER).write_text("bundle being replaced by bargain\n")
        (self.out / _MANIFEST).unlink(missing_ok=True)
        final = []
        for n in self.names:
            (self.out / n).parent.mkdir(exist_ok=True)
            os.replace(self.staging / n, self.out / n)
            final.append(self.out / n)
        os.replace(self.staging / _MANIFEST, self.out / _MANIFEST)
        (self.out / MARKER).unlink(missing_ok=True)
        self.done = True
        return [*final, self.out / _MANIFEST]


def verify_bundle(out: str | os.PathLike[str]) -> dict[str, Any]:
    """Check a bundle folder against its manifest; return the manifest.

    Raises
    ------
    BargainError
        If the folder is marked incomplete, has no manifest, or a listed file is missing
        or differs from its recorded SHA-256 (naming the file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> verify_bundle(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    bargain.errors.BargainError: ... has no manifest.json: not a finished bundle
    """
    out = Path(out)
    if (out / MARKER).exists():
        raise BargainError(f"{out} is marked {MARKER}: a run was interrupted; run it again")
    try:
        manifest = json.loads((out / _MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BargainError(f"{out} has no {_MANIFEST}: not a finished bundle") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise BargainError(f"{out / _MANIFEST}: unreadable ({exc})") from None
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BargainError(f"{out / _MANIFEST}: lists no files with their hashes")
    for name, digest in files.items():
        p = out / name
        if not p.is_file():
            raise BargainError(f"{p}: listed in the manifest but missing")
        if sha256_file(p) != digest:
            raise BargainError(f"{p}: differs from the manifest (another run changed it?)")
    return manifest


def json_text(data: Any) -> str:
    """`data` as indented JSON text (NumPy values as plain numbers), for manifests.

    Examples
    --------
    >>> import numpy as np
    >>> print(json_text({"n": np.int64(3)}), end="")
    {
      "n": 3
    }
    """
    return json.dumps(data, indent=2, default=_default) + "\n"


def _default(x: Any) -> Any:
    import numpy as np

    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)
