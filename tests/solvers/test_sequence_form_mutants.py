"""Tests of method "sequence_form" written for mutants that survived its mutation run.

See the "Mutation testing" section of docs/testing.md: the linear-program route forced by
``zero_sum=True`` was solved by the older tests, but its result's options and note were
not checked.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from bargain.solvers.trees.behavior import tree_regret
from bargain.solvers.trees.sequence_form import sequence_form

# the suite runs with --import-mode=importlib: load the sibling helper module by path
_spec = importlib.util.spec_from_file_location(
    "seqform_trees", Path(__file__).with_name("seqform_trees.py")
)
trees = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(trees)


def test_zero_sum_true_solves_the_linear_program_and_says_so():
    tree = trees.kuhn_poker()
    r = sequence_form(tree, zero_sum=True, tol=1e-9)
    assert r.options["zero_sum"] is True
    assert r.options["tol"] == 1e-9
    assert r.notes == ("zero-sum tree: sequence-form linear program (HiGHS)",)
    assert r.complete is True
    (eq,) = r.equilibria
    # game value -1/18 for the first player (Kuhn 1950)
    np.testing.assert_allclose(eq.payoffs, [-1 / 18, 1 / 18], atol=1e-10)
    assert tree_regret(tree, eq.behavior).max() <= 1e-8
    # both linear programs' optima are the value, -1/18 for player 1
    np.testing.assert_allclose(eq.info["value_lp"], [-1 / 18, -1 / 18], atol=1e-9)
