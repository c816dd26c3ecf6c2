"""The agreement path of a game tree (no SymPy needed).

A regime declares its agreement as action labels (``("Withdraw", "Comply")``).  The
agreement path is the equilibrium path obtained when every mover takes an agreement
action: start at the root; at a decision node take the first action (in declaration order)
whose label is an agreement label; at a chance node follow every outcome whose probability
is not the number zero (symbolic probabilities count as positive), in outcome order.  The
labels of the decisions taken, in preorder, form the path — the same definition of a path
as the numeric solver's (:func:`bargain.solvers.trees.backward_induction.equilibrium_path`).

This lets one label set describe trees whose length depends on a structural parameter:
with ``n`` tranches the agreement path of ``("Withdraw", "Comply")`` is those two labels
repeated ``n`` times.  When some decision node on the way offers no agreement label, the
labels as given are the agreement path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bargain.games.parameters import is_symbolic

__all__ = ["agreement_path"]


def agreement_path(tree: Any, labels: Sequence[str]) -> tuple[str, ...]:
    """The path along which every mover takes an agreement action (see module docstring).

    Parameters
    ----------
    tree : GameTree
    labels : sequence of str
        The regime's agreement labels.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> def stage(k):
    ...     nxt = stage(k - 1) if k > 1 else Terminal(1, 1)
    ...     return Decision("R", {"Withdraw": Decision("G", {"Comply": nxt,
    ...             "Renege": Terminal(0, 2)}), "Stay": Terminal(0, 0)})
    >>> agreement_path(GameTree(("R", "G"), stage(2)), ("Withdraw", "Comply"))
    ('Withdraw', 'Comply', 'Withdraw', 'Comply')
    """
    wanted = set(labels)
    out: list[str] = []
    stack = [0]
    while stack:
        i = stack.pop()
        node = tree.nodes[i]
        kids = tree.child_ids[i]
        if node.kind == "decision":
            for k, lab in enumerate(node.actions):
                if lab in wanted:
                    out.append(lab)
                    stack.append(kids[k])
                    break
            else:
                return tuple(labels)
        elif node.kind == "chance":
            for k in range(len(kids) - 1, -1, -1):
                p = node.probabilities[k]
                positive = not p.is_zero if is_symbolic(p) else float(p) > 0
                if positive:
                    stack.append(kids[k])
    return tuple(out)
