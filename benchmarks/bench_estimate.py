"""Benchmark: the R `games` shapes fitted by bargain and by R on the same data.

Every shape (``egame12``, ``egame122``, ``egame123``, ``ultimatum``) is fitted

* on the data set shipped with both packages (``war1800``, ``data_122``, ``data_123``,
  ``data_ult``, with the formulas of their documentation examples), and
* on simulated data (choices drawn from the structural model with known utilities) at
  10^4 and 10^5 observations (``--sizes``),

by bargain and, when ``Rscript`` and the ``games`` package are installed, by R in one R
process (median ``system.time`` of the same number of fits, not reading the CSV).  Both
log-likelihoods and the largest difference between the two parameter vectors are
reported, so the speed comparison is like for like.  Then bargain alone fits egame12 at
10^4, 10^5 and 10^6 observations (R too up to ``--r-max``), with the cost of one
likelihood pass (log-likelihood + gradient; + analytic Hessian) in parallel chunks and on
one thread.

Run ``python benchmarks/bench_estimate.py`` (``--quick``: the shipped data and 10^4);
writes ``benchmarks/results/estimate.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import ndtr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bargain import datasets  # noqa: E402
from bargain.estimate import egame12, egame122, egame123, ultimatum  # noqa: E402

SQ2 = np.sqrt(2.0)

FUNCS = {"egame12": egame12, "egame122": egame122, "egame123": egame123, "ultimatum": ultimatum}

# the shipped data sets: (shape, data set, formula, bargain options, R options)
SHIPPED = [
    ("egame12", "war1800", "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2",
     {}, ""),
    ("egame122", "data_122", "y ~ x1 + x2 | x3 + f1 | 0 | x4 + x5 | z1 + z2 | z3 + f2", {}, ""),
    ("egame123", "data_123", "y ~ x1 + x2 | 0 | x3 | x4 + x5 | 0 | x6 | x7 | x8",
     {"type": "private"}, ', type = "private"'),
    ("ultimatum", "data_ult",
     "offer + accept ~ x1 + x2 + x3 + x4 + w1 + w2 | z1 + z2 + z3 + z4 + w1 + w2",
     {"max_offer": 15}, ", maxOffer = 15"),
]  # fmt: skip

# simulated: (shape, formula, true parameters in R's order, bargain options, R options)
SIMULATED = {
    "egame12": ("a1 + a2 ~ x1 | 0 | x2 | z", [0.3, -0.8, 0.6, 1.0, -0.2, 1.2], {}, ""),
    "egame122": ("y ~ x1 | 1 | 0 | x2 | z | z",
                 [0.2, 0.8, -0.4, 0.5, 1.0, -0.3, 1.0, 0.4, -0.9], {}, ""),
    "egame123": ("y ~ x1 | 0 | x2 | 1 | 0 | x3 | 1 | z",
                 [0.3, -0.7, 0.5, 0.9, 0.6, -0.2, 1.1, 0.4, 0.2, 1.0], {}, ""),
    "ultimatum": ("offer + accept ~ x1 | z", [2.0, 1.0, 3.0, 1.0, 0.0, 0.0],
                  {"max_offer": 10}, ", maxOffer = 10"),
}  # fmt: skip


def simulate(shape: str, n: int, rng) -> pd.DataFrame:
    """Outcomes drawn from the shape's agent-error probit (logit for the ultimatum game)."""
    b = np.asarray(SIMULATED[shape][1])
    x1, x2, x3, z = rng.normal(size=(4, n))
    if shape == "egame12":
        u11, u14, u24 = b[0] + b[1] * x1, b[2] + b[3] * x2, b[4] + b[5] * z
        p4 = ndtr(u24 / SQ2)
        p2 = ndtr(((1 - p4) * 0 + p4 * u14 - u11) / SQ2)
        esc = rng.random(n) < p2
        war = esc & (rng.random(n) < p4)
        return pd.DataFrame({"a1": esc * 1, "a2": war * 1, "x1": x1, "x2": x2, "z": z})
    if shape == "egame122":  # LL, LR, RL, RR; player 2 gets 0, u22, 0, u24
        u11, u12, u14 = b[0] + b[1] * x1, b[2], b[3] + b[4] * x2
        u22, u24 = b[5] + b[6] * z, b[7] + b[8] * z
        pL, pR = ndtr(u22 / SQ2), ndtr(u24 / SQ2)  # player 2 moves R after L, after R
        p1 = ndtr(((1 - pR) * 0 + pR * u14 - ((1 - pL) * u11 + pL * u12)) / SQ2)
        right = rng.random(n) < p1
        second = rng.random(n) < np.where(right, pR, pL)
        return pd.DataFrame({"y": 1 + 2 * right + second, "x1": x1, "x2": x2, "z": z})
    if shape == "egame123":  # outcomes 1, 3, 5, 6
        u11, u15, u16 = b[0] + b[1] * x1, b[2] + b[3] * x2, b[4]
        u25, u26, u36 = b[5] + b[6] * x3, b[7], b[8] + b[9] * z
        p3 = ndtr(u36 / SQ2)
        p2 = ndtr(((1 - p3) * u25 + p3 * u26) / SQ2)
        p1 = ndtr(((1 - p2) * 0 + p2 * ((1 - p3) * u15 + p3 * u16) - u11) / SQ2)
        u = rng.random((3, n))
        y = np.where(u[0] >= p1, 1, np.where(u[1] >= p2, 3, np.where(u[2] >= p3, 5, 6)))
        return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "x3": x3, "z": z})
    # ultimatum: reservation values R1, R2, logistic shocks of scale 1, offers in [0, Q]
    q = SIMULATED[shape][2]["max_offer"]
    r1, r2 = b[0] + b[1] * x1, b[2] + b[3] * z
    e1 = rng.logistic(size=n)
    lo, hi = np.zeros(n), np.full(n, float(q))
    for _ in range(60):  # player 1's first-order condition, decreasing in the offer
        mid = 0.5 * (lo + hi)
        gap = q - mid - r1 - e1 - (1.0 + np.exp(np.minimum(mid - r2, 700.0)))
        lo, hi = np.where(gap > 0, mid, lo), np.where(gap > 0, hi, mid)
    offer = 0.5 * (lo + hi)
    offer[q - 0.0 - r1 - e1 - (1.0 + np.exp(np.minimum(-r2, 700.0))) <= 0] = 0.0
    offer[q - q - r1 - e1 - (1.0 + np.exp(np.minimum(q - r2, 700.0))) >= 0] = q
    accept = offer > r2 + rng.logistic(size=n)
    return pd.DataFrame({"offer": offer, "accept": accept * 1, "x1": x1, "z": z})


