"""The agent form of a game tree: each information set is a player of its own.

In the agent form (Selten 1975) the information set ``h`` of player ``i`` is an agent
whose payoff is ``i``'s.  Its *action values* under a behavior profile ``b`` are the
partial derivatives of ``i``'s expected payoff,

``G_h(a) = Σ_{x ∈ h} P_b(x) · u_i(b | x, a)``,

the reach probability of each node ``x`` of the set times ``i``'s expected payoff after
taking ``a`` at ``x`` and following ``b`` afterwards.  Its *agent regret* is
``max_a G_h(a) − Σ_a b_h(a) G_h(a)``: what the agent gains by deviating at its own
information set while every other agent keeps ``b``.  A profile with no agent regret is
an *agent equilibrium*.

The agent form needs no perfect recall.  **An agent equilibrium need not be a Nash
equilibrium**: a player may gain by changing several of its information sets at once
(every Nash equilibrium in behavior strategies is an agent equilibrium, not conversely).

Under absent-mindedness (two nodes of ``h`` on one path, so ``h`` is visited more than
once on a play) two readings of "the agent deviates" differ, and both are here:

* *one visit* (:func:`agent_regret`, used by the agent logit QRE): ``G_h`` is the gain of
  deviating at one visit while the other visits keep ``b`` -- the "modified multiselves"
  consistency of Piccione & Rubinstein (1997, Games Econ. Behav. 20:3-24).  In their
  absent-minded driver (exit at the first exit 0, at the second 4, never 1) the only
  such equilibrium continues with probability 2/3, the optimal plan (payoff 4/3);
* *every visit* (:func:`agent_pure`): the agent's pure strategy is one action, taken at
  every visit -- the pure equilibria of Selten's agent normal form, which is what Gambit's
  ``enumpure_agent_solve`` lists.  In the driver, "always continue" (payoff 1) is one:
  exiting at every visit pays 0, although exiting at one visit would pay more.

Profiles are given as everywhere in bargain: per player, per own information set in order
of first appearance, the action probabilities.
"""

from __future__ import annotations

import math
import weakref
from typing import Any

import numpy as np

from bargain.errors import GameShapeError, SolverError
from bargain.solvers._interpreted import interpreted
from bargain.solvers.result import Equilibrium, SolveResult
from bargain.solvers.tolerance import check_limit, check_tol
from bargain.solvers.trees._agent_kernels import _agent_values, _pure_agent

__all__ = ["AGENT_CAVEAT", "EVERY_VISIT", "ONE_VISIT", "agent_pure", "agent_regret", "agent_values"]

#: what a result of the agent form says about itself
AGENT_CAVEAT = (
    "agent form: each information set is checked against deviations at that set alone, "
    "the other sets keeping the profile; an agent equilibrium need not be a Nash "
    "equilibrium (a player may gain by changing several sets at once)"
)
#: how each method reads an absent-minded set (one visited twice on a play)
ONE_VISIT = "absent-minded sets: a deviation at one visit, the other visits keeping the profile"
EVERY_VISIT = "absent-minded sets: a deviation to one action at every visit (agent normal form)"

#: pure enumeration runs interpreted (no compile) up to this many node-profile visits
_INTERPRETED_WORK = 20_000


