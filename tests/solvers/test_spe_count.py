"""Counting pure SPE without listing them, and the total cap `max_equilibria` of "spe"."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bargain as bg
from bargain import Chance, Decision, GameTree, Terminal
from bargain.games.flat import CHANCE, DECISION, TERMINAL
from bargain.solvers.result import MAX_EQUILIBRIA
from bargain.solvers.trees.backward_induction import backward_induction, equilibrium_path
from bargain.solvers.trees.regrets import one_shot_regrets
from bargain.solvers.trees.spe_count import count_pure_spe

DATA = Path(__file__).parents[1] / "data" / "gambit"


def random_tree(seed: int) -> GameTree:
    """Small trees with many ties: payoffs in {0, 1}, chance nodes (some outcome of
    probability 0), one to three players."""
    rng = np.random.default_rng(seed)
    n_players = int(rng.integers(1, 4))
    budget = [int(rng.integers(1, 8))]  # decision nodes left

    def node(depth: int) -> Any:
        r = rng.random()
        if depth >= 4 or budget[0] <= 0 or r < 0.2:
            return Terminal(*(int(x) for x in rng.integers(0, 2, n_players)))
        if r < 0.35:
            k = int(rng.integers(2, 4))
            w = rng.integers(0, 3, k).astype(float)
            w[0] += 1.0  # not all zero
            probs = [float(x) for x in w / w.sum()]
            return Chance({f"c{j}": (probs[j], node(depth + 1)) for j in range(k)})
        budget[0] -= 1
        k = int(rng.integers(1, 4))
        return Decision(
            int(rng.integers(0, n_players)), {f"a{j}": node(depth + 1) for j in range(k)}
        )

    return GameTree(tuple(f"p{i}" for i in range(n_players)), node(0))


def brute_force(tree: GameTree) -> tuple[int, int]:
    """Number of pure profiles with no profitable one-shot deviation at any node (the
    one-shot deviation principle: these are the pure SPE), and of their distinct paths."""
    flat = tree.flatten()
    dec = [int(i) for i in np.flatnonzero(flat.kind == DECISION)]
    n, paths = 0, set()
    for combo in itertools.product(*(range(int(flat.n_children[i])) for i in dec)):
        choice = dict(zip(dec, combo, strict=True))
        behavior = [
            [np.eye(len(s.actions))[choice[s.nodes[0]]] for s in tree.infosets if s.player == p]
            for p in range(tree.n_players)
        ]
        if one_shot_regrets(tree, behavior)[1] <= 1e-12:
            n += 1
            paths.add(equilibrium_path(tree, [choice.get(i, -1) for i in range(len(flat.kind))]))
    return n, len(paths)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_count_equals_brute_force(seed: int) -> None:
    tree = random_tree(seed)
    assert count_pure_spe(tree.flatten(), 1e-12) == brute_force(tree)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6))
def test_cap_and_complete_flag(seed: int, cap: int) -> None:
    tree = random_tree(seed)
    n, n_paths = brute_force(tree)
    r = backward_induction(tree, max_equilibria=cap)
    assert len(r) == min(n, cap)
    assert r.complete == (n <= cap)
    assert r.count == n
    assert r.path_count == n_paths
    listed = [eq.info["choices"] for eq in r]
    assert len(set(listed)) == len(listed)
    for eq in r:  # every listed profile is an SPE
        assert one_shot_regrets(tree, eq.behavior)[1] <= r.tolerance


def zeros_fan(widths: list[int]) -> GameTree:
    """Player A picks one of len(widths) branches, then B one of widths[j] actions; every
    payoff 0."""
    return GameTree(
        ("A", "B"),
        Decision(
            "A",
            {
                f"l{j}": Decision("B", {f"x{i}": Terminal(0, 0) for i in range(w)})
                for j, w in enumerate(widths)
            },
        ),
    )


def test_hand_count_is_a_product() -> None:
    # every profile is an SPE when all payoffs are equal: A's len(widths) actions times
    # B's actions at every node, prod(widths); the paths are the leaves, sum(widths)
    widths = [3, 5, 7, 11, 13, 17]
    r = bg.solve(zeros_fan(widths), method="spe", max_equilibria=10)
    assert r.count == len(widths) * math.prod(widths)
    assert r.path_count == sum(widths)
    assert len(r) == 10
    assert not r.complete
    assert str(r.count) in r.notes[0]


def test_complete_list_counts_itself() -> None:
    r = bg.solve(zeros_fan([2, 3]), method="spe")
    assert r.complete
    assert r.count == len(r) == 2 * 2 * 3
    assert r.path_count == 5


def test_default_cap_is_the_documented_one() -> None:
    r = bg.solve(zeros_fan([10, 10, 10, 10]), method="spe")  # 40000 SPE
    assert len(r) == MAX_EQUILIBRIA
    assert not r.complete
    assert r.count == 40_000


def naive_count(tree: GameTree, tol: float) -> int:
    """The SPE count by a second, slower rule: at each decision node try every combination
    of the children's (value, count) entries and count the optimal actions of each."""
    flat = tree.flatten()
    maps: dict[int, dict[tuple, int]] = {}
    for i in range(len(flat.kind) - 1, -1, -1):
        s, k = int(flat.child_start[i]), int(flat.n_children[i])
        kids = [int(c) for c in flat.children[s : s + k]]
        if flat.kind[i] == TERMINAL:
            maps[i] = {tuple(flat.payoffs[flat.leaf[i]].tolist()): 1}
            continue
        out: dict[tuple, int] = {}
        for combo in itertools.product(*(maps[c].items() for c in kids)):
            mult = math.prod(n for _, n in combo)
            vals = [np.array(v) for v, _ in combo]
            if flat.kind[i] == CHANCE:
                v = tuple(
                    sum(
                        p * x for p, x in zip(flat.edge_prob[s : s + k], vals, strict=True)
                    ).tolist()
                )
                out[v] = out.get(v, 0) + mult
                continue
            pl = int(flat.player[i])
            best = max(x[pl] for x in vals)
            for x in vals:
                if x[pl] >= best - tol * max(1.0, abs(best)):
                    out[tuple(x.tolist())] = out.get(tuple(x.tolist()), 0) + mult
        maps[i] = out
    return sum(maps[0].values())


