"""Long sweeps: chunked Parquet output, a checkpoint, and resuming after an interruption.

``run_sweep`` writes one Parquet file per chunk of the design (``chunk-000042.parquet``)
and a checkpoint (``checkpoint.json``: the design's spec and seed, the model's name and
source hash, the regime, outputs, chunk size, and the chunks done).  Each chunk is
written to a temporary file and renamed into place, then recorded in the checkpoint
(also replaced atomically), so a kill at any moment leaves only whole chunks counted as
done; ``resume=True`` computes the others.  Checkpoint updates and the "does the folder
hold a sweep already" check take the folder's file lock (``.sweep.lock``, via the
``filelock`` library), and each update merges the chunks other runs recorded, so two
runs resuming one folder at once both finish with the whole table.  ``load_sweep`` reads
the table back.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bargain.errors import BargainError, ParameterError

__all__ = ["CHECKPOINT", "load_sweep", "run_sweep"]

CHECKPOINT = "checkpoint.json"
FORMAT = 1


def _chunk_path(out: Path, k: int) -> Path:
    return out / f"chunk-{k:06d}.parquet"


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BargainError(f"{path}: unreadable checkpoint ({exc})") from None


def _lock(out: Path) -> Any:
    """The folder's lock (a maintained library, so stale locks of killed runs are freed)."""
    from filelock import FileLock

    return FileLock(out / ".sweep.lock", timeout=600)


def _merge_done(ckpt: Path, done: set[int]) -> set[int]:
    """Chunks done by this run and by any other run that shares the folder."""
    if ckpt.exists():
        done = done | {int(k) for k in _read_json(ckpt).get("done", [])}
    return done


def _record(lock: Any, ckpt: Path, state: dict, done: set[int]) -> set[int]:
    """Add this run's chunks to the checkpoint without losing another run's."""
    with lock:
        done = _merge_done(ckpt, done)
        state["done"] = sorted(done)
        _write_json(ckpt, state)
    return done


def _identity(model: Any, regime: str, design: Any, outputs: tuple[str, ...], size: int) -> dict:
    return {
        "format": FORMAT,
        "model": {"name": model.name, "source_sha256": model.source_hash()},
        "regime": regime,
        "design": design.spec(),
        "outputs": list(outputs),
        "chunk_size": size,
        "n_points": len(design),
        "n_chunks": design.n_chunks(size),
    }


def _compare(saved: dict, wanted: dict, out: Path) -> None:
    for key in ("format", "model", "regime", "design", "outputs", "chunk_size"):
        if saved.get(key) != wanted[key]:
            what = {"design": "design (method, n, seed, ranges or fixed values)"}.get(key, key)
            raise BargainError(
                f"cannot resume the sweep in {out}: its checkpoint has a different {what}: "
                f"{_short(saved.get(key))} != {_short(wanted[key])}; start a new sweep in "
                "another folder (or resume with the original settings)"
            )


