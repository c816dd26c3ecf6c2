"""`conditions(game)`: the parameter regions in which each equilibrium path is played.

For a perfect-information :class:`~bargain.games.extensive_form.GameTree` the regions come
from symbolic backward induction (:mod:`bargain.symbolic.induction`) and form a partition
of parameter space: at every point exactly one case holds, and it is the path the numeric
solver (``bargain.solve(tree.numeric(...), method="spe", priority=agreement,
all_equilibria=False)``) returns.  For a :class:`~bargain.games.normal_form.NormalFormGame`
the cases are the pure equilibria (any size) and the interior mixed equilibrium (2×2) with
their existence conditions (:mod:`bargain.symbolic.normal_form`); several can hold at once.

The tie rule (identical to the numeric solver's): an indifferent mover takes the first
action, in declaration order, whose label is in `agreement`, else the lowest-index action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from bargain.errors import BargainError, ParameterError

# SymPy and the modules that use it are imported inside the functions, so that importing
# this module (and ``bargain.symbolic``, which re-exports from it) stays light.
if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from bargain.symbolic.induction import Piece
    from bargain.symbolic.threshold import Threshold

__all__ = ["Case", "Conditions"]

#: default tolerance of numeric evaluation: ``d >= 0`` holds when ``d >= -TOL``
TOL = 1e-10


def _lazy() -> tuple[Any, Any]:
    """SymPy and the inequality helpers, imported on first use."""
    import sympy

    from bargain.symbolic import _inequalities

    return sympy, _inequalities


class Case(NamedTuple):
    """One equilibrium path and the condition under which it is played."""

    path: tuple[str, ...]
    condition: Any
    payoffs: tuple[Any, ...]


@dataclass(frozen=True)
class Conditions:
    """Symbolic conditions of a game's equilibrium paths.

    Attributes
    ----------
    cases : tuple of Case
        ``(path, condition, payoffs)``: a SymPy Boolean (Or of And of inequalities) and the
        players' equilibrium payoffs (a ``Piecewise`` when they differ within the path).
        For a tree the conditions partition parameter space; for a normal-form game the
        agreement profile comes first, then the other pure profiles, then ``("mixed",)``.
    agreement_path : tuple of str or None
        The regime's agreement path (labels; one strategy per player for a normal form).
    symbols : tuple of sympy.Symbol
        Column order of :meth:`lambdify` (the ParameterSet order when there is one).
    parameters : ParameterSet or None
    kind : str
        ``"tree"`` or ``"normal_form"``.
    pieces : tuple of Piece
        Trees: the raw cases of backward induction, with every mover's strategy.
    mixed_strategies : tuple or None
        Normal form 2×2: the interior mixed equilibrium's probabilities per player.
    fixed : mapping of str to float
        Values of structural (integer) parameters the game was built with.
    """

    cases: tuple[Case, ...]
    agreement_path: tuple[str, ...] | None
    symbols: tuple[Any, ...]
    parameters: Any = None
    kind: str = "tree"
    players: tuple[str, ...] = ()
    pieces: tuple[Piece, ...] = ()
    mixed_strategies: tuple[tuple[Any, ...], ...] | None = None
    fixed: Mapping[str, float] = field(default_factory=dict)
    dnfs: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    # -- reading ------------------------------------------------------------------------
    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        """Equilibrium paths in case order (:meth:`lambdify` returns indices into this)."""
        return tuple(c.path for c in self.cases)

    def condition(self, path: Sequence[str]) -> Any:
        """Condition under which `path` is played (``false`` if it never is)."""
        sympy, _ = _lazy()
        path = tuple(path)
        for c in self.cases:
            if c.path == path:
                return c.condition
        return sympy.false

    def agreement(self) -> Any:
        """Condition under which the agreement path is the equilibrium path.

        Raises
        ------
        BargainError
            If no agreement path was given to :func:`conditions`.
        """
        return self.condition(self._agreement_or_raise())

    def _agreement_or_raise(self) -> tuple[str, ...]:
        if self.agreement_path is None:
            raise BargainError(
                "no agreement path was given; pass agreement=(labels...) to conditions()"
            )
        return self.agreement_path

    def _dnf(self, path: Sequence[str]) -> Any:
        path = tuple(path)
        for c, dnf in zip(self.cases, self.dnfs, strict=True):
            if c.path == path:
                return dnf
        return ()

    # -- numeric evaluation -------------------------------------------------------------
    def point(self, **values: float) -> tuple[float, ...]:
        """Parameter values in :attr:`symbols` order (defaults for those not given).

        Raises
        ------
        ParameterError
            For an unknown name, a value outside its bounds, a missing value (no
            ParameterSet), or a structural value different from the one in :attr:`fixed`.
        """
        for name, v in values.items():
            if name in self.fixed and float(v) != float(self.fixed[name]):
                raise ParameterError(
                    name,
                    f"the conditions were derived for {name} = {self.fixed[name]:g}; derive "
                    f"them again for {name} = {float(v):g}",
                )
        if self.parameters is not None:
            resolved = self.parameters.resolve(**values)
            return tuple(resolved[s.name] for s in self.symbols)
        names = [s.name for s in self.symbols]
        for name in values:
            if name not in names:
                raise ParameterError(name, f"unknown parameter; known: {', '.join(names)}")
        missing = [n for n in names if n not in values]
        if missing:
            raise ParameterError(missing[0], "no value given (the game has no ParameterSet)")
        return tuple(float(values[n]) for n in names)

    @cached_property
    def _atom_functions(self) -> dict[Any, Callable[..., float]]:
        sympy, iq = _lazy()
        atoms = iq.atoms_in(tuple(c for dnf in self.dnfs for c in dnf))
        return {a: sympy.lambdify(self.symbols, a[0], modules="math") for a in atoms}

    def _dnf_holds(self, dnf: Any, x: Sequence[float], tol: float) -> bool:
        fns = self._atom_functions
        for conj in dnf:
            ok = True
            for a in conj:
                v = float(fns[a](*x))
                if not (v > tol if a[1] else v >= -tol):
                    ok = False
                    break
            if ok:
                return True
        return False

    def holds(
        self, *, path: Sequence[str] | None = None, tol: float = TOL, **values: float
    ) -> bool:
        """Whether the agreement path (or `path`) is an equilibrium path at `values`.

        Parameters not given take the ParameterSet defaults.  An inequality ``d >= 0``
        counts as holding when ``d >= -tol`` and ``d > 0`` when ``d > tol``.

        Examples
        --------
        >>> import bargain as bg
        >>> c = bg.load_model("entry_deterrence").conditions("entry_commitment")
        >>> c.holds(commitment_cost=1.0), c.holds(commitment_cost=3.0)
        (True, False)
        """
        target = self._agreement_or_raise() if path is None else tuple(path)
        return self._dnf_holds(self._dnf(target), self.point(**values), tol)

    def outcome(self, *, tol: float = TOL, **values: float) -> tuple[str, ...] | None:
        """The equilibrium path at `values` (first case that holds; None if none does).

        Examples
        --------
        >>> import bargain as bg
        >>> bg.load_model("entry_deterrence").conditions("entry").outcome()
        ('In', 'Accommodate')
        """
        x = self.point(**values)
        for c, dnf in zip(self.cases, self.dnfs, strict=True):
            if self._dnf_holds(dnf, x, tol):
                return c.path
        return None

    def lambdify(
        self, *, backend: str = "numpy", tol: float = TOL
    ) -> Callable[[np.ndarray], np.ndarray]:
        """Classifier of parameter points: ``f(X) -> path ids`` (indices into :attr:`paths`).

        Parameters
        ----------
        backend : {"numpy", "numba"}
            ``"numpy"``: :func:`sympy.lambdify` to NumPy, vectorized.  ``"numba"``: the
            source of :meth:`source` compiled with ``numba.njit`` (on first call).
        tol : float
            Tie tolerance, as in :meth:`holds`.

        Returns
        -------
        callable
            Takes a float array ``(n_points, len(symbols))`` with columns in
            :attr:`symbols` order (the ParameterSet order, structural parameters included
            and ignored) and returns an int64 array of path ids, ``-1`` where no case
            holds (NaN input).

        Examples
        --------
        >>> import numpy as np, bargain as bg
        >>> c = bg.load_model("entry_deterrence").conditions("entry_commitment")
        >>> X = np.array([[2.0, 1.0, 5.0, 1.0], [2.0, 1.0, 5.0, 3.0]])
        >>> [c.paths[i] for i in c.lambdify()(X)]
        [('Commit', 'Out'), ('Open', 'In', 'Accommodate')]
        """
        from bargain.symbolic.codegen import numba_classifier, numpy_classifier

        if backend == "numpy":
            return numpy_classifier(self.dnfs, self.symbols, tol=tol)
        if backend == "numba":
            return numba_classifier(self.dnfs, self.symbols, tol=tol)
        raise BargainError(f"backend must be 'numpy' or 'numba', got {backend!r}")

    def source(self, *, name: str = "classify", tol: float = TOL) -> str:
        """Python source of the classifier, compilable with ``numba.njit(cache=True)``.

        A sweep writes it to a module file, imports it and wraps the function with
        ``numba.njit(cache=True)``; the function takes the design matrix (columns in
        :attr:`symbols` order) and returns path ids.  It uses only ``math``, ``numpy`` and
        float arithmetic.
        """
        from bargain.symbolic.codegen import classifier_source

        return classifier_source(self.dnfs, self.symbols, tol=tol, name=name)

    # -- rewriting ----------------------------------------------------------------------
    def simplified(self) -> Conditions:
        """Conditions with implied inequalities dropped and the logic simplified.

        Inequalities implied by the parameter bounds are dropped, conjunctions the bounds
        make impossible are removed, and each case's Boolean structure is simplified
        (``simplify_logic``, with ``d >= 0`` and ``d < 0`` recognized as complements; up
        to 10 distinct inequalities per case).
        """
        _, iq = _lazy()
        from bargain.symbolic.simplify import simplify_dnf

        bounds = iq.bounds_map(self.parameters)
        dnfs = tuple(simplify_dnf(d, bounds) for d in self.dnfs)
        cases = tuple(
            Case(c.path, iq.dnf_to_boolean(d), c.payoffs)
            for c, d in zip(self.cases, dnfs, strict=True)
        )
        keep = [k for k, d in enumerate(dnfs) if d]
        return replace(self, cases=tuple(cases[k] for k in keep), dnfs=tuple(dnfs[k] for k in keep))

    def _symbol(self, name: str) -> Any:
        for s in self.symbols:
            if s.name == name:
                return s
        names = ", ".join(s.name for s in self.symbols)
        raise ParameterError(name, f"unknown parameter; known: {names}")

    def thresholds(self, name: str, *, path: Sequence[str] | None = None) -> tuple[Threshold, ...]:
        """Every inequality of the (simplified) agreement condition involving `name`, solved.

        Returns one :class:`~bargain.symbolic.threshold.Threshold` per distinct inequality,
        in order of appearance (all cases of the condition).

        Raises
        ------
        BargainError
            If an inequality is not linear in the parameter or its coefficient's sign is
            not fixed by the bounds.
        """
        sympy, iq = _lazy()
        from bargain.symbolic.simplify import simplify_dnf
        from bargain.symbolic.threshold import solve_atom

        x = self._symbol(name)
        target = self._agreement_or_raise() if path is None else tuple(path)
        bounds = iq.bounds_map(self.parameters)
        dnf = simplify_dnf(self._dnf(target), bounds)
        out = []
        for atom in iq.atoms_in(dnf):
            if x in atom[0].free_symbols:
                t = solve_atom(atom, x, bounds)
                if all(
                    sympy.simplify(t.expression - u.expression) != 0 or t.direction != u.direction
                    for u in out
                ):
                    out.append(t)
        return tuple(out)

    def threshold(self, name: str, *, path: Sequence[str] | None = None) -> Threshold:
        """The agreement condition solved for one parameter.

        When one inequality involves `name`, its solution; when several bound it in the
        same direction, their ``Max`` (for ``>=``/``>``) or ``Min``: the binding one.

        Raises
        ------
        BargainError
            If the condition is a disjunction of several cases, no inequality involves the
            parameter, or it is bounded in both directions (use :meth:`thresholds`).

        Examples
        --------
        >>> import bargain as bg
        >>> c = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
        >>> str(c.threshold("q"))
        'q >= k_G/(M_G + s)'
        >>> str(c.threshold("M_R"))
        'M_R >= -c_R + rho'
        """
        _, iq = _lazy()
        from bargain.symbolic.simplify import simplify_dnf
        from bargain.symbolic.threshold import combine

        target = self._agreement_or_raise() if path is None else tuple(path)
        dnf = simplify_dnf(self._dnf(target), iq.bounds_map(self.parameters))
        if len(dnf) > 1:
            raise BargainError(
                f"the condition for {target} is a disjunction of {len(dnf)} cases; use "
                ".thresholds(name) for each inequality"
            )
        return combine(self.thresholds(name, path=target), name)

    # -- output -------------------------------------------------------------------------
    def _repr_latex_(self) -> str:
        return "$$" + self.latex() + "$$"

    def latex(self, *, thresholds: Iterable[str] = ()) -> str:
        """LaTeX for a paper: a ``cases`` environment with one line per path.

        Parameters
        ----------
        thresholds : iterable of str
            Parameters whose agreement threshold (:meth:`threshold`) is added, one line
            each: ``q^{*} = \\frac{k_G}{M_G + s}, \\quad \\text{agreement requires } q
            \\geq q^{*}``.

        Examples
        --------
        >>> import bargain as bg
        >>> c = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
        >>> print(c.latex(thresholds=["q"]))  # doctest: +NORMALIZE_WHITESPACE
        \\text{path} = \\begin{cases}
        \\text{Withdraw} \\to \\text{Comply} & \\text{if } q \\left(M_{G} + s\\right)
            \\geq k_{G} \\wedge M_{R} + c_{R} \\geq \\rho \\\\
        \\text{Stay} & \\text{if } \\left(q \\left(M_{G} + s\\right) \\geq k_{G} \\wedge \\rho
            > M_{R} + c_{R}\\right) \\vee \\left(k_{G} > q \\left(M_{G} + s\\right) \\wedge M_{R} q
            + \\rho +
            \\theta > M_{R} + c_{R}\\right) \\\\
        \\text{Withdraw} \\to \\text{Renege} & \\text{if } k_{G} > q \\left(M_{G} + s\\right)
            \\wedge M_{R} + c_{R} \\geq M_{R} q + \\rho + \\theta
        \\end{cases}
        <BLANKLINE>
        q^{*} = \\frac{k_{G}}{M_{G} + s}, \\quad \\text{agreement requires } q \\geq q^{*}
        """
        from bargain.symbolic.latex import cases_latex

        entries = [(c.path, d) for c, d in zip(self.cases, self.dnfs, strict=True)]
        ts = [self.threshold(n) for n in thresholds]
        return cases_latex(entries, ts)

    def __str__(self) -> str:
        lines = [f"{' -> '.join(c.path) or '(empty)'}: {c.condition}" for c in self.cases]
        return "\n".join(lines)