def test_tic_tac_toe_counted_in_bounded_work() -> None:
    # Gambit's contrib/games/ttt.efg: ~1.9e14 pure SPE (issue 20), far beyond listing
    tree = bg.read_game(DATA / "ttt.efg")
    r = bg.solve(tree, method="spe")
    assert r.count == naive_count(tree, 1e-12)
    assert r.count > 10**14
    assert len(r) == MAX_EQUILIBRIA
    assert not r.complete
    assert 1 <= r.path_count <= len(tree.leaves)
    assert max(eq.max_regret for eq in r) <= r.tolerance


def test_giving_up_is_none_not_wrong() -> None:
    # four coins, each followed by an indifferent A whose choice matters to B: 2**4
    # distinct values at the root; below that many the count gives up (None)
    coins = Chance(
        {
            f"c{j}": (0.25, Decision("A", {"x": Terminal(0, float(2**j)), "y": Terminal(0, 0)}))
            for j in range(4)
        }
    )
    tree = GameTree(("A", "B"), coins)
    assert count_pure_spe(tree.flatten(), 0.0, max_values=8) is None
    assert count_pure_spe(tree.flatten(), 0.0) == (16, 16)


@pytest.mark.parametrize("cap", [1, 2, 50])
def test_single_equilibrium_mode_reports_the_count(cap: int) -> None:
    r = backward_induction(zeros_fan([2, 2]), all_equilibria=False, max_equilibria=cap)
    assert len(r) == 1
    assert not r.complete
    assert r.count == 8
