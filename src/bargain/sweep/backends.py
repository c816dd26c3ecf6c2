"""Where a design's chunks are evaluated: one thread, Numba's threads, or a Dask cluster.

Every backend runs the same compiled kernel on each chunk (through
:func:`bargain.sweep.evaluate.evaluate_points`), so results are identical across
backends; only the schedule differs.

* ``serial``: the kernel with ``parallel=False``, chunk after chunk.
* ``parallel`` (the default, ``"auto"``): the kernel spreads each chunk over Numba's
  threads.
* ``dask``: chunks go to ``dask.distributed`` workers (one thread each, kernel with
  ``parallel=False``), at most a few chunks per worker in flight so memory stays bounded.
  Give ``scheduler="tcp://host:port"`` to use a running cluster, or ``workers=N`` for a
  local cluster of `N` processes on the loopback interface, closed afterwards.  Workers
  load the model from its source file and compute their chunk's points from the design
  themselves, so only small descriptions travel.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from bargain.errors import BargainError, ParameterError

__all__ = ["BACKENDS", "Backend", "check_outputs", "output_columns"]

BACKENDS = ("auto", "serial", "parallel", "dask")
#: per-point outputs of a sweep, besides ``payoff_<player>`` and closed-form model outputs
EQUILIBRIUM_OUTPUTS = ("agreement", "path", "payoffs")


def check_outputs(model: Any, regime: str | None, outputs: Sequence[str]) -> tuple[str, ...]:
    """Validate output names for `model` (and `regime`); return them as a tuple.

    Examples
    --------
    >>> import bargain as bg
    >>> check_outputs(bg.load_model("entry_deterrence"), "entry", ["agreement", "payoff_Entrant"])
    ('agreement', 'payoff_Entrant')
    """
    if isinstance(outputs, str):
        outputs = [outputs]
    outputs = tuple(outputs)
    if not outputs:
        raise ParameterError("outputs", "name at least one output")
    players: tuple[str, ...] = ()
    if regime is not None:
        players = tuple(model.game(regime, symbolic=True).players)
    known = (*EQUILIBRIUM_OUTPUTS, *(f"payoff_{p}" for p in players), *model.outputs)
    for name in outputs:
        if name not in known:
            raise ParameterError("outputs", f"unknown output {name!r}; choose from {known}")
        if regime is None and name not in model.outputs:
            raise ParameterError(
                "regime", f"output {name!r} is an equilibrium output: name the regime"
            )
    return outputs


def output_columns(
    model: Any,
    regime: str | None,
    outputs: Sequence[str],
    points: np.ndarray,
    *,
    parallel: bool = True,
) -> dict[str, np.ndarray]:
    """The requested outputs at each point, as named columns.

    ``agreement`` (bool), ``path`` (``"A -> B"``), ``payoffs`` (one ``payoff_<player>``
    column each), ``payoff_<player>``, and closed-form model outputs.

    Examples
    --------
    >>> import numpy as np, bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> cols = output_columns(m, "entry", ["path", "payoffs"], np.array([m.parameters.vector()]))
    >>> cols["path"].tolist(), cols["payoff_Incumbent"].tolist()
    (['In -> Accommodate'], [3.0])
    """
    from bargain.sweep.evaluate import evaluate_points

    out: dict[str, np.ndarray] = {}
    outcome = None
    if any(o not in model.outputs for o in outputs):
        outcome = evaluate_points(model, regime, points, parallel=parallel)
    for name in outputs:
        if name in model.outputs:
            out[name] = model.evaluate_output(name, points)
        elif name == "agreement":
            out[name] = outcome.agreement
        elif name == "path":
            labels = [" -> ".join(p) for p in outcome.paths] + ["(no pure equilibrium)"]
            out[name] = np.array(labels, dtype=object)[outcome.path_id]
        elif name == "payoffs":
            for i, player in enumerate(outcome.players):
                out[f"payoff_{player}"] = outcome.payoffs[:, i]
        else:
            player = name[len("payoff_") :]
            out[name] = outcome.payoffs[:, outcome.players.index(player)]
    return out


# --- worker side -----------------------------------------------------------------------


def _model_ref(model: Any) -> Any:
    """What a worker needs to load the model: its source file, else the object itself."""
    return model.source_path or model


def _load(ref: Any) -> Any:
    if isinstance(ref, str):
        from bargain.models import load_model

        return load_model(ref)
    return ref


def _run_task(
    ref: Any,
    regime: str | None,
    outputs: tuple[str, ...],
    source: Any,
    parallel: bool,
    with_parameters: tuple[str, ...] = (),
) -> dict[str, np.ndarray]:
    """Evaluate one chunk; `source` is a points array or ``(design, index, size)``.

    The columns of the parameters named in `with_parameters` come first.
    """
    model = _load(ref)
    points = source if isinstance(source, np.ndarray) else source[0].chunk(source[1], source[2])
    names = list(model.parameters.names)
    out = {p: points[:, names.index(p)] for p in with_parameters}
    out.update(output_columns(model, regime, outputs, points, parallel=parallel))
    return out


# --- driver side -----------------------------------------------------------------------


class Backend:
    """A context manager that evaluates chunks on the chosen backend.

    Parameters
    ----------
    backend : {"auto", "serial", "parallel", "dask"}
        ``"auto"``: ``"dask"`` if `workers` or `scheduler` is given, else ``"parallel"``.
    workers : int, optional
        Dask: number of local worker processes (default 2) when no `scheduler` is given.
    scheduler : str, optional
        Dask: address of a running scheduler (``"tcp://127.0.0.1:8786"``).

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain.sweep.samples import design
    >>> m = bg.load_model("entry_deterrence")
    >>> d = design(m, method="grid", vary={"commitment_cost": (0, 4, 5)})
    >>> with Backend("serial") as b:
    ...     done = dict(b.map(m, "entry_commitment", ("agreement",), d, [0, 1], 3))
    >>> done[0]["agreement"].tolist(), done[1]["agreement"].tolist()
    ([True, True, True], [False, False])
    """

    def __init__(
        self, backend: str = "auto", *, workers: int | None = None, scheduler: str | None = None
    ) -> None:
        if backend not in BACKENDS:
            raise ParameterError("backend", f"unknown backend {backend!r}; choose from {BACKENDS}")
        cluster = workers is not None or scheduler is not None
        if backend == "auto":
            backend = "dask" if cluster else "parallel"
        if backend != "dask" and cluster:
            raise ParameterError("backend", "workers and scheduler need backend='dask'")
        if workers is not None and (
            isinstance(workers, bool) or int(workers) != workers or workers < 1
        ):
            raise ParameterError("workers", f"must be a whole number >= 1, got {workers!r}")
        if workers is not None and scheduler is not None:
            raise ParameterError("workers", "give either workers (a local cluster) or scheduler")
        self.name = backend
        self.workers = workers
        self.scheduler = scheduler
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Backend:
        if self.name == "dask":
            self._start_dask()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        """JSON-ready description for manifests."""
        out: dict[str, Any] = {"backend": self.name}
        if self.name == "dask":
            out["scheduler"] = self.scheduler or "LocalCluster"
            out["workers"] = self._n_workers()
        return out

    def _start_dask(self) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - optional dependency
            raise BargainError(
                "backend='dask' needs dask.distributed: pip install 'dask[distributed]'"
            ) from None
        if self.scheduler is not None:
            try:
                self._client = Client(self.scheduler, timeout="10s")
            except OSError as exc:
                raise BargainError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from None
            return
        self._cluster = LocalCluster(
            n_workers=self.workers or 2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # no dashboard; its HTTP server (health checks) on a free loopback port, not 8787,
            # so that several clusters can run side by side
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.ERROR,
        )
        self._client = Client(self._cluster)

    def _n_workers(self) -> int:
        if self._client is None:
            return self.workers or 0
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def close(self) -> None:
        """Shut down a cluster this backend started (a remote one is only disconnected)."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map(
        self,
        model: Any,
        regime: str | None,
        outputs: Sequence[str],
        design: Any,
        indices: Iterable[int],
        size: int,
        *,
        with_parameters: Sequence[str] = (),
    ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
        """Evaluate chunks `indices` of `design` (``size`` points each).

        Yields ``(index, columns)``: in order for ``serial``/``parallel``, as they finish
        for ``dask``.  `design` may also be a points array, chunked by rows.  Columns of
        the parameters in `with_parameters` come first.
        """
        outputs = tuple(outputs)
        extra = tuple(with_parameters)
        if self.name != "dask":
            parallel = self.name == "parallel"
            for k in indices:
                source = _rows(design, k, size)
                yield k, _run_task(model, regime, outputs, source, parallel, extra)
            return
        if self._client is None:
            raise BargainError("the Dask backend is not running: use it in a `with` block")
        yield from self._map_dask(model, regime, outputs, design, indices, size, extra)

    def _map_dask(self, model, regime, outputs, design, indices, size, extra):
        from distributed import as_completed

        ref = _model_ref(model)
        window = max(4, 2 * self._n_workers())
        pending = iter(indices)
        futures: dict[Any, int] = {}

        def submit(k: int) -> Any:
            source = _rows(design, k, size) if isinstance(design, np.ndarray) else (design, k, size)
            fut = self._client.submit(
                _run_task,
                ref,
                regime,
                outputs,
                source,
                False,
                extra,
                pure=False,
                key=f"chunk-{k}-{id(self)}",
            )
            futures[fut] = k
            return fut

        first = [submit(k) for _, k in zip(range(window), pending, strict=False)]
        queue = as_completed(first)
        for fut in queue:
            k = futures.pop(fut)
            columns = fut.result()
            fut.release()
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
            yield k, columns


def _rows(design: Any, k: int, size: int) -> np.ndarray:
    if isinstance(design, np.ndarray):
        return design[k * size : (k + 1) * size]
    return design.chunk(k, size)
