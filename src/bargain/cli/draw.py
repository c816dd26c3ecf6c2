"""``bargain draw MODEL[:REGIME]``: a regime's game tree as TikZ (or PDF via pdflatex)."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bargain.errors import BargainError

__all__ = ["draw"]


def draw(args: argparse.Namespace) -> int:
    """Write or print the TikZ picture of each regime named by ``args.target``.

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
    if values and not args.numeric:
        raise BargainError("--set needs --numeric (symbolic trees take no values)")
    if args.format == "pdf" and args.out is None:
        raise BargainError("--format pdf needs --out FOLDER")
    for r in regimes:
        game = model.game(r, **values) if args.numeric else model.game(r, symbolic=True)
        if not hasattr(game, "to_tikz"):
            if regime:
                raise BargainError(f"regime {r!r} of {name!r} is not a game tree; nothing to draw")
            print(f"bargain: regime {r!r} is a normal-form game, not drawn", file=sys.stderr)
            continue
        tex = game.to_tikz()
        if args.out is None:
            print(tex, end="")
            continue
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        if args.format == "tikz":
            print(atomic_write_text(out / f"{r}.tex", tex))
            continue
        pdflatex = shutil.which("pdflatex")
        if pdflatex is None:
            raise BargainError("--format pdf needs pdflatex (TeX Live); use --format tikz")
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / f"{r}.tex"
            src.write_text(tex, encoding="utf-8")
            run = subprocess.run(
                [pdflatex, "-interaction=nonstopmode", "-halt-on-error", src.name],
                cwd=tmp, capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            if run.returncode != 0:
                raise BargainError(f"pdflatex failed on regime {r!r}: {run.stdout[-300:]}")
            pdf = Path(tmp) / f"{r}.pdf"
            print(atomic_write(out / f"{r}.pdf", lambda t, p=pdf: shutil.copyfile(p, t)))
    return 0
