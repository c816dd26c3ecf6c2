"""Tests of bargain.solvers.normal_form.logit: the logit QRE branch and its Nash limit."""

from __future__ import annotations

import importlib.util
import itertools
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from bargain.errors import ParameterError, SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.normal_form.logit import logit, qre_path
from bargain.solvers.verify import deviation_payoffs, max_regret

# the answers pygambit gave, stored by tests/data/gambit/regenerate.py
_spec = importlib.util.spec_from_file_location(
    "gambit_stored", Path(__file__).parents[1] / "data" / "gambit" / "stored.py"
)
gambit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gambit)

TOL = 1e-10


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def qre_residual(game, strategies, lam):
    dev = deviation_payoffs(game.payoffs, strategies)
    return max(
        float(np.max(np.abs(softmax(lam * d) - s))) for d, s in zip(dev, strategies, strict=True)
    )


def matching_pennies():
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return NormalFormGame([A, -A])


def asymmetric_pennies():
    # Asymmetric matching pennies (the row player's (Heads, Heads) payoff raised to 9), the
    # kind of game used to illustrate QRE by McKelvey & Palfrey (1995) and Goeree & Holt
    # (2001, "Ten little treasures of game theory", AER 91:1402–1422).
    # Unique Nash equilibrium: row (1/2, 1/2), column (1/10, 9/10).
    return NormalFormGame([[[9, 0], [0, 1]], [[0, 1], [1, 0]]])


def prisoners_dilemma():
    # Gibbons (1992), Figure 1.1.1 (Mum, Fink): (Fink, Fink) is the unique equilibrium.
    return NormalFormGame([[[-1, -9], [0, -6]], [[-1, 0], [-9, -6]]])


def mckelvey_mclennan_2x2x2():
    # McKelvey & McLennan (1996, "Computation of equilibria in finite games", Handbook of
    # Computational Economics vol. 1, ch. 2, pp. 87–142, as in Gambit's doc/biblio.rst);
    # Gambit's sample contrib/games/2x2x2.nfg ("2x2x2 Example from McKelvey-McLennan, with 9 Nash
    # equilibria, 2 totally mixed"); outcomes in Gambit's order (player 1's strategy varies
    # fastest).  Unlisted profiles pay (0, 0, 0).
    pays = [np.zeros((2, 2, 2)) for _ in range(3)]
    for s, u in {
        (0, 0, 0): (9, 8, 12),
        (1, 1, 0): (9, 8, 2),
        (1, 0, 1): (3, 4, 6),
        (0, 1, 1): (3, 4, 6),
    }.items():
        for i in range(3):
            pays[i][s] = u[i]
    return NormalFormGame(pays)


# Its nine equilibria, as probabilities of each player's first strategy (computed with
# Gambit's enumpoly on the file above and checked here by the regret test below).
MM_EQUILIBRIA = [
    (1, 1, 1),
    (1, 0, 0),
    (0, 1, 0),
    (0, 0, 1),
    (1 / 2, 1 / 2, 1),
    (1 / 3, 1, 1 / 4),
    (0, 1 / 4, 1 / 3),
    (1 / 2, 2 / 5, 1 / 4),
    (2 / 5, 1 / 2, 1 / 3),
]


def profile(firsts):
    return [np.array([a, 1 - a], dtype=float) for a in firsts]


def test_mm_equilibria_are_equilibria():
    g = mckelvey_mclennan_2x2x2()
    for eq in MM_EQUILIBRIA:
        assert max_regret(g.payoffs, profile(eq)) <= 1e-12


@pytest.mark.parametrize("lam", [0.0, 0.5, 2.0, 10.0, 1e3])
def test_matching_pennies_qre_is_uniform(lam):
    # The centroid is the unique QRE of (symmetric) matching pennies for every λ: at the
    # centroid both strategies earn the same, so the logit response is uniform again
    # (McKelvey & Palfrey 1995, who contrast it with asymmetric versions).
    r = logit(matching_pennies(), lam=lam)
    eq = r[0]
    for s in eq.strategies:
        np.testing.assert_allclose(s, [0.5, 0.5], atol=1e-12)
    assert eq.info["lambda"] == lam
    assert eq.info["qre"] is True
    assert r.complete


