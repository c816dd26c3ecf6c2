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
