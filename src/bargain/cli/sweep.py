"""The ``bargain sweep`` and ``bargain sobol`` commands.

``add_parser(subparsers)`` adds both to the ``bargain`` parser; ``run(args)`` runs the one
named by ``args.command`` and returns the exit code.  Bad input raises
:mod:`bargain.errors` exceptions (the ``bargain`` entry point prints them as one line).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bargain.cli.format import parse_sets
from bargain.errors import BargainError, ExpressionError, ParameterError
from bargain.games.expression import parse_number

__all__ = ["add_parser", "parse_vary", "run"]

MAX_PRINTED_ROWS = 100_000


def _backend_args(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--backend",
        choices=["auto", "serial", "parallel", "dask"],
        default="auto",
        help="serial (one thread), parallel (Numba threads, default), dask (a cluster)",
    )
    s.add_argument("--workers", type=int, default=None, help="dask: local worker processes")
    s.add_argument("--scheduler", default=None, help="dask: scheduler address tcp://HOST:PORT")
    s.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value of a parameter that is not varied (repeatable)",
    )
    s.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")


def add_parser(subparsers: Any) -> None:
    """Add the ``sweep`` and ``sobol`` subcommands to an argparse subparsers object.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="bargain")
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> a = p.parse_args(["sweep", "entry_deterrence:entry", "--vary", "fight_cost=0:4:5",
    ...                   "--out", "runs/x"])
    >>> a.command, a.vary, a.design
    ('sweep', ['fight_cost=0:4:5'], 'grid')
    """
    s = subparsers.add_parser(
        "sweep",
        help="solve a model regime over a grid or sample of parameter values, chunked to "
        "Parquet with a resumable checkpoint",
    )
    s.add_argument("target", help="MODEL:REGIME")
    s.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME[=LOW:HIGH[:N]]",
        help="parameter to vary: NAME=LOW:HIGH:N (grid of N values), NAME=LOW:HIGH, "
        "NAME=V1,V2,... or NAME (its bounds); default: all non-integer parameters",
    )
    s.add_argument("--design", choices=["grid", "lhs", "sobol"], default="grid")
    s.add_argument(
        "--n", type=int, default=None, help="points (lhs, sobol) or values per grid axis"
    )
    s.add_argument(
        "--output",
        action="append",
        default=None,
        help="agreement, path, payoffs, payoff_<player> or a closed-form output "
        "(repeatable; default: agreement)",
    )
    s.add_argument("--out", required=True, help="output folder (Parquet chunks, checkpoint)")
    s.add_argument("--chunk-size", type=int, default=250_000, help="points per chunk")
    s.add_argument("--resume", action="store_true", help="continue the sweep in --out")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.add_argument(
        "--format",
        choices=["table", "csv", "latex", "markdown"],
        default="table",
        help="table: a summary; csv/latex/markdown: the whole table on stdout",
    )
    _backend_args(s)

    s = subparsers.add_parser(
        "sobol", help="Sobol' first-order and total sensitivity indices of a scalar output"
    )
    s.add_argument("target", help="MODEL:REGIME (MODEL alone for a closed-form output)")
    s.add_argument(
        "--output",
        default="agreement",
        help="agreement, payoff_<player> or a closed-form output (default: agreement)",
    )
    s.add_argument("--n", type=int, default=1024, help="base sample size, a power of 2")
    s.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="NAME[=LOW:HIGH]",
        help="parameter to vary, optionally with a range (default: all non-integer ones)",
    )
    s.add_argument("--second-order", action="store_true", help="also second-order indices")
    s.add_argument("--out", default=None, help="folder for sobol.csv/.tex/.md/.pdf/.png")
    s.add_argument("--format", choices=["table", "csv", "latex", "markdown"], default="table")
    _backend_args(s)


def parse_vary(items: Sequence[str], *, grid: bool) -> dict[str, Any] | None:
    """``["q=0:1:101", "s"]`` → ``{"q": (0.0, 1.0, 101), "s": None}``-like specs.

    Examples
    --------
    >>> parse_vary(["q=0:1:5", "s=0.5,1"], grid=True)
    {'q': (0.0, 1.0, 5), 's': [0.5, 1.0]}
    >>> parse_vary(["q=0:0.5"], grid=False)
    {'q': (0.0, 0.5)}
    """
    if not items:
        return None
    out: dict[str, Any] = {}
    for item in items:
        name, sep, spec = (x.strip() for x in item.partition("="))
        if not name:
            raise BargainError(f"--vary expects NAME[=LOW:HIGH[:N]], got {item!r}")
        try:
            if not sep:
                out[name] = None
            elif "," in spec:
                if not grid:
                    raise BargainError(f"--vary {name}: value lists need --design grid")
                out[name] = [_num(name, v) for v in spec.split(",") if v.strip()]
            else:
                parts = spec.split(":")
                if len(parts) == 3 and grid:
                    out[name] = (_num(name, parts[0]), _num(name, parts[1]), _whole(name, parts[2]))
                elif len(parts) == 2:
                    out[name] = (_num(name, parts[0]), _num(name, parts[1]))
                else:
                    form = "LOW:HIGH:N" if grid else "LOW:HIGH"
                    raise BargainError(f"--vary {name}: expected {form}, got {spec!r}")
        except ValueError as exc:
            if isinstance(exc, BargainError):
                raise
            raise BargainError(f"--vary {name}: {spec!r} is not a range of numbers") from None
    return out


#: Most grid points on one axis that ``--vary NAME=LOW:HIGH:N`` accepts.
MAX_AXIS_POINTS = 100_000_000


def _num(name: str, text: str) -> float:
    try:
        return parse_number(text, where=f"--vary {name}")
    except ExpressionError as exc:
        raise BargainError(f"--vary {name}: {exc.message}; not a range of numbers") from None


def _whole(name: str, text: str) -> int:
    value = _num(name, text)
    if value != int(value) or value < 1:
        raise ParameterError(name, f"grid size must be a positive whole number, got {text}")
    if value > MAX_AXIS_POINTS:
        raise ParameterError(
            name, f"grid size {text} is more than {MAX_AXIS_POINTS:,} points on one axis"
        )
    return int(value)


def _target(target: str, *, need_regime: bool) -> tuple[Any, str | None]:
    from bargain.models import load_model

    name, regime = target, None
    if ":" in target and not Path(target).exists():
        name, regime = target.split(":", 1)
    if need_regime and not regime:
        raise BargainError(f"name the regime: MODEL:REGIME, got {target!r}")
    model = load_model(name)
    if regime:
        model.regime(regime)
    return model, regime or None


def _grid_vary(vary: dict[str, Any] | None, n: int | None) -> Any:
    # NAME=LOW:HIGH on a grid: n values (default 11) between LOW and HIGH
    if vary is None:
        return None
    per = 11 if n is None else n
    return {k: (*v, per) if isinstance(v, tuple) and len(v) == 2 else v for k, v in vary.items()}


def _sweep(args: argparse.Namespace) -> int:
    from bargain.sweep.checkpoint import load_sweep, run_sweep
    from bargain.sweep.samples import design

    model, regime = _target(args.target, need_regime=True)
    grid = args.design == "grid"
    vary = parse_vary(args.vary, grid=grid)
    if grid:
        vary = _grid_vary(vary, args.n)
    if vary is not None:
        vary = {
            k: _bounds_spec(model, k, grid, args.n) if v is None else v for k, v in vary.items()
        }
    d = design(
        model, method=args.design, n=args.n, vary=vary, seed=args.seed, fixed=parse_sets(args.set)
    )
    outputs = args.output or ["agreement"]
    out = run_sweep(
        model,
        regime,
        d,
        args.out,
        outputs=outputs,
        chunk_size=args.chunk_size,
        backend=args.backend,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=False if args.no_progress else None,
    )
    if args.format == "table":
        print(_summary(out, len(d)))
        return 0
    if len(d) > MAX_PRINTED_ROWS:
        raise BargainError(
            f"the table has {len(d)} rows, too many to print as {args.format}; read {out} "
            "with bargain.sweep.checkpoint.load_sweep"
        )
    frame = load_sweep(out)
    print(_format(frame, args.format))
    return 0


def _bounds_spec(model: Any, name: str, grid: bool, n: int | None) -> Any:
    lo, hi = model.parameters[name].bounds
    return (lo, hi, 11 if n is None else n) if grid else (lo, hi)


def _format(frame: Any, fmt: str) -> str:
    from bargain.formats.tables import to_csv, to_latex, to_markdown

    if fmt == "csv":
        return to_csv(frame).rstrip("\n")
    if fmt == "latex":
        return to_latex(frame)
    if fmt == "markdown":
        return to_markdown(frame)
    return frame.to_string(index=False)


def _summary(out: Path, n: int) -> str:
    import pyarrow.parquet as pq

    from bargain.sweep.checkpoint import load_sweep

    columns = [c for c in pq.read_schema(next(out.glob("chunk-*.parquet"))).names]
    lines = [f"wrote {n} points to {out} (read with bargain.sweep.checkpoint.load_sweep)"]
    if "agreement" in columns:
        share = float(load_sweep(out, columns=["agreement"])["agreement"].mean())
        lines.append(f"agreement holds at {share:.1%} of the points")
    return "\n".join(lines)


def _sobol(args: argparse.Namespace) -> int:
    from bargain.sweep.sensitivity import sobol

    model, regime = _target(args.target, need_regime=False)
    vary = parse_vary(args.vary, grid=False)
    if vary is not None:
        vary = {k: model.parameters[k].bounds if v is None else v for k, v in vary.items()}
    result = sobol(
        model,
        regime,
        args.output,
        n=args.n,
        vary=vary,
        fixed=parse_sets(args.set),
        seed=args.seed,
        backend=args.backend,
        workers=args.workers,
        scheduler=args.scheduler,
        calc_second_order=args.second_order,
    )
    if args.out is not None:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        result.to_csv(folder / "sobol.csv")
        result.to_latex(folder / "sobol.tex")
        result.to_markdown(folder / "sobol.md")
        result.plot(folder / "sobol")
    print(_format(result.frame, args.format))
    return 0


def run(args: argparse.Namespace) -> int:
    """Run ``bargain sweep`` or ``bargain sobol`` (by ``args.command``); return the exit code.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser(prog="bargain")
    >>> add_parser(p.add_subparsers(dest="command"))
    >>> run(p.parse_args(["sobol", "entry_deterrence", "--output", "commitment_margin",
    ...                   "--n", "64", "--format", "csv"]))  # doctest: +ELLIPSIS
    parameter,S1,S1_conf,ST,ST_conf
    entrant_profit,...
    fight_cost,0.0,0.0,0.0,0.0
    ...
    0
    """
    commands = {"sweep": _sweep, "sobol": _sobol}
    try:
        fn = commands[args.command]
    except KeyError:
        raise BargainError(f"cli_sweep runs {sorted(commands)}, not {args.command!r}") from None
    return fn(args)
