"""Vertex enumeration of a small game by the interpreted twins of its kernels (issue 14).

A game with at most ``INTERPRETED_MAX_STRATEGIES`` strategies in all is enumerated by the
kernels' Python functions (:func:`bargain.solvers._interpreted.interpreted`), so a cold
report compiles nothing.  The twins must give exactly the compiled kernels' answers: the
same extreme equilibria (bit for bit), components, cliques, exact certificates, notes and
options, on random games and on degenerate ones (ties, duplicated rows and columns, zero
games, float payoffs that force the exact redo).
"""

import numpy as np
import pytest
from numba.core import event

from bargain.games.normal_form import NormalFormGame
from bargain.solvers._interpreted import INTERPRETED_MAX_STRATEGIES
from bargain.solvers.normal_form import vertex
from bargain.solvers.normal_form.vertex import vertex_enumeration
from bargain.solvers.verify import max_regret


def _games(seed=14, count=240):
    """Random small bimatrix games, a third of them degenerate by construction."""
    rng = np.random.default_rng(seed)
    out = []
    for t in range(count):
        m = int(rng.integers(1, 6))
        n = int(rng.integers(1, INTERPRETED_MAX_STRATEGIES - m + 1))
        kind = t % 8
        if kind == 0:  # small integers: many ties
            A, B = rng.integers(0, 3, (2, m, n)).astype(float)
        elif kind == 1:  # integers in a wider range
            A, B = rng.integers(-50, 50, (2, m, n)).astype(float)
        elif kind == 2:  # generic floats: the float path
            A, B = rng.standard_normal((2, m, n))
        elif kind == 3:  # duplicated rows and columns
            A, B = rng.integers(0, 5, (2, m, n)).astype(float)
            A[-1], B[-1] = A[0], B[0]
            A[:, -1], B[:, -1] = A[:, 0], B[:, 0]
        elif kind == 4:  # a zero game, or one player indifferent everywhere
            A = np.zeros((m, n))
            B = np.zeros((m, n)) if t % 16 == 4 else rng.integers(0, 4, (m, n)).astype(float)
        elif kind == 5:  # simple fractions (halves, thirds)
            A, B = rng.integers(0, 7, (2, m, n)) / rng.choice([2.0, 3.0])
        elif kind == 6:  # floats with exact ties: the float path meets degeneracy
            A, B = np.round(rng.standard_normal((2, m, n)), 1) + 0.1 / 3
        else:  # floats sharing values (duplicated entries), read at their binary values
            vals = rng.standard_normal(3)
            A, B = vals[rng.integers(0, 3, (2, m, n))]
        out.append((A, B))
    return out


def _same(r, s):
    assert len(r.equilibria) == len(s.equilibria)
    for e, f in zip(r.equilibria, s.equilibria, strict=True):
        for x, y in zip(e.strategies, f.strategies, strict=True):
            assert np.array_equal(x, y)
        assert np.array_equal(e.payoffs, f.payoffs)
        assert e.max_regret == f.max_regret
        assert e.exact == f.exact
        assert e.component == f.component
        assert e.info == f.info
    assert r.components == s.components
    assert r.notes == s.notes
    assert r.options == s.options
    assert (r.complete, r.count) == (s.complete, s.count)


class _Compiles(event.Listener):
    def __init__(self):
        self.names = []

    def on_start(self, ev):
        self.names.append(getattr(ev.data.get("dispatcher"), "py_func", None))

    def on_end(self, ev):
        pass


@pytest.mark.parametrize("exact", [False, True])
def test_interpreted_twins_match_compiled_kernels(exact, monkeypatch):
    games = _games()
    listener = _Compiles()
    with event.install_listener("numba:compile", listener):
        small = [vertex_enumeration(NormalFormGame([A, B]), exact=exact) for A, B in games]
    assert listener.names == []  # the interpreted path compiles nothing
    monkeypatch.setattr(vertex, "INTERPRETED_MAX_STRATEGIES", 0)  # every game compiled
    arithmetic = set()
    for (A, B), r in zip(games, small, strict=True):
        s = vertex_enumeration(NormalFormGame([A, B]), exact=exact)
        _same(r, s)
        arithmetic.add(r.options["arithmetic"])
        assert r.equilibria  # every finite game has an equilibrium (Nash 1951)
        for e in r.equilibria:  # each one is an equilibrium, checked independently
            assert max_regret([A, B], e.strategies) <= 1e-9
    assert arithmetic == ({"exact"} if exact else {"exact", "float"})
    notes = {note for r in small for note in r.notes}
    if not exact:  # the float path met (near-)degeneracy and fell back to exact arithmetic
        assert any("redone in exact" in note for note in notes)
    assert any("continuum" in note for note in notes)  # degenerate games were met


def test_small_games_take_the_interpreted_path(monkeypatch):
    # a cold process (no kernel compiled or cached): small games run the twins, larger
    # ones the kernels; once the kernel is at hand, small games use it too
    from bargain.solvers import _interpreted as tw

    calls = []
    real = tw.interpreted
    monkeypatch.setattr(tw, "interpreted", lambda k: calls.append(k) or real(k))
    monkeypatch.setattr(tw, "_ready", lambda k: False)
    monkeypatch.setattr(tw, "_CALLS", {})
    m = INTERPRETED_MAX_STRATEGIES // 2
    small = NormalFormGame([np.eye(m), np.eye(m)])
    first = vertex_enumeration(small)
    assert calls  # at the bound: interpreted
    calls.clear()
    k = INTERPRETED_MAX_STRATEGIES // 2 + 1
    vertex_enumeration(NormalFormGame([np.eye(k), np.eye(k)]))
    assert calls == []  # above it: compiled
    monkeypatch.setattr(tw, "_ready", lambda k: True)
    again = vertex_enumeration(small)
    assert calls == []  # compiled or cached: the kernel, and the same equilibria
    assert [e.exact for e in again] == [e.exact for e in first]


def test_a_hot_kernel_is_compiled(monkeypatch):
    from bargain.solvers import _interpreted as tw

    monkeypatch.setattr(tw, "_ready", lambda k: False)
    monkeypatch.setattr(tw, "_CALLS", {})
    kernel = vertex.poly.search_float
    picks = [tw.tiered(kernel, True) for _ in range(tw.HOT_CALLS + 2)]
    assert all(p is not kernel for p in picks[: tw.HOT_CALLS])
    assert all(p is kernel for p in picks[tw.HOT_CALLS :])
