"""The derivation cache: reread without deriving, never executed, keyed, cleared (issue 14)."""

import json

import pytest

import bargain._version
from bargain.cli import main
from bargain.models import load_model
from bargain.sweep.intervals import symbolic_set
from bargain.symbolic import cache
from bargain.symbolic.agreement_sets import agreement_form


@pytest.fixture
def model(tmp_path, monkeypatch):
    monkeypatch.setenv("BARGAIN_CACHE_DIR", str(tmp_path / "cache"))
    m = load_model("withdrawal_sequencing")
    m.__dict__.pop("_agreement_forms", None)  # the in-process memo
    yield m
    m.__dict__.pop("_agreement_forms", None)


def _no_derivation(model, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("derived again although the cache holds the entry")

    monkeypatch.setattr(type(model), "conditions", refuse)


def test_second_process_reads_the_derivation_instead_of_deriving(model, monkeypatch):
    first = agreement_form(model, "withdraw_first")
    assert len(list(cache.cache_dir().glob("*.json"))) == 1
    model.__dict__.pop("_agreement_forms")
    _no_derivation(model, monkeypatch)
    again = agreement_form(model, "withdraw_first")
    assert again.atoms == first.atoms
    assert again.linear == first.linear
    values = model.parameters.defaults
    assert symbolic_set(model, "withdraw_first", "q", values) == [(1 / 3, True, 1.0, True)]


def test_a_hostile_entry_is_not_run_but_derived_again(model, monkeypatch, tmp_path):
    key = cache.model_key(
        model, what="agreement_form", regime="withdraw_first", structural={"n": 1.0}
    )
    marker = tmp_path / "ran"
    data = agreement_form(model, "withdraw_first").to_json()
    data["atoms"][0][0] = f"__import__('os').system('touch {marker}')"
    cache.store_entry(key, data)
    model.__dict__.pop("_agreement_forms")
    form = agreement_form(model, "withdraw_first")
    assert not marker.exists()
    assert all("import" not in str(d) for d, _ in form.atoms)
    stored = json.loads(cache.entry_path(key).read_text())["data"]
    assert stored == form.to_json()  # the damaged entry was replaced


def test_key_changes_with_version_and_structure(model, monkeypatch):
    one = cache.entry_path(cache.model_key(model, what="x", structural={"n": 1.0}))
    two = cache.entry_path(cache.model_key(model, what="x", structural={"n": 2.0}))
    monkeypatch.setattr(bargain._version, "__version__", "99.0")
    newer = cache.entry_path(cache.model_key(model, what="x", structural={"n": 1.0}))
    assert len({one, two, newer}) == 3


def test_no_cache_writes_nothing_and_clear_empties(model, tmp_path, capsys):
    out = tmp_path / "r"
    args = ["report", "entry_deterrence", "--out", str(out), "--points", "11"]
    assert main([*args, "--no-cache"]) == 0
    assert not list(cache.cache_dir().glob("*.json"))
    assert main([*args, "--verbose"]) == 0
    err = capsys.readouterr().err
    for phase in ("derive", "equilibria", "SPE sweep and intervals", "figures", "writing"):
        assert f"report: {phase}" in err
    n = len(list(cache.cache_dir().glob("*.json")))
    assert n >= 2
    assert main(["cache", "clear"]) == 0
    assert f"removed {n} cached derivations" in capsys.readouterr().out
    assert not list(cache.cache_dir().glob("*.json"))


def test_bad_width_is_a_clean_error(tmp_path, capsys):
    args = ["report", "entry_deterrence", "--out", str(tmp_path / "r"), "--points", "5"]
    assert main([*args, "--width", "0.1"]) == 1
    assert "width must be between 1 and 20 inches" in capsys.readouterr().err
