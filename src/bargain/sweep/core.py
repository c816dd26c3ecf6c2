"""`bargain.sweep`: solve a model regime over a grid of parameter values."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bargain.errors import ParameterError
from bargain.sweep.design import grid_points
from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.manifest import build_manifest, write_manifest
from bargain.sweep.tables import to_csv, to_latex, to_markdown

__all__ = ["OUTPUTS", "SweepResult", "sweep"]

#: what a sweep can report per point
OUTPUTS = ("agreement", "path", "payoffs")
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
        Varied parameter → its grid values.
    points : numpy.ndarray
        All parameter values per point, in the model's parameter order.
    manifest : dict
        Provenance (see :func:`bargain.sweep.manifest.build_manifest`).
    """

    frame: Any
    model: Any
    regime: str
    axes: Mapping[str, np.ndarray]
    points: np.ndarray
    manifest: dict = field(default_factory=dict)

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
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
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
    vary: Mapping[str, Any],
    *,
    outputs: Sequence[str] = OUTPUTS,
    fixed: Mapping[str, float] | None = None,
    progress: bool | None = None,
) -> SweepResult:
    """Solve `regime` of `model` over a full grid of 1–3 varied parameters.

    Parameters
    ----------
    model : Model or str
        A model or its name.
    regime : str
    vary : mapping
        Parameter → ``(low, high, n)`` or a sequence of values.
    outputs : sequence of str
        Any of ``"agreement"``, ``"path"``, ``"payoffs"``, and the names of the model's
        closed-form outputs (:class:`bargain.models.Output`).
    fixed : mapping, optional
        Values of the parameters not varied (defaults otherwise).
    progress : bool, optional
        Show a progress bar (default: for sweeps of more than a million points).

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
    """
    import pandas as pd

    from bargain.models import load_model

    if isinstance(model, str):
        model = load_model(model)
    unknown = [o for o in outputs if o not in OUTPUTS and o not in model.outputs]
    if unknown:
        choices = (*OUTPUTS, *model.outputs)
        raise ParameterError("outputs", f"unknown output {unknown[0]!r}; choose from {choices}")
    if not 1 <= len(vary) <= 3:
        raise ParameterError("vary", f"vary 1 to 3 parameters in a grid, got {len(vary)}")
    model.regime(regime)
    start = time.perf_counter()
    points, axes = grid_points(model.parameters, vary, **dict(fixed or {}))
    show = progress if progress is not None else len(points) > 1_000_000
    outcome = _evaluate_chunked(model, regime, points, show)
    names = list(model.parameters.names)
    columns: dict[str, Any] = {n: points[:, names.index(n)] for n in axes}
    if "agreement" in outputs:
        columns["agreement"] = outcome.agreement
    if "path" in outputs:
        labels = np.array([" -> ".join(p) for p in outcome.paths] + ["(no pure equilibrium)"])
        columns["path"] = labels[outcome.path_id]
    if "payoffs" in outputs:
        for i, player in enumerate(outcome.players):
            columns[f"payoff_{player}"] = outcome.payoffs[:, i]
    for name in outputs:
        if name in model.outputs:
            columns[name] = model.evaluate_output(name, points)
    frame = pd.DataFrame(columns)
    manifest = build_manifest(
        model=model,
        regime=regime,
        method="spe (batch kernel, tie rule: agreement action)",
        grid={k: [float(v[0]), float(v[-1]), len(v)] for k, v in axes.items()},
        fixed=model.parameters.resolve(**dict(fixed or {})),
        n_points=len(points),
        seconds=round(time.perf_counter() - start, 3),
    )
    return SweepResult(frame, model, regime, axes, points, manifest)


def _evaluate_chunked(model: Any, regime: str, points: np.ndarray, show: bool):
    if len(points) <= CHUNK:
        return evaluate_points(model, regime, points)
    from bargain.sweep.evaluate import PointOutcomes

    parts = []
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=len(points), unit="pt", unit_scale=True, desc=f"{model.name}:{regime}")
    for lo in range(0, len(points), CHUNK):
        parts.append(evaluate_points(model, regime, points[lo : lo + CHUNK]))
        if bar is not None:
            bar.update(min(CHUNK, len(points) - lo))
    if bar is not None:
        bar.close()
    paths: list[tuple[str, ...]] = []
    ids = []
    for part in parts:
        remap = []
        for p in part.paths:
            if p not in paths:
                paths.append(p)
            remap.append(paths.index(p))
        ids.append(np.array([*remap, -1], dtype=np.int64)[part.path_id])
    return PointOutcomes(
        np.concatenate(ids),
        tuple(paths),
        np.concatenate([p.payoffs for p in parts]),
        np.concatenate([p.agreement for p in parts]),
        parts[0].players,
    )
