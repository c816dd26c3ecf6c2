"""GameTree: construction, information sets, perfect recall, numeric(), flatten, reduced form."""

from fractions import Fraction

import numpy as np
import pytest

from bargain.errors import GameShapeError, ParameterError
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.flat import CHANCE, DECISION, TERMINAL
from bargain.games.parameters import Parameter, ParameterSet


def matching_pennies_tree():
    """Matching pennies as a tree: player 2 does not see player 1's move."""
    return GameTree(
        ("1", "2"),
        Decision(
            "1",
            {
                "H": Decision("2", {"h": Terminal(1, -1), "t": Terminal(-1, 1)}, infoset="I2"),
                "T": Decision("2", {"h": Terminal(-1, 1), "t": Terminal(1, -1)}, infoset="I2"),
            },
        ),
    )


def test_preorder_ids_parents_and_paths():
    t = matching_pennies_tree()
    assert len(t.nodes) == 7
    assert t.parent == (-1, 0, 1, 1, 0, 4, 4)
    assert t.path(6) == ("T", "t")
    assert t.where(3) == "node at H/t"
    assert t.leaves == (2, 3, 5, 6)
    assert not t.perfect_information
    assert [(s.player, s.name, s.nodes) for s in t.infosets] == [(0, "", (0,)), (1, "I2", (1, 4))]


def test_flatten_arrays_walk_children_before_parents():
    t = GameTree(
        ("A", "B"),
        Chance(
            {
                "x": (Fraction(1, 3), Decision("A", {"l": Terminal(1, 2), "r": Terminal(3, 4)})),
                "y": (Fraction(2, 3), Terminal(5, 6)),
            }
        ),
    )
    f = t.flatten()
    assert f.kind.tolist() == [CHANCE, DECISION, TERMINAL, TERMINAL, TERMINAL]
    assert f.children.tolist() == [1, 4, 2, 3]
    assert f.child_start.tolist() == [0, 2, 4, 4, 4]
    np.testing.assert_allclose(f.edge_prob[:2], [1 / 3, 2 / 3])
    assert np.isnan(f.edge_prob[2:]).all()
    assert f.edge_label == ("x", "y", "l", "r")
    assert f.payoffs.tolist() == [[1, 2], [3, 4], [5, 6]]
    assert all(
        c > p
        for p in range(f.n_nodes)
        for c in f.children[f.child_start[p] : f.child_start[p] + f.n_children[p]]
    )
    assert not f.is_symbolic


def test_symbolic_tree_numeric_and_flatten():
    ps = ParameterSet([Parameter("q", 0.5, (0, 1)), Parameter("m", 2.0, (0, 5))])
    q, m = ps.symbols()
    t = GameTree(
        ("A",), Chance({"hit": (q, Terminal(m)), "miss": (1 - q, Terminal(0))}), parameters=ps
    )
    assert t.is_symbolic
    assert t.flatten().is_symbolic
    n = t.numeric(q=0.25)
    assert n.root.probabilities == (0.25, 0.75)
    assert n.nodes[1].payoffs == (2.0,)
    assert not n.is_symbolic
    with pytest.raises(ParameterError, match=r"parameter 'q': value 2 is outside"):
        t.numeric(q=2)


def build(root, players=("A", "B"), **kw):
    return GameTree(players, root, **kw)


