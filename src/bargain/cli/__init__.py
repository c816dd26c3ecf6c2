"""The ``bargain`` command: parses arguments, calls the library, prints.

* :mod:`bargain.cli.main` — the parser, one function per command, the exit codes;
* :mod:`bargain.cli.sweep` — the ``sweep`` and ``sobol`` commands;
* :mod:`bargain.cli.format` — tables and JSON printed for results, models and
  conditions, and the ``--set`` reader.

Nothing here computes: every command calls the library and prints what it returns.
"""

from bargain.cli.main import COMMANDS, main

__all__ = ["COMMANDS", "main"]
