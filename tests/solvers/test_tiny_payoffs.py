"""Games whose payoffs are all tiny (subnormal) are solved scaled up, exactly.

Hypothesis found that support enumeration on payoffs such as 2.2e-313 raised NumPy's
"SVD did not converge" and Lemke-Howson returned nothing: every digit was lost in the
rank tests. A power-of-two scale brings the largest payoff to [1, 2) without rounding,
so the game and its equilibria are unchanged.
"""

import numpy as np
import pytest

import bargain as bg

SUB = 2.22507386e-313  # a subnormal double


@pytest.mark.parametrize("method", ["support", "vertex", "lemke_howson", "auto"])
def test_subnormal_dominance_is_seen(method):
    # Column 2 is strictly better for player 2 by a subnormal margin: the unique NE.
    g = bg.NormalFormGame([[[0.0, 0.0]], [[0.0, SUB]]])
    r = bg.solve(g, method=method)
    assert [eq.strategies[1].tolist() for eq in r.equilibria] == [[0.0, 1.0]]
    assert r.equilibria[0].payoffs[1] == SUB
    assert any("2**-500" in n for n in r.notes)


@pytest.mark.parametrize("method", ["support", "vertex", "lemke_howson"])
def test_tiny_matching_pennies_mixes_half_half(method):
    s = 1e-310
    g = bg.NormalFormGame([[[s, -s], [-s, s]], [[-s, s], [s, -s]]])
    r = bg.solve(g, method=method)
    assert len(r.equilibria) == 1
    for x in r.equilibria[0].strategies:
        np.testing.assert_allclose(x, [0.5, 0.5], atol=1e-12)


@pytest.mark.parametrize("method", ["support", "vertex", "lemke_howson"])
def test_one_tiny_player_beside_a_normal_one(method):
    # Found by Hypothesis (tests/solvers/test_support.py): one scale for the whole game,
    # so a tiny player beside a normal one is solved as it is, without recursion.
    g = bg.NormalFormGame([np.array([[1.0]]), np.array([[SUB]])])
    r = bg.solve(g, method=method)
    assert [tuple(x.tolist() for x in eq.strategies) for eq in r.equilibria] == [([1.0], [1.0])]
