"""Closed-form bargaining theory, each result with a SymPy twin and a game version.

* :mod:`~bargain.bargaining.rubinstein` -- alternating offers (Rubinstein 1982) with breakdown
  risk (Binmore, Rubinstein & Wolinsky 1986), a deadline and outside options (Binmore, Shaked
  & Sutton 1989);
* :mod:`~bargain.bargaining.axiomatic` -- Nash (1950), Kalai–Smorodinsky (1975) and
  egalitarian (Kalai 1977) solutions;
* :mod:`~bargain.bargaining.war` -- Fearon's (1995) bargaining range and screening;
* :mod:`~bargain.bargaining.commitment` -- Powell's (2006) commitment problem;
* :mod:`~bargain.bargaining.inspection` -- verification as an inspection game (Kilgour &
  Brams 1992).

Importing this package imports neither SymPy nor SciPy nor Numba; the ``*_symbolic`` functions
and ``.formula`` import SymPy when called.

Examples
--------
>>> from bargain import bargaining
>>> bargaining.rubinstein(0.9, 0.9).shares[0] > 0.5  # first-mover advantage
True
"""

from bargain.bargaining.axiomatic import (
    BargainingSolution,
    egalitarian,
    egalitarian_symbolic,
    kalai_smorodinsky,
    kalai_smorodinsky_symbolic,
    nash_solution,
    nash_solution_symbolic,
)
from bargain.bargaining.commitment import (
    PhasedShift,
    PowellCondition,
    phased_shift,
    phased_shift_symbolic,
    powell_peace_condition,
    powell_peace_condition_symbolic,
)
from bargain.bargaining.inspection import (
    InspectionEquilibrium,
    inspection_equilibrium,
    inspection_equilibrium_symbolic,
    inspection_game,
)
from bargain.bargaining.rubinstein import (
    RubinsteinSolution,
    rubinstein,
    rubinstein_game,
    rubinstein_symbolic,
)
from bargain.bargaining.war import (
    FearonRange,
    FearonScreening,
    fearon_game,
    fearon_range,
    fearon_range_symbolic,
    fearon_screening,
    fearon_screening_game,
    fearon_screening_symbolic,
)

__all__ = [
    "BargainingSolution",
    "FearonRange",
    "FearonScreening",
    "InspectionEquilibrium",
    "PhasedShift",
    "PowellCondition",
    "RubinsteinSolution",
    "egalitarian",
    "egalitarian_symbolic",
    "fearon_game",
    "fearon_range",
    "fearon_range_symbolic",
    "fearon_screening",
    "fearon_screening_game",
    "fearon_screening_symbolic",
    "inspection_equilibrium",
    "inspection_equilibrium_symbolic",
    "inspection_game",
    "kalai_smorodinsky",
    "kalai_smorodinsky_symbolic",
    "nash_solution",
    "nash_solution_symbolic",
    "phased_shift",
    "phased_shift_symbolic",
    "powell_peace_condition",
    "powell_peace_condition_symbolic",
    "rubinstein",
    "rubinstein_game",
    "rubinstein_symbolic",
]
