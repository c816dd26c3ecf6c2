"""The packaged data sets: same values as the CSV files, R's factor coding, in the wheel."""

import csv
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bargain import datasets
from bargain.errors import BargainError

DATA = Path(datasets.__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]

# rows x columns and factor levels as the data README lists them (R's `games` 1.1.2)
SHAPES = {
    "war1800": (313, 21),
    "leblang2003": (7240, 18),
    "student_offers": (32, 4),
    "data_122": (1000, 13),
    "data_123": (1000, 12),
    "data_ult": (1500, 12),
}
LEVELS = {
    ("war1800", "regime1"): ["autoc", "dem", "mixed"],
    ("war1800", "regime2"): ["autoc", "dem", "mixed"],
    ("leblang2003", "outcome"): ["no attack", "devaluation", "defense"],
    ("data_122", "f1"): ["a", "b", "c"],
    ("data_122", "f2"): ["a", "b", "c"],
    ("data_122", "y"): ["LL", "LR", "RL", "RR"],
}
LOADERS = {
    "war1800": datasets.load_war1800,
    "leblang2003": datasets.load_leblang2003,
    "student_offers": datasets.load_student_offers,
    "data_122": datasets.load_data_122,
    "data_123": datasets.load_data_123,
    "data_ult": datasets.load_data_ult,
}


def _raw(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_loader_matches_the_csv_cell_by_cell(name):
    frame = LOADERS[name]()
    header, rows = _raw(name)
    assert frame.shape == SHAPES[name]
    assert list(frame.columns) == header
    for j, column in enumerate(header):
        raw = [r[j] for r in rows]
        col = frame[column]
        missing = np.array([v == "" for v in raw])
        np.testing.assert_array_equal(col.isna().to_numpy(), missing)
        if isinstance(col.dtype, pd.CategoricalDtype):
            got = [str(v) for v, m in zip(col.astype(object), missing, strict=True) if not m]
            assert got == [v for v in raw if v != ""]
        else:
            want = np.array([float(v) if v != "" else np.nan for v in raw])
            np.testing.assert_array_equal(col.to_numpy(dtype=float), want)


@pytest.mark.parametrize(("name", "column"), sorted(LEVELS), ids=lambda v: str(v))
def test_factor_columns_are_ordered_categoricals_in_r_level_order(name, column):
    col = datasets.load(name)[column]
    assert isinstance(col.dtype, pd.CategoricalDtype)
    assert col.cat.ordered
    assert list(col.cat.categories) == LEVELS[(name, column)]


def test_nation_levels_are_alphabetical():
    col = datasets.load_leblang2003()["nation"]
    assert list(col.cat.categories) == sorted(set(col.dropna().astype(str)))


def test_war1800_escalation_is_capitulation_or_war():
    df = datasets.load_war1800()
    np.testing.assert_array_equal(df["esc"], df["capit"] + df["war"])
    np.testing.assert_array_equal(df["sq"], 1 - df["esc"])


def test_each_load_returns_a_fresh_frame():
    a = datasets.load_war1800()
    a.loc[0, "year"] = -1
    assert datasets.load_war1800().loc[0, "year"] != -1


def test_unknown_name_is_a_clear_error():
    with pytest.raises(BargainError, match="no data set named 'war1900'"):
        datasets.load("war1900")


def test_every_loader_docstring_cites_its_source():
    for loader in LOADERS.values():
        assert "Source:" in loader.__doc__
    assert "Conflict Management and Peace Science" in datasets.load_war1800.__doc__
    assert "International Studies Quarterly" in datasets.load_leblang2003.__doc__


def test_wheel_ships_the_csv_files(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHAPES:
        assert f"bargain/datasets/data/{name}.csv" in names
