"""One regret function for every representation, checked against plain NumPy."""

import numpy as np
import pytest

import bargain as bg
from bargain.errors import SolverError


def _plain_regrets(payoffs, strategies):
    """Independent of the package: expected payoff of every pure deviation, by einsum."""
    n = len(strategies)
    letters = "abcdefgh"[:n]
    out = []
    for i in range(n):
        others = [letters[j] for j in range(n) if j != i]
        spec = f"{letters},{','.join(others)}->{letters[i]}"
        dev = np.einsum(spec, payoffs[i], *[strategies[j] for j in range(n) if j != i])
        out.append(dev.max() - dev @ strategies[i])
    return np.array(out)


@pytest.mark.parametrize("shape", [(2, 2), (3, 4), (2, 3, 2)], ids=lambda s: "x".join(map(str, s)))
def test_normal_form_regret_matches_plain_numpy(shape):
    rng = np.random.default_rng(7)
    for _ in range(20):
        payoffs = [rng.normal(size=shape) for _ in shape]
        profile = [rng.dirichlet(np.ones(k)) for k in shape]
        got = bg.regret(bg.NormalFormGame(payoffs), profile)
        np.testing.assert_allclose(got, _plain_regrets(payoffs, profile), atol=1e-12)
        assert (got >= 0).all()


def test_tree_regret_is_the_gain_of_the_best_deviation():
    # A moves L (2, 0) or R, then B chooses l (0, 4) or r (3, 1).
    t = bg.GameTree(
        ("A", "B"),
        bg.Decision(
            "A",
            {
                "L": bg.Terminal(2, 0),
                "R": bg.Decision("B", {"l": bg.Terminal(0, 4), "r": bg.Terminal(3, 1)}),
            },
        ),
    )
    a, b = 0.3, 0.6  # A plays L with 0.3; B plays l with 0.6
    value_a = a * 2 + (1 - a) * (b * 0 + (1 - b) * 3)
    value_b = a * 0 + (1 - a) * (b * 4 + (1 - b) * 1)
    best_a = max(2, b * 0 + (1 - b) * 3)
    best_b = a * 0 + (1 - a) * 4
    got = bg.regret(t, [[[a, 1 - a]], [[b, 1 - b]]])
    np.testing.assert_allclose(got, [best_a - value_a, best_b - value_b], atol=1e-12)


def test_bad_profiles_name_the_problem():
    g = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(SolverError, match="player '2' has 2 strategies"):
        bg.regret(g, [[0.5, 0.5], [1.0, 0.0, 0.0]])
    with pytest.raises(SolverError, match="2 players"):
        bg.regret(g, [[1.0, 0.0]])
    with pytest.raises(SolverError, match="takes a NormalFormGame or GameTree"):
        bg.regret("game", [])
