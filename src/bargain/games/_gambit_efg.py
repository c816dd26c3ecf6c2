"""Gambit extensive-form files (.efg, version 2): parse into a GameTree and write one.

The parser reads the nodes in preorder with an explicit stack (no recursion, so deep
trees cannot exhaust Python's stack); each node consumes a bounded number of tokens.
Information sets are keyed by ``(player, number)``; an outcome at a non-terminal node adds
its payoffs to every leaf below it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from bargain.errors import FileFormatError, GameShapeError
from bargain.games._gambit_lexer import (
    Cursor,
    Token,
    distinct_labels,
    format_number,
    quote,
    read_header,
)
from bargain.games.extensive_form import Chance, Decision, GameTree, Node, Terminal

__all__ = ["efg_text", "parse_efg"]

_SYNTHETIC = re.compile(r"(\d+):(\d+)")


@dataclass
class _Infoset:
    name: str
    actions: list[str]  # normalized (distinct, nonempty)
    raw: list[str]  # as written, to compare restatements
    probs: list[Any] | None  # chance only
    line: int


@dataclass
class _Frame:
    kind: str  # "p" or "c"
    label: str
    line: int
    player: int  # 1-based; 0 for chance
    key: tuple[int, int]
    actions: list[str]
    probs: list[Any] | None
    cum: list[Any]  # payoffs accumulated from outcomes on the path, this node included
    children: list[Node] = field(default_factory=list)


def parse_efg(cur: Cursor) -> GameTree:
    """Parse a whole .efg file from `cur` (positioned at the start)."""
    path = cur.path
    title, raw_players, close = read_header(cur, "EFG", "2")
    if not raw_players:
        raise FileFormatError(path, close.line, "the game has no players")
    players = distinct_labels(raw_players)
    n = len(players)
    if cur.peek().kind == "text":
        cur.next()  # the optional comment (not kept: GameTree has no field for it)

    infosets: dict[tuple[int, int], _Infoset] = {}
    outcomes: dict[int, list[Any]] = {}
    outcome_names: dict[int, str] = {}
    lines: list[int] = []  # line of each node, in preorder (= GameTree node ids)
    decisions: list[tuple[Decision, tuple[int, int]]] = []
    stack: list[_Frame] = []
    root: Node | None = None
    zero: list[Any] = [0] * n
    while root is None:
        tok = cur.next()
        parent = stack[-1] if stack else None
        lines.append(tok.line)
        base = zero if parent is None else parent.cum
        if tok.kind == "eof":
            if parent is None:
                raise cur.error("the file has no nodes after the header", tok)
            raise cur.error(
                f"the file ends before the tree is complete: the node at line {parent.line} "
                f"has {len(parent.actions)} actions but only {len(parent.children)} "
                "subtree(s) follow",
                tok,
            )
        if tok.kind != "symbol" or tok.text not in ("p", "c", "t"):
            raise cur.error(f"expected a node type 'p', 'c' or 't', found {tok.describe()}", tok)
        label = cur.expect_text("the node's label (a quoted string)")
        if tok.text == "t":
            own = _outcome(cur, n, outcomes, outcome_names)
            payoffs = _add(base, own, cur, tok)
            node: Node = Terminal(*payoffs, label=label)
        else:
            if tok.text == "p":
                player = cur.expect_int("a player number", low=1)
                if player > n:
                    raise cur.error(
                        f"player {player} does not exist: the game has {n} players", tok
                    )
            else:
                player = 0
            number = cur.expect_int("an information set number", low=1)
            iset = _infoset(cur, tok, player, number, infosets)
            own = _outcome(cur, n, outcomes, outcome_names)
            stack.append(
                _Frame(
                    tok.text,
                    label,
                    tok.line,
                    player,
                    (player, number),
                    iset.actions,
                    iset.probs,
                    _add(base, own, cur, tok) if own is not None else base,
                )
            )
            continue
        # a finished subtree: attach it, closing every parent it completes
        while stack:
            frame = stack[-1]
            frame.children.append(node)
            if len(frame.children) < len(frame.actions):
                break
            stack.pop()
            node = _build(frame, players, decisions)
        else:
            root = node
    extra = cur.peek()
    if extra.kind != "eof":
        raise cur.error(
            f"unexpected {extra.describe()} after the last node of the tree "
            "(every node's subtrees are already complete)",
            extra,
        )
    names = _infoset_names(infosets)
    for decision, key in decisions:
        decision.infoset = names[key]
    try:
        return GameTree(players, root, title=title)
    except GameShapeError as exc:
        raise FileFormatError(path, _line_of(str(exc), root, lines), str(exc)) from None


def _line_of(message: str, root: Node, lines: list[int]) -> int:
    """The line of the node a GameTree error names (the latest one if it names several).

    GameTree names nodes by their path (``node at L/r``); paths are rebuilt here, on the
    error path only, and only while their total length stays moderate.
    """
    where: dict[str, int] = {}
    budget = 5_000_000
    stack: list[tuple[Node, str]] = [(root, "")]
    k = 0
    while stack and budget > 0:
        node, path = stack.pop()
        where.setdefault("node at " + (path or "root"), lines[k])
        k += 1
        budget -= len(path) + 10
        kids = node.children()
        for label, child in reversed(kids):
            stack.append((child, f"{path}/{label}" if path else label))
    hits = [w for w in where if w in message]
    maximal = [w for w in hits if not any(o != w and o.startswith(w + "/") for o in hits)]
    return max((where[w] for w in maximal), default=lines[0])


def _infoset(
    cur: Cursor, tok: Token, player: int, number: int, infosets: dict[tuple[int, int], _Infoset]
) -> _Infoset:
    key = (player, number)
    what = (
        f"chance event {number}"
        if player == 0
        else (f"information set {number} of player {player}")
    )
    if cur.peek().kind not in ("text", "{"):
        known = infosets.get(key)
        if known is None:
            raise cur.error(f"{what} is used before its actions are declared", tok)
        return known
    name = cur.next().text if cur.peek().kind == "text" else ""
    open_tok = cur.expect("{", f"'{{' opening the actions of {what}")
    raw: list[str] = []
    probs: list[Token] = []
    while cur.peek().kind != "}":
        raw.append(cur.expect_text(f"an action label (a quoted string) or '}}' for {what}"))
        if player == 0:
            probs.append(cur.expect("number", f"the probability of chance action {raw[-1]!r}"))
            if cur.peek().kind == ",":
                cur.next()
    cur.next()
    if not raw:
        raise cur.error(f"{what} has no actions", open_tok)
    values = _probabilities(cur, tok, what, probs) if player == 0 else None
    known = infosets.get(key)
    if known is None:
        infosets[key] = known = _Infoset(name, distinct_labels(raw), raw, values, tok.line)
    elif known.name != name or known.raw != raw or known.probs != values:
        raise cur.error(
            f"{what} is declared again with different "
            + (
                "a name"
                if known.name != name
                else "actions"
                if known.raw != raw
                else "probabilities"
            )
            + f" than at line {known.line}: {name!r} {raw} vs {known.name!r} {known.raw}",
            tok,
        )
    return known


def _probabilities(cur: Cursor, tok: Token, what: str, probs: list[Token]) -> list[Any]:
    exact = all(p.number_kind in ("int", "rational") for p in probs)
    values = [p.exact if exact else p.value() for p in probs]
    for p, v in zip(probs, values, strict=True):
        if v < 0:
            raise cur.error(f"{what}: negative probability {p.text}", p)
    total = sum(values) if exact else math.fsum(values)
    if (total != 1) if exact else not math.isclose(total, 1.0, abs_tol=1e-9):
        shown = " + ".join(p.text for p in probs)
        raise cur.error(f"{what}: probabilities {shown} sum to {total}, not 1", tok)
    return values


def _outcome(
    cur: Cursor, n: int, outcomes: dict[int, list[Any]], names: dict[int, str]
) -> list[Any] | None:
    num_tok = cur.peek()
    number = cur.expect_int("an outcome number (0 for none)")
    if cur.peek().kind not in ("text", "{"):
        if number == 0:
            return None
        if number not in outcomes:
            raise cur.error(f"outcome {number} is used before its payoffs are given", num_tok)
        return outcomes[number]
    if number == 0:
        raise cur.error("outcome 0 (no outcome) cannot have a name or payoffs", num_tok)
    name = cur.next().text if cur.peek().kind == "text" else ""
    toks, _ = cur.number_list(n, f"payoffs of outcome {number}")
    values = [t.value() for t in toks]
    if number in outcomes and (outcomes[number] != values or names[number] != name):
        raise cur.error(
            f"outcome {number} is declared again with different "
            + ("payoffs" if outcomes[number] != values else "name")
            + f": {name!r} {values} vs {names[number]!r} {outcomes[number]}",
            num_tok,
        )
    outcomes[number], names[number] = values, name
    return values


def _add(base: list[Any], own: list[Any] | None, cur: Cursor, tok: Token) -> list[Any]:
    if own is None:
        return base
    out = [a + b for a, b in zip(base, own, strict=True)]
    for x in out:
        try:
            ok = math.isfinite(float(x))
        except OverflowError:
            ok = False
        if not ok:
            raise cur.error("accumulated payoffs along the path are too large", tok)
    return out


def _build(
    frame: _Frame, players: list[str], decisions: list[tuple[Decision, tuple[int, int]]]
) -> Node:
    if frame.kind == "c":
        outs = {
            a: (p, child)
            for a, p, child in zip(frame.actions, frame.probs or (), frame.children, strict=True)
        }
        return Chance(outs, label=frame.label)
    acts = dict(zip(frame.actions, frame.children, strict=True))
    node = Decision(players[frame.player - 1], acts, label=frame.label)
    decisions.append((node, frame.key))
    return node


def _infoset_names(infosets: dict[tuple[int, int], _Infoset]) -> dict[tuple[int, int], str]:
    """The file's name where it names one information set only, else ``"player:number"``."""
    counts: dict[str, int] = {}
    for k, s in infosets.items():
        if k[0] > 0:
            counts[s.name] = counts.get(s.name, 0) + 1
    names = {}
    for k, s in infosets.items():
        own = f"{k[0]}:{k[1]}"
        m = _SYNTHETIC.fullmatch(s.name)
        ok = k[0] > 0 and s.name and counts[s.name] == 1 and (m is None or s.name == own)
        names[k] = s.name if ok else own
    return names


