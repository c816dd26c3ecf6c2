"""Solving trees with imperfect recall: what is sound, and the refusals.

Without perfect recall, Kuhn's theorem fails: a mixed strategy (a lottery over plans) may
have no outcome-equivalent behavior strategy, and under absent-mindedness a behavior
strategy may have no equivalent mixed one (Piccione & Rubinstein 1997).  Sequence form,
realization plans and subgame perfection by backward induction need it and refuse.  Sound
here:

* **Nash equilibria in mixed strategies of the strategic form.**  Every normal-form
  method (``pure``, ``support``, ``vertex``, ``lemke_howson``, ``zero_sum``, ``iesds``,
  ``logit``) runs on :meth:`~bargain.games.extensive_form.GameTree.to_normal_form`.  The
  reduction is sound without perfect recall: two pure strategies that differ only at
  information sets their own moves never reach lead to the same leaf against every play
  of the others, so the reduced form has the same mixed equilibria, up to
  payoff-equivalent duplicates, as the full one.  The result's ``game`` is that
  strategic form and its equilibria are mixed strategies over its (reduced) plans.
* **The agent form** (methods ``agent_pure`` and ``agent_logit``;
  :mod:`bargain.solvers.trees.agent`), in behavior strategies; an agent equilibrium need
  not be a Nash equilibrium.

``method="auto"`` on such a tree is ``auto`` on its strategic form (vertex enumeration
for two players, pure plus logit for more), or the agent logit QRE when the strategic
form is too large to build.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bargain.errors import GameShapeError

__all__ = ["STRATEGIC_CAVEAT", "solve_imperfect"]

#: the note every strategic-form result of an imperfect-recall tree carries
STRATEGIC_CAVEAT = (
    "imperfect recall: Nash equilibria in mixed strategies of the reduced strategic form "
    "(result.game; strategies are lotteries over plans); such a mixed strategy may have "
    "no equivalent behavior strategy (Kuhn's theorem needs perfect recall), so none is given"
)

_TREE_NEEDS_RECALL = ("spe", "sequence_form")


def solve_imperfect(tree: Any, method: str, options: dict[str, Any], solve: Any):
    """Solve an imperfect-recall `tree` by `method` (see the module docstring); `solve` is
    :func:`bargain.solvers.api.solve`, passed in to keep the layers one-way.

    Examples
    --------
    >>> import bargain as bg
    >>> from bargain import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("B", {
    ...     "l": Decision("A", {"x": Terminal(1, -1), "y": Terminal(-1, 1)}, infoset="J"),
    ...     "r": Decision("A", {"x": Terminal(-1, 1), "y": Terminal(1, -1)}, infoset="J")}))
    >>> t.perfect_recall  # A does not see B's move: imperfect information, perfect recall
    True
    >>> forgetful = GameTree(("A",), Decision("A", {
    ...     "l": Decision("A", {"x": Terminal(1), "y": Terminal(0)}, infoset="J"),
    ...     "r": Decision("A", {"x": Terminal(0), "y": Terminal(2)}, infoset="J")}))
    >>> r = bg.solve(forgetful, method="pure")
    >>> r.game.strategies, [eq.payoffs.tolist() for eq in r.equilibria]
    ((('l/x', 'l/y', 'r/x', 'r/y'),), [[2.0]])
    """
    if method in _TREE_NEEDS_RECALL:
        tree.require_perfect_recall(f"method {method!r}")
    if tree.is_symbolic:
        from bargain.errors import SolverError

        raise SolverError(
            "the tree has symbolic payoffs or probabilities; call .numeric(...) with "
            "parameter values first"
        )
    w = tree.recall_witness
    where = f"imperfect recall ({w.describe(tree)})"
    try:
        nf = tree.to_normal_form()
    except GameShapeError as exc:
        if method != "auto":
            raise
        result = solve(tree, method="agent_logit", **options)
        note = (
            f"auto: {where}; the strategic form is too large ({exc}), so the agent logit "
            "QRE on the tree instead"
        )
        return dataclasses.replace(result, notes=(note, *result.notes))
    result = solve(nf, method=method, **options)
    note = f"{where}: solved on the reduced strategic form"
    return dataclasses.replace(result, notes=(note, STRATEGIC_CAVEAT, *result.notes))
