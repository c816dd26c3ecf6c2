"""Errors raised by bargain.

Every error is a subclass of :class:`BargainError`, itself a :class:`ValueError`, so
``except ValueError`` still catches bad input.  Each subclass names the part of the input
that was wrong: the parameter and its bounds, the node, the file and line.

Examples
--------
>>> from bargain.errors import ParameterError
>>> try:
...     raise ParameterError("q", "value 1.5 is outside its bounds [0, 1]")
... except ValueError as exc:
...     print(exc)
parameter 'q': value 1.5 is outside its bounds [0, 1]
"""

from __future__ import annotations

__all__ = [
    "BargainError",
    "DataError",
    "ExpressionError",
    "FileFormatError",
    "GameShapeError",
    "ModelError",
    "ParameterError",
    "SolverError",
]


class BargainError(ValueError):
    """Base class of every error bargain raises on bad input.

    Examples
    --------
    >>> issubclass(BargainError, ValueError)
    True
    """


class ParameterError(BargainError):
    """A parameter is unknown, non-finite or outside its bounds.

    Parameters
    ----------
    name : str
        The parameter's name.
    message : str
        What is wrong with it (include the bounds where they matter).

    Examples
    --------
    >>> str(ParameterError("delta", "must lie in (0, 1], got 1.2"))
    "parameter 'delta': must lie in (0, 1], got 1.2"
    """

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"parameter {name!r}: {message}")

    def __reduce__(self):  # picklable, so errors raised on a Dask worker arrive intact
        return (type(self), (self.name, self.message))


class GameShapeError(BargainError):
    """A game's arrays, players, strategies or nodes do not fit together.

    Examples
    --------
    >>> str(GameShapeError("payoff array 1 has shape (2, 3), expected (2, 2)"))
    'payoff array 1 has shape (2, 3), expected (2, 2)'
    """


class DataError(BargainError):
    """A data column is unknown, of the wrong kind, or holds values a model cannot use.

    Parameters
    ----------
    column : str
        The column's name.
    message : str
        What is wrong with it.

    Examples
    --------
    >>> str(DataError("war", "must hold only 0 and 1, found 2"))
    "column 'war': must hold only 0 and 1, found 2"
    """

    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message
        super().__init__(f"column {column!r}: {message}")

    def __reduce__(self):  # picklable (see ParameterError)
        return (type(self), (self.column, self.message))


class ModelError(BargainError):
    """A model cannot be found, loaded, or does not define what it must.

    Examples
    --------
    >>> str(ModelError("no model named 'nope'"))
    "no model named 'nope'"
    """


class ExpressionError(BargainError):
    """Text that should be a number or formula is not one the safe reader accepts.

    Parameters
    ----------
    where : str
        Where the text came from (a file and JSON path, a command-line option).
    message : str
        What is wrong, naming the offending token.

    Examples
    --------
    >>> str(ExpressionError("--set q", "unknown name 'os'"))
    "--set q: unknown name 'os'"
    """

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # picklable (see ParameterError)
        return (type(self), (self.where, self.message))


class FileFormatError(BargainError):
    """A game file is malformed; the message names the file and the line.

    Parameters
    ----------
    path : str
        The file (or ``"<string>"``).
    line : int or None
        1-based line number where the problem was found.
    message : str
        What was expected and what was found.

    Examples
    --------
    >>> str(FileFormatError("g.nfg", 3, "expected a number, found 'x'"))
    "g.nfg:3: expected a number, found 'x'"
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # picklable (see ParameterError)
        return (type(self), (self.path, self.line, self.message))


class SolverError(BargainError):
    """A solver cannot be applied to this game or these options.

    Examples
    --------
    >>> str(SolverError("method 'vertex' needs 2 players, the game has 3"))
    "method 'vertex' needs 2 players, the game has 3"
    """
