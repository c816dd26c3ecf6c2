"""Inequalities between payoff expressions: canonical form, bounds, display form, DNF.

Every condition this package derives is a Boolean combination of *atoms* ``d >= 0`` or
``d > 0`` where ``d`` is a difference of payoffs (a polynomial in the parameters, or a
rational function when probabilities are).  Internally an atom is a pair ``(d, strict)``
with ``d`` expanded and divided by its positive numeric content (so ``2q - 2 >= 0`` and
``q - 1 >= 0`` are the same atom); a conjunction is a tuple of atoms; a condition is a
tuple of conjunctions (disjunctive normal form).  Only at the end are atoms turned into
SymPy relationals, in a readable form with positive terms on the left.

Deciding an atom from the parameter bounds is *sound but incomplete*: it returns True or
False only when the atom holds, or fails, at every admissible point (exact evaluation at
the vertices of the box for multilinear polynomials, which attain their extremes there;
interval arithmetic otherwise), and None when it cannot tell.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy

Atom = tuple[Any, bool]  # (canonical difference d, strict): d > 0 if strict else d >= 0
Conj = tuple[Atom, ...]
DNF = tuple[Conj, ...]

#: vertex enumeration is used for multilinear differences of at most this many symbols
MAX_VERTEX_SYMBOLS = 12


def to_sympy(x: Any) -> Any:
    """A number or expression as an exact SymPy object (floats via their shortest repr)."""
    if isinstance(x, sympy.Basic):
        return x
    if isinstance(x, bool):
        return sympy.Integer(int(x))
    if isinstance(x, int):
        return sympy.Integer(x)
    if isinstance(x, Fraction):
        return sympy.Rational(x.numerator, x.denominator)
    return sympy.Rational(repr(float(x)))


def bounds_map(parameters: Any) -> dict[Any, tuple[Fraction, Fraction]]:
    """Symbol → exact ``(low, high)`` from a ParameterSet (empty for None)."""
    if parameters is None:
        return {}
    out = {}
    for p in parameters.parameters:
        lo, hi = p.bounds
        out[p.symbol] = (Fraction(repr(lo)), Fraction(repr(hi)))
    return out


def canonical(d: Any) -> Any:
    """Expanded difference divided by its positive numeric content."""
    d = sympy.expand(to_sympy(d))
    if d.is_Number:
        return sympy.sign(d)
    _, prim = d.as_content_primitive()
    return sympy.expand(prim)


def _range_vertices(d: Any, syms: Sequence[Any], bounds: Mapping) -> tuple[Fraction, Fraction]:
    poly = sympy.Poly(d, *syms)
    terms = []
    for monom, coeff in poly.terms():
        if not coeff.is_Rational:
            raise ValueError("non-rational coefficient")
        terms.append((monom, Fraction(int(coeff.p), int(coeff.q))))
    lo = hi = None
    for vertex in itertools.product(*(bounds[s] for s in syms)):
        v = Fraction(0)
        for monom, c in terms:
            t = c
            for x, e in zip(vertex, monom, strict=True):
                if e:
                    t *= x
            v += t
        lo = v if lo is None or v < lo else lo
        hi = v if hi is None or v > hi else hi
    return lo, hi


def value_range(d: Any, bounds: Mapping) -> tuple[Any, Any] | None:
    """Enclosure ``(low, high)`` of `d` over the bounds box, or None if unknown.

    Exact for multilinear polynomials (vertices of the box); otherwise interval arithmetic
    (an outer enclosure, so conclusions drawn from it are still valid).
    """
    syms = sorted(d.free_symbols, key=lambda s: s.name)
    if any(s not in bounds for s in syms):
        return None
    if not syms:
        return (d, d)
    try:
        if d.is_polynomial(*syms) and len(syms) <= MAX_VERTEX_SYMBOLS:
            poly = sympy.Poly(d, *syms)
            if all(max(m) <= 1 for m in poly.monoms()):
                lo, hi = _range_vertices(d, syms, bounds)
                return (
                    sympy.Rational(lo.numerator, lo.denominator),
                    sympy.Rational(hi.numerator, hi.denominator),
                )
        box = {
            s: sympy.AccumBounds(*(sympy.Rational(b.numerator, b.denominator) for b in bounds[s]))
            for s in syms
        }
        r = d.subs(box)
        if isinstance(r, sympy.AccumBounds):
            return (r.min, r.max)
        if r.is_number and r.is_finite:
            return (r, r)
    except (ValueError, TypeError, sympy.PolynomialError, NotImplementedError):
        return None
    return None


def decide(d: Any, strict: bool, bounds: Mapping) -> bool | None:
    """Whether ``d > 0`` (strict) or ``d >= 0`` holds everywhere (True), nowhere (False).

    None when neither can be shown from the symbols' assumptions and the bounds.
    """
    if d.is_number:
        return bool(d > 0) if strict else bool(d >= 0)
    pos, nonneg = d.is_positive, d.is_nonnegative
    neg, nonpos = d.is_negative, d.is_nonpositive
    if (pos if strict else nonneg) is True:
        return True
    if (nonpos if strict else neg) is True:
        return False
    rng = value_range(d, bounds)
    if rng is None:
        return None
    lo, hi = rng
    try:
        if strict:
            if bool(lo > 0):
                return True
            if bool(hi <= 0):
                return False
        else:
            if bool(lo >= 0):
                return True
            if bool(hi < 0):
                return False
    except TypeError:
        return None
    return None


def conj_add(conj: Conj | None, d: Any, strict: bool, bounds: Mapping) -> Conj | None:
    """`conj` with the atom added; None when the conjunction becomes unsatisfiable.

    Atoms decided by the bounds are dropped (True) or make the conjunction false; an atom
    already present (or its strict version) is not repeated; ``d >= 0`` together with
    ``-d > 0`` (or ``d > 0`` with ``-d >= 0``) is a contradiction.
    """
    if conj is None:
        return None
    d = canonical(d)
    verdict = decide(d, strict, bounds)
    if verdict is True:
        return conj
    if verdict is False:
        return None
    neg = sympy.expand(-d)
    out = []
    for e, st in conj:
        if e == d:
            strict = strict or st
            continue
        if e == neg and (st or strict):
            return None
        out.append((e, st))
    out.append((d, strict))
    return tuple(out)


def conj_merge(a: Conj | None, b: Conj | None, bounds: Mapping) -> Conj | None:
    """Conjunction of two conjunctions (None if unsatisfiable)."""
    if a is None or b is None:
        return None
    out: Conj | None = a
    for d, st in b:
        out = conj_add(out, d, st, bounds)
        if out is None:
            return None
    return out


def dnf_or(terms: Iterable[Conj | None]) -> DNF:
    """Disjunction of conjunctions, dropping unsatisfiable ones and duplicates."""
    out: list[Conj] = []
    seen: list[frozenset] = []
    for t in terms:
        if t is None:
            continue
        key = frozenset(t)
        if key in seen:
            continue
        seen.append(key)
        out.append(t)
    return tuple(out)


# -- SymPy relationals ---------------------------------------------------------------------


def relational(d: Any, strict: bool) -> Any:
    """Readable relational for ``d > 0`` / ``d >= 0``: positive terms left, negative right."""
    d = sympy.expand(d)
    left, right = [], []
    for term in sympy.Add.make_args(d):
        (right if term.could_extract_minus_sign() else left).append(term)
    lhs = sympy.factor(sympy.Add(*left)) if left else sympy.Integer(0)
    rhs = sympy.factor(-sympy.Add(*right)) if right else sympy.Integer(0)
    rel = sympy.Gt if strict else sympy.Ge
    return rel(lhs, rhs, evaluate=False)


def atom_of(rel: Any) -> Atom:
    """``(d, strict)`` of a relational ``>=``, ``>``, ``<=``, ``<`` (canonical d)."""
    if isinstance(rel, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        d = rel.lhs - rel.rhs
    elif isinstance(rel, (sympy.LessThan, sympy.StrictLessThan)):
        d = rel.rhs - rel.lhs
    else:
        raise TypeError(f"not an inequality: {rel}")
    strict = isinstance(rel, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    return canonical(d), strict


def dnf_to_boolean(dnf: DNF) -> Any:
    """SymPy Boolean (Or of And of relationals) from a DNF."""
    if not dnf:
        return sympy.false
    ors = []
    for conj in dnf:
        if not conj:
            return sympy.true
        ors.append(
            sympy.And(*(relational(d, st) for d, st in conj), evaluate=False)
            if len(conj) > 1
            else relational(*conj[0])
        )
    return ors[0] if len(ors) == 1 else sympy.Or(*ors, evaluate=False)


def boolean_to_dnf(cond: Any) -> DNF:
    """DNF of a Boolean built from And, Or, Not and inequalities (no bound checks)."""
    if cond is sympy.true or cond is True:
        return ((),)
    if cond is sympy.false or cond is False:
        return ()
    if isinstance(cond, sympy.Or):
        return tuple(c for arg in cond.args for c in boolean_to_dnf(arg))
    if isinstance(cond, sympy.And):
        out: list[Conj] = [()]
        for arg in cond.args:
            out = [a + b for a in out for b in boolean_to_dnf(arg)]
        return tuple(out)
    if isinstance(cond, sympy.Not):
        d, strict = atom_of(cond.args[0])
        return (((canonical(-d), not strict),),)
    if isinstance(cond, sympy.Equality):
        d = canonical(cond.lhs - cond.rhs)
        return (((d, False), (canonical(-d), False)),)
    return ((atom_of(cond),),)


def atoms_in(dnf: DNF) -> list[Atom]:
    """Distinct atoms of a DNF in order of appearance."""
    out: list[Atom] = []
    for conj in dnf:
        for a in conj:
            if a not in out:
                out.append(a)
    return out
