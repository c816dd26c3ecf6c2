"""`bargain.sweep`: solve a model regime over a grid of parameter values."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bargain.errors import ParameterError
from bargain.formats.manifest import build_manifest, write_manifest
from bargain.formats.tables import to_csv, to_latex, to_markdown
from bargain.sweep.backends import EQUILIBRIUM_OUTPUTS

__all__ = ["OUTPUTS", "SweepResult", "sweep"]

#: what a sweep reports per point by default
OUTPUTS = EQUILIBRIUM_OUTPUTS
CHUNK = 200_000


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: a tidy table plus its provenance.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per point: the varied parameters, then the requested outputs
        (``agreement``, ``path`` as ``"A -> B"``, ``payoff_<player>``).
    model, regime : object, str
    axes : dict
        Varied parameter → its grid values (empty for samples).
    design : Design
        The design; ``design.points(start, stop)`` gives all parameter values per point.
    manifest : dict
        Provenance (see :func:`bargain.formats.manifest.build_manifest`).
    """

    frame: Any
    model: Any
    regime: str
    axes: Mapping[str, np.ndarray]
    design: Any
    manifest: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        from bargain.sweep.display import sweep_repr

        return sweep_repr(self)

    def _repr_html_(self) -> str:
        from bargain.sweep.display import sweep_html

        return sweep_html(self)

    def labels(self, *, latex: bool = False) -> dict[str, str]:
        """Column labels from parameter descriptions (``q`` → ``detection probability (q)``)."""
        out = {}
        for p in self.model.parameters.parameters:
            sym = f"${_latex_name(p.name)}$" if latex else p.name
            out[p.name] = f"{p.description} ({sym})" if p.description else sym
        return out

    def to_csv(self, path: Any = None) -> str:
        """CSV text (full precision); written with a manifest beside it when `path` is given."""
        text = to_csv(self.frame, path)
        self._manifest_beside(path)
        return text

    def to_markdown(self, path: Any = None, *, decimals: int = 3) -> str:
        """Markdown table with fixed decimals; written (and a manifest) when `path` is given."""
        text = to_markdown(self.frame, labels=self.labels(), decimals=decimals)
        self._write(path, text)
        return text

    def to_latex(self, path: Any = None, *, decimals: int = 3, caption: str | None = None) -> str:
        """booktabs LaTeX table; written (and a manifest) when `path` is given."""
        text = to_latex(
            self.frame, labels=self.labels(latex=True), decimals=decimals, caption=caption
        )
        self._write(path, text)
        return text

    def _write(self, path: Any, text: str) -> None:
        if path is not None:
            from bargain.formats.files import atomic_write_text

            atomic_write_text(path, text + "\n")
            self._manifest_beside(path)

    def _manifest_beside(self, path: Any) -> None:
        if path is not None:
            from pathlib import Path

            p = Path(path)
            write_manifest({**self.manifest, "table": p.name}, p.with_suffix(".manifest.json"))

    def plot_regions(self, x: str, y: str, **kwargs: Any):
        """Figure of the (x, y) plane coloured by agreement, with symbolic threshold curves.

        See :func:`bargain.sweep.plots.plot_regions`.
        """
        from bargain.sweep.plots import plot_regions

        return plot_regions(self.model, [self.regime], x, y, **kwargs)


def _latex_name(name: str) -> str:
    head, _, tail = name.partition("_")
    greek = {"rho", "theta", "delta", "omega", "kappa", "beta", "alpha", "lambda", "mu", "sigma"}
    head = f"\\{head}" if head in greek else head
    return f"{head}_{{{tail}}}" if tail else head


