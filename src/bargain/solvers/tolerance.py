"""One validation of solver options: tolerances and work limits.

Every solver in :mod:`bargain.solvers` checks its options here, so a bad option is the
same error everywhere: an :class:`OptionError` (a :class:`~bargain.errors.SolverError`,
and a :class:`~bargain.errors.ParameterError` naming the option) whose message names the
option, the method and the value given.

Tolerance convention
--------------------
A tolerance ``tol`` is a real number (``int``, ``float`` or a NumPy floating or integer
scalar; not a string, not a bool, not None) that is finite, greater than 0 and less than
1.  It is a bound on regret: a returned profile's ``max_regret`` is at most ``tol`` times
the method's payoff scale, which each method documents (support enumeration and
Lemke–Howson: the larger payoff range of the two players; vertex, zero-sum, pure, iesds:
1, i.e. absolute).  A tolerance of 1 or more would accept profiles whose regret is as
large as the payoffs themselves and is refused as a mistake.  Methods that compare
payoffs exactly when asked (``pure``, ``iesds``, ``spe``) also accept ``tol=0``.

Work limits (``max_supports``, ``max_bases``, ``max_iter``, ``max_steps``, ...) are
positive Python or NumPy integers; a bool, a float or a string is refused.

Examples
--------
>>> check_tol(1e-9, method="support")
1e-09
>>> check_limit("max_bases", 5_000, method="vertex")
5000
>>> try:
...     check_tol("1e-9", method="support")
... except OptionError as exc:
...     print(exc)
option 'tol' of method 'support': must be a real number in (0, 1), got '1e-9'
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bargain.errors import ParameterError, SolverError

__all__ = ["OptionError", "check_limit", "check_tol"]


class OptionError(SolverError, ParameterError):
    """A solver option is of the wrong type or out of range.

    Parameters
    ----------
    name : str
        The option's name (``"tol"``, ``"max_bases"``, ...).
    message : str
        What is wrong with it, including the value given.
    method : str, optional
        The solver method it was given to.

    Examples
    --------
    >>> str(OptionError("tol", "must be a real number in (0, 1), got -1", method="pure"))
    "option 'tol' of method 'pure': must be a real number in (0, 1), got -1"
    """

    def __init__(self, name: str, message: str, method: str | None = None) -> None:
        self.name = name
        self.message = message
        self.method = method
        where = f"option {name!r}" + (f" of method {method!r}" if method else "")
        ValueError.__init__(self, f"{where}: {message}")

    def __reduce__(self):  # picklable, like ParameterError
        return (type(self), (self.name, self.message, self.method))


def check_tol(
    tol: Any, *, method: str | None = None, name: str = "tol", zero_ok: bool = False
) -> float:
    """`tol` as a float, if it is a real number with ``0 < tol < 1``.

    Parameters
    ----------
    tol : object
        The value given.
    method : str, optional
        The method it was given to (named in the error).
    name : str
        The option's name (named in the error).
    zero_ok : bool
        Accept ``tol == 0`` too (methods that can compare exactly).

    Returns
    -------
    float

    Raises
    ------
    OptionError
        For a string, bool, None, NaN, infinity, a negative number, zero (unless
        `zero_ok`) or a number >= 1.

    Examples
    --------
    >>> check_tol(np.float32(0.5), method="logit")
    0.5
    >>> check_tol(0, method="pure", zero_ok=True)
    0.0
    """
    if type(tol) is float and (0.0 < tol < 1.0 or (zero_ok and tol == 0.0)):
        return tol  # the common case, checked quickly
    interval = "[0, 1)" if zero_ok else "(0, 1)"
    if isinstance(tol, bool | np.bool_) or not isinstance(
        tol, int | float | np.integer | np.floating
    ):
        raise OptionError(name, f"must be a real number in {interval}, got {tol!r}", method)
    value = float(tol)
    if not math.isfinite(value) or not (0.0 < value < 1.0 or (zero_ok and value == 0.0)):
        raise OptionError(name, f"must be a real number in {interval}, got {tol!r}", method)
    return value


def check_limit(name: str, value: Any, *, method: str | None = None) -> int:
    """`value` as an int, if it is a positive integer (a work limit).

    Parameters
    ----------
    name : str
        The option's name (named in the error).
    value : object
        The value given.
    method : str, optional
        The method it was given to (named in the error).

    Returns
    -------
    int

    Raises
    ------
    OptionError
        For a bool, float, string, None, or an integer < 1.

    Examples
    --------
    >>> check_limit("max_iter", np.int64(10), method="lemke_howson")
    10
    """
    if type(value) is int and value >= 1:
        return value
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer) or value < 1:
        raise OptionError(name, f"must be a positive integer, got {value!r}", method)
    return int(value)
