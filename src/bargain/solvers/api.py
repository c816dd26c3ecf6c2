"""`bargain.solve`: one entry point that validates, picks a method and times the solve."""

from __future__ import annotations

import dataclasses
import importlib
import time
from typing import Any

from bargain.errors import SolverError
from bargain.solvers.certify import certify, magnitude_reason

__all__ = ["METHODS", "register_game_kind", "regret", "solve"]

#: method name -> (module, public function).  Modules are imported on first use, so
#: ``import bargain`` compiles and imports no solver.
METHODS: dict[str, tuple[str, str]] = {
    "pure": ("bargain.solvers.normal_form.pure", "pure_nash"),
    "support": ("bargain.solvers.normal_form.support", "support_enumeration"),
    "vertex": ("bargain.solvers.normal_form.vertex", "vertex_enumeration"),
    "lemke_howson": ("bargain.solvers.normal_form.lemke_howson", "lemke_howson"),
    "zero_sum": ("bargain.solvers.normal_form.zero_sum", "zero_sum"),
    "iesds": ("bargain.solvers.normal_form.dominance", "iesds"),
    "logit": ("bargain.solvers.normal_form.logit", "logit"),
    "spe": ("bargain.solvers.trees.subgame_perfect", "subgame_perfect"),
    "sequence_form": ("bargain.solvers.trees.sequence_form", "sequence_form"),
    "agent_pure": ("bargain.solvers.trees.agent", "agent_pure"),
    "agent_logit": ("bargain.solvers.trees.agent_logit", "agent_logit"),
}

_AGENT = ("agent_pure", "agent_logit")


#: game class -> its solve function, for game kinds defined above this layer.
#: ``bargain.solvers`` may not import them (docs/explanation/architecture.md), so the
#: package that defines a kind registers it on import: ``bargain.dynamic`` registers
#: ``StochasticGame`` with ``bargain.dynamic.solve``.  A game of such a kind cannot exist
#: before its package is imported, so the registration is always in place when needed.
GAME_KINDS: dict[type, Any] = {}


def register_game_kind(cls: type, solver: Any) -> None:
    """Make :func:`solve` hand games of class `cls` to ``solver(game, method=..., **options)``.

    ``method="auto"`` is passed as the solver's own default (its ``method`` keyword).

    Examples
    --------
    >>> import bargain.dynamic  # registers StochasticGame
    >>> GAME_KINDS[bargain.dynamic.StochasticGame] is bargain.dynamic.solve
    True
    """
    GAME_KINDS[cls] = solver


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


def _auto(game: Any, options: dict[str, Any]) -> tuple[str, str]:
    from bargain.games.extensive_form import GameTree
    from bargain.games.normal_form import NormalFormGame

    if isinstance(game, GameTree):
        if game.perfect_information:
            return "spe", "auto: perfect-information tree -> backward induction (spe)"
        if game.n_players == 2 and options.get("exact"):
            return "sequence_form", (
                "auto: 2-player tree with information sets and exact=True -> sequence_form "
                "(Lemke, verified in rational arithmetic; spe has no exact mode)"
            )
        pieces = "vertex/sequence_form" if game.n_players == 2 else "logit"
        return "spe", (
            f"auto: {game.n_players}-player tree with information sets -> spe (subgame "
            f"decomposition; pieces with information sets by {pieces})"
        )
    if isinstance(game, NormalFormGame):
        if game.n_players == 2:
            m, n = game.shape
            if m * n > AUTO_VERTEX_MAX and not set(options) - {"tol"}:
                return "lemke_howson", (
                    f"auto: 2 players, {m}x{n} > {AUTO_VERTEX_MAX} strategy pairs -> "
                    f"lemke_howson from all {m + n} labels (a few equilibria in bounded "
                    "work, not all: complete=False); call method 'vertex' for all extreme "
                    "equilibria"
                )
            return "vertex", "auto: 2 players -> vertex (all extreme equilibria)"
        return "pure+logit", "auto: 3+ players -> all pure equilibria plus the logit QRE limit"
    raise SolverError(f"cannot solve a {type(game).__name__}; pass a NormalFormGame or GameTree")


