"""Read the packaged CSV files into DataFrames with R's factor coding."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from bargain.errors import BargainError

__all__ = [
    "list_datasets",
    "load",
    "load_data_122",
    "load_data_123",
    "load_data_ult",
    "load_leblang2003",
    "load_student_offers",
    "load_war1800",
]

# factor columns and their levels in R's order (None: alphabetical, as R's factor())
_FACTORS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "war1800": {"regime1": ("autoc", "dem", "mixed"), "regime2": ("autoc", "dem", "mixed")},
    "leblang2003": {"outcome": ("no attack", "devaluation", "defense"), "nation": None},
    "student_offers": {},
    "data_122": {"f1": ("a", "b", "c"), "f2": ("a", "b", "c"), "y": ("LL", "LR", "RL", "RR")},
    "data_123": {},
    "data_ult": {},
}


def list_datasets() -> tuple[str, ...]:
    """Names of the data sets :func:`load` knows.

    Returns
    -------
    tuple of str
        Sorted names.

    Examples
    --------
    >>> "war1800" in list_datasets()
    True
    """
    return tuple(sorted(_FACTORS))


def load(name: str) -> pd.DataFrame:
    """Load a packaged data set by name.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets`.

    Returns
    -------
    pandas.DataFrame
        Missing values (empty CSV fields) are ``NaN``; factor columns are ordered
        categoricals in R's level order.

    Raises
    ------
    BargainError
        If there is no data set of that name.

    Examples
    --------
    >>> load("student_offers").columns.tolist()
    ['offer', 'accept', 'gender1', 'gender2']
    """
    if name not in _FACTORS:
        raise BargainError(f"no data set named {name!r}; known: {', '.join(list_datasets())}")
    path = resources.files("bargain.datasets").joinpath("data", f"{name}.csv")
    with path.open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, keep_default_na=False, na_values=[""])
    for column, levels in _FACTORS[name].items():
        values = frame[column].astype("string")
        cats = sorted(values.dropna().unique()) if levels is None else list(levels)
        unknown = set(values.dropna().unique()) - set(cats)
        if unknown:  # pragma: no cover - guards the packaged files
            raise BargainError(f"{name}.csv column {column!r}: unexpected levels {unknown}")
        frame[column] = pd.Categorical(values.to_numpy(object), categories=cats, ordered=True)
    return frame


def load_war1800() -> pd.DataFrame:
    """Militarized interstate disputes 1816–1899 (313 dyad-years × 21 columns).

    Initiator and respondent capabilities (``cap_1``, ``cap_2``, ``balanc`` =
    ``cap_1 / (cap_1 + cap_2)``), S-scores (``s_wt_re1``, ``s_wt_re2``), Polity scores
    (``dem1``, ``dem2``), ``distance``, ``peaceyrs``, revisionist aims (``revis1``,
    ``revis2``), outcome indicators ``sq``, ``capit``, ``war`` and ``esc`` (escalation:
    capitulation or war), and regime types ``regime1``, ``regime2`` (levels ``autoc``,
    ``dem``, ``mixed``).

    Source: Daniel M. Jones, Stuart A. Bremer and J. David Singer (1996), "Militarized
    Interstate Disputes, 1816–1992: Rationale, Coding Rules, and Empirical Patterns",
    *Conflict Management and Peace Science* 15(2): 163–213 (Correlates of War project);
    as distributed with the R package ``games`` (Kenkel & Signorino 2014, *Journal of
    Statistical Software* 56(8)).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> df = load_war1800()
    >>> df.shape, list(df["regime1"].cat.categories)
    ((313, 21), ['autoc', 'dem', 'mixed'])
    """
    return load("war1800")


def load_leblang2003() -> pd.DataFrame:
    """Speculative currency attacks, 90 countries, 1985–1998 (7,240 country-months).

    ``outcome`` has levels ``no attack``, ``devaluation``, ``defense`` (status quo, then the
    two responses to an attack, the order egame12 expects); ``nation`` is a factor with
    alphabetical levels; the other columns are macroeconomic and political covariates.

    Source: David A. Leblang (2003), "To Devalue or to Defend? The Political Economy of
    Exchange Rate Policy", *International Studies Quarterly* 47(4): 533–559; as distributed
    with the R package ``games``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> df = load_leblang2003()
    >>> len(df), list(df["outcome"].cat.categories)
    (7240, ['no attack', 'devaluation', 'defense'])
    """
    return load("leblang2003")


def load_student_offers() -> pd.DataFrame:
    """An ultimatum-game classroom experiment with graduate students (32 rows).

    ``offer`` (maximum offer 100), ``accept`` (1 if accepted), ``gender1``, ``gender2``
    (1 if the player is female).

    Source: distributed with the R package ``games`` 1.1.2 (Kenkel & Signorino 2014,
    *Journal of Statistical Software* 56(8)).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> int(load_student_offers()["offer"].max()) <= 100
    True
    """
    return load("student_offers")


def load_data_122() -> pd.DataFrame:
    """Simulated data for the egame122 model (1,000 rows).

    Factors ``f1``, ``f2`` (levels ``a``, ``b``, ``c``), regressors ``x1``–``x5`` (player
    1) and ``z1``–``z3`` (player 2), action indicators ``a1``, ``a2`` and the outcome ``y``
    (levels ``LL``, ``LR``, ``RL``, ``RR``).

    Source: simulated by the authors of the R package ``games`` (Kenkel & Signorino 2014).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> list(load_data_122()["y"].cat.categories)
    ['LL', 'LR', 'RL', 'RR']
    """
    return load("data_122")


def load_data_123() -> pd.DataFrame:
    """Simulated data for the egame123 model (1,000 rows).

    Regressors ``x1``–``x8``, action indicators ``a1``, ``a2``, ``a3`` and the outcome
    number ``y`` (1, 3, 5 or 6, the terminal nodes of the egame123 tree).

    Source: simulated by the authors of the R package ``games`` (Kenkel & Signorino 2014).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> sorted(load_data_123()["y"].unique().tolist())
    [1, 3, 5, 6]
    """
    return load("data_123")


def load_data_ult() -> pd.DataFrame:
    """Simulated data for the ultimatum model (1,500 rows).

    ``offer``, ``accept``, regressors ``w1``, ``w2`` (both reservation values), ``x1``–``x4``
    (player 1's) and ``z1``–``z4`` (player 2's).

    Source: simulated by the authors of the R package ``games`` (Kenkel & Signorino 2014).

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> load_data_ult().shape
    (1500, 12)
    """
    return load("data_ult")
