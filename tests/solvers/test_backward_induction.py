"""Backward induction (method "spe"): hand-computed trees, ties, classic games, bad input."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain import Chance, Decision, GameTree, Terminal
from bargain.errors import SolverError
from bargain.games.flat import DECISION
from bargain.solvers.api import solve
from bargain.solvers.trees.backward_induction import backward_induction, equilibrium_path
from bargain.solvers.trees.regrets import one_shot_regrets

TOL = 1e-9


def three_player_chance(h_payoff_3: float = 3.0) -> GameTree:
    """Nature, then three players.

    Hand computation (h_payoff_3 = 3):
      good (0.3): P2 at good/a compares x -> 1, y -> 2: takes y, value (0, 2, 5).
                  P1 compares a -> 0, b -> 1: takes b, value (1, 1, 1).
      bad (0.7):  P1 at bad/l compares u -> 2, d -> 4: takes d, value (4, 0, 1).
                  chance r: 0.5 (0, 4, 3) + 0.5 (6, 0, 0) = (3, 2, 1.5).
                  P3 compares l -> 1, r -> 1.5: takes r, value (3, 2, 1.5).
      root: 0.3 (1, 1, 1) + 0.7 (3, 2, 1.5) = (2.4, 1.7, 1.35).
      path (decisions reached, preorder): b (good branch), r (bad branch).
    With h_payoff_3 = 2, P3 is indifferent (l -> 1, r -> 0.5*2 = 1) while P1 and P2 are
    not ((4, 0, 1) against (3, 2, 1)): two SPE, with root values
    0.3 (1,1,1) + 0.7 (4,0,1) = (3.1, 0.3, 1) and 0.3 (1,1,1) + 0.7 (3,2,1) = (2.4, 1.7, 1).
    """
    good = Decision(
        "P1",
        {
            "a": Decision("P2", {"x": Terminal(3, 1, 0), "y": Terminal(0, 2, 5)}),
            "b": Terminal(1, 1, 1),
        },
    )
    bad = Decision(
        "P3",
        {
            "l": Decision("P1", {"u": Terminal(2, 0, 3), "d": Terminal(4, 0, 1)}),
            "r": Chance({"h": (0.5, Terminal(0, 4, h_payoff_3)), "t": (0.5, Terminal(6, 0, 0))}),
        },
    )
    return GameTree(("P1", "P2", "P3"), Chance({"good": (0.3, good), "bad": (0.7, bad)}))


def tie_upstream() -> GameTree:
    """B is indifferent (1 = 1) but A is not (3 vs 0): B's choice decides A's move."""
    return GameTree(
        ("A", "B"),
        Decision(
            "A",
            {"L": Decision("B", {"x": Terminal(3, 1), "y": Terminal(0, 1)}), "R": Terminal(1, 0)},
        ),
    )


def tie_off_path() -> GameTree:
    """B's tie is off the path and changes nobody's payoff: 2 SPE, one path."""
    return GameTree(
        ("A", "B"),
        Decision(
            "A",
            {"L": Terminal(2, 2), "R": Decision("B", {"x": Terminal(0, 1), "y": Terminal(0, 1)})},
        ),
    )


def centipede() -> GameTree:
    """McKelvey & Palfrey (1992, Econometrica 60, 803-836) six-move centipede game
    (Rosenthal 1981): payoffs if the mover takes at move 1..6, and if both always pass."""
    takes = [(0.4, 0.1), (0.2, 0.8), (1.6, 0.4), (0.8, 3.2), (6.4, 1.6), (3.2, 12.8)]
    node: Any = Terminal(25.6, 6.4)
    for k in range(5, -1, -1):
        node = Decision(k % 2, {"take": Terminal(*takes[k]), "pass": node})
    return GameTree(("1", "2"), node)


def ultimatum(n: int = 4) -> GameTree:
    """Ultimatum game: proposer offers x in {0, ..., n} of n units; responder accepts
    (n - x, x) or rejects (0, 0)."""
    offers = {
        f"offer{x}": Decision("Responder", {"accept": Terminal(n - x, x), "reject": Terminal(0, 0)})
        for x in range(n + 1)
    }
    return GameTree(("Proposer", "Responder"), Decision("Proposer", offers))


@dataclass(frozen=True)
class Case:
    factory: Callable[[], GameTree]
    priority: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...]
    payoffs: tuple[tuple[float, ...], ...]


CASES = {
    # hand computation in three_player_chance's docstring
    "three_players_chance": Case(three_player_chance, (), (("b", "r"),), ((2.4, 1.7, 1.35),)),
    "three_players_chance_tie": Case(
        lambda: three_player_chance(2.0),
        (),
        (("b", "l", "d"), ("b", "r")),
        ((3.1, 0.3, 1.0), (2.4, 1.7, 1.0)),
    ),
    "three_players_chance_tie_priority_r": Case(
        lambda: three_player_chance(2.0),
        ("r",),
        (("b", "r"), ("b", "l", "d")),
        ((2.4, 1.7, 1.0), (3.1, 0.3, 1.0)),
    ),
    # tie below changes the move above: (x, L) and (y, R)
    "tie_upstream": Case(tie_upstream, (), (("L", "x"), ("R",)), ((3, 1), (1, 0))),
    "tie_upstream_priority_y": Case(tie_upstream, ("y",), (("R",), ("L", "x")), ((1, 0), (3, 1))),
    "tie_off_path": Case(tie_off_path, (), (("L",), ("L",)), ((2, 2), (2, 2))),
    # Rosenthal (1981); McKelvey & Palfrey (1992): the unique SPE takes at the first move
    "centipede": Case(centipede, (), (("take",),), ((0.4, 0.1),)),
    # Osborne (2004, An Introduction to Game Theory, sec. 6.1.1), offers in whole units:
    # two SPE, the responder accepts every offer and 0 is offered, or she rejects 0 only
    # and the smallest unit is offered.
    "ultimatum_grid": Case(
        ultimatum, ("accept",), (("offer0", "accept"), ("offer1", "accept")), ((4, 0), (3, 1))
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_known_spe(case: Case) -> None:
    tree = case.factory()
    r = backward_induction(tree, priority=case.priority)
    assert r.method == "spe"
    assert r.complete
    assert len(r) == len(case.payoffs)
    for eq, path, pay in zip(r.equilibria, case.paths, case.payoffs, strict=True):
        assert eq.path == path
        np.testing.assert_allclose(eq.payoffs, pay, atol=1e-12)
        assert eq.max_regret <= TOL
        assert eq.info["one_shot_regret"] <= TOL
        regrets, one_shot = one_shot_regrets(tree, eq.behavior)
        assert regrets.max() <= TOL
        assert one_shot <= TOL
    # single-solution mode returns the first of the list (the tie rule's pick)
    one = backward_induction(tree, priority=case.priority, all_equilibria=False)
    assert len(one) == 1
    assert one[0].path == case.paths[0]
    assert one.complete == (len(case.paths) == 1)


def test_behavior_layout_three_players() -> None:
    # infosets in order of first appearance: P1 (good), P2 (good/a), P3 (bad), P1 (bad/l)
    eq = backward_induction(three_player_chance())[0]
    p1, p2, p3 = eq.behavior
    assert [b.tolist() for b in p1] == [[0.0, 1.0], [0.0, 1.0]]  # b; d
    assert [b.tolist() for b in p2] == [[0.0, 1.0]]  # y
    assert [b.tolist() for b in p3] == [[0.0, 1.0]]  # r


def test_centipede_takes_everywhere() -> None:
    # every mover takes at every node, on and off the path (backward induction)
    eq = backward_induction(centipede())[0]
    assert all(b.tolist() == [1.0, 0.0] for player in eq.behavior for b in player)


def test_ultimatum_responder_accepts_positive_offers() -> None:
    r = backward_induction(ultimatum(4))
    assert len(r) == 2
    for eq in r:
        responder = eq.behavior[1]
        # every positive offer accepted in every SPE
        assert all(b.tolist() == [1.0, 0.0] for b in responder[1:])


def test_entry_deterrence_model() -> None:
    # Selten (1978): enter, accommodate; fighting is an empty threat.
    m = bg.load_model("entry_deterrence")
    r = backward_induction(m.game("entry"))
    assert [e.path for e in r] == [("In", "Accommodate")]
    np.testing.assert_allclose(r[0].payoffs, [2.0, 3.0])


@pytest.mark.parametrize(
    ("cost", "paths"),
    [
        (0.5, [("Commit", "Out")]),
        (2.0, [("Commit", "Out"), ("Open", "In", "Accommodate")]),  # tie: m - k = m - a
        (3.0, [("Open", "In", "Accommodate")]),
    ],
    ids=["cheap", "tie", "dear"],
)
def test_entry_commitment(cost: float, paths: list[tuple[str, ...]]) -> None:
    # Dixit (1980): commit iff commitment_cost <= entrant_profit (= 2 here)
    m = bg.load_model("entry_deterrence")
    game = m.game("entry_commitment", commitment_cost=cost, entrant_profit=2.0)
    r = backward_induction(game, priority=("Commit", "Out"))
    assert [e.path for e in r] == paths


def test_cap_marks_incomplete() -> None:
    r = backward_induction(ultimatum(3), max_equilibria=1)
    assert len(r) == 1
    assert not r.complete
    assert "max_equilibria=1" in r.notes[0]


def test_solve_dispatch() -> None:
    r = solve(tie_upstream(), method="auto")
    assert r.method == "spe"
    assert len(r) == 2
    assert "auto" in r.notes[0]


def test_equilibrium_path_chance_preorder() -> None:
    tree = three_player_chance()
    choices = backward_induction(tree)[0].info["choices"]
    assert equilibrium_path(tree, choices) == ("b", "r")


def test_tree_regrets_detects_non_credible_threat() -> None:
    # (Out, Fight) is a Nash equilibrium but Fight is not optimal in its subgame
    tree = bg.load_model("entry_deterrence").game("entry")
    regrets, one_shot = one_shot_regrets(tree, ((np.array([1.0, 0.0]),), (np.array([0.0, 1.0]),)))
    assert regrets.max() == 0.0
    assert one_shot == pytest.approx(4.0)  # accommodate 3 - fight (-1)


# -- property: the enumeration equals brute force over all pure profiles ---------------


def random_tree(seed: int) -> GameTree:
    rng = np.random.default_rng(seed)
    n_players = int(rng.integers(1, 4))
    budget = [int(rng.integers(1, 6))]  # decision nodes left

    def node(depth: int) -> Any:
        r = rng.random()
        if depth >= 3 or budget[0] <= 0 or r < 0.25:
            return Terminal(*(int(x) for x in rng.integers(0, 3, n_players)))
        if r < 0.4:
            k = int(rng.integers(2, 4))
            w = rng.integers(0, 3, k).astype(float) + 0.5
            probs = [float(x) for x in w / w.sum()]
            return Chance({f"c{j}": (probs[j], node(depth + 1)) for j in range(k)})
        budget[0] -= 1
        k = int(rng.integers(1, 4))
        return Decision(
            int(rng.integers(0, n_players)), {f"a{j}": node(depth + 1) for j in range(k)}
        )

    return GameTree(tuple(f"p{i}" for i in range(n_players)), node(0))


def brute_force_spe(tree: GameTree) -> set[tuple[int, ...]]:
    """Every pure profile with no profitable one-shot deviation (one-shot deviation
    principle), by enumeration."""
    flat = tree.flatten()
    dec = [int(i) for i in np.flatnonzero(flat.kind == DECISION)]
    found = set()
    for combo in itertools.product(*(range(int(flat.n_children[i])) for i in dec)):
        choice = dict(zip(dec, combo, strict=True))
        behavior = []
        for p in range(tree.n_players):
            behavior.append(
                [np.eye(len(s.actions))[choice[s.nodes[0]]] for s in tree.infosets if s.player == p]
            )
        _, one_shot = one_shot_regrets(tree, behavior)
        if one_shot <= 1e-12:
            found.add(tuple(choice[i] for i in dec))
    return found


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_enumeration_equals_brute_force(seed: int) -> None:
    tree = random_tree(seed)
    r = backward_induction(tree)
    flat = tree.flatten()
    dec = np.flatnonzero(flat.kind == DECISION)
    got = [tuple(int(eq.info["choices"][i]) for i in dec) for eq in r]
    assert len(got) == len(set(got))  # each SPE once
    assert set(got) == brute_force_spe(tree)
    for eq in r:
        regrets, one_shot = one_shot_regrets(tree, eq.behavior)
        assert regrets.max() <= TOL
        assert one_shot <= TOL
        assert eq.max_regret <= r.tolerance


# -- bad input ---------------------------------------------------------------------------


def test_imperfect_information_is_refused_with_the_way_out() -> None:
    # matching pennies after A's move: backward induction has nothing to induct on at B's
    # information set; the error names it and points to method 'spe' (subgame
    # decomposition), which solves it (no proper subgame below the root, so the SPE is the
    # Nash equilibrium of the whole tree: B mixes 1/2-1/2)
    tree = GameTree(
        ("A", "B"),
        Decision(
            "A",
            {
                "L": Decision("B", {"x": Terminal(1, 0), "y": Terminal(0, 1)}, infoset="b"),
                "R": Decision("B", {"x": Terminal(0, 1), "y": Terminal(1, 0)}, infoset="b"),
            },
        ),
    )
    with pytest.raises(SolverError, match=r"information set 'b' of 'B' has 2 nodes.*'spe'"):
        backward_induction(tree)
    r = bg.solve(tree, method="spe")
    assert r.method == "spe"
    for eq in r.equilibria:
        assert max(eq.info["subgame_regrets"].values()) <= 1e-8
        assert eq.max_regret <= 1e-8


def test_symbolic_tree_rejected() -> None:
    tree = bg.load_model("entry_deterrence").game("entry", symbolic=True)
    with pytest.raises(SolverError, match=r"call \.numeric"):
        backward_induction(tree)


def test_normal_form_rejected() -> None:
    with pytest.raises(SolverError, match="needs a GameTree"):
        backward_induction(bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]]))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"tol": -1.0},
            r"option 'tol' of method 'backward_induction': must be a real number in \[0, 1\), "
            r"got -1\.0",
        ),
        ({"max_equilibria": 0}, r"option 'max_equilibria' .*must be a positive integer, got 0"),
    ],
    ids=["negative-tol", "zero-cap"],
)
def test_bad_options(options: dict, message: str) -> None:
    with pytest.raises(SolverError, match=message):
        backward_induction(tie_upstream(), **options)


def test_priority_string_is_one_label() -> None:
    r = backward_induction(tie_upstream(), priority="y", all_equilibria=False)
    assert r[0].path == ("R",)
    assert r.options["priority"] == ("y",)


def test_bad_priority_rejected() -> None:
    with pytest.raises(SolverError, match="priority must be action labels"):
        backward_induction(tie_upstream(), priority=[1, 2])
