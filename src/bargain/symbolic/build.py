"""Construction of :class:`~bargain.symbolic.cases.Conditions` from a game."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy

from bargain.errors import GameShapeError
from bargain.games.extensive_form import GameTree
from bargain.games.normal_form import NormalFormGame
from bargain.symbolic import _inequalities as iq
from bargain.symbolic.cases import Case, Conditions
from bargain.symbolic.induction import Piece, backward_induction_pieces
from bargain.symbolic.normal_form import MIXED, mixed_2x2, pure_profiles
from bargain.symbolic.paths import agreement_path

__all__ = ["build_conditions", "conditions"]


def _check_agreement_tree(tree: Any, agreement: tuple[str, ...]) -> None:
    labels = {a for n in tree.nodes if n.kind == "decision" for a in n.actions}
    for lab in agreement:
        if lab not in labels:
            raise GameShapeError(
                f"agreement label {lab!r} is not an action of the tree; actions: "
                f"{', '.join(sorted(labels))}"
            )


def _check_agreement_nf(game: Any, agreement: tuple[str, ...]) -> None:
    if len(agreement) != game.n_players:
        raise GameShapeError(
            f"agreement of a normal-form game needs one strategy label per player "
            f"({game.n_players}), got {list(agreement)}"
        )
    for name, lab, strategies in zip(game.players, agreement, game.strategies, strict=True):
        if lab not in strategies:
            raise GameShapeError(
                f"agreement strategy {lab!r} is not a strategy of player {name!r}; "
                f"strategies: {', '.join(strategies)}"
            )


def _symbols_of(game: Any, exprs: Iterable[Any]) -> tuple[Any, ...]:
    if game.parameters is not None:
        return tuple(game.parameters.symbols())
    free: set[Any] = set()
    for e in exprs:
        free |= getattr(e, "free_symbols", set())
    return tuple(sorted(free, key=lambda s: s.name))


def conditions(
    game: Any,
    *,
    agreement: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
) -> Conditions:
    """Symbolic conditions under which each equilibrium path is played.

    Parameters
    ----------
    game : GameTree or NormalFormGame
        A perfect-information tree (any number of players, chance nodes with numeric or
        symbolic probabilities), or a normal-form game.  Payoffs may be SymPy expressions
        in the game's parameters.
    agreement : sequence of str, optional
        Agreement action labels (tree) or one strategy label per player (normal form).
        In a tree an indifferent mover takes the first action whose label is among them
        (the package's tie rule), else the lowest-index action; the agreement path is the
        path along which every mover takes an agreement action
        (:func:`bargain.symbolic.paths.agreement_path`), e.g. ``("Withdraw", "Comply")``
        repeated once per tranche.
    fixed : mapping of str to float, optional
        Structural parameters (e.g. a number of tranches) the game was built with; values
        given later to :meth:`Conditions.holds` must match.

    Returns
    -------
    Conditions

    Raises
    ------
    GameShapeError
        If the game is neither a GameTree nor a NormalFormGame, the tree has imperfect
        information, or an agreement label is not an action of the game.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> c = conditions(m.game("withdraw_first", symbolic=True), agreement=("Withdraw", "Comply"))
    >>> c.paths
    (('Withdraw', 'Comply'), ('Stay',), ('Withdraw', 'Renege'))
    >>> c.agreement()
    (M_R + c_R >= rho) & (q*(M_G + s) >= k_G)
    >>> c.outcome(q=0.5), c.outcome(q=0.2)
    (('Withdraw', 'Comply'), ('Stay',))
    """
    return build_conditions(game, agreement, fixed)


def build_conditions(
    game: Any,
    agreement: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
) -> Conditions:
    """See :func:`conditions`."""

    agreement = None if agreement is None else tuple(agreement)
    fixed = dict(fixed or {})
    bounds = iq.bounds_map(getattr(game, "parameters", None))
    if isinstance(game, GameTree):
        if agreement is not None:
            _check_agreement_tree(game, agreement)
        pieces = backward_induction_pieces(game, agreement=agreement, bounds=bounds)
        order: list[tuple[str, ...]] = []
        groups: dict[tuple[str, ...], list[Piece]] = {}
        for p in pieces:
            if p.path not in groups:
                order.append(p.path)
                groups[p.path] = []
            groups[p.path].append(p)
        dnfs = tuple(iq.dnf_or(p.conj for p in groups[path]) for path in order)
        cases = []
        for path, dnf in zip(order, dnfs, strict=True):
            cases.append(Case(path, iq.dnf_to_boolean(dnf), _payoffs(groups[path])))
        exprs = [x for n in game.nodes for x in _numbers(n)]
        target = None if agreement is None else agreement_path(game, agreement)
        return Conditions(
            cases=tuple(cases),
            agreement_path=target,
            symbols=_symbols_of(game, exprs),
            parameters=game.parameters,
            kind="tree",
            players=game.players,
            pieces=tuple(pieces),
            fixed=fixed,
            dnfs=dnfs,
        )
    if isinstance(game, NormalFormGame):
        if agreement is not None:
            _check_agreement_nf(game, agreement)
        entries = []
        for profile, dnf, payoffs in pure_profiles(game, bounds):
            path = tuple(game.strategies[i][k] for i, k in enumerate(profile))
            entries.append((path, dnf, payoffs))
        entries.sort(key=lambda e: e[0] != agreement)  # stable: agreement first
        mixed = mixed_2x2(game, bounds)
        strategies = None
        if mixed is not None:
            entries.append((MIXED, mixed[0], mixed[2]))
            strategies = mixed[1]
        cases = tuple(Case(p, iq.dnf_to_boolean(d), pay) for p, d, pay in entries)
        exprs = [x for a in game.payoffs for x in np.asarray(a).flat]
        return Conditions(
            cases=cases,
            agreement_path=agreement,
            symbols=_symbols_of(game, exprs),
            parameters=game.parameters,
            kind="normal_form",
            players=game.players,
            mixed_strategies=strategies,
            fixed=fixed,
            dnfs=tuple(e[1] for e in entries),
        )
    raise GameShapeError(
        f"conditions() needs a GameTree or a NormalFormGame, got {type(game).__name__}"
    )


def _numbers(node: Any) -> tuple[Any, ...]:
    if node.kind == "terminal":
        return node.payoffs
    if node.kind == "chance":
        return node.probabilities
    return ()


def _payoffs(pieces: Sequence[Piece]) -> tuple[Any, ...]:
    first = pieces[0].payoffs
    if all(
        all(sympy.expand(a - b) == 0 for a, b in zip(p.payoffs, first, strict=True))
        for p in pieces[1:]
    ):
        return first
    out = []
    for j in range(len(first)):
        out.append(
            sympy.Piecewise(
                *((p.payoffs[j], iq.dnf_to_boolean((p.conj,))) for p in pieces[:-1]),
                (pieces[-1].payoffs[j], True),
            )
        )
    return tuple(out)
