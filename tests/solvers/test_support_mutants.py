"""Tests of method "support" written for the mutants that survived its mutation run.

See the "Mutation testing" section of docs/testing.md: each test here kills at least one
mutant of ``src/bargain/solvers/normal_form/support.py`` that the older tests let through
(the work limit, the tolerance of a constant game, the inclusive tolerance of the pure
pass, the option checks, the fast mode's note, the rescaled path).  Regrets are computed
here, not with the package's verification code.
"""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from bargain.games.normal_form import NormalFormGame
from bargain.solvers.normal_form.support import support_enumeration
from bargain.solvers.tolerance import OptionError

# a nondegenerate 2x3 game (integer payoffs in general position, fixed by hand)
A23 = [[3.0, 0.0, 2.0], [1.0, 4.0, 0.0]]
B23 = [[0.0, 2.0, 1.0], [3.0, 0.0, 4.0]]


def regret(A, B, x, y) -> float:
    """Largest gain of a unilateral pure deviation, computed from scratch."""
    A, B, x, y = (np.asarray(v, dtype=float) for v in (A, B, x, y))
    u1, u2 = x @ A @ y, x @ B @ y
    return max(float(np.max(A @ y) - u1), float(np.max(x @ B) - u2), 0.0)


def pairs_larger_than_1x1(m: int, n: int, *, equal_sizes: bool) -> int:
    """Support pairs the enumeration tries beyond the pure profiles."""
    if equal_sizes:
        total = sum(comb(m, k) * comb(n, k) for k in range(1, min(m, n) + 1))
    else:
        total = (2**m - 1) * (2**n - 1)
    return total - m * n


@pytest.mark.parametrize("degenerate", ["safe", "fast"])
def test_max_supports_counts_exactly_the_pairs_tried(degenerate):
    # docstring: "at most this many support pairs larger than 1 x 1 are tried"; "safe"
    # tries every pair, "fast" the pairs of equal size
    g = NormalFormGame([A23, B23])
    need = pairs_larger_than_1x1(2, 3, equal_sizes=degenerate == "fast")
    assert need == (15 if degenerate == "safe" else 3)
    full = support_enumeration(g, degenerate=degenerate, max_supports=need)
    assert not any("work limit" in note for note in full.notes)
    assert "max_supports" not in full.options
    for eq in full.equilibria:
        assert regret(A23, B23, *eq.strategies) <= 1e-9
    cut = support_enumeration(g, degenerate=degenerate, max_supports=need - 1)
    assert cut.complete is False
    assert cut.count is None
    assert cut.options["max_supports"] == need - 1
    (note,) = [note for note in cut.notes if "work limit" in note]
    assert f"max_supports={need - 1}" in note
    # the note counts every pair larger than 1x1 of a 2x3 game: (2^2-1)(2^3-1) - 6 = 15
    assert "a 2x3 game has 15 support pairs larger than 1x1" in note
    assert note.endswith(
        "raise max_supports, or use method 'lemke_howson' (labels='all') for a few "
        "equilibria of a large game"
    )


def test_a_constant_game_has_the_relative_tolerance_itself():
    # docstring of tol: the payoff scale is "1 for a constant game", so result.tolerance
    # is tol itself; every profile of a constant game is an equilibrium
    g = NormalFormGame([[[2.0, 2.0], [2.0, 2.0]], [[5.0, 5.0], [5.0, 5.0]]])
    for degenerate in ("safe", "fast"):
        r = support_enumeration(g, tol=1e-6, degenerate=degenerate)
        assert r.tolerance == 1e-6
        assert r.equilibria
        for eq in r.equilibria:
            assert regret(g.payoffs[0], g.payoffs[1], *eq.strategies) == 0.0


