"""Backward induction's self-check, its verification tolerance and its kernel dispatch.

Each test here kills mutants of ``backward_induction.py`` that passed every other test in
``tools/mutation.py``'s run (issue 19): a verification bound computed from a wrong depth,
a changed or empty "internal error" message, and trees sent to the wrong kernel variant.
"""

from __future__ import annotations

import importlib.util
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from bargain import Chance, Decision, GameTree, Terminal
from bargain.errors import SolverError
from bargain.solvers.trees import backward_induction as bi

# the suite runs with --import-mode=importlib: load the oracle module by path
_spec = importlib.util.spec_from_file_location("oracles", Path(__file__).parents[1] / "oracles.py")
oracles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracles)


def near_tie_tree(depth: int, gap: float, base: float = 1.0):
    """Player A's binary tree of `depth` levels: "x" keeps the value, "y" adds `gap`.

    With "x" preferred on ties and ``gap`` within the tolerance, the tie rule takes "x"
    everywhere (value `base`), while the best response takes "y" everywhere
    (``base + depth * gap``): the regret of an epsilon-SPE grows with the number of
    decisions on a path (Fudenberg & Tirole 1991, sec. 4.8, epsilon-equilibria).
    """

    def build(level: int, value: float):
        if level == 0:
            return Terminal(value)
        return Decision("A", {"x": build(level - 1, value), "y": build(level - 1, value + gap)})

    return GameTree(("A",), build(depth, base))


def decisions_on_longest_path(tree: GameTree, i: int = 0) -> int:
    """The most decision nodes on a root-to-leaf path (plain recursion on the tree)."""
    below = max((decisions_on_longest_path(tree, j) for j in tree.child_ids[i]), default=0)
    return below + (1 if tree.nodes[i].kind == "decision" else 0)


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_accumulated_near_ties_pass_the_self_check(depth: int) -> None:
    tol = 1e-6
    gap = 0.9 * tol
    tree = near_tie_tree(depth, gap)
    r = bi.backward_induction(tree, tol=tol, priority=("x",), all_equilibria=False)
    (eq,) = r.equilibria
    assert eq.path == ("x",) * depth
    # the oracle's regret of the profile (exact arithmetic on the float payoffs)
    nash, _ = oracles.regrets(tree, eq.info["choices"])
    assert float(nash) == pytest.approx(depth * gap, rel=1e-6)
    assert eq.max_regret == pytest.approx(depth * gap, rel=1e-6)
    # a 1-decision bound (tol * 2) is exceeded from depth 3 on: the bound must grow
    assert r.tolerance >= eq.max_regret


def _three_level_tree() -> GameTree:
    # longest path: B, C, B (3 decisions); the chance branch and the short "out" have fewer
    return GameTree(
        ("B", "C"),
        Decision(
            "B",
            {
                "out": Terminal(-7, 2),
                "in": Chance(
                    {
                        "h": (Fraction(1, 3), Terminal(1, 1)),
                        "t": (
                            Fraction(2, 3),
                            Decision(
                                "C",
                                {
                                    "l": Decision("B", {"u": Terminal(3, 0), "d": Terminal(0, 4)}),
                                    "r": Terminal(2, 2),
                                },
                            ),
                        ),
                    }
                ),
            },
        ),
    )


@pytest.mark.parametrize("tol", [0.0, 1e-9, 1e-3])
@pytest.mark.parametrize(
    "tree",
    [_three_level_tree(), near_tie_tree(2, 0.0, base=-30.0), near_tie_tree(5, 1.0)],
    ids=["chance-3-levels", "two-levels-scale-30", "five-levels"],
)
def test_verification_tolerance_is_the_documented_bound(tree: GameTree, tol: float) -> None:
    # docstring of `backward_induction` (`tol`): the verification tolerance is tol scaled
    # by the payoff size, times the decisions on the longest path (+1), plus rounding slack
    r = bi.backward_induction(tree, tol=tol)
    leaves = [node for node in tree.nodes if node.kind == "terminal"]
    scale = max(1.0, *(abs(float(x)) for node in leaves for x in node.payoffs))
    depth = decisions_on_longest_path(tree)
    expected = tol * scale * (1 + depth) + 64 * np.finfo(float).eps * scale
    assert r.tolerance == pytest.approx(expected, rel=1e-12, abs=0.0)


@pytest.mark.parametrize("shift", [1.0, -1.0])
def test_a_kernel_value_off_the_profile_is_an_internal_error(monkeypatch, shift: float) -> None:
    # a kernel whose reported values disagree with its own profile must be caught
    real_interpreted = bi.interpreted
    real_enumerate = bi._enumerate

    def corrupted(kernel):
        twin = real_interpreted(kernel)
        if kernel is not real_enumerate:
            return twin

        def run(*args):
            values, choices, truncated = twin(*args)
            return values + shift, choices, truncated

        return run

    monkeypatch.setattr(bi, "interpreted", corrupted)
    with pytest.raises(
        SolverError, match=r"^internal error: SPE payoffs do not match the profile's values$"
    ):
        bi.backward_induction(_three_level_tree())


