"""Trees with imperfect recall: read, refused where unsound, solved where sound.

Every equilibrium is checked in the test with code of its own: strategic-form equilibria
by the payoff of every pure strategy against the others' mixtures (numpy contraction of
the payoff arrays); agent equilibria by expected payoffs computed by a recursive walk of
the tree, with deviations at one information set (every visit: replace the set's
behavior; one visit: the derivative of the payoff in that set's probabilities, by central
differences of that polynomial).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import bargain as bg
from bargain import Decision, GameTree, Terminal
from bargain.errors import SolverError
from bargain.solvers.trees import behavior as beh

CORPUS = Path(__file__).parent.parent / "data" / "gambit" / "corpus"
IMPERFECT = [p for p in sorted(CORPUS.glob("*.efg")) if not bg.read_game(p).perfect_recall]


def driver():
    """The absent-minded driver of Piccione & Rubinstein (1997, Games Econ. Behav.
    20:3-24): exit at the first exit pays 0, at the second 4, continuing past both 1."""
    second = Decision("D", {"exit": Terminal(4), "go": Terminal(1)}, infoset="h")
    return GameTree(("D",), Decision("D", {"exit": Terminal(0), "go": second}, infoset="h"))


# -- independent checks ----------------------------------------------------------------------


def nf_regret(game, strategies):
    out = []
    for i, a in enumerate(game.payoffs):
        u = np.asarray(a, float)
        for j in reversed(range(game.n_players)):
            if j != i:
                u = np.tensordot(u, strategies[j], axes=([j], [0]))
        out.append(float(u.max() - u @ strategies[i]))
    return max(out)


def walk_payoffs(tree, slots):
    """Expected payoffs, by recursion; `slots[h]` is the behavior at information set h."""

    def value(x):
        node = tree.nodes[x]
        kids = tree.child_ids[x]
        if not kids:
            return np.array([float(v) for v in node.payoffs])
        if tree.node_player[x] >= 0:
            probs = slots[tree.infoset_of(x)]
        else:
            probs = [float(p) for p in node.probabilities]
        return sum(
            (p * value(j) for p, j in zip(probs, kids, strict=True)), np.zeros(tree.n_players)
        )

    return value(0)


def as_slots(tree, behavior):
    slots = {}
    for p in range(tree.n_players):
        own = [s.index for s in tree.infosets if s.player == p]
        for h, b in zip(own, behavior[p], strict=True):
            slots[h] = np.asarray(b, float)
    return slots


def every_visit_regret(tree, behavior):
    slots = as_slots(tree, behavior)
    base = walk_payoffs(tree, slots)
    worst = 0.0
    for s in tree.infosets:
        for a in range(len(s.actions)):
            dev = dict(slots)
            dev[s.index] = np.eye(len(s.actions))[a]
            worst = max(worst, walk_payoffs(tree, dev)[s.player] - base[s.player])
    return worst


def one_visit_regret(tree, behavior, eps=1e-5):
    slots = as_slots(tree, behavior)
    worst = 0.0
    for s in tree.infosets:
        grad = []
        for a in range(len(s.actions)):
            up, down = dict(slots), dict(slots)
            up[s.index] = slots[s.index] + eps * np.eye(len(s.actions))[a]
            down[s.index] = slots[s.index] - eps * np.eye(len(s.actions))[a]
            diff = walk_payoffs(tree, up)[s.player] - walk_payoffs(tree, down)[s.player]
            grad.append(diff / (2 * eps))
        grad = np.array(grad)
        worst = max(worst, float(grad.max() - grad @ slots[s.index]))
    return worst


# -- reading ---------------------------------------------------------------------------------


def test_the_corpus_copies_include_imperfect_recall_and_absent_mindedness():
    trees = [bg.read_game(p) for p in IMPERFECT]
    assert len(trees) >= 8
    assert any(t.absent_minded for t in trees)
    assert any(not t.absent_minded for t in trees)


def test_the_witness_names_the_information_set_and_why():
    t = bg.read_game(CORPUS / "myerson.efg")
    w = t.recall_witness
    assert not t.perfect_recall
    assert not t.absent_minded
    assert w.infoset_name == "(1,2)"
    assert t.players[w.player] == "Player 1"
    assert "forgets" in w.reason
    d = driver()
    assert d.recall_witness.absent_minded
    assert d.recall_witness.nodes == (0, 2)
    assert "absent-mindedness" in d.recall_witness.describe(d)


# -- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["spe", "sequence_form"])
def test_methods_that_need_perfect_recall_refuse_naming_the_set(method):
    t = bg.read_game(CORPUS / "myerson.efg")
    with pytest.raises(SolverError, match=r"needs perfect recall.*information set '\(1,2\)'"):
        bg.solve(t, method=method)


def test_unsound_behavior_conversions_refuse():
    t = bg.read_game(CORPUS / "myerson.efg")
    uniform = [
        [np.full(len(s.actions), 1 / len(s.actions)) for s in t.infosets if s.player == p]
        for p in range(2)
    ]
    with pytest.raises(SolverError, match="imperfect recall"):
        bg.regret(t, uniform)
    with pytest.raises(SolverError, match="Kuhn"):
        beh.mixed_to_behavior(t, 0, np.full(4, 0.25))
    with pytest.raises(SolverError, match="realization plan"):
        beh.realization_plan(t, 0, uniform[0])
    d = driver()
    with pytest.raises(SolverError, match="absent-minded"):
        beh.behavior_to_mixed(d, 0, [[0.5, 0.5]])
    # without absent-mindedness a behavior strategy has a mixed equivalent (Kuhn 1953)
    assert beh.behavior_to_mixed(t, 0, uniform[0]).sum() == pytest.approx(1.0)


# -- solving ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", IMPERFECT, ids=lambda p: p.stem)
def test_auto_solves_each_corpus_file_on_its_strategic_form(path):
    t = bg.read_game(path)
    r = bg.solve(t)
    assert r.equilibria, r.notes
    assert any("Kuhn" in n for n in r.notes)
    nf = t.to_normal_form()
    assert r.game.shape == nf.shape
    scale = max(1.0, max(float(np.ptp(a)) for a in nf.payoffs))
    for eq in r.equilibria:
        assert nf_regret(nf, eq.strategies) <= 1e-8 * scale


@pytest.mark.parametrize("path", IMPERFECT, ids=lambda p: p.stem)
def test_agent_pure_equilibria_have_no_every_visit_deviation(path):
    t = bg.read_game(path)
    r = bg.solve(t, method="agent_pure")
    assert r.equilibria
    assert r.complete
    for eq in r.equilibria[:50]:
        assert eq.is_pure()
        assert every_visit_regret(t, eq.behavior) <= 1e-9


@pytest.mark.parametrize("path", IMPERFECT, ids=lambda p: p.stem)
def test_agent_logit_limit_has_no_one_visit_deviation(path):
    t = bg.read_game(path)
    r = bg.solve(t, method="agent_logit")
    (eq,) = r.equilibria
    scale = float(np.ptp(t.flatten().payoffs))
    assert eq.max_regret <= 1e-8 * scale
    assert one_visit_regret(t, eq.behavior) <= 1e-6 * scale


@pytest.mark.parametrize(
    "method", ["vertex", "support", "lemke_howson", "logit", "pure", "agent_pure"]
)
def test_two_player_methods_on_myerson(method):
    t = bg.read_game(CORPUS / "myerson.efg")
    r = bg.solve(t, method=method)
    if method == "pure":  # no pure equilibrium of the strategic form: check every profile
        nf = r.game
        eye = [np.eye(k) for k in nf.shape]
        pure = [
            (i, j) for i in range(4) for j in range(2) if nf_regret(nf, [eye[0][i], eye[1][j]]) == 0
        ]
        assert len(r.equilibria) == len(pure) == 0
    else:
        assert r.equilibria
    for eq in r.equilibria:
        if eq.strategies is not None:
            assert nf_regret(r.game, eq.strategies) <= 1e-7
        else:
            assert every_visit_regret(t, eq.behavior) <= 1e-9


def test_absent_minded_driver_planning_optimum_and_the_strategic_form():
    # Piccione & Rubinstein (1997): the optimal plan continues with probability 2/3 and
    # earns 4/3; it is also the unique "modified multiselves" (one-visit) agent
    # equilibrium.  No lottery over the pure plans (exit: 0, go: 1) earns more than 1.
    d = driver()
    (eq,) = bg.solve(d, method="agent_logit").equilibria
    assert eq.behavior[0][0][1] == pytest.approx(2 / 3, abs=1e-6)
    assert eq.payoffs[0] == pytest.approx(4 / 3, abs=1e-9)
    assert one_visit_regret(d, eq.behavior) <= 1e-6
    r = bg.solve(d)
    assert r.game.strategies == (("exit", "go"),)
    assert [e.payoffs.tolist() for e in r.equilibria] == [[1.0]]
    # every-visit agent form: "go" at every visit (1) beats "exit" at every visit (0)
    (p,) = bg.solve(d, method="agent_pure").equilibria
    assert p.path == ("go", "go")
    assert every_visit_regret(d, p.behavior) == 0.0


def test_gilboa_file_is_the_driver():
    # catalog/journals/geb/gilboa1997/fig1.efg: the driver with the same payoffs
    t = bg.read_game(CORPUS / "gilboa1997_fig1.efg")
    (eq,) = bg.solve(t, method="agent_logit").equilibria
    assert eq.behavior[0][0][0] == pytest.approx(2 / 3, abs=1e-6)  # "B" = continue
    assert eq.payoffs[0] == pytest.approx(4 / 3, abs=1e-9)


@pytest.mark.parametrize(
    "name",
    ["myerson.efg", "gilboa1997_fig1.efg", "AM-subgames.efg", "noPR-AM-driver-two-players.efg"],
)
def test_agent_pure_lists_exactly_the_pure_profiles_without_every_visit_gain(name):
    import itertools

    t = bg.read_game(CORPUS / name)
    found = {
        tuple(int(np.argmax(b)) for player in eq.behavior for b in player)
        for eq in bg.solve(t, method="agent_pure").equilibria
    }
    sizes = [[len(s.actions) for s in t.infosets if s.player == p] for p in range(t.n_players)]
    expected = set()
    for choice in itertools.product(*(range(k) for ks in sizes for k in ks)):
        it = iter(choice)
        prof = [[np.eye(k)[next(it)] for k in ks] for ks in sizes]
        if every_visit_regret(t, prof) <= 1e-9:
            expected.add(choice)
    assert found == expected


def test_agent_methods_refuse_a_normal_form_and_too_many_profiles():
    g = bg.NormalFormGame([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    for method in ("agent_pure", "agent_logit"):
        with pytest.raises(SolverError, match="needs a GameTree"):
            bg.solve(g, method=method)
    t = bg.read_game(CORPUS / "holdout.efg")
    with pytest.raises(SolverError, match="more than max_profiles=100"):
        bg.solve(t, method="agent_pure", max_profiles=100)
