"""logit_qre: the fitted profile is a logit QRE, and λ is recovered from data it generated."""

import numpy as np
import pytest
from scipy import special

from bargain import NormalFormGame
from bargain.errors import GameShapeError, ParameterError
from bargain.estimate import logit_qre

# asymmetric matching pennies (McKelvey & Palfrey 1995, section 4; Ochs 1995 payoffs 9/1)
PENNIES = NormalFormGame([[[9, 0], [0, 1]], [[0, 1], [1, 0]]])
# a 3x2 game with a dominated strategy for the row player
THREE = NormalFormGame([[[3, 0], [0, 2], [1, 1]], [[1, 0], [0, 3], [2, 2]]])


def _is_logit_qre(game, profile, lam):
    arrays = [np.asarray(a, float) for a in game.payoffs]
    p1, p2 = profile
    u1 = arrays[0] @ p2
    u2 = p1 @ arrays[1]
    return np.allclose(p1, special.softmax(lam * u1), atol=1e-9) and np.allclose(
        p2, special.softmax(lam * u2), atol=1e-9
    )


def _qre_at(game, lam):
    """The QRE at `lam` by damped fixed-point iteration from uniform play (a contraction
    at these small λ), independently of the continuation used by logit_qre."""
    arrays = [np.asarray(a, float) for a in game.payoffs]
    p1 = np.full(game.shape[0], 1 / game.shape[0])
    p2 = np.full(game.shape[1], 1 / game.shape[1])
    for _ in range(3000):
        n1 = special.softmax(lam * (arrays[0] @ p2))
        n2 = special.softmax(lam * (p1 @ arrays[1]))
        p1, p2 = 0.9 * p1 + 0.1 * n1, 0.9 * p2 + 0.1 * n2
    return p1, p2


@pytest.mark.parametrize(
    ("game", "lam0"), [(PENNIES, 0.4), (THREE, 1.5)], ids=["pennies", "three-by-two"]
)
def test_expected_counts_return_the_true_precision(game, lam0):
    p1, p2 = _qre_at(game, lam0)
    assert _is_logit_qre(game, (p1, p2), lam0)
    fit = logit_qre(game, [1000 * p1, 1000 * p2])
    assert fit.converged
    assert fit.lam == pytest.approx(lam0, rel=1e-5)
    assert _is_logit_qre(game, fit.profile, fit.lam)
    assert fit.llf >= fit.llf_uniform
    assert fit.llf >= fit.llf_nash


def test_precision_from_sampled_choices_lies_in_its_interval():
    rng = np.random.default_rng(4)
    lam0 = 1.5
    p1, p2 = _qre_at(THREE, lam0)
    inside = 0
    for _ in range(10):
        counts = [rng.multinomial(400, p1), rng.multinomial(400, p2)]
        fit = logit_qre(THREE, counts)
        assert _is_logit_qre(THREE, fit.profile, fit.lam)
        inside += abs(fit.lam - lam0) < 3.29 * fit.bse  # 99.9% interval
    assert inside >= 9


def test_likelihood_ratio_tests():
    fit = logit_qre(PENNIES, [[60, 40], [45, 55]])
    assert fit.lr_uniform[0] == pytest.approx(2 * (fit.llf - fit.llf_uniform))
    assert fit.llf_uniform == pytest.approx(200 * np.log(0.5))
    assert 0 <= fit.lr_uniform[1] <= 1
    assert fit.lr_nash[0] > 0
    # uniform data: λ = 0 is the best fit, the test has nothing to reject
    flat = logit_qre(PENNIES, [[50, 50], [50, 50]])
    assert flat.lam == pytest.approx(0.0, abs=1e-6)


def test_bad_counts_are_named():
    with pytest.raises(ParameterError, match="parameter 'counts'"):
        logit_qre(PENNIES, [[1, 2, 3], [1, 1]])
    with pytest.raises(ParameterError, match="one row per player"):
        logit_qre(PENNIES, [[1, 2]])
    with pytest.raises(ParameterError, match="no observed choices"):
        logit_qre(PENNIES, [[0, 0], [0, 0]])
    import sympy

    a = sympy.Symbol("a")
    with pytest.raises(GameShapeError, match="symbolic"):
        logit_qre(NormalFormGame([[[a, 0], [0, 1]], [[0, 1], [1, 0]]]), [[1, 1], [1, 1]])


def test_dominant_strategy_precision_in_closed_form():
    # defecting pays exactly 1 more whatever the other does, so π(defect) = Λ(λ) and the
    # MLE solves Λ(λ) = observed share: λ = log(share / (1 - share))
    game = NormalFormGame([[[2, 0], [3, 1]], [[2, 3], [0, 1]]])
    fit = logit_qre(game, [[30, 70], [10, 90]])
    share = 160 / 200
    assert fit.lam == pytest.approx(np.log(share / (1 - share)), rel=1e-6)
    # information for λ: n Λ(λ)(1 − Λ(λ)), so bse = 1 / sqrt(200 · 0.8 · 0.2)
    assert fit.bse == pytest.approx(1 / np.sqrt(200 * 0.8 * 0.2), rel=1e-3)