def _chain(levels: int, root_actions: int) -> GameTree:
    def build(level: int):
        if level == 0:
            return Terminal(level)
        return Decision("A", {"stop": Terminal(level), "go": build(level - 1)})

    extra = {f"e{k}": Terminal(-k) for k in range(root_actions - 2)}
    root = Decision("A", {"stop": Terminal(levels), "go": build(levels - 1), **extra})
    return GameTree(("A",), root)


@pytest.mark.parametrize(
    ("tree", "compiled"),
    [(_chain(31, 3), False), (_chain(32, 2), True)],
    ids=["64-nodes-twin", "65-nodes-kernel"],
)
def test_trees_above_the_limit_use_the_kernels(monkeypatch, tree, compiled: bool) -> None:
    # bargain.solvers._interpreted.INTERPRETED_MAX_NODES: trees of at most 64 nodes run
    # the interpreted twins, larger ones the compiled kernels
    n_nodes = len(tree.flatten().kind)
    assert n_nodes == bi.INTERPRETED_MAX_NODES + (1 if compiled else 0)
    calls: list[str] = []
    real_interpreted = bi.interpreted
    kernels = {"_enumerate": bi._enumerate, "_regrets": bi._regrets}

    def twin(kernel):
        calls.append("twin")
        return real_interpreted(kernel)

    def direct(name):
        def run(*args):
            calls.append(name)
            return real_interpreted(kernels[name])(*args)  # no compile in the test

        return run

    monkeypatch.setattr(bi, "interpreted", twin)
    for name in kernels:
        monkeypatch.setattr(bi, name, direct(name))
    (eq,) = bi.backward_induction(tree).equilibria
    assert eq.path == ("stop",)
    # a twin's request ("twin") comes before each call when the tree is small
    expected = (
        ["_enumerate", "_regrets"] if compiled else ["twin", "_enumerate", "twin", "_regrets"]
    )
    assert calls == expected


def test_verification_tolerance_of_payoffs_below_one_is_unscaled() -> None:
    # every |payoff| <= 1: the scale is 1 (max(1, |payoffs|)), not larger
    tree = near_tie_tree(2, 0.25, base=0.0)
    r = bi.backward_induction(tree, tol=1e-6)
    expected = 1e-6 * (1 + 2) + 64 * np.finfo(float).eps
    assert r.tolerance == pytest.approx(expected, rel=1e-12, abs=0.0)


def _oracle_counts(tree: GameTree, priority) -> tuple[int, int]:
    spe = oracles.all_spe(tree, priority=priority)
    return len(spe), len({oracles.path(tree, ch) for _, ch in spe})


def _several(seed: int) -> bool:
    try:
        return _oracle_counts(*oracles.random_tree(seed))[0] > 1
    except oracles.TooMany:  # too many for the oracle to list
        return False


# seeds of tests/oracles.py's random trees with several SPE (ties), found by the oracle
SEVERAL = [s for s in range(40) if _several(s)]


@pytest.mark.parametrize("seed", SEVERAL)
@pytest.mark.parametrize(
    ("all_equilibria", "max_equilibria"), [(True, 1000), (True, 1), (False, 1000)]
)
def test_counts_are_the_oracles(seed: int, all_equilibria: bool, max_equilibria: int) -> None:
    # count and path_count are the totals, also when fewer SPE are listed
    tree, priority = oracles.random_tree(seed)
    count, path_count = _oracle_counts(tree, priority)
    r = bi.backward_induction(
        tree, priority=priority, all_equilibria=all_equilibria, max_equilibria=max_equilibria
    )
    assert r.count == count
    assert r.path_count == path_count
    listed = min(count, max_equilibria) if all_equilibria else 1
    assert len(r.equilibria) == listed
    assert r.complete == (listed == count)
    assert r.options == {
        "tol": 1e-12,
        "all_equilibria": all_equilibria,
        "priority": tuple(priority),
        "max_equilibria": max_equilibria,
    }


def test_several_seeds_have_ties() -> None:
    assert len(SEVERAL) >= 10


@pytest.mark.parametrize("above", [False, True])
def test_one_spe_mode_counts_only_up_to_the_node_limit(monkeypatch, above: bool) -> None:
    # with all_equilibria=False, the SPE are counted on trees of at most _COUNT_MAX_NODES
    # nodes (the limit lowered here to this small tree's size, or one below it)
    tree = near_tie_tree(3, 0.0)  # 15 nodes; 7 indifferent decisions: 2**7 SPE, 8 paths
    n_nodes = len(tree.nodes)
    monkeypatch.setattr(bi, "_COUNT_MAX_NODES", n_nodes - 1 if above else n_nodes)
    r = bi.backward_induction(tree, priority=("x",), all_equilibria=False)
    assert len(r.equilibria) == 1
    assert not r.complete
    if above:
        assert r.count is None
        assert r.path_count is None
        assert "the total was not counted (too many distinct subgame values" in r.notes[0]
    else:
        assert (r.count, r.path_count) == _oracle_counts(tree, ("x",))
        assert (r.count, r.path_count) == (128, 8)
        assert "128 pure SPE in all (8 distinct equilibrium paths)" in r.notes[0]
