"""Small real data sets for strategic-model estimation, with their citations.

The data sets distributed with the R package ``games`` 1.1.2 (Kenkel & Signorino 2014,
"Estimating extensive form games in R", *Journal of Statistical Software* 56(8)), shipped
as CSV files inside this package.  Each loader returns a fresh :class:`pandas.DataFrame`;
factor columns are ordered :class:`pandas.Categorical` columns with R's level order, so
that treatment coding reproduces R's.

Examples
--------
>>> from bargain import datasets
>>> datasets.list_datasets()
('data_122', 'data_123', 'data_ult', 'leblang2003', 'student_offers', 'war1800')
>>> datasets.load("war1800").shape
(313, 21)
"""

from __future__ import annotations

from bargain.datasets._load import (
    list_datasets,
    load,
    load_data_122,
    load_data_123,
    load_data_ult,
    load_leblang2003,
    load_student_offers,
    load_war1800,
)

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
