"""Game trees with imperfect information for the sequence-form tests and benchmark.

Kuhn poker (Kuhn 1950), a Leduc-style poker (Southey et al. 2005), beer-quiche (Cho & Kreps
1987), matching pennies and an entry game with a simultaneous post-entry subgame as trees,
and a generator of random two-player trees with perfect recall.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

__all__ = [
    "battle_of_sexes",
    "beer_quiche",
    "entry_game",
    "kuhn_poker",
    "leduc_poker",
    "matching_pennies",
    "random_tree",
]


def matching_pennies() -> GameTree:
    """A hides a coin, B guesses without seeing it; B wins 1 on a match."""

    def guess(c: str) -> Decision:
        return Decision(
            "B",
            {g: Terminal(-1, 1) if g == c else Terminal(1, -1) for g in ("H", "T")},
            infoset="guess",
        )

    return GameTree(("A", "B"), Decision("A", {"H": guess("H"), "T": guess("T")}))


def battle_of_sexes() -> GameTree:
    """Simultaneous battle of the sexes as a tree: (B,B) → (2,1), (S,S) → (1,2), else 0."""

    def second(first: str) -> Decision:
        pay = {("B", "B"): (2, 1), ("S", "S"): (1, 2)}
        return Decision(
            "2",
            {c: Terminal(*pay.get((first, c), (0, 0))) for c in ("B", "S")},
            infoset="col",
        )

    return GameTree(("1", "2"), Decision("1", {"B": second("B"), "S": second("S")}))


def kuhn_poker() -> GameTree:
    """Kuhn's (1950) three-card poker; ante 1, bet 1; player 1 acts first."""
    cards = "JQK"

    def showdown(c1: str, c2: str, pot: int) -> Terminal:
        win = 1 if cards.index(c1) > cards.index(c2) else -1
        return Terminal(win * pot, -win * pot)

    def deal(c1: str, c2: str) -> Decision:
        after_check = Decision(
            "P2",
            {
                "check": showdown(c1, c2, 1),
                "bet": Decision(
                    "P1",
                    {"fold": Terminal(-1, 1), "call": showdown(c1, c2, 2)},
                    infoset=f"1{c1}cb",
                ),
            },
            infoset=f"2{c2}c",
        )
        after_bet = Decision(
            "P2",
            {"fold": Terminal(1, -1), "call": showdown(c1, c2, 2)},
            infoset=f"2{c2}b",
        )
        return Decision("P1", {"check": after_check, "bet": after_bet}, infoset=f"1{c1}")

    deals = {f"{a}{b}": (Fraction(1, 6), deal(a, b)) for a, b in itertools.permutations(cards, 2)}
    return GameTree(("P1", "P2"), Chance(deals), title="Kuhn poker")


def beer_quiche() -> GameTree:
    """Cho & Kreps (1987): sender strong (0.9) or weak (0.1) picks breakfast; receiver duels?

    Sender: 1 for the preferred breakfast (strong: beer, weak: quiche) + 2 if no duel.
    Receiver: 1 for dueling a weak or not dueling a strong sender, else 0.
    """

    def receiver(kind: str, food: str) -> Decision:
        pref = (kind == "strong") == (food == "beer")
        base = 1 if pref else 0
        good_duel = kind == "weak"
        return Decision(
            "Receiver",
            {
                "duel": Terminal(base, 1 if good_duel else 0),
                "no duel": Terminal(base + 2, 0 if good_duel else 1),
            },
            infoset=f"after {food}",
        )

    def sender(kind: str) -> Decision:
        return Decision(
            "Sender",
            {"beer": receiver(kind, "beer"), "quiche": receiver(kind, "quiche")},
            infoset=kind,
        )

    return GameTree(
        ("Sender", "Receiver"),
        Chance(
            {
                "strong": (Fraction(9, 10), sender("strong")),
                "weak": (Fraction(1, 10), sender("weak")),
            }
        ),
        title="beer-quiche",
    )


def entry_game() -> GameTree:
    """Entry with a simultaneous post-entry subgame (after Mas-Colell, Whinston & Green 1995,
    §9.B): Out → (0, 2); In → entrant {F, A} and incumbent {f, a} move simultaneously."""
    pay = {("F", "f"): (-3, -1), ("F", "a"): (1, -2), ("A", "f"): (-2, -1), ("A", "a"): (3, 1)}

    def incumbent(e: str) -> Decision:
        return Decision("I", {i: Terminal(*pay[(e, i)]) for i in ("f", "a")}, infoset="inc")

    sub = Decision("E", {"F": incumbent("F"), "A": incumbent("A")}, infoset="post")
    return GameTree(("E", "I"), Decision("E", {"Out": Terminal(0, 2), "In": sub}, infoset="enter"))


