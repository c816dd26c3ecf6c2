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

# conditions.py imports SymPy lazily, so this import is light; importing the function here
# also keeps the name `conditions` bound to the function rather than to the submodule.
from bargain.symbolic.conditions import Case, Conditions, conditions
from bargain.symbolic.paths import agreement_path

__all__ = ["Case", "Conditions", "Threshold", "agreement_path", "conditions"]


def __getattr__(name: str) -> Any:
    if name == "Threshold":
        from bargain.symbolic.threshold import Threshold

        globals()["Threshold"] = Threshold
        return Threshold
    raise AttributeError(f"module 'bargain.symbolic' has no attribute {name!r}")


if TYPE_CHECKING:  # pragma: no cover
    from bargain.symbolic.threshold import Threshold
