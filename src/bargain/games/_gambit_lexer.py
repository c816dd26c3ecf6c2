"""Tokens of Gambit's text formats (.nfg, .efg), with line numbers, and a cursor over them.

The lexer runs once over the text, left to right, and never backtracks, so its time is
linear in the length of the file.  Every problem raises
:class:`~bargain.errors.FileFormatError` naming the file and the 1-based line.

Token kinds: ``"{"``, ``"}"``, ``","``, ``"text"`` (a double-quoted label; ``\\"`` is a
quote and ``\\\\`` a backslash inside it), ``"number"`` (integer ``-3``, decimal ``.80``,
``1.5e-3``, or rational ``3/4``), ``"symbol"`` (any other run of characters, e.g. ``NFG``,
``R``, ``p``) and ``"eof"``.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral
from typing import Any

from bargain.errors import FileFormatError

__all__ = ["Cursor", "Token", "distinct_labels", "format_number", "quote", "tokenize"]

_NUMBER = re.compile(
    r"[+-]?(?:(?P<rat>\d+/\d+)|(?P<dec>(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)|\d+)",
    re.ASCII,
)
_FLOAT_MAX = Fraction(sys.float_info.max)
_MAX_DIGITS = 4000  # Python's int() refuses more than 4300 digits; stay below it
_MAX_EXPONENT = 400


@dataclass(slots=True)
class Token:
    """One token: its kind, text (a label without its quotes), line, and number kind.

    ``number_kind`` is ``"int"``, ``"rational"`` or ``"decimal"`` for numbers.
    """

    kind: str
    text: str
    line: int
    number_kind: str = ""

    def describe(self) -> str:
        """How the token appears in an error message."""
        if self.kind == "eof":
            return "the end of the file"
        shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
        return f"the label {shown!r}" if self.kind == "text" else repr(shown)

    @property
    def exact(self) -> Fraction:
        """The number as an exact Fraction (decimals are exact, as Gambit reads them)."""
        return Fraction(self.text)

    def value(self) -> Any:
        """The number as written: ``int`` for integers, ``Fraction`` for ``p/q``,
        ``float`` for decimals."""
        if self.number_kind == "int":
            return int(self.text)
        if self.number_kind == "rational":
            return Fraction(self.text)
        return float(self.text)

    def as_float(self) -> float:
        """The number as the nearest float."""
        if self.number_kind == "rational":
            return float(Fraction(self.text))
        return float(self.text)


# one alternative per token kind; strings: escaped characters or anything but '"' and '\'
_SCAN = re.compile(
    r'(?P<ws>[ \t\r\n\v\f]+)|(?P<punct>[{},])|"(?P<text>(?:[^"\\]|\\.)*+)"|(?P<quote>")'
    r'|(?P<word>[^ \t\r\n\v\f{},"]+)',
    re.DOTALL,
)
_UNESCAPE = re.compile(r'\\(["\\])')


def tokenize(text: str, path: str) -> list[Token]:
    """Split `text` into tokens; the list always ends with one ``"eof"`` token.

    Examples
    --------
    >>> [t.kind for t in tokenize('NFG 1 R "a \\\\"b\\\\"" { 3/4, -.5 }', "<string>")]
    ['symbol', 'number', 'symbol', 'text', '{', 'number', ',', 'number', '}', 'eof']
    """
    tokens: list[Token] = []
    line = 1
    append = tokens.append
    for m in _SCAN.finditer(text):
        kind = m.lastgroup
        if kind == "ws":
            line += m.group().count("\n")
        elif kind == "punct":
            c = m.group()
            append(Token(c, c, line))
        elif kind == "text":
            raw = m.group("text")
            label = _UNESCAPE.sub(r"\1", raw) if "\\" in raw else raw
            append(Token("text", label, line))
            line += raw.count("\n")
        elif kind == "quote":
            raise FileFormatError(
                path, line, "unterminated label: a '\"' opened here is never closed"
            )
        else:
            word = m.group()
            if word[0] in "0123456789+-.":
                append(_number(word, line, path))
            else:
                append(Token("symbol", word, line))
    last = tokens[-1].line if tokens else 1
    append(Token("eof", "", last))
    return tokens


def _number(word: str, line: int, path: str) -> Token:
    m = _NUMBER.fullmatch(word)
    if m is None:
        raise FileFormatError(path, line, f"malformed number {word[:40]!r}")
    if len(word) > _MAX_DIGITS:
        raise FileFormatError(path, line, f"number with {len(word)} characters is too long")
    if m.group("rat"):
        num, den = word.split("/")
        if int(den) == 0:
            raise FileFormatError(path, line, f"number {word!r} divides by zero")
        kind = "rational"
        big = len(word) > 300 and abs(Fraction(int(num), int(den))) > _FLOAT_MAX
    elif m.group("dec"):
        exp = word.lower().partition("e")[2]
        if exp and abs(int(exp)) > _MAX_EXPONENT:
            raise FileFormatError(path, line, f"number {word!r} is out of range")
        kind = "decimal"
        big = not math.isfinite(float(word))
    else:
        kind = "int"
        big = len(word) > 300 and abs(int(word)) > _FLOAT_MAX
    if big:
        raise FileFormatError(path, line, f"number {word[:40]!r} is too large")
    if kind != "int" and _underflows(word, kind):
        # 1e-400 would become 0.0 and could turn a strictly dominant strategy into a tie;
        # refuse it by name rather than change the game.
        raise FileFormatError(
            path, line, f"number {word[:40]!r} underflows to zero in double precision"
        )
    return Token("number", word, line, kind)


def _underflows(word: str, kind: str) -> bool:
    """Whether a nonzero decimal or rational becomes 0.0 as a float."""
    exact = Fraction(word)
    return exact != 0 and float(exact) == 0.0


class Cursor:
    """Walks a token list; ``expect_*`` methods raise a FileFormatError on a mismatch.

    Examples
    --------
    >>> cur = Cursor(tokenize('{ "a" 2 }', "g.nfg"), "g.nfg")
    >>> cur.expect("{").kind, cur.expect_text("a label"), cur.expect_int("a count")
    ('{', 'a', 2)
    """

    def __init__(self, tokens: list[Token], path: str) -> None:
        self.tokens = tokens
        self.path = path
        self.pos = 0

    def peek(self, k: int = 0) -> Token:
        """The token `k` places ahead (the final ``"eof"`` token past the end)."""
        return self.tokens[min(self.pos + k, len(self.tokens) - 1)]

    def next(self) -> Token:
        """Consume and return the current token (``"eof"`` repeats at the end)."""
        tok = self.peek()
        if self.pos < len(self.tokens) - 1:
            self.pos += 1
        return tok

    def remaining(self) -> int:
        """Number of tokens left before the end of the file."""
        return len(self.tokens) - 1 - self.pos

    def error(self, message: str, tok: Token | None = None) -> FileFormatError:
        """A FileFormatError at `tok` (default: the current token)."""
        return FileFormatError(self.path, (tok or self.peek()).line, message)

    def expect(self, kind: str, what: str | None = None) -> Token:
        """Consume a token of `kind` or raise, naming `what` was expected."""
        tok = self.next()
        if tok.kind != kind:
            want = what or (f"'{kind}'" if kind in "{}," else f"a {kind}")
            raise self.error(f"expected {want}, found {tok.describe()}", tok)
        return tok

    def expect_text(self, what: str) -> str:
        """Consume a quoted label."""
        return self.expect("text", what).text

    def expect_int(self, what: str, *, low: int = 0) -> int:
        """Consume a whole number >= `low`."""
        tok = self.next()
        if tok.kind != "number" or tok.number_kind != "int":
            raise self.error(f"expected {what} (a whole number), found {tok.describe()}", tok)
        value = int(tok.text)
        if value < low:
            raise self.error(f"{what} must be at least {low}, found {value}", tok)
        return value

    def expect_symbol(self, allowed: Iterable[str], message: str) -> str:
        """Consume a bare word out of `allowed` (the message says what this file is not)."""
        tok = self.next()
        allowed = tuple(allowed)
        if tok.kind not in ("symbol", "number") or tok.text not in allowed:
            raise self.error(f"{message}, found {tok.describe()}", tok)
        return tok.text

    def number_list(self, count: int, what: str) -> tuple[list[Token], Token]:
        """Read ``{ x1 x2 ... }`` with optional commas; exactly `count` numbers.

        Returns the numbers and the opening brace (for error lines).
        """
        open_tok = self.expect("{", f"'{{' opening the {what}")
        values: list[Token] = []
        while True:
            tok = self.next()
            if tok.kind == "}":
                break
            if tok.kind == ",":
                continue
            if tok.kind != "number":
                raise self.error(
                    f"expected a number or '}}' in the {what}, found {tok.describe()}", tok
                )
            values.append(tok)
            if len(values) > count:
                raise self.error(f"the {what} has more than {count} numbers (one per player)", tok)
        if len(values) != count:
            raise FileFormatError(
                self.path,
                open_tok.line,
                f"the {what} has {len(values)} number(s), expected {count} (one per player)",
            )
        return values, open_tok


def read_header(cur: Cursor, magic: str, version: str) -> tuple[str, list[str], Token]:
    """Read ``MAGIC VERSION R "title" { "player" ... }``, shared by .nfg and .efg.

    Returns the title, the player names as written, and the closing ``}`` token (for the
    line of a "no players" error).
    """
    ext = magic.lower()
    cur.expect_symbol([magic], f"not a Gambit .{ext} file: expected '{magic}' at the start")
    cur.expect_symbol([version], f"unsupported .{ext} version: expected '{magic} {version}'")
    cur.expect_symbol(["R", "D"], f"expected 'R' after '{magic} {version}'")
    title = cur.expect_text("the game's title (a quoted label)")
    cur.expect("{", "'{' opening the list of players")
    raw_players: list[str] = []
    while cur.peek().kind == "text":
        raw_players.append(cur.next().text)
    close = cur.expect("}", "a quoted player name or '}'")
    return title, raw_players, close


def distinct_labels(labels: Iterable[str]) -> list[str]:
    """Make labels nonempty and distinct the way Gambit does: ``x, x -> x_1, x_2``.

    A label that is unique and nonempty is kept; others get the next free suffix.

    Examples
    --------
    >>> distinct_labels(["a", "", "b", "b", "b_1"])
    ['a', '_1', 'b_2', 'b_3', 'b_1']
    """
    labels = list(labels)
    counts: dict[str, int] = {}
    for s in labels:
        counts[s] = counts.get(s, 0) + 1
    used = set(labels)
    next_suffix: dict[str, int] = {}
    out = []
    for s in labels:
        if counts[s] == 1 and s != "":
            out.append(s)
            continue
        k = next_suffix.get(s, 0)
        while True:
            k += 1
            candidate = f"{s}_{k}"
            if candidate not in used:
                break
        next_suffix[s] = k
        used.add(candidate)
        out.append(candidate)
    return out


def quote(label: str) -> str:
    """A label in double quotes with ``"`` and ``\\`` escaped.

    Examples
    --------
    >>> print(quote('say "hi"'))
    "say \\"hi\\""
    """
    return '"' + str(label).replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_number(x: Any, *, integral_floats: bool = False) -> str:
    """A number as Gambit reads it: ``3``, ``-1/3``, ``0.25``, ``1e-05``.

    Floats keep their exact value (shortest repr); with `integral_floats`, a float that
    is a whole number is written without a decimal point.

    Examples
    --------
    >>> format_number(Fraction(-1, 3)), format_number(2.0), format_number(2.0, integral_floats=True)
    ('-1/3', '2.0', '2')
    """
    if isinstance(x, bool):
        raise TypeError(f"not a number: {x!r}")
    if isinstance(x, Integral):
        return str(int(x))
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    f = float(x)
    if not math.isfinite(f):
        raise ValueError(f"not a finite number: {x!r}")
    if integral_floats and f.is_integer() and abs(f) < 2.0**53:
        return str(int(f))
    return repr(f)
