"""Link functions of the strategic models: the CDF of the error difference and its density.

Probit: standard normal; logit: standard logistic.  Probabilities are kept inside (0, 1)
by at least machine epsilon (as R ``games`` does), so log-likelihoods stay finite.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from bargain.errors import ParameterError

__all__ = ["LINKS", "check_link", "clip", "link_cdf", "link_pdf"]

LINKS = ("probit", "logit")
_EPS = np.finfo(float).eps
_HI = 1.0 - np.finfo(float).epsneg


def check_link(link: str) -> str:
    """Validate a link name."""
    if link not in LINKS:
        raise ParameterError("link", f"must be one of {', '.join(LINKS)}, got {link!r}")
    return link


def clip(p: np.ndarray) -> np.ndarray:
    """Keep probabilities numerically inside (0, 1)."""
    return np.clip(p, _EPS, _HI)


def link_cdf(link: str, z: np.ndarray) -> np.ndarray:
    """The link's CDF at `z` (clipped into (0, 1))."""
    return clip(special.ndtr(z) if link == "probit" else special.expit(z))


def link_pdf(link: str, z: np.ndarray) -> np.ndarray:
    """The link's density at `z`."""
    if link == "probit":
        return np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
    e = special.expit(z)
    return e * (1.0 - e)
