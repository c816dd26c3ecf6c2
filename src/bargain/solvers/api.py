"""`bargain.solve`: one entry point that validates, picks a method and times the solve."""

from __future__ import annotations

import dataclasses
import importlib
import time
from typing import Any

from bargain.errors import SolverError

__all__ = ["METHODS", "solve"]

#: method name -> (module, public function).  Modules are imported on first use, so
#: ``import bargain`` compiles and imports no solver.
METHODS: dict[str, tuple[str, str]] = {
    "pure": ("bargain.solvers.pure", "pure_nash"),
    "support": ("bargain.solvers.support", "support_enumeration"),
    "vertex": ("bargain.solvers.vertex", "vertex_enumeration"),
    "lemke_howson": ("bargain.solvers.lemke_howson", "lemke_howson"),
    "zero_sum": ("bargain.solvers.zero_sum", "zero_sum"),
    "iesds": ("bargain.solvers.dominance", "iesds"),
    "logit": ("bargain.solvers.logit", "logit"),
    "spe": ("bargain.solvers.backward_induction", "backward_induction"),
    "sequence_form": ("bargain.solvers.sequence_form", "sequence_form"),
}


def _resolve(method: str):
    try:
        module, name = METHODS[method]
    except KeyError:
        raise SolverError(
            f"unknown method {method!r}; choose one of: auto, {', '.join(METHODS)}"
        ) from None
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            raise SolverError(f"no solver for method {method!r} in this version yet") from None
        raise
    return getattr(mod, name)


def _auto(game: Any) -> tuple[str, str]:
    from bargain.games.extensive_form import GameTree
    from bargain.games.normal_form import NormalFormGame

    if isinstance(game, GameTree):
        if game.perfect_information:
            return "spe", "auto: perfect-information tree -> backward induction (spe)"
        if game.n_players == 2:
            return "sequence_form", "auto: 2-player tree with information sets -> sequence_form"
        return "logit", "auto: n-player tree with information sets -> logit on the normal form"
    if isinstance(game, NormalFormGame):
        if game.n_players == 2:
            return "vertex", "auto: 2 players -> vertex (all extreme equilibria)"
        return "pure+logit", "auto: 3+ players -> all pure equilibria plus the logit QRE limit"
    raise SolverError(f"cannot solve a {type(game).__name__}; pass a NormalFormGame or GameTree")


_NORMAL_FORM_ONLY = ("pure", "support", "vertex", "lemke_howson", "zero_sum", "iesds")


def _is_tree(game: Any) -> bool:
    from bargain.games.extensive_form import GameTree

    return isinstance(game, GameTree)


def _tree_logit(tree: Any, **options: Any):
    """logit on a tree: the QRE branch of its reduced strategic form, converted back to
    behavior strategies (Kuhn 1953: outcome equivalent under perfect recall)."""
    import numpy as np

    from bargain.solvers.behavior import mixed_to_behavior, tree_regret

    if tree.is_symbolic:
        raise SolverError("method 'logit' needs numeric payoffs; call .numeric(...) first")
    nf = tree.to_normal_form()
    result = _resolve("logit")(nf, **options)
    equilibria = []
    for eq in result.equilibria:
        behavior = tuple(mixed_to_behavior(tree, i, s) for i, s in enumerate(eq.strategies))
        regret = float(np.max(tree_regret(tree, behavior)))
        equilibria.append(
            dataclasses.replace(
                eq,
                behavior=behavior,
                max_regret=regret,
                info={**eq.info, "reduced_strategies": eq.strategies},
                strategies=None,
            )
        )
    note = "logit on the reduced strategic form; behavior strategies by Kuhn's theorem"
    return dataclasses.replace(
        result, game=tree, equilibria=tuple(equilibria), notes=(note, *result.notes)
    )


def _pure_and_logit(game: Any, **options: Any):
    """Every pure equilibrium, plus the limit of the principal logit QRE branch."""
    import numpy as np

    pure = _resolve("pure")(game)
    qre = _resolve("logit")(game, **options)
    found = list(pure.equilibria)
    for eq in qre.equilibria:
        same = any(
            all(
                np.allclose(a, b, atol=1e-8)
                for a, b in zip(eq.strategies, f.strategies, strict=True)
            )
            for f in found
        )
        if not same:
            found.append(eq)
    notes = (
        *pure.notes,
        *qre.notes,
        "mixed equilibria off the principal logit branch are not searched for",
    )
    return dataclasses.replace(
        qre, method="pure+logit", equilibria=tuple(found), complete=False, notes=notes
    )


def solve(game: Any, method: str = "auto", **options: Any):
    """Find equilibria of a game.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Numeric game (call ``.numeric(...)`` on a symbolic one first).
    method : str
        ``"auto"`` or one of :data:`METHODS`; ``auto`` picks the strongest exact-enough
        method for the game's shape and records which in ``result.method`` and
        ``result.notes``.
    **options
        Passed to the method (keyword-only there), e.g. ``exact=True``, ``tol=1e-9``.

    Returns
    -------
    SolveResult

    Raises
    ------
    SolverError
        For an unknown method, a method that does not fit the game, or one not available.

    Examples
    --------
    >>> import bargain as bg
    >>> g = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])  # prisoner's dilemma
    >>> r = bg.solve(g, method="pure")
    >>> [tuple(float(x) for x in s) for s in r.equilibria[0].strategies]
    [(0.0, 1.0), (0.0, 1.0)]
    """
    if not isinstance(method, str):
        raise SolverError(f"method must be a string, got {method!r}")
    notes: tuple[str, ...] = ()
    chosen = method
    if method == "auto":
        chosen, note = _auto(game)
        notes = (note,)
    if chosen in _NORMAL_FORM_ONLY and _is_tree(game):
        raise SolverError(
            f"method {chosen!r} takes a normal-form game, got a game tree; convert it with "
            ".to_normal_form(), or use method 'spe', 'sequence_form' or 'logit'"
        )
    fn = _pure_and_logit if chosen == "pure+logit" else _resolve(chosen)
    if chosen == "logit" and _is_tree(game):
        fn = _tree_logit
    start = time.perf_counter()
    result = fn(game, **options)
    seconds = time.perf_counter() - start
    return dataclasses.replace(result, notes=notes + tuple(result.notes), seconds=seconds)
