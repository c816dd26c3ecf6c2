"""A regime's agreement condition, derived once, in the form numeric code classifies with.

The agreement condition of a regime is a disjunction of conjunctions of atoms ``d >= 0``
or ``d > 0`` (:mod:`bargain.symbolic._inequalities`).  For one parameter ``x`` an atom is
either free of ``x`` (it holds or not, whatever ``x``), or linear in it, ``d = a x + b``
with ``a`` and ``b`` free of ``x`` — then it is the half-line ``x >= -b/a`` (``a > 0``) or
``x <= -b/a`` (``a < 0``), an interval with a *symbolic* endpoint — or neither (``x``
under a root, in a denominator): then the parameter has no linear form here.

:class:`AgreementForm` holds these pieces as SymPy expressions and NumPy functions of all
parameters: the sweep evaluates endpoints and atoms on whole arrays, with no SymPy call
per point.  :func:`agreement_form` derives it, or reads it from the disk cache
(:mod:`bargain.symbolic.cache`), where it is stored as text and read back with the safe
expression reader.

Examples
--------
>>> import bargain as bg
>>> f = agreement_form(bg.load_model("withdrawal_sequencing"), "withdraw_first",
...                    use_cache=False)
>>> len(f.atoms), f.conjunctions
(2, ((0, 1),))
>>> [(a, b)] = [(a, b) for a, b in f.linear["q"] if a != 0]  # q's one half-line
>>> -b / a  # q >= k_G / (M_G + s): the endpoint, symbolic
k_G/(M_G + s)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = ["AgreementForm", "agreement_form"]


@dataclass(frozen=True)
class AgreementForm:
    """A regime's agreement condition, split for numeric evaluation.

    Attributes
    ----------
    names : tuple of str
        Parameter names, in the model's order (the argument order of the functions).
    atoms : tuple of (sympy.Expr, bool)
        Distinct atoms ``(d, strict)``: ``d > 0`` if strict else ``d >= 0``.
    conjunctions : tuple of tuple of int
        The condition: an OR over conjunctions, each a tuple of indices into `atoms`
        (``()``: no conjunction, the condition never holds; ``((),)``: always).
    linear : dict
        Parameter name → per atom ``(a, b)`` with ``d = a x + b`` (``a = 0`` for an atom
        free of the parameter), or None when some atom is not linear in it.
    latex : tuple of str
        Each atom as a readable relational in LaTeX (for figure legends).
    """

    names: tuple[str, ...]
    atoms: tuple[tuple[Any, bool], ...]
    conjunctions: tuple[tuple[int, ...], ...]
    linear: Mapping[str, tuple[tuple[Any, Any], ...] | None]
    latex: tuple[str, ...] = ()
    symbols: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def atom_values(self):
        """``f(*columns) -> list`` of every atom's ``d`` (arrays or scalars), vectorized."""
        return _lambdify(self.symbols, [d for d, _ in self.atoms])

    @cached_property
    def coefficients(self):
        """Parameter name → ``f(*columns) -> [a_0, b_0, a_1, b_1, ...]``, vectorized."""
        out = {}
        for name, pairs in self.linear.items():
            if pairs is not None:
                out[name] = _lambdify(self.symbols, [e for ab in pairs for e in ab])
        return out

    def to_json(self) -> dict[str, Any]:
        """The form as JSON-ready text (SymPy's ``str`` of every expression).

        Examples
        --------
        >>> import bargain as bg
        >>> f = agreement_form(bg.load_model("entry_deterrence"), "entry", use_cache=False)
        >>> f.to_json()["conjunctions"]
        [[0]]
        """
        return {
            "names": list(self.names),
            "atoms": [[str(d), bool(st)] for d, st in self.atoms],
            "conjunctions": [list(c) for c in self.conjunctions],
            "linear": {
                k: None if v is None else [[str(a), str(b)] for a, b in v]
                for k, v in self.linear.items()
            },
            "latex": list(self.latex),
            "trees": self._trees(),
        }

    def _trees(self) -> dict[str, Any] | None:
        """The expressions as JSON trees (:mod:`bargain.symbolic.exprtree`), read back
        without SymPy by :mod:`bargain.symbolic.numeric_form`; None outside the grammar."""
        from bargain.symbolic.exprtree import to_tree

        try:
            return {
                "atoms": [to_tree(d) for d, _ in self.atoms],
                "free": [sorted(s.name for s in d.free_symbols) for d, _ in self.atoms],
                "linear": {
                    k: None if v is None else [[to_tree(a), to_tree(b)] for a, b in v]
                    for k, v in self.linear.items()
                },
            }
        except NotImplementedError:
            return None

    @classmethod
    def from_json(cls, data: Mapping[str, Any], symbols: Mapping[str, Any]) -> AgreementForm:
        """Rebuild a form from :meth:`to_json` text with the safe expression reader.

        Raises
        ------
        bargain.errors.ExpressionError
            If a stored expression is not in the reader's grammar.

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.load_model("entry_deterrence")
        >>> f = agreement_form(m, "entry", use_cache=False)
        >>> syms = {p.name: p.symbol for p in m.parameters.parameters}
        >>> AgreementForm.from_json(f.to_json(), syms).atoms == f.atoms
        True
        """
        from bargain.games.expression import parse_expression

        def read(text: str) -> Any:
            return parse_expression(text, symbols, where="derivation cache")

        names = tuple(data["names"])
        return cls(
            names=names,
            atoms=tuple((read(d), bool(st)) for d, st in data["atoms"]),
            conjunctions=tuple(tuple(int(k) for k in c) for c in data["conjunctions"]),
            linear={
                k: None if v is None else tuple((read(a), read(b)) for a, b in v)
                for k, v in data["linear"].items()
            },
            latex=tuple(data.get("latex", ())),
            symbols=tuple(symbols[n] for n in names),
        )


