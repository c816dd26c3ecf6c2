"""`bargain report MODEL --out DIR`: the paper bundle of a model, written whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from bargain.formats.files import Bundle
from bargain.formats.manifest import build_manifest
from bargain.formats.tables import to_csv, to_latex, to_markdown
from bargain.report.conditions import conditions_tex
from bargain.report.equilibria import equilibria_table
from bargain.sweep.intervals import agreement_intervals

__all__ = ["write_report"]


def _default_axes(model: Any) -> tuple[str, str]:
    axes = getattr(model, "report_axes", None)
    if axes:
        return tuple(axes)  # type: ignore[return-value]
    names = []
    for name, regime in model.regimes.items():
        if regime.agreement is None:
            continue
        for s in model.conditions(name).agreement().free_symbols:
            if s.name not in names:
                names.append(s.name)
    order = list(model.parameters.names)
    names.sort(key=order.index)
    names += [n for n in order if n not in names and not model.parameters[n].integer]
    return names[0], names[1]


def write_report(
    model: Any,
    out: str | Path,
    *,
    x: str | None = None,
    y: str | None = None,
    points: int = 201,
    progress: bool = True,
) -> list[Path]:
    """Write equilibria, conditions, sensitivity tables, a figure and a manifest.

    The bundle is written whole or not at all: files are made in a staging folder beside
    `out` and moved in at the end, the manifest (with every file's SHA-256) last, so an
    interrupted run leaves the old bundle or a folder marked ``INCOMPLETE``
    (:func:`bargain.formats.files.verify_bundle` checks one).

    Returns the written paths, the manifest last.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_report("entry_deterrence", tempfile.mkdtemp(), points=11,
    ...                      progress=False)
    >>> sorted(p.name for p in paths)[:3]
    ['conditions.tex', 'equilibria.csv', 'equilibria.md']
    """
    from bargain.models import load_model
    from bargain.sweep.plots import plot_regions

    if isinstance(model, str):
        model = load_model(model)
    steps = ["equilibria", "conditions", "sensitivity", "figure", "manifest"]
    from tqdm import tqdm

    bar = tqdm(total=len(steps), desc="report", unit="step", disable=not progress)
    # Everything is written into a staging folder and moved into `out` at the end, the
    # manifest last (formats/files.py): a killed report never looks finished.
    with Bundle(out) as b:
        eq = equilibria_table(model)
        _write_table(b, eq, "equilibria", caption=f"{model.title}: equilibria at the baseline")
        bar.update(1)
        b.write_text("conditions.tex", conditions_tex(model) + "\n")
        bar.update(1)
        agreeing = [r for r, reg in model.regimes.items() if reg.agreement is not None]
        sens = agreement_intervals(model, agreeing, n=points)
        _write_table(
            b,
            sens,
            "sensitivity",
            caption=f"{model.title}: parameter "
            "ranges in which each regime's agreement holds (others at baseline)",
        )
        bar.update(1)
        if x is None or y is None:
            dx, dy = _default_axes(model)
            x, y = x or dx, y or (dy if dy != x else dx)
        b.path("regions.pdf"), b.path("regions.png")
        plot_regions(model, agreeing, x, y, n=points, path=b.path("regions.pdf").with_suffix(""))
        bar.update(1)
        manifest = build_manifest(
            model=model,
            regimes=list(model.regimes),
            baseline=model.parameters.defaults,
            figure={"x": x, "y": y, "grid": points},
            sensitivity_grid=points,
            method="spe (numeric: compiled batch backward induction; symbolic: SymPy backward "
            "induction); tie rule: an indifferent player takes the agreement action",
        )
        written = b.finish(manifest)
        bar.update(1)
    bar.close()
    return written


def _write_table(b: Bundle, frame: pd.DataFrame, stem: str, *, caption: str) -> None:
    b.write_text(f"{stem}.tex", to_latex(frame, caption=caption) + "\n")
    b.write_text(f"{stem}.md", to_markdown(frame) + "\n")
    to_csv(frame, b.path(f"{stem}.csv"))
