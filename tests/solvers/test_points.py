"""Batch backward induction over parameter points: agreement with the one-point solver."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain import Chance, Decision, GameTree, Parameter, ParameterSet, Terminal
from bargain.errors import GameShapeError, ParameterError, SolverError
from bargain.solvers.trees.backward_induction import backward_induction
from bargain.solvers.trees.compile import kernel_cache_dir, leaf_source, load_kernel_module
from bargain.solvers.trees.points import TIE_RULE, solve_points

WITHDRAW_PARAMS = ParameterSet(
    [
        Parameter("rho", 3.0, (0.0, 10.0)),
        Parameter("c_R", 1.0, (0.0, 10.0)),
        Parameter("H", 1.0, (0.0, 10.0)),
        Parameter("M_R", 2.0, (0.0, 10.0)),
        Parameter("M_G", 2.0, (0.0, 10.0)),
        Parameter("k_G", 1.0, (0.0, 10.0)),
        Parameter("W", 1.0, (0.0, 10.0)),
        Parameter("q", 0.5, (0.0, 1.0)),
        Parameter("s", 1.0, (0.0, 10.0)),
        Parameter("theta", 1.0, (0.0, 10.0)),
    ]
)


def withdraw_first() -> GameTree:
    """R withdraws or stays; G complies or reneges; reneging is detected with prob. q."""
    rho, c_R, H, M_R, M_G, k_G, W, q, s, theta = WITHDRAW_PARAMS.symbols()
    renege = Chance(
        {
            "detected": (q, Terminal(-theta, -s + W)),
            "undetected": (1 - q, Terminal(M_R - theta, M_G + W)),
        }
    )
    g = Decision("G", {"Comply": Terminal(M_R, M_G - k_G + W), "Renege": renege})
    root = Decision("R", {"Withdraw": g, "Stay": Terminal(rho - c_R, -H)})
    return GameTree(("R", "G"), root, parameters=WITHDRAW_PARAMS, title="withdraw_first")


def uniform_points(ps: ParameterSet, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = np.array([p.bounds[0] for p in ps.parameters])
    hi = np.array([p.bounds[1] for p in ps.parameters])
    return lo + (hi - lo) * rng.random((n, len(lo)))


def numeric_trees(tree: GameTree, pts: np.ndarray) -> list[GameTree]:
    """The tree evaluated at each point by SymPy substitution (independent of the kernel)."""
    names = tree.parameters.names
    return [tree.numeric(**dict(zip(names, row.tolist(), strict=True))) for row in pts]


def assert_matches_one_point(
    tree: GameTree,
    pts: np.ndarray,
    priority: tuple[str, ...],
    trees: list[GameTree] | None = None,
    **kw,
) -> None:
    b = solve_points(tree, pts, priority=priority, **kw)
    for i, nt in enumerate(trees if trees is not None else numeric_trees(tree, pts)):
        eq = backward_induction(nt, all_equilibria=False, priority=priority)[0]
        assert b.path_of(i) == eq.path, (i, pts[i])
        np.testing.assert_allclose(b.payoffs[i], eq.payoffs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("regime", ["entry", "entry_commitment"])
def test_entry_deterrence_matches_one_point_solver(regime: str) -> None:
    m = bg.load_model("entry_deterrence")
    tree = m.game(regime, symbolic=True)
    pts = uniform_points(m.parameters, 1000, seed=1)
    # exact ties on the commitment boundary (commitment_cost == entrant_profit) and with a
    # free fight (fight_cost == 0): the agreement labels win
    pts[:50, 3] = pts[:50, 0]
    pts[50:100, 1] = 0.0
    assert_matches_one_point(tree, pts, m.regime(regime).agreement)


def test_entry_commitment_condition() -> None:
    # Dixit (1980), by backward induction: without commitment the incumbent gets m - a if
    # accommodating is credible (m - a >= -f; the entrant then enters) and m otherwise (the
    # entrant stays out); committing gives m - k.  The incumbent commits iff m - k >= that
    # value, i.e. iff k <= a when accommodation is credible; at equality the tie rule picks
    # the agreement path ("Commit", "Out").
    m = bg.load_model("entry_deterrence")
    tree = m.game("entry_commitment", symbolic=True)
    pts = uniform_points(m.parameters, 5000, seed=2)
    pts[:100, 3] = pts[:100, 0]
    b = solve_points(tree, pts, priority=("Commit", "Out"))
    commit = np.array([b.path_of(i) == ("Commit", "Out") for i in range(len(b))])
    a, f, mono, k = pts.T
    open_value = np.where(mono - a >= -f, mono - a, mono)
    np.testing.assert_array_equal(commit, mono - k >= open_value)
    credible = mono - a >= -f
    np.testing.assert_array_equal(commit[credible], (k <= a)[credible])
    assert b.tie_rule == TIE_RULE
    assert b.priority == ("Commit", "Out")


@pytest.mark.parametrize("unroll", [True, False], ids=["unrolled", "generic"])
def test_withdraw_first_closed_form(unroll: bool) -> None:
    # Comply iff M_G - k_G + W >= q (W - s) + (1 - q)(M_G + W), i.e. q (M_G + s) >= k_G;
    # then withdraw iff M_R >= rho - c_R (backward induction by hand).
    tree = withdraw_first()
    pts = uniform_points(WITHDRAW_PARAMS, 20_000, seed=3)
    b = solve_points(tree, pts, priority=("Withdraw", "Comply"), unroll=unroll, parallel=False)
    rho, c_R, _, M_R, M_G, k_G, _, q, s, _ = pts.T
    closed = (q * (M_G + s) >= k_G) & (M_R >= rho - c_R)
    got = np.array([b.path_of(i) == ("Withdraw", "Comply") for i in range(len(b))])
    np.testing.assert_array_equal(got, closed)
    # the leaf is -1 exactly where chance spreads the outcome (Withdraw, Renege)
    reneged = np.array([b.path_of(i) == ("Withdraw", "Renege") for i in range(len(b))])
    np.testing.assert_array_equal(b.leaf == -1, reneged)
    assert_matches_one_point(tree, pts[:300], ("Withdraw", "Comply"), unroll=unroll)


def random_symbolic_tree(seed: int) -> GameTree:
    """A random perfect-information tree with payoffs linear in a, b, c and chance
    probabilities q, 1 - q (or numbers)."""
    ps = ParameterSet(
        [
            Parameter("a", 0.0, (-1.0, 1.0)),
            Parameter("b", 0.0, (-1.0, 1.0)),
            Parameter("c", 0.0, (0.0, 2.0)),
            Parameter("q", 0.5, (0.0, 1.0)),
        ]
    )
    a, b, c, q = ps.symbols()
    rng = np.random.default_rng(seed)
    n_pl = int(rng.integers(1, 4))
    budget = [8]

    def payoff():
        w = rng.integers(-2, 3, 4)
        return w[0] * a + w[1] * b + w[2] * c + int(w[3])

    def node(depth):
        r = rng.random()
        if depth >= 4 or budget[0] <= 0 or r < 0.2:
            return Terminal(*(payoff() for _ in range(n_pl)))
        if r < 0.35:
            if rng.random() < 0.5:
                return Chance({"h": (q, node(depth + 1)), "t": (1 - q, node(depth + 1))})
            return Chance({"h": (0.25, node(depth + 1)), "t": (0.75, node(depth + 1))})
        budget[0] -= 1
        k = int(rng.integers(1, 4))
        return Decision(
            int(rng.integers(0, n_pl)), {f"n{depth}a{j}": node(depth + 1) for j in range(k)}
        )

    return GameTree(tuple(f"p{i}" for i in range(n_pl)), node(0), parameters=ps)


@pytest.mark.parametrize("seed", range(4), ids=[f"tree{s}" for s in range(4)])
def test_random_symbolic_trees_match_one_point_solver(seed: int) -> None:
    tree = random_symbolic_tree(seed)
    pts = uniform_points(tree.parameters, 60, seed=seed)
    pts[:20, 0] = 0.0  # many exact ties between actions
    pts[:20, 1] = 0.0
    trees = numeric_trees(tree, pts)
    labels = tuple(sorted({lab for lab in tree.flatten().edge_label if lab.endswith("a1")}))
    # the generic kernel takes the preference as an array: one compilation, both rules
    for priority in ((), labels):
        assert_matches_one_point(tree, pts, priority, trees, unroll=False)
    # the unrolled kernel is specialized to the rule
    assert_matches_one_point(tree, pts, labels if seed % 2 else (), trees, unroll=True)


def test_parallel_equals_serial() -> None:
    tree = withdraw_first()
    pts = uniform_points(WITHDRAW_PARAMS, 3000, seed=7)
    prio = ("Withdraw", "Comply")
    serial = solve_points(tree, pts, priority=prio, parallel=False)
    for unroll in (True, False):
        par = solve_points(tree, pts, priority=prio, chunk=100, unroll=unroll)
        assert par.paths == serial.paths
        np.testing.assert_array_equal(par.path_id, serial.path_id)
        np.testing.assert_array_equal(par.leaf, serial.leaf)
        np.testing.assert_array_equal(par.payoffs, serial.payoffs)


def symbolic_centipede(n_moves: int) -> GameTree:
    """Rosenthal's (1981) centipede with a parameterized pot: taking at move k pays the
    mover a * k + 1 and the other b * k; passing at the end pays both (a + b) * n."""
    ps = ParameterSet([Parameter("a", 1.0, (0.0, 2.0)), Parameter("b", 1.0, (0.0, 2.0))])
    a, b = ps.symbols()
    node = Terminal((a + b) * n_moves, (a + b) * n_moves)
    for k in range(n_moves - 1, -1, -1):
        mover = k % 2
        take = [b * k, b * k]
        take[mover] = a * k + 1
        node = Decision(mover, {"take": Terminal(*take), "pass": node})
    return GameTree(("1", "2"), node, parameters=ps)


@pytest.mark.parametrize("unroll", [True, False], ids=["unrolled", "generic"])
def test_deep_tree_matches_one_point_solver(unroll: bool) -> None:
    # 25 moves: 51 nodes, nested 25 deep; the path key needs 26 values (one per exit)
    tree = symbolic_centipede(25)
    pts = uniform_points(tree.parameters, 40, seed=8)
    pts[:5] = [1.0, 1.0]  # ties: take a k + 1 = 26 ... against pass values
    assert_matches_one_point(tree, pts, ("pass",), unroll=unroll)


def test_path_code_is_compact_and_decodes() -> None:
    from bargain.solvers.trees.points import _decode, _path_code

    tree = symbolic_centipede(200)  # 3**200 patterns with a per-node radix; here 201
    flat = tree.flatten()
    off, space = _path_code(flat)
    assert space[0] == 201
    paths = {_decode(flat, k, off, space) for k in range(space[0])}
    assert len(paths) == 201  # a bijection onto the exits
    assert ("take",) in paths
    assert ("pass",) * 200 in paths
    # withdraw_first: Stay (1) + Withdraw/Comply (1) + Withdraw/Renege, whose chance node
    # has a digit per outcome (reached or not: 2 x 2)
    off, space = _path_code(withdraw_first().flatten())
    assert space[0] == 1 + 1 + 2 * 2


def test_numeric_tree_fast_path() -> None:
    tree = bg.load_model("entry_deterrence").game("entry")
    b = solve_points(tree, np.zeros((5, 0)), param_names=())
    assert b.paths == (("In", "Accommodate"),)
    np.testing.assert_array_equal(b.path_id, 0)
    np.testing.assert_allclose(b.payoffs, [[2.0, 3.0]] * 5)


def test_paths_sorted_and_ids_consistent() -> None:
    m = bg.load_model("entry_deterrence")
    tree = m.game("entry_commitment", symbolic=True)
    pts = uniform_points(m.parameters, 2000, seed=4)
    b1 = solve_points(tree, pts, priority=("Commit", "Out"))
    b2 = solve_points(tree, pts[::-1], priority=("Commit", "Out"))
    assert b1.paths == b2.paths  # deterministic table whatever the point order
    np.testing.assert_array_equal(b1.path_id[::-1], b2.path_id)


# -- compiled-kernel cache -----------------------------------------------------------------


def test_cache_dir_from_env(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(tmp_path))
    assert kernel_cache_dir() == tmp_path / "kernels"
    # a source of its own: a source already loaded in this process (by an earlier run of
    # this test, e.g. mutmut's passes in one process) is not written again
    mod = load_kernel_module(f"VALUE = {str(tmp_path)!r}\n")
    assert mod.VALUE == str(tmp_path)
    assert list((tmp_path / "kernels").glob("bargain_kernel_*.py"))


def test_cache_dir_falls_back_when_unwritable(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(blocker / "below"))  # cannot mkdir under a file
    d = kernel_cache_dir()
    assert d.is_dir()
    assert blocker not in d.parents


def test_leaf_source_uses_only_columns() -> None:
    tree = withdraw_first()
    src = leaf_source(tree.flatten(), WITHDRAW_PARAMS.names)
    assert "p[7]" in src
    assert "out_probs[" in src


# -- bad input -----------------------------------------------------------------------------


def test_nan_point_rejected() -> None:
    pts = uniform_points(WITHDRAW_PARAMS, 10, seed=5)
    pts[7, 7] = np.nan
    with pytest.raises(ParameterError, match=r"'q': point 7 has the non-finite value nan"):
        solve_points(withdraw_first(), pts)


def test_out_of_bounds_point_rejected() -> None:
    pts = uniform_points(WITHDRAW_PARAMS, 10, seed=5)
    pts[3, 7] = 1.5
    with pytest.raises(ParameterError, match=r"'q': point 3 has 1.5, outside its bounds \[0, 1\]"):
        solve_points(withdraw_first(), pts)


def test_wrong_number_of_columns_rejected() -> None:
    with pytest.raises(GameShapeError, match="points have 3 columns but param_names names 10"):
        solve_points(withdraw_first(), np.zeros((4, 3)))


def test_missing_column_rejected() -> None:
    names = [n for n in WITHDRAW_PARAMS.names if n != "theta"]
    pts = uniform_points(WITHDRAW_PARAMS, 4, seed=6)[:, :9]
    with pytest.raises(ParameterError, match="'theta': the tree uses it"):
        solve_points(withdraw_first(), pts, param_names=names)


def test_one_dimensional_points_rejected() -> None:
    with pytest.raises(GameShapeError, match="must be 2-D"):
        solve_points(withdraw_first(), np.zeros(10))


def test_imperfect_information_rejected() -> None:
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
    with pytest.raises(SolverError, match="perfect information"):
        solve_points(tree, np.zeros((1, 0)), param_names=())


def test_bad_chunk_rejected() -> None:
    with pytest.raises(SolverError, match=r"option 'chunk' .*must be a positive integer"):
        solve_points(withdraw_first(), np.zeros((1, 10)), chunk=0)


def test_not_a_tree_rejected() -> None:
    with pytest.raises(SolverError, match="needs a GameTree"):
        solve_points(bg.NormalFormGame([[[1]], [[1]]]), np.zeros((1, 0)))
