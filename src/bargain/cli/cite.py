"""``bargain cite MODEL [MODEL ...]``: the sources of models as BibTeX (or text, JSON)."""

from __future__ import annotations

import argparse
import json
from typing import Any

__all__ = ["add_parser", "cite"]


def add_parser(sub: Any) -> None:
    """Register ``cite`` on the subcommand parsers `sub`."""
    s = sub.add_parser(
        "cite", help="print the references of one or more models as BibTeX (or text, JSON)"
    )
    s.add_argument("models", nargs="+", metavar="MODEL", help="model name or path")
    s.add_argument("--format", choices=["bibtex", "text", "json"], default="bibtex")


def cite(args: argparse.Namespace) -> int:
    """Print the references of ``args.models``, each source once.

    Examples
    --------
    >>> import argparse, contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     code = cite(argparse.Namespace(models=["entry_deterrence"], format="bibtex"))
    >>> code, out.getvalue().splitlines()[0]
    (0, '@article{selten1978chain,')
    """
    from bargain.formats.references import bibtex_entries, bibtex_keys
    from bargain.models import load_model

    refs = []
    for name in args.models:
        refs += [r for r in load_model(name).references if r not in refs]
    if args.format == "bibtex":
        text = bibtex_entries(refs)
        print(text if text else "% the model cites no references")
    elif args.format == "json":
        keys = bibtex_keys(refs)
        print(json.dumps([{"key": k, **r.to_dict()} for k, r in zip(keys, refs, strict=True)],
                         indent=2))  # fmt: skip
    else:
        for r in refs:
            print(r.text())
    return 0
