"""Case-study models: parameters plus named game builders ("regimes").

A model module lives in the top-level ``models/`` folder (shipped in the wheel as
``bargain._models``) and exports ``MODEL``, a :class:`Model`.  ``load_model`` finds it by
name, or loads any ``.py`` file given by path.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bargain.errors import BargainError, ModelError, ParameterError
from bargain.formats.references import Reference, as_reference
from bargain.games.parameters import ParameterSet

__all__ = ["Model", "Output", "Reference", "Regime", "list_models", "load_model", "model_dirs"]


@dataclass(frozen=True)
class Regime:
    """One protocol of a model: a builder of its game.

    Parameters
    ----------
    name : str
        Identifier (``withdraw_first``).
    build : callable
        ``build(p)`` returns a GameTree or NormalFormGame; ``p`` has one attribute per
        parameter: a SymPy symbol, or a plain ``int`` for integer (structural) parameters
        such as a number of tranches.
    description : str
    agreement : sequence of str, optional
        Action labels of the regime's agreement path in a tree (for a normal-form regime:
        one strategy label per player).
    profile : callable, optional
        A regime whose game is a :class:`~bargain.dynamic.StochasticGame` names its
        agreement as a stationary profile: ``profile(p)`` (the same ``p`` as ``build``)
        returns one tuple of action labels (one per player) per state.  Such a regime's
        ``build`` also accepts plain numbers in ``p`` (fast numeric games for sweeps), and
        its first state is where play starts (:mod:`bargain.dynamic.regime`).
    fixed : sequence of str
        Stochastic regimes: parameters that :meth:`Model.conditions` sets to numbers
        (defaults or given values) because the exact value solve needs them numeric (the
        discount factor, probabilities in the profile's own transitions).

    Examples
    --------
    >>> r = Regime("demo", lambda p: None, "a regime", agreement=("Enter", "Accommodate"))
    >>> r.agreement
    ('Enter', 'Accommodate')
    """

    name: str
    build: Callable[[Any], Any]
    description: str = ""
    agreement: tuple[str, ...] | None = None
    profile: Callable[[Any], Any] | None = None
    fixed: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.agreement is not None:
            object.__setattr__(self, "agreement", tuple(self.agreement))
        object.__setattr__(self, "fixed", tuple(self.fixed))


@dataclass(frozen=True)
class Output:
    """A named scalar quantity of a model, computed directly from its parameters.

    Closed-form results (a bargaining range, a war probability, a threshold) that are not
    the equilibrium of a regime's game but that sweeps and sensitivity analyses report.

    Parameters
    ----------
    name : str
    function : callable
        ``function(p)`` where ``p`` has one attribute per parameter holding a NumPy array
        (one value per point); returns an array of the same length (or a scalar).
    description, unit : str

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> o = Output("gap", lambda p: p.a - p.b, "a minus b")
    >>> o.function(SimpleNamespace(a=np.array([3.0]), b=np.array([1.0]))).tolist()
    [2.0]
    """

    name: str
    function: Callable[[Any], Any]
    description: str = ""
    unit: str = ""


@dataclass(frozen=True)
class Model:
    """A case-study model: parameters, regimes and the sources they rest on.

    Examples
    --------
    >>> import bargain as bg
    >>> m = bg.load_model("entry_deterrence")
    >>> sorted(m.regimes)
    ['entry', 'entry_commitment']
    >>> m.game("entry", fight_cost=5).title
    'entry deterrence'
    """

    name: str
    title: str
    description: str
    parameters: ParameterSet
    regimes: Mapping[str, Regime]
    #: the sources: :class:`Reference` records (a plain string is kept as a ``misc`` note)
    references: tuple[Reference, ...] = ()
    #: (x, y) parameters of the report's region figure; default: the first two parameters
    #: of the agreement conditions
    report_axes: tuple[str, str] | None = None
    #: closed-form scalar outputs (see :class:`Output`), by name
    outputs: Mapping[str, Output] = field(default_factory=dict)
    #: extra report tables, by name: ``function(model)`` returns a pandas DataFrame
    #: (the stochastic report, :mod:`bargain.report.dynamic`, writes each one)
    tables: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    source_path: str | None = field(default=None, compare=False)

    def _repr_html_(self) -> str:
        from bargain.games.display import parameters_html

        regimes = ", ".join(self.regimes)
        return parameters_html(f"{self.title} ({self.name})", self.parameters,
                               caption=f"regimes: {regimes}")  # fmt: skip

    def __repr__(self) -> str:
        n = len(self.parameters)
        return f"<Model {self.name!r}: {n} parameters, regimes {list(self.regimes)}>"

    def __post_init__(self) -> None:
        regimes = self.regimes
        if isinstance(regimes, Sequence):
            regimes = {r.name: r for r in regimes}
        if not regimes:
            raise ModelError(f"model {self.name!r} defines no regime")
        object.__setattr__(self, "regimes", dict(regimes))
        outputs = self.outputs
        if isinstance(outputs, Sequence):
            outputs = {o.name: o for o in outputs}
        object.__setattr__(self, "outputs", dict(outputs))
        if isinstance(self.references, str | Reference):
            raise ModelError(f"model {self.name!r}: references must be a tuple of references")
        refs = []
        for k, item in enumerate(self.references):
            try:
                refs.append(as_reference(item, where=f"model {self.name!r}: references[{k}]"))
            except BargainError as exc:
                raise ModelError(str(exc)) from None
        object.__setattr__(self, "references", tuple(refs))
        object.__setattr__(self, "tables", dict(self.tables))
        for name in self.report_axes or ():
            self.parameters[name]  # raises ParameterError naming an unknown axis
        for r in self.regimes.values():
            for name in r.fixed:
                self.parameters[name]  # a stochastic regime's fixed parameter must exist

    def regime(self, name: str) -> Regime:
        """The regime called `name` (clear error listing the known ones otherwise)."""
        try:
            return self.regimes[name]
        except KeyError:
            raise ModelError(
                f"model {self.name!r} has no regime {name!r}; regimes: {', '.join(self.regimes)}"
            ) from None

    def namespace(self, **values: float) -> SimpleNamespace:
        """Symbols for continuous parameters, validated ints for integer ones."""
        resolved = self.parameters.resolve(**values)
        ns = {}
        for p in self.parameters.parameters:
            ns[p.name] = int(resolved[p.name]) if p.integer else p.symbol
        return SimpleNamespace(**ns)

    def game(self, regime: str, *, symbolic: bool = False, **values: float) -> Any:
        """Build a regime's game: numeric at the defaults with `values` applied, or symbolic.

        Integer (structural) parameters such as a number of tranches are always numbers.
        """
        r = self.regime(regime)
        game = r.build(self.namespace(**values))
        if symbolic:
            return game
        if getattr(game, "is_symbolic", False):
            return game.numeric(**values)
        return game

    def solve(self, regime: str, *, method: str = "auto", **values: float):
        """Solve a regime at one parameter point.

        Returns a :class:`bargain.solution.ModelSolution` with ``.path``, ``.payoffs`` and
        ``.agreement`` (whether the regime's agreement path is the equilibrium path).
        """
        from bargain.solution import solve_model

        self.regime(regime)
        self.parameters.resolve(**values)
        return solve_model(self, regime, method=method, **values)

    def conditions(self, regime: str, **structural: float):
        """Symbolic conditions under which each equilibrium path is the SPE.

        For a stochastic regime (one with a ``profile``): the conditions under which its
        agreement profile is a Markov perfect equilibrium
        (:func:`bargain.dynamic.regime.regime_conditions`).

        Parameters
        ----------
        regime : str
        **structural : float
            Values of integer (structural) parameters such as a number of tranches
            (defaults otherwise); the tree is built with them.  Stochastic regimes also
            take values for their ``fixed`` parameters.

        Returns
        -------
        bargain.symbolic.Conditions
        """
        from bargain.symbolic import conditions

        r = self.regime(regime)
        if r.profile is not None:  # a stochastic regime: one-shot-deviation conditions
            from bargain.dynamic.regime import regime_conditions

            cache = self.__dict__.setdefault("_conditions_cache", {})
            key = (regime, tuple(sorted(self.parameters.resolve(**structural).items())))
            if key not in cache:
                cache[key] = regime_conditions(self, regime, **structural)
            return cache[key]
        integer = {p.name for p in self.parameters.parameters if p.integer}
        other = sorted(set(structural) - integer)
        if other:
            raise ParameterError(
                other[0], "is not structural (integer); conditions keep it as a symbol"
            )
        values = self.parameters.resolve(**structural)
        fixed = {name: values[name] for name in integer}
        # derivation can take seconds and a report asks for it many times: keep each one
        cache = self.__dict__.setdefault("_conditions_cache", {})
        key = (regime, tuple(sorted(fixed.items())))
        if key not in cache:
            game = self.game(regime, symbolic=True, **structural)
            cache[key] = conditions(game, agreement=r.agreement, fixed=fixed or None)
        return cache[key]

    def evaluate_output(self, name: str, points: Any) -> Any:
        """Evaluate the closed-form output `name` at each row of `points` (parameter order).

        Examples
        --------
        >>> import bargain as bg
        >>> m = bg.load_model("entry_deterrence")
        >>> m.evaluate_output("commitment_margin", [m.parameters.vector()]).tolist()
        [1.0]
        """
        import numpy as np

        try:
            out = self.outputs[name]
        except KeyError:
            known = ", ".join(self.outputs) or "none"
            raise ModelError(
                f"model {self.name!r} has no output {name!r}; outputs: {known}"
            ) from None
        pts = np.atleast_2d(np.asarray(points, dtype=float))
        if pts.shape[1] != len(self.parameters):
            raise ParameterError(
                "points", f"expected {len(self.parameters)} columns, got {pts.shape[1]}"
            )
        ns = SimpleNamespace(**{n: pts[:, k] for k, n in enumerate(self.parameters.names)})
        value = np.asarray(out.function(ns), dtype=float)
        return np.broadcast_to(value, (len(pts),)).copy()

    def source_hash(self) -> str:
        """SHA-256 of the model's source file (provenance for manifests)."""
        if not self.source_path:
            return ""
        return hashlib.sha256(Path(self.source_path).read_bytes()).hexdigest()


def model_dirs() -> list[Path]:
    """Folders searched for models, in order.

    ``$BARGAIN_MODELS_PATH`` (``os.pathsep``-separated) first, then the ``models/`` folder
    shipped inside the installed package, then the repository's ``models/`` folder when
    running from a clone.
    """
    dirs: list[Path] = []
    env = os.environ.get("BARGAIN_MODELS_PATH", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    here = Path(__file__).resolve().parent
    dirs.append(here / "_models")
    dirs.append(here.parents[1] / "models")
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


def list_models() -> list[str]:
    """Names of the models that :func:`load_model` can find by name.

    Examples
    --------
    >>> import bargain as bg
    >>> "entry_deterrence" in bg.list_models()
    True
    """
    names: set[str] = set()
    for d in model_dirs():
        for f in d.glob("*.py"):
            if not f.name.startswith("_"):
                names.add(f.stem)
    return sorted(names)


_CACHE: dict[str, Model] = {}


def load_model(name_or_path: str | os.PathLike[str]) -> Model:
    """Load a model by name (from the model folders) or from a ``.py`` file.

    Raises
    ------
    ModelError
        If no such model exists (the message lists the known ones), the file does not
        define ``MODEL``, or ``MODEL`` is not a :class:`Model`.

    Examples
    --------
    >>> import bargain as bg
    >>> bg.load_model("entry_deterrence").parameters.names
    ('entrant_profit', 'fight_cost', 'monopoly_profit', 'commitment_cost')
    """
    text = os.fspath(name_or_path)
    path = Path(text)
    if text.endswith(".py") or os.sep in text or "/" in text:
        if not path.is_file():
            raise ModelError(f"model file not found: {text}")
    else:
        if not text.isidentifier():
            raise ModelError(f"{text!r} is neither a model name nor a .py file")
        for d in model_dirs():
            if (d / f"{text}.py").is_file():
                path = d / f"{text}.py"
                break
        else:
            known = ", ".join(list_models()) or "none"
            raise ModelError(f"no model named {text!r}; known models: {known}")
    key = str(path.resolve())
    if key in _CACHE:
        return _CACHE[key]
    module_name = f"bargain_model_{path.stem}_{hashlib.sha1(key.encode()).hexdigest()[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ModelError(f"cannot load model file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        raise ModelError(f"{path}: loading the model failed: {type(exc).__name__}: {exc}") from exc
    model = getattr(module, "MODEL", None)
    if not isinstance(model, Model):
        raise ModelError(f"{path}: must define MODEL = bargain.Model(...)")
    if model.source_path is None:
        object.__setattr__(model, "source_path", str(path))
    _CACHE[key] = model
    return model
