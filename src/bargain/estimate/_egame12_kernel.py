"""The fused egame12 log-likelihood + derivative kernel (Numba, cached, arrays only).

See :mod:`bargain.estimate._egame12_lik` for the formulas; this is one pass per
observation instead of a dozen NumPy temporaries.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["egame12_kernel"]

_SQRT2 = math.sqrt(2.0)
_EPS = np.finfo(float).eps
_HI = 1.0 - np.finfo(float).epsneg
_INV_SQRT2PI = 1.0 / np.sqrt(2.0 * np.pi)


@njit(cache=True)
def _cdf_pdf(z, logit):
    if logit:
        e = 1.0 / (1.0 + math.exp(-z)) if z > -700.0 else 0.0
        pdf = e * (1.0 - e)
    else:
        e = 0.5 * math.erfc(-z / _SQRT2)
        pdf = math.exp(-0.5 * z * z) * _INV_SQRT2PI
    return min(max(e, _EPS), _HI), pdf


@njit(cache=True)
def egame12_kernel(y, u11, u13, u14, u24, lv1, lv2, logit, private, scaled, ll, d):
    # scaled=False: lv1 and lv2 are all zero and their exponentials (a third of the
    # transcendental calls) are skipped
    for i in range(y.shape[0]):
        sd4 = _SQRT2 * math.exp(lv2[i]) if scaled else _SQRT2
        a4 = u24[i] / sd4
        p4, f4 = _cdf_pdf(a4, logit)
        p3 = 1.0 - p4
        s = math.sqrt(1.0 + p3 * p3 + p4 * p4) if private else _SQRT2
        sd2 = math.exp(lv1[i]) * s if scaled else s
        z2 = (p3 * u13[i] + p4 * u14[i] - u11[i]) / sd2
        p2, f2 = _cdf_pdf(z2, logit)
        p1 = 1.0 - p2
        dz2_dp4 = (u14[i] - u13[i]) / sd2
        if private:
            dz2_dp4 -= z2 * (p4 - p3) / (s * s)
        if y[i] == 0:
            ll[i] = math.log(p1)
            dll_dz2 = -f2 / p1
            direct = 0.0
        elif y[i] == 1:
            ll[i] = math.log(p2) + math.log(p3)
            dll_dz2 = f2 / p2
            direct = -1.0 / p3
        else:
            ll[i] = math.log(p2) + math.log(p4)
            dll_dz2 = f2 / p2
            direct = 1.0 / p4
        dll_dp4 = dll_dz2 * dz2_dp4 + direct
        d[0, i] = -dll_dz2 / sd2
        d[1, i] = dll_dz2 * p3 / sd2
        d[2, i] = dll_dz2 * p4 / sd2
        d[3, i] = dll_dp4 * f4 / sd4
        d[4, i] = -dll_dz2 * z2
        d[5, i] = -dll_dp4 * f4 * a4
