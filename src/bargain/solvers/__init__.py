"""Equilibrium solvers: one module per method; kernels compile on first use.

The method functions are importable from here (``from bargain.solvers import
vertex_enumeration``); each module is imported only when its function is first used.
Functions named like their module (``logit``, ``zero_sum``, ``lemke_howson``,
``sequence_form``) are not listed: importing the module would rebind the name to the
module; use ``bargain.solve(game, method=...)`` or
``from bargain.solvers.normal_form.logit import logit``.
"""

import importlib
from typing import Any

from bargain.solvers.api import METHODS, regret, solve
from bargain.solvers.result import Equilibrium, SolveResult

_LAZY = {
    **{fn: module for module, fn in METHODS.values() if not module.endswith("." + fn)},
    "eliminate_dominated": "bargain.solvers.normal_form.dominance",
    "qre_path": "bargain.solvers.normal_form.logit",
    "verify_exact": "bargain.solvers.normal_form.exact",
    "to_fraction_profile": "bargain.solvers.normal_form.exact",
    "max_regret": "bargain.solvers.verify",
    "regrets": "bargain.solvers.verify",
    "solve_family": "bargain.solvers.normal_form.family",
}

__all__ = ["METHODS", "Equilibrium", "SolveResult", "regret", "solve", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bargain.solvers' has no attribute {name!r}")
