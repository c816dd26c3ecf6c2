"""``strategic``: the strategic probit/logit on any perfect-information game tree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bargain.errors import DataError, ParameterError
from bargain.estimate._design import build_design
from bargain.estimate._fit import WARM_ROWS, binary_regression, maximize, newton, warm_start
from bargain.estimate._links import check_link
from bargain.estimate._tree import CompiledTree, compile_tree, tree_probabilities
from bargain.estimate.results import StrategicResults, parameter_names
from bargain.games.extensive_form import GameTree

__all__ = ["TreeModel", "fit_tree", "strategic"]


class TreeModel:
    """Slots ``(player, leaf)`` with design matrices, on a compiled tree."""

    def __init__(
        self,
        ct: CompiledTree,
        slots,
        sizes,
        *,
        link,
        private,
        n_main,
        labels,
        parts=None,
        scales=(),
    ):
        self.ct = ct
        # which design matrices feed the slots, then the scales (parts fixed at 0 have none)
        self.parts = list(range(n_main)) if parts is None else list(parts)
        self.slots = list(slots)  # (player index, leaf index) per utility equation
        # log-scale equations after the slots: the players each one divides the utilities of
        self.scales = [tuple(players) for players in scales]
        self.sizes = list(sizes)
        self.link = link
        self.private = private
        self.n_main = n_main
        self.levels = tuple(labels)  # outcome labels, leaf order
        self.slices, start = [], 0
        for k in self.sizes:
            self.slices.append(slice(start, start + k))
            start += k
        self.k = start
        # "egame122"/"egame123": their closed-form kernel when it applies (no scale
        # equations; agent error, or private information in egame123); set by the shapes
        self.shape = None

    def arrange(self, design_mats):
        return [design_mats[j] for j in self.parts]

    def _sigmas(self, theta, mats):
        """Per player, the scale of their shocks (``None``: 1)."""
        sig = [None] * self.ct.payoffs.shape[0]
        for e, players in enumerate(self.scales):
            j = len(self.slots) + e
            s = np.exp(np.clip(mats[j] @ theta[self.slices[j]], -700.0, 700.0))
            for p in players:
                sig[p] = s
        return sig

    def values(self, theta, mats):
        """Utilities at the leaves, each player's divided by the scale of their shocks."""
        n = mats[0].shape[0] if mats else 0
        pay = self.ct.payoffs
        vals = [[np.full(n, pay[p, t]) for t in range(pay.shape[1])] for p in range(len(pay))]
        for (p, t), X, sl in zip(self.slots, mats, self.slices, strict=False):
            vals[p][t] = vals[p][t] + X @ theta[sl]
        for p, s in enumerate(self._sigmas(theta, mats)):
            if s is not None:
                vals[p] = [v / s for v in vals[p]]
        return vals

    def index_weights(self, theta, mats, dll):
        """Per equation, dℓᵢ/d(its linear index) and its design matrix.

        `dll` holds dℓᵢ/dVₚ(t) for the (scaled) utilities; a log-scale index γ moves every
        utility of its players by ``∂V/∂γ = −V``.
        """
        sig = self._sigmas(theta, mats)
        out = []
        for (p, t), X in zip(self.slots, mats, strict=False):
            w = dll[:, p, t]
            out.append((w if sig[p] is None else w / sig[p], X))
        if self.scales:
            vals = self.values(theta, mats)
            for e, players in enumerate(self.scales):
                w = -sum(dll[:, p, t] * vals[p][t] for p in players for t in range(len(vals[p])))
                out.append((w, mats[len(self.slots) + e]))
        return out

    def stack(self, mats):
        """Inputs of the fused kernel, or None when a decision has more than two actions."""
        from bargain.estimate._tree_kernel import tree_arrays

        arrays = tree_arrays(self.ct)
        if not arrays.binary:
            return None
        n = mats[0].shape[0] if mats else 0
        X = np.ascontiguousarray(np.hstack(mats) if self.k else np.zeros((n, 0)), dtype=float)
        eq = np.repeat(np.arange(len(self.sizes)), self.sizes).astype(np.int64)
        slot_p = np.array([p for p, _ in self.slots], dtype=np.int64)
        slot_t = np.array([t for _, t in self.slots], dtype=np.int64)
        scale_of = np.full(self.ct.payoffs.shape[0] if self.scales else 0, -1, dtype=np.int64)
        for e, players in enumerate(self.scales):
            scale_of[list(players)] = e
        return arrays, X, eq, slot_p, slot_t, scale_of

    def value_grad_hess(self, theta, y, stacked, hess=True):
        """Log-likelihood, gradient and analytic Hessian in one Numba pass."""
        from bargain.estimate._tree_newton import active_utilities, tree_newton

        arrays, X, eq, slot_p, slot_t, scale_of = stacked
        closed = not self.private or self.shape == "egame123"
        if self.shape is not None and closed and not self.scales:
            from bargain.estimate._shape_newton import PRIVATE123, SHAPES, shape_newton

            n_lv = arrays.payoffs.shape[1]
            return shape_newton(
                PRIVATE123 if self.private else SHAPES[self.shape],
                y,
                X,
                eq,
                theta,
                slot_p * n_lv + slot_t,
                arrays.payoffs.ravel(),
                logit=self.link == "logit",
                hess=hess,
            )
        scaled = [p for e in self.scales for p in e]
        active = active_utilities(list(zip(slot_p, slot_t, strict=True)), arrays.payoffs, scaled)
        return tree_newton(
            arrays,
            y,
            X,
            eq,
            theta,
            active,
            scale_of,
            logit=self.link == "logit",
            private=self.private,
            hess=hess,
        )

    def fused_value_and_grad(self, theta, y, stacked):
        """Log-likelihood and gradient in one Numba pass (`stacked` from :meth:`stack`)."""
        from bargain.estimate._tree_kernel import tree_fused

        arrays, X, eq, slot_p, slot_t, scale_of = stacked
        return tree_fused(
            arrays,
            y,
            X,
            eq,
            theta,
            slot_p,
            slot_t,
            scale_of,
            logit=self.link == "logit",
            private=self.private,
        )

    def _root(self, theta, mats, grad):
        return tree_probabilities(
            self.ct, self.values(theta, mats), link=self.link, private=self.private, grad=grad
        )

    def loglik_obs(self, theta, y, mats):
        P, _, _ = self._root(theta, mats, False)
        return np.log(P[y, np.arange(len(y))])

    def score_obs(self, theta, y, mats):
        P, dP, _ = self._root(theta, mats, True)
        rows = np.arange(len(y))
        dll = dP[y, rows] / P[y, rows][:, None, None]  # (n, players, leaves)
        cols = [w[:, None] * X for w, X in self.index_weights(theta, mats, dll)]
        return np.hstack(cols) if cols else np.zeros((len(y), 0))

    def outcome_probs(self, theta, mats) -> pd.DataFrame:
        P, _, _ = self._root(theta, mats, False)
        return pd.DataFrame(P.T, columns=[f"Pr({v})" for v in self.levels])

    def action_probs(self, theta, mats) -> pd.DataFrame:
        _, _, acts = self._root(theta, mats, False)
        tree = self.ct.tree
        out = {}
        for i in sorted(acts):
            where = "/".join(tree.path(i)) or "root"
            for a, p in zip(self.ct.action_labels[i], acts[i], strict=True):
                out[f"Pr({a}|{where})"] = p
        return pd.DataFrame(out)


