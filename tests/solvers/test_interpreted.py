"""The interpreted twins of the backward-induction kernels give the kernels' answers.

Small trees are solved without compiling (bargain.solvers._interpreted); the twin runs
the kernel's own statements, so every output array must be identical to the compiled
kernel's, bit for bit, on the same inputs.
"""

import numpy as np
import pytest

from bargain import Decision, GameTree, Terminal
from bargain.solvers._interpreted import INTERPRETED_MAX_NODES, interpreted
from bargain.solvers.trees import backward_induction as bi
from bargain.solvers.trees import regrets as rg
from tests.oracles import random_tree


@pytest.mark.parametrize("seed", range(60))
def test_twins_equal_the_compiled_kernels(seed):
    tree, priority = random_tree(seed)
    flat = tree.flatten()
    args = rg._arrays(flat)
    pref = bi._edge_preference(flat, priority)
    for cap in (1, 7, 1000):
        compiled = bi._enumerate(*args, pref, 1e-12, cap)
        twin = interpreted(bi._enumerate)(*args, pref, 1e-12, cap)
        assert len(compiled) == len(twin)
        for a, b in zip(compiled, twin, strict=True):
            assert np.array_equal(a, b)
    rng = np.random.default_rng(seed)
    beh = rng.random(len(flat.children))
    for a, b in zip(rg._regrets(*args, beh), interpreted(rg._regrets)(*args, beh), strict=True):
        assert np.array_equal(a, b)


def test_small_trees_take_the_twin_and_large_ones_the_kernel(monkeypatch):
    calls = []
    real = bi.interpreted

    def spy(kernel):
        calls.append(kernel)
        return real(kernel)

    monkeypatch.setattr(bi, "interpreted", spy)
    small, _ = random_tree(3)
    assert len(small.nodes) <= INTERPRETED_MAX_NODES
    bi.backward_induction(small)
    assert bi._enumerate in calls
    calls.clear()

    def full(depth, k=0):
        if depth == 0:
            return Terminal(k % 3, (7 * k) % 5)
        who = "A" if depth % 2 else "B"
        return Decision(who, {"l": full(depth - 1, 2 * k), "r": full(depth - 1, 2 * k + 1)})

    big = GameTree(("A", "B"), full(7))
    assert len(big.nodes) > INTERPRETED_MAX_NODES
    bi.backward_induction(big)
    assert bi._enumerate not in calls
