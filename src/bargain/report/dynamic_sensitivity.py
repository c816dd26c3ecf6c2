"""The sensitivity table of a stochastic regime: the numeric check against the symbolic one.

Per parameter (the others at baseline), the numeric one-shot-deviation check of every grid
value (:mod:`bargain.report.dynamic_check`, computed at every run) and the derived MPE
condition (kept in the derivation cache as JSON expression trees, evaluated with NumPy):
two independent readings of the same question, and how many grid values they differ on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bargain.games.expression import to_sympy
from bargain.report.dynamic_cache import _cached

__all__ = ["condition_trees", "sensitivity_rows", "sensitivity_table", "symbolic_holds"]

#: tie tolerance of the symbolic condition (``Conditions.lambdify``'s default)
SYM_TOL = 1e-10


def sensitivity_table(model: Any, regime: str, *, n: int = 201) -> Any:
    """Per parameter (the others at baseline): where on an ``n``-point grid over its bounds
    the agreement profile is an MPE, by the numeric one-shot-deviation check and by the
    symbolic condition (where the parameter is kept symbolic), and how many grid values the
    two disagree on (a :class:`pandas.DataFrame` of :func:`sensitivity_rows`).

    Examples
    --------
    >>> import bargain as bg
    >>> t = sensitivity_table(bg.load_model("staged_withdrawal"), "staged", n=11)
    >>> int(t.loc[t["symbolic check"] == "yes", "mismatches"].max())
    0
    """
    import pandas as pd

    return pd.DataFrame(sensitivity_rows(model, regime, n=n))


def sensitivity_rows(
    model: Any, regime: str, *, n: int = 201, use_cache: bool = True
) -> list[dict[str, Any]]:
    """The rows of :func:`sensitivity_table`.  The numeric check of every grid value is
    computed here, in one batch (:func:`bargain.report.dynamic_check.batch_check`); the
    symbolic condition is read from the derivation cache (:func:`condition_trees`).

    Examples
    --------
    >>> import bargain as bg
    >>> rows = sensitivity_rows(bg.load_model("staged_withdrawal"), "staged", n=11)
    >>> [r["numeric"] for r in rows if r["parameter"] == "q"]
    ['[0.2, 1]']
    """
    from bargain.report.dynamic_check import batch_check

    ps = model.parameters
    fixed = set(model.regimes[regime].fixed)
    base = ps.vector()
    grids, blocks = [], []
    for k, p in enumerate(ps.parameters):
        lo, hi = p.bounds
        grid = np.arange(int(lo), int(hi) + 1) if p.integer else np.linspace(lo, hi, n)
        X = np.tile(base, (len(grid), 1))
        X[:, k] = grid
        grids.append(grid)
        blocks.append(X)
    ok, _ = batch_check(model, regime, np.concatenate(blocks), use_cache=use_cache)
    sym_all = symbolic_holds(model, regime, np.concatenate(blocks), use_cache=use_cache)
    rows, at = [], 0
    for k, p in enumerate(ps.parameters):
        lo, hi = p.bounds
        grid = grids[k]
        num = ok[at : at + len(grid)]
        sym = sym_all[at : at + len(grid)]
        at += len(grid)
        symbolic = not (p.integer or p.name in fixed)
        mism: Any = int((sym != num).sum()) if symbolic else "-"
        rows.append(
            {
                "parameter": p.name,
                "baseline": float(base[k]),
                "bounds": f"[{lo:g}, {hi:g}]",
                "numeric": _intervals(grid, num),
                "symbolic check": "yes" if symbolic else "no (fixed in the derivation)",
                "mismatches": mism,
            }
        )
    return rows


def condition_trees(model: Any, regime: str, *, use_cache: bool = True) -> list | None:
    """The derived MPE condition at the baseline's fixed and integer values as JSON: a list
    of conjunctions, each a list of ``[tree, strict]`` for ``d > 0`` (strict) or
    ``d >= 0``; None when an inequality is outside the tree grammar.  Kept in the
    derivation cache; a tree read from disk is validated before use.

    Examples
    --------
    >>> import bargain as bg
    >>> dnf = condition_trees(bg.load_model("staged_withdrawal"), "staged")
    >>> len(dnf), len(dnf[0]) > 10
    (1, True)
    """
    from bargain.errors import ExpressionError
    from bargain.symbolic.exprtree import check_tree

    names = model.parameters.names

    def derive() -> Any:
        from bargain.symbolic.exprtree import to_tree

        c = model.conditions(regime)
        try:
            return [
                [[to_tree(to_sympy(d, where="MPE condition")), bool(strict)] for d, strict in conj]
                for conj in c.dnfs[0]
            ]
        except NotImplementedError:
            return {"grammar": False}

    def ok(data: Any) -> bool:
        if data == {"grammar": False}:
            return True
        try:
            for conj in data:
                for tree, strict in conj:
                    check_tree(tree, names)
                    if not isinstance(strict, bool):
                        return False
        except (TypeError, ValueError, ExpressionError):
            return False
        return isinstance(data, list)

    data = _cached(model, f"stochastic_condition_trees:{regime}", derive, ok, use_cache)
    return None if isinstance(data, dict) else data


def symbolic_holds(model: Any, regime: str, X: Any, *, use_cache: bool = True) -> np.ndarray:
    """Whether the derived MPE condition holds at each row of `X` (parameter order; fixed
    and integer parameters are those of the derivation, the baseline's), with
    ``Conditions.lambdify``'s tie tolerance.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("staged_withdrawal")
    >>> symbolic_holds(m, "staged", [m.parameters.vector()]).tolist()
    [True]
    """
    from bargain.symbolic.exprtree import evaluate

    X = np.atleast_2d(np.asarray(X, dtype=float))
    dnf = condition_trees(model, regime, use_cache=use_cache)
    if dnf is None:  # outside the tree grammar: SymPy's lambdified classifier
        return model.conditions(regime).lambdify(tol=SYM_TOL)(X) == 0
    vals = {name: X[:, k] for k, name in enumerate(model.parameters.names)}
    n = len(X)
    hit = np.zeros(n, dtype=bool)
    for conj in dnf:
        term = np.ones(n, dtype=bool)
        for tree, strict in conj:
            v = np.broadcast_to(np.asarray(evaluate(tree, vals), dtype=float), (n,))
            term &= v > SYM_TOL if strict else v >= -SYM_TOL
        hit |= term
    return hit


def _intervals(grid: np.ndarray, ok: np.ndarray) -> str:
    if not ok.any():
        return "never"
    if ok.all():
        return "always"
    parts, start = [], None
    for j, v in enumerate(ok):
        if v and start is None:
            start = j
        if start is not None and (not v or j == len(ok) - 1):
            end = j if v else j - 1
            parts.append(f"[{grid[start]:.4g}, {grid[end]:.4g}]")
            start = None
    return " ∪ ".join(parts)
