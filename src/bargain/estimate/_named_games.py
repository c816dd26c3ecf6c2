"""``egame122`` and ``egame123``: the R ``games`` shapes, on the generic tree likelihood."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bargain.errors import ParameterError
from bargain.estimate._design import build_design
from bargain.estimate._links import check_link
from bargain.estimate._response import dummy_column, outcome_codes
from bargain.estimate._strategic import TreeModel, check_identified, fit_tree
from bargain.estimate._tree import compile_tree
from bargain.estimate.results import StrategicResults, parameter_names
from bargain.games.extensive_form import Decision, GameTree, Terminal

__all__ = ["egame122", "egame123"]


def _tree122(labels, pay):
    def leaf(k):
        return Terminal(*pay[:, k], label=labels[k])

    return GameTree(
        ("1", "2"),
        Decision(
            "1",
            {
                "L": Decision("2", {"L": leaf(0), "R": leaf(1)}),
                "R": Decision("2", {"L": leaf(2), "R": leaf(3)}),
            },
        ),
    )


def _tree123(labels, pay):
    def leaf(k):
        return Terminal(*pay[:, k], label=labels[k])

    return GameTree(
        ("1", "2", "3"),
        Decision(
            "1",
            {
                "L": leaf(0),
                "R": Decision(
                    "2",
                    {
                        "L": leaf(1),
                        "R": Decision("3", {"L": leaf(2), "R": leaf(3)}),
                    },
                ),
            },
        ),
    )


def _response122(design):
    frame, lhs = design.frame, design.lhs
    if len(lhs) == 1:
        return outcome_codes(frame, lhs[0], 4, "egame122")
    if len(lhs) not in (2, 3):
        raise ParameterError("formula", "egame122's left side: y, a1 + a2 or a1 + a2 + a3")
    a = [dummy_column(frame, c) for c in lhs]
    if len(lhs) == 3:  # player 2's move after L, and after R
        a2 = np.where(a[0] == 1, a[2], a[1])
        labels = (f"~{lhs[1]}", lhs[1], f"~{lhs[2]}", lhs[2])
    else:
        a2 = a[1]
        n1, n2 = lhs
        labels = (f"~{n1},~{n2}", f"~{n1},{n2}", f"{n1},~{n2}", f"{n1},{n2}")
    return 2 * a[0] + a2, labels


def _response123(design):
    frame, lhs = design.frame, design.lhs
    if len(lhs) == 1:
        return outcome_codes(frame, lhs[0], 4, "egame123")
    if len(lhs) != 3:
        raise ParameterError("formula", "egame123's left side: y or a1 + a2 + a3")
    a1, a2, a3 = (dummy_column(frame, c) for c in lhs)
    y = np.where(a1 == 0, 0, np.where(a2 == 0, 1, np.where(a3 == 0, 2, 3)))
    n1, n2, n3 = lhs
    labels = (f"~{n1}", f"{n1},~{n2}", f"{n1},{n2},~{n3}", f"{n1},{n2},{n3}")
    return y, labels


# per shape: tree builder, (player, leaf) of each formula part, response decoder
_SHAPES = {
    "egame122": (_tree122, [(0, 0), (0, 1), (0, 2), (0, 3), (1, 1), (1, 3)], _response122),
    "egame123": (
        _tree123,
        [(0, 0), (0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (1, 3), (2, 3)],
        _response123,
    ),
}


def _fit_shape(
    shape, formula, data, *, link, type, fixed_utils, sdformula, sd_by_player, start, tol, maxiter
):
    link = check_link(link)
    if type not in ("agent", "private"):
        raise ParameterError("type", f"must be 'agent' or 'private', got {type!r}")
    if type == "private" and link == "logit":
        raise ParameterError("link", "the private-information model needs link='probit'")
    build, slots, response = _SHAPES[shape]
    n_players = 1 + max(p for p, _ in slots)
    pay = np.zeros((n_players, 4))
    constants = None
    if fixed_utils is not None:
        constants = [float(c) for c in fixed_utils]
        if len(constants) != len(slots) or not all(np.isfinite(constants)):
            raise ParameterError(
                "fixed_utils", f"needs {len(slots)} finite numbers, one per utility in order"
            )
        for (p, t), c in zip(slots, constants, strict=True):
            pay[p, t] = c
        if sdformula is None:
            sdformula = "~ " + " | ".join(["1"] * n_players) if sd_by_player else "~ 1"
    n_scale = 0 if sdformula is None else (n_players if sd_by_player else 1)
    design = build_design(
        formula,
        data,
        n_parts=(1, len(slots)) if constants is not None else len(slots),
        extra=sdformula,
        model=shape,
    )
    if len(design.matrices) - design.n_main != n_scale:
        raise ParameterError(
            "sdformula",
            f"needs {n_scale} part(s), got {len(design.matrices) - design.n_main}"
            + (" (one per player when sd_by_player=True)" if sd_by_player else ""),
        )
    y, labels = response(design)
    ct = compile_tree(build(labels, pay))
    utility_names = (
        [()] * len(slots) if constants is not None else list(design.names[: design.n_main])
    )
    used = [j for j, names in enumerate(utility_names) if names]
    check_identified(
        ct,
        [slots[j] for j in used],
        [utility_names[j] for j in used],
        tuple(f"player {k + 1}" for k in range(n_players)),
    )
    scale_parts = list(range(design.n_main, len(design.matrices)))
    scales = [(e,) for e in range(n_players)] if sd_by_player else [tuple(range(n_players))]
    model = TreeModel(
        ct,
        [slots[j] for j in used],
        [len(utility_names[j]) for j in used] + [len(design.names[j]) for j in scale_parts],
        link=link,
        private=type == "private",
        n_main=design.n_main,
        labels=labels,
        parts=used + scale_parts,
        scales=scales[:n_scale],
    )
    model.shape = shape
    mats = model.arrange(design.matrices)
    if constants is not None and start == "sbi":
        start = "zero"  # nothing to regress: R games starts at zero too
    best = fit_tree(model, y, mats, start=start, tol=tol, maxiter=maxiter)
    prefixes = [f"u{p + 1}({labels[t]})" for p, t in slots]
    scale = "log(sigma" if link == "probit" else "log(lambda"
    scale_names = [f"{scale})"] if n_scale == 1 else [f"{scale}{i + 1})" for i in range(n_scale)]
    names = parameter_names(
        prefixes + scale_names[:n_scale],
        utility_names + [design.names[j] for j in scale_parts],
        n_utility=len(slots),
    )
    fixed = dict(zip(prefixes, constants, strict=True)) if constants is not None else {}
    return StrategicResults(
        model_name=shape,
        formula=formula,
        link=link,
        error=type,
        names=names,
        maximum=best,
        model=model,
        design=design,
        y=y,
        matrices=tuple(mats),
        levels=labels,
        fixed=fixed,
        refit=lambda df, start: _fit_shape(
            shape,
            formula,
            df,
            link=link,
            type=type,
            fixed_utils=fixed_utils,
            sdformula=sdformula,
            sd_by_player=sd_by_player,
            start=start,
            tol=tol,
            maxiter=maxiter,
        ),
    )


def egame122(
    formula: str,
    data: pd.DataFrame,
    *,
    link: str = "probit",
    type: str = "agent",  # the name R `games` and its users know
    fixed_utils: Sequence[float] | None = None,
    sdformula: str | None = None,
    sd_by_player: bool = False,
    start: str | Sequence[float] = "sbi",
    tol: float = 1e-6,
    maxiter: int = 2000,
) -> StrategicResults:
    """Fit the strategic model of a two-player game with four outcomes.

    Player 1 moves L or R; player 2, seeing it, moves L or R: outcomes LL, LR, RL, RR
    with utilities ``u11, u12, u13, u14`` for player 1 and ``0, u22, 0, u24`` for player
    2 (``games::egame122``, Kenkel & Signorino 2014, *Journal of Statistical Software*
    56(8); likelihood as in Signorino 2003, *Political Analysis* 11: 316–344).

    Parameters
    ----------
    formula : str
        ``"y ~ u11 | u12 | u13 | u14 | u22 | u24"``; the left side is one outcome column
        with four values (in the order LL, LR, RL, RR), ``a1 + a2`` (player 1 moves R;
        player 2 moves R) or ``a1 + a2 + a3`` (player 2's move after L, after R).
    data : pandas.DataFrame
    link : {"probit", "logit"}
    type : {"agent", "private"}
    fixed_utils : sequence of float, optional
        Fix every utility at these values (in the formula's order) and estimate the
        error scale instead (the right-hand side of `formula` is then ignored; use
        ``"y ~ 1"``).
    sdformula : str, optional
        One-sided formula of the log scale of the shocks (``"~ x2 - 1"``); with
        ``sd_by_player=True`` one part per player (``"~ x2 - 1 | z1 - 1"``).
    sd_by_player : bool
        One scale equation per player (as R's ``sdByPlayer``).
    start : "sbi", "zero" or sequence of float
    tol : float
        Gradient-norm tolerance.
    maxiter : int
        Bound on iterations.

    Returns
    -------
    StrategicResults

    Examples
    --------
    >>> from bargain.datasets import load_data_122
    >>> from bargain.estimate import egame122
    >>> fit = egame122("y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2",
    ...                load_data_122())
    >>> fit.nobs, round(fit.llf, 4)
    (1000, -1239.234)
    """
    return _fit_shape(
        "egame122",
        formula,
        data,
        link=link,
        type=type,
        fixed_utils=fixed_utils,
        sdformula=sdformula,
        sd_by_player=sd_by_player,
        start=start,
        tol=tol,
        maxiter=maxiter,
    )


def egame123(
    formula: str,
    data: pd.DataFrame,
    *,
    link: str = "probit",
    type: str = "agent",  # the name R `games` and its users know
    fixed_utils: Sequence[float] | None = None,
    sdformula: str | None = None,
    sd_by_player: bool = False,
    start: str | Sequence[float] = "sbi",
    tol: float = 1e-6,
    maxiter: int = 2000,
) -> StrategicResults:
    """Fit the strategic model of a three-player game with four outcomes.

    Player 1 ends the game (outcome 1) or passes to player 2, who ends it (outcome 3)
    or passes to player 3, who chooses outcome 5 or 6.  Utilities ``u11, u13, u15, u16``
    (player 1), ``u23, u25, u26`` (player 2), ``u36`` (player 3); the rest are 0
    (``games::egame123``, Kenkel & Signorino 2014, *Journal of Statistical Software*
    56(8)).

    Parameters
    ----------
    formula : str
        ``"y ~ u11 | u13 | u15 | u16 | u23 | u25 | u26 | u36"``; the left side is one
        outcome column with four values (in tree order) or ``a1 + a2 + a3``.
    data : pandas.DataFrame
    link : {"probit", "logit"}
    type : {"agent", "private"}
    fixed_utils : sequence of float, optional
        Fix every utility at these values (in the formula's order) and estimate the
        error scale instead (the right-hand side of `formula` is then ignored; use
        ``"y ~ 1"``).
    sdformula : str, optional
        One-sided formula of the log scale of the shocks (``"~ x2 - 1"``); with
        ``sd_by_player=True`` one part per player (``"~ x2 - 1 | z1 - 1"``).
    sd_by_player : bool
        One scale equation per player (as R's ``sdByPlayer``).
    start : "sbi", "zero" or sequence of float
    tol : float
        Gradient-norm tolerance.
    maxiter : int
        Bound on iterations.

    Returns
    -------
    StrategicResults

    Examples
    --------
    >>> from bargain.datasets import load_data_123
    >>> from bargain.estimate import egame123
    >>> fit = egame123("y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8",
    ...                load_data_123(), type="private")
    >>> fit.nobs, round(fit.llf, 4)
    (1000, -559.3088)
    """
    return _fit_shape(
        "egame123",
        formula,
        data,
        link=link,
        type=type,
        fixed_utils=fixed_utils,
        sdformula=sdformula,
        sd_by_player=sd_by_player,
        start=start,
        tol=tol,
        maxiter=maxiter,
    )
