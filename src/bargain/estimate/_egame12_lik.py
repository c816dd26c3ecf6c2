"""The egame12 likelihood and its analytic derivatives (vectorized NumPy).

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

from bargain.estimate._links import link_cdf, link_pdf

__all__ = ["egame12_derivatives", "egame12_probs"]

_SQRT2 = np.sqrt(2.0)


def egame12_probs(u11, u13, u14, u24, lv1, lv2, *, link: str, private: bool):
    """Action probabilities ``(p1, p2, p3, p4)`` and the intermediates of the gradient."""
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


def egame12_loglik(y, probs):
    """Per-observation log-likelihood; ``y`` is the outcome code 0, 1 or 2."""
    p1, p2, p3, p4 = probs[:4]
    return np.where(y == 0, np.log(p1), np.log(p2) + np.log(np.where(y == 1, p3, p4)))


def egame12_derivatives(y, u11, u13, u14, u24, lv1, lv2, *, link: str, private: bool):
    """Log-likelihood per observation and its derivatives in the six indices.

    Returns ``ll`` and a tuple ``(d/du11, d/du13, d/du14, d/du24, d/dlv1, d/dlv2)``
    (each of shape ``(n,)``), where ``lv1``, ``lv2`` are the players' log scales.
    """
    probs = egame12_probs(u11, u13, u14, u24, lv1, lv2, link=link, private=private)
    p1, p2, p3, p4, (a4, sd4, z2, sd2, s) = probs
    ll = egame12_loglik(y, probs)
    f4 = link_pdf(link, a4)
    f2 = link_pdf(link, z2)
    dp4_du24 = f4 / sd4
    dp4_dlv2 = -f4 * a4
    dz2_dp4 = (u14 - u13) / sd2
    if private:
        dz2_dp4 = dz2_dp4 - z2 * (p4 - p3) / (s * s)
    dll_dz2 = np.where(y == 0, -f2 / p1, f2 / p2)
    direct = np.where(y == 0, 0.0, np.where(y == 1, -1.0 / p3, 1.0 / p4))
    dll_dp4 = dll_dz2 * dz2_dp4 + direct
    return ll, (
        -dll_dz2 / sd2,
        dll_dz2 * p3 / sd2,
        dll_dz2 * p4 / sd2,
        dll_dp4 * dp4_du24,
        -dll_dz2 * z2,
        dll_dp4 * dp4_dlv2,
    )
