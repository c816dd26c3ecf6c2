"""The plain-column design (intercept, numeric columns, categoricals) equals formulaic's."""

import numpy as np
import pandas as pd
import pytest
from formulaic import model_matrix

from bargain.estimate._design import PlainSpec, build_design, design_matrices


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "y": rng.integers(0, 2, 30),
            "x": rng.normal(size=30),
            "k": rng.integers(-3, 3, 30),
            "f": pd.Categorical(rng.choice(["a", "b"], 30)),
            "g": pd.Categorical(rng.choice(["lo", "mid", "hi"], 30), ["mid", "lo", "hi"]),
        }
    )


@pytest.mark.parametrize(
    ("rhs", "plain"),
    [
        ("x + k", True),
        ("k + x - 1", True),
        ("0", True),
        ("1", True),
        ("x + f", True),
        ("f + x", True),
        ("g + x + f", True),
        ("g", True),
        ("g - 1", False),
        ("x + f - 1", False),
        ("x:k", False),
        ("f:x", False),
    ],
)
def test_plain_parts_match_formulaic(frame, rhs, plain):
    design = build_design(f"y ~ {rhs}", frame, n_parts=1)
    want = model_matrix(rhs, frame, ensure_full_rank=True)
    names = tuple("(Intercept)" if c == "Intercept" else c for c in want.columns)
    assert design.names[0] == names
    np.testing.assert_array_equal(design.matrices[0], np.asarray(want, dtype=float))
    assert isinstance(design.specs[0], PlainSpec) is plain
    # and on new rows
    again = design_matrices(design, frame.iloc[:5])
    np.testing.assert_array_equal(again[0], np.asarray(want, dtype=float)[:5])


def test_plain_factor_refuses_a_level_it_was_not_fitted_on(frame):
    from bargain.errors import BargainError

    design = build_design("y ~ x + g", frame, n_parts=1)
    new = frame.iloc[:3].copy()
    new["g"] = pd.Categorical(["lo", "new", "hi"])
    with pytest.raises(BargainError, match="'new'"):
        design_matrices(design, new)


def test_plain_factor_maps_new_data_by_level_not_by_code(frame):
    # the same levels in another order (an equal unordered dtype) and plain strings must
    # give the fitted columns; only an identical category order may reuse the codes
    design = build_design("y ~ x + g", frame, n_parts=1)
    want = design.matrices[0][:6]
    for g in (
        pd.Categorical(frame["g"].iloc[:6].astype(str), ["hi", "lo", "mid"]),
        frame["g"].iloc[:6].astype(str).to_numpy(),
        frame["g"].iloc[:6].to_numpy(),
    ):
        new = frame.iloc[:6].copy()
        new["g"] = g
        np.testing.assert_array_equal(design_matrices(design, new)[0], want)


def test_unused_levels_are_dropped_only_from_the_rows_used(frame):
    # rows with a missing value go first; a level seen only on those rows is then unused
    data = frame.copy()
    data["g"] = data["g"].cat.add_categories(["never"])
    data.loc[0, "x"] = np.nan
    data.loc[0, "g"] = "never"
    design = build_design("y ~ x + g", data, n_parts=1)
    assert design.n_dropped == 1
    assert list(design.frame["g"].cat.categories) == ["mid", "lo", "hi"]
    assert "never" in list(data["g"].cat.categories)  # the caller's frame is untouched
