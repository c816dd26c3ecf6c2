"""Games as JSON: one documented schema for normal-form games and trees, symbolic or not.

Schema (version 1)::

    {"format": "bargain-game", "version": 1,
     "kind": "normal_form" | "tree",
     "title": str, "players": [str, ...],
     "parameters": [{"name", "default", "bounds": [lo, hi], "unit", "description",
                     "source", "integer"}, ...],          # optional
     # normal_form:
     "strategies": [[str, ...], ...],                     # one list per player
     "payoffs": [array_player_1, ...],                    # nested lists, shape (n1, ..., nN)
     # tree: nodes in preorder, node 0 is the root; children by index
     "nodes": [{"kind": "decision", "player": str, "infoset": str | null, "label": str,
                "actions": [str, ...], "children": [int, ...]},
               {"kind": "chance", "label": str, "actions": [str, ...],
                "probabilities": [number, ...], "children": [int, ...]},
               {"kind": "terminal", "label": str, "payoffs": [number, ...]}, ...]}

A *number* is a JSON number, a string ``"p/q"`` (an exact :class:`fractions.Fraction`),
or any other string: an expression in the declared parameters, read by the safe parser
:func:`bargain.games.expression.parse_expression` (numbers, parameter names, ``+ - * / **``
and a short list of functions; nothing in a file is ever evaluated as code).

Examples
--------
>>> from bargain.games.normal_form import NormalFormGame
>>> d = game_to_json(NormalFormGame([[[1, 0]], [[0.5, 2]]], title="t"))
>>> d["kind"], d["payoffs"]
('normal_form', [[[1.0, 0.0]], [[0.5, 2.0]]])
>>> game_from_json(d).payoffs[1].tolist()
[[0.5, 2.0]]
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np

from bargain.errors import BargainError, ExpressionError, FileFormatError
from bargain.games.expression import parse_expression
from bargain.games.extensive_form import Chance, Decision, GameTree, Node, Terminal
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet, is_symbolic

__all__ = [
    "JSON_KINDS",
    "game_from_json",
    "game_to_json",
    "load_json_text",
    "parameters_to_json",
    "read_json_game",
    "read_parameters",
    "register_json_kind",
    "write_json_game",
]

_RATIO = re.compile(r"[+-]?\d+(?:/\d+)?", re.ASCII)

#: ``"kind"`` -> reader ``(data, name, text) -> game`` for kinds defined above this layer.
#: ``bargain.games`` may not import the packages that define them (docs/explanation/
#: architecture.md), so they register here on import (``bargain.dynamic`` registers
#: ``"stochastic"``).
JSON_KINDS: dict[str, Callable[[Any, str, str | None], Any]] = {}
#: kinds whose package has not registered yet -> that package, for the error message
_KINDS_ELSEWHERE = {"stochastic": "bargain.dynamic"}


def register_json_kind(kind: str, reader: Callable[[Any, str, str | None], Any]) -> None:
    """Let :func:`read_json_game` read JSON games of another `kind`.

    Parameters
    ----------
    kind : str
        The value of the file's ``"kind"`` entry.
    reader : callable
        ``reader(data, name, text)``: the parsed JSON (floats as :class:`~decimal.Decimal`),
        the file name and its text (for line numbers); returns the game or raises
        :class:`~bargain.errors.FileFormatError`.

    Examples
    --------
    >>> import bargain.dynamic  # registers "stochastic"
    >>> "stochastic" in JSON_KINDS
    True
    """
    if kind in ("normal_form", "tree"):
        raise BargainError(f"JSON kind {kind!r} is built in")
    JSON_KINDS[kind] = reader


def game_to_json(game: NormalFormGame | GameTree) -> dict[str, Any]:
    """The JSON form (a dict of plain lists, strings and numbers) of a game.

    Examples
    --------
    >>> from bargain.games.extensive_form import Decision, GameTree, Terminal
    >>> t = GameTree(("A",), Decision("A", {"x": Terminal(1), "y": Terminal(Fraction(1, 3))}))
    >>> [n["kind"] for n in game_to_json(t)["nodes"]], game_to_json(t)["nodes"][2]["payoffs"]
    (['decision', 'terminal', 'terminal'], ['1/3'])
    """
    if not isinstance(game, NormalFormGame | GameTree) and hasattr(game, "to_json"):
        return game.to_json()  # a game kind defined above this layer (StochasticGame)
    out: dict[str, Any] = {"format": "bargain-game", "version": 1}
    if isinstance(game, NormalFormGame):
        out["kind"] = "normal_form"
    elif isinstance(game, GameTree):
        out["kind"] = "tree"
    else:
        raise BargainError(f"expected a NormalFormGame or GameTree, got {game!r}")
    out["title"] = game.title
    out["players"] = list(game.players)
    if game.parameters is not None:
        out["parameters"] = parameters_to_json(game.parameters)
    if isinstance(game, NormalFormGame):
        out["strategies"] = [list(s) for s in game.strategies]
        out["payoffs"] = [
            np.vectorize(_number_out, otypes=[object])(a).tolist() for a in game.payoffs
        ]
        return out
    nodes = []
    for i, node in game.walk():
        kids = list(game.child_ids[i])
        if isinstance(node, Terminal):
            nodes.append(
                {
                    "kind": "terminal",
                    "label": node.label,
                    "payoffs": [_number_out(x) for x in node.payoffs],
                }
            )
        elif isinstance(node, Chance):
            nodes.append(
                {
                    "kind": "chance",
                    "label": node.label,
                    "actions": list(node.outcomes),
                    "probabilities": [_number_out(p) for p in node.probabilities],
                    "children": kids,
                }
            )
        else:
            nodes.append(
                {
                    "kind": "decision",
                    "player": game.players[game.node_player[i]],
                    "infoset": node.infoset,
                    "label": node.label,
                    "actions": list(node.actions),
                    "children": kids,
                }
            )
    out["nodes"] = nodes
    return out


def game_from_json(data: Any, *, name: str = "<json>") -> NormalFormGame | GameTree:
    """Build a game from its JSON form; errors name the offending entry.

    Raises
    ------
    FileFormatError
        If the data does not follow the schema (the message gives the JSON path).

    Examples
    --------
    >>> game_from_json({"kind": "tree", "players": ["A"], "nodes": [
    ...     {"kind": "chance", "actions": ["h", "t"], "probabilities": ["1/3", "2/3"],
    ...      "children": [1, 2]},
    ...     {"kind": "terminal", "payoffs": [1]}, {"kind": "terminal", "payoffs": [0]}]}
    ... ).root.probabilities
    (Fraction(1, 3), Fraction(2, 3))
    """
    try:
        return _from_json(data, name, None)
    except FileFormatError:
        raise
    except BargainError as exc:
        raise FileFormatError(name, None, str(exc)) from None


def read_json_game(path: str | os.PathLike[str]) -> NormalFormGame | GameTree:
    """Read a game written by :func:`write_json_game`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_json_game(NormalFormGame([[[1]], [[2]]]), p)
    >>> read_json_game(p).payoffs[1].tolist()
    [[2.0]]
    """
    path = Path(path)
    data, text = load_json_text(path)
    try:
        return _from_json(data, str(path), text)
    except FileFormatError:
        raise
    except BargainError as exc:
        raise FileFormatError(str(path), None, str(exc)) from None


def load_json_text(path: Path) -> tuple[Any, str]:
    """The parsed JSON of a file (floats as Decimal) and its text; errors name the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(str(path), None, f"cannot read the file: {exc}") from None
    try:
        # Decimals keep a literal such as 1e-400 as written, so that the reader can refuse
        # it by name instead of letting it become 0.0 (json would read it as a float).
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FileFormatError(str(path), exc.lineno, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise FileFormatError(str(path), None, "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal of more than 4300 digits
        raise FileFormatError(str(path), None, f"invalid JSON: {exc}") from None
    return data, text


def write_json_game(game: NormalFormGame | GameTree, path: str | os.PathLike[str]) -> None:
    """Write a game (numeric or symbolic) as JSON, indented for reading.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_json_game(NormalFormGame([[[1, 2]], [[3, 4]]], title="t"), p)
    >>> json.loads(p.read_text())["strategies"]
    [['1'], ['1', '2']]
    """
    Path(path).write_text(json.dumps(game_to_json(game), indent=1) + "\n", encoding="utf-8")


# -- helpers -------------------------------------------------------------------------------
def _number_out(x: Any) -> Any:
    if is_symbolic(x):
        if x.is_Rational:
            return str(x) if x.q != 1 else int(x)
        return str(x)
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, Fraction):
        return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else x.numerator
    if isinstance(x, Integral):
        return int(x)
    return float(x)


class _Reader:
    def __init__(self, name: str, params: ParameterSet | None, text: str | None) -> None:
        self.name = name
        self.text = text
        self.params = params
        self.symbols = params.symbol_map() if params is not None else {}

    def fail(self, where: str, message: str) -> FileFormatError:
        return FileFormatError(self.name, None, f"{where}: {message}")

    def number(self, x: Any, where: str) -> Any:
        if isinstance(x, bool) or x is None:
            raise self.fail(where, f"expected a number, got {x!r}")
        if isinstance(x, Integral):
            return int(x)
        if isinstance(x, Decimal):
            if not x.is_finite():
                raise self.fail(where, f"{x} is not finite")
            f = float(x)
            if not math.isfinite(f):
                raise self.fail(where, f"{x} overflows double precision")
            if f == 0.0 and x != 0:
                raise self.fail(where, f"{x} underflows to zero in double precision")
            return f
        if isinstance(x, Real):
            if not math.isfinite(float(x)):
                raise self.fail(where, f"{x!r} is not finite")
            return float(x)
        if not isinstance(x, str):
            raise self.fail(where, f"expected a number or a string, got {x!r}")
        s = x.strip()
        if _RATIO.fullmatch(s) and len(s) < 1000:
            try:
                f = Fraction(s)
            except ZeroDivisionError:
                raise self.fail(where, f"{x!r} divides by zero") from None
            return f.numerator if f.denominator == 1 else f
        return self.expression(s, where)

    def expression(self, s: str, where: str) -> Any:
        try:
            return parse_expression(s, self.symbols, where=where)
        except ExpressionError as exc:
            raise FileFormatError(self.name, self.line_of(s), exc.args[0]) from None

    def line_of(self, s: str) -> int | None:
        """The line of the file where the string `s` first stands (None if unknown)."""
        if self.text is None:
            return None
        k = self.text.find(json.dumps(s))
        return None if k < 0 else self.text.count("\n", 0, k) + 1


def _get(d: Any, key: str, kind: type | tuple[type, ...], where: str, default: Any = ...) -> Any:
    if not isinstance(d, dict):
        raise FileFormatError("<json>", None, f"{where}: expected an object")
    if key not in d:
        if default is not ...:
            return default
        raise FileFormatError("<json>", None, f"{where}: missing {key!r}")
    v = d[key]
    if not isinstance(v, kind) or (isinstance(v, bool) and kind is not bool):
        raise FileFormatError("<json>", None, f"{where}.{key}: wrong type {type(v).__name__}")
    return v


def _from_json(data: Any, name: str, text: str | None) -> NormalFormGame | GameTree:
    try:
        return _from_json_unchecked(data, name, text)
    except FileFormatError as exc:
        if exc.path == "<json>":
            raise FileFormatError(name, None, str(exc).removeprefix("<json>: ")) from None
        raise


def read_parameters(data: Any, name: str, text: str | None) -> ParameterSet | None:
    """The ``"parameters"`` entry of a JSON game as a ParameterSet (None if absent)."""
    if "parameters" not in data:
        return None
    plain = _Reader(name, None, text)
    plist = _get(data, "parameters", list, "$")
    made = []
    for k, p in enumerate(plist):
        w = f"$.parameters[{k}]"
        bounds = _get(p, "bounds", list, w)
        if len(bounds) != 2 or any(isinstance(b, str) for b in bounds):
            raise plain.fail(f"{w}.bounds", f"expected two numbers, got {bounds!r}")
        made.append(
            Parameter(
                _get(p, "name", str, w),
                plain.number(_get(p, "default", (int, float, Decimal), w), f"{w}.default"),
                tuple(plain.number(b, f"{w}.bounds") for b in bounds),
                _get(p, "unit", str, w, ""),
                _get(p, "description", str, w, ""),
                _get(p, "source", str, w, ""),
                bool(_get(p, "integer", bool, w, False)),
            )
        )
    return ParameterSet(made)


def parameters_to_json(parameters: ParameterSet | None) -> list[dict[str, Any]] | None:
    """The ``"parameters"`` entry of a JSON game (None for no parameters)."""
    if parameters is None:
        return None
    return [
        {
            "name": p.name,
            "default": p.default,
            "bounds": list(p.bounds),
            "unit": p.unit,
            "description": p.description,
            "source": p.source,
            "integer": p.integer,
        }
        for p in parameters.parameters
    ]


def _from_json_unchecked(data: Any, name: str, text: str | None) -> Any:
    kind = _get(data, "kind", str, "$")
    if kind in JSON_KINDS:
        return JSON_KINDS[kind](data, name, text)
    if kind in _KINDS_ELSEWHERE:
        raise FileFormatError(
            name,
            None,
            f"$.kind: games of kind {kind!r} are read by {_KINDS_ELSEWHERE[kind]}; import it "
            "first (bargain.read_game does)",
        )
    title = _get(data, "title", str, "$", "")
    players = [str(p) for p in _get(data, "players", list, "$")]
    params = read_parameters(data, name, text)
    rd = _Reader(name, params, text)
    if kind == "normal_form":
        strategies = _get(data, "strategies", list, "$", None)
        raw = _get(data, "payoffs", list, "$")
        arrays = []
        for i, a in enumerate(raw):
            arr = np.array(a, dtype=object)
            if arr.dtype != object or arr.ndim != len(players):
                raise rd.fail(f"$.payoffs[{i}]", f"expected {len(players)} nested levels")
            out = np.empty(arr.shape, dtype=object)
            for idx, x in np.ndenumerate(arr):
                out[idx] = rd.number(x, f"$.payoffs[{i}]{list(idx)}")
            arrays.append(out)
        return NormalFormGame(
            arrays, players=players, strategies=strategies, parameters=params, title=title
        )
    if kind != "tree":
        raise rd.fail("$.kind", f"expected 'normal_form' or 'tree', got {kind!r}")
    specs = _get(data, "nodes", list, "$")
    if not specs:
        raise rd.fail("$.nodes", "a tree needs at least one node")
    built: list[Node | None] = [None] * len(specs)
    used = [False] * len(specs)
    for i in range(len(specs) - 1, -1, -1):
        w = f"$.nodes[{i}]"
        spec = specs[i]
        nk = _get(spec, "kind", str, w)
        label = _get(spec, "label", str, w, "")
        if nk == "terminal":
            pays = _get(spec, "payoffs", list, w)
            built[i] = Terminal(
                *(rd.number(x, f"{w}.payoffs[{k}]") for k, x in enumerate(pays)), label=label
            )
            continue
        actions = [str(a) for a in _get(spec, "actions", list, w)]
        kids = _get(spec, "children", list, w)
        if len(kids) != len(actions) or len(set(actions)) != len(actions):
            raise rd.fail(w, "needs one child per action and distinct action labels")
        nodes = []
        for k, j in enumerate(kids):
            if not isinstance(j, int) or isinstance(j, bool) or not i < j < len(specs):
                raise rd.fail(f"{w}.children[{k}]", f"expected a node index after {i}, got {j!r}")
            if used[j]:
                raise rd.fail(f"{w}.children[{k}]", f"node {j} already has a parent")
            used[j] = True
            nodes.append(built[j])
        if nk == "decision":
            player = _get(spec, "player", (str, int), w)
            infoset = _get(spec, "infoset", (str, type(None)), w, None)
            built[i] = Decision(
                player, dict(zip(actions, nodes, strict=True)), infoset=infoset, label=label
            )
        elif nk == "chance":
            probs = _get(spec, "probabilities", list, w)
            if len(probs) != len(actions):
                raise rd.fail(w, "needs one probability per action")
            built[i] = Chance(
                {
                    a: (rd.number(p, f"{w}.probabilities[{k}]"), n)
                    for k, (a, p, n) in enumerate(zip(actions, probs, nodes, strict=True))
                },
                label=label,
            )
        else:
            raise rd.fail(f"{w}.kind", f"expected 'decision', 'chance' or 'terminal', got {nk!r}")
    orphans = [j for j in range(1, len(specs)) if not used[j]]
    if orphans:
        raise rd.fail(f"$.nodes[{orphans[0]}]", "is not the child of any node")
    root = built[0]
    assert root is not None
    return GameTree(players, root, parameters=params, title=title)
