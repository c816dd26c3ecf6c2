"""Tests of bargain.solvers.normal_form.dominance: iterated elimination of dominated strategies."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargain.errors import ParameterError, SolverError
from bargain.games.normal_form import NormalFormGame
from bargain.games.parameters import Parameter, ParameterSet
from bargain.solvers.normal_form.dominance import eliminate_dominated, iesds
from bargain.solvers.verify import max_regret


def bimatrix(cells, strategies):
    """Game from a table of (row payoff, column payoff) cells."""
    a = np.array(cells, dtype=float)
    return NormalFormGame([a[..., 0], a[..., 1]], strategies=strategies)


def prisoners_dilemma():
    # Gibbons (1992), Figure 1.1.1: Mum/Fink, payoffs as years in jail (negative).
    return bimatrix([[(-1, -1), (-9, 0)], [(0, -9), (-6, -6)]], [["Mum", "Fink"], ["Mum", "Fink"]])


def gibbons_iesds():
    # Gibbons (1992), Figure 1.1.2–1.1.4: Right is dominated by Middle; then Down by Up;
    # then Left by Middle: (Up, Middle) survives.
    return bimatrix(
        [[(1, 0), (1, 2), (0, 1)], [(0, 3), (0, 1), (2, 0)]],
        [["Up", "Down"], ["Left", "Middle", "Right"]],
    )


def fudenberg_tirole_mixed():
    # Fudenberg & Tirole (1991), §2.1.1, Figure 2.1: M is strictly dominated by the mixture
    # ½U + ½D (payoff ½ against both columns) but by neither U nor D alone.
    return bimatrix(
        [[(2, 0), (-1, 0)], [(0, 0), (0, 0)], [(-1, 0), (2, 0)]],
        [["U", "M", "D"], ["L", "R"]],
    )


def mixed_3x3():
    # A 3×3 built on the Fudenberg–Tirole pattern: B (1, 1, 0) is dominated by ½T + ½M
    # (1.5, 1.5, 1.5) and by no pure strategy; once B is gone R dominates L and C for
    # player 2, and then M (2 against R) dominates T (1): (M, R) is the unique equilibrium.
    return bimatrix(
        [[(3, 1), (0, 0), (1, 2)], [(0, 0), (3, 1), (2, 2)], [(1, 4), (1, 4), (0, 0)]],
        [["T", "M", "B"], ["L", "C", "R"]],
    )


def public_goods_3():
    # Three-player voluntary contribution game (n-player prisoner's dilemma, e.g. Ledyard
    # 1995): contributing costs 1 and adds 2/3 to everyone's payoff, so "keep" strictly
    # dominates "give" for every player.
    shape = (2, 2, 2)
    pays = [np.zeros(shape) for _ in range(3)]
    for s in itertools.product(range(2), repeat=3):
        gives = sum(1 for k in s if k == 0)
        for i in range(3):
            pays[i][s] = 2.0 * gives / 3.0 - (1.0 if s[i] == 0 else 0.0)
    return NormalFormGame(pays, strategies=[["give", "keep"]] * 3)


def three_player_mixed():
    # The Fudenberg–Tirole pattern for the third of three players: C pays 1 whatever the
    # others do, A pays 3 if player 1 plays "a" (else 0), B the reverse; C is dominated by
    # ½A + ½B (1.5 > 1) but by neither A nor B.  Players 1 and 2 are indifferent.
    shape = (2, 2, 3)
    u3 = np.zeros(shape)
    u3[0, :, 0] = 3.0
    u3[1, :, 1] = 3.0
    u3[:, :, 2] = 1.0
    return NormalFormGame(
        [np.zeros(shape), np.zeros(shape), u3],
        strategies=[["a", "b"], ["c", "d"], ["A", "B", "C"]],
    )


@dataclass(frozen=True)
class Case:
    game: object
    mixed: bool
    order: list  # (player, strategy, dominated_by label or None for mixed, round)
    surviving: tuple


CASES = {
    "gibbons_prisoners_dilemma": Case(
        prisoners_dilemma, True, [("1", "Mum", "Fink", 1), ("2", "Mum", "Fink", 1)], ((1,), (1,))
    ),
    "gibbons_fig_1_1_2": Case(
        gibbons_iesds,
        True,
        [("2", "Right", "Middle", 1), ("1", "Down", "Up", 2), ("2", "Left", "Middle", 3)],
        ((0,), (1,)),
    ),
    "fudenberg_tirole_fig_2_1-mixed": Case(
        fudenberg_tirole_mixed, True, [("1", "M", None, 1)], ((0, 2), (0, 1))
    ),
    "fudenberg_tirole_fig_2_1-pure_only": Case(
        fudenberg_tirole_mixed, False, [], ((0, 1, 2), (0, 1))
    ),
    "mixed_3x3": Case(
        mixed_3x3,
        True,
        [("1", "B", None, 1), ("2", "L", "R", 2), ("2", "C", "R", 2), ("1", "T", "M", 3)],
        ((1,), (2,)),
    ),
    "mixed_3x3-pure_only": Case(mixed_3x3, False, [], ((0, 1, 2), (0, 1, 2))),
    "public_goods_3_players": Case(
        public_goods_3,
        True,
        [("1", "give", "keep", 1), ("2", "give", "keep", 1), ("3", "give", "keep", 1)],
        ((1,), (1,), (1,)),
    ),
    "three_players_mixed": Case(
        three_player_mixed, True, [("3", "C", None, 1)], ((0, 1), (0, 1), (0, 1))
    ),
    "three_players_mixed-pure_only": Case(
        three_player_mixed, False, [], ((0, 1), (0, 1), (0, 1, 2))
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_elimination_order(case):
    g = case.game()
    e = eliminate_dominated(g, mixed=case.mixed)
    assert e.surviving == case.surviving
    got = [
        (s.player, s.strategy, s.dominated_by if isinstance(s.dominated_by, str) else None, s.round)
        for s in e.order
    ]
    assert got == case.order
    assert e.game.shape == tuple(len(s) for s in case.surviving)
    assert e.game.strategies == tuple(
        tuple(g.strategies[i][k] for k in s) for i, s in enumerate(case.surviving)
    )
    for step in e.order:
        assert step.margin > 0


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_iesds_result(case):
    g = case.game()
    r = iesds(g, mixed=case.mixed)
    assert r.method == "iesds"
    assert r.options["elimination"].surviving == case.surviving
    if all(len(s) == 1 for s in case.surviving):
        assert r.complete
        assert len(r) == 1
        eq = r[0]
        assert eq.support == case.surviving
        # a profile surviving strict IESDS is the unique Nash equilibrium
        assert max_regret(g.payoffs, eq.strategies) == 0.0
    else:
        assert not r.complete
        assert len(r) == 0
        assert any("game is left" in n for n in r.notes)


def test_mixed_dominator_weights():
    e = eliminate_dominated(fudenberg_tirole_mixed())
    (step,) = e.order
    w = step.dominated_by
    assert isinstance(w, np.ndarray)
    assert w[1] == 0.0
    assert w.sum() == pytest.approx(1.0)
    # the recorded mixture really dominates M: payoff against L and R exceeds 0
    A = fudenberg_tirole_mixed().payoffs[0]
    assert np.all(w @ A > 0.0)
    assert step.margin == pytest.approx(float(np.min(w @ A)))


def test_weak_dominance_is_sequential():
    # B is weakly dominated by T for player 1 and L by R for player 2.  Removing B first
    # (our order: player 1 before player 2) leaves T against L, R with a tie; removing L
    # first would leave T, B against R with a tie: the two reductions differ, the usual
    # illustration that iterated weak dominance depends on the order (Fudenberg & Tirole
    # 1991, §2.1; Osborne 2004, ch. 4).
    g = bimatrix([[(1, 1), (1, 1)], [(0, 0), (1, 1)]], [["T", "B"], ["L", "R"]])
    strict = eliminate_dominated(g)
    assert strict.order == ()
    weak = eliminate_dominated(g, weak=True)
    assert [(s.player, s.strategy, s.dominated_by, s.round) for s in weak.order] == [
        ("1", "B", "T", 1)
    ]
    assert weak.surviving == ((0,), (0, 1))
    r = iesds(g, weak=True)
    assert not r.complete


def test_weak_dominance_solves_with_note():
    # After weakly removing B (1: T), player 2's L is strictly worse against T: solved.
    g = bimatrix([[(1, 0), (1, 1)], [(0, 2), (1, 1)]], [["T", "B"], ["L", "R"]])
    r = iesds(g, weak=True)
    assert r.complete
    assert r[0].support == ((0,), (1,))
    assert max_regret(g.payoffs, r[0].strategies) == 0.0
    assert any("order dependent" in n for n in r.notes)


def test_symbolic_refused():
    ps = ParameterSet([Parameter("a", 1.0, (0, 2))])
    (a,) = ps.symbols()
    g = NormalFormGame([[[a, 0], [0, 1]], [[1, 0], [0, a]]], parameters=ps)
    with pytest.raises(SolverError, match=r"method 'iesds' needs numeric payoffs"):
        iesds(g)


def test_not_a_game_refused():
    with pytest.raises(SolverError, match="needs a NormalFormGame, got dict"):
        eliminate_dominated({})


@pytest.mark.parametrize("tol", [-1e-3, float("nan"), "0", True])
def test_bad_tol(tol):
    with pytest.raises(
        ParameterError, match="option 'tol' of method 'iesds': must be a real number in"
    ):
        iesds(prisoners_dilemma(), tol=tol)


def pure_equilibria(payoffs):
    shape = payoffs[0].shape
    out = []
    for s in itertools.product(*(range(k) for k in shape)):
        ok = True
        for i, u in enumerate(payoffs):
            idx = list(s)
            idx[i] = slice(None)
            if u[tuple(idx)].max() > u[s] + 1e-12:
                ok = False
                break
        if ok:
            out.append(s)
    return out


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    shape=st.sampled_from([(2, 2), (3, 3), (4, 3), (2, 2, 2), (3, 2, 2)]),
    mixed=st.booleans(),
)
def test_strict_elimination_keeps_every_equilibrium(seed, shape, mixed):
    """Strictly dominated strategies are never played in equilibrium, so every pure
    equilibrium of the game survives; each recorded dominator really dominates."""
    rng = np.random.default_rng(seed)
    payoffs = [rng.integers(0, 5, size=shape).astype(float) for _ in shape]
    g = NormalFormGame(payoffs)
    e = eliminate_dominated(g, mixed=mixed)
    for s in pure_equilibria(payoffs):
        assert all(s[i] in e.surviving[i] for i in range(len(shape)))
    # replay the eliminations and check each witness in the game of its round
    alive = [list(range(k)) for k in shape]
    for rnd in sorted({st_.round for st_ in e.order}):
        steps = [st_ for st_ in e.order if st_.round == rnd]
        for st_ in steps:
            i = int(st_.player) - 1
            k = g.strategies[i].index(st_.strategy)
            U = np.moveaxis(payoffs[i][np.ix_(*alive)], i, 0)
            rows = {lab: r for r, lab in enumerate(alive[i])}
            if isinstance(st_.dominated_by, str):
                dom = U[rows[g.strategies[i].index(st_.dominated_by)]]
            else:
                w = st_.dominated_by[alive[i]]
                dom = np.tensordot(w, U, axes=(0, 0))
            assert np.all(dom - U[rows[k]] > 0)
        for st_ in steps:
            i = int(st_.player) - 1
            alive[i].remove(g.strategies[i].index(st_.strategy))
    assert tuple(tuple(a) for a in alive) == e.surviving
    r = iesds(g, mixed=mixed)
    if r.complete:
        assert max_regret(payoffs, r[0].strategies) == 0.0
