"""Symbolic conditions: derivation time, and classifying parameter points.

Times, for the withdrawal-sequencing regimes:

* ``conditions(tree)`` — symbolic backward induction (phased with n = 1..4 tranches);
* classifying points with the derived conditions — ``Conditions.lambdify()`` (NumPy) and
  ``lambdify(backend="numba")`` — against the numeric compiled backward induction of
  :func:`bargain.solvers.trees.points.solve_points` on the same points (paths must agree).

Medians of repeated runs; the first call (Numba compilation) is reported separately.
Writes ``benchmarks/results/symbolic.md``.

Usage: ``python benchmarks/bench_symbolic.py [--quick]``
"""

from __future__ import annotations

import argparse
import time
from functools import partial
from pathlib import Path

import numpy as np
from _timing import timed

import bargain as bg
from bargain.solvers.trees.points import solve_points
from bargain.symbolic import conditions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer points and repeats")
    args = ap.parse_args()
    n_points = 100_000 if args.quick else 1_000_000
    repeat = 3 if args.quick else 5
    m = bg.load_model("withdrawal_sequencing")
    rows = [
        "| regime | derive (s) | numpy (s) | numba first call (s) | numba (s) | "
        "solve_points first call (s) | solve_points (s) | paths agree |",
        "|---|---|---|---|---|---|---|---|",
    ]
    cases = [
        ("withdraw_first", 1),
        ("neutralize_first", 1),
        ("phased", 2),
        ("phased", 3),
        ("phased", 4),
    ]
    rng = np.random.default_rng(0)
    for regime, n in cases:
        tree = m.game(regime, symbolic=True, n=n)
        agreement = m.regime(regime).agreement
        t_derive, c = timed(partial(conditions, tree, agreement=agreement, fixed={"n": n}), 1)
        X = np.column_stack(
            [
                np.full(n_points, float(n)) if p.integer else rng.uniform(*p.bounds, n_points)
                for p in m.parameters.parameters
            ]
        )
        f_np = c.lambdify()
        t_np, ids = timed(partial(f_np, X), repeat)
        f_nb = c.lambdify(backend="numba")
        t0 = time.perf_counter()
        f_nb(X[:10])
        t_nb_first = time.perf_counter() - t0
        t_nb, ids_nb = timed(partial(f_nb, X), repeat)
        t0 = time.perf_counter()
        solve_points(tree, X[:10], priority=agreement)
        t_sb_first = time.perf_counter() - t0
        t_sb, b = timed(partial(solve_points, tree, X, priority=agreement), repeat)
        sym = [c.paths[i] for i in ids[:20000]]
        num = [b.paths[i] for i in b.path_id[:20000]]
        agree = bool((ids == ids_nb).all()) and sym == num
        name = f"{regime} (n={n})" if regime == "phased" else regime
        rows.append(
            f"| {name} | {t_derive:.3f} | {t_np:.4f} | {t_nb_first:.2f} | {t_nb:.4f} | "
            f"{t_sb_first:.2f} | {t_sb:.4f} | {agree} |"
        )
        print(rows[-1], flush=True)
    text = (
        f"## Symbolic conditions vs numeric backward induction ({n_points:,} points)\n\n"
        "Derive: `conditions(tree)` (SymPy).  Then classify every point by its equilibrium "
        "path: the derived conditions compiled with NumPy (`lambdify()`) or Numba "
        "(`lambdify(backend='numba')`), against `trees.points.solve_points` (numeric backward "
        f"induction compiled with Numba).  Medians of {repeat} runs; first calls include "
        "compilation (and disk-cache loads).  'paths agree' compares the first 20,000 "
        "points.\n\n" + "\n".join(rows) + "\n"
    )
    out = Path(__file__).parent / "results" / "symbolic.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
