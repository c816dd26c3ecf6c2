"""Subgame-perfect equilibria of trees with imperfect information, by subgame decomposition.

A behavior profile is a subgame-perfect equilibrium (SPE; Selten 1965, 1975) when it
induces a Nash equilibrium in every subgame.  For a finite tree with perfect recall, SPE
are built bottom-up (e.g. Mas-Colell, Whinston & Green 1995, §9.B, Proposition 9.B.3):
take a subgame with no proper subgame inside it, choose a Nash equilibrium of it, replace
the subgame by a leaf carrying the equilibrium payoffs, and continue with the smaller tree.
The subgame roots are those of :func:`bargain.solvers.trees.subgames.proper_subgames` plus the
root.  Between two cuts ("the reduced subgame" of a root: its subtree with every nearest
subgame below it replaced by a leaf) two cases occur:

* a single decision or chance node whose children are all leaves or cut subgames (a
  perfect-information step): the mover takes an optimal action with the tie rule of
  :mod:`bargain.solvers.trees.backward_induction` (actions whose label is in `priority` first,
  then the lowest index; with ``all_equilibria`` every optimal action), chance averages;
* a piece with imperfect information: a Nash equilibrium of it by the method chosen with
  `subgame_method` (default ``"auto"``: for two players every extreme equilibrium of its
  reduced strategic form by vertex enumeration when ``all_equilibria`` is true, else the
  sequence form (Lemke from the uniform prior); logit for three or more players).

Each subgame keeps a list of equilibria (capped by `max_equilibria`), one for every
combination of its cut subgames' equilibria and every equilibrium of the piece given them.
Every profile returned is checked on the whole tree (``max_regret``) and in every subgame
(``info["subgame_regrets"]``).  A perfect-information tree is handed to
:func:`bargain.solvers.trees.backward_induction.backward_induction` unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bargain.errors import SolverError
from bargain.solvers.result import MAX_EQUILIBRIA, SolveResult
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees.backward_induction import _priority_labels, backward_induction
from bargain.solvers.trees.decomposition import SUBGAME_METHODS, Decomposition

__all__ = ["subgame_perfect"]


def subgame_perfect(
    game: Any,
    *,
    tol: float = 1e-12,
    all_equilibria: bool = True,
    priority: Iterable[str] | None = None,
    max_equilibria: int = MAX_EQUILIBRIA,
    subgame_method: str = "auto",
) -> SolveResult:
    """Subgame-perfect equilibria of a finite tree, with or without information sets.

    Parameters
    ----------
    game : GameTree
        Numeric tree; any number of players; chance nodes and information sets allowed.
    tol : float
        Tie tolerance at perfect-information steps (as in
        :func:`~bargain.solvers.trees.backward_induction.backward_induction`); the verification
        bound is ``max(tol, 1e-9) * max(1, max |payoff|) * (1 + depth of cuts)``.
    all_equilibria : bool
        List every combination of the subgames' equilibria (capped by `max_equilibria`).
        With False, one SPE: at every step the first equilibrium found (the tie rule at
        perfect-information steps; the first of the piece's method otherwise), and a note
        says where a subgame had several.
    priority : iterable of str, optional
        Action labels preferred on ties at perfect-information steps.
    max_equilibria : int
        Cap on the number of equilibria listed (default
        :data:`~bargain.solvers.result.MAX_EQUILIBRIA`); every subgame keeps at most this
        many, so the total and the work are bounded.  When reached, ``complete`` is False;
        on a perfect-information tree ``count`` and ``path_count`` still give the total
        numbers of pure SPE and SPE paths (see
        :func:`~bargain.solvers.trees.backward_induction.backward_induction`).
    subgame_method : str
        How pieces with imperfect information are solved: ``"auto"``, ``"vertex"``
        (two players: every extreme equilibrium of the piece's reduced strategic form),
        ``"sequence_form"`` (two players: one equilibrium) or ``"logit"`` (one
        equilibrium, any number of players).

    Returns
    -------
    SolveResult
        Method ``"spe"``.  Each equilibrium has ``behavior`` (per player, per information
        set in order of first appearance), ``payoffs``, ``max_regret`` (Nash regret on the
        whole tree), ``path`` (decision labels reached, as in
        :func:`~bargain.solvers.trees.backward_induction.equilibrium_path`; None when a reached
        move is mixed) and ``info`` with ``"subgame_regrets"`` (subgame root node id →
        largest regret of the profile restricted to that subgame; the root, 0, included),
        ``"subgame_perfect"`` and ``"pieces"`` (root node id of every piece with imperfect
        information → index of the piece equilibrium used).  ``complete`` is False when a
        cap was reached or a piece was solved by a method that may miss equilibria.

    Raises
    ------
    SolverError
        If the game is not a numeric GameTree, an option is out of range, a piece needs
        two players for the chosen method, or no profile passes verification.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> def inc(e):  # entry, then a simultaneous fight/accommodate subgame
    ...     pay = {("F", "f"): (-3, -1), ("F", "a"): (1, -2), ("A", "f"): (-2, -1),
    ...            ("A", "a"): (3, 1)}
    ...     return Decision("I", {i: Terminal(*pay[e, i]) for i in "fa"}, infoset="inc")
    >>> t = GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 2),
    ...     "In": Decision("E", {"F": inc("F"), "A": inc("A")}, infoset="post")}))
    >>> r = subgame_perfect(t)
    >>> [(eq.path, eq.payoffs.tolist()) for eq in r]
    [(('In', 'A', 'a'), [3.0, 1.0])]
    """
    tree = _require(game)
    tol = check_tol(tol, method="spe", zero_ok=True)
    max_equilibria = check_limit("max_equilibria", max_equilibria, method="spe")
    if subgame_method not in SUBGAME_METHODS:
        raise SolverError(
            f"subgame_method must be one of {', '.join(SUBGAME_METHODS)}, got {subgame_method!r}"
        )
    labels = _priority_labels(priority)
    options = {
        "tol": tol,
        "all_equilibria": all_equilibria,
        "priority": labels,
        "max_equilibria": max_equilibria,
        "subgame_method": subgame_method,
    }
    if tree.perfect_information:
        return backward_induction(
            tree,
            tol=tol,
            all_equilibria=all_equilibria,
            priority=labels,
            max_equilibria=max_equilibria,
        )
    return Decomposition(
        tree, float(tol), bool(all_equilibria), labels, max_equilibria, subgame_method, options
    ).run()


def _require(game: Any):
    from bargain.games.extensive_form import GameTree

    if not isinstance(game, GameTree):
        raise SolverError(
            f"method 'spe' needs a GameTree, got {type(game).__name__}; "
            "for a NormalFormGame use method 'pure', 'vertex' or 'support'"
        )
    if game.is_symbolic:
        raise SolverError(
            "the tree has symbolic payoffs or probabilities; call .numeric(...) with parameter "
            "values first"
        )
    game.require_perfect_recall("method 'spe'")
    return game