def sweep(
    model: Any,
    regime: str,
    vary: Mapping[str, Any] | None = None,
    *,
    sample: Any = None,
    outputs: Sequence[str] = OUTPUTS,
    fixed: Mapping[str, float] | None = None,
    backend: str = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> SweepResult:
    """Solve `regime` of `model` over a grid of 1–3 parameters or over a sample.

    Parameters
    ----------
    model : Model or str
        A model or its name.
    regime : str
    vary : mapping, optional
        A full grid: parameter → ``(low, high, n)`` or a sequence of values.
    sample : Design or mapping, optional
        Instead of `vary`: a :class:`bargain.sweep.samples.Design`, or the keyword
        arguments of :func:`bargain.sweep.samples.design` (``{"method": "sobol", "n": 4096,
        "seed": 1}``); the seed is recorded in the manifest.
    outputs : sequence of str
        Any of ``"agreement"``, ``"path"``, ``"payoffs"``, ``"payoff_<player>"`` and the
        names of the model's closed-form outputs (:class:`bargain.models.Output`).
    fixed : mapping, optional
        Values of the parameters not varied (defaults otherwise).
    backend : {"auto", "serial", "parallel", "dask"}
        How chunks are evaluated (:class:`bargain.sweep.backends.Backend`); ``auto`` is
        Numba-parallel on this machine, or Dask when `workers` or `scheduler` is given.
    workers, scheduler
        For the Dask backend: a local cluster of `workers` processes, or a scheduler address.
    progress : bool, optional
        Show a progress bar with ETA (default: for more than a million points).

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> import bargain as bg
    >>> r = bg.sweep("entry_deterrence", "entry_commitment",
    ...              vary={"commitment_cost": (0, 4, 5)}, outputs=["agreement"])
    >>> r.frame["agreement"].tolist()  # commitment pays iff its cost <= entrant_profit = 2
    [True, True, True, False, False]
    >>> s = bg.sweep("entry_deterrence", "entry_commitment", outputs=["agreement"],
    ...              sample={"method": "sobol", "n": 64, "vary": ["commitment_cost"]})
    >>> len(s.frame), s.manifest["design"]["method"]
    (64, 'sobol')
    """
    import pandas as pd

    from bargain.models import load_model
    from bargain.sweep.backends import Backend, check_outputs
    from bargain.sweep.samples import Design, design

    if isinstance(model, str):
        model = load_model(model)
    model.regime(regime)
    if (vary is None) == (sample is None):
        raise ParameterError("vary", "give either vary (a grid) or sample (a design), not both")
    if vary is not None:
        if not 1 <= len(vary) <= 3:
            raise ParameterError("vary", f"vary 1 to 3 parameters in a grid, got {len(vary)}")
        plan = design(model, method="grid", vary=dict(vary), fixed=fixed)
    elif isinstance(sample, Design):
        plan = sample
    else:
        plan = design(model, **{"fixed": fixed, **dict(sample)})
    outputs = check_outputs(model, regime, [o for o in outputs])
    start = time.perf_counter()
    n_chunks = plan.n_chunks(CHUNK)
    show = progress if progress is not None else len(plan) > 1_000_000
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(plan), unit="pt", unit_scale=True, desc=f"{model.name}:{regime}")
    parts: dict[int, dict[str, np.ndarray]] = {}
    with Backend(backend, workers=workers, scheduler=scheduler) as runner:
        for k, columns in runner.map(
            model, regime, outputs, plan, range(n_chunks), CHUNK, with_parameters=plan.vary
        ):
            parts[k] = columns
            if bar is not None:
                bar.update(len(next(iter(columns.values()))))
    if bar is not None:
        bar.close()
    names = list(parts[0])
    frame = pd.DataFrame({c: np.concatenate([parts[k][c] for k in range(n_chunks)]) for c in names})
    axes = {v: np.asarray(frame[v].unique()) for v in plan.vary} if vary is not None else {}
    manifest = build_manifest(
        model=model,
        regime=regime,
        method="spe (batch kernel, tie rule: agreement action)",
        design=plan.spec(),
        outputs=list(outputs),
        backend=runner.name,
        n_points=len(plan),
        seconds=round(time.perf_counter() - start, 3),
    )
    return SweepResult(frame, model, regime, axes, plan, manifest)
