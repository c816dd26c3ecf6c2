"""Symbolic backward induction and normal-form conditions: tie rule, chance, n players.

Every symbolic answer is checked against the numeric solvers (backward induction, pure
equilibria) at random parameter points, so a wrong inequality direction or tie rule shows.
"""

from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bargain as bg
from bargain.errors import BargainError, GameShapeError, ParameterError
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.normal_form.pure import pure_nash
from bargain.solvers.trees.backward_induction import backward_induction
from bargain.symbolic import Conditions, conditions
from bargain.symbolic._inequalities import boolean_to_dnf

RNG_SEED = 20250627


def sample(params: ParameterSet, n: int, seed: int = RNG_SEED) -> np.ndarray:
    """`n` points uniform in the parameters' bounds (columns in declaration order)."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*p.bounds, n) for p in params.parameters])


def same_dnf(a, b) -> bool:
    """Syntactic equivalence: the same sets of canonical inequalities."""
    return {frozenset(c) for c in boolean_to_dnf(a)} == {frozenset(c) for c in boolean_to_dnf(b)}


# -- a 3-player tree with a symbolic chance move --------------------------------------------

THREE = ParameterSet(
    [
        Parameter("p", 0.5, (0.0, 1.0), "probability", "chance of the left branch", "test"),
        Parameter("a", 1.0, (-2.0, 2.0), "payoff", "player A's outside option", "test"),
        Parameter("b", 0.0, (-2.0, 2.0), "payoff", "player B's payoff shift", "test"),
        Parameter("c", 0.0, (-2.0, 2.0), "payoff", "player C's payoff shift", "test"),
    ]
)


def three_player(v):
    """A moves; then chance (p) picks whether B or C moves next; B's move leads to C."""
    c_after_b = Decision("C", {"c1": Terminal(1, v.b, v.c), "c2": Terminal(v.a, 1 - v.b, 0.5)})
    left = Decision("B", {"b1": c_after_b, "b2": Terminal(0, v.b / 2, 1)})
    right = Decision("C", {"x": Terminal(2, 0, v.c - v.a), "y": Terminal(-1, 1, 0)})
    root = Decision(
        "A",
        {"out": Terminal(v.a, 0, 0), "in": Chance({"L": (v.p, left), "R": (1 - v.p, right)})},
    )
    return GameTree(("A", "B", "C"), root, parameters=THREE)


def symbolic_three():
    return three_player(SimpleNamespace(**THREE.symbol_map()))


def numeric_three(row):
    return three_player(SimpleNamespace(**dict(zip(THREE.names, row, strict=True))))


def test_three_player_chance_tree_matches_numeric_spe():
    c = conditions(symbolic_three(), agreement=("in", "b1", "c1", "x"))
    X = sample(THREE, 400)
    X[:40, 0] = 0.0  # chance branches of probability zero: their decisions leave the path
    X[40:80, 0] = 1.0
    ids = c.lambdify()(X)
    pay = [sympy.lambdify(THREE.symbols(), case.payoffs) for case in c.cases]
    for row, k in zip(X, ids, strict=True):
        r = backward_induction(numeric_three(row), all_equilibria=False, priority=c_labels())
        eq = r.equilibria[0]
        assert c.paths[k] == eq.path
        assert c.outcome(**dict(zip(THREE.names, row, strict=True))) == eq.path
        np.testing.assert_allclose(pay[k](*row), eq.payoffs, atol=1e-9)


def c_labels():
    return ("in", "b1", "c1", "x")


def test_zero_probability_branch_is_off_the_path():
    c = conditions(symbolic_three(), agreement=c_labels())
    paths_p0 = {c.outcome(p=0.0, a=a) for a in (-1.5, 0.5)}
    assert all(path[:1] in {("in",), ("out",)} for path in paths_p0)
    assert all(not {"b1", "b2"} & set(path) for path in paths_p0)  # B never moves on path


# -- the tie rule ---------------------------------------------------------------------------

ONE = ParameterSet([Parameter("a", 0.0, (-1.0, 1.0), "payoff", "left payoff", "test")])


def one_mover(labels):
    (a,) = ONE.symbols()
    return GameTree(
        ("P",),
        Decision("P", {labels[0]: Terminal(a), labels[1]: Terminal(0)}),
        parameters=ONE,
    )


