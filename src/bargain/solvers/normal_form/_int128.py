"""Exact products of int64 numbers in 128 bits, for fraction-free pivoting in Numba.

Private helper of :mod:`bargain.solvers.normal_form._polytope`.  In fraction-free (Edmonds/Bareiss)
pivoting every tableau entry is a minor of the input and fits in int64 long after the
intermediate products ``p * a - f * b`` do not.  These kernels compute such expressions
exactly:

* :func:`cmp_prod` gives the sign of ``a * b - c * d`` from the 128-bit two's-complement
  products;
* :func:`exact_quot` gives ``(a * b - c * d) / det`` when the division is known to be exact
  and the quotient to fit in int64: with ``det = 2**s * o`` (``o`` odd), the low 64 bits of
  ``N >> s`` times the inverse of ``o`` modulo ``2**64`` (Newton's iteration) is the
  quotient modulo ``2**64``, hence the quotient itself.

Whether the quotient fits is decided by the caller from a float estimate with a safety
margin (:func:`quot_fits`); everything else is exact integer arithmetic on uint64 words.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["cmp_prod", "exact_quot", "quot_fits", "small_prod"]

_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)
_SMALL = 4.0e18  # |a * b| below this fits in int64 with room for one addition
_FITS = 2.0**61  # a quotient estimated below this (error included) fits in int64


@njit(cache=True)
def small_prod(a, b):
    """Whether ``a * b`` (int64) certainly fits in int64 with room for a sum of two."""
    return abs(float(a)) * abs(float(b)) < _SMALL


@njit(cache=True)
def _umul(a, b):
    """128-bit product of two uint64 as (hi, lo)."""
    a_lo = a & _M32
    a_hi = a >> _S32
    b_lo = b & _M32
    b_hi = b >> _S32
    ll = a_lo * b_lo
    lh = a_lo * b_hi
    hl = a_hi * b_lo
    hh = a_hi * b_hi
    mid = (ll >> _S32) + (lh & _M32) + (hl & _M32)
    lo = (ll & _M32) | (mid << _S32)
    hi = hh + (lh >> _S32) + (hl >> _S32) + (mid >> _S32)
    return hi, lo


@njit(cache=True)
def _smul(a, b):
    """128-bit two's-complement product of two int64 (|a|, |b| < 2**63) as (hi, lo)."""
    ua = np.uint64(-a) if a < 0 else np.uint64(a)
    ub = np.uint64(-b) if b < 0 else np.uint64(b)
    hi, lo = _umul(ua, ub)
    if (a < 0) != (b < 0) and (hi != _ZERO or lo != _ZERO):
        lo = ~lo + _ONE
        hi = ~hi + (_ONE if lo == _ZERO else _ZERO)
    return hi, lo


@njit(cache=True)
def _diff(a, b, c, d):
    """``a * b - c * d`` in 128 bits, (hi, lo)."""
    h1, l1 = _smul(a, b)
    h2, l2 = _smul(c, d)
    lo = l1 - l2
    hi = h1 - h2 - (_ONE if l1 < l2 else _ZERO)
    return hi, lo


@njit(cache=True)
def cmp_prod(a, b, c, d):
    """Sign (-1, 0, 1) of ``a * b - c * d``, exactly, for int64 arguments.

    >>> cmp_prod(2**62 - 1, 2**62 - 1, 2**62 - 2, 2**62)
    1
    """
    if small_prod(a, b) and small_prod(c, d):
        x = a * b - c * d
        return int(x > 0) - int(x < 0)  # int(): NumPy bools do not subtract (NUMBA_DISABLE_JIT=1)
    hi, lo = _diff(a, b, c, d)
    if hi == _ZERO and lo == _ZERO:
        return 0
    return -1 if np.int64(hi) < 0 else 1


@njit(cache=True)
def quot_fits(a, b, c, d, det):
    """Whether ``(a * b - c * d) / det`` is certainly below ``2**61`` in magnitude."""
    fa, fb, fc, fd, fdet = float(a), float(b), float(c), float(d), float(det)
    est = abs(fa * fb - fc * fd) / fdet
    err = (abs(fa * fb) + abs(fc * fd)) * 4.5e-16 / fdet
    return est + err < _FITS


@njit(cache=True)
def exact_quot(a, b, c, d, det):
    """``(a * b - c * d) // det`` for an exact division whose quotient fits in int64.

    >>> exact_quot(3 * 2**40, 2**40, 2**40, 2**40, 2**41)  # (3 - 1) * 2**80 / 2**41
    1099511627776
    """
    if small_prod(a, b) and small_prod(c, d):
        return (a * b - c * d) // det
    hi, lo = _diff(a, b, c, d)
    s = 0
    o = det
    while o % 2 == 0:
        o //= 2
        s += 1
    uo = np.uint64(o)
    inv = uo  # o * o = 1 mod 8: three correct bits, doubled by each Newton step
    for _ in range(5):
        inv = inv * (np.uint64(2) - uo * inv)
    if s > 0:
        us = np.uint64(s)
        low = (lo >> us) | (hi << (np.uint64(64) - us))
    else:
        low = lo
    return np.int64(low * inv)
