"""``egame12``: the strategic probit/logit of a two-player, three-outcome crisis game."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bargain.errors import ParameterError
from bargain.estimate._design import build_design
from bargain.estimate._egame12_lik import egame12_derivatives, egame12_probs
from bargain.estimate._fit import binary_regression, newton
from bargain.estimate._links import check_link, link_cdf
from bargain.estimate._response import dummy_column, outcome_codes
from bargain.estimate.results import StrategicResults, parameter_names

__all__ = ["egame12"]

_UTILS = ("u11", "u13", "u14", "u24")


class _Egame12:
    """Parameter layout and likelihood of one egame12 specification."""

    n_outcomes = 3

    def __init__(self, sizes, constants, n_scale, *, link, private, by_player, levels, n_main):
        self.n_main = n_main
        self.sizes = tuple(sizes)  # columns of each utility and scale equation
        self.constants = constants  # fixed utilities (or None)
        self.n_scale = n_scale  # 0, 1 or 2 scale equations
        self.link = link
        self.private = private
        self.by_player = by_player
        self.levels = levels
        self.slices = []
        start = 0
        for k in self.sizes:
            self.slices.append(slice(start, start + k))
            start += k
        self.k = start

    def arrange(self, design_mats):
        """The model's matrices (4 utilities, then scales) from the design's parts."""
        scale = list(design_mats[self.n_main :])
        if self.constants is not None:
            n = design_mats[0].shape[0]
            return [np.zeros((n, 0))] * 4 + scale
        return list(design_mats[:4]) + scale

    def indices(self, theta, mats):
        n = mats[0].shape[0] if mats else 0
        if self.constants is not None:
            utils = [np.full(n, c, dtype=float) for c in self.constants]
        else:
            utils = [mats[j] @ theta[self.slices[j]] for j in range(4)]
        if self.n_scale == 0:
            lv1 = lv2 = np.zeros(n)
        else:
            lv1 = mats[4] @ theta[self.slices[4]]
            lv2 = mats[5] @ theta[self.slices[5]] if self.n_scale == 2 else lv1
        return utils, lv1, lv2

    def loglik_obs(self, theta, y, mats):
        ll, _ = self._derivs(theta, y, mats)
        return ll

    def score_obs(self, theta, y, mats):
        _, d = self._derivs(theta, y, mats)
        d_u, d_lv1, d_lv2 = d[:4], d[4], d[5]
        cols = []
        if self.constants is None:
            cols += [d_u[j][:, None] * mats[j] for j in range(4)]
        if self.n_scale == 1:
            cols.append((d_lv1 + d_lv2)[:, None] * mats[4])
        elif self.n_scale == 2:
            cols += [d_lv1[:, None] * mats[4], d_lv2[:, None] * mats[5]]
        return np.hstack(cols) if cols else np.zeros((len(y), 0))

    def value_and_grad(self, theta, y, mats):
        """Total log-likelihood and its gradient (one kernel pass)."""
        ll, d = self._derivs(theta, y, mats)
        parts = []
        if self.constants is None:
            parts += [mats[j].T @ d[j] for j in range(4)]
        if self.n_scale == 1:
            parts.append(mats[4].T @ (d[4] + d[5]))
        elif self.n_scale == 2:
            parts += [mats[4].T @ d[4], mats[5].T @ d[5]]
        return float(ll.sum()), (np.concatenate(parts) if parts else np.zeros(0))

    def stack(self, mats):
        """The fused kernel's inputs: one ``(n, k)`` design, each column's equation, the
        equations' weights in ``(u11, u13, u14, u24, lv1, lv2)``, the fixed offsets."""
        n = mats[0].shape[0] if mats else 0
        X = np.ascontiguousarray(np.hstack(mats) if self.k else np.zeros((n, 0)), dtype=float)
        eq = np.repeat(np.arange(len(self.sizes)), self.sizes).astype(np.int64)
        S = np.zeros((6, len(self.sizes)))
        for e in range(min(4, len(self.sizes))):
            S[e, e] = 1.0
        if self.n_scale == 1:
            S[4, 4] = S[5, 4] = 1.0
        elif self.n_scale == 2:
            S[4, 4] = S[5, 5] = 1.0
        offset = np.zeros(6)
        if self.constants is not None:
            offset[:4] = self.constants
        return X, eq, S, offset

    def value_grad_hess(self, theta, y, stacked, hess=True):
        """Log-likelihood, gradient and analytic Hessian (one fused kernel pass)."""
        from bargain.estimate._egame12_newton import egame12_fused  # Numba only when fitting

        X, eq, S, offset = stacked
        return egame12_fused(
            y,
            X,
            eq,
            S,
            offset,
            np.array(theta, dtype=float),  # a fresh writable array: one Numba signature
            logit=self.link == "logit",
            private=self.private,
            scaled=self.n_scale > 0,
            hess=hess,
        )

    def _derivs(self, theta, y, mats):
        utils, lv1, lv2 = self.indices(theta, mats)
        return egame12_derivatives(y, *utils, lv1, lv2, link=self.link, private=self.private)

    def action_probs(self, theta, mats) -> pd.DataFrame:
        utils, lv1, lv2 = self.indices(theta, mats)
        p1, p2, p3, p4, _ = egame12_probs(*utils, lv1, lv2, link=self.link, private=self.private)
        lv = self.levels
        moved = lv[0][1:] if lv[0].startswith("~") else f"~{lv[0]}"  # not the status quo
        return pd.DataFrame(
            {
                f"Pr({lv[0]})": p1,
                f"Pr({moved})": p2,
                f"Pr({lv[1]}|{moved})": p3,
                f"Pr({lv[2]}|{moved})": p4,
            }
        )

    def outcome_probs(self, theta, mats) -> pd.DataFrame:
        a = self.action_probs(theta, mats).to_numpy()
        out = np.column_stack([a[:, 0], a[:, 1] * a[:, 2], a[:, 1] * a[:, 3]])
        return pd.DataFrame(out, columns=[f"Pr({v})" for v in self.levels])


