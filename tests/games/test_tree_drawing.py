"""Game trees as DOT text and as matplotlib figures: the picture holds the tree, and no
two labels overlap on any model's tree (issue 15)."""

import re
import shutil
import subprocess

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import bargain as bg
from bargain.games.extensive_form import Chance, Decision, GameTree, Terminal

REGIMES = [
    (m, r)
    for m in bg.list_models()
    for r in bg.load_model(m).regimes
    if isinstance(bg.load_model(m).game(r, symbolic=True), bg.GameTree)
]
IDS = [f"{m}:{r}" for m, r in REGIMES]


def _imperfect():
    """Nature picks a type; the first player sees it, the second does not (one
    information set of two nodes)."""

    def answer():
        return Decision("B", {"l": Terminal(1, 0), "r": Terminal(0, 1)}, infoset="b")

    return GameTree(
        ("A", "B"),
        Chance({"hi": (0.25, Decision("A", {"go": answer(), "stop": Terminal(0, 0)})),
                "lo": (0.75, Decision("A", {"go": answer(), "stop": Terminal(0, 0)}))}),
    )  # fmt: skip


def _overlaps(ax):
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    bad = []
    for k, (a, ba) in enumerate(boxes):
        for b, bb in boxes[k + 1 :]:
            if (
                ba.overlaps(bb)
                and ba.intersection(ba, bb).width > 1
                and (ba.intersection(ba, bb).height > 1)
            ):
                bad.append((a, b))
    return bad


@pytest.mark.parametrize(("model", "regime"), REGIMES, ids=IDS)
def test_plot_has_every_label_and_none_overlap(model, regime):
    tree = bg.load_model(model).game(regime, symbolic=True)
    ax = tree.plot()
    texts = [t.get_text() for t in ax.texts]
    players = [tree.players[p] for p in tree.node_player if p >= 0]
    assert sum(t in players for t in texts) == len(players)
    assert sum(t == "Nature" for t in texts) == sum(n.kind == "chance" for n in tree.nodes)
    # one label per edge, one line per payoff at each leaf
    edges = len(tree.nodes) - 1
    assert len(texts) == len(players) + texts.count("Nature") + edges + len(tree.leaves) * (
        tree.n_players
    )
    assert _overlaps(ax) == []
    # every label inside the figure
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    for t in ax.texts:
        box = t.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 1, t.get_text()
        assert box.x1 <= frame.x1 + 1, t.get_text()
        assert box.y0 >= frame.y0 - 1, t.get_text()
        assert box.y1 <= frame.y1 + 1, t.get_text()
    plt.close(fig)


def test_plot_draws_information_sets_dashed_and_highlights_the_path():
    tree = _imperfect()
    ax = tree.plot()
    dashed = [ln for ln in ax.lines if ln.get_linestyle() not in ("-", "None")]
    assert len(dashed) == 1  # the two nodes of B's information set
    assert "(0.25)" in [t.get_text().split("\n")[-1] for t in ax.texts]
    plt.close(ax.figure)
    m = bg.load_model("withdrawal_sequencing")
    t = m.game("withdraw_first")
    eq = bg.solve(t, method="spe").equilibria[0]
    ax = t.plot(highlight=eq)
    thick = [ln for ln in ax.lines if ln.get_linewidth() > 2]
    assert len(thick) == sum(1 for n in t.nodes if n.kind == "decision")
    plt.close(ax.figure)


def test_dot_holds_the_tree_and_escapes_quotes():
    tree = GameTree(
        ('Say "hi"', "B"),
        Decision('Say "hi"', {"a\\b": Terminal(1, 2), "c": Terminal(3, 4)}),
    )
    dot = tree.to_dot()
    assert r'xlabel="Say \"hi\""' in dot
    assert r'label="a\\b"' in dot
    assert dot.count(" -> ") == 2
    imp = _imperfect().to_dot()
    assert imp.count("style=dashed") == 1
    assert imp.count("rank=same") == 1
    assert 'label="hi\\n(0.25)"' in imp


@pytest.mark.parametrize(("model", "regime"), REGIMES, ids=IDS)
def test_dot_of_every_model_regime(model, regime):
    tree = bg.load_model(model).game(regime, symbolic=True)
    dot = tree.to_dot()
    assert len(re.findall(r"^  n\d+ \[", dot, flags=re.M)) == len(tree.nodes)
    assert dot.count(" -> ") == len(tree.nodes) - 1
    assert dot.count("{") == dot.count("}")
    dot_bin = shutil.which("dot")
    if dot_bin is not None:  # Graphviz is optional: the text is ours
        done = subprocess.run([dot_bin, "-Tsvg"], input=dot, capture_output=True, text=True,
                              timeout=60, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("fmt", ["dot", "png", "svg", "pdf"])
def test_draw_command_writes_each_format(fmt, tmp_path, capsys):
    from bargain.cli import main

    code = main(["draw", "withdrawal_sequencing:withdraw_first", "--format", fmt, "--out",
                 str(tmp_path), "--highlight", "--dpi", "80"])  # fmt: skip
    assert code == 0
    (path,) = tmp_path.iterdir()
    assert path.name == f"withdraw_first.{fmt}"
    head = path.read_bytes()[:8]
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml", "dot": b"digraph"}[fmt]
    assert head.startswith(magic)
    if fmt == "dot":
        assert "penwidth=2.5" in path.read_text()  # the equilibrium path
    assert main(["draw", "withdrawal_sequencing:simultaneous", "--format", fmt, "--out",
                 str(tmp_path)]) == 1  # fmt: skip
    assert "not a game tree" in capsys.readouterr().err
