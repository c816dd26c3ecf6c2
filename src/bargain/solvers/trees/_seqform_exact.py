"""Rational recomputation and exact verification of a sequence-form equilibrium (private).

Lemke's final basis determines the equilibrium as the solution of a square linear system;
solving it in :class:`fractions.Fraction` arithmetic with the game's exact payoffs and
chance probabilities gives the rational realization plans, which are then checked exactly:
each player's best-response value against the other's plan (backward induction over own
information sets) must equal the plan pair's payoff.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from bargain.solvers.trees._seqform_build import SequenceForm

__all__ = ["exact_behavior", "exact_equilibrium"]


def _exact_payoffs(tree: Any, sf: SequenceForm) -> tuple[dict, dict]:
    from bargain.games.extensive_form import Chance

    reach = [Fraction(1)] * len(tree.nodes)
    for j in range(1, len(tree.nodes)):
        p = tree.parent[j]
        reach[j] = reach[p]
        if isinstance(tree.nodes[p], Chance):
            reach[j] *= Fraction(tree.nodes[p].probabilities[tree.parent_action[j]])
    A: dict[tuple[int, int], Fraction] = {}
    B: dict[tuple[int, int], Fraction] = {}
    for k, leaf in enumerate(tree.leaves):
        key = (int(sf.leaf_seq[k, 0]), int(sf.leaf_seq[k, 1]))
        pay = tree.nodes[leaf].payoffs
        A[key] = A.get(key, Fraction(0)) + reach[leaf] * Fraction(pay[0])
        B[key] = B.get(key, Fraction(0)) + reach[leaf] * Fraction(pay[1])
    return A, B


def _solve(rows: list[dict[int, Fraction]], rhs: list[Fraction], unknowns: list[int]):
    """Gauss–Jordan on sparse rational rows; returns {unknown: value} or None if singular."""
    rows = [dict(r) for r in rows]
    rhs = list(rhs)
    where: dict[int, int] = {}
    used = [False] * len(rows)
    for c in unknowns:
        piv = next((r for r in range(len(rows)) if not used[r] and rows[r].get(c)), None)
        if piv is None:
            return None
        used[piv] = True
        where[c] = piv
        f = rows[piv][c]
        rows[piv] = {k: v / f for k, v in rows[piv].items()}
        rhs[piv] /= f
        for r in range(len(rows)):
            if r != piv and rows[r].get(c):
                g = rows[r][c]
                for k, v in rows[piv].items():
                    nv = rows[r].get(k, Fraction(0)) - g * v
                    if nv:
                        rows[r][k] = nv
                    else:
                        rows[r].pop(k, None)
                rhs[r] -= g * rhs[piv]
    return {c: rhs[where[c]] for c in unknowns}


def _br_value(sf_index: Any, g: list[Fraction]) -> Fraction:
    val = list(g)
    for k in range(len(sf_index.first) - 1, -1, -1):
        s = int(sf_index.first[k])
        val[int(sf_index.parent[k])] += max(val[s : s + int(sf_index.n_actions[k])])
    return val[0]


def exact_equilibrium(tree: Any, sf: SequenceForm, basic: np.ndarray):
    """Rational plans ``(x, y)`` of Lemke's final basis, or None if they do not verify.

    `basic` lists the basic variables in the numbering x (m), y (n), u (k1), v (k2),
    w_x (m), w_y (n) (the artificial z0 is nonbasic at the end).
    """
    A, B = _exact_payoffs(tree, sf)
    E, F = sf.E, sf.F
    m, n = sf.shape
    k1, k2 = E.shape[0], F.shape[0]
    X, Y, U, V = 0, m, m + n, m + n + k1
    WX, WY = m + n + k1 + k2, 2 * m + n + k1 + k2
    rows: list[dict[int, Fraction]] = [{WX + i: Fraction(1)} for i in range(m)]
    rows += [{WY + j: Fraction(1)} for j in range(n)]
    for (i, j), a in A.items():
        rows[i][Y + j] = rows[i].get(Y + j, Fraction(0)) + a
    for (i, j), b in B.items():
        rows[m + j][X + i] = rows[m + j].get(X + i, Fraction(0)) + b
    for h in range(k1):
        for i in np.flatnonzero(E[h]):
            rows[i][U + h] = Fraction(-int(E[h, i]))
    for h in range(k2):
        for j in np.flatnonzero(F[h]):
            rows[m + j][V + h] = Fraction(-int(F[h, j]))
    rows += [{X + int(i): Fraction(int(E[h, i])) for i in np.flatnonzero(E[h])} for h in range(k1)]
    rows += [{Y + int(j): Fraction(int(F[h, j])) for j in np.flatnonzero(F[h])} for h in range(k2)]
    rhs = [Fraction(0)] * (m + n) + [Fraction(int(h == 0)) for h in range(k1)]
    rhs += [Fraction(int(h == 0)) for h in range(k2)]
    basic_set = {int(b) for b in basic}
    reduced = [{k: v for k, v in r.items() if k in basic_set} for r in rows]
    sol = _solve(reduced, rhs, sorted(basic_set))
    if sol is None:
        return None
    x = [sol.get(X + i, Fraction(0)) for i in range(m)]
    y = [sol.get(Y + j, Fraction(0)) for j in range(n)]
    if min(x + y) < 0:
        return None
    ay = [Fraction(0)] * m
    btx = [Fraction(0)] * n
    for (i, j), a in A.items():
        ay[i] += a * y[j]
    for (i, j), b in B.items():
        btx[j] += b * x[i]
    pay1 = sum((xi * g for xi, g in zip(x, ay, strict=True)), Fraction(0))
    pay2 = sum((yj * g for yj, g in zip(y, btx, strict=True)), Fraction(0))
    if _br_value(sf.index[0], ay) != pay1 or _br_value(sf.index[1], btx) != pay2:
        return None
    return x, y


def exact_behavior(tree: Any, *, sf_plans: tuple[list[Fraction], list[Fraction]]):
    """Per player, the behavior probabilities of rational plans, concatenated over the
    player's information sets (uniform where the plan does not reach the set)."""
    from bargain.solvers.trees._seqform_build import sequence_index

    out = []
    for p, plan in enumerate(sf_plans):
        ix = sequence_index(tree, p)
        probs: list[Fraction] = []
        for k in range(len(ix.infosets)):
            s, na = int(ix.first[k]), int(ix.n_actions[k])
            total = plan[int(ix.parent[k])]
            if total > 0:
                probs.extend(v / total for v in plan[s : s + na])
            else:
                probs.extend([Fraction(1, na)] * na)
        out.append(tuple(probs))
    return tuple(out)