def check_identified(ct: CompiledTree, slots, names, player_names) -> None:
    """Refuse a regressor in every utility of a player below one of their topmost moves.

    Adding ``c·x`` to all of a player's utilities below a decision of theirs that no other
    decision of theirs precedes changes no choice at all, so ``c`` is not identified
    (Lewis & Schultz 2003, *Political Analysis* 11: 345–367).
    """
    by_slot = {slot: set(cols) for slot, cols in zip(slots, names, strict=True)}
    leaf_of = {node: t for t, node in enumerate(ct.leaves)}
    below: dict[int, set[int]] = {}
    for i in range(len(ct.kind) - 1, -1, -1):
        kids = ct.children[i]
        below[i] = (
            {leaf_of[i]} if ct.kind[i] == "terminal" else set().union(*(below[c] for c in kids))
        )
    parent = ct.tree.parent
    for i, kind in enumerate(ct.kind):
        if kind != "decision":
            continue
        p, j, top = ct.player[i], parent[i], True
        while j >= 0:
            if ct.player[j] == p:
                top = False
                break
            j = parent[j]
        if not top:
            continue
        common = None
        for t in below[i]:
            cols = by_slot.get((p, t), set())
            common = cols if common is None else common & cols
        if common:
            raise ParameterError(
                "formula",
                f"unidentified: {', '.join(sorted(common))} appear(s) in all of "
                f"{player_names[p]}'s utilities after their move at "
                f"{ct.tree.where(i)}; drop it from one of them",
            )


