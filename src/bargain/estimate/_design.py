"""From a multi-part formula and a DataFrame to response columns and design matrices.

Formulas are parsed by formulaic (never evaluated by us): ``lhs ~ part1 | part2 | ...``,
one right-hand part per utility (or scale) equation.  ``0`` fixes an equation at zero
(no columns), ``1`` is an intercept only; factors get treatment coding against their
first level.  Rows with a missing value in any variable the model uses are dropped (as
R's ``na.omit``), and counted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from formulaic import Formula
from formulaic.formula import StructuredFormula

from bargain.errors import DataError, ParameterError

__all__ = ["Design", "build_design", "design_matrices"]


@dataclass(frozen=True)
class Design:
    """The parts of a formula applied to data: what the likelihoods consume."""

    lhs: tuple[str, ...]  # response column names
    frame: pd.DataFrame  # rows used (NA rows dropped), unused factor levels dropped
    matrices: tuple[np.ndarray, ...]  # one design matrix per right-hand part
    names: tuple[tuple[str, ...], ...]  # column names of each matrix
    specs: tuple  # formulaic ModelSpec per part, to rebuild matrices on new data
    n_dropped: int  # rows dropped for missing values
    index: pd.Index  # labels of the rows used
    n_main: int  # parts from the formula (the rest come from `extra`)


@functools.lru_cache(maxsize=64)
def _parse(formula: str) -> Formula:
    """formulaic's parse of a formula string, kept: refits and bootstraps reuse it."""
    return Formula(formula)


def _split(formula: str) -> tuple[tuple[str, ...], list]:
    if not isinstance(formula, str):
        raise ParameterError("formula", f"must be a string, got {type(formula).__name__}")
    try:
        parsed = _parse(formula)
    except Exception as exc:  # formulaic raises several types; report them as ours
        raise ParameterError("formula", f"cannot parse {formula!r}: {exc}") from exc
    if not hasattr(parsed, "lhs") or not hasattr(parsed, "rhs"):
        raise ParameterError("formula", f"{formula!r} needs a left side: 'y ~ ...'")
    lhs = tuple(str(term) for term in parsed.lhs)
    rhs = list(parsed.rhs) if isinstance(parsed.rhs, tuple) else [parsed.rhs]
    return lhs, rhs


def _variables(parts) -> list[str]:
    names: list[str] = []
    for part in parts:
        for var in part.required_variables:
            is_value = any(getattr(r, "value", r) == "value" for r in var.roles)
            if is_value and str(var) not in names:
                names.append(str(var))
    return names


