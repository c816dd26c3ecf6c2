"""Figures for the bargaining-theory explanation page (docs/explanation/bargaining.md).

Usage::

    python examples/bargaining_theory.py [OUT_DIR]      # default: out/

Writes six PNG files into OUT_DIR:

* ``rubinstein_shares.png`` -- Rubinstein (1982) shares over the discount factor, and the
  finite-horizon shares converging to them;
* ``outside_option.png`` -- the outside-option principle (Binmore, Shaked & Sutton 1989);
* ``axiomatic_solutions.png`` -- Nash, Kalai-Smorodinsky and egalitarian points;
* ``fearon_range.png`` -- Fearon's (1995) bargaining range over p, and screening;
* ``powell_phasing.png`` -- Powell (2006): steps needed to phase a shift in power;
* ``inspection_regimes.png`` -- inspection-game equilibrium over the detection probability.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from bargain import bargaining as bb


def rubinstein_shares(out: Path) -> Path:
    """Shares over delta (left) and over the horizon (right)."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    deltas = np.linspace(0.01, 0.99, 99)
    left.plot(
        deltas, [bb.rubinstein(d, d).shares[0] for d in deltas], label=r"$\delta_1=\delta_2=\delta$"
    )
    left.plot(deltas, [bb.rubinstein(d, 0.9).shares[0] for d in deltas], label=r"$\delta_2 = 0.9$")
    left.plot(deltas, [bb.rubinstein(0.9, d).shares[0] for d in deltas], label=r"$\delta_1 = 0.9$")
    left.axhline(0.5, color="grey", lw=0.6, ls=":")
    left.set(xlabel=r"$\delta$ (the varying discount factor)", ylabel="first proposer's share")
    left.set_title("Rubinstein (1982), infinite horizon", fontsize=10)
    left.legend(fontsize=8)
    horizons = np.arange(1, 31)
    for d1, d2 in [(0.9, 0.9), (0.8, 0.95)]:
        xs = [bb.rubinstein(d1, d2, horizon=int(t)).shares[0] for t in horizons]
        (line,) = right.plot(horizons, xs, "o-", ms=3, label=rf"$\delta=({d1}, {d2})$")
        right.axhline(bb.rubinstein(d1, d2).shares[0], color=line.get_color(), lw=0.8, ls="--")
    right.set(xlabel="horizon T (rounds)", ylabel="first proposer's share")
    right.set_title("finite horizon converges (dashed: T = infinity)", fontsize=10)
    right.legend(fontsize=8)
    return _save(fig, out / "rubinstein_shares.png")


def outside_option(out: Path) -> Path:
    """Player 1's share as player 2's outside option grows."""
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ws = np.linspace(0, 0.95, 191)
    for d in (0.5, 0.8, 0.95):
        (line,) = ax.plot(ws, [bb.rubinstein(d, d, outside_options=(0, w)).shares[0] for w in ws],
                          label=rf"$\delta={d}$")  # fmt: skip
        ax.axvline(d / (1 + d), color=line.get_color(), lw=0.6, ls=":")
    ax.set(xlabel="player 2's outside option $w$", ylabel="player 1's share")
    ax.set_title(r"outside-option principle (dotted: $w=\delta/(1+\delta)$)", fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, out / "outside_option.png")