def start_values(model: TreeModel, y, mats) -> np.ndarray:
    """Statistical backward induction on the tree (Bas, Signorino & Walker 2008,
    *Political Analysis* 16(1): 21–40): each binary decision, deepest first, as a binary
    regression on the utility differences its mover faces, given the estimated choice
    probabilities below it."""
    if model.shape is not None:  # egame122/egame123: the same regressions, written out
        from bargain.estimate._shape_start import shape_start_values

        return shape_start_values(model, y, mats)
    ct, theta = model.ct, np.zeros(model.k)
    done = [False] * len(model.slots)
    leaf_of = {node: t for t, node in enumerate(ct.leaves)}
    below = {}
    for i in range(len(ct.kind) - 1, -1, -1):
        if ct.kind[i] == "terminal":
            below[i] = {leaf_of[i]}
        else:
            below[i] = set().union(*(below[c] for c in ct.children[i]))
    for i in range(len(ct.kind) - 1, -1, -1):
        kids = ct.children[i]
        if ct.kind[i] != "decision" or len(kids) != 2:
            continue
        pl = ct.player[i]
        vals = model.values(theta, mats)
        _, P, _ = tree_probabilities(  # the subtree at i: preorder ids from i on
            ct, vals, link=model.link, private=False, grad=False, keep=True, stop=i
        )
        w = P[kids[1]] - P[kids[0]]  # (leaves, n): weight of each leaf's utility in Δ
        offset = np.einsum("tn,tn->n", w, np.array(vals[pl]))
        blocks, which = [], []
        for j, (p, t) in enumerate(model.slots):
            if p == pl and not done[j] and t in below[i]:
                blocks.append(w[t][:, None] * mats[j])
                which.append(j)
        reached = np.isin(y, list(below[i]))
        if not which or not reached.any():
            continue
        X = np.hstack(blocks)[reached]
        target = np.isin(y[reached], list(below[kids[1]])).astype(float)
        c = binary_regression(X, target, model.link, offset=offset[reached] / np.sqrt(2.0))
        pos = 0
        for j in which:
            sl = model.slices[j]
            theta[sl] = np.sqrt(2.0) * c[pos : pos + (sl.stop - sl.start)]
            pos += sl.stop - sl.start
            done[j] = True
    return theta


