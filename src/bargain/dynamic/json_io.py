"""Stochastic games as JSON files: ``"kind": "stochastic"`` in the bargain game schema.

Schema (version 1; docs/reference/files.md)::

    {"format": "bargain-game", "version": 1, "kind": "stochastic",
     "title": str, "players": [str, ...],
     "discount": number | [number, ...],            # one for all, or one per player
     "parameters": [...],                           # optional, as for other kinds
     "states": [
       {"name": str,
        "actions": [[str, ...], ...],               # per player; one label if he waits
        "payoffs": [array_player_1, ...],           # nested lists, shape (a_1, ..., a_N)
        "transitions": array},                      # shape (a_1, ..., a_N); each entry
       ...]}                                        # a list of n_states probabilities
                                                    # or {"state name": probability}

A *number* is a JSON number, ``"p/q"``, or an expression string in the declared
parameters, read by :func:`bargain.games.expression.parse_expression` (never evaluated as
code).  Errors are :class:`~bargain.errors.FileFormatError` naming the file, the JSON path
(``$.states[1].transitions[0][1]``) and the line: the line of the offending string, or
else the line where the state's name stands.

Examples
--------
>>> import numpy as np
>>> from bargain.dynamic import StochasticGame
>>> g = StochasticGame.from_arrays(np.array([[[1.0, 0.0]]]), np.ones((1, 2, 1)), 0.5)
>>> d = stochastic_to_json(g)
>>> d["kind"], d["states"][0]["transitions"]
('stochastic', [[1.0], [1.0]])
>>> stochastic_from_json(d).payoffs[0].tolist()
[[1.0, 0.0]]
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from bargain.dynamic.game import StochasticGame
from bargain.errors import BargainError, FileFormatError
from bargain.games.json_io import (
    _get,
    _number_out,
    _Reader,
    load_json_text,
    parameters_to_json,
    read_parameters,
)

__all__ = [
    "read_stochastic_game",
    "stochastic_from_json",
    "stochastic_to_json",
    "write_stochastic_game",
]


def stochastic_to_json(game: StochasticGame) -> dict[str, Any]:
    """The JSON form (plain lists, strings and numbers) of a stochastic game.

    Symbolic entries are written as expression strings, exact rationals as ``"p/q"``.

    Examples
    --------
    >>> import sympy
    >>> g = StochasticGame([[[sympy.Rational(1, 3)]]], [[[1]]], 0.9, states=["only"])
    >>> stochastic_to_json(g)["states"][0]["payoffs"]
    [['1/3']]
    """
    out: dict[str, Any] = {"format": "bargain-game", "version": 1, "kind": "stochastic"}
    out["title"] = game.title
    out["players"] = list(game.players)
    d = [_number_out(x) for x in game.discount]
    out["discount"] = d[0] if len(set(map(str, d))) == 1 else d
    params = parameters_to_json(game.parameters)
    if params is not None:
        out["parameters"] = params
    conv = np.vectorize(_number_out, otypes=[object])
    states = []
    for s, name in enumerate(game.states):
        u, t = game.payoffs[s], game.transitions[s]
        states.append(
            {
                "name": name,
                "actions": [list(a) for a in game.actions[s]],
                "payoffs": [conv(u[i]).tolist() for i in range(game.n_players)],
                "transitions": conv(t).tolist(),
            }
        )
    out["states"] = states
    return out


def stochastic_from_json(
    data: Any, name: str = "<json>", text: str | None = None
) -> StochasticGame:
    """Build a :class:`StochasticGame` from its JSON form.

    Parameters
    ----------
    data : dict
        The parsed JSON (floats may be :class:`~decimal.Decimal`).
    name, text : str
        File name and text, for error messages.

    Raises
    ------
    FileFormatError
        If the data does not follow the schema (the message gives the JSON path).

    Examples
    --------
    >>> g = stochastic_from_json({"kind": "stochastic", "players": ["A"], "discount": "1/2",
    ...     "states": [{"name": "s", "actions": [["x", "y"]], "payoffs": [[1, 0]],
    ...                 "transitions": [{"s": 1}, [1]]}]})
    >>> g.states, g.actions[0][0], g.discount
    (('s',), ('x', 'y'), (0.5,))
    """
    try:
        return _Stochastic(data, name, text).game()
    except FileFormatError as exc:
        if exc.path == "<json>":
            raise FileFormatError(name, exc.line, exc.message) from None
        raise
    except BargainError as exc:
        raise FileFormatError(name, None, str(exc)) from None


def read_stochastic_game(path: str | os.PathLike[str]) -> StochasticGame:
    """Read a stochastic game from a JSON file (also through :func:`bargain.read_game`).

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> g = StochasticGame.from_arrays(np.zeros((2, 1, 2)), np.full((2, 2, 2), 0.5), 0.9)
    >>> write_stochastic_game(g, p)
    >>> read_stochastic_game(p).transitions[1].tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    path = Path(path)
    data, text = load_json_text(path)
    if not isinstance(data, dict) or data.get("kind") != "stochastic":
        raise FileFormatError(str(path), None, '$.kind: expected "stochastic"')
    return stochastic_from_json(data, str(path), text)


def write_stochastic_game(game: StochasticGame, path: str | os.PathLike[str]) -> None:
    """Write a stochastic game (numeric or symbolic) as JSON.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
    >>> write_stochastic_game(StochasticGame([[[1.0]]], [[[1.0]]], 0.9), p)
    >>> json.loads(p.read_text())["discount"]
    0.9
    """
    text = json.dumps(stochastic_to_json(game), indent=1) + "\n"
    Path(path).write_text(text, encoding="utf-8")