def axiomatic_solutions(out: Path) -> Path:
    """Three solutions on a smooth frontier and on a point set."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))

    def frontier(u1):
        return 1.0 - u1**2

    d = (0.1, 0.0)
    u = np.linspace(0, 1, 200)
    left.plot(u, frontier(u), color="k", lw=1)
    pts = [(0, 1), (0.3, 0.95), (0.7, 0.7), (1.0, 0.2), (0.4, 0.3)]
    hull = [(0, 1), (0.3, 0.95), (0.7, 0.7), (1.0, 0.2)]
    right.plot(*zip(*hull, strict=True), color="k", lw=1)
    right.scatter(*zip(*pts, strict=True), color="k", s=12)
    for ax, f in ((left, frontier), (right, pts)):
        for solve, marker, name in [
            (bb.nash_solution, "o", "Nash"),
            (bb.kalai_smorodinsky, "s", "Kalai-Smorodinsky"),
            (bb.egalitarian, "^", "egalitarian"),
        ]:
            r = solve(f, d)
            ax.plot(*r.utilities, marker, ms=7, label=f"{name} ({r.utilities[0]:.3f}, "
                    f"{r.utilities[1]:.3f})")  # fmt: skip
        ax.plot(*d, "kx")
        ax.annotate("d", d, textcoords="offset points", xytext=(4, 4))
        ax.set(xlabel="$u_1$", ylabel="$u_2$", xlim=(0, 1.05), ylim=(-0.02, 1.05))
        ax.legend(fontsize=7, loc="center left")
    left.set_title(r"frontier $u_2 = 1 - u_1^2$", fontsize=10)
    right.set_title("comprehensive convex hull of points", fontsize=10)
    return _save(fig, out / "axiomatic_solutions.png")


def fearon_range(out: Path) -> Path:
    """Bargaining range over p; screening demand and war probability."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    ps = np.linspace(0, 1, 201)
    ranges = [bb.fearon_range(p, 0.1, 0.15) for p in ps]
    left.fill_between(ps, [r.low for r in ranges], [r.high for r in ranges], alpha=0.3,
                      label=r"range $[p-c_A,\ p+c_B] \cap [0,1]$")  # fmt: skip
    left.plot(ps, ps, "k--", lw=0.8, label="$x = p$")
    screen = [bb.fearon_screening(p, 0.1, 0.3) for p in ps]
    left.plot(ps, [s.demand for s in screen], color="C3", label=r"screening demand, $\bar c=0.3$")
    left.set(xlabel="$p$ (A's probability of winning)", ylabel="A's share $x$")
    left.set_title(r"Fearon (1995): $c_A = 0.1$, $c_B = 0.15$", fontsize=10)
    left.legend(fontsize=7, loc="upper left")
    costs = np.linspace(0, 0.5, 201)
    for cmax in (0.2, 0.3, 0.5):
        wars = [bb.fearon_screening(0.5, c, cmax).war_probability for c in costs]
        right.plot(costs, wars, label=rf"$\bar c = {cmax}$")
    right.set(xlabel="$c_A$", ylabel="probability of war")
    right.set_title(r"screening, $p = 0.5$: $(\bar c - c_A)/(2\bar c)$", fontsize=10)
    right.legend(fontsize=8)
    return _save(fig, out / "fearon_range.png")


def powell_phasing(out: Path) -> Path:
    """Fewest equal steps that keep the peace."""
    fig, ax = plt.subplots(figsize=(5, 3.4))
    omegas = np.linspace(0, 0.5, 101)
    for delta in (0.8, 0.9, 0.95):
        steps = [bb.phased_shift(delta, float(w), 0.5, 0.05).steps for w in omegas]
        ax.step(omegas, steps, where="post", label=rf"$\delta = {delta}$")
    ax.set(xlabel=r"total shift $\omega$ (from $p = 0.5$, $\kappa = 0.05$)", ylabel="steps $n^*$")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Powell (2006): phasing a shift in power", fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, out / "powell_phasing.png")


def inspection_regimes(out: Path) -> Path:
    """Equilibrium inspection and violation rates over the detection probability."""
    fig, ax = plt.subplots(figsize=(5, 3.4))
    betas = np.linspace(0.01, 1, 397)
    eqs = [bb.inspection_equilibrium(1, 3, b, 0.3, 2) for b in betas]
    ax.plot(betas, [e.inspect_prob for e in eqs], label="inspect")
    ax.plot(betas, [e.violate_prob for e in eqs], label="violate")
    ax.axvline(eqs[0].deterrence_threshold, color="grey", ls=":", lw=0.8)
    ax.axvline(0.3 / 2, color="grey", ls="--", lw=0.8)
    ax.set(xlabel=r"detection probability $\beta$", ylabel="probability", ylim=(-0.03, 1.05))
    ax.set_title(r"$g=1, f=3, e=0.3, L=2$ (dotted: $g/(g+f)$; dashed: $e/L$)", fontsize=10)
    ax.legend(fontsize=8)
    return _save(fig, out / "inspection_regimes.png")


def _save(fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(out: Path) -> list[Path]:
    """Write every figure into `out` (created if missing) and return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    makers = (rubinstein_shares, outside_option, axiomatic_solutions, fearon_range,
              powell_phasing, inspection_regimes)  # fmt: skip
    return [make(out) for make in makers]


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out")):
        print(written)