def test_a_pure_profile_with_regret_exactly_tol_is_returned():
    # the tolerance is inclusive ("max_regret <= tol * s"): player 1's regret at (row 0,
    # column 0) is 1.0 - 0.75 = 0.25 = tol * s exactly (s = 1, all sums exact in binary)
    A = [[0.75, 0.0], [1.0, 0.5]]
    B = [[1.0, 0.0], [0.0, 1.0]]
    assert regret(A, B, [1.0, 0.0], [1.0, 0.0]) == 0.25
    r = support_enumeration(NormalFormGame([A, B]), tol=0.25)
    found = [tuple(np.concatenate(eq.strategies)) for eq in r.equilibria]
    assert (1.0, 0.0, 1.0, 0.0) in found
    for eq in r.equilibria:
        assert regret(A, B, *eq.strategies) <= r.tolerance == 0.25


@pytest.mark.parametrize("name", ["max_supports", "max_equilibria"])
@pytest.mark.parametrize("value", [0, -3])
def test_a_limit_below_one_is_refused_by_name(name, value):
    g = NormalFormGame([A23, B23])
    with pytest.raises(OptionError, match=f"option '{name}'.*positive integer, got {value}"):
        support_enumeration(g, **{name: value})


def test_fast_mode_says_it_may_be_incomplete():
    # degenerate="fast" cannot know the game is nondegenerate: complete=False and a note
    r = support_enumeration(NormalFormGame([A23, B23]), degenerate="fast")
    assert r.complete is False
    assert any("degenerate='fast'" in note for note in r.notes)
    safe = support_enumeration(NormalFormGame([A23, B23]))
    assert safe.complete is True
    assert not any("degenerate='fast'" in note for note in safe.notes)
    # in a nondegenerate game both modes find the same equilibria
    assert len(r.equilibria) == len(safe.equilibria)


def test_huge_payoffs_keep_the_fast_mode():
    # payoffs above 2**500 are solved scaled by a power of two, with the same options
    c = 2.0**900
    g = NormalFormGame([np.array(A23) * c, np.array(B23) * c])
    r = support_enumeration(g, degenerate="fast")
    assert r.options["degenerate"] == "fast"
    assert r.complete is False
    assert any("degenerate='fast'" in note for note in r.notes)
    small = support_enumeration(NormalFormGame([A23, B23]), degenerate="fast")
    assert len(r.equilibria) == len(small.equilibria)
    for eq, e0 in zip(r.equilibria, small.equilibria, strict=True):
        for s, s0 in zip(eq.strategies, e0.strategies, strict=True):
            np.testing.assert_allclose(s, s0, atol=1e-12)
        assert regret(A23, B23, *eq.strategies) <= 1e-9


def test_a_dropped_candidate_of_a_degenerate_game_makes_the_result_incomplete(monkeypatch):
    # a degenerate game (continua of equilibria) in which verification drops a candidate:
    # complete must be False, the count unknown, and a note must say so.  The drop is
    # forced (the real continuum step, then one candidate reported as failed): which
    # candidate a tolerance below rounding drops depends on the BLAS's rounding (a game
    # found by a seeded search stopped dropping one with NumPy 2.4.6)
    import bargain.solvers.normal_form.support as support_module

    real = support_module.with_continua

    def dropping(*args, **kwargs):
        equilibria, dropped, complete = real(*args, **kwargs)
        assert complete  # nothing dropped by the real step, so the drop below is ours
        assert not dropped
        assert len(equilibria) >= 2
        return equilibria[:-1], dropped + 1, complete

    monkeypatch.setattr(support_module, "with_continua", dropping)
    A = np.array([[2, 2, 2], [2, 2, 0], [2, 2, 0]]) / 3
    B = np.array([[1, 1, 2], [2, 0, 1], [0, 2, 0]]) / 7
    r = support_enumeration(NormalFormGame([A, B]))
    assert any("continuum" in note for note in r.notes)
    assert any("1 candidate(s) failed verification" in note for note in r.notes)
    assert r.complete is False
    assert r.count is None
    for eq in r.equilibria:
        assert regret(A, B, *eq.strategies) <= 1e-12