def r_available() -> str | None:
    if shutil.which("Rscript") is None:
        return "Rscript is not on PATH"
    ok = subprocess.run(["Rscript", "-e", "library(games)"], capture_output=True, check=False)
    return None if ok.returncode == 0 else "the R package games is not installed"


R_SCRIPT = """
suppressPackageStartupMessages(library(games))
{load}
t <- numeric({reps})
for (i in seq_along(t)) t[i] <- system.time(m <- {shape}({formula}, data = d{opts}))[[3]]
cat(median(t), sprintf("%.10f", sum(m$log.likelihood)), paste(sprintf("%.10f", coef(m)),
    collapse = ","), "\\n")
"""


def r_fit(shape, formula, opts, reps, *, df=None, dataset=None):
    """Median seconds of `reps` R fits, R's log-likelihood and estimates."""
    with tempfile.TemporaryDirectory() as tmp:
        if df is not None:
            path = Path(tmp) / "d.csv"
            df.to_csv(path, index=False)
            load = f'd <- read.csv("{path}")'
        else:
            load = f'data("{dataset}"); d <- {dataset}'
        script = R_SCRIPT.format(load=load, reps=reps, shape=shape, formula=formula, opts=opts)
        out = subprocess.run(
            ["Rscript", "-e", script], capture_output=True, text=True, check=True
        ).stdout.split()
    return float(out[0]), float(out[1]), np.array([float(v) for v in out[2].split(",")])