@pytest.mark.parametrize(
    ("factory", "match"),
    [
        pytest.param(
            lambda: build(Decision("A", {"l": Terminal(1), "r": Terminal(1, 2)})),
            r"node at l: 1 payoffs at a leaf, expected 2",
            id="payoff-count",
        ),
        pytest.param(
            lambda: build(Decision("C", {"l": Terminal(1, 2)})),
            r"node at root: unknown player 'C'",
            id="unknown-player",
        ),
        pytest.param(
            lambda: build(Decision("A", {})), "needs at least one action", id="empty-decision"
        ),
        pytest.param(
            lambda: build(Chance({"a": (0.5, Terminal(0, 0)), "b": (0.6, Terminal(0, 0))})),
            r"node at root: chance probabilities \[0.5, 0.6\] do not sum to 1",
            id="probabilities-sum",
        ),
        pytest.param(
            lambda: build(Chance({"a": (-0.5, Terminal(0, 0)), "b": (1.5, Terminal(0, 0))})),
            "negative chance probability",
            id="negative-probability",
        ),
        pytest.param(
            lambda: build(
                Chance(
                    {"a": (Fraction(1, 3), Terminal(0, 0)), "b": (Fraction(1, 3), Terminal(0, 0))}
                )
            ),
            "do not sum to 1",
            id="fraction-sum",
        ),
        pytest.param(
            lambda: build(Decision("A", {"l": Terminal(float("nan"), 0)})),
            r"node at l: nan is not a finite number",
            id="nan-payoff",
        ),
        pytest.param(
            lambda: build(
                Decision(
                    "A",
                    {
                        "l": Decision("B", {"x": Terminal(0, 0)}, infoset="I"),
                        "r": Decision("B", {"y": Terminal(0, 0)}, infoset="I"),
                    },
                )
            ),
            r"information set 'I' of 'B': node at r offers \['y'\]",
            id="infoset-actions",
        ),
        pytest.param(
            lambda: build(
                Decision(
                    "A",
                    {
                        "l": Decision("B", {"x": Terminal(0, 0)}, infoset="I"),
                        "r": Decision("A", {"x": Terminal(0, 0)}, infoset="I"),
                    },
                )
            ),
            "information set 'I' is used by two players",
            id="infoset-players",
        ),
        pytest.param(lambda: build("not a node"), "root must be a Decision", id="root-type"),
    ],
)
def test_construction_errors_name_the_node(factory, match):
    with pytest.raises(GameShapeError, match=match):
        factory()


def test_same_node_object_twice_is_refused():
    leaf = Terminal(0, 0)
    with pytest.raises(GameShapeError, match="the same node object is used twice"):
        build(Decision("A", {"l": leaf, "r": leaf}))


def test_symbolic_probabilities_must_sum_to_one():
    ps = ParameterSet([Parameter("q", 0.5, (0, 1))])
    (q,) = ps.symbols()
    with pytest.raises(GameShapeError, match="chance probabilities sum to 1"):
        build(Chance({"a": (q, Terminal(0, 0)), "b": (q, Terminal(0, 0))}), parameters=ps)


def test_undeclared_parameter_in_tree():
    import sympy

    ps = ParameterSet([Parameter("q", 0.5, (0, 1))])
    z = sympy.Symbol("z")
    with pytest.raises(ParameterError, match=r"parameter 'z': used at node at l"):
        build(Decision("A", {"l": Terminal(z, 0)}), parameters=ps)


def test_reduced_normal_form_of_matching_pennies():
    g = matching_pennies_tree().to_normal_form()
    assert g.strategies == (("H", "T"), ("h", "t"))
    np.testing.assert_array_equal(g.payoffs[0], [[1, -1], [-1, 1]])
    np.testing.assert_array_equal(g.payoffs[1], [[-1, 1], [1, -1]])


def test_reduced_form_merges_strategies_that_differ_only_off_path():
    # Player A: Out ends the game, so the choice after In is irrelevant after Out:
    # the reduced form has 3 strategies (Out/*, In/x, In/y), not 4.
    t = build(
        Decision(
            "A",
            {
                "Out": Terminal(1, 1),
                "In": Decision(
                    "B",
                    {
                        "a": Decision("A", {"x": Terminal(2, 0), "y": Terminal(0, 2)}),
                        "b": Terminal(0, 0),
                    },
                ),
            },
        )
    )
    g = t.to_normal_form()
    assert g.strategies[0] == ("Out/*", "In/x", "In/y")
    assert g.shape == (3, 2)
    assert g.payoffs[1][2, 0] == 2.0


def test_reduced_form_expectation_over_chance_is_exact_for_symbols():
    ps = ParameterSet([Parameter("q", 0.5, (0, 1)), Parameter("m", 1.0, (0, 3))])
    q, m = ps.symbols()
    t = build(
        Decision(
            "A",
            {
                "go": Chance({"win": (q, Terminal(m, 0)), "lose": (1 - q, Terminal(-1, 1))}),
                "stop": Terminal(0, 0),
            },
        ),
        parameters=ps,
    )
    g = t.to_normal_form()
    assert g.is_symbolic
    assert (g.payoffs[0][0, 0] - (q * m - (1 - q))).expand() == 0
    assert float(g.numeric(q=0.25, m=2).payoffs[0][0, 0]) == pytest.approx(0.25 * 2 - 0.75)


def test_reduced_form_size_cap():
    leaves = {f"a{k}": Terminal(0, 0) for k in range(20)}
    t = build(Decision("A", leaves))
    with pytest.raises(GameShapeError, match="more than max_profiles=10"):
        t.to_normal_form(max_profiles=10)
