"""Symbolic reading of games: conditions under which each equilibrium path is played.

SymPy is imported only when a function of this package first needs it: ``import bargain``
and ``import bargain.symbolic`` stay light.

* :func:`conditions` — symbolic backward induction on a perfect-information tree, or the
  equilibrium conditions of a normal-form game, as a :class:`Conditions` object with
  ``.agreement()``, ``.holds(**values)``, ``.outcome(**values)``, ``.threshold(name)``,
  ``.simplified()``, ``.latex()`` and ``.lambdify()`` (NumPy or Numba classifier).
* :class:`Threshold` — a condition solved for one parameter.
* :func:`agreement_path` — the path along which every mover takes an agreement action.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# cases.py (the result types) imports SymPy lazily, so this import is light; the function
# `conditions` (in build.py, which imports SymPy) is loaded on first use.
from bargain.symbolic.cases import Case, Conditions
from bargain.symbolic.paths import agreement_path

__all__ = ["Case", "Conditions", "Threshold", "agreement_path", "conditions"]


def __getattr__(name: str) -> Any:
    if name == "conditions":
        from bargain.symbolic.build import conditions

        globals()["conditions"] = conditions
        return conditions
    if name == "Threshold":
        from bargain.symbolic.threshold import Threshold

        globals()["Threshold"] = Threshold
        return Threshold
    raise AttributeError(f"module 'bargain.symbolic' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from bargain.symbolic.build import conditions
    from bargain.symbolic.threshold import Threshold
