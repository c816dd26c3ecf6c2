"""The egame12 likelihood: probabilities (NumPy, for predictions) and, for fitting, the
log-likelihood with its analytic derivatives (one cached Numba pass, imported on use).

The game (Signorino 2003, *Political Analysis* 11: 316–344): player 1 keeps the status
quo (outcome 1, utility ``u11``) or escalates; then player 2 backs down (outcome 3,
utilities ``u13``, 0) or fights (outcome 4, ``u14``, ``u24``).  With scale ``v`` of each
action's (agent) or outcome's (private) error,

    p4 = F(u24 / (√2 v2)),     p3 = 1 − p4,
    p2 = F((p3 u13 + p4 u14 − u11) / s2),     p1 = 1 − p2,

with ``s2 = √2 v1`` under agent error and ``s2 = v1 √(1 + p3² + p4²)`` under private
information (player 1's outcome errors enter the expected utility of escalating with
weights p3 and p4).  ``F`` is the standard normal (probit) or logistic (logit) CDF.
"""

from __future__ import annotations

import numpy as np

from bargain.estimate._links import link_cdf

__all__ = ["egame12_derivatives", "egame12_probs"]

_SQRT2 = np.sqrt(2.0)


def egame12_probs(u11, u13, u14, u24, lv1, lv2, *, link: str, private: bool):
    """Action probabilities ``(p1, p2, p3, p4)`` and intermediates ``(a4, sd4, z2, sd2, s)``."""
    sd4 = _SQRT2 * np.exp(lv2)
    a4 = u24 / sd4
    p4 = link_cdf(link, a4)
    p3 = 1.0 - p4
    d = p3 * u13 + p4 * u14 - u11
    s = np.sqrt(1.0 + p3 * p3 + p4 * p4) if private else _SQRT2
    sd2 = np.exp(lv1) * s
    z2 = d / sd2
    p2 = link_cdf(link, z2)
    p1 = 1.0 - p2
    return p1, p2, p3, p4, (a4, sd4, z2, sd2, s)


def egame12_derivatives(y, u11, u13, u14, u24, lv1, lv2, *, link: str, private: bool):
    """Log-likelihood per observation and its derivatives in the six indices.

    Returns ``ll`` and a ``(6, n)`` array of ``d ll / d(u11, u13, u14, u24, lv1, lv2)``,
    where ``lv1``, ``lv2`` are the players' log scales.  One fused pass per observation
    (Numba, compiled on first use and cached).
    """
    n = y.shape[0]
    f = np.ascontiguousarray
    ll = np.empty(n)
    d = np.empty((6, n))
    from bargain.estimate._egame12_kernel import egame12_kernel  # Numba only when fitting

    egame12_kernel(
        f(y, dtype=np.int64),
        f(u11, dtype=float),
        f(u13, dtype=float),
        f(u14, dtype=float),
        f(u24, dtype=float),
        f(lv1, dtype=float),
        f(lv2, dtype=float),
        link == "logit",
        bool(private),
        bool(np.any(lv1) or np.any(lv2)),
        ll,
        d,
    )
    return ll, d
