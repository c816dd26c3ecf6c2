"""Read and write games in Gambit's text formats: ``.nfg`` (strategic) and ``.efg`` (tree).

Both versions of ``.nfg`` are read: the *payoff* version (strategy counts or labels, then
one payoff per player per profile, the first player's strategy changing fastest) and the
*outcome* version (a list of named outcomes, then one outcome number per profile; 0 pays
nothing).  ``.efg`` files give a :class:`~bargain.games.extensive_form.GameTree`:

* numbers keep the form they are written in: integers → ``int``, ``p/q`` →
  :class:`fractions.Fraction`, decimals and exponents → ``float``.  Chance probabilities
  written as integers and ratios stay exact; a normal-form game stores floats (use
  :func:`read_exact_payoffs` for the exact values);
* an outcome at a non-terminal node adds its payoffs to every leaf below it;
* nodes of one player with the same information set number form one information set,
  named by the file's name for it when that name is unique, else ``"player:number"``
  (``"2:1"``); writing a tree turns such made-up names back into the numbers;
* empty or repeated player, strategy and action labels are made distinct the way Gambit
  does (``"" → "_1"``, ``"x", "x" → "x_1", "x_2"``).

Not kept: the file's comment, outcome names, chance event names.  Imperfect-recall trees
are read as they are (``tree.perfect_recall`` False, ``tree.recall_witness`` naming the
information set); :mod:`bargain.solvers.trees.imperfect` says how they are solved.

Malformed files raise :class:`~bargain.errors.FileFormatError` naming the file and line.
Reading is linear in the file size: no recursion, no backtracking, and array sizes are
checked against the number of values actually present before anything is allocated.

Examples
--------
>>> g = read_game_text('NFG 1 R "PD" { "A" "B" } { 2 2 }  3 3  5 0  0 5  1 1')
>>> g.shape, g.payoffs[0].tolist()
((2, 2), [[3.0, 0.0], [5.0, 1.0]])
>>> print(game_to_text(g), end="")
NFG 1 R "PD" { "A" "B" } { 2 2 }
""
<BLANKLINE>
3 3
5 0
0 5
1 1
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from bargain.errors import FileFormatError, GameShapeError
from bargain.games._gambit_efg import efg_text, parse_efg
from bargain.games._gambit_lexer import (
    Cursor,
    Token,
    distinct_labels,
    format_number,
    quote,
    read_header,
    tokenize,
)
from bargain.games.extensive_form import GameTree
from bargain.games.normal_form import NormalFormGame

__all__ = [
    "convert",
    "game_to_text",
    "read_exact_payoffs",
    "read_game",
    "read_game_text",
    "write_game",
]

Game = NormalFormGame | GameTree
_EXTENSIONS = (".nfg", ".efg", ".json")


def read_game(path: str | os.PathLike[str]) -> Game:
    """Read a game from a ``.nfg``, ``.efg`` or ``.json`` file (chosen by extension).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    NormalFormGame or GameTree

    Raises
    ------
    FileFormatError
        If the extension is unknown or the file is malformed (the message names the file
        and the line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pd.nfg"
    >>> _ = p.write_text('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> read_game(p).players
    ('A', 'B')
    """
    path = Path(path)
    ext = _extension(path)
    if ext == ".json":
        from bargain.games.json_io import read_json_game

        return read_json_game(path)
    text = _read_text(path)
    return read_game_text(text, name=str(path), fmt=ext[1:])


def read_game_text(text: str, name: str = "<string>", fmt: str | None = None) -> Game:
    """Parse the text of a Gambit file; `fmt` (``"nfg"``/``"efg"``) defaults to the header's.

    Parameters
    ----------
    text : str
    name : str
        Shown in error messages in place of a file name.
    fmt : {"nfg", "efg"}, optional

    Examples
    --------
    >>> t = read_game_text('EFG 2 R "" { "A" } "" p "" 1 1 "" { "L" "R" } 0 '
    ...                    't "" 1 "" { 1 } t "" 0')
    >>> t.root.actions["L"].payoffs, t.root.actions["R"].payoffs
    ((1,), (0,))
    """
    cur = Cursor(tokenize(text, name), name)
    if fmt is None:
        head = cur.peek()
        if head.kind != "symbol" or head.text not in ("NFG", "EFG"):
            raise cur.error(
                f"not a Gambit game file: expected 'NFG' or 'EFG' at the start, found "
                f"{head.describe()}"
            )
        fmt = head.text.lower()
    if fmt == "nfg":
        title, players, strategies, cells = _parse_nfg(cur)
        arrays = [np.vectorize(Token.as_float, otypes=[float])(a) for a in cells]
        try:
            return NormalFormGame(arrays, players=players, strategies=strategies, title=title)
        except GameShapeError as exc:  # pragma: no cover - the parser checks shapes first
            raise FileFormatError(name, None, str(exc)) from None
    if fmt == "efg":
        return parse_efg(cur)
    raise FileFormatError(name, None, f"unknown format {fmt!r}: expected 'nfg' or 'efg'")


def read_exact_payoffs(source: str | os.PathLike[str]) -> tuple[np.ndarray, ...]:
    """The payoffs of an ``.nfg`` file as exact :class:`~fractions.Fraction` arrays.

    Decimals are exact as Gambit reads them (``0.1`` is 1/10).

    Parameters
    ----------
    source : str or path-like
        A path to an ``.nfg`` file, or the text of one (a string starting with ``NFG``).

    Examples
    --------
    >>> a, b = read_exact_payoffs('NFG 1 R "" { "A" "B" } { 1 1 } 0.1 1/3')
    >>> a[0, 0], b[0, 0]
    (Fraction(1, 10), Fraction(1, 3))
    """
    if isinstance(source, str) and source.lstrip().startswith("NFG"):
        text, name = source, "<string>"
    else:
        text, name = _read_text(Path(source)), str(source)
    cells = _parse_nfg(Cursor(tokenize(text, name), name))[3]
    return tuple(np.vectorize(lambda t: t.exact, otypes=[object])(a) for a in cells)


def game_to_text(game: Game, fmt: str | None = None, *, outcomes: bool = False) -> str:
    """The Gambit text of a numeric game.

    Parameters
    ----------
    game : NormalFormGame or GameTree
    fmt : {"nfg", "efg"}, optional
        Default: ``"nfg"`` for a normal-form game, ``"efg"`` for a tree.  A tree written
        as ``"nfg"`` is its reduced strategic form.
    outcomes : bool
        Write the outcome version of ``.nfg`` (one outcome per distinct payoff vector).

    Raises
    ------
    FileFormatError
        If the game is symbolic, or a normal-form game is asked for as ``"efg"``.

    Examples
    --------
    >>> g = NormalFormGame([[[1, 0]], [[2, 3]]], strategies=[["x"], ["l", "r"]])
    >>> print(game_to_text(g, outcomes=True), end="")
    NFG 1 R "" { "1" "2" }
    { { "x" } { "l" "r" } }
    ""
    <BLANKLINE>
    {
    { "" 1, 2 }
    { "" 0, 3 }
    }
    1 2
    """
    return _text(game, fmt, outcomes, "<string>")


def write_game(game: Game, path: str | os.PathLike[str], *, outcomes: bool = False) -> None:
    """Write a game to ``.nfg``, ``.efg`` or ``.json`` (chosen by the extension).

    Parameters
    ----------
    game : NormalFormGame or GameTree
        Numeric (call ``game.numeric(...)`` first) unless writing ``.json``.
    path : str or path-like
    outcomes : bool
        For ``.nfg``: write the outcome version instead of the payoff version.

    Raises
    ------
    FileFormatError
        For an unknown extension, a symbolic game in a Gambit format, or a normal-form
        game written as ``.efg``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.nfg"
    >>> write_game(NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), p)
    >>> read_game(p).payoffs[0].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    path = Path(path)
    ext = _extension(path)
    if ext == ".json":
        from bargain.games.json_io import write_json_game

        write_json_game(game, path)
        return
    text = _text(game, ext[1:], outcomes, str(path))
    path.write_text(text, encoding="utf-8")


def convert(
    in_path: str | os.PathLike[str], out_path: str | os.PathLike[str], *, outcomes: bool = False
) -> Game:
    """Read `in_path` and write it to `out_path`, formats chosen by the extensions.

    ``.efg`` → ``.nfg`` writes the reduced strategic form; ``.nfg`` → ``.efg`` is refused.

    Returns
    -------
    NormalFormGame or GameTree
        The game as read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "g.nfg").write_text('NFG 1 R "" { "A" "B" } { 1 2 } 1 2 3 4')
    >>> _ = convert(d / "g.nfg", d / "g.json")
    >>> read_game(d / "g.json").payoffs[1].tolist()
    [[2.0, 4.0]]
    """
    game = read_game(in_path)
    write_game(game, out_path, outcomes=outcomes)
    return game


# -- helpers -------------------------------------------------------------------------------
def _extension(path: Path) -> str:
    ext = path.suffix.lower()
    if ext not in _EXTENSIONS:
        raise FileFormatError(
            str(path),
            None,
            f"unknown file extension {ext or '(none)'!r}: expected " + ", ".join(_EXTENSIONS),
        )
    return ext


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileFormatError(str(path), None, f"cannot read the file: {exc.strerror}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # older Gambit files are not always UTF-8


def _text(game: Any, fmt: str | None, outcomes: bool, where: str) -> str:
    if not isinstance(game, (NormalFormGame, GameTree)):
        raise FileFormatError(where, None, f"expected a NormalFormGame or GameTree, got {game!r}")
    if fmt is None:
        fmt = "efg" if isinstance(game, GameTree) else "nfg"
    if fmt not in ("nfg", "efg"):
        raise FileFormatError(where, None, f"unknown format {fmt!r}: expected 'nfg' or 'efg'")
    if game.is_symbolic:
        raise FileFormatError(
            where,
            None,
            "the game has symbolic payoffs and Gambit files hold numbers only: write "
            "game.numeric(...) instead (or save as .json, which keeps the expressions)",
        )
    if fmt == "efg":
        if not isinstance(game, GameTree):
            raise FileFormatError(
                where, None, "a normal-form game cannot be written as .efg; use .nfg"
            )
        return efg_text(game)
    if isinstance(game, GameTree):
        game = game.to_normal_form()
    return _nfg_text(game, outcomes)


def _parse_nfg(cur: Cursor) -> tuple[str, list[str], list[list[str]], list[np.ndarray]]:
    title, raw_players, close = read_header(cur, "NFG", "1")
    n = len(raw_players)
    if n == 0:
        raise cur.error("the game has no players", close)
    players = distinct_labels(raw_players)
    cur.expect("{", "'{' opening the strategies (counts or labelled lists)")
    strategies: list[list[str]] = []
    if cur.peek().kind == "{":
        for i in range(n):
            cur.expect("{", f"'{{' opening the strategy labels of player {i + 1}")
            labels = []
            while cur.peek().kind == "text":
                labels.append(cur.next().text)
            end = cur.expect("}", f"a quoted strategy label or '}}' for player {i + 1}")
            if not labels:
                raise cur.error(f"player {i + 1} has no strategies", end)
            strategies.append(distinct_labels(labels))
    else:
        for i in range(n):
            k = cur.expect_int(f"the number of strategies of player {i + 1}", low=1)
            if k > cur.remaining():
                raise cur.error(f"player {i + 1} has {k} strategies, more than the file holds")
            strategies.append([str(j + 1) for j in range(k)])
    cur.expect("}", f"'}}' closing the strategies of the {n} players")
    if cur.peek().kind == "text":
        cur.next()  # optional comment
    shape = tuple(len(s) for s in strategies)
    profiles = 1
    for k in shape:
        profiles *= k
    body = cur.peek()
    if body.kind == "{":
        flat = _outcome_body(cur, n, profiles)
    elif body.kind == "number":
        flat = _payoff_body(cur, n, profiles)
    else:
        raise cur.error(f"expected payoffs or a '{{' opening outcomes, found {body.describe()}")
    tail = cur.peek()
    if tail.kind != "eof":
        raise cur.error(f"unexpected {tail.describe()} after the {profiles} profiles of the game")
    arrays = []
    for i in range(n):
        a = np.empty(profiles, dtype=object)
        a[:] = [row[i] for row in flat]
        arrays.append(a.reshape(shape, order="F"))
    return title, players, strategies, arrays


def _payoff_body(cur: Cursor, n: int, profiles: int) -> list[list[Token]]:
    need = profiles * n
    have = cur.remaining()
    if have < need:
        last = cur.tokens[-1]
        raise cur.error(
            f"expected {need} payoffs ({profiles} profiles x {n} players), the file has "
            f"only {have} more values",
            last,
        )
    flat: list[list[Token]] = []
    for _ in range(profiles):
        row = []
        for _ in range(n):
            tok = cur.next()
            if tok.kind != "number":
                raise cur.error(f"expected a payoff (a number), found {tok.describe()}", tok)
            row.append(tok)
        flat.append(row)
    return flat


def _outcome_body(cur: Cursor, n: int, profiles: int) -> list[list[Token]]:
    cur.expect("{")
    table: list[list[Token]] = [[Token("number", "0", 0, "int")] * n]
    while cur.peek().kind == "{":
        k = len(table)
        open_tok = cur.next()
        if cur.peek().kind == "text":
            cur.next()
        values: list[Token] = []
        while True:
            tok = cur.next()
            if tok.kind == "}":
                break
            if tok.kind == ",":
                continue
            if tok.kind != "number":
                raise cur.error(
                    f"expected a payoff or '}}' in outcome {k}, found {tok.describe()}", tok
                )
            values.append(tok)
            if len(values) > n:
                raise cur.error(f"outcome {k} has more than {n} payoffs (one per player)", tok)
        if len(values) != n:
            raise cur.error(
                f"outcome {k} has {len(values)} payoff(s), expected {n} (one per player)",
                open_tok,
            )
        table.append(values)
    cur.expect("}", "'{' opening an outcome or '}' closing the list of outcomes")
    if cur.remaining() < profiles:
        raise cur.error(
            f"expected {profiles} outcome numbers (one per profile), the file has only "
            f"{cur.remaining()} more values",
            cur.tokens[-1],
        )
    flat = []
    for _ in range(profiles):
        tok = cur.peek()
        k = cur.expect_int("an outcome number (one per profile)")
        if k >= len(table):
            raise cur.error(f"outcome {k} does not exist: the file lists {len(table) - 1}", tok)
        flat.append(table[k])
    return flat


def _nfg_text(game: NormalFormGame, outcomes: bool) -> str:
    header = f"NFG 1 R {quote(game.title)} {{ {' '.join(quote(p) for p in game.players)} }}"
    default = all(list(s) == [str(j + 1) for j in range(len(s))] for s in game.strategies)
    if default and not outcomes:
        header += " { " + " ".join(str(k) for k in game.shape) + " }"
        lines = [header]
    else:
        labels = " ".join("{ " + " ".join(quote(x) for x in s) + " }" for s in game.strategies)
        lines = [header, "{ " + labels + " }"]
    lines += [quote(""), ""]
    columns = [a.reshape(-1, order="F") for a in game.payoffs]
    rows = [
        tuple(format_number(c[k], integral_floats=True) for c in columns)
        for k in range(columns[0].size)
    ]
    if not outcomes:
        lines += [" ".join(r) for r in rows]
        return "\n".join(lines) + "\n"
    index: dict[tuple[str, ...], int] = {}
    for r in rows:
        index.setdefault(r, len(index) + 1)
    lines.append("{")
    lines += [f"{{ {quote('')} {', '.join(r)} }}" for r in index]
    lines.append("}")
    lines.append(" ".join(str(index[r]) for r in rows))
    return "\n".join(lines) + "\n"
