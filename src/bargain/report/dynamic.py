"""The paper bundle of a model whose regimes are stochastic games (``Regime.profile``).

:func:`write_dynamic_report` writes, for each stochastic regime: the agreement profile
state by state at the baseline (``equilibrium``), the one-shot-deviation inequalities of
the MPE condition with their margins at the baseline (``mpe_condition``), the range of
each parameter over which the agreement profile stays an MPE, numeric and symbolic side
by side (``sensitivity``), the symbolic conditions (``conditions.tex``), the region
figure (``regions.pdf``/``.png``) and the model's own tables (``Model.tables``), then the
manifest.  :func:`bargain.report.write_report` dispatches here.

A warm report derives nothing and imports neither SymPy, Numba, SciPy nor pandas: the
symbolic MPE condition (as JSON expression trees), ``conditions.tex``, the condition and
equilibrium rows (with the QRE-selected column) and the model's own tables are kept in the
derivation cache (:mod:`bargain.symbolic.cache`, keyed by the model's source hash, the
package version and the baseline), and the numeric one-shot-deviation check of the grids
is array arithmetic (:mod:`bargain.report.dynamic_check`), computed at every run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bargain.formats.files import Bundle
from bargain.formats.manifest import build_manifest
from bargain.formats.tables import Rows, latex_escape, to_csv, to_latex, to_markdown
from bargain.games.expression import to_sympy
from bargain.report.dynamic_cache import _cached, _from_data, _is_rows, _rows_data, model_tables
from bargain.report.dynamic_sensitivity import (
    condition_trees,
    sensitivity_rows,
    sensitivity_table,
)

__all__ = [
    "equilibrium_rows",
    "equilibrium_table",
    "mpe_condition_rows",
    "mpe_condition_table",
    "sensitivity_rows",
    "sensitivity_table",
    "write_dynamic_report",
]

#: regret at or below this: no profitable one-shot deviation (absolute)
TOL = 1e-9
#: closed-form thresholds in conditions.tex only for parameters in at most this many
#: inequalities
THRESHOLD_MAX = 2


def _stochastic(model: Any) -> list[str]:
    return [n for n, r in model.regimes.items() if getattr(r, "profile", None) is not None]


def equilibrium_table(model: Any, regime: str, **values: float) -> Any:
    """The agreement profile state by state at a point, and the equilibrium the logit-QRE
    homotopy selects: actions, values and one-shot-deviation regrets
    (a :class:`pandas.DataFrame` of :func:`equilibrium_rows`, not cached).

    Examples
    --------
    >>> import bargain as bg
    >>> t = equilibrium_table(bg.load_model("staged_withdrawal"), "staged", k=1)
    >>> t["state"].iloc[0], t["Rwanda"].iloc[0]
    ('m=1,active,in force', 'withdraw')
    """
    import pandas as pd

    return pd.DataFrame(_equilibrium_rows(model, regime, **values))


def equilibrium_rows(model: Any, regime: str, *, use_cache: bool = True) -> list[dict]:
    """The rows of :func:`equilibrium_table` at the baseline, kept in the derivation cache
    (the QRE-selected column needs the compiled homotopy: a warm report solves nothing).

    Examples
    --------
    >>> import bargain as bg
    >>> rows = equilibrium_rows(bg.load_model("staged_withdrawal"), "staged")
    >>> rows[0]["state"], rows[0]["QRE-selected"]
    ('m=3,active,in force', 'withdraw, act')
    """
    data = _cached(
        model,
        f"stochastic_equilibrium_rows:{regime}",
        lambda: _rows_data(_equilibrium_rows(model, regime)),
        _is_rows,
        use_cache,
    )
    return _from_data(data)


def _equilibrium_rows(model: Any, regime: str, **values: float) -> list[dict[str, Any]]:
    from bargain.dynamic import one_shot_regrets, profile_values

    s = model.solve(regime, **values)
    game = s.result.game
    labels = model.regimes[regime].profile(model.namespace(**values))
    from bargain.dynamic.regime import agreement_indices, pure_strategies

    strat = pure_strategies(game, agreement_indices(game, labels))
    V = profile_values(game, strat)
    R = one_shot_regrets(game, strat, V)
    qre = s.paths[-1]
    rows = []
    for n, name in enumerate(game.states):
        row: dict[str, Any] = {"state": name}
        for i, p in enumerate(game.players):
            row[p] = labels[n][i]
        for i, p in enumerate(game.players):
            row[f"V {p}"] = float(V[n, i])
        for i, p in enumerate(game.players):
            row[f"regret {p}"] = float(R[n, i])
        row["QRE-selected"] = qre[n].split(": ", 1)[1]
        rows.append(row)
    return rows


def mpe_condition_table(model: Any, regime: str) -> Any:
    """Each one-shot-deviation inequality ``d >= 0`` of the agreement condition and its
    relative margin at the baseline (``d`` over the sum of its terms' magnitudes), as a
    :class:`pandas.DataFrame` (not cached).

    Examples
    --------
    >>> import bargain as bg
    >>> t = mpe_condition_table(bg.load_model("staged_withdrawal"), "staged")
    >>> bool(t["holds at baseline"].all())
    True
    """
    import pandas as pd

    return pd.DataFrame(_mpe_condition_rows(model, regime))


def mpe_condition_rows(model: Any, regime: str, *, use_cache: bool = True) -> list[dict]:
    """The rows of :func:`mpe_condition_table`, kept in the derivation cache.

    Examples
    --------
    >>> import bargain as bg
    >>> rows = mpe_condition_rows(bg.load_model("staged_withdrawal"), "staged")
    >>> all(r["holds at baseline"] for r in rows)
    True
    """
    data = _cached(
        model,
        f"stochastic_mpe_condition_rows:{regime}",
        lambda: _rows_data(_mpe_condition_rows(model, regime)),
        _is_rows,
        use_cache,
    )
    return _from_data(data)


def _mpe_condition_rows(model: Any, regime: str) -> list[dict[str, Any]]:
    import sympy

    c = model.conditions(regime)
    x0 = {
        p.symbol: float(v)
        for p, v in zip(model.parameters.parameters, model.parameters.vector(), strict=True)
    }
    rows = []
    for d, strict in c.dnfs[0][0]:
        d = to_sympy(d, where="MPE condition")
        value = float(d.subs(x0))
        scale = sum(abs(float(t.subs(x0))) for t in sympy.Add.make_args(sympy.expand(d)))
        lhs, rhs = _sides(d)
        rel = ">" if strict else r"\geq"
        rows.append(
            {
                "inequality": f"${sympy.latex(lhs)} {rel} {sympy.latex(rhs)}$",
                "parameters": ", ".join(sorted(s.name for s in d.free_symbols)),
                "relative margin": value / scale if scale else 0.0,
                "holds at baseline": bool(value > TOL if strict else value >= -TOL),
            }
        )
    return sorted(rows, key=lambda r: r["relative margin"])  # stable, as pandas' "stable"


def _sides(d: Any) -> tuple[Any, Any]:
    import sympy

    pos = [t for t in sympy.Add.make_args(sympy.expand(d)) if not t.could_extract_minus_sign()]
    neg = [-t for t in sympy.Add.make_args(sympy.expand(d)) if t.could_extract_minus_sign()]
    return sympy.Add(*pos), sympy.Add(*neg)


def conditions_tex(model: Any) -> str:
    """The MPE conditions of every stochastic regime, one inequality a line, as LaTeX.

    Examples
    --------
    >>> import bargain as bg
    >>> conditions_tex(bg.load_model("staged_withdrawal")).splitlines()[0][:30]
    '% Derived MPE conditions: Stag'
    """
    import sympy

    from bargain.errors import BargainError
    from bargain.report.conditions import _threshold_tex

    lines = [
        f"% Derived MPE conditions: {latex_escape(model.title)}",
        "% Generated by bargain; see manifest.json for provenance.",
    ]
    values = model.parameters.resolve()
    for name in _stochastic(model):
        r = model.regimes[name]
        c = model.conditions(name)
        held = [p for p in model.parameters.parameters if p.integer or p.name in r.fixed]
        fixed = ", ".join(f"${p.display_symbol.strip('$')} = {values[p.name]:g}$" for p in held)
        lines += [
            rf"\paragraph{{{latex_escape(name.replace('_', ' '))}}} "
            rf"{latex_escape(r.description)}.",
            "",
            f"With {fixed}, the agreement profile is a Markov perfect equilibrium if and only "
            "if every one-shot-deviation inequality holds:",
            r"\begin{align*}",
        ]
        terms = [(to_sympy(d, where="MPE condition"), strict) for d, strict in c.dnfs[0][0]]
        ineqs = []
        for d, strict in terms:
            lhs, rhs = _sides(d)
            rel = ">" if strict else r"\geq"
            ineqs.append(f"{sympy.latex(lhs)} &{rel} {sympy.latex(rhs)}")
        lines += [" \\\\\n".join(ineqs), r"\end{align*}", ""]
        free = sorted(
            {s.name for d, _ in terms for s in d.free_symbols},
            key=model.parameters.names.index,
        )
        count = {p: sum(any(s.name == p for s in d.free_symbols) for d, _ in terms) for p in free}
        for p in free:
            if count[p] > THRESHOLD_MAX:  # solving many inequalities gives a long Max(...)
                lines.append(
                    f"% {p} enters {count[p]} inequalities: no closed-form threshold "
                    "here; see the sensitivity table"
                )
                continue
            try:
                t = c.threshold(p)
            except BargainError as exc:
                lines.append(f"% no closed-form threshold for {p}: {exc}")
                continue
            lines += [f"% threshold for {p}", _threshold_tex(t), ""]
    return "\n".join(lines)


def cached_conditions_tex(model: Any, *, use_cache: bool = True) -> str:
    """:func:`conditions_tex`, read from the derivation cache when the model, the package
    version and the baseline are unchanged.

    Examples
    --------
    >>> import bargain as bg
    >>> cached_conditions_tex(bg.load_model("staged_withdrawal"))[:12]
    '% Derived MP'
    """
    return _cached(
        model,
        "stochastic_conditions_tex",
        lambda: conditions_tex(model),
        lambda t: isinstance(t, str),
        use_cache,
    )


def write_dynamic_report(
    model: Any,
    out: str | Path,
    *,
    x: str | None = None,
    y: str | None = None,
    points: int = 201,
    progress: bool = True,
    dpi: int = 300,
    style: str = "paper",
    width: str | float = "two",
    use_cache: bool = True,
    phases: Any = None,
) -> list[Path]:
    """Write the bundle of a model with stochastic regimes, whole or not at all.

    Parameters are those of :func:`bargain.report.write_report` (`phases`: its
    :class:`~bargain.report.phases.Phases`, which times derive, equilibria, sweep,
    figures and writing); the figure uses at most ``FIGURE_MAX`` grid values per axis.
    Returns the written paths, the manifest last.

    Examples
    --------
    >>> import tempfile, bargain as bg
    >>> paths = write_dynamic_report(bg.load_model("staged_withdrawal"), tempfile.mkdtemp(),
    ...                              points=5, progress=False)
    >>> paths[-1].name
    'manifest.json'
    """
    from bargain.report.bundle import _progress
    from bargain.report.dynamic_check import game_plan
    from bargain.report.dynamic_plot import FIGURE_MAX, plot_mpe_region
    from bargain.report.phases import Phases, compile_notice

    phases = phases if phases is not None else Phases()
    regimes = _stochastic(model)
    ax = (
        model.report_axes or tuple(p.name for p in model.parameters.parameters if not p.integer)[:2]
    )
    x, y = x or ax[0], y or ax[1]
    n_fig = min(points, FIGURE_MAX)
    bar = _progress(progress)
    compiled: list[str] = []
    with Bundle(out) as b:
        with phases("derive"):
            b.write_text("conditions.tex", cached_conditions_tex(model, use_cache=use_cache) + "\n")
            conds = {r: mpe_condition_rows(model, r, use_cache=use_cache) for r in regimes}
            for r in regimes:
                condition_trees(model, r, use_cache=use_cache)
                game_plan(model, r, use_cache=use_cache)
        bar.update(1)
        for r in regimes:
            suffix = "" if len(regimes) == 1 else f"_{r}"
            with phases("equilibria"), compile_notice("QRE homotopy kernels", names=compiled):
                eq = equilibrium_rows(model, r, use_cache=use_cache)
            _table(
                b,
                Rows(eq),
                f"equilibrium{suffix}",
                model,
                f"{model.title}: the agreement profile of {r!r} state by state at the "
                "baseline (values V, one-shot-deviation regrets), and the equilibrium the "
                "logit-QRE homotopy selects from the centroid.",
            )
            _table(
                b,
                Rows(conds[r]),
                f"mpe_condition{suffix}",
                model,
                f"{model.title}: the one-shot-deviation inequalities under which the "
                f"agreement profile of {r!r} is a Markov perfect equilibrium, tightest "
                "first; relative margin: the inequality's value at the baseline over the "
                "sum of its terms' magnitudes.",
                raw=("inequality",),
            )
            bar.update(1)
            with phases("sweep"):
                sens = sensitivity_rows(model, r, n=points, use_cache=use_cache)
            _table(
                b,
                Rows(sens),
                f"sensitivity{suffix}",
                model,
                f"{model.title}: parameter ranges (others at baseline) in which the "
                f"agreement profile of {r!r} is an MPE, on {points} equally spaced values "
                "(integers: every value); mismatches: grid values where the symbolic "
                "condition and the numeric one-shot-deviation check differ.",
            )
            bar.update(1)
            with phases("figures"):
                stem = b.path(f"regions{suffix}.pdf").with_suffix("")
                b.path(f"regions{suffix}.png")
                plot_mpe_region(model, r, x, y, n=n_fig, path=stem, dpi=dpi, style=style,
                                width=width, use_cache=use_cache)  # fmt: skip
            bar.update(1)
        with phases("writing"):
            with compile_notice("QRE homotopy kernels", names=compiled):
                tables = model_tables(model, use_cache=use_cache)
            for name, fn in model.tables.items():
                _table(
                    b,
                    Rows(tables[name]),
                    name,
                    model,
                    f"{model.title}: {name.replace('_', ' ')} "
                    f"({(fn.__doc__ or '').strip().splitlines()[0].rstrip('.')}).",
                )
                bar.update(1)
            manifest = build_manifest(
                model=model,
                regimes=list(model.regimes),
                baseline=model.parameters.defaults,
                figure={
                    "x": x,
                    "y": y,
                    "grid": n_fig,
                    "dpi": dpi,
                    "style": style,
                    "width": width,
                },
                sensitivity_grid=points,
                tables=list(model.tables),
                method="stochastic: one-shot-deviation check of the agreement profile (numeric, "
                f"regret <= {TOL:g}); symbolic: bargain.dynamic.pure_conditions; selection: "
                "logit-QRE homotopy",
            )
            written = b.finish(manifest)
        bar.update(1)
    bar.close()
    if phases.verbose and compiled:
        import sys

        print(f"report: compiled {len(compiled)} kernels: {', '.join(compiled)}", file=sys.stderr)
    phases.summary()
    return written


def _table(
    b: Bundle,
    frame: Any,
    stem: str,
    model: Any,
    caption: str,
    *,
    raw: tuple[str, ...] = (),
) -> None:
    from bargain.report.latex import tex_frame

    shown, tex_raw, labels = tex_frame(model, frame)
    label = f"tab:{model.name}:{stem}".replace("_", "-")
    tex = to_latex(shown, caption=caption, label=label, raw=[*tex_raw, *raw], labels=labels)
    b.write_text(f"{stem}.tex", tex + "\n")
    b.write_text(f"{stem}.md", to_markdown(frame) + "\n")
    to_csv(frame, b.path(f"{stem}.csv"))
