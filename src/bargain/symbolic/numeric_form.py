"""A regime's agreement condition for numeric work, read from the cache without SymPy.

:class:`~bargain.symbolic.agreement_sets.AgreementForm` holds the derived condition as
SymPy expressions; its cache entry also carries them as JSON expression trees
(:mod:`bargain.symbolic.exprtree`).  :func:`numeric_form` reads those trees back (checked
node by node, never executed) and evaluates them with NumPy, so a warm report classifies
its grids and draws its threshold curves without importing SymPy.  When the entry is
missing, damaged or outside the tree grammar, the condition is derived
(:func:`~bargain.symbolic.agreement_sets.agreement_form`) and its SymPy expressions are
used, lambdified.

Examples
--------
>>> import numpy as np, bargain as bg
>>> m = bg.load_model("withdrawal_sequencing")
>>> f = numeric_form(m, "withdraw_first")
>>> f.conjunctions, f.free[0]
(((0, 1),), ('M_G', 'k_G', 'q', 's'))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["NumericForm", "numeric_form"]


@dataclass(frozen=True)
class NumericForm:
    """The pieces of an agreement condition that numeric code needs (see
    :class:`~bargain.symbolic.agreement_sets.AgreementForm` for their meaning).

    Attributes
    ----------
    names : tuple of str
    strict : tuple of bool
        Per atom: ``d > 0`` (True) or ``d >= 0``.
    conjunctions : tuple of tuple of int
    linear : dict
        Parameter name → True when every atom is linear in it (see `coefficients`).
    latex : tuple of str
    free : tuple of tuple of str
        Per atom, the parameters it involves.
    atom_values : callable
        ``f(*columns) -> list`` of every atom's ``d``, vectorized.
    coefficients : dict
        Parameter name → ``f(*columns) -> [a_0, b_0, a_1, b_1, ...]``.
    """

    names: tuple[str, ...]
    strict: tuple[bool, ...]
    conjunctions: tuple[tuple[int, ...], ...]
    linear: Mapping[str, bool]
    latex: tuple[str, ...]
    free: tuple[tuple[str, ...], ...]
    atom_values: Callable[..., list]
    coefficients: Mapping[str, Callable[..., list]]
    atom_trees: tuple[Any, ...] | None = None

    def atom_value(self, k: int, *cols: Any) -> Any:
        """Atom `k`'s ``d`` alone (the others are not evaluated when trees are known)."""
        if self.atom_trees is None:
            return self.atom_values(*cols)[k]
        from bargain.symbolic.exprtree import evaluate

        return evaluate(self.atom_trees[k], dict(zip(self.names, cols, strict=True)))


def _tree_function(names: tuple[str, ...], trees: list) -> Callable[..., list]:
    from bargain.symbolic.exprtree import evaluate

    def f(*cols: Any) -> list:
        values = dict(zip(names, cols, strict=True))
        return [evaluate(t, values) for t in trees]

    return f


def _from_trees(data: Mapping[str, Any]) -> NumericForm:
    from bargain.symbolic.exprtree import check_tree

    names = tuple(str(n) for n in data["names"])
    trees = data["trees"]
    allowed = set(names)
    atoms = [check_tree(t, allowed) for t in trees["atoms"]]
    strict = tuple(bool(st) for _, st in data["atoms"])
    conj = tuple(tuple(int(k) for k in c) for c in data["conjunctions"])
    if len(atoms) != len(strict) or any(not 0 <= k < len(atoms) for c in conj for k in c):
        raise ValueError("atoms and conjunctions do not match")
    coefficients = {}
    for name, pairs in trees["linear"].items():
        if pairs is not None:
            if len(pairs) != len(atoms):
                raise ValueError("a coefficient per atom expected")
            flat = [check_tree(e, allowed) for ab in pairs for e in ab]
            coefficients[str(name)] = _tree_function(names, flat)
    free = tuple(tuple(str(x) for x in f) for f in trees["free"])
    if len(free) != len(atoms) or any(x not in allowed for f in free for x in f):
        raise ValueError("free names do not match")
    return NumericForm(
        names=names,
        strict=strict,
        conjunctions=conj,
        linear={str(k): v is not None for k, v in trees["linear"].items()},
        latex=tuple(str(t) for t in data.get("latex", ())),
        free=free,
        atom_values=_tree_function(names, atoms),
        coefficients=coefficients,
        atom_trees=tuple(atoms),
    )


def _from_sympy(form: Any) -> NumericForm:
    return NumericForm(
        names=form.names,
        strict=tuple(bool(st) for _, st in form.atoms),
        conjunctions=form.conjunctions,
        linear={k: v is not None for k, v in form.linear.items()},
        latex=form.latex,
        free=tuple(tuple(sorted(s.name for s in d.free_symbols)) for d, _ in form.atoms),
        atom_values=form.atom_values,
        coefficients=form.coefficients,
    )


def numeric_form(
    model: Any,
    regime: str,
    *,
    structural: Mapping[str, float] | None = None,
    use_cache: bool = True,
) -> NumericForm:
    """The agreement condition of `regime` for numeric evaluation (see the module
    docstring); arguments as :func:`~bargain.symbolic.agreement_sets.agreement_form`.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("withdrawal_sequencing")
    >>> f = numeric_form(m, "withdraw_first")
    >>> a, b = [float(v) for v in f.coefficients["q"](*m.parameters.vector())][:2]
    >>> print(f.latex[0], -b / a)  # q (M_G + s) >= k_G at the baseline: q >= 1/3
    q \\left(M_{G} + s\\right) \\geq k_{G} 0.3333333333333333
    """
    from bargain.symbolic.agreement_sets import agreement_form
    from bargain.symbolic.cache import cache_dir, load_entry, model_key

    params = model.parameters
    fixed = params.resolve(**dict(structural or {}))
    fixed = {p.name: fixed[p.name] for p in params.parameters if p.integer}
    memo = model.__dict__.setdefault("_numeric_forms", {})
    mkey = (regime, tuple(sorted(fixed.items())), str(cache_dir()) if use_cache else None)
    if mkey in memo:
        return memo[mkey]
    form = None
    if use_cache:
        data = load_entry(model_key(model, what="agreement_form", regime=regime, structural=fixed))
        if isinstance(data, dict) and data.get("trees") is not None:
            try:
                if tuple(data["names"]) == tuple(params.names):
                    form = _from_trees(data)
            except (KeyError, TypeError, ValueError, AttributeError):
                form = None  # damaged: derive again
    if form is None:
        sym = agreement_form(model, regime, structural=fixed, use_cache=use_cache)
        data = sym.to_json()
        form = _from_trees(data) if data["trees"] is not None else _from_sympy(sym)
    memo[mkey] = form
    return form
