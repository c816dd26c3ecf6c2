"""The ``bargain`` command.

Exit codes: 0 success, 2 usage error (from argparse), 1 any other error, reported as one
line on stderr (``bargain: error: ...``) without a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bargain._version import __version__
from bargain.cli.format import parse_sets
from bargain.errors import BargainError

__all__ = ["COMMANDS", "main"]

GAME_SUFFIXES = (".nfg", ".efg", ".json")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bargain",
        description="Game-theoretic analysis of negotiations: models, equilibria, conditions, "
        "sweeps and paper tables.",
    )
    p.add_argument("--version", action="version", version=f"bargain {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = sub.add_parser("models", help="list the models that can be loaded by name")
    s.add_argument("--format", choices=["table", "json"], default="table")

    s = sub.add_parser(
        "show", help="show a model: parameters (defaults, bounds, units, sources) and regimes"
    )
    s.add_argument("model", help="model name or path to a .py file")
    s.add_argument("--format", choices=["table", "json", "csv", "latex"], default="table")

    s = sub.add_parser("convert", help="convert a game between .nfg/.efg and JSON")
    s.add_argument("input", help="game file (.nfg, .efg or .json)")
    s.add_argument("output", help="output file (.nfg, .efg or .json)")

    s = sub.add_parser(
        "solve",
        help="solve a game file (FILE.nfg|FILE.efg|FILE.json) or a model regime (MODEL[:REGIME])",
    )
    s.add_argument("target", help="game file, or MODEL[:REGIME]")
    s.add_argument("--method", default="auto", help="solver method (default: auto)")
    s.add_argument("--exact", action="store_true", help="verify in exact rational arithmetic")
    s.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="parameter value for a model regime (repeatable)",
    )
    s.add_argument("--format", choices=["table", "json"], default="table")

    s = sub.add_parser(
        "derive",
        help="derive the conditions under which each equilibrium path of a model regime holds",
    )
    s.add_argument("target", help="MODEL[:REGIME]")
    s.add_argument("--format", choices=["table", "json", "latex"], default="table")

    s = sub.add_parser(
        "report",
        help="write the paper bundle of a model: equilibria, "
        "conditions, sensitivity tables, figure, manifest",
    )
    s.add_argument("model", help="model name or path")
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument("--x", default=None, help="parameter on the figure's horizontal axis")
    s.add_argument("--y", default=None, help="parameter on the figure's vertical axis")
    s.add_argument("--points", type=int, default=201, help="grid points per sweep (default 201)")
    s.add_argument(
        "--no-cache",
        action="store_true",
        help="neither read nor write the derivation cache (see `bargain cache`)",
    )
    s.add_argument("--verbose", action="store_true", help="print each phase and its time on stderr")
    s.add_argument("--dpi", type=int, default=300, help="resolution of the PNG (default 300)")
    s.add_argument(
        "--style", choices=["paper", "slides"], default="paper", help="figure style (default paper)"
    )
    s.add_argument(
        "--width",
        default="two",
        help="figure width: 'one' or 'two' journal columns, or inches (default two)",
    )

    from bargain.cli.draw import add_parser as add_draw

    add_draw(sub)

    s = sub.add_parser("cache", help="the cache of derived conditions")
    s.add_argument("action", choices=["clear", "path"], help="clear: delete every entry")

    from bargain.cli.cite import add_parser as add_cite
    from bargain.cli.sweep import add_parser

    add_parser(sub)
    add_cite(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``bargain`` command line; return the exit code.

    Examples
    --------
    >>> main(["models"])  # doctest: +ELLIPSIS
    d...
    withdrawal_sequencing        Withdrawal sequencing in the Rwanda-DRC deal
    0
    """
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BargainError as exc:
        print(f"bargain: error: {exc}", file=sys.stderr)
        return 1
    except (OSError, KeyboardInterrupt) as exc:
        print(f"bargain: error: {exc}", file=sys.stderr)
        return 1


