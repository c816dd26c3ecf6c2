"""StochasticGame: construction, validation naming the offending part, conversions."""

import numpy as np
import pytest

import bargain as bg
from bargain.dynamic import StochasticGame, solve
from bargain.errors import BargainError, GameShapeError, ParameterError, SolverError
from bargain.games import Parameter, ParameterSet


def _two_state():
    u = [np.zeros((2, 2, 3)), np.zeros((2, 1, 2))]
    phi = [np.full((2, 3, 2), 0.5), np.full((1, 2, 2), 0.5)]
    return u, phi


def test_state_dependent_action_sets():
    u, phi = _two_state()
    g = StochasticGame(
        u, phi, [0.9, 0.8], actions=[[["a", "b"], ["x", "y", "z"]], [["wait"], ["p", "q"]]]
    )
    assert g.nums_actions.tolist() == [[2, 3], [1, 2]]
    assert g.actions[1][0] == ("wait",)
    assert g.discount == (0.9, 0.8)


@pytest.mark.parametrize(
    ("mutate", "error", "match"),
    [
        (
            lambda u, p: p[0].__setitem__((1, 2), [0.7, 0.2]),
            GameShapeError,
            r"state 0: .*\(1, 2\) sum to 0\.9",
        ),
        (
            lambda u, p: p[1].__setitem__((0, 1), [1.2, -0.2]),
            GameShapeError,
            r"state 1: .*\(0, 1\) to state 1 is negative",
        ),
        (
            lambda u, p: u.__setitem__(1, np.zeros((2, 2, 2))),
            GameShapeError,
            r"transitions of state 1 have shape \(1, 2, 2\), expected \(2, 2, 2\)",
        ),
        (
            lambda u, p: u.__setitem__(0, np.zeros((3, 2, 3))),
            GameShapeError,
            r"payoffs of state 0 have shape",
        ),
        (
            lambda u, p: u[1].__setitem__((1, 0, 1), np.nan),
            GameShapeError,
            r"state 1: payoff of player 1 at action profile \(0, 1\)",
        ),
    ],
    ids=["sum-not-one", "negative", "transition-shape", "player-count", "nan-payoff"],
)
def test_validation_names_the_part(mutate, error, match):
    u, phi = _two_state()
    mutate(u, phi)
    with pytest.raises(error, match=match):
        StochasticGame(u, phi, 0.9)


@pytest.mark.parametrize("delta", [0.0, 1.0, 1.5, -0.1, float("nan")])
def test_discount_outside_unit_interval(delta):
    u, phi = _two_state()
    with pytest.raises(ParameterError, match="player '2': must lie in \\(0, 1\\)"):
        StochasticGame(u, phi, [0.9, delta])


def test_errors_are_value_errors():
    assert issubclass(GameShapeError, ValueError)
    with pytest.raises(ValueError, match="states"):
        StochasticGame([np.zeros((1, 2))], [], 0.5)


def test_symbolic_game_and_numeric():
    ps = ParameterSet([Parameter("a", 1.0, (0, 5)), Parameter("d", 0.5, (0.1, 0.9))])
    a, d = ps.symbols()
    g = StochasticGame([[[a, 2 * a]]], [[[1], [1]]], d, parameters=ps)
    assert g.is_symbolic
    with pytest.raises(SolverError, match="numeric"):
        solve(g, method="pure")
    n = g.numeric(a=3.0, d=0.8)
    assert n.payoffs[0].tolist() == [[3.0, 6.0]]
    assert n.discount == (0.8,)
    r = solve(n, method="value_iteration")
    assert r.equilibrium.values[0, 0] == pytest.approx(6.0 / (1 - 0.8))
    with pytest.raises(ParameterError, match="'a'"):
        g.numeric(a=9.0)


def test_lazy_subpackage():
    assert bg.dynamic.StochasticGame is StochasticGame


def test_unknown_method_and_option():
    u, phi = _two_state()
    g = StochasticGame(u, phi, 0.9)
    with pytest.raises(BargainError, match="unknown method 'nope'"):
        solve(g, method="nope")
    with pytest.raises(SolverError, match="takes no option 'lambdas'"):
        solve(g, method="pure", lambdas=[1.0])


# One-state game with δ → 0: stationary equilibria are the stage game's equilibria
# (a one-state stochastic game is a repeated game; with δ → 0 only today's payoff counts).
@pytest.mark.parametrize("seed", range(6))
def test_one_state_small_discount_is_the_stage_game(seed):
    rng = np.random.default_rng(seed)
    shape = (3, 2, 2) if seed % 2 else (3, 3)
    u = rng.integers(0, 9, (len(shape), *shape)).astype(float)
    g = StochasticGame.from_arrays(u[None], np.ones((1, *shape, 1)), 1e-6)
    nf = g.to_normal_form()
    pure_nf = {
        tuple(int(np.argmax(x)) for x in eq.strategies)
        for eq in bg.solve(nf, method="pure").equilibria
    }
    pure_dyn = {eq.pure_actions[0] for eq in solve(g, method="pure").equilibria}
    assert pure_dyn == pure_nf
    # the QRE limit is a Nash equilibrium of the stage game
    eq = solve(g, method="qre").equilibrium
    sig = eq.strategies[0]
    for i in range(len(shape)):
        w = u[i]
        for j in range(len(shape) - 1, -1, -1):
            if j != i:
                w = np.tensordot(w, sig[j], axes=([j], [0]))
        assert w.max() - w @ sig[i] <= 1e-6


def test_unroll_finite_prisoners_dilemma():
    """Finitely repeated PD: the unique subgame-perfect path is (D, D) in every period
    (backward induction, Luce & Raiffa 1957); the tree's payoffs are discounted sums."""
    from bargain.dynamic import unroll

    pd = np.array([[[[3, 0], [5, 1]], [[3, 5], [0, 1]]]], dtype=float)
    g = StochasticGame.from_arrays(
        pd, np.ones((1, 2, 2, 1)), 0.9, actions=[[["C", "D"], ["C", "D"]]]
    )
    t = unroll(g, 3)
    r = bg.solve(t, method="spe")
    assert {eq.path[:2] for eq in r.equilibria} == {("D", "D")}
    assert all(set(eq.path) == {"D"} for eq in r.equilibria)
    np.testing.assert_allclose(r.equilibria[0].payoffs, [1 + 0.9 + 0.81] * 2)
    with pytest.raises(GameShapeError, match="max_nodes=100"):
        unroll(g, 5, max_nodes=100)


def test_unroll_with_chance_and_terminal_values(regret):
    # two states, transitions random: the one-period tree plus the stationary values of an
    # MPE at the leaves has that MPE's state-0 profile as a Nash equilibrium of the tree
    rng = np.random.default_rng(3)
    u = rng.uniform(0, 1, (2, 2, 2, 2))
    phi = rng.exponential(1.0, (2, 2, 2, 2))
    g = StochasticGame.from_arrays(u, phi / phi.sum(-1, keepdims=True), 0.9)
    eq = solve(g, method="qre").equilibrium
    t = bg.dynamic.unroll(g, 1, terminal_values=eq.values)
    nf = t.to_normal_form()
    x, y = eq.strategies[0]
    A, B = (np.asarray(p, dtype=float) for p in nf.payoffs)
    assert x @ A @ y == pytest.approx(eq.values[0, 0])
    assert (A @ y).max() - x @ A @ y <= 1e-7
    assert (x @ B).max() - x @ B @ y <= 1e-7
