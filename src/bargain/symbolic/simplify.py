"""Simplification of conditions in disjunctive normal form.

Atoms implied by the parameter bounds are dropped and conjunctions the bounds make
impossible are removed (:func:`bargain.symbolic._inequalities.conj_add`).  Then the Boolean
structure is simplified with :func:`sympy.simplify_logic`, treating each inequality as a
propositional variable: ``d >= 0`` and ``-d > 0`` are one variable and its negation, as are
``d > 0`` and ``-d >= 0``.  Cases with more than 10 distinct variables keep their structure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy

from bargain.symbolic import _inequalities as iq

__all__ = ["simplify_dnf"]


def simplify_dnf(dnf: iq.DNF, bounds: Mapping) -> iq.DNF:
    """Drop atoms implied by `bounds`, impossible conjunctions; simplify the logic."""
    terms = []
    for conj in dnf:
        out: Any | None = ()
        for d, st in conj:
            out = iq.conj_add(out, d, st, bounds)
        terms.append(out)
    dnf = iq.dnf_or(terms)
    atoms = iq.atoms_in(dnf)
    if not dnf or not atoms or len(dnf) == 1:
        return dnf
    # propositional variables: (d*, strict) with d* the canonical sign of {d, -d}
    var_of: dict[tuple[Any, bool], Any] = {}
    key_of: dict[Any, tuple[Any, bool]] = {}

    def literal(atom: Any) -> Any:
        d, strict = atom
        neg = sympy.expand(-d)
        if sympy.default_sort_key(d) <= sympy.default_sort_key(neg):
            key, negate = (d, strict), False
        else:
            key, negate = (neg, not strict), True
        if key not in var_of:
            v = sympy.Symbol(f"_v{len(var_of)}")
            var_of[key] = v
            key_of[v] = key
        return ~var_of[key] if negate else var_of[key]

    expr = sympy.Or(*(sympy.And(*(literal(a) for a in conj)) for conj in dnf))
    if len(var_of) > 10:
        return dnf
    simple = sympy.simplify_logic(expr, form="dnf", force=True)

    def back(lit: Any) -> Any:
        if isinstance(lit, sympy.Not):
            d, strict = key_of[lit.args[0]]
            return iq.canonical(-d), not strict
        return key_of[lit]

    if simple is sympy.true:
        return ((),)
    if simple is sympy.false:
        return ()
    terms = []
    for conj in sympy.Or.make_args(simple):
        out = ()
        for lit in sympy.And.make_args(conj):
            d, st = back(lit)
            out = iq.conj_add(out, d, st, bounds)
        terms.append(out)
    return iq.dnf_or(terms)
