"""Symbolic backward induction on a perfect-information game tree.

Each subtree is summarized by a list of *pieces*: a conjunction of inequalities on the
parameters, the strategy of every mover in the subtree under it, the equilibrium path and
the continuation payoffs.  At a decision node the pieces of the children are combined
(cartesian product) and, for each combination, the mover takes action ``k`` where

* ``u_k > u_j`` for every action ``j`` the tie rule prefers over ``k``, and
* ``u_k >= u_j`` for every other action ``j``.

The tie rule is the numeric solver's (:mod:`bargain.solvers.trees.backward_induction`): among
optimal actions the mover takes the first one (in declaration order) whose label is in the
``agreement`` labels, else the lowest-index optimal action.  So for each combination the
pieces of the node are mutually exclusive and cover every parameter point.

At a chance node the continuation payoffs are expectations.  The equilibrium path follows
every outcome of positive probability; when a symbolic probability ``p`` leads to a subtree
with decisions, the piece is split into ``p > 0`` (the subtree's decisions are on the path)
and ``p <= 0`` (they are not; with ``p >= 0`` this means ``p = 0``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy

from bargain.errors import GameShapeError
from bargain.symbolic._inequalities import Conj, conj_add, conj_merge, to_sympy

__all__ = ["Piece", "backward_induction_pieces", "tie_rank"]

#: stop with a clear error rather than exhaust memory on very large symbolic trees
MAX_PIECES = 20_000


@dataclass(frozen=True)
class Piece:
    """One region of parameter space with one subgame-perfect strategy profile.

    Attributes
    ----------
    conj : tuple of (expr, bool)
        Conjunction of atoms ``d > 0`` (True) / ``d >= 0`` (False).
    path : tuple of str
        Equilibrium path (decision labels, preorder over positive-probability branches).
    strategy : tuple of (int, str)
        ``(node id, action label)`` for every decision node of the subtree.
    payoffs : tuple of sympy.Expr
        Continuation payoff of each player.
    """

    conj: Conj
    path: tuple[str, ...]
    strategy: tuple[tuple[int, str], ...]
    payoffs: tuple[Any, ...]


def tie_rank(labels: Iterable[str], agreement: Iterable[str] | None) -> list[tuple[int, int]]:
    """Tie-break rank of each action (smaller is preferred).

    Examples
    --------
    >>> tie_rank(["Stay", "Withdraw"], {"Withdraw", "Comply"})
    [(1, 0), (0, 1)]
    """
    prefer = set(agreement or ())
    return [(0 if lab in prefer else 1, k) for k, lab in enumerate(labels)]


def backward_induction_pieces(
    tree: Any, *, agreement: Iterable[str] | None = None, bounds: Mapping | None = None
) -> list[Piece]:
    """Pieces of the whole tree (see the module docstring).

    Parameters
    ----------
    tree : GameTree
        Perfect-information tree; payoffs and probabilities numbers or SymPy expressions.
    agreement : iterable of str, optional
        Labels preferred on ties.
    bounds : mapping, optional
        Symbol → ``(low, high)``, used to drop implied inequalities and impossible pieces.

    Returns
    -------
    list of Piece

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> import sympy
    >>> a = sympy.Symbol("a", real=True)
    >>> t = GameTree(("P",), Decision("P", {"L": Terminal(a), "R": Terminal(1)}))
    >>> [(p.path, p.conj) for p in backward_induction_pieces(t)]
    [(('L',), ((a - 1, False),)), (('R',), ((1 - a, True),))]
    """
    if not tree.perfect_information:
        sets = [s for s in tree.infosets if len(s.nodes) > 1]
        raise GameShapeError(
            "symbolic backward induction needs perfect information; information set "
            f"{sets[0].name or sets[0].index!r} of {tree.players[sets[0].player]!r} has "
            f"{len(sets[0].nodes)} nodes"
        )
    bounds = dict(bounds or {})
    agreement = tuple(agreement or ())
    pieces: list[list[Piece] | None] = [None] * len(tree.nodes)
    has_decision = [False] * len(tree.nodes)
    for i in range(len(tree.nodes) - 1, -1, -1):
        node = tree.nodes[i]
        kids = tree.child_ids[i]
        has_decision[i] = node.kind == "decision" or any(has_decision[j] for j in kids)
        if node.kind == "terminal":
            pieces[i] = [Piece((), (), (), tuple(to_sympy(x) for x in node.payoffs))]
        elif node.kind == "decision":
            pieces[i] = _decision(tree, i, [pieces[j] for j in kids], agreement, bounds)
        else:
            probs = [to_sympy(p) for p in node.probabilities]
            pieces[i] = _chance(
                tree, i, probs, [pieces[j] for j in kids], [has_decision[j] for j in kids], bounds
            )
        for j in kids:
            pieces[j] = None  # free memory
        if len(pieces[i]) > MAX_PIECES:
            raise GameShapeError(
                f"{tree.where(i)}: more than {MAX_PIECES} symbolic cases; the tree is too "
                "large for symbolic backward induction (solve it numerically instead)"
            )
    return pieces[0]


def _decision(tree, i, child_pieces, agreement, bounds) -> list[Piece]:
    node = tree.nodes[i]
    labels = list(node.actions)
    mover = tree.node_player[i]
    rank = tie_rank(labels, agreement)
    out: list[Piece] = []
    for combo in itertools.product(*child_pieces):
        base: Conj | None = ()
        for c in combo:
            base = conj_merge(base, c.conj, bounds)
        if base is None:
            continue
        strategy = tuple(s for c in combo for s in c.strategy)
        for k in range(len(labels)):
            conj = base
            for j in range(len(labels)):
                if j == k:
                    continue
                d = combo[k].payoffs[mover] - combo[j].payoffs[mover]
                conj = conj_add(conj, d, rank[j] < rank[k], bounds)
                if conj is None:
                    break
            if conj is None:
                continue
            out.append(
                Piece(
                    conj,
                    (labels[k], *combo[k].path),
                    ((i, labels[k]), *strategy),
                    combo[k].payoffs,
                )
            )
    return out


def _chance(tree, i, probs, child_pieces, has_decision, bounds) -> list[Piece]:
    n_players = tree.n_players
    # branches whose positivity decides whether their decisions are on the path
    uncertain = []
    certain_pos = []
    for b, p in enumerate(probs):
        if not has_decision[b]:
            continue
        positive = conj_add((), p, True, bounds)
        if positive == ():
            certain_pos.append(b)
        elif positive is not None:
            uncertain.append(b)
    out: list[Piece] = []
    for combo in itertools.product(*child_pieces):
        base: Conj | None = ()
        for c in combo:
            base = conj_merge(base, c.conj, bounds)
        if base is None:
            continue
        payoffs = tuple(
            sympy.expand(
                sum((p * c.payoffs[j] for p, c in zip(probs, combo, strict=True)), sympy.Integer(0))
            )
            for j in range(n_players)
        )
        strategy = tuple(s for c in combo for s in c.strategy)
        for signs in itertools.product((True, False), repeat=len(uncertain)):
            conj = base
            on_path = set(certain_pos)
            for b, pos in zip(uncertain, signs, strict=True):
                # pos: p_b > 0; otherwise -p_b >= 0 (p_b = 0 given p_b >= 0)
                conj = conj_add(conj, probs[b] if pos else -probs[b], pos, bounds)
                if conj is None:
                    break
                if pos:
                    on_path.add(b)
            if conj is None:
                continue
            path = tuple(lab for b, c in enumerate(combo) if b in on_path for lab in c.path)
            out.append(Piece(conj, path, strategy, payoffs))
    return out