def _models(args: argparse.Namespace) -> int:
    from bargain.models import list_models, load_model

    names = list_models()
    if args.format == "json":
        rows = [{"name": n, "title": load_model(n).title} for n in names]
        print(json.dumps(rows, indent=2))
    else:
        for n in names:
            print(f"{n:28s} {load_model(n).title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from bargain.cli.format import model_table
    from bargain.models import load_model

    print(model_table(load_model(args.model), args.format))
    return 0


def _convert(args: argparse.Namespace) -> int:
    import bargain.dynamic  # noqa: F401  (registers the "stochastic" JSON kind)
    from bargain.games.gambit_io import convert

    convert(args.input, args.output)
    print(f"wrote {args.output}")
    return 0


def _split_target(target: str) -> tuple[str, str | None]:
    if ":" in target and not Path(target).exists():
        name, regime = target.split(":", 1)
        return name, regime or None
    return target, None


def _solve(args: argparse.Namespace) -> int:
    from bargain.cli.format import print_model_solutions, print_result
    from bargain.solvers.api import solve

    target = args.target
    if Path(target).suffix.lower() in GAME_SUFFIXES:
        from bargain.dynamic import StochasticGame  # registers the "stochastic" JSON kind
        from bargain.games.gambit_io import read_game

        game = read_game(target)
        if isinstance(game, StochasticGame):
            return _solve_stochastic(game, args)
        if args.set:
            raise BargainError("--set applies to model regimes, not to game files")
        options: dict[str, Any] = {"exact": True} if args.exact else {}
        result = solve(game, method=args.method, **options)
        print_result(result, Path(target).name, args.format)
        return 0
    from bargain.models import load_model

    name, regime = _split_target(target)
    model = load_model(name)
    values = parse_sets(args.set)
    regimes = [regime] if regime else list(model.regimes)
    solutions = [model.solve(r, method=args.method, **values) for r in regimes]
    print_model_solutions(model, solutions, args.format)
    return 0


def _solve_stochastic(game: Any, args: argparse.Namespace) -> int:
    """A stochastic game file: --set gives parameter values, --exact does not apply."""
    from bargain.cli.format import print_stochastic_result
    from bargain.solvers.api import solve

    if args.exact:
        raise BargainError(
            "--exact applies to normal-form games and trees, not to stochastic games"
        )
    if args.set and game.parameters is None:
        raise BargainError(f"--set: {Path(args.target).name} declares no parameters")
    if game.is_symbolic or args.set:
        game = game.numeric(**parse_sets(args.set))
    result = solve(game, method=args.method)
    print_stochastic_result(result, Path(args.target).name, args.format)
    return 0


def _derive(args: argparse.Namespace) -> int:
    from bargain.cli.format import print_conditions
    from bargain.models import load_model

    name, regime = _split_target(args.target)
    model = load_model(name)
    regimes = [regime] if regime else list(model.regimes)
    print_conditions(model, {r: model.conditions(r) for r in regimes}, args.format)
    return 0


def _report(args: argparse.Namespace) -> int:
    from bargain.report import write_report

    if args.dpi < 50 or args.dpi > 1200:
        raise BargainError(f"--dpi must be between 50 and 1200, got {args.dpi}")
    written = write_report(
        args.model,
        args.out,
        x=args.x,
        y=args.y,
        points=args.points,
        use_cache=not args.no_cache,
        verbose=args.verbose,
        progress=not args.verbose,
        dpi=args.dpi,
        style=args.style,
        width=_width(args.width),
    )
    for path in written:
        print(path)
    return 0


def _draw(args: argparse.Namespace) -> int:
    from bargain.cli.draw import draw

    return draw(args)


def _width(text: str) -> str | float:
    if text in ("one", "two"):
        return text
    from bargain.games.expression import parse_number

    return parse_number(text, where="--width")


def _cite(args: argparse.Namespace) -> int:
    from bargain.cli.cite import cite

    return cite(args)


def _cache(args: argparse.Namespace) -> int:
    from bargain.symbolic.cache import cache_dir, clear_cache

    if args.action == "clear":
        n = clear_cache()
        print(f"removed {n} cached derivation{'s' if n != 1 else ''} from {cache_dir()}")
    else:
        print(cache_dir())
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from bargain.cli.sweep import run

    return run(args)


COMMANDS = {
    "sweep": _sweep,
    "sobol": _sweep,
    "models": _models,
    "show": _show,
    "convert": _convert,
    "solve": _solve,
    "derive": _derive,
    "report": _report,
    "cache": _cache,
    "draw": _draw,
    "cite": _cite,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
