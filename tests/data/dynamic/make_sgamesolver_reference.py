"""Regenerate ``sgamesolver_qre.json``: sgamesolver's QRE-homotopy answers on random games.

Run with a Python that has sgamesolver (kept out of bargain's environment, see the
``crosscheck-dynamic`` extra)::

    python3 -m venv /tmp/sgs && /tmp/sgs/bin/pip install numpy Cython scipy wheel setuptools
    /tmp/sgs/bin/pip install --no-build-isolation sgamesolver
    /tmp/sgs/bin/python tests/data/dynamic/make_sgamesolver_reference.py

The games themselves are stored in the file (payoffs, transitions, discount), so the test
does not depend on reproducing a random stream.  For each game: sgamesolver's equilibrium
at the end of the QRE path from the centroid (Eibelshäuser & Poensgen 2019), and its QREs
at a few finite λ (``solver_setup(target_lambda=λ)``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

np.NaN = np.nan  # noqa: NPY201 - sgamesolver 1.0.2 uses the alias removed in NumPy 2
import sgamesolver  # noqa: E402

HERE = Path(__file__).resolve().parent
LAMBDAS = (0.5, 2.0, 8.0)
# (states, players, actions per state and player or one number, discount, seed)
SIZES = [
    (1, 2, 2, 0.9, 1),
    (1, 2, 3, 0.9, 2),
    (2, 2, 2, 0.95, 3),
    (2, 2, 2, 0.8, 4),
    (2, 2, 3, 0.95, 5),
    (3, 2, 2, 0.95, 6),
    (3, 2, 3, 0.9, 7),
    (2, 3, 2, 0.95, 8),
    (3, 3, 2, 0.9, 9),
    (2, 3, 3, 0.9, 10),
    (5, 2, 2, 0.95, 11),
    (5, 2, 3, 0.95, 12),
    (8, 2, 2, 0.9, 13),
    (4, 3, 2, 0.95, 14),
    (3, 2, [[2, 3], [1, 2], [3, 1]], 0.9, 15),  # state-dependent action sets, a waiting player
    (2, 3, [[2, 1, 2], [1, 2, 2]], 0.9, 16),
]


def random_game(n_states, n_players, actions, seed):
    rng = np.random.default_rng(seed)
    if isinstance(actions, int):
        actions = [[actions] * n_players for _ in range(n_states)]
    u, phi = [], []
    for s in range(n_states):
        shape = tuple(actions[s])
        u.append(rng.uniform(0.0, 1.0, (n_players, *shape)))
        p = rng.exponential(1.0, (*shape, n_states))
        phi.append(p / p.sum(axis=-1, keepdims=True))
    return u, phi


def solve(u, phi, delta, target=np.inf):
    game = sgamesolver.SGame(u, phi, delta)
    hom = sgamesolver.homotopy.QRE(game)
    hom.solver_setup(target_lambda=target)
    hom.solver.verbose = 0
    hom.solve()
    if hom.equilibrium is None:
        raise RuntimeError("sgamesolver failed")
    eq = hom.equilibrium
    sig = [
        [eq.strategies[s, i, : u[s].shape[1 + i]].tolist() for i in range(u[s].shape[0])]
        for s in range(len(u))
    ]
    return {
        "strategies": sig,
        "values": np.asarray(eq.values).tolist(),
        "lambda": float(eq.homotopy_parameter),
    }


def main() -> int:
    cases = []
    for n_states, n_players, actions, delta, seed in SIZES:
        u, phi = random_game(n_states, n_players, actions, seed)
        case = {
            "id": f"{n_states}s{n_players}p-seed{seed}",
            "payoffs": [a.tolist() for a in u],
            "transitions": [a.tolist() for a in phi],
            "discount": delta,
            "limit": solve(u, phi, delta),
            "qre": [solve(u, phi, delta, lam) for lam in LAMBDAS],
        }
        cases.append(case)
        print(case["id"], "lambda at end", round(case["limit"]["lambda"], 1))
    meta = {
        "generator": "tests/data/dynamic/make_sgamesolver_reference.py",
        "sgamesolver": sgamesolver.__version__ if hasattr(sgamesolver, "__version__") else "1.0.2",
        "numpy": np.__version__,
        "lambdas": list(LAMBDAS),
    }
    out = HERE / "sgamesolver_qre.json"
    out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=1) + "\n")
    print("wrote", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