class AgentArrays:
    """The tree's flat arrays plus the slot layout of behavior (one slot per action of
    every information set, sets in ``tree.infosets`` order)."""

    def __init__(self, tree: Any) -> None:
        if tree.is_symbolic:
            raise SolverError(
                "the tree has symbolic payoffs or probabilities; call .numeric(...) with "
                "parameter values first"
            )
        f = tree.flatten()
        self.tree = tree
        self.flat = f
        n_act = np.asarray(f.infoset_n_actions, np.int64)
        self.n_actions = n_act
        self.slot_first = np.concatenate(([0], np.cumsum(n_act)[:-1])).astype(np.int64)
        self.n_slots = int(n_act.sum())
        self.edge_prob = np.where(np.isnan(f.edge_prob), 0.0, f.edge_prob)
        self.owner = np.asarray(f.infoset_player, np.int64)
        #: for each player, the global information set indices in the player's order
        self.own = [
            [s.index for s in tree.infosets if s.player == p] for p in range(tree.n_players)
        ]
        self.absent = np.zeros(len(n_act), np.bool_)
        self.absent[list(tree.absent_minded_infosets)] = True
        payoffs = f.payoffs
        self.scale = float(payoffs.max() - payoffs.min()) if payoffs.size else 0.0
        self.args = (
            f.kind.astype(np.int64),
            f.infoset.astype(np.int64),
            f.child_start.astype(np.int64),
            f.n_children.astype(np.int64),
            f.children.astype(np.int64),
            self.edge_prob,
            f.leaf.astype(np.int64),
            payoffs,
            self.slot_first,
            self.owner,
        )

    def slots(self, behavior: Any) -> np.ndarray:
        """Validate a behavior profile and lay it out by slot."""
        tree = self.tree
        if len(behavior) != tree.n_players:
            raise GameShapeError(
                f"behavior profile: {len(behavior)} players given, the tree has {tree.n_players}"
            )
        out = np.zeros(self.n_slots)
        for p, sets in enumerate(self.own):
            if len(behavior[p]) != len(sets):
                raise GameShapeError(
                    f"behavior of player {tree.players[p]!r}: {len(behavior[p])} information "
                    f"sets given, the player has {len(sets)}"
                )
            for h, probs in zip(sets, behavior[p], strict=True):
                b = np.asarray(probs, dtype=float).reshape(-1)
                s = tree.infosets[h]
                if b.shape != (len(s.actions),) or not np.all(np.isfinite(b)) or b.min() < -1e-9:
                    raise GameShapeError(
                        f"behavior of player {tree.players[p]!r} at information set "
                        f"{s.name or s.index!r}: expected {len(s.actions)} finite "
                        f"probabilities >= 0, got {b.tolist()}"
                    )
                out[self.slot_first[h] : self.slot_first[h] + b.size] = b
        return out

    def profile(self, slots: np.ndarray) -> tuple[tuple[np.ndarray, ...], ...]:
        """Slots back to the per-player, per-information-set layout."""
        return tuple(
            tuple(
                slots[self.slot_first[h] : self.slot_first[h] + self.n_actions[h]].copy()
                for h in sets
            )
            for sets in self.own
        )

    def values(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(G per slot, reach probability per information set, payoffs at the root)``."""
        return _pick(_agent_values, len(self.flat.kind) > 64)(*self.args, slots)

    def set_regrets(self, slots: np.ndarray) -> np.ndarray:
        """Regret of each agent against changing its action at every visit of its set to
        one pure action (Selten's agent normal form); equal to :meth:`regrets` at sets
        that are not absent-minded."""
        out = self.regrets(slots)
        if not self.absent.any():
            return out
        _, _, base = self.values(slots)
        for h in np.flatnonzero(self.absent):
            s, k, i = self.slot_first[h], self.n_actions[h], self.owner[h]
            best = -np.inf
            for a in range(k):
                dev = slots.copy()
                dev[s : s + k] = 0.0
                dev[s + a] = 1.0
                best = max(best, float(self.values(dev)[2][i]))
            out[h] = max(0.0, best - float(base[i]))
        return out

    def regrets(self, slots: np.ndarray) -> np.ndarray:
        """Agent regret of each information set (one-visit deviations)."""
        g, _, _ = self.values(slots)
        out = np.empty(len(self.n_actions))
        for h, (s, k) in enumerate(zip(self.slot_first, self.n_actions, strict=True)):
            block = g[s : s + k]
            out[h] = max(0.0, float(block.max() - block @ slots[s : s + k]))
        return out


_ARRAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def agent_arrays(tree: Any) -> AgentArrays:
    """The :class:`AgentArrays` of a tree, built once per tree."""
    got = _ARRAYS.get(tree)
    if got is None:
        got = _ARRAYS[tree] = AgentArrays(tree)
    return got


def _pick(kernel: Any, big: bool) -> Any:
    """The compiled kernel for big inputs or once it is compiled in this process (a call
    then costs microseconds); its interpreted twin otherwise (no compile for a small tree)."""
    return kernel if big or kernel.signatures else interpreted(kernel)


def agent_values(tree: Any, behavior: Any) -> tuple[np.ndarray, ...]:
    """Action values ``G_h(a)`` of every information set (in ``tree.infosets`` order).

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> driver = GameTree(("D",), Decision("D", {"exit": Terminal(0), "go": Decision(
    ...     "D", {"exit": Terminal(4), "go": Terminal(1)}, infoset="h")}, infoset="h"))
    >>> [g.round(6).tolist() for g in agent_values(driver, [[[1 / 3, 2 / 3]]])]
    [[2.666667, 2.666667]]
    """
    arr = agent_arrays(tree)
    g, _, _ = arr.values(arr.slots(behavior))
    return tuple(g[s : s + k].copy() for s, k in zip(arr.slot_first, arr.n_actions, strict=True))


def agent_regret(tree: Any, behavior: Any) -> np.ndarray:
    """Agent regret of every information set (``tree.infosets`` order), each >= 0.

    The largest is 0 exactly when `behavior` is an agent equilibrium (see the module
    docstring).  Defined for any tree, with or without perfect recall.

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> driver = GameTree(("D",), Decision("D", {"exit": Terminal(0), "go": Decision(
    ...     "D", {"exit": Terminal(4), "go": Terminal(1)}, infoset="h")}, infoset="h"))
    >>> agent_regret(driver, [[[0.0, 1.0]]]).tolist()  # always go: exiting once gains 2
    [2.0]
    """
    arr = agent_arrays(tree)
    return arr.regrets(arr.slots(behavior))


def agent_pure(
    tree: Any,
    *,
    tol: float = 1e-9,
    max_profiles: int = 10_000_000,
    max_equilibria: int = 100_000,
) -> SolveResult:
    """Every pure agent equilibrium of a tree (Gambit's ``enumpure`` on the agent form).

    Enumerates the pure behavior profiles (one action per information set) and keeps those
    where no information set's agent gains by deviating (agent regret <= `tol`, absolute).

    Parameters
    ----------
    tree : GameTree
        Numeric tree, with or without perfect recall.
    tol : float
        Regret tolerance, absolute (``0 <= tol < 1``).
    max_profiles : int
        Refuse trees with more pure profiles than this (the product of the action counts).
    max_equilibria : int
        Stop after this many (``complete`` False then).

    Returns
    -------
    SolveResult
        ``method == "agent_pure"``; equilibria in behavior strategies, in odometer order
        of the profiles (the first information set slowest).

    Raises
    ------
    SolverError
        A symbolic tree, or more than `max_profiles` pure profiles.

    Examples
    --------
    >>> from bargain import Decision, GameTree, Terminal
    >>> t = GameTree(("A", "B"), Decision("A", {
    ...     "L": Decision("B", {"l": Terminal(2, 1), "r": Terminal(0, 0)}),
    ...     "R": Terminal(1, 2)}))
    >>> [eq.path for eq in agent_pure(t)]  # (R, r) is an agent equilibrium too: r is unreached
    [('L', 'l'), ('R',)]
    """
    tol = check_tol(tol, method="agent_pure", zero_ok=True)
    max_profiles = check_limit("max_profiles", max_profiles, method="agent_pure")
    max_equilibria = check_limit("max_equilibria", max_equilibria, method="agent_pure")
    from bargain.games.extensive_form import GameTree

    if not isinstance(tree, GameTree):
        raise SolverError(f"method 'agent_pure' needs a GameTree, got {type(tree).__name__}")
    arr = agent_arrays(tree)
    total = math.prod(int(k) for k in arr.n_actions)
    if total > max_profiles:
        raise SolverError(
            f"method 'agent_pure': the tree has {total:.3g} pure agent profiles (the product "
            f"of the action counts of its {len(arr.n_actions)} information sets), more than "
            f"max_profiles={max_profiles}"
        )
    work = total * len(arr.flat.kind)
    kernel = _pick(_pure_agent, work > _INTERPRETED_WORK)
    found, count = kernel(*arr.args, arr.n_actions, arr.absent, tol, min(max_equilibria, total))
    equilibria = []
    for row in found[:count]:
        slots = np.zeros(arr.n_slots)
        slots[arr.slot_first + row] = 1.0
        equilibria.append(make_equilibrium(arr, slots, {"pure": True}, set_level=True))
    complete = count < max_equilibria or count == total
    notes = [AGENT_CAVEAT, *([EVERY_VISIT] if tree.absent_minded else [])]
    if not complete:
        notes.append(f"stopped after max_equilibria={max_equilibria} agent equilibria")
    return SolveResult(
        game=tree,
        method="agent_pure",
        equilibria=tuple(equilibria),
        options={"tol": tol, "max_profiles": max_profiles, "max_equilibria": max_equilibria},
        tolerance=tol,
        complete=complete,
        notes=tuple(notes),
    )


def make_equilibrium(
    arr: AgentArrays, slots: np.ndarray, info: dict, *, set_level: bool = False
) -> Equilibrium:
    """An :class:`Equilibrium` in behavior strategies whose ``max_regret`` is the largest
    agent regret (one-visit deviations, or with `set_level` deviations to a pure action
    at every visit); ``info["agent_regrets"]`` holds them per information set."""
    regrets = arr.set_regrets(slots) if set_level else arr.regrets(slots)
    _, _, pay = arr.values(slots)
    behavior = arr.profile(slots)
    return Equilibrium(
        behavior=behavior,
        payoffs=np.asarray(pay, float).copy(),
        max_regret=float(regrets.max(initial=0.0)),
        path=_path(arr, slots),
        info={**info, "agent_regrets": regrets, "agent_form": True},
    )


def _path(arr: AgentArrays, slots: np.ndarray) -> tuple[str, ...]:
    f = arr.flat
    tree = arr.tree
    reach = np.zeros(len(f.kind))
    reach[0] = 1.0
    out = []
    for x in range(len(f.kind)):
        if reach[x] <= 0:
            continue
        for k in range(int(f.n_children[x])):
            e = int(f.child_start[x]) + k
            if f.kind[x] == 1:
                p = slots[arr.slot_first[f.infoset[x]] + k]
                if p > 0:
                    out.append(tree.nodes[x].children()[k][0])
            else:
                p = arr.edge_prob[e]
            reach[f.children[e]] = reach[x] * p
    return tuple(out)
