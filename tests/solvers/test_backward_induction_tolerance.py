"""Backward induction's reported regret when the tie tolerance picks a slightly worse action.

An action within ``tol * max(1, |best|)`` of the best counts as optimal, so the tie rule may
pick a preferred action that is worse by less than the tolerance.  The equilibrium is then
an epsilon-equilibrium, and its ``max_regret`` must say by how much (found by mutation
testing, tools/mutation.py: a solver that dropped the figure passed every other test).
"""

from __future__ import annotations

import pytest

from bargain import Decision, GameTree, Terminal
from bargain.solvers.trees.backward_induction import backward_induction


@pytest.mark.parametrize("gap", [0.0, 2.0**-45, 2.0**-42])
def test_max_regret_is_the_gap_the_tie_rule_accepted(gap: float) -> None:
    # A prefers "x" on ties; "y" pays `gap` more, within the default tol (1e-12)
    tree = GameTree(("A",), Decision("A", {"x": Terminal(1.0), "y": Terminal(1.0 + gap)}))
    (eq,) = backward_induction(tree, priority=("x",), all_equilibria=False).equilibria
    assert eq.path == ("x",)
    assert eq.max_regret == pytest.approx(gap, rel=1e-9, abs=0.0)
    # preferring "y", the best action is taken, and nobody regrets anything
    (best,) = backward_induction(tree, priority=("y",), all_equilibria=False).equilibria
    assert best.path == ("y",)
    assert best.max_regret == 0.0