@pytest.mark.parametrize(
    ("labels", "agreement", "at_tie"),
    [
        pytest.param(("L", "R"), None, ("L",), id="no-agreement-lowest-index"),
        pytest.param(("L", "R"), ("R",), ("R",), id="agreement-second-action"),
        pytest.param(("L", "R"), ("L",), ("L",), id="agreement-first-action"),
        pytest.param(("L", "R"), ("L", "R"), ("L",), id="both-agreement-declaration-order"),
    ],
)
def test_tie_rule_matches_numeric_solver(labels, agreement, at_tie):
    # The package's tie rule (bargain.solvers.trees.backward_induction): among optimal actions
    # the first whose label is an agreement label, else the lowest index.
    c = conditions(one_mover(labels), agreement=agreement)
    assert c.outcome(a=0.0) == at_tie
    num = backward_induction(
        one_mover(labels).numeric(a=0.0), all_equilibria=False, priority=agreement
    )
    assert num.equilibria[0].path == at_tie
    assert c.outcome(a=0.5) == ("L",)
    assert c.outcome(a=-0.5) == ("R",)
    ids = c.lambdify()(np.array([[0.0], [0.5], [-0.5]]))
    assert [c.paths[i] for i in ids] == [at_tie, ("L",), ("R",)]


def test_strictness_of_each_choice():
    c = conditions(one_mover(("L", "R")), agreement=("R",))
    (a,) = ONE.symbols()
    # R is preferred on ties: L needs a strict gain, R a weak one.
    assert same_dnf(c.condition(("L",)), a > 0)
    assert same_dnf(c.condition(("R",)), 0 >= a)


# -- normal form ----------------------------------------------------------------------------

NF = ParameterSet(
    [
        Parameter("x", 1.0, (-2.0, 2.0), "payoff", "row's payoff on (0, 0)", "test"),
        Parameter("y", 1.0, (-2.0, 2.0), "payoff", "column's payoff on (1, 1)", "test"),
    ]
)


def nf_game(x, y):
    # A coordination game when x, y > 0; a game with a dominant strategy otherwise.
    return NormalFormGame(
        [[[x, 0], [-1, 1]], [[1, -1], [0, y]]],
        players=("row", "col"),
        strategies=(("U", "D"), ("l", "r")),
        parameters=NF,
    )


def test_pure_conditions_match_numeric_pure_equilibria():
    x, y = NF.symbols()
    c = conditions(nf_game(x, y), agreement=("D", "r"))
    assert c.kind == "normal_form"
    assert c.paths[0] == ("D", "r")  # the agreement profile comes first
    pure = [p for p in c.paths if p != ("mixed",)]
    for row in sample(NF, 300):
        vals = dict(zip(NF.names, row, strict=True))
        r = pure_nash(nf_game(*row))
        expected = {
            tuple(g.strategies[i][int(np.argmax(s))] for i, s in enumerate(e.strategies))
            for g in [nf_game(*row)]
            for e in r.equilibria
        }
        got = {p for p in pure if c.holds(path=p, **vals)}
        assert got == expected


