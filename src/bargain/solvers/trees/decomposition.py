"""The bottom-up solve behind :func:`~bargain.solvers.trees.subgame_perfect.subgame_perfect`.

The tree is cut at its subgame roots; each subgame's equilibria are found (backward
induction where it has perfect information, a strategic-form or sequence-form method where
it has information sets), kept up to a cap, and assembled into profiles of the whole tree.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from bargain.errors import SolverError
from bargain.solvers.result import Equilibrium, SolveResult

__all__ = ["SUBGAME_METHODS", "Decomposition"]

SUBGAME_METHODS = ("auto", "vertex", "sequence_form", "logit")

#: equilibria of a piece differing by less than this in every probability are the same
_SAME = 1e-9

#: ``auto`` enumerates the extreme equilibria of a piece's reduced strategic form up to this
#: many pure profiles; larger pieces get the sequence form (one equilibrium)
_VERTEX_PROFILES = 400


class Decomposition:
    """Bottom-up solve over the subgame roots; entries are equilibria of one subgame.

    An entry is ``(payoffs, local, refs)``: the subgame's equilibrium payoffs, the behavior
    at the information sets of its piece (original infoset index → probabilities) and the
    entry index chosen in each nearest cut subgame (root id → index).
    """

    def __init__(self, tree, tol, all_eq, labels, cap, method, options) -> None:
        from bargain.solvers.trees.subgames import proper_subgames

        self.tree = tree
        self.tol = tol
        self.all_eq = all_eq
        self.labels = set(labels)
        self.cap = cap if all_eq else 1
        self.max_equilibria = cap
        self.method = method
        self.options = options
        self.roots = (0, *proper_subgames(tree))
        self.is_root = np.zeros(len(tree.nodes), bool)
        self.is_root[list(self.roots)] = True
        self.cuts = {r: self._cuts_below(r) for r in self.roots}
        self.entries: dict[int, list[tuple[np.ndarray, dict, dict]]] = {}
        self.truncated = False
        self.incomplete_methods: set[str] = set()
        self.several: list[str] = []
        self.large: list[str] = []
        self.piece_index: dict[int, list[int]] = {}
        pays = [float(x) for i in tree.leaves for x in tree.nodes[i].payoffs]
        self.scale = max(1.0, max((abs(x) for x in pays), default=0.0))

    def _cuts_below(self, r: int) -> tuple[int, ...]:
        out, stack = [], list(reversed(self.tree.child_ids[r]))
        while stack:
            i = stack.pop()
            if self.is_root[i]:
                out.append(i)
            elif self.tree.child_ids[i]:
                stack.extend(reversed(self.tree.child_ids[i]))
        return tuple(out)

    # -- solving ----------------------------------------------------------------------------
    def run(self) -> SolveResult:
        for r in reversed(self.roots):  # preorder reversed: every cut is solved before r
            self._solve_subgame(r)
        depth = self._cut_depth()
        bound = max(self.tol, 1e-9) * self.scale * (1 + depth)
        equilibria, dropped = [], 0
        for e in range(len(self.entries[0])):
            eq = self._assemble(e, bound)
            if eq is None:
                dropped += 1
            else:
                equilibria.append(eq)
        notes = list(self.several)
        if dropped:
            notes.append(f"{dropped} assembled profile(s) failed verification and were dropped")
        if not equilibria:
            raise SolverError(
                "method 'spe': no subgame-perfect profile passed verification "
                f"(bound {bound:g}); " + "; ".join(notes)
            )
        if self.truncated:
            notes.append(
                f"stopped at max_equilibria={self.max_equilibria} equilibria in some subgame; "
                "the list is incomplete"
            )
        if self.large:
            notes.append(
                f"subgame(s) at {', '.join(dict.fromkeys(self.large))}: reduced strategic form "
                f"over {_VERTEX_PROFILES} profiles; solved by sequence_form instead of vertex"
            )
        for m in sorted(self.incomplete_methods):
            notes.append(
                f"pieces with imperfect information solved by {m}, which may miss equilibria"
            )
        return SolveResult(
            game=self.tree,
            method="spe",
            equilibria=tuple(equilibria),
            options=self.options,
            tolerance=float(bound),
            complete=not self.truncated and not self.incomplete_methods,
            notes=(
                f"subgame decomposition: {len(self.roots)} subgames (root included)",
                *notes,
            ),
        )

    def _cut_depth(self) -> int:
        depth = dict.fromkeys(self.roots, 0)
        for r in reversed(self.roots):
            depth[r] = 1 + max((depth[c] for c in self.cuts[r]), default=0)
        return depth[0]

    def _solve_subgame(self, r: int) -> None:
        cuts = self.cuts[r]
        lists = [range(len(self.entries[c])) for c in cuts]
        out: list[tuple[np.ndarray, dict, dict]] = []
        for combo in itertools.product(*lists):
            refs = dict(zip(cuts, combo, strict=True))
            values = {c: self.entries[c][k][0] for c, k in refs.items()}
            local = self._local_equilibria(r, values)
            if len(local) > 1 and not self.all_eq:
                self.several.append(
                    f"the subgame at {self._where(r)} has several equilibria ({len(local)} "
                    "found); the first was selected"
                )
            for k, (pay, beh) in enumerate(local if self.all_eq else local[:1]):
                if len(out) >= self.cap:
                    self.truncated = self.all_eq or self.truncated
                    break
                out.append((pay, beh, refs))
                self.piece_index.setdefault(r, []).append(k)
            if len(out) >= self.cap and self.all_eq:
                break
        if self.all_eq and len(out) > 1:
            self.several.append(f"the subgame at {self._where(r)} has {len(out)} equilibria")
        self.entries[r] = out

    def _where(self, r: int) -> str:
        path = self.tree.path(r)
        return "root" if not path else "/".join(path)

    def _local_equilibria(self, r: int, values: dict[int, np.ndarray]):
        """Equilibria of the piece at `r` given the cut subgames' payoffs: (payoffs, behavior)."""
        tree = self.tree
        kids = tree.child_ids[r]
        if all(self.is_root[j] or not tree.child_ids[j] for j in kids):
            return self._step(r, [self._value(j, values) for j in kids])
        return self._piece(r, values)

    def _value(self, j: int, values: dict[int, np.ndarray]) -> np.ndarray:
        if j in values:
            return values[j]
        return np.array([float(x) for x in self.tree.nodes[j].payoffs])

    def _step(self, r: int, child_values: list[np.ndarray]):
        """A perfect-information step: the tie rule of backward induction."""
        from bargain.games.extensive_form import Chance

        node = self.tree.nodes[r]
        if isinstance(node, Chance):
            probs = [float(p) for p in node.probabilities]
            return [(sum(p * v for p, v in zip(probs, child_values, strict=True)), {})]
        pl = self.tree.node_player[r]
        best = max(v[pl] for v in child_values)
        thr = best - self.tol * max(1.0, abs(best))
        actions = [a for a, _ in node.children()]
        optimal = [a for a, v in enumerate(child_values) if v[pl] >= thr]
        ordered = [a for a in optimal if actions[a] in self.labels]
        ordered += [a for a in optimal if actions[a] not in self.labels]
        iset = self.tree.infoset_of(r)
        eye = np.eye(len(actions))
        return [(child_values[a], {iset: eye[a]}) for a in ordered]

    def _piece(self, r: int, values: dict[int, np.ndarray]):
        """A piece with imperfect information: its reduced tree solved for Nash equilibria."""
        from bargain.solvers.trees.behavior import tree_regret

        piece, orig = self._reduced_tree(r, values)
        n_players = piece.n_players
        method = self.method
        if method == "auto":
            if n_players == 2:
                method = "vertex" if self.all_eq else "sequence_form"
            else:
                method = "logit"
        if method in ("vertex", "sequence_form") and n_players != 2:
            raise SolverError(
                f"subgame_method {method!r} needs two players; the tree has {n_players}; "
                "use subgame_method='logit'"
            )
        nf = None
        if method == "vertex":
            nf = self._small_normal_form(piece, forced=self.method == "vertex")
            if nf is None:  # auto, and the strategic form is large
                method = "sequence_form"
                self.large.append(self._where(r))
        if method == "vertex":
            found = self._vertex(piece, nf)
        else:
            from bargain.solvers.api import solve

            self.incomplete_methods.add(method)
            result = solve(piece, method=method)
            found = [eq.behavior for eq in result.equilibria]
        bound = max(self.tol, 1e-9) * self.scale
        out, seen = [], []
        for behavior in found:
            if float(np.max(tree_regret(piece, behavior))) > bound:
                continue
            flat = np.concatenate([b for p in behavior for b in p] or [np.zeros(0)])
            if any(
                flat.shape == s.shape and np.max(np.abs(flat - s), initial=0) < _SAME for s in seen
            ):
                continue
            seen.append(flat)
            out.append((self._piece_payoffs(piece, behavior), self._to_orig(piece, orig, behavior)))
        if not out:
            raise SolverError(
                f"method 'spe': no verified Nash equilibrium of the subgame at {self._where(r)} "
                f"by {method}"
            )
        return out

    @staticmethod
    def _piece_payoffs(piece, behavior) -> np.ndarray:
        from bargain.solvers.trees.behavior import expected_payoffs

        return np.asarray(expected_payoffs(piece, behavior), float)

    @staticmethod
    def _small_normal_form(piece, *, forced: bool):
        """The piece's reduced strategic form, or None when it is too large for ``auto``."""
        from bargain.errors import GameShapeError

        limit = 10**9 if forced else _VERTEX_PROFILES
        try:
            nf = piece.to_normal_form(max_profiles=limit)
        except GameShapeError:
            if forced:
                raise
            return None
        return nf if forced or int(np.prod(nf.shape)) <= _VERTEX_PROFILES else None

    def _vertex(self, piece, nf):
        from bargain.solvers.normal_form.vertex import vertex_enumeration
        from bargain.solvers.trees.behavior import mixed_to_behavior

        result = vertex_enumeration(nf)
        if not result.complete:
            self.incomplete_methods.add("vertex (capped)")
        return [
            tuple(mixed_to_behavior(piece, p, s) for p, s in enumerate(eq.strategies))
            for eq in result.equilibria
        ]

    def _reduced_tree(self, r: int, values: dict[int, np.ndarray]):
        """The subtree at `r` with every cut subgame replaced by a leaf of its payoffs."""
        from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

        tree = self.tree
        orig: list[int] = []

        def copy(i: int):
            orig.append(i)
            node = tree.nodes[i]
            if i != r and i in values:
                return Terminal(*values[i].tolist())
            if not tree.child_ids[i]:
                return Terminal(*node.payoffs)
            kids = tree.child_ids[i]
            if isinstance(node, Chance):
                return Chance(
                    {
                        a: (p, copy(j))
                        for (a, (p, _)), j in zip(node.outcomes.items(), kids, strict=True)
                    }
                )
            acts = {a: copy(j) for (a, _), j in zip(node.children(), kids, strict=True)}
            return Decision(node.player, acts, infoset=node.infoset)

        piece = GameTree(tree.players, copy(r))
        return piece, orig

    def _to_orig(self, piece, orig: list[int], behavior) -> dict[int, np.ndarray]:
        out = {}
        for p in range(piece.n_players):
            own = [s for s in piece.infosets if s.player == p]
            for s, probs in zip(own, behavior[p], strict=True):
                out[self.tree.infoset_of(orig[s.nodes[0]])] = np.asarray(probs, float)
        return out

    # -- assembling and checking ------------------------------------------------------------
    def _assemble(self, e: int, bound: float) -> Equilibrium | None:
        from bargain.solvers.trees.behavior import expected_payoffs, tree_regret

        tree = self.tree
        local: dict[int, np.ndarray] = {}
        pieces: dict[int, int] = {}
        stack = [(0, e)]
        while stack:
            r, k = stack.pop()
            _, beh, refs = self.entries[r][k]
            local.update(beh)
            if not self._is_step(r):
                pieces[r] = self.piece_index[r][k]
            stack.extend(refs.items())
        behavior = tuple(
            tuple(local[s.index].copy() for s in tree.infosets if s.player == p)
            for p in range(tree.n_players)
        )
        regret = float(np.max(tree_regret(tree, behavior)))
        sub = {r: self._subgame_regret(r, behavior) for r in self.roots}
        if regret > bound or max(sub.values()) > bound:
            return None
        return Equilibrium(
            behavior=behavior,
            payoffs=np.asarray(expected_payoffs(tree, behavior), float),
            max_regret=regret,
            path=_path(tree, behavior),
            info={"subgame_regrets": sub, "subgame_perfect": True, "pieces": pieces},
        )

    def _is_step(self, r: int) -> bool:
        return all(self.is_root[j] or not self.tree.child_ids[j] for j in self.tree.child_ids[r])

    def _subgame_regret(self, r: int, behavior) -> float:
        from bargain.games.extensive_form import GameTree
        from bargain.solvers.trees.behavior import tree_regret

        tree = self.tree
        if r == 0:
            sub = tree
        else:
            cache = self.__dict__.setdefault("_subtrees", {})
            if r not in cache:
                cache[r] = GameTree(tree.players, tree.nodes[r])
            sub = cache[r]
        pos = {
            s.index: k
            for p in range(tree.n_players)
            for k, s in enumerate(s for s in tree.infosets if s.player == p)
        }
        restricted = tuple(
            tuple(
                behavior[p][pos[tree.infoset_of(r + s.nodes[0])]]
                for s in sub.infosets
                if s.player == p
            )
            for p in range(tree.n_players)
        )
        return float(np.max(tree_regret(sub, restricted)))


def _path(tree: Any, behavior) -> tuple[str, ...] | None:
    """Decision labels taken at the nodes reached, in preorder; None if a reached move is
    mixed (the convention of :func:`bargain.solvers.trees.backward_induction.equilibrium_path`)."""
    from bargain.games.extensive_form import Chance

    pos = {
        s.index: k
        for p in range(tree.n_players)
        for k, s in enumerate(s for s in tree.infosets if s.player == p)
    }
    out: list[str] = []
    stack = [0]
    while stack:
        i = stack.pop()
        node, kids = tree.nodes[i], tree.child_ids[i]
        if not kids:
            continue
        if isinstance(node, Chance):
            for a in range(len(kids) - 1, -1, -1):
                if float(node.probabilities[a]) > 0:
                    stack.append(kids[a])
            continue
        probs = behavior[tree.node_player[i]][pos[tree.infoset_of(i)]]
        a = int(np.argmax(probs))
        if probs[a] < 1.0 - 1e-9:
            return None
        out.append(node.children()[a][0])
        stack.append(kids[a])
    return tuple(out)
