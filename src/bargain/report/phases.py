"""Named phases of a long job, timed; printed on stderr when asked (``--verbose``)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["Phases", "compile_notice"]


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


@contextmanager
def compile_notice(
    what: str, *, stream: TextIO | None = None, names: list[str] | None = None
) -> Iterator[None]:
    """Print one line on `stream` (stderr) when Numba must compile inside the block.

    Numba reports a compilation only on a cache miss (``numba:compile`` event), so a warm
    run prints nothing; the first compilation prints ``compiling the {what}, first run
    only …``.  The names of the package's compiled functions are appended to `names`
    when given.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> with compile_notice("demo kernel", stream=out):
    ...     pass
    >>> out.getvalue()
    ''
    """
    from numba.core import event

    stream = stream if stream is not None else sys.stderr
    said = []

    class _Listener(event.Listener):
        def on_start(self, ev: Any) -> None:
            if not said:
                said.append(True)
                print(
                    f"bargain: compiling the {what}, first run only (cached afterwards) …",
                    file=stream,
                    flush=True,
                )
            if names is not None:
                d = ev.data.get("dispatcher") if isinstance(ev.data, dict) else None
                fn = getattr(d, "py_func", None)
                qualname = getattr(fn, "__qualname__", "<locals>")
                if not getattr(fn, "__module__", "numba").startswith("numba"):
                    if "<locals>" not in qualname:  # ours, not Numba's own overloads
                        names.append(qualname)

        def on_end(self, ev: Any) -> None:
            pass

    with event.install_listener("numba:compile", _Listener()):
        yield
