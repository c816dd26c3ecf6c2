"""`max_equilibria`: one cap, one default, on every enumerating method (issue 20)."""

from __future__ import annotations

import numpy as np
import pytest

import bargain as bg
from bargain.solvers.result import MAX_EQUILIBRIA
from bargain.solvers.tolerance import OptionError
from bargain.solvers.verify import max_regret


def all_ties(m: int, n: int) -> bg.NormalFormGame:
    """Every profile is an equilibrium (all payoffs 0): m*n pure ones, and the vertices
    of both simplices pair up into m*n extreme equilibria."""
    return bg.NormalFormGame([np.zeros((m, n)), np.zeros((m, n))])


def coordination(k: int) -> bg.NormalFormGame:
    """k x k identity coordination game: 2**k - 1 equilibria, one per nonempty support
    (uniform on it), all isolated."""
    eye = np.eye(k)
    return bg.NormalFormGame([eye, eye])


@pytest.mark.parametrize("method", ["pure", "vertex", "support", "spe"])
def test_one_default(method: str) -> None:
    import inspect

    from bargain.solvers.api import _resolve

    sig = inspect.signature(_resolve(method))
    assert sig.parameters["max_equilibria"].default == MAX_EQUILIBRIA


@pytest.mark.parametrize("method", ["pure", "vertex"])
def test_cap_on_ties(method: str) -> None:
    g = all_ties(6, 7)
    full = bg.solve(g, method=method)
    assert full.complete
    assert len(full) == full.count == 42
    r = bg.solve(g, method=method, max_equilibria=5)
    assert len(r) == 5
    assert not r.complete
    assert r.count == 42
    assert "max_equilibria=5" in " ".join(r.notes)
    # the listed ones are the first of the full list, and equilibria
    for a, b in zip(r, full, strict=False):
        assert all(np.array_equal(x, y) for x, y in zip(a.strategies, b.strategies, strict=True))
        assert max_regret(g.payoffs, a.strategies) <= 1e-12


@pytest.mark.parametrize("method", ["vertex", "support"])
def test_cap_on_isolated_equilibria(method: str) -> None:
    g = coordination(5)
    full = bg.solve(g, method=method)
    assert len(full) == 31  # 2**5 - 1
    assert full.complete
    r = bg.solve(g, method=method, max_equilibria=7)
    assert len(r) == 7
    assert not r.complete
    assert r.count == 31


@pytest.mark.parametrize("method", ["pure", "vertex", "support", "spe"])
@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "10"])
def test_bad_cap_is_refused(method: str, bad: object) -> None:
    g = coordination(2)
    if method == "spe":
        g = bg.GameTree(("A",), bg.Decision("A", {"x": bg.Terminal(1), "y": bg.Terminal(1)}))
    with pytest.raises(OptionError, match="max_equilibria"):
        bg.solve(g, method=method, max_equilibria=bad)


def test_sequence_form_starts_are_bounded() -> None:
    from bargain.errors import ParameterError
    from bargain.solvers.trees.sequence_form import MAX_STARTS

    tree = bg.GameTree(
        ("A", "B"),
        bg.Decision("A", {"x": bg.Terminal(1, 0), "y": bg.Terminal(0, 1)}),
    )
    with pytest.raises(ParameterError, match="starts"):
        bg.solve(tree, method="sequence_form", starts=MAX_STARTS + 1)