def independent_asymmetric_qre(lam):
    """The 2×2 QRE equations reduced to one monotone equation in p and solved by brentq.

    p = σ(λ(10q − 1)) (row: 9q vs 1 − q), q = σ(λ(1 − 2p)) (column: 1 − p vs p)."""

    def sigma(z):
        return 1.0 / (1.0 + np.exp(-z))

    p = brentq(lambda p: p - sigma(lam * (10 * sigma(lam * (1 - 2 * p)) - 1)), 0, 1, xtol=1e-15)
    q = sigma(lam * (1 - 2 * p))
    return p, q


@pytest.mark.parametrize("lam", [0.3, 1.0, 3.0, 20.0])
def test_asymmetric_pennies_qre_matches_fixed_point(lam):
    g = asymmetric_pennies()
    eq = logit(g, lam=lam)[0]
    p, q = independent_asymmetric_qre(lam)
    np.testing.assert_allclose(eq.strategies[0], [p, 1 - p], atol=1e-10)
    np.testing.assert_allclose(eq.strategies[1], [q, 1 - q], atol=1e-10)
    assert qre_residual(g, eq.strategies, lam) <= 1e-12


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (prisoners_dilemma, [[0, 1], [0, 1]]),
        # McKelvey & Palfrey (1995): the QRE of asymmetric pennies converges to the Nash
        # equilibrium row (1/2, 1/2), column (1/10, 9/10).
        (asymmetric_pennies, [[0.5, 0.5], [0.1, 0.9]]),
        (matching_pennies, [[0.5, 0.5], [0.5, 0.5]]),
    ],
    ids=["gibbons_prisoners_dilemma", "asymmetric_pennies", "matching_pennies"],
)
def test_nash_limit(factory, expected):
    g = factory()
    r = logit(g, tol=TOL)
    assert r.complete
    eq = r[0]
    for got, want in zip(eq.strategies, expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-10)
    assert max_regret(g.payoffs, eq.strategies) <= TOL
    assert eq.max_regret <= TOL


def test_mckelvey_mclennan_reaches_listed_equilibrium():
    g = mckelvey_mclennan_2x2x2()
    r = logit(g, tol=TOL)
    assert r.complete
    eq = r[0]
    assert max_regret(g.payoffs, eq.strategies) <= TOL
    firsts = np.array([s[0] for s in eq.strategies])
    dist = [np.max(np.abs(firsts - np.array(e))) for e in MM_EQUILIBRIA]
    assert min(dist) <= 1e-9
    # Players 1 and 2 make each other indifferent at 1/2 for every λ, so the branch stays
    # on {p1 = p2 = 1/2} and player 3's first strategy (payoff 3.5 vs 3) takes over:
    # the limit is the fifth listed equilibrium.
    assert int(np.argmin(dist)) == 4


