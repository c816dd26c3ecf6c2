"""Payoffs too large or too small for float kernels: solve the game scaled by a power of two.

The float kernels subtract payoffs (ranges ``max - min``, regrets ``best - value``), so a
payoff near the float limit (``|u| > 8.9e307``) overflows to ``inf`` and then to NaN.
Payoffs above :data:`HUGE` in magnitude are divided by a power of two ``c`` that brings
the largest to ``[1, 2)``: exact in binary floating point (barring entries below
``c * 2**-1022``, which become subnormal), it changes no best response and no
equilibrium.  The equilibria's payoffs and regrets are then multiplied back by ``c``.

Payoffs whose largest magnitude is below :data:`TINY` (subnormal ones such as ``2e-313``,
where a rank test or a least-squares solve loses every digit) are likewise multiplied up
by a power of two, exactly.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numba import njit

__all__ = ["HUGE", "TINY", "needs_rescale", "power_of_two_scale", "rescaled"]

#: payoffs larger than this in magnitude are solved after division by a power of two
HUGE = 2.0**500
#: games whose largest payoff magnitude is below this (and not 0) are solved scaled up
TINY = 2.0**-500


@njit(cache=True)
def needs_rescale(A, B):  # pragma: no cover - compiled
    """Whether :func:`power_of_two_scale` of the bimatrix game ``(A, B)`` is not 1: some
    entry exceeds :data:`HUGE` in magnitude, or every entry of both is below :data:`TINY`
    and some is not 0."""
    top = 0.0
    for P in (A.ravel(), B.ravel()):
        for i in range(P.size):
            a = abs(P[i])
            if a > HUGE:
                return True
            top = max(top, a)
    return 0.0 < top < TINY


def power_of_two_scale(payoffs) -> float:
    """``2**e`` with the largest ``|payoff| / 2**e`` in ``[1, 2)`` when that largest
    magnitude is above :data:`HUGE` or (nonzero and) below :data:`TINY`; else 1.0.

    Examples
    --------
    >>> import numpy as np
    >>> power_of_two_scale([np.array([[1e308, -1e308]])]) == 2.0**1023
    True
    >>> power_of_two_scale([np.array([[3.0]])])
    1.0
    >>> power_of_two_scale([np.array([[0.0, 2**-1040]])]) == 2.0**-1040
    True
    """
    big = max(float(np.max(np.abs(p))) for p in payoffs)
    if not (big > HUGE or 0.0 < big < TINY):
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
        f"payoffs beyond 2**500 or all below 2**-500 in magnitude: solved with every payoff "
        f"divided by 2**{int(math.log2(c))} (exact; same equilibria), payoffs and regrets "
        "scaled back "
        f"({what})"
    )
    return dataclasses.replace(
        result,
        game=game,
        equilibria=equilibria,
        tolerance=result.tolerance * c,
        notes=(*result.notes, note),
    )