def bargain_fit(shape, formula, data, opts, reps):
    fn = FUNCS[shape]
    fn(formula, data, **opts)  # compiled and cached kernels loaded, imports done
    times, fit = [], None
    for _ in range(reps):
        t = time.perf_counter()
        fit = fn(formula, data, **opts)
        times.append(time.perf_counter() - t)
    return statistics.median(times), fit


def bargain_reps(n_rows: int, reps: int) -> int:
    """More bargain fits where one takes milliseconds: a median of 5 such fits on a shared
    machine is one scheduler hiccup away from the truth, R's fits take 10-30x longer."""
    return max(reps, 21) if n_rows <= 5_000 else (max(reps, 7) if n_rows <= 10_000 else reps)


def compare(rows, label, shape, formula, data, opts, r_opts, reps, no_r, **r_data):
    fit_s, fit = bargain_fit(shape, formula, data, opts, bargain_reps(len(data), reps))
    row = {"data": label, "shape": shape, "n": fit.nobs, "k": len(fit.params),
           "fit_s": fit_s, "llf": fit.llf, "iterations": fit.iterations,
           "grad_norm": fit.grad_norm}  # fmt: skip
    if no_r is None:
        row["r_s"], row["r_llf"], r_par = r_fit(shape, formula, r_opts, reps, **r_data)
        row["dpar"] = float(np.max(np.abs(fit.params.to_numpy() - r_par)))
    rows.append(row)
    print(row, flush=True)


def pass_costs(n, rng):
    """Seconds of one egame12 likelihood pass, parallel chunks and one chunk."""
    from bargain.estimate import _egame12_newton as kern

    formula = SIMULATED["egame12"][0]
    fit = egame12(formula, simulate("egame12", n, rng))
    m = fit._model
    X, eq, S, off = m.stack(fit._matrices)
    y, th = np.array(fit._y, dtype=np.int64), np.array(fit.params)
    out = {}
    for chunks in (None, 1):
        for hess in (False, True):
            kw = dict(logit=False, private=False, scaled=False, hess=hess, n_chunks=chunks)
            kern.egame12_fused(y, X, eq, S, off, th, **kw)
            ts = []
            for _ in range(5):
                t = time.perf_counter()
                kern.egame12_fused(y, X, eq, S, off, th, **kw)
                ts.append(time.perf_counter() - t)
            out[(chunks, hess)] = min(ts)
    return out


