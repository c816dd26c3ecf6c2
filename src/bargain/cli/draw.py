"""``bargain draw MODEL[:REGIME]``: a regime's game tree as TikZ, DOT, or a PDF/PNG/SVG
figure drawn with matplotlib."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bargain.errors import BargainError

__all__ = ["FORMATS", "add_parser", "draw"]

#: --format -> file suffix
FORMATS = {"tikz": ".tex", "dot": ".dot", "pdf": ".pdf", "png": ".png", "svg": ".svg"}


def add_parser(sub: Any) -> None:
    """Register ``draw`` on the subcommand parsers `sub`."""
    s = sub.add_parser(
        "draw", help="draw a model regime's game tree (TikZ, DOT, or a PDF/PNG/SVG figure)"
    )
    s.add_argument("target", help="MODEL[:REGIME] (every regime when none is named)")
    s.add_argument("--format", choices=list(FORMATS), default="tikz")
    s.add_argument("--out", default=None, help="folder for REGIME.tex/.dot/... (default: print)")
    s.add_argument(
        "--numeric", action="store_true", help="payoffs at the baseline values, not symbols"
    )
    s.add_argument(
        "--highlight",
        action="store_true",
        help="draw the equilibrium path at the baseline (or --set values) thick",
    )
    s.add_argument("--dpi", type=int, default=300, help="resolution of a PNG (default 300)")
    s.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")


def draw(args: argparse.Namespace) -> int:
    """Write or print the picture of each regime named by ``args.target``.

    Examples
    --------
    >>> import argparse, contextlib, io, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> ns = argparse.Namespace(target="entry_deterrence:entry", format="tikz",
    ...                         out=str(out), numeric=False, set=[])
    >>> with contextlib.redirect_stdout(io.StringIO()) as printed:
    ...     code = draw(ns)
    >>> code, printed.getvalue().strip().endswith("entry.tex")
    (0, True)
    >>> sorted(p.name for p in out.iterdir())
    ['entry.tex']
    """
    from bargain.cli.format import parse_sets
    from bargain.cli.main import _split_target
    from bargain.formats.files import atomic_write, atomic_write_text
    from bargain.models import load_model

    name, regime = _split_target(args.target)
    model = load_model(name)
    regimes = [regime] if regime else list(model.regimes)
    values = parse_sets(args.set)
    highlight = getattr(args, "highlight", False)
    if values and not (args.numeric or highlight):
        raise BargainError("--set needs --numeric or --highlight (symbolic trees take no values)")
    image = args.format in ("pdf", "png", "svg")
    if image and args.out is None:
        raise BargainError(f"--format {args.format} needs --out FOLDER")
    dpi = getattr(args, "dpi", 300)
    if not 50 <= dpi <= 1200:
        raise BargainError(f"--dpi must be between 50 and 1200, got {dpi}")
    for r in regimes:
        game = model.game(r, **values) if args.numeric else model.game(r, symbolic=True)
        if not hasattr(game, "to_tikz"):
            if regime:
                raise BargainError(f"regime {r!r} of {name!r} is not a game tree; nothing to draw")
            print(f"bargain: regime {r!r} is a normal-form game, not drawn", file=sys.stderr)
            continue
        options = {}
        if highlight:
            options["highlight"] = model.solve(r, **values).result.equilibria[0]
        if image:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)

            def save(t: Path, g: Any = game, o: dict = options) -> None:
                _save_figure(g, t, args.format, dpi, o)

            print(atomic_write(out / f"{r}.{args.format}", save))
            continue
        text = game.to_tikz(**options) if args.format == "tikz" else game.to_dot(**options)
        if args.out is None:
            print(text, end="")
            continue
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        print(atomic_write_text(out / f"{r}{FORMATS[args.format]}", text))
    return 0


def _save_figure(game: Any, target: Path, fmt: str, dpi: int, options: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = game.plot(**options)
    try:
        ax.figure.savefig(target, format=fmt, dpi=dpi)
    finally:
        plt.close(ax.figure)