@pytest.mark.parametrize(
    ("payoffs", "n_pure", "mixed"),
    [
        # matching pennies: no pure equilibrium, mixing (1/2, 1/2) (von Neumann 1928)
        pytest.param(
            [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
            0,
            ((0.5, 0.5), (0.5, 0.5)),
            id="matching-pennies",
        ),
        # prisoner's dilemma: (defect, defect) only
        pytest.param([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], 1, None, id="prisoners-dilemma"),
        # battle of the sexes (Luce & Raiffa 1957): two pure, row mixes 2/3 on her favourite
        pytest.param(
            [[[2, 0], [0, 1]], [[1, 0], [0, 2]]],
            2,
            ((2 / 3, 1 / 3), (1 / 3, 2 / 3)),
            id="battle-of-the-sexes",
        ),
    ],
)
def test_numeric_2x2_known_equilibria(payoffs, n_pure, mixed):
    c = conditions(NormalFormGame(payoffs))
    pure = [case for case in c.cases if case.path != ("mixed",)]
    assert len(pure) == n_pure
    assert all(case.condition is sympy.true for case in pure)
    if mixed is None:
        assert c.mixed_strategies is None
    else:
        got = [[float(v) for v in s] for s in c.mixed_strategies]
        np.testing.assert_allclose(got, mixed, atol=1e-12)


def test_symbolic_mixed_equilibrium_makes_the_other_indifferent():
    x, y = NF.symbols()
    c = conditions(nf_game(x, y))
    (xs, _), (ys, _) = c.mixed_strategies
    for row in sample(NF, 200):
        vals = dict(zip(NF.names, row, strict=True))
        g = nf_game(*row)
        exists = c.holds(path=("mixed",), **vals)
        # interior mixed equilibrium of a 2x2 game exists iff both players' gain
        # differences change sign (no weakly dominant strategy)
        A, B = g.payoffs
        a, b = A[0, 0] - A[1, 0], A[0, 1] - A[1, 1]
        cc, d = B[0, 0] - B[0, 1], B[1, 0] - B[1, 1]
        assert exists == (a * b < 0 and cc * d < 0)
        if exists:
            p = float(xs.subs({x: row[0], y: row[1]}))
            q = float(ys.subs({x: row[0], y: row[1]}))
            assert 0 < p < 1
            assert 0 < q < 1
            col = np.array([q, 1 - q])
            rowm = np.array([p, 1 - p])
            assert abs((A @ col)[0] - (A @ col)[1]) < 1e-9
            assert abs((rowm @ B)[0] - (rowm @ B)[1]) < 1e-9


# -- tutorial model: commitment pays iff it is cheaper than the entrant's profit -------------


def test_entry_commitment_pays_iff_cost_at_most_entrant_profit():
    # Dixit (1980): when the incumbent would accommodate (monopoly_profit + fight_cost >=
    # entrant_profit), committing to fight deters entry and pays iff its cost is at most
    # what accommodation would cost (the entrant's profit).
    m = bg.load_model("entry_deterrence")
    c = m.conditions("entry_commitment")
    ts = c.thresholds("commitment_cost")
    a = m.parameters["entrant_profit"].symbol
    assert any(t.direction == "<=" and sympy.simplify(t.expression - a) == 0 for t in ts)
    X = sample(m.parameters, 1000)
    ids = c.lambdify()(X)
    a_, f_, m_, k_ = X.T
    accommodates = m_ + f_ >= a_
    agreement = np.array([c.paths[i] == ("Commit", "Out") for i in ids])
    np.testing.assert_array_equal(agreement[accommodates], (k_ <= a_)[accommodates])
    assert c.holds(commitment_cost=2.0, entrant_profit=2.0)  # tie: commitment is taken


# -- numeric readers ------------------------------------------------------------------------


def test_numpy_numba_and_pointwise_readers_agree():
    c = conditions(symbolic_three(), agreement=c_labels())
    X = sample(THREE, 500, seed=1)
    X[:50, 0] = 0.0
    ids = c.lambdify()(X)
    np.testing.assert_array_equal(c.lambdify(backend="numba")(X), ids)
    for row, k in zip(X[:100], ids[:100], strict=True):
        assert c.paths[k] == c.outcome(**dict(zip(THREE.names, row, strict=True)))


def test_source_is_plain_python_for_numba():
    c = conditions(symbolic_three(), agreement=c_labels())
    src = c.source(name="regions")
    assert "def regions(X):" in src
    assert "sympy" not in src
    namespace = {}
    exec(src, namespace)  # generated by us, checked above
    X = sample(THREE, 50, seed=2)
    np.testing.assert_array_equal(namespace["regions"](X), c.lambdify()(X))


def test_simplified_merges_cases_that_differ_off_the_path():
    # Whatever B does off the path, A's choice depends only on a: (d ∧ e) ∨ (d ∧ ¬e) → d.
    ps = ParameterSet(
        [
            Parameter("a", 0.0, (-1, 1), "payoff", "A's sure payoff", "test"),
            Parameter("b", 0.0, (-1, 1), "payoff", "B's taste for u", "test"),
        ]
    )
    a, b = ps.symbols()
    b_move = Decision("B", {"u": Terminal(0, b), "v": Terminal(0, -b)})
    t = GameTree(("A", "B"), Decision("A", {"L": Terminal(a, 0), "R": b_move}), parameters=ps)
    c = conditions(t)
    assert len(boolean_to_dnf(c.condition(("L",)))) == 2
    s = c.simplified()
    assert isinstance(s, Conditions)
    assert same_dnf(s.condition(("L",)), a >= 0)


def test_bounds_drop_implied_inequalities():
    ps = ParameterSet([Parameter("a", 2.0, (1.0, 3.0), "payoff", "always above 1", "test")])
    (a,) = ps.symbols()
    t = GameTree(("P",), Decision("P", {"L": Terminal(a), "R": Terminal(1)}), parameters=ps)
    c = conditions(t)
    assert c.paths == (("L",),)  # R needs 1 > a: impossible within the bounds
    assert c.cases[0].condition is sympy.true


def test_latex_lists_paths_and_threshold():
    m = bg.load_model("withdrawal_sequencing")
    tex = m.conditions("withdraw_first").latex(thresholds=["q"])
    for piece in (
        r"\begin{cases}",
        r"\end{cases}",
        r"\text{Withdraw} \to \text{Comply}",
        r"\text{Stay}",
        r"q \left(M_{G} + s\right) \geq k_{G}",
        r"q^{*} = \frac{k_{G}}{M_{G} + s}",
        r"q \geq q^{*}",
    ):
        assert piece in tex


# -- errors ---------------------------------------------------------------------------------


def test_bad_inputs_are_named():
    tree = symbolic_three()
    with pytest.raises(GameShapeError, match="agreement label 'nope' is not an action"):
        conditions(tree, agreement=("in", "nope"))
    with pytest.raises(GameShapeError, match="needs a GameTree or a NormalFormGame, got int"):
        conditions(3)
    g = NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], strategies=(("a", "b"), ("c", "d")))
    with pytest.raises(GameShapeError, match="one strategy label per player"):
        conditions(g, agreement=("a",))
    with pytest.raises(GameShapeError, match="'z' is not a strategy of player '2'"):
        conditions(g, agreement=("a", "z"))
    imperfect = GameTree(
        ("1", "2"),
        Decision(
            "1",
            {
                "H": Decision("2", {"h": Terminal(1, -1), "t": Terminal(-1, 1)}, infoset="I"),
                "T": Decision("2", {"h": Terminal(-1, 1), "t": Terminal(1, -1)}, infoset="I"),
            },
        ),
    )
    with pytest.raises(GameShapeError, match="needs perfect information; information set 'I'"):
        conditions(imperfect)
    c = conditions(tree)
    with pytest.raises(BargainError, match="no agreement path was given"):
        c.agreement()
    with pytest.raises(ParameterError, match="'zzz': unknown parameter"):
        c.outcome(zzz=1.0)
    with pytest.raises(ParameterError, match="'p': value 2 is outside its bounds"):
        c.outcome(p=2.0)
    with pytest.raises(BargainError, match="backend must be 'numpy' or 'numba'"):
        c.lambdify(backend="torch")
    with pytest.raises(ValueError, match=r"shape \(n_points, 4\)"):
        c.lambdify()(np.zeros((3, 2)))


