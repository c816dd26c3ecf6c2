"""Live cross-check with pygambit: the stored answers are what pygambit says today.

The rest of the suite compares the package with Gambit through the answers stored in
``tests/data/gambit/`` by ``regenerate.py``, so that a newcomer's ``pip install -e
".[test]"`` need not compile pygambit. This module, and only this one, needs pygambit (the
``crosscheck`` extra) and is skipped without it. It checks that

* live pygambit gives the stored answers (same games, same calls as ``regenerate.py``), so
  stale data or a changed Gambit shows up here;
* pygambit reads the Gambit files we write to the trees it read from the originals;
* pygambit measures our sequence-form equilibria as equilibria (its own ``max_regret``).
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

gbt = pytest.importorskip("pygambit")  # the one permitted skip: the optional extra

from bargain.games.gambit_io import game_to_text, read_game, write_game  # noqa: E402
from bargain.solvers.trees.sequence_form import sequence_form  # noqa: E402

TESTS = Path(__file__).parents[1]


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


regenerate = _load(TESTS / "data" / "gambit" / "regenerate.py", "gambit_regenerate")


def assert_same(live, stored, where="") -> None:
    """Equal structure; strings (exact rationals, labels) equal; floats within 1e-9."""
    if isinstance(stored, dict):
        assert sorted(live) == sorted(stored), where
        for k in stored:
            assert_same(live[k], stored[k], f"{where}/{k}")
    elif isinstance(stored, list):
        assert len(live) == len(stored), where
        for i, (a, b) in enumerate(zip(live, stored, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(stored, float):
        assert live == pytest.approx(stored, abs=1e-9), where
    else:
        assert live == stored, where


@pytest.mark.parametrize("name", regenerate.FILES)
def test_live_pygambit_gives_the_stored_answers(name: str) -> None:
    path = TESTS / "data" / "gambit" / f"{name}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    live = json.loads(json.dumps(regenerate.FILES[name]()))
    assert doc["call"] == regenerate.CALLS[name]
    assert_same(live, doc["entries"], name)


@pytest.mark.parametrize(
    "name", sorted(json.loads((TESTS / "data/gambit/read_efg.json").read_text())["entries"])
)
def test_pygambit_reads_our_copy_as_the_original(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    write_game(read_game(TESTS / "data" / name), copy)
    original = regenerate.read_efg_file(TESTS / "data" / name)
    assert_same(regenerate.read_efg_file(copy), original, name)


seqform = _load(TESTS / "solvers" / "test_sequence_form.py", "crosscheck_sequence_form")


@pytest.mark.parametrize("key", seqform.LCP_RANDOM)
def test_our_sequence_form_equilibria_by_gambits_measure(key: str) -> None:
    tree = seqform.GAMBIT_TREES["lcp"][key]()
    g = gbt.read_efg(io.StringIO(game_to_text(tree, "efg")))
    for eq in sequence_form(tree, zero_sum=False, starts=3):
        prof = g.mixed_behavior_profile(rational=False)
        for p, name in enumerate(tree.players):
            for s, b in zip(g.players[name].infosets, eq.behavior[p], strict=True):
                prof[s] = [float(v) for v in b]
        assert float(prof.max_regret()) <= 1e-7
        np.testing.assert_allclose(
            [float(prof.payoff(g.players[p])) for p in tree.players], eq.payoffs, atol=1e-9
        )