def _short(x: Any) -> str:
    text = json.dumps(x, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


def run_sweep(
    model: Any,
    regime: str,
    design: Any,
    out_dir: str | os.PathLike[str],
    *,
    outputs: Sequence[str] = ("agreement",),
    chunk_size: int = 250_000,
    backend: str = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> Path:
    """Evaluate a design chunk by chunk into Parquet files, resumable after a kill.

    Parameters
    ----------
    model : Model or str
    regime : str
    design : Design
        From :func:`bargain.sweep.samples.design`.
    out_dir : path
        Folder for ``chunk-*.parquet``, ``checkpoint.json`` and (when finished)
        ``manifest.json``; created if needed.
    outputs : sequence of str
        ``agreement``, ``path``, ``payoffs``, ``payoff_<player>`` or closed-form outputs.
    chunk_size : int
        Points per chunk (per Parquet file and per task).  Memory is O(chunk_size).
    backend, workers, scheduler
        See :class:`bargain.sweep.backends.Backend`.
    resume : bool
        Continue the sweep already in `out_dir` (same model, regime, design, outputs and
        chunk size, else an error).  Without it, a folder holding a sweep is refused.
    progress : bool or callable, optional
        A tqdm bar with ETA (default: for designs of more than a million points), or a
        function ``progress(points_done, points_total)`` called after each chunk.

    Returns
    -------
    pathlib.Path
        `out_dir`; read the table with :func:`load_sweep`.

    Raises
    ------
    BargainError
        A folder holding a sweep without `resume`, or a checkpoint that does not match.

    Examples
    --------
    >>> import tempfile, bargain as bg
    >>> from bargain.sweep.samples import design
    >>> m = bg.load_model("entry_deterrence")
    >>> d = design(m, method="grid", vary={"commitment_cost": (0, 4, 5)})
    >>> out = run_sweep(m, "entry_commitment", d, tempfile.mkdtemp(), chunk_size=2)
    >>> load_sweep(out)["agreement"].tolist()
    [True, True, True, False, False]
    """
    from bargain.models import load_model
    from bargain.sweep.backends import Backend, check_outputs
    from bargain.sweep.samples import Design, _chunk_size

    if isinstance(model, str):
        model = load_model(model)
    if not isinstance(design, Design):
        raise ParameterError("design", "pass a Design from bargain.sweep.samples.design(...)")
    if tuple(design.names) != tuple(model.parameters.names):
        raise ParameterError("design", f"was made for other parameters than {model.name!r}'s")
    model.regime(regime)
    outputs = check_outputs(model, regime, outputs)
    size = _chunk_size(chunk_size)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wanted = _identity(model, regime, design, outputs, size)
    ckpt = out / CHECKPOINT
    lock = _lock(out)
    # The check "does this folder hold a sweep?" and the first checkpoint write are one
    # step under the folder's lock, so two runs cannot both start the same folder.
    with lock:
        done: set[int] = set()
        if ckpt.exists():
            if not resume:
                raise BargainError(
                    f"{out} already holds a sweep ({CHECKPOINT}); pass resume=True (--resume) "
                    "to continue it, or choose another folder"
                )
            saved = _read_json(ckpt)
            _compare(saved, wanted, out)
            done = {int(k) for k in saved.get("done", [])}
        elif any(out.glob("chunk-*.parquet")):
            raise BargainError(
                f"{out} holds chunk files but no {CHECKPOINT}; choose another folder"
            )
        state = {**wanted, "done": sorted(done), "complete": False}
        _write_json(ckpt, state)
    n_chunks = wanted["n_chunks"]
    todo = [k for k in range(n_chunks) if k not in done]
    total = len(design)
    done_points = total - sum(min(size, total - k * size) for k in todo)
    start = time.perf_counter()
    bar = _bar(progress, total, done_points, f"{model.name}:{regime}")
    runner = Backend(backend, workers=workers, scheduler=scheduler)
    try:
        with runner:
            for k, columns in runner.map(
                model, regime, outputs, design, todo, size, with_parameters=design.vary
            ):
                _write_chunk(out, k, size, columns)
                done.add(k)
                done = _record(lock, ckpt, state, done)
                n = len(next(iter(columns.values())))
                done_points += n
                if callable(progress):
                    progress(done_points, total)
                elif bar is not None:
                    bar.update(n)
    finally:
        if bar is not None:
            bar.close()
    with lock:
        done = _merge_done(ckpt, done)
        state["done"] = sorted(done)
        state["complete"] = len(done) == n_chunks
        _write_json(ckpt, state)
    _write_manifest(out, model, regime, design, outputs, size, runner, start, len(todo))
    return out


def _bar(progress: Any, total: int, initial: int, desc: str) -> Any:
    show = progress if isinstance(progress, bool) else (progress is None and total > 1_000_000)
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="pt", unit_scale=True, desc=desc)


def _write_chunk(out: Path, k: int, size: int, columns: dict[str, np.ndarray]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = len(next(iter(columns.values())))
    data = {"point": np.arange(k * size, k * size + n, dtype=np.int64)}
    strings = []
    for name, values in columns.items():
        if values.dtype == object:
            strings.append(name)
        data[name] = values.tolist() if values.dtype == object else values
    final = _chunk_path(out, k)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    # dictionary-encode only the labels (paths): on distinct floats it costs ~4x the write
    pq.write_table(pa.table(data), tmp, use_dictionary=strings)
    os.replace(tmp, final)


def _write_manifest(out, model, regime, design, outputs, size, runner, start, computed) -> None:
    from importlib import metadata

    from bargain.formats.manifest import build_manifest, write_manifest

    manifest = build_manifest(
        model=model,
        regime=regime,
        method="spe (batch kernel, tie rule: agreement action)",
        design=design.spec(),
        seed=design.seed,
        outputs=list(outputs),
        chunk_size=size,
        n_points=len(design),
        chunks_computed_last_run=computed,
        seconds_last_run=round(time.perf_counter() - start, 3),
        pyarrow=metadata.version("pyarrow"),
        **runner.describe(),
    )
    write_manifest(manifest, out / "manifest.json")


def load_sweep(
    out_dir: str | os.PathLike[str], *, columns: Sequence[str] | None = None, partial: bool = False
) -> Any:
    """Read a sweep written by :func:`run_sweep` as a pandas DataFrame (in point order).

    Parameters
    ----------
    out_dir : path
    columns : sequence of str, optional
        Read only these columns (``point`` is always included).
    partial : bool
        Read the chunks done so far of an unfinished sweep (otherwise an error).

    Examples
    --------
    >>> import tempfile, bargain as bg
    >>> from bargain.sweep.samples import design
    >>> m = bg.load_model("entry_deterrence")
    >>> d = design(m, method="sobol", n=8, vary=["commitment_cost"], seed=1)
    >>> out = run_sweep(m, "entry", d, tempfile.mkdtemp(), outputs=["path"])
    >>> load_sweep(out).columns.tolist()
    ['point', 'commitment_cost', 'path']
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out_dir)
    ckpt = out / CHECKPOINT
    if not ckpt.exists():
        raise BargainError(f"{out} holds no sweep ({CHECKPOINT} not found)")
    state = json.loads(ckpt.read_text(encoding="utf-8"))
    done = sorted(int(k) for k in state.get("done", []))
    if len(done) < state["n_chunks"] and not partial:
        raise BargainError(
            f"the sweep in {out} is unfinished ({len(done)} of {state['n_chunks']} chunks); "
            "resume it (run_sweep(..., resume=True) or --resume) or pass partial=True"
        )
    cols = None if columns is None else ["point", *[c for c in columns if c != "point"]]
    tables = [pq.read_table(_chunk_path(out, k), columns=cols) for k in done]
    if not tables:
        return pd.DataFrame()
    return pa.concat_tables(tables).to_pandas().reset_index(drop=True)
