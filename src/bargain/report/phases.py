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
        self.cpu: dict[str, float] = {}
        self.start = time.perf_counter()
        self.start_cpu = time.process_time()

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t, c = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            dt, dc = time.perf_counter() - t, time.process_time() - c
            self.times[name] = self.times.get(name, 0.0) + dt
            self.cpu[name] = self.cpu.get(name, 0.0) + dc
            if self.verbose:  # CPU time too: on a shared machine it is the steadier one
                print(f"report: {name:<24s} {dt:7.2f} s  (cpu {dc:.2f} s)", file=self.stream,
                      flush=True)  # fmt: skip

    def summary(self) -> None:
        """Print the total time (with `verbose`)."""
        if self.verbose:
            total = time.perf_counter() - self.start
            cpu = time.process_time() - self.start_cpu
            print(f"report: {'total':<24s} {total:7.2f} s  (cpu {cpu:.2f} s)", file=self.stream,
                  flush=True)  # fmt: skip


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
    stream = stream if stream is not None else sys.stderr
    said: list[bool] = []

    def on_start(ev: Any) -> None:
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

    # A warm report imports no Numba: listen at once when it is loaded, else from the
    # moment something inside the block imports it (before any kernel can compile).
    with _when_numba_loaded(on_start):
        yield


@contextmanager
def _when_numba_loaded(on_start: Any) -> Iterator[None]:
    from contextlib import ExitStack

    stack = ExitStack()

    def install() -> None:
        from numba.core import event

        class _Listener(event.Listener):
            def on_start(self, ev: Any) -> None:
                on_start(ev)

            def on_end(self, ev: Any) -> None:
                pass

        stack.enter_context(event.install_listener("numba:compile", _Listener()))

    hook = None
    if "numba.core.event" in sys.modules:
        install()
    else:
        hook = _ImportHook("numba.core.event", install)
        sys.meta_path.insert(0, hook)
    try:
        with stack:
            yield
    finally:
        if hook is not None and hook in sys.meta_path:
            sys.meta_path.remove(hook)


class _ImportHook:
    """Calls `then()` right after the module `name` is first imported (a meta path
    finder that defers to the others, and wraps the loader it finds)."""

    def __init__(self, name: str, then: Any) -> None:
        self.name, self.then = name, then

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        import importlib.util

        sys.meta_path.remove(self)  # find the real spec, and never fire twice
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader, then = spec.loader, self.then

        class _Loader:
            def create_module(self, spec: Any) -> Any:
                return loader.create_module(spec)

            def exec_module(self, module: Any) -> None:
                loader.exec_module(module)
                then()

        spec.loader = _Loader()
        return spec
