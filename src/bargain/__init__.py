"""bargain: game-theoretic analysis of negotiations.

Games with symbolic payoffs, exact equilibrium solvers compiled with Numba, bargaining
theory with closed forms, symbolic derivation of the conditions under which an agreement
holds, and parameter sweeps that write paper-ready tables.

``import bargain`` is cheap: names below are imported on first use, and no Numba kernel
is compiled until a solver runs.

Examples
--------
>>> import bargain as bg
>>> g = bg.NormalFormGame([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> g.shape
(2, 2)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bargain._version import __version__

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "errors": "bargain.errors",
    "BargainError": "bargain.errors",
    "Parameter": "bargain.games.parameters",
    "ParameterSet": "bargain.games.parameters",
    "NormalFormGame": "bargain.games.normal_form",
    "GameTree": "bargain.games.extensive_form",
    "Decision": "bargain.games.extensive_form",
    "Chance": "bargain.games.extensive_form",
    "Terminal": "bargain.games.extensive_form",
    "read_game": "bargain.games.gambit_io",
    "write_game": "bargain.games.gambit_io",
    "Equilibrium": "bargain.solvers.result",
    "SolveResult": "bargain.solvers.result",
    "solve": "bargain.solvers.api",
    "regret": "bargain.solvers.api",
    "sobol": "bargain.sweep.sensitivity",
    "Model": "bargain.models",
    "Regime": "bargain.models",
    "Output": "bargain.models",
    "Reference": "bargain.models",
    "load_model": "bargain.models",
    "list_models": "bargain.models",
}
_SUBPACKAGES = (
    "bargaining",
    "datasets",
    "dynamic",
    "estimate",
    "formats",
    "games",
    "report",
    "solvers",
    "symbolic",
    "sweep",
)
# `bargain.sweep` is the sweep package, whose module object is callable as the sweep
# function (docs/explanation/architecture.md: bg.sweep(model, regime, vary=...)).

__all__ = ["__version__", *sorted(_EXPORTS), *_SUBPACKAGES]


#: names whose use may meet a game kind defined in a higher package; importing the package
#: registers the kind with bargain.games (reading JSON) and bargain.solvers (solving)
_NEEDS_KINDS = ("read_game", "write_game")


def __getattr__(name: str) -> Any:
    if name in _NEEDS_KINDS:
        importlib.import_module("bargain.dynamic")  # "kind": "stochastic"; cheap, no Numba
    if name in _EXPORTS:
        module = importlib.import_module(_EXPORTS[name])
        value = module if module.__name__ == f"bargain.{name}" else getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"bargain.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'bargain' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the public names only: no Any, importlib or other names of this module's own code
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bargain import errors
    from bargain.errors import BargainError
    from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
    from bargain.games.gambit_io import read_game, write_game
    from bargain.games.normal_form import NormalFormGame
    from bargain.games.parameters import Parameter, ParameterSet
    from bargain.models import Model, Output, Regime, list_models, load_model
    from bargain.solvers.api import regret, solve
    from bargain.solvers.result import Equilibrium, SolveResult
    from bargain.sweep.sensitivity import sobol
