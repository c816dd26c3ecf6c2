"""The array versions of the QRE kernels (the interpreted path of small games, issue 14)
against the compiled kernels, and a cold solve that compiles nothing."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bargain.dynamic import _blocks as B
from bargain.dynamic import _kernels as K
from bargain.dynamic import _numpy_twins as tw
from bargain.dynamic import qre
from bargain.dynamic.qre import _Setup, qre_homotopy
from tests.dynamic.test_blocks import _random_game, _random_point

ROOT = Path(__file__).resolve().parents[2]

# (states, players, actions, vary): 3 players, and player 0 with one action fewer in odd
# states (uneven action sets exercise the padding and the per-state groups)
CASES = [(1, 2, 2, False), (4, 2, 2, False), (3, 3, 2, False), (5, 2, 3, True),
         (4, 3, 3, True), (6, 2, 4, True)]  # fmt: skip
IDS = [f"{c[0]}x{c[1]}x{c[2]}{'v' if c[3] else ''}" for c in CASES]
RTOL = 1e-12  # the array versions sum in another order in places: agreement to rounding


def _setup(case, seed=0):
    S, N, A, vary = case
    g = _random_game(S, N, A, seed=seed + 7 * S + N, vary=vary)
    su = _Setup(g)
    return g, su, _random_point(su, np.random.default_rng(seed + S))


def _blocks_of(su):
    ks, loff = B.layout(su.nA, su.off)
    k = int(ks.max())
    shape = (su.S, k + su.N)
    return ks, loff, np.zeros((*shape, k)), np.zeros((*shape, su.S * su.N + 1))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_stage_and_residual_match_the_kernels(case):
    _, su, x = _setup(case)
    sigma, V = K.unpack(x, su.nA, su.off, su.nb)
    for a, b in zip(K.stage_derivatives(*su.args, sigma, V),
                    tw.stage_derivatives(*su.args, sigma, V), strict=True):  # fmt: skip
        np.testing.assert_allclose(b, a, rtol=RTOL, atol=RTOL)
    work = [np.zeros_like(sigma), np.zeros_like(sigma), np.zeros(su.N, dtype=np.int64)]
    H1, H2 = np.zeros(su.n), np.zeros(su.n)
    K.residual(*su.args, su.off, su.nb, x, *work, H1)
    tw.residual(*su.args, su.off, su.nb, x, *[w.copy() for w in work], H2)
    np.testing.assert_allclose(H2, H1, rtol=RTOL, atol=RTOL)
    np.testing.assert_allclose(H2, su.hj(x)[0], rtol=RTOL, atol=RTOL)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_blocks_factor_and_solve_match_the_kernels(case):
    _, su, x = _setup(case)
    ks, loff, Bl1, Bg1 = _blocks_of(su)
    Bl2, Bg2 = np.full_like(Bl1, np.nan), np.full_like(Bg1, np.nan)  # every entry written
    H1 = B.homotopy_blocks(*su.args, su.off, su.nb, x, Bl1, Bg1)
    H2 = tw.homotopy_blocks(*su.args, su.off, su.nb, x, Bl2, Bg2)
    np.testing.assert_allclose(H2, H1, rtol=RTOL, atol=RTOL)
    np.testing.assert_allclose(Bl2, Bl1, rtol=RTOL, atol=RTOL)
    np.testing.assert_allclose(Bg2, Bg1, rtol=RTOL, atol=RTOL)
    rng = np.random.default_rng(1)
    border = rng.normal(size=su.n + 1)
    f1 = B.block_factor(Bl1, Bg1, ks, loff, su.N, border)
    f2 = tw.block_factor(Bl2, Bg2, ks, loff, su.N, border)
    assert f1[4] == f2[4] == B.OK
    np.testing.assert_array_equal(f2[0], f1[0])  # the same row interchanges
    for a, b in zip(f1[1:3], f2[1:3], strict=True):
        np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(Bl2, Bl1, rtol=1e-9, atol=1e-9)
    rhs = rng.normal(size=su.n + 1)
    x1 = B.block_solve(Bl1, Bg1, ks, loff, su.N, *f1[:4], rhs)
    x2 = rhs.copy()
    w = np.empty(Bl2.shape[1])
    tw._forward(Bl2, ks, loff, su.N, f2[0], f2[1], x2, w)
    tw.lu_solve_inplace(f2[2], f2[3], x2[x2.size - Bg2.shape[2] :])
    tw._backward(Bl2, Bg2, ks, loff, x2)
    np.testing.assert_allclose(x2, x1, rtol=1e-8, atol=1e-8)
    # and it solves the system: the dense Jacobian with the border row
    _H, J = su.hj(x)
    np.testing.assert_allclose(np.vstack([J, border]) @ x2, rhs, atol=1e-8)


def test_singular_and_non_finite_inputs_take_the_kernels_statements():
    _, su, x = _setup(CASES[1])
    ks, loff, Bl, Bg = _blocks_of(su)
    B.homotopy_blocks(*su.args, su.off, su.nb, x, Bl, Bg)
    Bl[0, :, 0] = 0.0  # a zero column in state 0's own block
    assert (
        tw.block_factor(Bl.copy(), Bg.copy(), ks, loff, su.N, np.zeros(0))[4]
        == (B.block_factor(Bl.copy(), Bg.copy(), ks, loff, su.N, np.zeros(0))[4])
    )
    Bl[1, 0, 0] = np.nan
    assert tw.block_factor(Bl, Bg, ks, loff, su.N, np.zeros(0))[4] == B.LOCAL_SINGULAR
    A = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert tw.lu_factor(A.copy())[1] is B.lu_factor(A.copy())[1] is False
    assert tw.all_finite(np.array([1.0, np.inf])) is False


@pytest.mark.parametrize("case", CASES[:5], ids=IDS[:5])
def test_interpreted_solve_is_the_compiled_solve(case, monkeypatch, regret):
    g, _, _ = _setup(case, seed=3)
    monkeypatch.setattr(qre, "_interpret", lambda nprof: False)
    compiled = qre_homotopy(g)
    assert compiled.stats["steps"] > 0
    monkeypatch.setattr(qre, "_interpret", lambda nprof: (tw.register(), True)[1])
    twin = qre_homotopy(g)
    a, b = compiled.equilibrium, twin.equilibrium
    for ra, rb in zip(a.strategies, b.strategies, strict=True):
        for pa, pb in zip(ra, rb, strict=True):
            np.testing.assert_allclose(pb, pa, atol=1e-9)
    assert regret(g, b.strategies) <= twin.tol  # an equilibrium, checked independently
    assert twin.stats["steps"] == compiled.stats["steps"]  # the same path


def test_interpret_decision(monkeypatch):
    import bargain.solvers._interpreted as interp

    small = np.array([4, 4])
    monkeypatch.setattr(interp, "_ready", lambda kernel: False)  # nothing compiled, cold
    monkeypatch.setattr(qre, "_interpreted_solves", 0)
    assert qre._interpret(np.array([qre.INTERPRETED_MAX_PROFILES + 1])) is False  # large
    assert qre._interpret(small) is True
    assert qre._interpreted_solves == 1
    monkeypatch.setattr(qre, "_interpreted_solves", qre.HOT_SOLVES)
    assert qre._interpret(small) is False  # after HOT_SOLVES solves, compile
    monkeypatch.setattr(qre, "_interpreted_solves", 0)
    monkeypatch.setattr(interp, "_ready", lambda kernel: True)  # compiled or cached
    assert qre._interpret(small) is False


CODE = """
import sys
from numba.core import event
from bargain.dynamic import solve
from bargain.dynamic.regime import numeric_game
import bargain as bg

class Listener(event.Listener):
    names = []
    def on_start(self, ev):
        self.names.append(ev.data["dispatcher"].py_func.__name__)
    def on_end(self, ev):
        pass

listener = Listener()
with event.install_listener("numba:compile", listener):
    game = numeric_game(bg.load_model("staged_withdrawal"), "staged", q=0.2)
    r = solve(game, method="qre")
print("COMPILED=" + ",".join(listener.names))
print("REGRET=%r" % r.equilibrium.max_regret)
"""


def test_cold_small_game_compiles_nothing(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "BARGAIN_CACHE_DIR": str(tmp_path / "derive"),
    }
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, env=env, check=True
    ).stdout
    lines = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    assert lines["COMPILED"] == ""  # 16 states of 2 x 2: the interpreted path
    assert float(lines["REGRET"]) <= 1e-8
