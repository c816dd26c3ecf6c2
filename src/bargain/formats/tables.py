"""Paper tables from a tidy data frame: CSV, Markdown and LaTeX (booktabs)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["Rows", "latex_escape", "to_csv", "to_latex", "to_markdown"]


class _Column(list):
    """A column of :class:`Rows`: a list with a NumPy-like ``dtype.kind``."""

    @property
    def dtype(self) -> Any:
        return np.dtype({"b": bool, "i": np.int64, "f": float}.get(_kind(self), object))


def _kind(values: Sequence[Any]) -> str:
    """The kind pandas would give the column: ``b``, ``i``, ``f`` or ``O``."""
    if not values:
        return "O"
    if all(isinstance(v, (bool, np.bool_)) for v in values):
        return "b"
    if any(isinstance(v, (bool, np.bool_)) for v in values):
        return "O"
    if all(isinstance(v, (int, np.integer)) for v in values):
        return "i"
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in values):
        return "f"
    return "O"


class Rows:
    """A small table of records: what the table writers need of a data frame, without
    pandas (a report imports no pandas).  ``to_csv`` writes what pandas' does.

    Examples
    --------
    >>> t = Rows([{"q": 0.5, "holds": True}, {"q": 1, "holds": False}])
    >>> t.columns, t["q"].dtype.kind, len(t)
    (['q', 'holds'], 'f', 2)
    >>> print(t.to_csv(), end="")
    q,holds
    0.5,True
    1.0,False
    """

    def __init__(self, records: Sequence[Mapping[str, Any]]) -> None:
        columns: list[str] = []
        for r in records:
            columns += [c for c in r if c not in columns]
        self._data = {c: _Column(r.get(c) for r in records) for c in columns}
        self._n = len(records)

    @property
    def columns(self) -> list[str]:
        return list(self._data)

    def __len__(self) -> int:
        return self._n

    def __contains__(self, column: str) -> bool:
        return column in self._data

    def __getitem__(self, column: str) -> _Column:
        return self._data[column]

    def __setitem__(self, column: str, values: Sequence[Any]) -> None:
        values = _Column(values)
        if len(values) != self._n:
            raise ValueError(f"column {column!r}: {len(values)} values for {self._n} rows")
        self._data[column] = values

    def copy(self) -> Rows:
        out = Rows([])
        out._data = {c: _Column(v) for c, v in self._data.items()}
        out._n = self._n
        return out

    def itertuples(self, index: bool = False) -> Any:
        cols = [self._float_or_raw(c) for c in self._data]
        return zip(*cols, strict=True) if cols else iter(())

    def _float_or_raw(self, column: str) -> list[Any]:
        values = self._data[column]
        if values.dtype.kind == "f":  # pandas makes a mixed int/float column float
            return [float(v) for v in values]
        return list(values)

    def to_csv(self, index: bool = False, lineterminator: str = "\n") -> str:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator=lineterminator)
        w.writerow(self.columns)
        for row in self.itertuples():
            w.writerow([_csv_cell(v) for v in row])
        return buf.getvalue()


def _csv_cell(v: Any) -> Any:
    if isinstance(v, (bool, np.bool_)):
        return "True" if v else "False"
    if isinstance(v, (float, np.floating)):
        return repr(float(v)) if np.isfinite(v) else ("" if np.isnan(v) else str(float(v)))
    if isinstance(v, np.integer):
        return int(v)
    return "" if v is None else v


def latex_escape(text: str) -> str:
    r"""Escape LaTeX's special characters in plain text.

    Examples
    --------
    >>> latex_escape("M_G & 5%")
    'M\\_G \\& 5\\%'
    """
    out = []
    for ch in str(text):
        out.append(
            {
                "\\": r"\textbackslash{}",
                "&": r"\&",
                "%": r"\%",
                "$": r"\$",
                "#": r"\#",
                "_": r"\_",
                "{": r"\{",
                "}": r"\}",
                "~": r"\textasciitilde{}",
                "^": r"\textasciicircum{}",
            }.get(ch, ch)
        )
    return "".join(out)


def _fmt(x: Any, decimals: int) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        if math.isnan(x):
            return "--"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return f"{x:.{decimals}f}"
    if isinstance(x, np.bool_):
        return "yes" if bool(x) else "no"
    if isinstance(x, np.floating):
        return _fmt(float(x), decimals)
    if isinstance(x, np.integer):
        return str(int(x))
    return str(x)


def _rows(frame: Any, decimals: int) -> tuple[list[str], list[list[str]]]:
    columns = [str(c) for c in frame.columns]
    rows = [[_fmt(v, decimals) for v in row] for row in frame.itertuples(index=False)]
    return columns, rows


def to_csv(frame: Any, path: Any = None) -> str:
    """CSV text of `frame` (full precision); written to `path` when given.

    Examples
    --------
    >>> import pandas as pd
    >>> print(to_csv(pd.DataFrame({"q": [0.5], "holds": [True]})), end="")
    q,holds
    0.5,True
    """
    text = frame.to_csv(index=False, lineterminator="\n")
    if path is not None:
        from bargain.formats.files import atomic_write_text

        atomic_write_text(path, text)
    return text


def to_markdown(frame: Any, *, labels: Mapping[str, str] | None = None, decimals: int = 3) -> str:
    """A GitHub-flavoured Markdown table with fixed decimals.

    Examples
    --------
    >>> import pandas as pd
    >>> print(to_markdown(pd.DataFrame({"q": [0.5], "holds": [True]}), labels={"q": "detection"}))
    | detection | holds |
    |---:|:---|
    | 0.500 | yes |
    """
    labels = dict(labels or {})
    columns, rows = _rows(frame, decimals)
    head = "| " + " | ".join(labels.get(c, c) for c in columns) + " |"
    align = "|" + "|".join(_align_md(frame[c]) for c in frame.columns) + "|"
    body = ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join([head, align, *body])


def _numeric(series: Any) -> bool:
    kind = getattr(series.dtype, "kind", "O")
    return kind in "iuf"


def _align_md(series: Any) -> str:
    return "---:" if _numeric(series) else ":---"


def to_latex(
    frame: Any,
    *,
    labels: Mapping[str, str] | None = None,
    decimals: int = 3,
    caption: str | None = None,
    label: str | None = None,
    notes: Sequence[str] = (),
    raw: Sequence[str] = (),
) -> str:
    r"""A booktabs table (``\toprule``/``\midrule``/``\bottomrule``) with fixed decimals.

    Column labels come from `labels` (e.g. parameter descriptions) and are written as
    given, so they may contain LaTeX math; cell text is escaped, except in the columns
    named in `raw`, whose cells are LaTeX already (``$\rho$``, ``$[0, 1]$``).

    Examples
    --------
    >>> import pandas as pd
    >>> print(to_latex(pd.DataFrame({"q": [0.5]}), labels={"q": "$q$"}, decimals=2))
    \begin{tabular}{r}
    \toprule
    $q$ \\
    \midrule
    0.50 \\
    \bottomrule
    \end{tabular}
    """
    labels = dict(labels or {})
    columns, rows = _rows(frame, decimals)
    spec = "".join("r" if _numeric(frame[c]) else "l" for c in frame.columns)
    lines = [rf"\begin{{tabular}}{{{spec}}}", r"\toprule"]
    lines.append(" & ".join(labels.get(c, latex_escape(c)) for c in columns) + r" \\")
    lines.append(r"\midrule")
    keep = [c in set(raw) for c in columns]
    lines += [
        " & ".join(x if k else latex_escape(x) for x, k in zip(r, keep, strict=True)) + r" \\"
        for r in rows
    ]
    lines += [r"\bottomrule", r"\end{tabular}"]
    if notes:
        lines += [r"\par\smallskip", r"\footnotesize " + " ".join(latex_escape(n) for n in notes)]
    if caption is None and label is None:
        return "\n".join(lines)
    wrapped = [r"\begin{table}[htbp]", r"\centering"]
    if caption:
        wrapped.append(rf"\caption{{{latex_escape(caption)}}}")
    if label:
        wrapped.append(rf"\label{{{label}}}")
    return "\n".join([*wrapped, *lines, r"\end{table}"])
