"""What solvers return: frozen records of the equilibria and of how they were found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["MAX_EQUILIBRIA", "Equilibrium", "SolveResult"]

#: The default of ``max_equilibria``, the one cap every enumerating method (``pure``,
#: ``support``, ``vertex``, ``spe``) puts on the number of equilibria it lists.  A list
#: that stops there has ``complete`` False, a note, and the total in ``count`` when the
#: method can count without listing (``pure``, ``spe`` on perfect-information trees).
MAX_EQUILIBRIA = 1000


@dataclass(frozen=True, repr=False)
class Equilibrium:
    """One equilibrium, verified on return.

    Attributes
    ----------
    strategies : tuple of numpy.ndarray or None
        Normal form: one mixed strategy per player, in the game's strategy order.
    behavior : tuple of tuple of numpy.ndarray or None
        Extensive form: per player, per information set (in order of first appearance in
        the tree), the action probabilities.
    payoffs : numpy.ndarray
        Expected payoff of each player.
    max_regret : float
        Largest gain any player can get by a unilateral deviation (>= 0).
    exact : tuple of tuple of Fraction or None
        Rational strategies verified in exact arithmetic, when asked for.
    path : tuple of str or None
        Extensive form: labels of the decision actions taken at every node reached with
        positive probability, in preorder (chance outcome labels are not included).
    component : int or None
        Index of the connected component ("clique") of extreme equilibria it belongs to.
    info : mapping
        Method-specific extras (e.g. Lemke–Howson labels reaching it, beliefs).

    Examples
    --------
    >>> import numpy as np
    >>> eq = Equilibrium(strategies=(np.array([1.0, 0.0]), np.array([0.0, 1.0])),
    ...                  payoffs=np.array([2.0, 1.0]), max_regret=0.0)
    >>> eq.support
    ((0,), (1,))
    """

    strategies: tuple[np.ndarray, ...] | None = None
    behavior: tuple[tuple[np.ndarray, ...], ...] | None = None
    payoffs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    max_regret: float = 0.0
    exact: tuple[tuple[Fraction, ...], ...] | None = None
    path: tuple[str, ...] | None = None
    component: int | None = None
    info: Mapping[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        if self.strategies is not None:
            play = (
                "strategies=("
                + ", ".join("[" + ", ".join(f"{x:.4g}" for x in s) + "]" for s in self.strategies)
                + ")"
            )
        elif self.path is not None:
            play = f"path={' -> '.join(self.path)!r}"
        else:
            play = "behavior=..."
        pays = ", ".join(f"{float(x):.6g}" for x in self.payoffs)
        return f"<Equilibrium {play}, payoffs=({pays}), max_regret={self.max_regret:.2g}>"

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies played with positive probability, per player."""
        if self.strategies is None:
            raise AttributeError("support is defined for normal-form equilibria")
        return tuple(tuple(int(i) for i in np.flatnonzero(s > 0)) for s in self.strategies)

    def is_pure(self, tol: float = 0.0) -> bool:
        """Whether every player puts probability > 1 - tol on one strategy or action."""
        if self.strategies is not None:
            arrays = list(self.strategies)
        else:
            arrays = [b for player in self.behavior or () for b in player]
        return all(float(np.max(a)) >= 1.0 - tol for a in arrays if len(a))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of DESIGN.md: ``strategies`` or ``behavior``, ``payoffs``,
        ``max_regret`` and, when verified exactly, ``exact``; nothing else."""
        out: dict[str, Any] = {}
        if self.strategies is not None:
            out["strategies"] = [[float(x) for x in s] for s in self.strategies]
        if self.behavior is not None:
            out["behavior"] = [[[float(x) for x in b] for b in player] for player in self.behavior]
        out["payoffs"] = [float(x) for x in self.payoffs]
        out["max_regret"] = float(self.max_regret)
        if self.exact is not None:
            out["exact"] = [[str(x) for x in s] for s in self.exact]
        return out


@dataclass(frozen=True, repr=False)
class SolveResult:
    """The answer of :func:`bargain.solve`: equilibria plus how they were produced.

    Attributes
    ----------
    game : object
        The (numeric) game that was solved.
    method : str
        The method actually used (``"auto"`` resolved to a concrete one).
    equilibria : tuple of Equilibrium
        In a deterministic order.
    options : mapping
        Options passed to the method.
    tolerance : float
        Regret tolerance each equilibrium was verified against.
    complete : bool
        False when the method stopped at an iteration cap, or cannot promise to have found
        every equilibrium of its kind; see `notes`.
    notes : tuple of str
        Human-readable remarks (which method ``auto`` picked, ties, caps).
    seconds : float
        Wall-clock time of the solve.
    components : tuple of tuple of int or None
        For methods that report them: connected components of extreme equilibria, as
        indices into `equilibria`.
    count : int or None
        How many equilibria of the kind the method enumerates there are in all, when known
        (pure equilibria for ``pure``; pure subgame-perfect equilibria, off-path choices
        included, for ``spe`` on a perfect-information tree): ``len(equilibria)`` for a
        complete list, the total when the list stopped at ``max_equilibria``, which is how
        a count far beyond what can be listed is reported (exact Python integer).  None when
        unknown.
    path_count : int or None
        For ``spe`` on a perfect-information tree: the number of distinct equilibrium paths
        among all pure SPE, when known.

    Examples
    --------
    >>> r = SolveResult(game=None, method="pure", equilibria=())
    >>> len(r)
    0
    """

    game: Any
    method: str
    equilibria: tuple[Equilibrium, ...]

    def __repr__(self) -> str:
        done = "complete" if self.complete else "not complete"
        worst = max((e.max_regret for e in self.equilibria), default=0.0)
        return (
            f"<SolveResult {self.method}: {len(self.equilibria)} equilibria, {done}, "
            f"max regret {worst:.2g}, {self.seconds:.3g} s>"
        )

    def _repr_html_(self) -> str:
        from bargain.games.display import equilibria_html

        return equilibria_html(self)

    options: Mapping[str, Any] = field(default_factory=dict)
    tolerance: float = 1e-9
    complete: bool = True
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    components: tuple[tuple[int, ...], ...] | None = None
    count: int | None = None
    path_count: int | None = None

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, i: int) -> Equilibrium:
        return self.equilibria[i]

    def to_dict(self, *, game_name: str | None = None) -> dict[str, Any]:
        """The JSON object ``bargain solve --format json`` prints, exactly DESIGN.md's keys.

        Notes and incompleteness are not part of it: the CLI prints them on stderr.

        Examples
        --------
        >>> SolveResult(game=None, method="pure", equilibria=()).to_dict(game_name="g")
        {'game': 'g', 'method': 'pure', 'players': [], 'equilibria': []}
        """
        players = list(getattr(self.game, "players", ()) or ())
        name = game_name if game_name is not None else getattr(self.game, "title", "") or ""
        out: dict[str, Any] = {
            "game": name,
            "method": self.method,
            "players": players,
            "equilibria": [eq.to_dict() for eq in self.equilibria],
        }
        return out


_new = object.__new__


def new_equilibrium(
    strategies: tuple[np.ndarray, ...], payoffs: np.ndarray, max_regret: float, info: dict
) -> Equilibrium:
    """A normal-form :class:`Equilibrium`, built without the dataclass ``__init__``.

    The frozen dataclass's ``__init__`` sets each of its eight fields through
    ``object.__setattr__``; filling the instance dict at once is ~3x faster, which
    matters for solvers whose whole run on a small game takes a few microseconds.  Fields
    left at their defaults (``behavior``, ``exact``, ``path``, ``component``: None) are
    not stored: attribute lookup finds the dataclass's class-level defaults, so the object
    compares, prints, copies and pickles as one built the usual way.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 0.0])
    >>> eq = new_equilibrium((x, x), np.array([1.0, 1.0]), 0.0, {})
    >>> eq == Equilibrium(strategies=(x, x), payoffs=eq.payoffs, max_regret=0.0, info={})
    True
    """
    eq = _new(Equilibrium)
    eq.__dict__.update(strategies=strategies, payoffs=payoffs, max_regret=max_regret, info=info)
    return eq


def new_result(
    game: Any,
    method: str,
    equilibria: tuple[Equilibrium, ...],
    options: dict,
    tolerance: float,
    complete: bool,
    notes: tuple[str, ...],
    count: int | None = None,
) -> SolveResult:
    """A :class:`SolveResult` built without the dataclass ``__init__`` (see
    :func:`new_equilibrium`); ``seconds`` is 0, ``components`` and ``path_count`` None
    (class defaults).

    Examples
    --------
    >>> r = new_result(None, "pure", (), {}, 1e-9, True, ())
    >>> r == SolveResult(game=None, method="pure", equilibria=())
    True
    """
    r = _new(SolveResult)
    r.__dict__.update(
        game=game,
        method=method,
        equilibria=equilibria,
        options=options,
        tolerance=tolerance,
        complete=complete,
        notes=notes,
    )
    if count is not None:
        r.__dict__["count"] = count
    return r
