"""A signalling game with a separating and a pooling perfect Bayesian equilibrium.

The game is the two-type, two-message, two-action example of Gibbons (1992), *Game Theory
for Applied Economists* (UK title *A Primer in Game Theory*), §4.2.A "Perfect Bayesian
equilibrium in signaling games".  Nature draws the Sender's type t1 or t2 with probability
1/2 each; the Sender sends L or R; the Receiver sees the message, not the type, and plays u
or d.  Payoffs (Sender, Receiver):

    t1, L: u (1, 3)  d (4, 0)        t1, R: u (2, 1)  d (0, 0)
    t2, L: u (2, 4)  d (0, 1)        t2, R: u (1, 0)  d (1, 2)

Source check: the payoffs, the prior and the pooling-on-L equilibrium
[(L, L), (u, d), p = 1/2, q <= 2/3] were checked against a lecture-slide reproduction of
Gibbons' example (the book's page itself was not at hand, hence no figure number).  The
other three cases below are derived by hand here; they match the book's conclusions as
remembered (separating (R, L) is a PBE; pooling on R and separating (L, R) are not), but
that part was not checked against the page.

Derivation (p = μ(t1 | L), q = μ(t1 | R), Gibbons' notation):

* After L the Receiver's u pays 3p + 4(1 - p) > 1 - p for d, whatever p: a(L) = u.
  After R, u pays q and d pays 2(1 - q): d is optimal iff q <= 2/3.
* Pooling on L: p = 1/2 (the prior), a(L) = u.  t1 gets 1 and would get 2 from R if the
  Receiver answered u there, so P(u | R) <= 1/2, which beliefs q <= 2/3 support (q = 2/3
  for the mix); t2 gets 2 > 1.  A PBE, with R off the path.
* Pooling on R: q = 1/2, so a(R) = d and t1 gets 0 < 1 <= anything L gives.  Not a PBE.
* Separating (t1 L, t2 R): p = 1, q = 0, so (u, d); t2 gets 1 but 2 from L.  Not a PBE.
* Separating (t1 R, t2 L): p = 0, q = 1, so (u, u); t1 gets 2 > 1, t2 gets 2 > 1.  A PBE.
* No Nash equilibrium mixes the Sender: if L is sent a(L) = u and t2 strictly prefers L
  (2 > 1); so t2 sends L (else both send R, ruled out above).  t1 mixing would need
  P(u | R) = 1/2 while only t1 sends R (q = 1, so the Receiver plays u).  Hence the Nash
  equilibria are pooling on L with P(u | R) in [0, 1/2], and the separating (R, L) one: three
  extreme points, every one a PBE with the beliefs above.

The tree has no proper subgame (the Receiver's sets join both types), so the
subgame-perfect equilibria are the Nash equilibria, and ``spe`` lists all three extreme ones.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import bargain as bg
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal
from bargain.solvers.normal_form.vertex import vertex_enumeration
from bargain.solvers.trees.behavior import beliefs, expected_payoffs, mixed_to_behavior, tree_regret

REGRET = 1e-9

PAYOFFS = {
    ("t1", "L", "u"): (1, 3),
    ("t1", "L", "d"): (4, 0),
    ("t2", "L", "u"): (2, 4),
    ("t2", "L", "d"): (0, 1),
    ("t1", "R", "u"): (2, 1),
    ("t1", "R", "d"): (0, 0),
    ("t2", "R", "u"): (1, 0),
    ("t2", "R", "d"): (1, 2),
}

# The extreme Nash equilibria, by information set: Sender at "t1"/"t2" over (L, R);
# Receiver at "after L"/"after R" over (u, d).  With the expected payoffs (Sender, Receiver).
EXPECTED = {
    # Gibbons' pooling PBE [(L, L), (u, d), p = 1/2, q <= 2/3]
    "pooling_on_L": (
        {"t1": [1, 0], "t2": [1, 0], "after L": [1, 0], "after R": [0, 1]},
        (1.5, 3.5),
    ),
    # the same pooling outcome with the Receiver mixing off the path (q = 2/3)
    "pooling_on_L_mixed_threat": (
        {"t1": [1, 0], "t2": [1, 0], "after L": [1, 0], "after R": [0.5, 0.5]},
        (1.5, 3.5),
    ),
    # Gibbons' separating PBE [(R, L), (u, u), p = 0, q = 1]
    "separating_R_L": (
        {"t1": [0, 1], "t2": [1, 0], "after L": [1, 0], "after R": [1, 0]},
        (2.0, 2.5),
    ),
}


def signalling_game() -> GameTree:
    """Gibbons (1992), §4.2.A: the two-type signalling example (payoffs above)."""

    def receiver(kind: str, message: str) -> Decision:
        acts = {a: Terminal(*PAYOFFS[kind, message, a]) for a in ("u", "d")}
        return Decision("Receiver", acts, infoset=f"after {message}")

    def sender(kind: str) -> Decision:
        return Decision("Sender", {m: receiver(kind, m) for m in ("L", "R")}, infoset=kind)

    half = Fraction(1, 2)
    return GameTree(
        ("Sender", "Receiver"),
        Chance({"t1": (half, sender("t1")), "t2": (half, sender("t2"))}),
        title="Gibbons 4.2.A signalling example",
    )


TREE = signalling_game()


def named(tree: GameTree, behavior) -> dict[str, np.ndarray]:
    """Behavior profile keyed by information-set name."""
    out = {}
    for p in range(tree.n_players):
        own = [s for s in tree.infosets if s.player == p]
        for s, probs in zip(own, behavior[p], strict=True):
            out[s.name] = np.asarray(probs, float)
    return out


def to_behavior(tree: GameTree, by_name: dict[str, list[float]]):
    return tuple(
        tuple(np.asarray(by_name[s.name], float) for s in tree.infosets if s.player == p)
        for p in range(tree.n_players)
    )


def type_beliefs(tree: GameTree, behavior) -> dict[str, dict[str, float] | None]:
    """Receiver's belief over the Sender's type at each message (None off the path)."""
    out = {}
    for s, b in zip(tree.infosets, beliefs(tree, behavior), strict=True):
        if s.player != 1:
            continue
        out[s.name] = (
            None
            if b is None
            else {tree.path(n)[0]: float(x) for n, x in zip(s.nodes, b, strict=True)}
        )
    return out


def which(tree: GameTree, behavior) -> str | None:
    """Name of the expected equilibrium `behavior` is, or None."""
    got = named(tree, behavior)
    for name, (want, _) in EXPECTED.items():
        if all(np.allclose(got[k], v, atol=1e-9) for k, v in want.items()):
            return name
    return None


def sender_messages(tree: GameTree, behavior) -> tuple[str, str] | None:
    """(message of t1, message of t2) when both are pure, else None."""
    got = named(tree, behavior)
    out = []
    for kind in ("t1", "t2"):
        probs = got[kind]
        k = int(np.argmax(probs))
        if probs[k] < 1 - 1e-9:
            return None
        out.append("LR"[k])
    return tuple(out)


def vertex_profiles(tree: GameTree):
    """Every extreme Nash equilibrium: vertex enumeration of the reduced strategic form,
    turned into behavior strategies (Kuhn 1953)."""
    result = vertex_enumeration(tree.to_normal_form())
    assert result.complete
    return [
        tuple(mixed_to_behavior(tree, p, s) for p, s in enumerate(eq.strategies))
        for eq in result.equilibria
    ]


def spe_profiles(tree: GameTree):
    result = bg.solve(tree, method="spe")
    assert result.method == "spe"
    assert result.complete
    return [eq.behavior for eq in result.equilibria]


def auto_profiles(tree: GameTree):
    result = bg.solve(tree)
    assert result.method == "spe"
    return [eq.behavior for eq in result.equilibria]


FINDERS = {"vertex": vertex_profiles, "spe": spe_profiles, "auto": auto_profiles}


@pytest.mark.parametrize("finder", FINDERS.values(), ids=FINDERS.keys())
def test_extreme_equilibria_are_the_published_ones(finder):
    found = finder(TREE)
    assert sorted(which(TREE, b) or "?" for b in found) == sorted(EXPECTED)
    kinds = {sender_messages(TREE, b) for b in found}
    assert ("R", "L") in kinds  # separating: the two types send different messages
    assert ("L", "L") in kinds  # pooling: the same message
    for b in found:
        assert tree_regret(TREE, b).max() <= REGRET
        _, payoffs = EXPECTED[which(TREE, b)]
        np.testing.assert_allclose(expected_payoffs(TREE, b), payoffs)


@pytest.mark.parametrize("name", EXPECTED)
def test_published_profiles_are_equilibria_on_the_tree(name):
    want, payoffs = EXPECTED[name]
    behavior = to_behavior(TREE, want)
    assert tree_regret(TREE, behavior).max() <= REGRET
    np.testing.assert_allclose(expected_payoffs(TREE, behavior), payoffs)


def test_beliefs_follow_bayes_rule_on_the_path():
    # separating (R, L): each message reveals the type (p = 0, q = 1)
    sep = type_beliefs(TREE, to_behavior(TREE, EXPECTED["separating_R_L"][0]))
    assert sep == {"after L": {"t1": 0.0, "t2": 1.0}, "after R": {"t1": 1.0, "t2": 0.0}}
    # pooling on L: L carries no information (p = the prior 1/2); R is off the path
    for name in ("pooling_on_L", "pooling_on_L_mixed_threat"):
        pool = type_beliefs(TREE, to_behavior(TREE, EXPECTED[name][0]))
        assert pool == {"after L": {"t1": 0.5, "t2": 0.5}, "after R": None}
    # the same on what the solver returns
    for b in spe_profiles(TREE):
        got = type_beliefs(TREE, b)
        if sender_messages(TREE, b) == ("R", "L"):
            assert got == sep
        else:
            assert got["after L"] == pytest.approx({"t1": 0.5, "t2": 0.5})
            assert got["after R"] is None


@pytest.mark.parametrize("after_l", ["u", "d"])
def test_profiles_the_text_rules_out_fail(after_l):
    # Pooling on R: q = 1/2, so the Receiver answers d; t1 gets 0 and gains by sending L
    # (1 or 4, whatever the Receiver does after L): regret 1/2 * (gain >= 1).
    pool_r = {"t1": [0, 1], "t2": [0, 1], "after L": [1, 0] if after_l == "u" else [0, 1]}
    pool_r["after R"] = [0, 1]
    assert tree_regret(TREE, to_behavior(TREE, pool_r))[0] >= 0.5 - 1e-12
    # Separating (L, R): p = 1, q = 0, so (u, d); t2 gets 1 and 2 by sending L instead.
    sep_lr = {"t1": [1, 0], "t2": [0, 1], "after L": [1, 0], "after R": [0, 1]}
    assert tree_regret(TREE, to_behavior(TREE, sep_lr))[0] == pytest.approx(0.5)
    # and no solver returns either
    found = vertex_profiles(TREE) + spe_profiles(TREE)
    found += [eq.behavior for eq in bg.solve(TREE, method="sequence_form", starts=6)]
    assert all(sender_messages(TREE, b) not in {("R", "R"), ("L", "R")} for b in found)


def test_sequence_form_finds_one_of_them():
    result = bg.solve(TREE, method="sequence_form")
    assert result.method == "sequence_form"
    assert len(result.equilibria) >= 1
    for eq in result.equilibria:
        assert eq.max_regret <= REGRET
        assert tree_regret(TREE, eq.behavior).max() <= REGRET
        assert which(TREE, eq.behavior) in EXPECTED


def test_spe_results_are_verified():
    result = bg.solve(TREE, method="spe")
    assert len(result.equilibria) == len(EXPECTED)
    for eq in result.equilibria:
        assert eq.max_regret <= REGRET
        assert eq.info["subgame_perfect"] is True
        assert max(eq.info["subgame_regrets"].values()) <= REGRET
    # the pure ones report their path (chance outcomes are not decisions: t1's then t2's)
    paths = {which(TREE, eq.behavior): eq.path for eq in result.equilibria}
    assert paths["separating_R_L"] == ("R", "u", "L", "u")
    assert paths["pooling_on_L"] == ("L", "u", "L", "u")
