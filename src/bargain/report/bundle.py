"""`bargain report MODEL --out DIR`: the paper bundle of a model, written whole."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bargain.formats.files import Bundle
from bargain.formats.manifest import build_manifest
from bargain.formats.tables import Rows, to_csv, to_latex, to_markdown
from bargain.report.conditions import conditions_tex
from bargain.report.equilibria import equilibria_rows
from bargain.sweep.intervals import interval_rows

__all__ = ["cached_conditions_tex", "write_report"]


def _default_axes(model: Any, use_cache: bool = True) -> tuple[str, str]:
    from bargain.symbolic.numeric_form import numeric_form

    axes = getattr(model, "report_axes", None)
    if axes:
        return tuple(axes)  # type: ignore[return-value]
    names = []
    for name, regime in model.regimes.items():
        if regime.agreement is None:
            continue
        for free in numeric_form(model, name, use_cache=use_cache).free:
            names += [s for s in free if s not in names]
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
    use_cache: bool = True,
    verbose: bool = False,
    dpi: int = 300,
    style: str = "paper",
    width: str | float = "two",
) -> list[Path]:
    """Write equilibria, conditions, sensitivity tables, a figure and a manifest.

    The bundle is written whole or not at all: files are made in a staging folder beside
    `out` and moved in at the end, the manifest (with every file's SHA-256) last, so an
    interrupted run leaves the old bundle or a folder marked ``INCOMPLETE``
    (:func:`bargain.formats.files.verify_bundle` checks one).

    Parameters
    ----------
    model : Model or str
    out : path
    x, y : str, optional
        Axes of the region figure (the model's ``report_axes`` by default).
    points : int
        Grid values per parameter of the sensitivity sweeps and per axis of the figure.
    progress : bool
        Show a progress bar.
    use_cache : bool
        Read and write the derivation cache (:mod:`bargain.symbolic.cache`).
    verbose : bool
        Print each phase and its time on stderr.
    dpi : int
        Resolution of the PNG figure and of the region raster in the PDF.
    style : {"paper", "slides"}
        Figure style (:mod:`bargain.formats.style`).
    width : {"one", "two"} or float
        Figure width: one or two journal columns, or inches.

    Returns
    -------
    list of Path
        The written paths, the manifest last.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_report("entry_deterrence", tempfile.mkdtemp(), points=11,
    ...                      progress=False)
    >>> sorted(p.name for p in paths if p.parent.name != "trees")[:3]
    ['conditions.tex', 'equilibria.csv', 'equilibria.md']
    """
    from bargain.report.phases import Phases, compile_notice

    phases = Phases(verbose=verbose)
    with phases("load"):
        from bargain.models import load_model
        from bargain.sweep.plots import plot_regions

        if isinstance(model, str):
            model = load_model(model)
    if any(getattr(r, "profile", None) is not None for r in model.regimes.values()):
        from bargain.report.dynamic import write_dynamic_report  # stochastic regimes

        return write_dynamic_report(model, out, x=x, y=y, points=points, progress=progress,
                                    dpi=dpi, style=style, width=width, use_cache=use_cache,
                                    phases=phases)  # fmt: skip
    bar = _progress(progress)
    # Everything is written into a staging folder and moved into `out` at the end, the
    # manifest last (formats/files.py): a killed report never looks finished.
    with Bundle(out) as b:
        agreeing = [r for r, reg in model.regimes.items() if reg.agreement is not None]
        with phases("derive"):
            tex = cached_conditions_tex(model, use_cache=use_cache)
            _derive_forms(model, agreeing, use_cache=use_cache)
        compiled: list[str] = []
        with phases("equilibria"), compile_notice("single-point SPE solver", names=compiled):
            eq = Rows(equilibria_rows(model, use_cache=use_cache))
        _write_table(
            b,
            eq,
            "equilibria",
            model=model,
            caption=f"{model.title}: equilibria at the baseline. The equilibrium shown (a path "
            "in a tree, a profile in normal form) follows the tie rule (an indifferent player "
            "takes the agreement action); equilibria counts the distinct SPE paths of a tree, "
            "or the components of a normal form's equilibria (a continuum when a component "
            "has several extreme points), and the equilibrium set lists them when there is "
            "more than one point.",
        )
        bar.update(1)
        b.write_text("conditions.tex", tex + "\n")
        from bargain.report.citations import references_bib

        b.write_text("references.bib", references_bib(model))
        from bargain.report.trees import regime_trees

        for name, tikz in regime_trees(model, use_cache=use_cache).items():
            b.write_text(name, tikz)
        bar.update(1)
        with (
            phases("SPE sweep and intervals"),
            compile_notice("batch SPE kernel", names=compiled),
        ):
            from bargain.report.structure import sensitivity_view

            raw = interval_rows(model, agreeing, n=points, use_cache=use_cache)
            sens = Rows(sensitivity_view(model, raw, use_cache=use_cache))
        _write_table(
            b,
            sens,
            "sensitivity",
            model=model,
            caption=f"{model.title}: parameter ranges in which each regime's agreement holds "
            "(others at baseline). Symbolic: the derived condition solved for the parameter; "
            f"numeric: the compiled SPE sweep on {points} equally spaced values (step h, per "
            "row), ties within a relative tolerance of 1e-12. Agree: both give the same "
            "answer at every grid value (mismatches: how many differ); the numeric ends are "
            "grid values, so they lie within h of the symbolic ones; both are printed with the "
            "decimals h resolves.",
        )
        bar.update(1)
        if x is None or y is None:
            dx, dy = _default_axes(model, use_cache)
            x, y = x or dx, y or (dy if dy != x else dx)
        with phases("figures"), compile_notice("batch SPE kernel", names=compiled):
            stem = b.path("regions.pdf").with_suffix("")
            b.path("regions.png")
            plot_regions(
                model,
                agreeing,
                x,
                y,
                n=points,
                path=stem,
                use_cache=use_cache,
                dpi=dpi,
                style=style,
                width=width,
            )
        bar.update(1)
        with phases("writing"):
            manifest = build_manifest(
                model=model,
                regimes=list(model.regimes),
                baseline=model.parameters.defaults,
                figure={
                    "x": x,
                    "y": y,
                    "grid": points,
                    "dpi": dpi,
                    "style": style,
                    "width": width,
                },
                sensitivity_grid=points,
                method="spe (numeric: compiled batch backward induction; symbolic: SymPy "
                "backward induction); tie rule: an indifferent player takes the agreement "
                "action",
            )
            written = b.finish(manifest)
        bar.update(1)
    bar.close()
    if verbose and compiled:
        print(f"report: compiled {len(compiled)} kernels: {', '.join(compiled)}", file=sys.stderr)
    phases.summary()
    return written


def _progress(progress: bool) -> Any:
    """A 5-step bar on a terminal (tqdm's own rule for ``disable=None``); elsewhere a
    no-op, and tqdm (0.15 s of imports) is not loaded."""
    if progress and sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=5, desc="report", unit="step")

    class _Quiet:
        def update(self, n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Quiet()


def cached_conditions_tex(model: Any, *, use_cache: bool = True) -> str:
    """:func:`~bargain.report.conditions.conditions_tex`, read from the derivation cache
    when the model, the package version and the structural defaults are unchanged.

    Examples
    --------
    >>> import bargain as bg
    >>> cached_conditions_tex(bg.load_model("entry_deterrence")).splitlines()[0]
    '% Derived agreement conditions: Entry deterrence (tutorial)'
    """
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    structural = {p.name: p.default for p in model.parameters.parameters if p.integer}
    key = model_key(model, what="conditions_tex", structural=structural)
    if use_cache:
        text = load_entry(key)
        if isinstance(text, str):
            return text
    text = conditions_tex(model)
    if use_cache:
        store_entry(key, text)
    return text


def _derive_forms(model: Any, regimes: list[str], *, use_cache: bool) -> None:
    """Derive (or read) each regime's condition and numeric plan: the later phases then
    only evaluate them."""
    from bargain.sweep.plan import numeric_plan
    from bargain.symbolic.numeric_form import numeric_form

    for r in regimes:
        numeric_form(model, r, use_cache=use_cache)
    for r in model.regimes:
        numeric_plan(model, r, use_cache=use_cache)


def _write_table(b: Bundle, frame: Any, stem: str, *, model: Any, caption: str) -> None:
    from bargain.report.latex import tex_frame

    shown, raw, labels = tex_frame(model, frame)
    label = f"tab:{model.name}:{stem}".replace("_", "-")
    tex = to_latex(shown, caption=caption, label=label, raw=raw, labels=labels)
    from bargain.report.structure import wrap_long_columns

    tex = wrap_long_columns(tex, frame)
    b.write_text(f"{stem}.tex", tex + "\n")
    b.write_text(f"{stem}.md", to_markdown(frame) + "\n")
    to_csv(frame, b.path(f"{stem}.csv"))