def efg_text(tree: GameTree) -> str:
    """The .efg text of a numeric GameTree (every node on its own line, in preorder)."""
    numbers = _infoset_numbers(tree)
    lines = [
        f"EFG 2 R {quote(tree.title)} {{ {' '.join(quote(p) for p in tree.players)} }}",
        quote(""),
        "",
    ]
    n_chance = n_outcome = 0
    for i, node in tree.walk():
        if isinstance(node, Terminal):
            n_outcome += 1
            pays = ", ".join(format_number(x) for x in node.payoffs)
            lines.append(f"t {quote(node.label)} {n_outcome} {quote('')} {{ {pays} }}")
        elif isinstance(node, Chance):
            n_chance += 1
            acts = " ".join(f"{quote(a)} {format_number(p)}" for a, (p, _) in node.outcomes.items())
            lines.append(f"c {quote(node.label)} {n_chance} {quote('')} {{ {acts} }} 0")
        else:
            s = tree.infosets[tree.infoset_of(i)]
            number, name = numbers[s.index]
            acts = " ".join(quote(a) for a in s.actions)
            lines.append(
                f"p {quote(node.label)} {s.player + 1} {number} {quote(name)} {{ {acts} }} 0"
            )
    return "\n".join(lines) + "\n"


def _infoset_numbers(tree: GameTree) -> dict[int, tuple[int, str]]:
    """Infoset index -> (number within its player, name to write).

    A name ``"p:k"`` made up by the reader gives back number ``k`` and an empty name, so
    reading, writing and reading again keeps the same names.
    """
    out: dict[int, tuple[int, str]] = {}
    taken: dict[int, set[int]] = {}
    for s in tree.infosets:
        m = _SYNTHETIC.fullmatch(s.name)
        if m and int(m.group(1)) == s.player + 1:
            k = int(m.group(2))
            if k >= 1 and k not in taken.setdefault(s.player, set()):
                taken[s.player].add(k)
                out[s.index] = (k, "")
    counter: dict[int, int] = {}
    for s in tree.infosets:
        if s.index in out:
            continue
        used = taken.setdefault(s.player, set())
        k = counter.get(s.player, 0)
        while True:
            k += 1
            if k not in used:
                break
        counter[s.player] = k
        used.add(k)
        out[s.index] = (k, s.name)
    return out
