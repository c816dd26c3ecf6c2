"""Tests of method "lemke_howson" written for the mutants that survived its mutation run.

See the "Mutation testing" section of docs/testing.md: the single-label path (the
common case, with its own bookkeeping) was reached by almost no test of the selection;
the label-map note of two labels, the tolerance of a constant game and the check of a
float ``tol`` out of range were not checked.  The equilibria are compared with nashpy's
Lemke–Howson from the same dropped label and checked by a regret computed here.
"""

from __future__ import annotations

import warnings

import nashpy
import numpy as np
import pytest

from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.lemke_howson import lemke_howson
from bargain.solvers.tolerance import OptionError

# von Stengel (2007), Algorithmic Game Theory ch. 3, the 3x2 example (three equilibria;
# label 0 leads to the pure one, labels 1 and 4 to the mixed one on rows 2-3)
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]


def regret(A, B, x, y) -> float:
    A, B, x, y = (np.asarray(v, dtype=float) for v in (A, B, x, y))
    u1, u2 = x @ A @ y, x @ B @ y
    return max(float(np.max(A @ y) - u1), float(np.max(x @ B) - u2), 0.0)


def nashpy_end(A, B, label):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return nashpy.Game(np.array(A, dtype=float), np.array(B, dtype=float)).lemke_howson(
            initial_dropped_label=label
        )


def games():
    yield VS_A, VS_B
    rng = np.random.default_rng(3)
    for m, n in [(2, 2), (3, 3), (4, 3), (5, 5)]:
        yield rng.random((m, n)).tolist(), rng.random((m, n)).tolist()  # nondegenerate a.s.


@pytest.mark.parametrize("case", list(games()), ids=lambda c: f"{len(c[0])}x{len(c[0][0])}")
def test_each_single_label_matches_nashpy_and_the_all_labels_run(case):
    A, B = case
    g = NormalFormGame([A, B])
    m, n = len(A), len(A[0])
    every = lemke_howson(g, labels="all")
    for k in range(m + n):
        r = lemke_howson(g, labels=k)
        assert r.complete is True
        (eq,) = r.equilibria
        x, y = eq.strategies
        assert regret(A, B, x, y) <= 1e-9
        assert eq.max_regret <= r.tolerance
        nx, ny = nashpy_end(A, B, k)
        np.testing.assert_allclose(x, nx, atol=1e-9)
        np.testing.assert_allclose(y, ny, atol=1e-9)
        assert eq.info["labels"] == (k,)
        assert r.options["label_map"] == {k: 0}
        same = every.equilibria[every.options["label_map"][k]]
        np.testing.assert_allclose(x, same.strategies[0], atol=1e-12)
        np.testing.assert_allclose(y, same.strategies[1], atol=1e-12)
        # the pivots of the path from k, as a two-label run reports them for k first
        other = (k + 1) % (m + n)
        pair = lemke_howson(g, labels=[k, other])
        owner = pair.options["label_map"][k]
        assert pair.equilibria[owner].info["pivots"] == eq.info["pivots"] >= 1
        np.testing.assert_allclose(eq.payoffs, [x @ np.array(A) @ y, x @ np.array(B) @ y])


def test_two_labels_get_the_label_map_note():
    r = lemke_howson(NormalFormGame([VS_A, VS_B]), labels=[0, 1])
    assert r.options["label_map"] == {0: 0, 1: 1}
    assert "label map: 0->0, 1->1" in r.notes
    single = lemke_howson(NormalFormGame([VS_A, VS_B]), labels=0)
    assert not any(note.startswith("label map") for note in single.notes)


def test_a_constant_game_has_the_relative_tolerance_itself():
    # "tolerance tol times the payoff scale ... 1 if both are constant"
    g = NormalFormGame([np.full((2, 3), 4.0), np.full((2, 3), -1.0)])
    r = lemke_howson(g, labels="all", tol=1e-7)
    assert r.tolerance == 1e-7
    for eq in r.equilibria:
        assert regret(g.payoffs[0], g.payoffs[1], *eq.strategies) == 0.0


@pytest.mark.parametrize("tol", [2.0, 1.0, 0.0, -0.5])
def test_a_float_tol_out_of_range_is_refused(tol):
    with pytest.raises(OptionError, match="option 'tol' of method 'lemke_howson'"):
        lemke_howson(NormalFormGame([VS_A, VS_B]), tol=tol)
