"""Named phases of a long job, timed; printed on stderr when asked (``--verbose``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

__all__ = ["Phases"]


class Phases:
    """Time named phases; with `verbose`, print one line per phase on `stream`.

    Examples
    --------
    >>> import io
    >>> p = Phases(verbose=True, stream=io.StringIO())
    >>> with p("derive"):
    ...     pass
    >>> list(p.times)
    ['derive']
    >>> p.stream.getvalue().startswith("report: derive")
    True
    """

    def __init__(self, *, verbose: bool = False, stream: TextIO | None = None) -> None:
        self.verbose = verbose
        self.stream = stream if stream is not None else sys.stderr
        self.times: dict[str, float] = {}
        self.start = time.perf_counter()

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            dt = time.perf_counter() - t
            self.times[name] = self.times.get(name, 0.0) + dt
            if self.verbose:
                print(f"report: {name:<24s} {dt:7.2f} s", file=self.stream, flush=True)

    def summary(self) -> None:
        """Print the total time (with `verbose`)."""
        if self.verbose:
            total = time.perf_counter() - self.start
            print(f"report: {'total':<24s} {total:7.2f} s", file=self.stream, flush=True)
