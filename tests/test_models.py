"""Model loading by name and by path, and the tutorial model."""

import textwrap

import pytest

import bargain as bg
from bargain.errors import ModelError, ParameterError


def test_list_and_load_tutorial_model():
    assert "entry_deterrence" in bg.list_models()
    m = bg.load_model("entry_deterrence")
    assert m.name == "entry_deterrence"
    assert set(m.regimes) == {"entry", "entry_commitment"}
    assert m.regime("entry").agreement == ("In", "Accommodate")
    assert bg.load_model("entry_deterrence") is m  # cached
    assert len(m.source_hash()) == 64


def test_game_numeric_by_default_symbolic_on_request():
    m = bg.load_model("entry_deterrence")
    g = m.game("entry", fight_cost=3)
    assert not g.is_symbolic
    assert g.nodes[-1].payoffs == (-3.0, -3.0)  # In/Fight
    s = m.game("entry", symbolic=True)
    assert s.is_symbolic
    with pytest.raises(ParameterError, match=r"parameter 'fight_cost': value 99 is outside"):
        m.game("entry", fight_cost=99)
    with pytest.raises(ModelError, match="has no regime 'nope'; regimes: entry, entry_commitment"):
        m.game("nope")


@pytest.mark.parametrize(
    ("source", "match"),
    [
        pytest.param("X = 1\n", "must define MODEL = bargain.Model", id="no-model"),
        pytest.param(
            "raise RuntimeError('boom')\n",
            "loading the model failed: RuntimeError: boom",
            id="raises",
        ),
        pytest.param(
            """
            from bargain import Model, Parameter, ParameterSet
            MODEL = Model("m", "t", "d", ParameterSet([Parameter("q", 2, (0, 1))]), [])
            """,
            r"parameter 'q': default 2 is outside its bounds",
            id="bad-default",
        ),
    ],
)
def test_bad_model_files(tmp_path, source, match):
    path = tmp_path / "bad_model.py"
    path.write_text(textwrap.dedent(source))
    with pytest.raises(ModelError, match=match):
        bg.load_model(path)


def test_unknown_names_and_paths():
    with pytest.raises(
        ModelError, match=r"no model named 'nope'; known models: .*entry_deterrence"
    ):
        bg.load_model("nope")
    with pytest.raises(ModelError, match=r"model file not found: /no/such\.py"):
        bg.load_model("/no/such.py")
    with pytest.raises(ModelError, match=r"neither a model name nor a \.py file"):
        bg.load_model("not a name")


def test_models_path_environment(tmp_path, monkeypatch):
    (tmp_path / "my_model.py").write_text(
        textwrap.dedent("""
        from bargain import Decision, GameTree, Model, Parameter, ParameterSet, Regime, Terminal
        PS = ParameterSet([Parameter("a", 1, (0, 2))])
        MODEL = Model("my_model", "Mine", "demo", PS,
                      [Regime("r", lambda p: GameTree(("X",), Decision("X", {"go": Terminal(p.a)}),
                                                       parameters=PS))])
    """)
    )
    monkeypatch.setenv("BARGAIN_MODELS_PATH", str(tmp_path))
    assert "my_model" in bg.list_models()
    assert bg.load_model("my_model").game("r", a=2).nodes[1].payoffs == (2.0,)


def test_model_without_regimes():
    with pytest.raises(ModelError, match="defines no regime"):
        bg.Model("m", "t", "d", bg.ParameterSet([]), [])


@pytest.mark.parametrize("name", bg.list_models())
def test_every_model_documents_its_parameters(name):
    # a paper table cites each parameter: every one needs a unit, a description, a source
    # (or an explicit "assumption"), and finite bounds that contain more than one value
    m = bg.load_model(name)
    assert m.title
    assert m.references or name == "entry_deterrence"
    for p in m.parameters.parameters:
        lo, hi = p.bounds
        assert lo < hi, p.name
        assert p.unit, p.name
        assert p.description, p.name
        assert p.source, p.name
    for regime in m.regimes.values():
        assert regime.description, regime.name
