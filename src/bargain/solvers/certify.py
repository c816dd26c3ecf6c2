"""Exact certification when payoffs are too large (or too spread) for float verification.

A float regret is a difference of payoffs; with payoffs beyond ``2**53`` in magnitude
(where a float no longer holds every integer) or spanning more than ``1e15`` between the
smallest and largest nonzero magnitude, rounding alone is larger than the small payoffs,
and a tolerance scaled to the payoffs (``tol * max |u|``) would accept profiles whose
regret is as large as the small payoffs themselves.  :func:`magnitude_reason` says when
this is the case; :func:`certify` then replaces float verification by exact rational
verification: each equilibrium's probabilities are read as the nearest fractions with
denominators up to ``10**6`` (:meth:`fractions.Fraction.limit_denominator`) and the profile
is kept only if its regret is exactly 0 in rational arithmetic with the exact payoffs.
A two-player profile whose reading fails is re-solved exactly on its supports
(:func:`~bargain.solvers.normal_form.exact.exact_on_support`) and kept if that passes.
Profiles that fail are dropped; when none passes, :class:`~bargain.errors.SolverError`
says why.  :func:`bargain.solve` calls both on every result.

Examples
--------
>>> import bargain as bg
>>> g = bg.NormalFormGame([[[10**19, 0], [0, 1]], [[1, 0], [0, 10**19]]])
>>> magnitude_reason(g)
'payoffs up to 1e+19 in magnitude (beyond 2**53, where floats stop holding every integer)'
>>> r = bg.solve(g, method="support")
>>> [[str(x) for x in s] for s in r[0].exact], r.tolerance
([['1', '0'], ['1', '0']], 0.0)
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

from bargain.errors import SolverError

__all__ = ["EXACT_LIMIT", "RATIO_LIMIT", "certify", "exact_tree_regret", "magnitude_reason"]

#: beyond this magnitude a float does not hold every integer
EXACT_LIMIT = 2.0**53
#: largest ratio of nonzero payoff magnitudes that float verification can resolve
RATIO_LIMIT = 1e15

_DENOMINATOR = 10**6
_SMALL = 256


def _payoff_arrays(game: Any):
    from bargain.games.extensive_form import GameTree

    if isinstance(game, GameTree):
        if game.is_symbolic:
            return None
        return (game.flatten().payoffs,)
    payoffs = getattr(game, "payoffs", None)
    if payoffs is None or getattr(game, "is_symbolic", False):
        return None
    return payoffs


def magnitude_reason(game: Any) -> str | None:
    """Why float verification cannot be trusted on this game's payoffs, or None.

    Parameters
    ----------
    game : NormalFormGame or GameTree

    Returns
    -------
    str or None
        A sentence naming the magnitude (beyond ``2**53``) or the spread (a ratio beyond
        ``1e15`` between nonzero payoff magnitudes); None when float verification is sound.

    Examples
    --------
    >>> import bargain as bg
    >>> magnitude_reason(bg.NormalFormGame([[[1, 2]], [[3, 4]]])) is None
    True
    >>> magnitude_reason(bg.NormalFormGame([[[1e-9, 1e9]], [[0, 0]]]))[:40]
    'payoffs span 1e+09 to 1e-09 in magnitude'
    """
    from bargain.games.extensive_form import GameTree

    if isinstance(game, GameTree):  # trees are immutable: compute once per tree
        cached = game.__dict__.get("_magnitude_reason", False)
        if cached is False:
            cached = game.__dict__["_magnitude_reason"] = _reason(_payoff_arrays(game))
        return cached
    return _reason(_payoff_arrays(game))


def _reason(arrays: Any) -> str | None:
    import numpy as np

    if arrays is None:
        return None
    hi, lo = 0.0, math.inf
    for a in arrays:
        a = np.asarray(a, dtype=float)
        if a.size <= _SMALL:  # a few payoffs: Python is faster than NumPy's call overhead
            mags = [abs(x) for x in a.ravel().tolist()]
            hi = max(hi, max(mags, default=0.0))
            lo = min(lo, min((x for x in mags if x), default=math.inf))
        elif a.size:
            big = max(float(a.max()), -float(a.min()))
            hi = max(hi, big)
            if big > 0:
                lo = min(lo, float(np.abs(a[a != 0]).min()))
    if hi > EXACT_LIMIT:
        return (
            f"payoffs up to {hi:.3g} in magnitude (beyond 2**53, where floats stop holding "
            "every integer)"
        )
    if hi > 0 and hi / lo > RATIO_LIMIT:
        return (
            f"payoffs span {hi:.3g} to {lo:.3g} in magnitude (a ratio beyond 1e15: float "
            "rounding of the large ones exceeds the small ones)"
        )
    return None


def _read(x: Any) -> Fraction | None:
    q = Fraction(float(x)).limit_denominator(_DENOMINATOR)
    return q if 0 <= q <= 1 else None


def _rational(strategy: Any) -> tuple[Fraction, ...] | None:
    probs = [_read(x) for x in strategy]
    if any(q is None for q in probs) or sum(probs) != 1:
        return None
    return tuple(probs)


def exact_tree_regret(tree: Any, behavior: Any) -> Fraction:
    """Largest gain of a player from deviating, in exact rational arithmetic, on a tree.

    Payoffs and chance probabilities are read exactly as the tree holds them (integers,
    fractions or floats at their binary values).  Best responses are found information
    set by information set from the bottom (perfect recall: a player's choices at one
    set only affect the subtrees below it).

    Parameters
    ----------
    tree : GameTree
        Numeric tree with perfect recall.
    behavior : sequence
        Per player, per own information set (in order of first appearance), Fractions
        (or numbers read exactly) summing to 1.

    Returns
    -------
    Fraction

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from bargain import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(2, 0), "R": Terminal(0, 4)}))
    >>> exact_tree_regret(t, [[[F(1, 4), F(3, 4)]], []])
    Fraction(3, 2)
    """
    from bargain.games.extensive_form import Chance

    n = len(tree.nodes)
    pos = {}
    for p in range(tree.n_players):
        for k, s in enumerate(s for s in tree.infosets if s.player == p):
            pos[s.index] = (p, k)

    def prob(i: int, a: int) -> Fraction:
        node = tree.nodes[i]
        if isinstance(node, Chance):
            return Fraction(node.probabilities[a])
        p, k = pos[tree.infoset_of(i)]
        return Fraction(behavior[p][k][a])

    worst = Fraction(0)
    for p in range(tree.n_players):
        reach = [Fraction(1)] * n  # chance and the others' probabilities only
        for j in range(1, n):
            i = tree.parent[j]
            mover = None if isinstance(tree.nodes[i], Chance) else tree.node_player[i]
            reach[j] = reach[i] * (prob(i, tree.parent_action[j]) if mover != p else 1)
        value = [Fraction(0)] * n  # under the profile
        for i in range(n - 1, -1, -1):  # preorder reversed: children first
            kids = tree.child_ids[i]
            if kids:
                value[i] = sum((prob(i, a) * value[c] for a, c in enumerate(kids)), Fraction(0))
            else:
                value[i] = Fraction(tree.nodes[i].payoffs[p])
        worst = max(worst, _best_response(tree, p, reach, prob) - value[0])
    return worst


def _best_response(tree: Any, p: int, reach: list, prob: Any) -> Fraction:
    """Player `p`'s best-response value at the root, the others following the profile.

    Post-order over the nodes with an explicit stack: a node's value needs its
    children's, and at a node of `p` the choice at its information set, which needs the
    children of every node of that set (perfect recall: none of them is above the set).
    """
    from bargain.games.extensive_form import Chance

    sets = {s.index: s for s in tree.infosets if s.player == p}
    best: dict[int, Fraction] = {}
    choice: dict[int, int] = {}
    stack = [0]
    while stack:
        j = stack[-1]
        if j in best:
            stack.pop()
            continue
        kids = tree.child_ids[j]
        if not kids:
            best[j] = Fraction(tree.nodes[j].payoffs[p])
            stack.pop()
            continue
        mine = not isinstance(tree.nodes[j], Chance) and tree.node_player[j] == p
        h = tree.infoset_of(j) if mine else None
        if mine and h not in choice:
            need = [c for m in sets[h].nodes for c in tree.child_ids[m] if c not in best]
        else:
            need = [c for c in kids if c not in best]
        if need:
            stack.extend(need)
            continue
        if mine:
            if h not in choice:
                scores = [
                    sum((reach[m] * best[tree.child_ids[m][a]] for m in sets[h].nodes), Fraction(0))
                    for a in range(len(kids))
                ]
                choice[h] = max(range(len(kids)), key=scores.__getitem__)
            best[j] = best[kids[choice[h]]]
        else:
            best[j] = sum((prob(j, a) * best[c] for a, c in enumerate(kids)), Fraction(0))
        stack.pop()
    return best[0]


def certify(game: Any, result: Any, reason: str) -> Any:
    """`result` with every equilibrium verified exactly (see the module docstring).

    Parameters
    ----------
    game : NormalFormGame or GameTree
    result : SolveResult
    reason : str
        From :func:`magnitude_reason`; named in notes and errors.

    Returns
    -------
    SolveResult
        The equilibria that are exact equilibria, each with ``exact`` (rational
        strategies) and ``max_regret`` 0 (the float regret in ``info["float_regret"]``);
        ``tolerance`` 0.

    Raises
    ------
    SolverError
        When no equilibrium passes.
    """
    from bargain.games.extensive_form import GameTree

    if not result.equilibria:  # nothing to certify ("no pure equilibrium" compares, exactly)
        return result
    tree = isinstance(game, GameTree)
    fracs = None
    if not tree:
        import numpy as np

        from bargain.solvers.normal_form.exact import (
            exact_on_support,
            payoffs_to_fractions,
            verify_exact,
        )

        fracs, _ = payoffs_to_fractions(list(game.payoffs))
    kept, dropped = [], []
    resolved_count = 0
    for eq in result.equilibria:
        if eq.exact is not None:  # the method's own exact arithmetic verified it
            kept.append(dataclasses.replace(eq, max_regret=0.0))
            continue
        if tree:
            prof = tuple(tuple(_rational(b) for b in per) for per in eq.behavior)
            ok = all(b is not None for per in prof for b in per)
            ok = ok and bool(getattr(game, "perfect_recall", True))
            regret = exact_tree_regret(game, prof) if ok else None
            flat = tuple(tuple(x for b in per for x in b) for per in prof) if ok else None
        else:
            prof = tuple(_rational(s) for s in eq.strategies)
            ok = all(s is not None for s in prof)
            regret = verify_exact(fracs, prof) if ok else None
            flat = prof
            if regret != 0 and len(fracs) == 2:  # rounded beyond recovery: re-solve exactly
                resolved = exact_on_support(fracs, eq.strategies)
                if resolved is not None:
                    regret, flat = 0, resolved
                    eq = dataclasses.replace(
                        eq, strategies=tuple(np.array([float(q) for q in s]) for s in resolved)
                    )
                    resolved_count += 1
        if regret == 0:
            info = {**eq.info, "float_regret": float(eq.max_regret)}
            kept.append(dataclasses.replace(eq, exact=flat, max_regret=0.0, info=info))
        else:
            dropped.append("no rational reading" if regret is None else f"exact regret {regret}")
    notes = [f"{reason}: every equilibrium was verified in exact rational arithmetic"]
    if resolved_count:
        notes.append(
            f"{resolved_count} float profile(s) were re-solved exactly on their supports "
            "(the indifference equations in rational arithmetic) and then verified"
        )
    if dropped:
        notes.append(
            f"{len(dropped)} float profile(s) failed exact verification and were dropped "
            f"({'; '.join(dropped[:3])})"
        )
    if not kept:
        raise SolverError(
            f"method {result.method!r}: {reason}; float verification cannot certify the "
            f"result and none of its {len(dropped)} profile(s) is an exact equilibrium "
            f"({'; '.join(dropped[:3]) or 'none found'}); use a method with exact "
            "arithmetic ('vertex', or 'sequence_form' on a two-player tree)"
        )
    return dataclasses.replace(
        result,
        equilibria=tuple(kept),
        tolerance=0.0,
        complete=result.complete and not dropped,
        notes=(*result.notes, *notes),
    )
