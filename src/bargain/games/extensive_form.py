"""Extensive-form games: decision, chance and terminal nodes, information sets.

Build a tree by nesting nodes; action labels are the keys of the dictionaries::

    tree = GameTree(
        players=("Rwanda", "DRC"),
        root=Decision("Rwanda", {
            "Withdraw": Decision("DRC", {"Comply": Terminal(3, 2), "Renege": Terminal(-1, 4)}),
            "Stay": Terminal(1, -1),
        }),
    )

Nodes of one player that share an ``infoset`` name form one information set (the player
cannot tell them apart); they must offer the same actions.  A decision without an
``infoset`` name is an information set of its own.  Payoffs and chance probabilities may be
numbers, :class:`fractions.Fraction` or SymPy expressions in declared parameters.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any

from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.games.expression import to_sympy
from bargain.games.nodes import Chance, Decision, InfoSet, Node, Terminal
from bargain.games.parameters import ParameterSet, is_symbolic, substitute
from bargain.games.recall import RecallWitness

__all__ = ["Chance", "Decision", "GameTree", "InfoSet", "Node", "RecallWitness", "Terminal"]


class GameTree:
    """A finite extensive-form game.

    Parameters
    ----------
    players : sequence of str
        Player names; decisions refer to players by name or index.
    root : Node
    parameters : ParameterSet, optional
        Parameters symbolic payoffs and probabilities may use.
    title : str

    Raises
    ------
    GameShapeError
        Wrong number of payoffs at a leaf, an unknown player, a node used twice, an empty
        decision, inconsistent information sets, chance probabilities that are negative or
        or do not sum to one (the message names the node by its path).  Imperfect recall
        is allowed: see :attr:`perfect_recall` and :attr:`recall_witness`.

    Examples
    --------
    >>> t = GameTree(("A", "B"), Decision("A", {"L": Terminal(1, 0), "R": Terminal(0, 1)}))
    >>> t.n_players, len(t.nodes), t.perfect_information
    (2, 3, True)
    """

    def __init__(
        self,
        players: Sequence[str],
        root: Node,
        *,
        parameters: ParameterSet | None = None,
        title: str = "",
    ) -> None:
        self.players = tuple(str(p) for p in players)
        if len(self.players) < 1 or len(set(self.players)) != len(self.players):
            raise GameShapeError(f"players must be distinct names, got {list(self.players)}")
        if not isinstance(root, Node):
            raise GameShapeError(f"root must be a Decision, Chance or Terminal, got {root!r}")
        self.root = root
        self.parameters = parameters
        self.title = title
        self.nodes: tuple[Node, ...] = ()
        self.parent: tuple[int, ...] = ()
        self.parent_action: tuple[int, ...] = ()
        self._index()
        self.is_symbolic = any(is_symbolic(x) for n in self.nodes for x in _numbers_of(n))
        self._check_numbers()
        self.infosets = self._infosets()
        self._check_perfect_recall()

    # -- construction checks -------------------------------------------------------------
    def _index(self) -> None:
        nodes: list[Node] = []
        parent: list[int] = []
        parent_action: list[int] = []
        seen: set[int] = set()
        stack: list[tuple[Node, int, int]] = [(self.root, -1, -1)]
        while stack:
            node, par, act = stack.pop()
            if not isinstance(node, Node):
                raise GameShapeError(
                    f"{self._where_parent(nodes, parent, par, act)}: expected a node, got {node!r}"
                )
            if id(node) in seen:
                raise GameShapeError(
                    f"{self._where_parent(nodes, parent, par, act)}: the same node object is "
                    "used twice; build a new node for each place in the tree"
                )
            seen.add(id(node))
            nodes.append(node)
            parent.append(par)
            parent_action.append(act)
            me = len(nodes) - 1
            kids = node.children()
            if node.kind in ("decision", "chance") and not kids:
                raise GameShapeError(
                    f"{self._path_of(nodes, parent, parent_action, me)}: "
                    f"a {node.kind} node needs at least one action"
                )
            for k in range(len(kids) - 1, -1, -1):
                stack.append((kids[k][1], me, k))
        self.nodes = tuple(nodes)
        self.parent = tuple(parent)
        self.parent_action = tuple(parent_action)
        kids_of: list[list[int]] = [[] for _ in nodes]
        for j, p in enumerate(parent):
            if p >= 0:
                kids_of[p].append(j)
        self.child_ids: tuple[tuple[int, ...], ...] = tuple(tuple(k) for k in kids_of)
        n = len(self.players)
        node_player = [-1] * len(nodes)
        for i, node in enumerate(self.nodes):
            if isinstance(node, Terminal) and len(node.payoffs) != n:
                raise GameShapeError(
                    f"{self.where(i)}: {len(node.payoffs)} payoffs at a leaf, expected {n} "
                    f"(one per player: {', '.join(self.players)})"
                )
            if isinstance(node, Decision):
                node_player[i] = self._player_index(node.player, i)
        #: player index of each node (-1 for chance and terminal nodes)
        self.node_player: tuple[int, ...] = tuple(node_player)

    def _where_parent(self, nodes, parent, par, act) -> str:
        if par < 0:
            return "root"
        return f"{self._path_of(nodes, parent, None, par)} -> action {act}"

    def _path_of(self, nodes, parent, parent_action, i) -> str:
        labels: list[str] = []
        while i > 0:
            p = parent[i]
            k = parent_action[i] if parent_action is not None else None
            if k is None:
                break
            labels.append(nodes[p].children()[k][0])
            i = p
        return "node at " + ("root" if not labels else "/".join(reversed(labels)))

    def where(self, i: int) -> str:
        """Human-readable location of node `i`: ``"node at Withdraw/Renege"``."""
        return self._path_of(self.nodes, self.parent, self.parent_action, i)

    def path(self, i: int) -> tuple[str, ...]:
        """Action labels from the root to node `i`."""
        labels: list[str] = []
        while i > 0:
            p = self.parent[i]
            labels.append(self.nodes[p].children()[self.parent_action[i]][0])
            i = p
        return tuple(reversed(labels))

    def _player_index(self, player: Any, i: int) -> int:
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < len(self.players):
                return player
        elif player in self.players:
            return self.players.index(player)
        raise GameShapeError(
            f"{self.where(i)}: unknown player {player!r}; players are {list(self.players)}"
        )

    def _check_numbers(self) -> None:
        known = set(self.parameters.names) if self.parameters is not None else None
        for i, node in enumerate(self.nodes):
            for x in _numbers_of(node):
                if is_symbolic(x):
                    if known is not None:
                        for s in x.free_symbols:
                            if s.name not in known:
                                raise ParameterError(
                                    s.name, f"used at {self.where(i)} but not declared"
                                )
                elif not _finite(x):
                    raise GameShapeError(f"{self.where(i)}: {x!r} is not a finite number")
            if isinstance(node, Chance):
                self._check_probabilities(i, node)

    def _check_probabilities(self, i: int, node: Chance) -> None:
        probs = node.probabilities
        if any(is_symbolic(p) for p in probs):
            import sympy

            total = sympy.simplify(sum(to_sympy(p, where=self.where(i)) for p in probs) - 1)
            if total != 0:
                raise GameShapeError(
                    f"{self.where(i)}: chance probabilities sum to 1 + ({total}), not 1"
                )
            return
        for p in probs:
            if float(p) < 0:
                raise GameShapeError(f"{self.where(i)}: negative chance probability {p!r}")
        if all(isinstance(p, (int, Fraction)) for p in probs):
            ok = sum(Fraction(p) for p in probs) == 1
        else:
            ok = math.isclose(math.fsum(float(p) for p in probs), 1.0, abs_tol=1e-9)
        if not ok:
            raise GameShapeError(
                f"{self.where(i)}: chance probabilities {list(probs)} do not sum to 1"
            )

    def _infosets(self) -> tuple[InfoSet, ...]:
        groups: dict[tuple[int, Any], list[int]] = {}
        for i, node in enumerate(self.nodes):
            if isinstance(node, Decision):
                key = (self.node_player[i], node.infoset if node.infoset is not None else ("#", i))
                groups.setdefault(key, []).append(i)
        out = []
        for k, ((player, name), members) in enumerate(groups.items()):
            actions = tuple(self.nodes[members[0]].actions)
            for j in members[1:]:
                if tuple(self.nodes[j].actions) != actions:
                    raise GameShapeError(
                        f"information set {name!r} of {self.players[player]!r}: "
                        f"{self.where(j)} offers {list(self.nodes[j].actions)}, "
                        f"{self.where(members[0])} offers {list(actions)}"
                    )
            label = name if isinstance(name, str) else ""
            out.append(InfoSet(k, player, label, actions, tuple(members)))
        names: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            if isinstance(node, Decision) and node.infoset is not None:
                me = self.node_player[i]
                if names.setdefault(node.infoset, me) != me:
                    raise GameShapeError(
                        f"information set {node.infoset!r} is used by two players "
                        f"({self.players[names[node.infoset]]!r} and "
                        f"{self.players[me]!r}) at {self.where(i)}"
                    )
        return tuple(out)

    def infoset_of(self, i: int) -> int:
        """Index of the information set containing decision node `i` (-1 otherwise)."""
        return self._infoset_index.get(i, -1)

    @property
    def _infoset_index(self) -> dict[int, int]:
        cache = self.__dict__.get("_iset_cache")
        if cache is None:
            cache = {n: s.index for s in self.infosets for n in s.nodes}
            self.__dict__["_iset_cache"] = cache
        return cache

    def own_history(self, i: int, player: int) -> tuple[tuple[int, int], ...]:
        """``(infoset, action)`` pairs `player` chose on the way to node `i`."""
        hist = []
        while i > 0:
            p = self.parent[i]
            if self.node_player[p] == player:
                hist.append((self.infoset_of(p), self.parent_action[i]))
            i = p
        return tuple(reversed(hist))

    def _check_perfect_recall(self) -> None:
        from bargain.games.recall import recall_witness

        #: the first information set that breaks perfect recall, or None
        self.recall_witness: RecallWitness | None
        #: information sets with two nodes on one path (absent-minded), by index
        self.absent_minded_infosets: tuple[int, ...]
        self.recall_witness, self.absent_minded_infosets = recall_witness(self)

    @property
    def perfect_recall(self) -> bool:
        """Whether every player remembers all own earlier moves and information sets.

        When False, :attr:`recall_witness` names the first information set that breaks
        it.  Such a tree has a strategic form, agent-form equilibria and Nash equilibria
        in mixed strategies, but behavior strategies are not equivalent to mixed ones
        (Kuhn 1953), so sequence form and subgame perfection refuse it.

        Examples
        --------
        >>> t = GameTree(("A",), Decision("A", {
        ...     "l": Decision("A", {"x": Terminal(1), "y": Terminal(0)}, infoset="J"),
        ...     "r": Decision("A", {"x": Terminal(0), "y": Terminal(1)}, infoset="J")}))
        >>> t.perfect_recall, t.recall_witness.infoset_name
        (False, 'J')
        """
        return self.recall_witness is None

    @property
    def absent_minded(self) -> bool:
        """Whether some information set has two nodes on one path from the root."""
        return bool(self.absent_minded_infosets)

    def require_perfect_recall(self, what: str) -> None:
        """Raise :class:`~bargain.errors.SolverError` naming the witness when the tree has
        imperfect recall; `what` names the method that needs it.

        Examples
        --------
        >>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "y": Terminal(0)}))
        >>> t.require_perfect_recall("method 'spe'")  # perfect recall: nothing happens
        """
        w = self.recall_witness
        if w is not None:
            raise SolverError(
                f"{what} needs perfect recall, and this tree has imperfect recall: "
                f"{w.describe(self)}; solve it with a strategic-form method (vertex, "
                "support, lemke_howson, logit on .to_normal_form()) or the agent form "
                "(method 'agent_pure' or 'agent_logit')"
            )

    # -- properties -----------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """Number of players (chance excluded)."""
        return len(self.players)

    @property
    def perfect_information(self) -> bool:
        """Whether every information set is a single node."""
        return all(len(s.nodes) == 1 for s in self.infosets)

    @property
    def leaves(self) -> tuple[int, ...]:
        """Preorder ids of the terminal nodes."""
        return tuple(i for i, n in enumerate(self.nodes) if isinstance(n, Terminal))

    def to_tikz(self, **options: Any) -> str:
        """This tree as a TikZ picture; see :func:`bargain.games.tikz.tree_to_tikz`.

        Examples
        --------
        >>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "y": Terminal(0)}))
        >>> t.to_tikz(standalone=False).splitlines()[0].startswith("\\\\begin{tikzpicture}")
        True
        """
        from bargain.games.tikz import tree_to_tikz

        return tree_to_tikz(self, **options)

    def to_dot(self, **options: Any) -> str:
        """This tree as Graphviz DOT text; see :func:`bargain.games.dot.tree_to_dot`.

        Examples
        --------
        >>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "y": Terminal(0)}))
        >>> t.to_dot().count(" -> ")
        2
        """
        from bargain.games.dot import tree_to_dot

        return tree_to_dot(self, **options)

    def plot(self, ax: Any = None, **options: Any) -> Any:
        """Draw this tree with matplotlib; see :func:`bargain.games.drawing.plot_tree`.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "y": Terminal(0)}))
        >>> t.plot().texts[0].get_text()
        'A'
        """
        from bargain.games.drawing import plot_tree

        return plot_tree(self, ax, **options)

    def _repr_html_(self) -> str:
        from bargain.games.display import tree_html

        return tree_html(self)

    def __repr__(self) -> str:
        kind = "symbolic" if self.is_symbolic else "numeric"
        name = f" {self.title!r}" if self.title else ""
        return (
            f"<GameTree{name} {self.n_players} players, {len(self.nodes)} nodes, "
            f"{len(self.infosets)} information sets, {kind}>"
        )

    def walk(self) -> Iterator[tuple[int, Node]]:
        """``(id, node)`` in preorder."""
        return iter(enumerate(self.nodes))

    # -- conversions ----------------------------------------------------------------------
    def numeric(self, **values: float) -> GameTree:
        """A copy with every payoff and probability evaluated to a float.

        Parameters not given take their defaults (when the tree declares `parameters`).

        Examples
        --------
        >>> from bargain.games.parameters import Parameter, ParameterSet
        >>> ps = ParameterSet([Parameter("q", 0.5, (0, 1))])
        >>> (q,) = ps.symbols()
        >>> t = GameTree(("A",), Chance({"x": (q, Terminal(1)), "y": (1 - q, Terminal(0))}),
        ...              parameters=ps)
        >>> t.numeric(q=0.25).root.probabilities
        (0.25, 0.75)
        """
        if self.parameters is not None:
            vals = self.parameters.resolve(**values)
        else:
            vals = {k: float(v) for k, v in values.items()}

        def conv(x: Any, i: int, what: str) -> Any:
            if is_symbolic(x):
                return substitute(x, vals, where=f"{what} at {self.where(i)}")
            return x if isinstance(x, Fraction) else float(x)

        def copy(i: int) -> Node:
            node = self.nodes[i]
            kids = self.child_ids[i]
            if isinstance(node, Terminal):
                return Terminal(*(conv(x, i, "payoff") for x in node.payoffs), label=node.label)
            if isinstance(node, Decision):
                acts = {a: copy(j) for (a, _), j in zip(node.children(), kids, strict=True)}
                return Decision(node.player, acts, infoset=node.infoset, label=node.label)
            outs = {
                a: (conv(p, i, "probability"), copy(j))
                for (a, (p, _)), j in zip(node.outcomes.items(), kids, strict=True)
            }
            return Chance(outs, label=node.label)

        return GameTree(self.players, copy(0), title=self.title)

    def flatten(self):
        """Array form for Numba kernels; see :class:`bargain.games.flat.FlatTree`."""
        from bargain.games.flat import flatten

        return flatten(self)

    def to_normal_form(self, *, max_profiles: int = 1_000_000):
        """The reduced strategic form; see :func:`bargain.games.reduced.reduced_normal_form`."""
        from bargain.games.reduced import reduced_normal_form

        return reduced_normal_form(self, max_profiles=max_profiles)


def _numbers_of(node: Node) -> tuple[Any, ...]:
    if isinstance(node, Terminal):
        return node.payoffs
    if isinstance(node, Chance):
        return node.probabilities
    return ()


def _finite(x: Any) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