def _response(design, model: str):
    if len(design.lhs) == 2:
        a1 = dummy_column(design.frame, design.lhs[0])
        a2 = dummy_column(design.frame, design.lhs[1])
        y = np.where(a1 == 0, 0, np.where(a2 == 0, 1, 2))
        n1, n2 = design.lhs
        return y, (f"~{n1}", f"{n1},~{n2}", f"{n1},{n2}")
    if len(design.lhs) == 1:
        return outcome_codes(design.frame, design.lhs[0], 3, model)
    raise ParameterError(
        "formula",
        f"{model}'s left side is one outcome column or two action dummies, got "
        f"{' + '.join(design.lhs) or 'nothing'}",
    )


_START_ROWS = 50_000  # starting values need not use every row of a large data set


def _start_values(y, mats, link):
    """Statistical backward induction: player 2's binary choice, then player 1's.

    On more than 50,000 rows, from every m-th row (deterministic): Newton's method
    from there takes as many steps as from the full-sample values, at a fraction of
    the cost.
    """
    if len(y) > _START_ROWS:
        every = -(-len(y) // _START_ROWS)
        y, mats = y[::every], [m[::every] for m in mats]
    X11, X13, X14, Z = mats[:4]
    moved = y != 0
    c2 = binary_regression(Z[moved], (y[moved] == 2).astype(float), link)
    p4 = link_cdf(link, Z @ c2) if Z.shape[1] else np.full(len(y), 0.5)
    X1 = np.hstack([-X11, (1 - p4)[:, None] * X13, p4[:, None] * X14])
    c1 = binary_regression(X1, moved.astype(float), link)
    # the binary models' error has unit scale; the agent-error difference has scale √2
    return np.sqrt(2.0) * np.concatenate([c1, c2])


def egame12(
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
    """Fit the strategic model of a two-player game with three outcomes.

    Player 1 keeps the status quo (utility ``u11``) or escalates; player 2 then backs down
    (``u13`` for player 1, 0 for player 2) or fights (``u14``, ``u24``).  Each utility is a
    linear index of its own regressors; choices carry normal (probit) or logistic (logit)
    errors, per action (agent error) or per outcome, seen only by the chooser (private
    information) — Signorino (2003, *Political Analysis* 11: 316–344); the R version is
    ``games::egame12`` (Kenkel & Signorino 2014, *Journal of Statistical Software* 56(8)).

    Parameters
    ----------
    formula : str
        ``"y ~ u11 | u13 | u14 | u24"``: the left side is one outcome column (a
        categorical's levels, or the sorted distinct values, name the outcomes status quo,
        backing down, fighting, in that order) or two action dummies ``a1 + a2`` (player
        1 escalates; player 2 fights).  Each right-hand part is a formulaic formula; ``0``
        fixes the utility at zero, ``1`` is an intercept only.
    data : pandas.DataFrame
        Rows with a missing value in a used column are dropped and counted
        (``results.n_dropped``).
    link : {"probit", "logit"}
    type : {"agent", "private"}
        Agent error or private information (private needs the probit link).
    fixed_utils : sequence of 4 floats, optional
        Fix ``u11, u13, u14, u24`` at these values and estimate the error scale instead
        (the right-hand side of `formula` is then ignored; use ``"a1 + a2 ~ 1"``).
    sdformula : str, optional
        One-sided formula of the log scale (``"~ balanc - 1"``); ``"~ 1 | 1"`` with
        ``sd_by_player=True`` gives each player their own.
    sd_by_player : bool
        One scale equation per player.
    start : "sbi", "zero" or sequence of float
        Starting values: two-step statistical backward induction (default), zeros, or
        given values in parameter order.
    tol : float
        Convergence: Euclidean norm of the log-likelihood's gradient.
    maxiter : int
        Bound on Newton steps (at most 100; BFGS iterations if the line search stalls).

    Returns
    -------
    StrategicResults
        Parameters named ``u1(<outcome>):<regressor>`` in R's order (u11, u13, u14,
        u24, then ``log(sigma)`` or ``log(lambda)`` terms).

    Raises
    ------
    DataError
        An unknown column, a non-binary action column, an outcome column without exactly
        three values.
    ParameterError
        A bad option, or a regressor in all three of player 1's utilities (unidentified;
        Lewis & Schultz 2003, *Political Analysis* 11: 345–367).

    Examples
    --------
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import egame12
    >>> fit = egame12("esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2",
    ...               load_war1800())
    >>> fit.nobs, round(fit.llf, 4), fit.n_dropped
    (282, -286.1238, 31)
    >>> fit.params.index[0]
    'u1(~esc):(Intercept)'
    """
    link = check_link(link)
    if type not in ("agent", "private"):
        raise ParameterError("type", f"must be 'agent' or 'private', got {type!r}")
    private = type == "private"
    if private and link == "logit":
        raise ParameterError("link", "the private-information model needs link='probit'")
    constants = None
    if fixed_utils is not None:
        constants = [float(c) for c in fixed_utils]
        if len(constants) != 4 or not all(np.isfinite(constants)):
            raise ParameterError("fixed_utils", "needs 4 finite numbers: u11, u13, u14, u24")
        if sdformula is None:
            sdformula = "~ 1 | 1" if sd_by_player else "~ 1"
    n_scale = 0 if sdformula is None else (2 if sd_by_player else 1)
    design = build_design(
        formula,
        data,
        n_parts=(1, 4) if constants is not None else 4,
        extra=sdformula,
        model="egame12",
    )
    if len(design.matrices) - design.n_main != n_scale:
        raise ParameterError(
            "sdformula",
            f"needs {n_scale} part(s), got {len(design.matrices) - design.n_main}"
            + (" ('~ 1 | 1' when sd_by_player=True)" if sd_by_player else ""),
        )
    y, levels = _response(design, "egame12")
    if constants is not None:
        names = [(), (), (), (), *design.names[design.n_main :]]
    else:
        names = list(design.names)
        both = set(names[0]) & set(names[1]) & set(names[2])
        if both:
            raise ParameterError(
                "formula",
                "unidentified: " + ", ".join(sorted(both)) + " appear(s) in all three of "
                "player 1's utilities (u11, u13, u14); drop it from one of them",
            )
    sizes = [len(n) for n in names]
    model = _Egame12(
        sizes,
        constants,
        n_scale,
        link=link,
        private=private,
        by_player=sd_by_player,
        levels=levels,
        n_main=design.n_main,
    )
    mats = model.arrange(design.matrices)
    prefixes = [f"u1({levels[0]})", f"u1({levels[1]})", f"u1({levels[2]})", f"u2({levels[2]})"]
    scale = "log(sigma" if link == "probit" else "log(lambda"
    scales = [f"{scale})"] if n_scale == 1 else [f"{scale}{i})" for i in (1, 2)][:n_scale]
    pnames = parameter_names(prefixes + scales, names, n_utility=4)
    if isinstance(start, str):
        if start not in ("sbi", "zero"):
            raise ParameterError("start", f"must be 'sbi', 'zero' or values, got {start!r}")
        x0 = np.zeros(model.k)
        if start == "sbi" and constants is None:
            x0[: sum(sizes[:4])] = _start_values(y, mats, link)
    else:
        x0 = np.asarray(start, dtype=float)
        if x0.shape != (model.k,):
            raise ParameterError("start", f"needs {model.k} values, got {x0.size}")

    stacked = model.stack(mats)
    y = np.ascontiguousarray(y, dtype=np.int64)
    best = newton(
        lambda t, hess: model.value_grad_hess(t, y, stacked, hess),
        x0,
        tol=tol,
        maxiter=maxiter,
        fallback=lambda t: model.value_and_grad(t, y, mats),
    )
    fixed = dict(zip(prefixes, constants, strict=True)) if constants is not None else {}
    return StrategicResults(
        model_name="egame12",
        formula=formula,
        link=link,
        error=type,
        names=pnames,
        maximum=best,
        model=model,
        design=design,
        y=y,
        matrices=tuple(mats),
        levels=levels,
        fixed=fixed,
        refit=lambda df, start: egame12(
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