def fit_tree(model, y, mats, *, start, tol, maxiter):
    """Maximize a model's likelihood from `start` ("sbi", "zero" or values)."""
    if isinstance(start, str):
        if start not in ("sbi", "zero"):
            raise ParameterError("start", f"must be 'sbi', 'zero' or values, got {start!r}")
        if start == "sbi":  # from at most 50,000 rows (every m-th): they are only starts
            every = max(1, -(-len(y) // 50_000))
            if model.shape is not None and len(y) > 2 * WARM_ROWS:
                # they start the Newton fit to every m-th row below: its own rows suffice
                every = len(y) // WARM_ROWS
            x0 = start_values(model, y[::every], [m[::every] for m in mats])
        else:
            x0 = np.zeros(model.k)
    else:
        x0 = np.asarray(start, dtype=float)
        if x0.shape != (model.k,):
            raise ParameterError("start", f"needs {model.k} values, got {x0.size}")

    stacked = model.stack(mats) if len(y) else None
    if stacked is not None:
        yy = np.array(y, dtype=np.int64)
        if len(y) > 2 * WARM_ROWS:  # starts from a fit to every m-th row
            every = len(y) // WARM_ROWS
            y_sub, st_sub = yy[::every], model.stack([m[::every] for m in mats])
            x0 = warm_start(
                lambda t, hess: model.value_grad_hess(t, y_sub, st_sub, hess),
                x0,
                tol=tol,
                maxiter=maxiter,
            )
        return newton(
            lambda t, hess: model.value_grad_hess(t, yy, stacked, hess),
            x0,
            tol=tol,
            maxiter=maxiter,
            fallback=lambda t: model.fused_value_and_grad(t, yy, stacked),
        )

    def value_and_grad(theta):
        P, dP, _ = model._root(theta, mats, True)
        rows = np.arange(len(y))
        dll = dP[y, rows] / P[y, rows][:, None, None]
        g = [X.T @ w for w, X in model.index_weights(theta, mats, dll)]
        return float(np.log(P[y, rows]).sum()), (np.concatenate(g) if g else np.zeros(0))

    return maximize(value_and_grad, x0, tol=tol, maxiter=maxiter)


def _leaf_codes(frame, column, ct):
    values = frame[column].astype(object).map(str)
    unknown = sorted(set(values) - set(ct.leaf_labels))
    if unknown:
        raise DataError(
            column,
            f"outcome {unknown[0]!r} is not a leaf of the tree; leaves are "
            + ", ".join(ct.leaf_labels),
        )
    index = {label: t for t, label in enumerate(ct.leaf_labels)}
    return values.map(index).to_numpy(np.int64)


def strategic(
    tree: GameTree,
    data: pd.DataFrame,
    utilities: Mapping[tuple[str, str], str],
    *,
    outcome: str,
    link: str = "probit",
    error: str = "agent",
    start: str | Sequence[float] = "sbi",
    tol: float = 1e-6,
    maxiter: int = 2000,
) -> StrategicResults:
    """Fit a strategic model on any perfect-information game tree.

    The utility of each player at each leaf is the leaf's payoff in `tree` (a fixed,
    known part; use 0 for none) plus, for the ``(player, leaf)`` pairs in `utilities`, a
    linear index of regressors.  Players choose by backward induction with random
    utility (agent error: one shock per action; private information: one shock per own
    outcome) — Signorino (1999, *American Political Science Review* 93(2): 279–297;
    2003, *Political Analysis* 11: 316–344).

    Parameters
    ----------
    tree : GameTree
        Perfect information; decisions with two actions (probit or logit) or more
        (logit, agent error); chance nodes allowed.  Leaves are named by their
        ``label`` or, without one, by their action path (``"Escalate/Fight"``).
    data : pandas.DataFrame
    utilities : mapping of (player name, leaf name) to str
        Right-hand side of each estimated utility (``"1 + x"``, ``"x - 1"``).
    outcome : str
        Column holding the leaf each observation ended at.
    link : {"probit", "logit"}
    error : {"agent", "private"}
    start : "sbi", "zero" or sequence of float
        Starting values: statistical backward induction (default), zeros, or values.
    tol : float
        Convergence: Euclidean norm of the gradient.
    maxiter : int
        Bound on the optimizer's iterations.

    Returns
    -------
    StrategicResults
        Parameters named ``<player>(<leaf>):<regressor>``.

    Raises
    ------
    DataError
        Unknown columns or an outcome that is not a leaf of the tree.
    GameShapeError
        Imperfect information, symbolic payoffs, or a decision the link cannot handle.

    Examples
    --------
    >>> from bargain import GameTree, Decision, Terminal
    >>> from bargain.datasets import load_war1800
    >>> from bargain.estimate import strategic
    >>> tree = GameTree(("1", "2"), Decision("1", {
    ...     "sq": Terminal(0, 0, label="sq"),
    ...     "esc": Decision("2", {"cap": Terminal(0, 0, label="cap"),
    ...                           "war": Terminal(0, 0, label="war")})}))
    >>> df = load_war1800()
    >>> df["y"] = df["sq"].map({1: "sq", 0: "cap"}).where(df["war"] == 0, "war")
    >>> fit = strategic(tree, df, {("1", "sq"): "1 + s_wt_re1 + revis1",
    ...                            ("1", "war"): "regime1", ("2", "war"): "balanc + regime2"},
    ...                 outcome="y")
    >>> fit.nobs, round(fit.llf, 4)
    (282, -286.1238)
    """
    link = check_link(link)
    if error not in ("agent", "private"):
        raise ParameterError("error", f"must be 'agent' or 'private', got {error!r}")
    ct = compile_tree(tree)
    if not isinstance(outcome, str):
        raise ParameterError("outcome", "must name the outcome column")
    slots, parts, prefixes = [], [], []
    for key, rhs in dict(utilities).items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ParameterError("utilities", f"keys are (player, leaf) pairs, got {key!r}")
        player, leaf = key
        if player not in ct.tree.players:
            raise ParameterError("utilities", f"unknown player {player!r}")
        if leaf not in ct.leaf_labels:
            raise ParameterError("utilities", f"unknown leaf {leaf!r}; leaves: {ct.leaf_labels}")
        if not isinstance(rhs, str) or "~" in rhs or "|" in rhs:
            raise ParameterError("utilities", f"{key}: a right-hand side like '1 + x', got {rhs!r}")
        slots.append((ct.tree.players.index(player), ct.leaf_labels.index(leaf)))
        parts.append(rhs)
        prefixes.append(f"{player}({leaf})")
    if not parts:
        raise ParameterError("utilities", "estimate at least one utility")
    design = build_design(
        f"{outcome} ~ " + " | ".join(parts), data, n_parts=len(parts), model="strategic"
    )
    y = _leaf_codes(design.frame, outcome, ct)
    check_identified(ct, slots, design.names, ct.tree.players)
    model = TreeModel(
        ct,
        slots,
        [len(n) for n in design.names],
        link=link,
        private=error == "private",
        n_main=design.n_main,
        labels=ct.leaf_labels,
    )
    mats = model.arrange(design.matrices)
    best = fit_tree(model, y, mats, start=start, tol=tol, maxiter=maxiter)
    names = parameter_names(prefixes, design.names, n_utility=len(parts))
    return StrategicResults(
        model_name="strategic",
        formula=f"{outcome} ~ " + " | ".join(parts),
        link=link,
        error=error,
        names=names,
        maximum=best,
        model=model,
        design=design,
        y=y,
        matrices=tuple(mats),
        levels=ct.leaf_labels,
        fixed={},
        refit=lambda df, start: strategic(
            tree,
            df,
            utilities,
            outcome=outcome,
            link=link,
            error=error,
            start=start,
            tol=tol,
            maxiter=maxiter,
        ),
    )
