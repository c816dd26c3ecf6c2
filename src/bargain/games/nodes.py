"""The nodes of a game tree: decisions, chance moves, terminal payoffs, information sets.

:class:`~bargain.games.extensive_form.GameTree` holds a root node and checks the whole;
the flat array form (:mod:`bargain.games.flat`) reads nodes too, so they stand here, below
both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bargain.errors import GameShapeError

__all__ = ["Chance", "Decision", "InfoSet", "Node", "Terminal"]


class Node:
    """Base class of tree nodes (use :class:`Decision`, :class:`Chance`, :class:`Terminal`)."""

    kind = ""
    label: str

    def children(self) -> tuple[tuple[str, Node], ...]:
        """``(action label, child)`` pairs in order."""
        return ()


class Terminal(Node):
    """A leaf: one payoff per player (numbers or SymPy expressions).

    Examples
    --------
    >>> Terminal(1, -1, label="status quo").payoffs
    (1, -1)
    """

    kind = "terminal"

    def __init__(self, *payoffs: Any, label: str = "") -> None:
        if len(payoffs) == 1 and isinstance(payoffs[0], (list, tuple)):
            payoffs = tuple(payoffs[0])
        self.payoffs = tuple(payoffs)
        self.label = label

    def __repr__(self) -> str:
        return f"Terminal{self.payoffs!r}"


class Decision(Node):
    """A move of `player` (name or 0-based index) choosing among labelled `actions`.

    Parameters
    ----------
    player : str or int
    actions : mapping of str to Node
        Action label → the node it leads to, in order.
    infoset : str, optional
        Name shared by the nodes of one information set.
    label : str
        Node label (shown in files and messages).

    Examples
    --------
    >>> d = Decision("DRC", {"Comply": Terminal(2, 1), "Renege": Terminal(0, 3)})
    >>> [a for a, _ in d.children()]
    ['Comply', 'Renege']
    """

    kind = "decision"

    def __init__(
        self,
        player: str | int,
        actions: Mapping[str, Node],
        *,
        infoset: str | None = None,
        label: str = "",
    ) -> None:
        self.player = player
        self.actions = dict(actions)
        self.infoset = infoset
        self.label = label

    def children(self) -> tuple[tuple[str, Node], ...]:
        return tuple(self.actions.items())

    def __repr__(self) -> str:
        return f"Decision({self.player!r}, {list(self.actions)!r})"


class Chance(Node):
    """A move of nature: outcome label → ``(probability, node)``.

    Examples
    --------
    >>> c = Chance({"detected": (0.6, Terminal(0, 0)), "missed": (0.4, Terminal(1, 1))})
    >>> c.probabilities
    (0.6, 0.4)
    """

    kind = "chance"

    def __init__(self, outcomes: Mapping[str, tuple[Any, Node]], *, label: str = "") -> None:
        self.outcomes = dict(outcomes)
        for name, pair in self.outcomes.items():
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], Node)):
                raise GameShapeError(
                    f"chance outcome {name!r}: expected (probability, node), got {pair!r}"
                )
        self.label = label

    @property
    def probabilities(self) -> tuple[Any, ...]:
        """Probabilities in outcome order."""
        return tuple(p for p, _ in self.outcomes.values())

    def children(self) -> tuple[tuple[str, Node], ...]:
        return tuple((a, n) for a, (_, n) in self.outcomes.items())

    def __repr__(self) -> str:
        return f"Chance({list(self.outcomes)!r})"


@dataclass(frozen=True)
class InfoSet:
    """An information set: the nodes (preorder ids) where `player` cannot tell which."""

    index: int
    player: int
    name: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]