def test_threshold_errors():
    m = bg.load_model("entry_deterrence")
    c = m.conditions("entry_commitment")
    with pytest.raises(BargainError, match="is a disjunction of 2 cases"):
        c.threshold("commitment_cost")
    w = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
    with pytest.raises(BargainError, match="no inequality of the condition involves 'H'"):
        w.threshold("H")
    with pytest.raises(ParameterError, match="'nope': unknown parameter"):
        w.threshold("nope")


def test_structural_parameter_must_match():
    m = bg.load_model("withdrawal_sequencing")
    c = conditions(
        m.game("phased", symbolic=True, n=2), agreement=("Withdraw", "Comply"), fixed={"n": 2}
    )
    assert c.holds(n=2) == c.holds()
    with pytest.raises(ParameterError, match="derived for n = 2; derive them again for n = 3"):
        c.holds(n=3)


def test_threshold_with_a_coefficient_that_may_vanish_says_where_it_holds():
    # q (M_G + s) >= k_G solved for M_G: the coefficient q lies in [0, 1], so the
    # threshold M_G >= k_G/q - s holds only where q > 0, and says so.
    import sympy

    import bargain as bg

    c = bg.load_model("withdrawal_sequencing").conditions("withdraw_first")
    t = c.threshold("M_G")
    names = {x.name: x for x in t.expression.free_symbols}
    expected = (names["k_G"] - names["q"] * names["s"]) / names["q"]
    assert sympy.simplify(t.expression - expected) == 0
    assert t.direction == ">="
    assert str(t.valid_where) == "q > 0"
    assert t.holds(3.0, k_G=1.0, q=0.5, s=1.0)
    assert not t.holds(0.5, k_G=1.0, q=0.5, s=1.0)
    assert "where" in t.latex()