def _check_options(method: str, fn: Any, options: dict[str, Any]) -> None:
    """Raise SolverError (not TypeError) for an option the method does not take.  Called
    only after the call failed with a TypeError, so a good call pays nothing for it."""
    import inspect

    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):  # not introspectable: let the call decide
        return
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    names = [p.name for p in params[1:] if p.kind in named]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise SolverError(
            f"method {method!r} takes no option {', '.join(map(repr, unknown))}; its options: "
            f"{', '.join(names) or 'none'}"
        )


#: ``auto`` runs vertex enumeration on two-player games with at most this many strategy
#: pairs (20x20), Lemke–Howson from every label on larger ones
AUTO_VERTEX_MAX = 400

_NORMAL_FORM_ONLY = ("pure", "support", "vertex", "lemke_howson", "zero_sum", "iesds")

#: methods with an ``exact`` option, which ``solve`` turns on when float verification
#: cannot certify the payoffs' magnitudes (:func:`bargain.solvers.certify.magnitude_reason`)
_EXACT_METHODS = ("vertex", "lemke_howson", "sequence_form")


def _is_tree(game: Any) -> bool:
    from bargain.games.extensive_form import GameTree

    return isinstance(game, GameTree)


def _tree_logit(tree: Any, **options: Any):
    """logit on a tree: the QRE branch of its reduced strategic form, converted back to
    behavior strategies (Kuhn 1953: outcome equivalent under perfect recall)."""
    import numpy as np

    from bargain.solvers.trees.behavior import mixed_to_behavior, tree_regret

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

    A :class:`~bargain.dynamic.StochasticGame` goes to :func:`bargain.dynamic.solve`
    (``auto`` means its default, ``"qre"``) and returns its
    :class:`~bargain.dynamic.StochasticSolveResult`.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Numeric game (call ``.numeric(...)`` on a symbolic one first).
    method : str
        ``"auto"`` or one of :data:`METHODS` (``"agent_pure"`` and ``"agent_logit"``: the
        agent form of a tree, :mod:`bargain.solvers.trees.agent`); ``auto`` picks the
        strongest exact-enough method for the game's shape and records which in
        ``result.method`` and ``result.notes``:

        * a game tree, with or without information sets: ``"spe"`` (every subgame-perfect
          equilibrium; subgame perfection refines Nash).  Perfect information: backward
          induction.  Information sets: subgame decomposition
          (:func:`~bargain.solvers.trees.subgame_perfect.subgame_perfect`), whose pieces with
          information sets are solved by vertex enumeration of their reduced strategic
          form for two players (the sequence form for a large piece) and by logit for
          three or more, where ``result.complete`` is then False.  One exception: a
          two-player tree with information sets and ``exact=True`` goes to
          ``"sequence_form"``, the tree method with a rational certificate;
        * a tree with imperfect recall (``tree.perfect_recall`` False): ``auto`` of its
          reduced strategic form, whose mixed equilibria are returned (``result.game``
          is that form); any normal-form method may be named too, and ``"spe"`` and
          ``"sequence_form"`` refuse such a tree
          (:mod:`bargain.solvers.trees.imperfect`);
        * a two-player normal form game: ``"vertex"`` (all extreme equilibria); if
          vertex enumeration stops at its default work limit (``max_bases``), or the
          game has more than ``AUTO_VERTEX_MAX = 400`` strategy pairs (20x20), the
          distinct equilibria at the ends of the Lemke–Howson paths from every label
          instead (``result.method == "lemke_howson"``, ``complete`` False, a note says
          why): milliseconds on a 30x30 game, where vertex enumeration could take hours;
        * three or more players: every pure equilibrium plus the limit of the logit QRE
          branch (``result.method == "pure+logit"``, ``complete`` False).
    **options
        Passed to the method (keyword-only there), e.g. ``exact=True``, ``tol=1e-9``.

    Returns
    -------
    SolveResult

    Raises
    ------
    SolverError
        For an unknown method, a method that does not fit the game, one not available, or
        an option the method does not take.

    Examples
    --------
    >>> import bargain as bg
    >>> g = bg.NormalFormGame([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])  # prisoner's dilemma
    >>> r = bg.solve(g, method="pure")
    >>> [tuple(float(x) for x in s) for s in r.equilibria[0].strategies]
    [(0.0, 1.0), (0.0, 1.0)]

    A tree with an information set: entry, then a simultaneous fight/accommodate move.
    Staying out is a Nash equilibrium (the incumbent threatens to fight) but not subgame
    perfect; ``auto`` returns only the subgame-perfect entry.

    >>> def inc(e):
    ...     pay = {("F", "f"): (-3, -1), ("F", "a"): (1, -2), ("A", "f"): (-2, -1),
    ...            ("A", "a"): (3, 1)}
    ...     return bg.Decision("I", {i: bg.Terminal(*pay[e, i]) for i in "fa"}, infoset="inc")
    >>> t = bg.GameTree(("E", "I"), bg.Decision("E", {"Out": bg.Terminal(0, 2),
    ...     "In": bg.Decision("E", {"F": inc("F"), "A": inc("A")}, infoset="post")}))
    >>> r = bg.solve(t)
    >>> r.method, [eq.path for eq in r.equilibria]
    ('spe', [('In', 'A', 'a')])

    A stochastic game (one state, one player: take 1 now or 0):

    >>> import numpy as np
    >>> from bargain.dynamic import StochasticGame
    >>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
    >>> bg.solve(g, method="pure").equilibrium.pure_actions
    ((0,),)
    """
    if not isinstance(method, str):
        raise SolverError(f"method must be a string, got {method!r}")
    for cls, solver in GAME_KINDS.items():
        if isinstance(game, cls):
            return (
                solver(game, **options)
                if method == "auto"
                else solver(game, method=method, **options)
            )
    if _is_tree(game) and not game.perfect_recall and method not in _AGENT:
        from bargain.solvers.trees.imperfect import solve_imperfect

        return solve_imperfect(game, method, options, solve)
    notes: tuple[str, ...] = ()
    chosen = method
    if method == "auto":
        chosen, note = _auto(game, options)
        notes = (note,)
    if chosen in _NORMAL_FORM_ONLY and _is_tree(game):
        raise SolverError(
            f"method {chosen!r} takes a normal-form game, got a game tree; convert it with "
            ".to_normal_form(), or use method 'spe', 'sequence_form' or 'logit'"
        )
    fn = _pure_and_logit if chosen == "pure+logit" else _resolve(chosen)
    if chosen == "logit" and _is_tree(game):
        fn = _tree_logit
    if method == "auto" and chosen == "lemke_howson":
        options = {**options, "labels": "all"}
    start = time.perf_counter()
    reason = None if chosen == "iesds" else magnitude_reason(game)
    if reason is not None and chosen in _EXACT_METHODS and "exact" not in options:
        options = {**options, "exact": True}  # float verification cannot certify here
        notes = (*notes, f"{reason}: solved with exact=True")
    try:
        result = fn(game, **options)
    except TypeError as exc:  # an option the method does not take: say so, not TypeError
        if "unexpected keyword argument" not in str(exc):
            raise
        # pure+logit passes its options to logit; a tree's logit to the normal-form one
        _check_options(chosen, _resolve("logit") if "logit" in chosen else fn, options)
        raise
    except SolverError as exc:
        if reason is None or type(exc) is not SolverError:  # OptionError etc. stay as they are
            raise
        raise SolverError(
            f"{exc}; {reason}: use a method with exact arithmetic ('vertex' on a normal "
            "form, 'sequence_form' or 'spe' on a tree)"
        ) from exc
    if method == "auto" and chosen == "vertex" and result.options.get("capped"):
        result = _auto_fallback(game, result, options)
    elif method == "auto" and chosen == "lemke_howson":
        result = dataclasses.replace(result, complete=False)
    if reason is not None:
        result = certify(game, result, reason)
    seconds = time.perf_counter() - start
    return dataclasses.replace(result, notes=notes + tuple(result.notes), seconds=seconds)


def _auto_fallback(game: Any, vertex: Any, options: dict[str, Any]):
    """``auto`` on a two-player game too large for vertex enumeration's work limit: the
    distinct equilibria at the ends of the Lemke–Howson paths from every label (a few
    equilibria, bounded work), unless an option only vertex takes was given."""
    if set(options) - {"tol", "exact"}:  # exact: set by solve for huge payoffs
        return vertex
    lh = _resolve("lemke_howson")(game, labels="all", **options)
    if len(lh.equilibria) < len(vertex.equilibria):
        return vertex
    m, n = game.shape
    note = (
        f"auto: vertex enumeration stopped at its work limit on this {m}x{n} game "
        f"({len(vertex.equilibria)} equilibria found); returned instead the "
        f"{len(lh.equilibria)} distinct equilibria of the Lemke-Howson paths from all "
        f"{m + n} labels (not every equilibrium: complete=False); for more, call method "
        "'vertex' with a larger max_bases"
    )
    return dataclasses.replace(lh, complete=False, notes=(*vertex.notes, note, *lh.notes))


def regret(game: Any, profile: Any) -> Any:
    """Each player's regret of a profile: best-response value minus the profile's value.

    One function for every representation: mixed strategies of a
    :class:`~bargain.games.normal_form.NormalFormGame` (one probability vector per
    player), or behavior strategies of a :class:`~bargain.games.extensive_form.GameTree`
    (per player, per information set in order of first appearance, action
    probabilities).  ``regret(game, profile).max()`` is 0, up to rounding, exactly when
    the profile is a Nash equilibrium.  For the node-by-node (subgame-perfection) check
    on trees see :func:`bargain.solvers.trees.regrets.one_shot_regrets`.

    Parameters
    ----------
    game : NormalFormGame or GameTree
        A numeric game.
    profile : sequence
        Mixed strategies (normal form) or behavior strategies (tree).

    Returns
    -------
    numpy.ndarray
        One regret (>= 0) per player.

    Raises
    ------
    SolverError
        If `game` is neither a normal-form game nor a tree.

    Examples
    --------
    >>> import bargain as bg
    >>> pennies = bg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> regret(pennies, [[0.5, 0.5], [0.5, 0.5]]).tolist()
    [0.0, 0.0]
    >>> t = bg.GameTree(("A", "B"), bg.Decision("A", {"L": bg.Terminal(2, 0),
    ...                                                "R": bg.Terminal(0, 4)}))
    >>> regret(t, [[[0.25, 0.75]], []]).tolist()
    [1.5, 0.0]
    """
    from bargain.games.extensive_form import GameTree
    from bargain.games.normal_form import NormalFormGame

    if isinstance(game, GameTree):
        from bargain.solvers.trees.behavior import tree_regret

        return tree_regret(game, profile)
    if isinstance(game, NormalFormGame):
        import numpy as np

        from bargain.solvers.verify import regrets

        game.require(method="regret")
        if len(profile) != game.n_players:
            raise SolverError(
                f"regret: the profile has {len(profile)} strategies, the game "
                f"{game.n_players} players"
            )
        strategies = [np.asarray(s, dtype=float) for s in profile]
        for name, k, x in zip(game.players, game.shape, strategies, strict=True):
            if x.shape != (k,):
                raise SolverError(
                    f"regret: player {name!r} has {k} strategies, got probabilities of "
                    f"shape {x.shape}"
                )
        return regrets(game.payoffs, strategies)
    raise SolverError(f"regret takes a NormalFormGame or GameTree, got {type(game).__name__}")