def test_qre_along_nplayer_path_satisfies_the_equations():
    g = mckelvey_mclennan_2x2x2()
    path = qre_path(g, max_lambda=5.0)
    assert path.status == "reached"
    assert path.lambdas[0] == 0.0
    assert path.lambdas[-1] == pytest.approx(5.0, abs=0)
    for k in range(0, len(path), max(1, len(path) // 6)):
        strategies = [prof[k] for prof in path.profiles]
        assert qre_residual(g, strategies, path.lambdas[k]) <= 1e-9


def test_qre_path_is_continuous():
    path = qre_path(asymmetric_pennies(), max_lambda=50.0)
    jumps = np.max(np.abs(np.diff(path.profiles[0], axis=0)))
    assert jumps < 0.2
    for lam, row in zip(path.lambdas[1::7], path.profiles[0][1::7], strict=True):
        p, _ = independent_asymmetric_qre(lam)
        assert row[0] == pytest.approx(p, abs=1e-8)


def test_constant_game_returns_centroid():
    g = NormalFormGame([np.ones((2, 3)), np.full((2, 3), 4.0)])
    r = logit(g)
    np.testing.assert_allclose(r[0].strategies[1], [1 / 3] * 3)
    assert r[0].max_regret == 0.0
    assert len(qre_path(g)) == 2


def test_one_player_picks_the_best_strategy():
    g = NormalFormGame([[1.0, 3.0, 2.0]])
    r = logit(g)
    np.testing.assert_allclose(r[0].strategies[0], [0, 1, 0], atol=1e-12)


def test_step_cap_gives_incomplete_result():
    g = asymmetric_pennies()
    r = logit(g, max_steps=3)
    assert not r.complete
    assert any("no Nash equilibrium within" in n and "max_steps" in n for n in r.notes)
    assert r[0].max_regret > TOL


def test_max_lambda_too_small_gives_incomplete_result():
    # At λ = 2 (payoff range 9) the prisoner's dilemma QRE still plays Mum with p ≈ 0.1,
    # too far from (Fink, Fink) to accept the polished profile as the branch's limit.
    r = logit(prisoners_dilemma(), max_lambda=0.2)
    assert not r.complete
    assert any("max_lambda reached at lam=0.2" in n for n in r.notes)
    assert r[0].max_regret == pytest.approx(
        max_regret(prisoners_dilemma().payoffs, r[0].strategies)
    )
    assert r[0].max_regret > 0.1


def test_qre_step_cap_raises():
    with pytest.raises(SolverError, match=r"could not follow the QRE branch to lam=100"):
        logit(asymmetric_pennies(), lam=100.0, max_steps=3)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"lam": -1.0}, "lam"),
        ({"lam": float("nan")}, "lam"),
        ({"lam": float("inf")}, "lam"),
        ({"lam": "2"}, "lam"),
        ({"max_lambda": 0.0}, "max_lambda"),
        ({"max_lambda": float("inf")}, "max_lambda"),
        ({"tol": 0.0}, "tol"),
        ({"step": -0.1}, "step"),
        ({"max_steps": 0}, "max_steps"),
        ({"max_steps": 2.5}, "max_steps"),
        ({"accel": 0.5}, "accel"),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
def test_bad_options(kwargs, name):
    with pytest.raises(ParameterError, match=rf"option '{name}' of method 'logit': must be"):
        logit(prisoners_dilemma(), **kwargs)


def test_qre_path_bad_max_lambda():
    with pytest.raises(
        ParameterError, match=r"option 'max_lambda' of method 'logit': must be a finite number"
    ):
        qre_path(prisoners_dilemma(), max_lambda=-1.0)


def test_symbolic_refused():
    ps = ParameterSet([Parameter("a", 1.0, (0, 2))])
    (a,) = ps.symbols()
    g = NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]], parameters=ps)
    with pytest.raises(SolverError, match=r"method 'logit' needs numeric payoffs"):
        logit(g)


def test_not_a_game_refused():
    with pytest.raises(SolverError, match="needs a NormalFormGame, got tuple"):
        logit((1, 2))


def _generic_game(shape, seed):
    """Integer payoffs plus a random multiple of 1/97: a generic game, exact in Gambit."""
    rng = np.random.default_rng(1000 * seed + sum(shape))
    return [rng.integers(-50, 51, size=shape) + rng.integers(1, 97, size=shape) / 97 for _ in shape]


def _exact(payoffs):
    exact = np.vectorize(lambda x: Fraction(x).limit_denominator(97), otypes=[object])
    return [exact(p) for p in payoffs]


