"""Regression tables (LaTeX, booktabs) of one or several strategic-model fits."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bargain.errors import ParameterError
from bargain.formats.tables import latex_escape as _escape

__all__ = ["latex_table"]


def _stars(p: float) -> str:
    if not np.isfinite(p):
        return ""
    return "^{***}" if p < 0.001 else "^{**}" if p < 0.01 else "^{*}" if p < 0.05 else ""


def latex_table(
    fits: Sequence,
    *,
    model_names: Sequence[str] | None = None,
    digits: int = 3,
    stars: bool = False,
    caption: str | None = None,
    label: str | None = None,
) -> str:
    """A booktabs table: estimates with standard errors below, one column per fit.

    Rows are the union of the fits' parameters in order of first appearance; a parameter
    a fit does not have is left blank.  The foot gives observations, log-likelihood and
    AIC.  Needs ``\\usepackage{booktabs}``.

    Parameters
    ----------
    fits : sequence of StrategicResults
    model_names : sequence of str, optional
        Column heads (default ``(1)``, ``(2)``, ...).
    digits : int
        Decimal places.
    stars : bool
        Mark p < 0.05, 0.01, 0.001 with one to three stars.
    caption, label : str, optional

    Returns
    -------
    str

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12, latex_table
    >>> df = load_war1800()
    >>> a = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", df)
    >>> b = egame12("esc + war ~ s_wt_re1 | 0 | 1 | balanc", df, link="logit")
    >>> tex = latex_table([a, b], model_names=["probit", "logit"])
    >>> r"\\toprule" in tex and "Observations & 313 & 313" in tex
    True
    """
    fits = list(fits)
    if not fits:
        raise ParameterError("fits", "needs at least one fit")
    heads = (
        list(model_names) if model_names is not None else [f"({i + 1})" for i in range(len(fits))]
    )
    if len(heads) != len(fits):
        raise ParameterError("model_names", f"needs {len(fits)} names, got {len(heads)}")
    rows: list[str] = []
    for fit in fits:
        rows.extend(n for n in fit.params.index if n not in rows)
    fmt = f"{{:.{digits}f}}"
    body = []
    for name in rows:
        est, err = [], []
        for fit in fits:
            if name in fit.params.index:
                mark = _stars(fit.pvalues[name]) if stars else ""
                est.append(f"${fmt.format(fit.params[name])}{mark}$")
                se = fit.bse[name]
                err.append(f"$({fmt.format(se)})$" if np.isfinite(se) else "")
            else:
                est.append("")
                err.append("")
        body.append(f"{_escape(name)} & " + " & ".join(est) + r" \\")
        body.append(" & " + " & ".join(err) + r" \\")
    foot = [
        "Observations & " + " & ".join(str(f.nobs) for f in fits) + r" \\",
        "Log-likelihood & " + " & ".join(f"${fmt.format(f.llf)}$" for f in fits) + r" \\",
        "AIC & " + " & ".join(f"${fmt.format(f.aic)}$" for f in fits) + r" \\",
    ]
    version = fits[0].provenance["bargain"] if hasattr(fits[0], "provenance") else "?"
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        lines.append(rf"\caption{{{_escape(caption)}}}")
    if label:
        lines.append(rf"\label{{{label}}}")
    lines += [
        r"\begin{tabular}{l" + "c" * len(fits) + "}",
        r"\toprule",
        " & " + " & ".join(_escape(h) for h in heads) + r" \\",
        r"\midrule",
        *body,
        r"\midrule",
        *foot,
        r"\bottomrule",
        r"\end{tabular}",
    ]
    if stars:
        lines.append(r"\par\footnotesize $^{*}p<0.05$, $^{**}p<0.01$, $^{***}p<0.001$")
    lines.append(r"\end{table}")
    models = ", ".join(f"{f.model_name} ({f.link}, {f.error})" for f in fits)
    lines.append(f"% bargain {version}: {_comment(models)}")
    return "\n".join(lines)


def _comment(text: str) -> str:
    return str(text).replace("\n", " ")
