"""Backward induction's errors say what is wrong and what to do instead (the messages were
changed freely by surviving mutants in tools/mutation.py's run: no test read them)."""

from __future__ import annotations

import re

import pytest
import sympy

from bargain import Decision, GameTree, Terminal
from bargain.errors import SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.solvers.trees.backward_induction import backward_induction

TREE = GameTree(("A",), Decision("A", {"a": Terminal(1), "b": Terminal(0)}))


def test_priority_must_be_labels() -> None:
    with pytest.raises(SolverError, match=r"^priority must be action labels, got 3$"):
        backward_induction(TREE, priority=3)


def test_a_normal_form_game_is_sent_to_its_solvers() -> None:
    msg = (
        "method 'spe' needs a GameTree, got NormalFormGame; "
        "for a NormalFormGame use method 'pure', 'vertex' or 'support'"
    )
    with pytest.raises(SolverError, match=f"^{re.escape(msg)}$"):
        backward_induction(NormalFormGame([[[1]], [[1]]]))


def test_a_symbolic_tree_is_sent_to_numeric_or_solve_points() -> None:
    x = sympy.Symbol("x")
    tree = GameTree(("A",), Decision("A", {"a": Terminal(x), "b": Terminal(0)}))
    with pytest.raises(SolverError, match=r"^the tree has symbolic payoffs or probabilities; "):
        backward_induction(tree)


def test_max_equilibria_names_the_method() -> None:
    with pytest.raises(SolverError, match=r"of method 'backward_induction': must be a positive"):
        backward_induction(TREE, max_equilibria=0)