def _lambdify(symbols: tuple[Any, ...], exprs: list[Any]):
    import sympy

    return sympy.lambdify(symbols, exprs, modules="numpy")


def derive_form(conditions: Any, names: tuple[str, ...], symbols: tuple[Any, ...]):
    """The :class:`AgreementForm` of a :class:`~bargain.symbolic.Conditions` object."""
    import sympy

    from bargain.symbolic import _inequalities as iq

    dnf = conditions._dnf(conditions._agreement_or_raise())
    atoms = iq.atoms_in(dnf)
    conjunctions = tuple(tuple(atoms.index(a) for a in conj) for conj in dnf)
    by_name = dict(zip(names, symbols, strict=True))
    linear: dict[str, Any] = {}
    for name, x in by_name.items():
        pairs = []
        for d, _ in atoms:
            if x not in d.free_symbols:
                pairs.append((sympy.Integer(0), d))
                continue
            poly = d.as_poly(x) if d.is_polynomial(x) else None
            if poly is None or poly.degree() != 1:
                pairs = None
                break
            a = sympy.expand(d.coeff(x, 1))
            b = sympy.expand(d - a * x)
            if x in a.free_symbols or x in b.free_symbols:
                pairs = None
                break
            pairs.append((a, b))
        linear[name] = None if pairs is None else tuple(pairs)
    # symbols as the figures write them (Parameter.display_symbol), when there is a set
    params = getattr(conditions, "parameters", None)
    shown = {}
    if params is not None:
        shown = {by_name[p.name]: p.display_symbol.strip("$") for p in params.parameters}
    latex = tuple(sympy.latex(iq.relational(d, st), symbol_names=shown) for d, st in atoms)
    return AgreementForm(
        names=names,
        atoms=tuple(atoms),
        conjunctions=conjunctions,
        linear=linear,
        latex=latex,
        symbols=symbols,
    )


def agreement_form(
    model: Any,
    regime: str,
    *,
    structural: Mapping[str, float] | None = None,
    use_cache: bool = True,
) -> AgreementForm:
    """The agreement condition of `regime`, derived once (or read from the disk cache).

    Parameters
    ----------
    model : Model
    regime : str
    structural : mapping, optional
        Values of integer (structural) parameters (defaults otherwise).
    use_cache : bool
        Read and write the derivation cache (:mod:`bargain.symbolic.cache`).

    Examples
    --------
    >>> import bargain as bg
    >>> f = agreement_form(bg.load_model("entry_deterrence"), "entry_commitment")
    >>> f.linear["commitment_cost"] is not None
    True
    """
    from bargain.symbolic.cache import load_entry, model_key, store_entry

    params = model.parameters
    fixed = params.resolve(**dict(structural or {}))
    fixed = {p.name: fixed[p.name] for p in params.parameters if p.integer}
    names = tuple(params.names)
    symbols = {p.name: p.symbol for p in params.parameters}
    memo = model.__dict__.setdefault("_agreement_forms", {})
    from bargain.symbolic.cache import cache_dir

    # the memo is per cache folder, so that a new folder (tests, a cleared cache) is filled
    mkey = (regime, tuple(sorted(fixed.items())), str(cache_dir()) if use_cache else None)
    if mkey in memo:
        return memo[mkey]
    key = model_key(model, what="agreement_form", regime=regime, structural=fixed)
    form = None
    if use_cache:
        data = load_entry(key)
        if data is not None:
            try:
                form = AgreementForm.from_json(data, symbols)
            except (KeyError, TypeError, ValueError):
                form = None  # a damaged entry: derive again
    if form is None:
        c = model.conditions(regime, **fixed)
        form = derive_form(c, names, tuple(symbols[n] for n in names))
        if use_cache:
            store_entry(key, form.to_json())
    memo[mkey] = form
    return form
