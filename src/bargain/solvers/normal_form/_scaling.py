"""Payoffs too large for float kernels: solve the game divided by a power of two.

The float kernels subtract payoffs (ranges ``max - min``, regrets ``best - value``), so a
payoff near the float limit (``|u| > 8.9e307``) overflows to ``inf`` and then to NaN.
Payoffs above :data:`HUGE` in magnitude are divided by a power of two ``c`` that brings
the largest to ``[1, 2)``: exact in binary floating point (barring entries below
``c * 2**-1022``, which become subnormal), it changes no best response and no
equilibrium.  The equilibria's payoffs and regrets are then multiplied back by ``c``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numba import njit

__all__ = ["HUGE", "power_of_two_scale", "rescaled", "too_large"]

#: payoffs larger than this in magnitude are solved after division by a power of two
HUGE = 2.0**500


@njit(cache=True)
def too_large(P):  # pragma: no cover - compiled
    """Whether some entry of `P` exceeds :data:`HUGE` in magnitude."""
    x = P.ravel()
    for i in range(x.size):
        if abs(x[i]) > HUGE:
            return True
    return False


def power_of_two_scale(payoffs) -> float:
    """``2**e`` with the largest ``|payoff| / 2**e`` in ``[1, 2)``, or 1.0 when every
    payoff is at most :data:`HUGE` in magnitude.

    Examples
    --------
    >>> import numpy as np
    >>> power_of_two_scale([np.array([[1e308, -1e308]])]) == 2.0**1023
    True
    >>> power_of_two_scale([np.array([[3.0]])])
    1.0
    """
    big = max(float(np.max(np.abs(p))) for p in payoffs)
    if not big > HUGE:
        return 1.0
    return math.ldexp(1.0, math.frexp(big)[1] - 1)


def rescaled(game: Any, c: float, solve, relative_tol: bool, info_keys: tuple[str, ...] = ()):
    """``solve`` on `game` with every payoff divided by `c`, its result mapped back.

    Equilibrium payoffs and regrets are multiplied by `c`; so is the result's tolerance
    when `relative_tol` is False (an absolute tolerance then applies to the scaled game,
    i.e. it is relative to `c`), and a note says so.  The entries `info_keys` of each
    equilibrium's ``info`` are payoffs too and are multiplied by `c`.

    Examples
    --------
    >>> from bargain.games.normal_form import NormalFormGame
    >>> from bargain.solvers.normal_form.pure import pure_nash
    >>> g = NormalFormGame([[[1e308]], [[-1e308]]])
    >>> r = rescaled(g, 2.0**1023, pure_nash, False)
    >>> r[0].payoffs.tolist()
    [1e+308, -1e+308]
    """
    from bargain.games.normal_form import NormalFormGame

    scaled = NormalFormGame([np.ascontiguousarray(np.asarray(p) / c) for p in game.payoffs])
    result = solve(scaled)
    equilibria = tuple(
        dataclasses.replace(
            eq,
            payoffs=eq.payoffs * c,
            max_regret=float(eq.max_regret * c),
            info={k: v * c if k in info_keys else v for k, v in eq.info.items()},
        )
        for eq in result.equilibria
    )
    what = "relative tolerance unchanged" if relative_tol else "tol applied to the scaled game"
    note = (
        f"payoffs above 2**500 in magnitude: solved with every payoff divided by 2**"
        f"{int(math.log2(c))} (exact; same equilibria), payoffs and regrets scaled back "
        f"({what})"
    )
    return dataclasses.replace(
        result,
        game=game,
        equilibria=equilibria,
        tolerance=result.tolerance * c,
        notes=(*result.notes, note),
    )
