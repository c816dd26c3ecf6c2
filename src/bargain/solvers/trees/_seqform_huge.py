"""Sequence form on payoffs float arithmetic cannot certify (private).

With payoffs beyond ``2**53`` or spanning more than ``1e15``
(:func:`bargain.solvers.certify.magnitude_reason`) the sequence form's float LP and
Lemke pivots lose the small payoffs (HiGHS reports a model error, Lemke's final basis is
not an equilibrium), and no float tolerance can tell a right answer from a wrong one.
The tree is then solved by exact vertex enumeration of its reduced strategic form (exact
integer or rational pivoting), each equilibrium turned into behavior strategies (Kuhn
1953) and kept only if its regret on the tree is exactly 0 in rational arithmetic.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bargain.errors import SolverError
from bargain.solvers.result import Equilibrium, SolveResult

__all__ = ["MAX_PROFILES", "solve_exactly"]

#: the exact fallback enumerates reduced strategic forms of at most this many pure profiles
MAX_PROFILES = 10_000


def solve_exactly(tree: Any, reason: str, options: dict) -> SolveResult:
    """Exactly verified equilibria of a two-player tree whose payoffs defeat floats.

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> big = 10**19
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Decision("B", {
    ...     "l": Terminal(big, -big), "r": Terminal(-1, 1)}, infoset="b"),
    ...     "R": Decision("B", {"l": Terminal(-1, 1), "r": Terminal(1, -1)}, infoset="b")}))
    >>> r = solve_exactly(t, "huge payoffs", {})
    >>> [[str(x) for x in s] for s in r[0].exact], r.tolerance
    ([['2/10000000000000000003', '10000000000000000001/10000000000000000003'], ...
    """
    from bargain.solvers.certify import exact_tree_regret
    from bargain.solvers.normal_form.vertex import vertex_enumeration
    from bargain.solvers.trees.behavior import expected_payoffs, mixed_to_behavior, tree_regret

    nf = tree.to_normal_form()
    size = math.prod(nf.shape)
    if size > MAX_PROFILES:
        raise SolverError(
            f"method 'sequence_form': {reason}; the float LP/LCP cannot certify an "
            f"equilibrium, and the exact fallback (vertex enumeration of the reduced "
            f"strategic form) is limited to {MAX_PROFILES} pure profiles, this tree has "
            f"{size} ({nf.shape[0]}x{nf.shape[1]})"
        )
    found = vertex_enumeration(nf, exact=True)
    equilibria: list[Equilibrium] = []
    seen: list[np.ndarray] = []
    failed = 0
    for eq in found:
        behavior = tuple(mixed_to_behavior(tree, p, s) for p, s in enumerate(eq.strategies))
        flat = np.concatenate([b for per in behavior for b in per] or [np.zeros(0)])
        if any(flat.shape == s.shape and np.max(np.abs(flat - s), initial=0) < 1e-12 for s in seen):
            continue
        prof = tuple(_exact_behavior(tree, p, s) for p, s in enumerate(eq.exact))
        if exact_tree_regret(tree, prof) != 0:
            failed += 1
            continue
        seen.append(flat)
        equilibria.append(
            Equilibrium(
                behavior=behavior,
                payoffs=expected_payoffs(tree, behavior),
                max_regret=0.0,
                exact=tuple(tuple(x for b in per for x in b) for per in prof),
                info={
                    "reduced_strategies": eq.strategies,
                    "float_regret": float(tree_regret(tree, behavior).max()),
                },
            )
        )
    if not equilibria:
        raise SolverError(
            f"method 'sequence_form': {reason}; none of the {len(found)} equilibria of the "
            "reduced strategic form has a behavior profile that is an exact equilibrium of "
            "the tree"
        )
    notes = (
        f"{reason}: the sequence form's float LP/LCP cannot certify an equilibrium; solved "
        "instead by exact vertex enumeration of the reduced strategic form, behavior "
        "strategies by Kuhn's theorem, each verified on the tree in exact rational arithmetic",
    )
    if failed:
        notes += (f"{failed} equilibria failed the exact check on the tree and were dropped",)
    return SolveResult(
        game=tree,
        method="sequence_form",
        equilibria=tuple(equilibria),
        options={**options, "exact_fallback": True},
        tolerance=0.0,
        complete=False,
        notes=notes,
    )


def _exact_behavior(tree: Any, player: int, mixed: Any) -> tuple[tuple[Fraction, ...], ...]:
    """:func:`~bargain.solvers.trees.behavior.mixed_to_behavior` in rational arithmetic:
    the realization plan of the mixed strategy, then each information set's action
    probabilities relative to its parent sequence (uniform where the plan never reaches
    it)."""
    from bargain.games.reduced import reduced_strategies
    from bargain.solvers.trees.behavior import _arrays, _pure_plan

    ix = _arrays(tree).index[player]
    x = [Fraction(0)] * ix.n
    for w, plan in zip(mixed, reduced_strategies(tree, player), strict=True):
        if w:
            for j in np.flatnonzero(_pure_plan(ix, plan)):
                x[j] += w
    out = []
    for k in range(len(ix.infosets)):
        s, na = int(ix.first[k]), int(ix.n_actions[k])
        block = x[s : s + na]
        total = sum(block, Fraction(0))
        if x[int(ix.parent[k])] > 0 and total > 0:
            out.append(tuple(b / total for b in block))
        else:
            out.append((Fraction(1, na),) * na)
    return tuple(out)
