"""The paper bundle of a model whose regimes are stochastic games (``Regime.profile``).

:func:`write_dynamic_report` writes, for each stochastic regime: the agreement profile
state by state at the baseline (``equilibrium``), the one-shot-deviation inequalities of
the MPE condition with their margins at the baseline (``mpe_condition``), the range of
each parameter over which the agreement profile stays an MPE, numeric and symbolic side
by side (``sensitivity``), the symbolic conditions (``conditions.tex``), the region
figure (``regions.pdf``/``.png``) and the model's own tables (``Model.tables``), then the
manifest.  :func:`bargain.report.write_report` dispatches here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bargain.formats.files import Bundle
from bargain.formats.manifest import build_manifest
from bargain.formats.tables import latex_escape, to_csv, to_latex, to_markdown
from bargain.games.expression import to_sympy

__all__ = ["equilibrium_table", "mpe_condition_table", "sensitivity_table", "write_dynamic_report"]

#: regret at or below this: no profitable one-shot deviation (absolute)
TOL = 1e-9
#: closed-form thresholds in conditions.tex only for parameters in at most this many
#: inequalities
THRESHOLD_MAX = 2


def _stochastic(model: Any) -> list[str]:
    return [n for n, r in model.regimes.items() if getattr(r, "profile", None) is not None]


def equilibrium_table(model: Any, regime: str, **values: float) -> pd.DataFrame:
    """The agreement profile state by state at a point, and the equilibrium the logit-QRE
    homotopy selects: actions, values and one-shot-deviation regrets.

    Examples
    --------
    >>> import bargain as bg
    >>> t = equilibrium_table(bg.load_model("staged_withdrawal"), "staged", k=1)
    >>> t["state"].iloc[0], t["Rwanda"].iloc[0]
    ('m=1,active,in force', 'withdraw')
    """
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
    return pd.DataFrame(rows)


def mpe_condition_table(model: Any, regime: str) -> pd.DataFrame:
    """Each one-shot-deviation inequality ``d >= 0`` of the agreement condition and its
    relative margin at the baseline (``d`` over the sum of its terms' magnitudes).

    Examples
    --------
    >>> import bargain as bg
    >>> t = mpe_condition_table(bg.load_model("staged_withdrawal"), "staged")
    >>> bool(t["holds at baseline"].all())
    True
    """
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
    frame = pd.DataFrame(rows)
    return frame.sort_values("relative margin", kind="stable").reset_index(drop=True)


def _sides(d: Any) -> tuple[Any, Any]:
    import sympy

    pos = [t for t in sympy.Add.make_args(sympy.expand(d)) if not t.could_extract_minus_sign()]
    neg = [-t for t in sympy.Add.make_args(sympy.expand(d)) if t.could_extract_minus_sign()]
    return sympy.Add(*pos), sympy.Add(*neg)


def sensitivity_table(model: Any, regime: str, *, n: int = 201) -> pd.DataFrame:
    """Per parameter (the others at baseline): where on an ``n``-point grid over its bounds
    the agreement profile is an MPE, by the numeric one-shot-deviation check and by the
    symbolic condition (where the parameter is kept symbolic), and how many grid values the
    two disagree on.

    Examples
    --------
    >>> import bargain as bg
    >>> t = sensitivity_table(bg.load_model("staged_withdrawal"), "staged", n=11)
    >>> int(t.loc[t["symbolic check"] == "yes", "mismatches"].max())
    0
    """
    from bargain.dynamic.regime import profile_regrets

    ps = model.parameters
    c = model.conditions(regime)
    classify = c.lambdify()
    fixed = set(model.regimes[regime].fixed)
    base = ps.vector()
    rows = []
    for k, p in enumerate(ps.parameters):
        lo, hi = p.bounds
        grid = np.arange(int(lo), int(hi) + 1) if p.integer else np.linspace(lo, hi, n)
        num = np.array([profile_regrets(model, regime, **{p.name: g}).max() <= TOL for g in grid])
        symbolic = not (p.integer or p.name in fixed)
        mism: Any = "-"
        if symbolic:
            X = np.tile(base, (len(grid), 1))
            X[:, k] = grid
            sym = classify(X) == 0
            mism = int((sym != num).sum())
        rows.append(
            {
                "parameter": p.name,
                "baseline": float(base[k]),
                "bounds": f"[{lo:g}, {hi:g}]",
                "numeric": _intervals(grid, num),
                "symbolic check": "yes" if symbolic else "no (fixed in the derivation)",
                "mismatches": mism,
            }
        )
    return pd.DataFrame(rows)


def _intervals(grid: np.ndarray, ok: np.ndarray) -> str:
    if not ok.any():
        return "never"
    if ok.all():
        return "always"
    parts, start = [], None
    for j, v in enumerate(ok):
        if v and start is None:
            start = j
        if start is not None and (not v or j == len(ok) - 1):
            end = j if v else j - 1
            parts.append(f"[{grid[start]:.4g}, {grid[end]:.4g}]")
            start = None
    return " ∪ ".join(parts)


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
) -> list[Path]:
    """Write the bundle of a model with stochastic regimes, whole or not at all.

    Parameters are those of :func:`bargain.report.write_report`; the figure uses at most
    ``FIGURE_MAX`` grid values per axis.  Returns the written paths, the manifest last.

    Examples
    --------
    >>> import tempfile, bargain as bg
    >>> paths = write_dynamic_report(bg.load_model("staged_withdrawal"), tempfile.mkdtemp(),
    ...                              points=5, progress=False)  # doctest: +SKIP
    """
    from tqdm import tqdm

    from bargain.report.dynamic_plot import FIGURE_MAX, plot_mpe_region

    regimes = _stochastic(model)
    ax = (
        model.report_axes or tuple(p.name for p in model.parameters.parameters if not p.integer)[:2]
    )
    x, y = x or ax[0], y or ax[1]
    n_fig = min(points, FIGURE_MAX)
    bar = tqdm(total=4 + len(model.tables), desc="report", unit="step", disable=not progress)
    with Bundle(out) as b:
        b.write_text("conditions.tex", conditions_tex(model) + "\n")
        bar.update(1)
        for r in regimes:
            suffix = "" if len(regimes) == 1 else f"_{r}"
            _table(
                b,
                equilibrium_table(model, r),
                f"equilibrium{suffix}",
                model,
                f"{model.title}: the agreement profile of {r!r} state by state at the "
                "baseline (values V, one-shot-deviation regrets), and the equilibrium the "
                "logit-QRE homotopy selects from the centroid.",
            )
            _table(
                b,
                mpe_condition_table(model, r),
                f"mpe_condition{suffix}",
                model,
                f"{model.title}: the one-shot-deviation inequalities under which the "
                f"agreement profile of {r!r} is a Markov perfect equilibrium, tightest "
                "first; relative margin: the inequality's value at the baseline over the "
                "sum of its terms' magnitudes.",
                raw=("inequality",),
            )
            bar.update(1)
            _table(
                b,
                sensitivity_table(model, r, n=points),
                f"sensitivity{suffix}",
                model,
                f"{model.title}: parameter ranges (others at baseline) in which the "
                f"agreement profile of {r!r} is an MPE, on {points} equally spaced values "
                "(integers: every value); mismatches: grid values where the symbolic "
                "condition and the numeric one-shot-deviation check differ.",
            )
            bar.update(1)
            stem = b.path(f"regions{suffix}.pdf").with_suffix("")
            b.path(f"regions{suffix}.png")
            plot_mpe_region(model, r, x, y, n=n_fig, path=stem, dpi=dpi, style=style, width=width)
            bar.update(1)
        for name, fn in model.tables.items():
            _table(
                b,
                fn(model),
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
    return written


def _table(
    b: Bundle,
    frame: pd.DataFrame,
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