LOGIT_SHAPES = [(3, 3), (4, 5), (2, 2, 2), (3, 3, 2)]
LOGIT_GAMES = {
    f"{'x'.join(map(str, shape))}-seed{seed}": (shape, seed)
    for shape in LOGIT_SHAPES
    for seed in range(4)
}
# what regenerate.py runs pygambit on: logit_solve(Game.from_arrays(*exact payoffs))
GAMBIT_GAMES = {"logit": {k: _exact(_generic_game(*v)) for k, v in LOGIT_GAMES.items()}}


@pytest.mark.parametrize("key", LOGIT_GAMES)
def test_same_limit_as_gambit(key):
    """The principal branch has one limit in a generic game: Gambit's logit_solve
    (Turocy 2005's tracer, an independent implementation) must end at the same one.
    Its limits are stored in tests/data/gambit/logit.json: pygambit 16.7.0,
    logit_solve(Game.from_arrays(*payoffs as Fractions)).equilibria[0]."""
    pays = _generic_game(*LOGIT_GAMES[key])
    g = NormalFormGame(pays)
    r = logit(g)
    assert r.complete
    assert max_regret(g.payoffs, r[0].strategies) <= TOL
    stored = gambit.entry("logit", key)
    assert stored["payoffs"] == [[gambit.q(x) for x in p.ravel()] for p in _exact(pays)]
    ref = stored["strategies"]
    for got, want in zip(r[0].strategies, ref, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-5)


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 2), (2, 2, 2)]))
def test_limit_is_an_equilibrium(seed, shape):
    """On generic games (continuous random payoffs) the branch limit is a Nash equilibrium."""
    rng = np.random.default_rng(seed)
    g = NormalFormGame([rng.normal(size=shape) for _ in shape])
    r = logit(g)
    assert r.complete
    assert max_regret(g.payoffs, r[0].strategies) <= 1e-8


def test_degenerate_continuum_limit():
    # Column 2 pays the row player 8 whatever she does, so (p, 1 - p) against column 2 is
    # an equilibrium for every p >= 4/5 (the column player prefers column 2 iff
    # 5p + 2(1 - p) >= 4p + 6(1 - p)); the branch approaches the boundary p = 4/5.
    g = NormalFormGame([[[6, 8], [0, 8]], [[4, 5], [6, 2]]])
    r = logit(g)
    assert r.complete
    eq = r[0]
    assert max_regret(g.payoffs, eq.strategies) <= TOL
    np.testing.assert_allclose(eq.strategies[1], [0, 1], atol=1e-12)
    assert 0.8 <= eq.strategies[0][0] <= 0.8 + 1e-4


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(2, 2), (3, 3), (2, 2, 2)]))
def test_degenerate_integer_games_end_at_equilibria(seed, shape):
    """Payoffs in {0, 1, 2, 3}: ties, continua of equilibria, bifurcations; the result is
    still an equilibrium within tol (or says it is not)."""
    rng = np.random.default_rng(seed)
    g = NormalFormGame([rng.integers(0, 4, size=shape).astype(float) for _ in shape])
    r = logit(g)
    regret = max_regret(g.payoffs, r[0].strategies)
    assert regret == pytest.approx(r[0].max_regret, abs=1e-15)
    assert r.complete == (regret <= TOL)
    assert r.complete


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), lam=st.floats(0.0, 30.0))
def test_qre_solves_its_equations(seed, lam):
    rng = np.random.default_rng(seed)
    shape = (2, 3, 2)
    g = NormalFormGame([rng.normal(size=shape) for _ in shape])
    eq = logit(g, lam=lam)[0]
    assert qre_residual(g, eq.strategies, lam) <= 1e-9
    assert all(np.all(s > 0) for s in eq.strategies)


def test_deterministic():
    g = mckelvey_mclennan_2x2x2()
    a, b = logit(g)[0], logit(g)[0]
    for x, y in zip(a.strategies, b.strategies, strict=True):
        assert np.array_equal(x, y)
    assert list(itertools.chain(a.info.items())) == list(b.info.items())
