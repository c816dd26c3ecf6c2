"""How a :class:`~bargain.sweep.core.SweepResult` shows itself: a one-line ``repr`` and,
in a notebook, the head of its table under a summary (axes, points, backend, time)."""

from __future__ import annotations

from typing import Any

__all__ = ["sweep_html", "sweep_repr", "sweep_summary"]

#: rows of the frame a notebook shows
HEAD = 10


def sweep_summary(result: Any) -> dict[str, str]:
    """The facts of a sweep, as short strings: model, regime, points, design, backend, time.

    Examples
    --------
    >>> import bargain as bg
    >>> r = bg.sweep("entry_deterrence", "entry_commitment",
    ...              vary={"commitment_cost": (0, 4, 5)}, outputs=["agreement"])
    >>> sweep_summary(r)["axes"]
    'commitment_cost: 5 values in [0, 4]'
    """
    m = result.manifest
    axes = "; ".join(
        f"{name}: {len(v)} values in [{min(v):g}, {max(v):g}]" for name, v in result.axes.items()
    )
    if not axes:
        spec = m.get("design", {}) or {}
        varied = ", ".join(spec.get("vary", []) or [])
        axes = f"{spec.get('method', 'sample')} sample" + (f" of {varied}" if varied else "")
        if spec.get("seed") is not None:
            axes += f" (seed {spec['seed']})"
    seconds = m.get("seconds")
    return {
        "model": getattr(result.model, "name", str(result.model)),
        "regime": result.regime,
        "points": f"{len(result.frame):,}",
        "axes": axes,
        "outputs": ", ".join(m.get("outputs", [])),
        "backend": str(m.get("backend", "")),
        "time": f"{seconds:.3g} s" if isinstance(seconds, int | float) else "",
    }


def sweep_repr(result: Any) -> str:
    """One line: ``<SweepResult model:regime, N points, axes, backend, time>``.

    Examples
    --------
    >>> import bargain as bg
    >>> r = bg.sweep("entry_deterrence", "entry_commitment",
    ...              vary={"commitment_cost": (0, 4, 5)}, outputs=["agreement"])
    >>> sweep_repr(r).split(" on ")[0]
    '<SweepResult entry_deterrence:entry_commitment: 5 points, commitment_cost: 5 values in [0, 4]'
    """
    s = sweep_summary(result)
    tail = f" on {s['backend']}" if s["backend"] else ""
    tail += f" in {s['time']}" if s["time"] else ""
    return f"<SweepResult {s['model']}:{s['regime']}: {s['points']} points, {s['axes']}{tail}>"


def sweep_html(result: Any, *, head: int = HEAD) -> str:
    """A summary list and the first `head` rows of the frame, as well-formed HTML."""
    from bargain.games.display import _text, html_table

    s = sweep_summary(result)
    items = "".join(f"<li><b>{_text(k)}</b>: {_text(v)}</li>" for k, v in s.items() if v)
    frame = result.frame
    rows = [[_plain(v) for v in row] for row in frame.head(head).itertuples(index=False)]
    more = len(frame) - len(rows)
    note = f"<p>({more:,} more rows; the whole table is <code>.frame</code>)</p>" if more else ""
    table = html_table([str(c) for c in frame.columns], rows)
    return f"<div><p><b>SweepResult</b></p><ul>{items}</ul>{table}{note}</div>"


def _plain(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if hasattr(v, "dtype") and getattr(v.dtype, "kind", "") == "f":
        return f"{float(v):.6g}"
    return str(v)