def leduc_poker(ranks: int = 3, raises: int = 2) -> GameTree:
    """Leduc hold'em (Southey et al. 2005): two suits of `ranks` cards, ante 1, two rounds
    (bets 2 then 4, at most `raises` bets per round), one public card after round one; a
    pair with the public card wins, else the higher card."""
    deck = [r for r in range(ranks) for _ in range(2)]
    names = "JQKAT98765"

    def value(c: int, pub: int) -> tuple[int, int]:
        return (1 if c == pub else 0, c)

    def betting(rnd, hist, pot1, pot2, c1, c2, pub, remaining):
        mover = len(hist.split("/")[-1]) % 2
        name = "P1" if mover == 0 else "P2"
        card = c1 if mover == 0 else c2
        view = f"{name}:{names[card]}{'' if pub is None else names[pub]}|{hist}"
        size = 2 if rnd == 0 else 4
        n_bets = hist.split("/")[-1].count("r")
        last = hist[-1] if hist else ""
        acts = {}
        facing = pot1 != pot2
        if facing:
            loser_pot = pot1 if mover == 0 else pot2
            acts["fold"] = Terminal(
                -loser_pot if mover == 0 else loser_pot, loser_pot if mover == 0 else -loser_pot
            )
            acts["call"] = after_call(rnd, hist + "c", max(pot1, pot2), c1, c2, pub, remaining)
            if n_bets < raises:
                p1, p2 = (pot2 + size, pot2) if mover == 0 else (pot1, pot1 + size)
                acts["raise"] = betting(rnd, hist + "r", p1, p2, c1, c2, pub, remaining)
        else:
            if last == "k":
                acts["check"] = after_call(rnd, hist + "k", pot1, c1, c2, pub, remaining)
            else:
                acts["check"] = betting(rnd, hist + "k", pot1, pot2, c1, c2, pub, remaining)
            p1, p2 = (pot1 + size, pot2) if mover == 0 else (pot1, pot2 + size)
            acts["raise"] = betting(rnd, hist + "r", p1, p2, c1, c2, pub, remaining)
        return Decision(name, acts, infoset=view)

    def after_call(rnd, hist, pot, c1, c2, pub, remaining):
        if rnd == 0:
            outs = {}
            for pc in sorted(set(remaining)):
                k = remaining.count(pc)
                outs[names[pc]] = (
                    Fraction(k, len(remaining)),
                    betting(1, hist + "/", pot, pot, c1, c2, pc, None),
                )
            return Chance(outs)
        v1, v2 = value(c1, pub), value(c2, pub)
        win = (v1 > v2) - (v1 < v2)
        return Terminal(win * pot, -win * pot)

    deals = {}
    pairs = [(a, b) for a in range(ranks) for b in range(ranks)]
    for a, b in pairs:
        rest = list(deck)
        rest.remove(a)
        w = Fraction(deck.count(a), len(deck))
        w *= Fraction(rest.count(b), len(rest))
        if w == 0:
            continue
        rest.remove(b)
        deals[f"{names[a]}{names[b]}"] = (w, betting(0, "", 1, 1, a, b, None, rest))
    return GameTree(("P1", "P2"), Chance(deals), title=f"Leduc poker ({ranks} ranks)")


def random_tree(
    seed: int,
    *,
    max_depth: int = 4,
    max_actions: int = 3,
    merge: float = 0.6,
    chance: float = 0.2,
    zero_sum: bool = False,
    payoff_range: int = 5,
) -> GameTree:
    """A random two-player tree with perfect recall.

    Nodes are drawn top-down (decision of player 1 or 2, chance with probability
    `chance`, leaves below `max_depth`); then, in preorder, each decision node joins an
    existing information set of its player with the same own history and number of
    actions with probability `merge` — which keeps perfect recall by construction.
    """
    rng = np.random.default_rng(seed)
    kind: list[str] = []
    player: list[int] = []
    kids: list[list[int]] = []
    probs: list[list[Fraction]] = []
    pays: list[tuple[int, int]] = []

    def grow(depth: int) -> int:
        i = len(kind)
        kind.append("")
        player.append(-1)
        kids.append([])
        probs.append([])
        pays.append((0, 0))
        if depth >= max_depth or (depth > 0 and rng.random() < 0.25):
            kind[i] = "t"
            a = int(rng.integers(-payoff_range, payoff_range + 1))
            b = -a if zero_sum else int(rng.integers(-payoff_range, payoff_range + 1))
            pays[i] = (a, b)
            return i
        k = int(rng.integers(2, max_actions + 1))
        if rng.random() < chance:
            kind[i] = "c"
            w = rng.integers(1, 4, size=k)
            probs[i] = [Fraction(int(x), int(w.sum())) for x in w]
        else:
            kind[i] = "d"
            player[i] = int(rng.integers(2))
        for _ in range(k):
            kids[i].append(grow(depth + 1))
        return i

    grow(0)
    infoset = [-1] * len(kind)
    hist = {0: ((), ())}
    sets: dict[tuple, list[int]] = {}
    n_sets = 0
    order = [0]
    while order:
        i = order.pop()
        h = hist[i]
        if kind[i] == "d":
            p = player[i]
            key = (p, h[p], len(kids[i]))
            cands = sets.setdefault(key, [])
            if cands and rng.random() < merge:
                infoset[i] = cands[int(rng.integers(len(cands)))]
            else:
                infoset[i] = n_sets
                cands.append(n_sets)
                n_sets += 1
        for a, j in enumerate(kids[i]):
            if kind[i] == "d":
                p = player[i]
                new = list(h)
                new[p] = (*h[p], (infoset[i], a))
                hist[j] = tuple(new)
            else:
                hist[j] = h
        order.extend(reversed(kids[i]))

    def build(i: int):
        if kind[i] == "t":
            return Terminal(*pays[i])
        if kind[i] == "c":
            return Chance({f"c{a}": (probs[i][a], build(j)) for a, j in enumerate(kids[i])})
        return Decision(
            player[i], {f"a{a}": build(j) for a, j in enumerate(kids[i])}, infoset=f"s{infoset[i]}"
        )

    return GameTree(("P1", "P2"), build(0), title=f"random tree {seed}")