def fmt_rows(rows):
    lines = [
        "| data | shape | observations | parameters | bargain s | iterations | R s | "
        "R / bargain | log-lik bargain | log-lik R | max param diff |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "r_s" in r:
            rs = (f"{r['r_s']:.3f} | {r['r_s'] / r['fit_s']:.1f}× | {r['llf']:.4f} | "
                  f"{r['r_llf']:.4f} | {r['dpar']:.1e}")  # fmt: skip
        else:
            rs = f"— | — | {r['llf']:.4f} | — | —"
        lines.append(
            f"| {r['data']} | `{r['shape']}` | {r['n']:,} | {r['k']} | {r['fit_s']:.3f} | "
            f"{r['iterations']} | {rs} |"
        )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shipped data and 10^4 only")
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--r-max", type=int, default=1_000_000, help="largest egame12 R fits")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "estimate.md"))
    args = ap.parse_args()
    sizes = [10_000] if args.quick else args.sizes
    rng = np.random.default_rng(2026)
    no_r = r_available()
    if no_r:
        print(f"skipping R: {no_r}")
    load0 = os.getloadavg()[0]
    rows = []
    for shape, name, formula, opts, r_opts in SHIPPED:
        data = getattr(datasets, f"load_{name}")()
        compare(rows, name, shape, formula, data, opts, r_opts, 5, no_r, dataset=name)
    for shape in FUNCS:
        formula, _, opts, r_opts = SIMULATED[shape]
        for n in sizes:
            df = simulate(shape, n, rng)
            reps = args.reps if n <= 10_000 else 1
            compare(rows, "simulated", shape, formula, df, opts, r_opts, reps, no_r, df=df)
    big = []
    formula = SIMULATED["egame12"][0]
    for n in [10_000, 100_000] + ([] if args.quick else [1_000_000]):
        df = simulate("egame12", n, rng)
        reps = args.reps if n < 1_000_000 else 1
        r_here = no_r if n <= args.r_max else "above --r-max"
        compare(big, "simulated", "egame12", formula, df, {}, "", reps, r_here, df=df)
    costs = pass_costs(big[-1]["n"], rng)
    load1 = os.getloadavg()[0]
    lines = [
        "## Structural estimation: bargain against R `games` on every shape",
        "",
        f"Machine: {os.cpu_count()} cores, shared with other jobs (load average "
        f"{load0:.1f} at the start, {load1:.1f} at the end). bargain: median of the fits "
        "after one warm-up fit (imports done, compiled kernels loaded from the cache), "
        "gradient norm below 1e-6; 21 fits on the shipped data, "
        f"{bargain_reps(10_000, args.reps)} at 10^4, otherwise as many as R (fits of a "
        "few milliseconds need more for a stable median). R: `games` 1.1.2 (maxLik "
        "BFGS), median `system.time` of fits in one R process, not reading the data: 5 "
        f"on the shipped data, {args.reps} at 10^4, 1 at 10^5 (egame12 series: "
        f"{args.reps} at 10^5, 1 at 10^6). "
        "Both fit the same rows with the same formula, and "
        "the log-likelihoods at the two optima and the largest difference between the "
        "estimates (R's order) are shown.",
        "",
        *fmt_rows(rows),
        "",
        "Simulated formulas (choices drawn from the structural model, probit agent error; "
        "logistic shocks for the ultimatum game): "
        + "; ".join(f"`{s}`: `{SIMULATED[s][0]}`" for s in FUNCS)
        + ".",
        "",
        "### egame12 at 10^4 – 10^6 observations",
        "",
        *fmt_rows(big),
        "",
        f"One likelihood pass at {big[-1]['n']:,} observations (best of 5): "
        f"log-likelihood + gradient {costs[(None, False)]:.3f} s in parallel chunks, "
        f"{costs[(1, False)]:.3f} s on one thread; + analytic Hessian "
        f"{costs[(None, True)]:.3f} s in parallel, {costs[(1, True)]:.3f} s on one thread.",
    ]
    lines += [
        "",
        "*iterations*: Newton steps on the whole data set; above 20,000 rows the starting "
        "values come from a Newton fit to every m-th row (10,000 rows), and the two-step "
        "regressions of statistical backward induction start that fit (egame122, egame123: "
        "on the same 10,000 rows; egame12: on at most 50,000 rows). Each step is one "
        "compiled pass giving the log-likelihood, its gradient and its analytic Hessian "
        "(egame12, egame122, egame123: closed-form derivatives written out per shape; "
        "egame123 also under private information); the standard errors use that Hessian "
        "at the maximum. A "
        "positive log-likelihood difference (bargain − R) means R's BFGS stopped short of "
        "the maximum (it stops on a relative change of the log-likelihood, not on the "
        "gradient); the parameter differences then follow.",
        "",
        "Before this version (same script, egame12 only, load 3.5–5): BFGS plus a "
        "finite-difference Hessian took 0.044 s / 0.502 s / 10.861 s at 10^4 / 10^5 / 10^6 "
        "observations, 20.0× / 9.1× / 4.4× faster than R; egame122, egame123 and the "
        "ultimatum game were not compared (on their shipped data sets they were 0.8×, 0.5× "
        "and 1.4× R's speed, measured in the same way).",
        "",
        "The previous run (egame122 and egame123 through the generic tree kernel, its "
        "tree walk for their starting values, `lstsq` on the full design for the "
        "ultimatum game's; load 1.0-2.4): R / bargain 8.3× (war1800), 12.5× (data_122), "
        "10.8× (data_123), 9.1× (data_ult), 7.5× / 8.2× (egame122 at 10^4 / 10^5), "
        "5.9× / 12.9× (egame123), 16.4× / 29.0× (ultimatum). Ratios move by 2-3× with the "
        "load of the other jobs (R and bargain run at different moments), most for the "
        "fits of milliseconds.",
    ]
    if no_r:
        lines += ["", f"R skipped: {no_r}."]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
