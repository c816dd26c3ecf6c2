"""The NumPy backward induction of reports against the compiled batch kernel (issue 14).

Random perfect-information trees (decision and chance nodes, payoffs linear in three
parameters with small integer coefficients) solved on integer-valued grids, where many
movers are exactly indifferent: the tie rule must pick the same action as the kernel's
(:func:`bargain.solvers.trees.points.solve_points`) at every point.
"""

import itertools

import numpy as np
import pytest
import sympy

from bargain import Chance, Decision, GameTree, Terminal
from bargain.models import load_model
from bargain.solvers.trees.points import solve_points
from bargain.sweep.evaluate import evaluate_points
from bargain.sweep.numpy_spe import baseline_equilibria, evaluate_grid, solve_plan
from bargain.sweep.plan import check_plan, numeric_plan, plan_of_game
from bargain.symbolic.paths import agreement_path

NAMES = ["a", "b", "c"]
SYMS = [sympy.Symbol(n, real=True) for n in NAMES]
PLAYERS = ("P1", "P2", "P3")


def _payoff(rng):
    coef = rng.integers(-1, 2, size=len(SYMS))
    return int(rng.integers(-2, 3)) + sum(int(k) * s for k, s in zip(coef, SYMS, strict=True))


def _node(rng, depth, labels):
    if depth == 0 or rng.random() < 0.2:
        return Terminal(*(_payoff(rng) for _ in PLAYERS))
    m = int(rng.integers(2, 4))
    kids = {}
    for _ in range(m):
        lab = f"x{len(labels)}"
        labels.append(lab)
        kids[lab] = _node(rng, depth - 1, labels)
    if rng.random() < 0.25:  # chance: one outcome may have probability zero at a point
        probs = [sympy.Rational(1, m)] * m
        if m == 2 and rng.random() < 0.5:
            probs = [SYMS[0] / 4, 1 - SYMS[0] / 4]  # a in [0, 4]: 0 at a = 0
        return Chance({lab: (p, kid) for p, (lab, kid) in zip(probs, kids.items(), strict=True)})
    return Decision(PLAYERS[int(rng.integers(len(PLAYERS)))], kids)


def _tree(seed):
    rng = np.random.default_rng(seed)
    labels = []
    root = _node(rng, 4, labels)
    while not isinstance(root, Decision):
        root = _node(rng, 4, labels := [])
    prio = tuple(rng.choice(labels, size=min(4, len(labels)), replace=False).tolist())
    return GameTree(PLAYERS, root), prio


def _grid():
    vals = np.arange(0.0, 4.5, 0.5)  # halves: exact sums, so ties are exact
    return np.array(list(itertools.product(vals, vals, vals)))


@pytest.mark.parametrize("seed", range(6))
def test_numpy_backward_induction_matches_the_batch_kernel(seed):
    tree, prio = _tree(seed)
    pts = _grid()
    kernel = solve_points(tree, pts, param_names=NAMES, priority=prio, unroll=False)
    plan = check_plan(plan_of_game(tree, None, NAMES))
    plan["pref"] = [1 if lab in prio else 0 for lab in plan["edge_label"]]
    mine = solve_plan(plan, pts)
    kernel_paths = [kernel.paths[i] for i in kernel.path_id]
    mine_paths = [mine.paths[i] for i in mine.path_id]
    assert mine_paths == kernel_paths
    np.testing.assert_allclose(mine.payoffs, kernel.payoffs, rtol=1e-12, atol=1e-12)
    # the tie rule is exercised: some mover is indifferent at some points
    assert len(set(mine_paths)) > 1


@pytest.mark.parametrize("seed", range(6, 9))
def test_agreement_column_matches_the_kernel(seed):
    tree, prio = _tree(seed)
    pts = _grid()
    kernel = solve_points(tree, pts, param_names=NAMES, priority=prio, unroll=False)
    target = agreement_path(tree, prio)
    plan = plan_of_game(tree, prio, NAMES)
    mine = solve_plan(plan, pts)
    expected = [kernel.paths[i] == target for i in kernel.path_id]
    assert mine.agreement.tolist() == expected


@pytest.mark.parametrize(
    ("name", "regime"),
    [
        ("withdrawal_sequencing", "withdraw_first"),
        ("withdrawal_sequencing", "simultaneous"),
        ("deadline_bargaining", "three_rounds"),
        ("rwanda_type_screening", "screening"),
    ],
)
def test_model_grids_agree_with_evaluate_points(name, regime):
    m = load_model(name)
    rng = np.random.default_rng(1)
    lo, hi = np.array([p.bounds for p in m.parameters.parameters]).T
    pts = lo + (hi - lo) * rng.random((300, len(lo)))
    pts[:, [k for k, p in enumerate(m.parameters.parameters) if p.integer]] = [
        p.default for p in m.parameters.parameters if p.integer
    ]
    kernel = evaluate_points(m, regime, pts, parallel=False)
    mine = evaluate_grid(m, regime, pts, use_cache=False)
    assert mine.agreement.tolist() == kernel.agreement.tolist()
    assert [mine.paths[i] for i in mine.path_id] == [kernel.paths[i] for i in kernel.path_id]


@pytest.mark.parametrize(
    "name", ["withdrawal_sequencing", "deadline_bargaining", "security_mechanism_inspection"]
)
def test_baseline_rows_match_the_solver(name):
    m = load_model(name)
    for regime in m.regimes:
        row = baseline_equilibria(numeric_plan(m, regime, use_cache=False),
                                  np.array(m.parameters.vector()))  # fmt: skip
        s = m.solve(regime)
        assert row["path"] == tuple(s.path)
        assert row["agreement"] == s.agreement
        assert row["n_paths"] == len(s.paths)
        np.testing.assert_allclose(row["payoffs"], s.payoffs, rtol=1e-12, atol=1e-12)


def test_a_damaged_plan_is_refused():
    plan = plan_of_game(_tree(0)[0], None, NAMES)
    plan["children"][0] = 0  # a cycle
    with pytest.raises(ValueError, match="malformed tree plan"):
        check_plan(plan)
    plan = plan_of_game(_tree(0)[0], None, NAMES)
    plan["payoffs"][0][0] = ["__import__", "os"]
    with pytest.raises(ValueError, match="unknown operator"):
        check_plan(plan)