class _Stochastic:
    """One pass over the JSON of a stochastic game, remembering where each state stands."""

    def __init__(self, data: Any, name: str, text: str | None) -> None:
        self.data, self.name, self.text = data, name, text
        self.params = read_parameters(data, name, text)
        self.rd = _Reader(name, self.params, text)

    def fail(self, where: str, message: str, line: int | None = None) -> FileFormatError:
        return FileFormatError(self.name, line, f"{where}: {message}")

    def state_line(self, s: int) -> int | None:
        """The line of state `s`'s name in the file (None if unknown)."""
        specs = self.data.get("states")
        if self.text is None or not isinstance(specs, list) or not isinstance(specs[s], dict):
            return None
        nm = specs[s].get("name")
        if not isinstance(nm, str):
            return None
        m = re.search(r'"name"\s*:\s*' + re.escape(json.dumps(nm)), self.text)
        return None if m is None else self.text.count("\n", 0, m.start()) + 1

    def number(self, x: Any, where: str, s: int | None = None) -> Any:
        try:
            return self.rd.number(x, where)
        except FileFormatError as exc:
            if exc.line is None and s is not None:
                raise FileFormatError(self.name, self.state_line(s), exc.message) from None
            raise

    def array(self, raw: Any, shape: tuple[int, ...], where: str, s: int) -> np.ndarray:
        arr = np.array(raw, dtype=object)
        if arr.shape != shape:
            raise self.fail(
                where,
                f"expected nested lists of shape {shape}, got {arr.shape}",
                self.state_line(s),
            )
        out = np.empty(shape, dtype=object)
        for idx, x in np.ndenumerate(arr):
            out[idx] = self.number(x, f"{where}{list(idx)}", s)
        return out

    def game(self) -> StochasticGame:
        d = self.data
        if not isinstance(d, dict):
            raise self.fail("$", "expected an object")
        title = _get(d, "title", str, "$", "")
        players = [str(p) for p in _get(d, "players", list, "$")]
        n = len(players)
        if n < 1:
            raise self.fail("$.players", "a game needs at least one player")
        specs = _get(d, "states", list, "$")
        if not specs:
            raise self.fail("$.states", "a stochastic game needs at least one state")
        names = [str(_get(sp, "name", str, f"$.states[{s}]")) for s, sp in enumerate(specs)]
        if len(set(names)) != len(names):
            dup = next(x for x in names if names.count(x) > 1)
            raise self.fail("$.states", f"state name {dup!r} appears twice")
        index = {x: k for k, x in enumerate(names)}
        raw_d = d.get("discount")
        if raw_d is None:
            raise self.fail("$", "missing 'discount'")
        if isinstance(raw_d, list):
            discount = [self.number(x, f"$.discount[{i}]") for i, x in enumerate(raw_d)]
        else:
            discount = self.number(raw_d, "$.discount")
        payoffs, transitions, actions = [], [], []
        for s, sp in enumerate(specs):
            w = f"$.states[{s}]"
            acts = _get(sp, "actions", list, w)
            if len(acts) != n or not all(isinstance(a, list) and a for a in acts):
                raise self.fail(
                    f"{w}.actions",
                    f"expected one non-empty list of labels per player ({n})",
                    self.state_line(s),
                )
            labels = [[str(x) for x in a] for a in acts]
            shape = tuple(len(a) for a in labels)
            raw_u = _get(sp, "payoffs", list, w)
            if len(raw_u) != n:
                raise self.fail(
                    f"{w}.payoffs", f"expected one array per player ({n})", self.state_line(s)
                )
            u = np.empty((n, *shape), dtype=object)
            for i, a in enumerate(raw_u):
                u[i] = self.array(a, shape, f"{w}.payoffs[{i}]", s)
            payoffs.append(u)
            transitions.append(self.transitions(sp, shape, index, w, s))
            actions.append(labels)
        return StochasticGame(
            payoffs,
            transitions,
            discount,
            players=players,
            states=names,
            actions=actions,
            parameters=self.params,
            title=title,
        )

    def transitions(
        self, sp: Any, shape: tuple[int, ...], index: dict[str, int], w: str, s: int
    ) -> np.ndarray:
        raw = _get(sp, "transitions", list, w)
        S = len(index)
        out = np.empty((*shape, S), dtype=object)

        def walk(x: Any, idx: tuple[int, ...]) -> None:
            where = f"{w}.transitions{list(idx)}"
            if len(idx) == len(shape):
                if isinstance(x, dict):
                    row: list[Any] = [0] * S
                    for target, p in x.items():
                        if target not in index:
                            raise self.fail(where, f"no state named {target!r}", self.state_line(s))
                        row[index[target]] = self.number(p, f"{where}.{target}", s)
                elif isinstance(x, list) and len(x) == S:
                    row = [self.number(p, f"{where}[{t}]", s) for t, p in enumerate(x)]
                else:
                    raise self.fail(
                        where,
                        f"expected a list of {S} probabilities or an object "
                        '{"state name": probability}',
                        self.state_line(s),
                    )
                out[idx] = np.array(row, dtype=object)
                return
            k = shape[len(idx)]
            if not isinstance(x, list) or len(x) != k:
                raise self.fail(
                    where, f"expected a list of {k} entries (one per action)", self.state_line(s)
                )
            for j, y in enumerate(x):
                walk(y, (*idx, j))

        walk(raw, ())
        return out