def _check_columns(data: pd.DataFrame, names: list[str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise ParameterError("data", f"must be a pandas DataFrame, got {type(data).__name__}")
    for name in names:
        if name not in data.columns:
            raise DataError(name, "not in the data; columns are " + ", ".join(map(str, data)))


def _missing(col: pd.Series) -> np.ndarray | None:
    """The rows of `col` holding a missing value (None: there can be none)."""
    dtype = col.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "iub":
            return None
        if dtype.kind == "f":
            return np.isnan(col.to_numpy())
    elif isinstance(dtype, pd.CategoricalDtype):
        return col.array.codes < 0  # the Categorical's own codes: no accessor object
    return col.isna().to_numpy()


def _clean(data: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, int, dict]:
    """The used columns on the complete rows, as a new frame; unused levels dropped.

    Also returns the frame's column arrays by name (what the design matrices read).
    """
    missing = np.zeros(len(data), dtype=bool)
    series = {name: data[name] for name in names}  # each column looked up once
    for col in series.values():  # column by column: no (n, k) boolean frame
        m = _missing(col)
        if m is not None:
            missing |= m
    rows = np.flatnonzero(~missing)
    # each column's own array, taken at the complete rows (a copy: later changes to
    # `data` do not reach the design), without building the (n, k) subset frame first
    columns = {}
    for name, col in series.items():
        values = col.array.take(rows)
        if isinstance(values, pd.Categorical):  # drop unused levels, as R does
            n_cat = len(values.categories)
            codes = values.codes
            if np.count_nonzero(np.bincount(codes[codes >= 0], minlength=n_cat)) < n_cat:
                values = values.remove_unused_categories()
        columns[name] = values
    frame = pd.DataFrame(columns, index=data.index[rows], copy=False)
    if not names:
        frame = data.iloc[rows, :0]
    return frame, int(missing.sum()), columns


def _rename(column: str) -> str:
    return "(Intercept)" if column == "Intercept" else column


def build_design(
    formula: str,
    data: pd.DataFrame,
    *,
    n_parts: int | tuple[int, ...],
    extra: str | None = None,
    model: str = "model",
) -> Design:
    """Parse `formula`, drop incomplete rows and build one design matrix per part.

    `n_parts` is the number of right-hand parts the model needs (or the allowed numbers);
    `extra` is an optional one-sided formula (the scale equations), appended as more parts.
    """
    lhs, rhs = _split(formula)
    allowed = (n_parts,) if isinstance(n_parts, int) else tuple(n_parts)
    if len(rhs) not in allowed:
        raise ParameterError(
            "formula",
            f"{model} needs {' or '.join(map(str, allowed))} right-hand parts separated by "
            f"'|', got {len(rhs)} in {formula!r}",
        )
    if extra is not None:
        try:
            parsed = _parse(extra)
        except Exception as exc:
            raise ParameterError("sdformula", f"cannot parse {extra!r}: {exc}") from exc
        if hasattr(parsed, "lhs"):
            raise ParameterError("sdformula", f"{extra!r} must be one-sided: '~ x'")
        more = parsed.rhs if hasattr(parsed, "rhs") else parsed
        if isinstance(more, StructuredFormula):  # several one-sided parts: '~ 1 | x'
            more = more.root
    n_main = len(rhs)
    if extra is not None:
        rhs += list(more) if isinstance(more, tuple) else [more]
    names = list(dict.fromkeys([*lhs, *_variables(rhs)]))
    _check_columns(data, names)
    frame, dropped, arrays = _clean(data, names)
    if len(frame) == 0:
        raise DataError(", ".join(names), "no rows left after dropping missing values")
    matrices, colnames, specs = [], [], []
    dtypes = dict(zip(frame.columns, frame.dtypes, strict=True))  # not frame[c] per term
    for part in rhs:
        plain = _plain_columns(part, dtypes)
        if plain is not None:  # numeric columns, factors and an intercept: no formulaic
            spec = PlainSpec(plain, frame, dtypes)
            matrices.append(spec.get_model_matrix(frame, arrays))
            colnames.append(spec.names)
            specs.append(spec)
            continue
        mm = _model_matrix(part, frame)
        matrices.append(np.asarray(mm, dtype=float))
        colnames.append(tuple(_rename(c) for c in mm.columns))
        specs.append(mm.model_spec)
    return Design(
        lhs, frame, tuple(matrices), tuple(colnames), tuple(specs), dropped, frame.index, n_main
    )


class PlainSpec:
    """The design of a part made of an intercept (``"1"``), numeric columns and pandas
    categoricals (treatment coding against the first level, named ``x[T.level]``).

    Stands in for formulaic's ``ModelSpec`` (``required_variables``,
    ``get_model_matrix``), which costs milliseconds per part for what is a column stack;
    it gives the same columns, in the same order, with the same names.
    """

    def __init__(
        self, columns: tuple[str, ...], frame: pd.DataFrame, dtypes: dict | None = None
    ) -> None:
        self.columns = columns
        self.required_variables = tuple(c for c in columns if c != "1")
        if dtypes is None:
            dtypes = {c: frame[c].dtype for c in self.required_variables}
        self._dtypes = {  # the fitted categorical dtypes: data of the same dtype map by code
            c: dtypes[c] for c in columns if c != "1" and isinstance(dtypes[c], pd.CategoricalDtype)
        }
        self.levels = {c: tuple(dtype.categories) for c, dtype in self._dtypes.items()}
        names: list[str] = []
        for c in columns:
            if c in self.levels:
                names += [f"{c}[T.{v}]" for v in self.levels[c][1:]]
            else:
                names.append("(Intercept)" if c == "1" else c)
        self.names = tuple(names)

    def get_model_matrix(self, data: pd.DataFrame, arrays: dict | None = None) -> np.ndarray:
        """The design matrix on `data` (`arrays`: its columns' arrays by name, if at hand)."""
        out = np.empty((len(data), len(self.names)))
        j = 0
        for c in self.columns:
            col = None if c == "1" else (arrays[c] if arrays is not None else data[c].array)
            if c in self.levels:
                levels = self.levels[c]
                fitted = self._dtypes[c]
                if col.dtype is fitted or (
                    isinstance(col.dtype, pd.CategoricalDtype)
                    and col.dtype.categories.equals(fitted.categories)
                ):
                    codes = np.asarray(col.codes)  # same categories in the same order
                else:
                    codes = pd.Index(levels).get_indexer(np.asarray(col, dtype=object))
                    unknown = (codes < 0) & ~pd.isna(col)
                    if unknown.any():
                        bad = col[unknown][0]
                        raise DataError(c, f"level {bad!r} was not in the data fitted")
                for level in range(1, len(levels)):
                    out[:, j] = codes == level
                    j += 1
                continue
            out[:, j] = 1.0 if c == "1" else np.asarray(col, dtype=float)
            j += 1
        return out


def _plain_columns(part, dtypes: dict) -> tuple[str, ...] | None:
    """The part's columns in formulaic's order if it is an intercept and numeric columns
    (`dtypes`: the frame's column name → dtype)."""
    from formulaic.parser.types import Factor

    cols = []
    for term in part:
        factors = list(term.factors)
        if len(factors) != 1:
            return None
        f = factors[0]
        name = str(f)
        if f.eval_method == Factor.EvalMethod.LITERAL and name == "1":
            cols.append("1")
            continue
        if f.eval_method != Factor.EvalMethod.LOOKUP or name not in dtypes:
            return None
        dtype = dtypes[name]
        if isinstance(dtype, pd.CategoricalDtype):
            if len(dtype.categories) < 2:
                return None
        elif not (isinstance(dtype, np.dtype) and dtype.kind in "iuf"):
            return None
        cols.append(name)
    if cols.count("1") > 1 or ("1" in cols and cols[0] != "1"):
        return None
    if len(set(cols)) != len(cols):
        return None
    factors = [c for c in cols if c != "1" and isinstance(dtypes[c], pd.CategoricalDtype)]
    if factors and cols[:1] != ["1"]:  # without an intercept the first factor is full rank
        return None
    return tuple(cols)


def _model_matrix(part, frame: pd.DataFrame):
    from formulaic import model_matrix

    try:
        return model_matrix(part, frame, ensure_full_rank=True)
    except Exception as exc:
        raise ParameterError("formula", f"cannot build the design of {str(part)!r}: {exc}") from exc


def design_matrices(design: Design, data: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Rebuild the design matrices of `design` on new data (same columns, same levels)."""
    needed: list[str] = []
    for spec in design.specs:
        for var in spec.required_variables:
            if str(var) not in needed:
                needed.append(str(var))
    _check_columns(data, needed)
    frame = data[needed] if needed else data.iloc[:, :0]
    if frame.isna().any(axis=None):
        bad = [c for c in needed if data[c].isna().any()]
        raise DataError(bad[0], "has missing values; drop those rows before predicting")
    out = []
    for spec in design.specs:
        try:
            mm = spec.get_model_matrix(data)
        except Exception as exc:
            raise ParameterError("newdata", f"cannot build the design matrix: {exc}") from exc
        out.append(np.asarray(mm, dtype=float).reshape(len(data), -1))
    return tuple(out)
