"""Global and local sensitivity of a model's scalar output: Sobol', Morris, tornado.

The problem (which parameters vary, over which bounds) is declared once from the model's
parameters; the three methods share one call shape
``method(model, regime, output, *, vary=None, fixed=None, backend="auto", ...)`` and return
a :class:`SensitivityResult` with one tidy table (``.frame``), table writers, a manifest
and a figure.  The estimators are SALib's (``SALib.sample.sobol`` / ``SALib.analyze.sobol``,
Saltelli 2002 and Jansen 1999 estimators with bootstrap confidence intervals;
``SALib.sample.morris`` / ``SALib.analyze.morris``, Morris 1991 with Campolongo et al.
2007's μ*); the model runs on the compiled batch kernel, on any backend.

Integer (structural) parameters are fixed at their defaults unless listed in `vary`; a
varied integer parameter is sampled on ``[low, high + 1)`` and floored.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bargain.errors import ParameterError

__all__ = ["SensitivityResult", "morris", "sobol", "tornado"]

CHUNK = 100_000

_LATEX_LABELS = {
    "parameter": "parameter",
    "S1": "$S_1$",
    "S1_conf": r"$\pm$",
    "ST": "$S_T$",
    "ST_conf": r"$\pm$",
    "mu": r"$\mu$",
    "mu_star": r"$\mu^*$",
    "mu_star_conf": r"$\pm$",
    "sigma": r"$\sigma$",
    "output_low": "output at low",
    "output_high": "output at high",
    "swing": "swing",
}


@dataclass(frozen=True)
class SensitivityResult:
    """A sensitivity analysis: one tidy table plus provenance.

    Attributes
    ----------
    method : str
        ``"sobol"``, ``"morris"`` or ``"tornado"``.
    output : str
    frame : pandas.DataFrame
        One row per varied parameter.  Sobol': ``S1``, ``S1_conf``, ``ST``, ``ST_conf``
        (first-order and total indices with the half-widths of their bootstrap confidence
        intervals at ``manifest["conf_level"]``).  Morris: ``mu``, ``mu_star``,
        ``mu_star_conf``, ``sigma``.  Tornado: ``low``, ``high``, ``output_low``,
        ``output_high``, ``swing`` (sorted by absolute swing).
    manifest : dict
        Seed, n, method, SALib version, bounds, model hash, backend, timing.
    second_order : pandas.DataFrame or None
        Sobol' with ``calc_second_order=True``: pairs with ``S2`` and ``S2_conf``.
    base_output : float or None
        Tornado: the output at the base point.
    """

    method: str
    output: str
    frame: Any
    manifest: dict
    model: Any = field(repr=False, default=None)
    regime: str | None = None
    second_order: Any = None
    base_output: float | None = None

    def to_csv(self, path: Any = None) -> str:
        """CSV text (full precision); written with a manifest beside it when `path` is given."""
        from bargain.formats.tables import to_csv

        text = to_csv(self.frame, path)
        self._manifest_beside(path)
        return text

    def to_markdown(self, path: Any = None, *, decimals: int = 3) -> str:
        """Markdown table; written (with a manifest) when `path` is given."""
        from bargain.formats.tables import to_markdown

        return self._write(path, to_markdown(self.frame, decimals=decimals))

    def to_latex(self, path: Any = None, *, decimals: int = 3, caption: str | None = None) -> str:
        """booktabs LaTeX table; written (with a manifest) when `path` is given.

        Examples
        --------
        >>> import bargain as bg
        >>> r = tornado("entry_deterrence", None, "commitment_margin")
        >>> print(r.to_latex(decimals=1).splitlines()[2])
        parameter & low & high & output at low & output at high & swing \\\\
        """
        from bargain.formats.tables import to_latex

        notes = []
        if self.method == "sobol":
            level = self.manifest.get("conf_level", 0.95)
            notes.append(
                f"Sobol' indices (n = {self.manifest['n']}); +/- half-width of the "
                f"{level:.0%} bootstrap interval."
            )
        text = to_latex(
            self.frame, labels=_LATEX_LABELS, decimals=decimals, caption=caption, notes=notes
        )
        return self._write(path, text)

    def plot(self, path: Any = None, **kwargs: Any) -> Any:
        """A matplotlib Figure (Sobol' bars with CI whiskers, tornado, or Morris μ*–σ);
        saved as PDF and PNG when `path` is given.  See
        :mod:`bargain.sweep.sensitivity_plots`."""
        from bargain.sweep.sensitivity_plots import plot_sensitivity

        return plot_sensitivity(self, path, **kwargs)

    def _write(self, path: Any, text: str) -> str:
        if path is not None:
            from bargain.formats.files import atomic_write_text

            atomic_write_text(path, text + "\n")
            self._manifest_beside(path)
        return text

    def _manifest_beside(self, path: Any) -> None:
        if path is not None:
            from bargain.formats.manifest import write_manifest

            p = Path(path)
            write_manifest({**self.manifest, "table": p.name}, p.with_suffix(".manifest.json"))


@dataclass(frozen=True)
class _Problem:
    model: Any
    regime: str | None
    output: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    integer: tuple[bool, ...]
    base: np.ndarray
    cols: tuple[int, ...]
    fixed: dict

    def salib(self) -> dict:
        bounds = [
            [lo, hi + 1.0] if i else [lo, hi]
            for (lo, hi), i in zip(self.bounds, self.integer, strict=True)
        ]
        return {"num_vars": len(self.names), "names": list(self.names), "bounds": bounds}

    def full(self, x: np.ndarray) -> np.ndarray:
        """Points in the model's parameter order from SALib's samples of the varied ones."""
        pts = np.tile(self.base, (len(x), 1))
        for j, c in enumerate(self.cols):
            v = x[:, j]
            if self.integer[j]:
                v = np.minimum(np.floor(v), self.bounds[j][1])
            pts[:, c] = v
        return pts


def _problem(model: Any, regime: str | None, output: str, vary: Any, fixed: Any) -> _Problem:
    from bargain.models import load_model
    from bargain.sweep.backends import check_outputs
    from bargain.sweep.samples import design

    if isinstance(model, str):
        model = load_model(model)
    if regime is not None:
        model.regime(regime)
    if not isinstance(output, str):
        raise ParameterError("output", f"name one scalar output, got {output!r}")
    check_outputs(model, regime, [output])
    if output in ("path", "payoffs"):
        raise ParameterError(
            "output",
            f"{output!r} is not a scalar; use 'agreement', 'payoff_<player>' or a "
            "closed-form output",
        )
    d = design(model, method="sobol", n=1, vary=vary, fixed=fixed)
    names = tuple(model.parameters.names)
    return _Problem(
        model,
        regime,
        output,
        d.vary,
        d.bounds,
        d.integer,
        np.asarray(d.base, dtype=float),
        tuple(names.index(v) for v in d.vary),
        {k: v for k, v in zip(names, d.base, strict=True) if k not in d.vary},
    )


def _evaluate(
    prob: _Problem, points: np.ndarray, backend: str, workers: Any, scheduler: Any
) -> tuple[np.ndarray, dict]:
    from bargain.sweep.backends import Backend

    y = np.empty(len(points))
    n_chunks = -(-len(points) // CHUNK)
    with Backend(backend, workers=workers, scheduler=scheduler) as b:
        for k, cols in b.map(
            prob.model, prob.regime, (prob.output,), points, range(n_chunks), CHUNK
        ):
            y[k * CHUNK : k * CHUNK + len(cols[prob.output])] = cols[prob.output]
        described = b.describe()
    return y, described


def _manifest(prob: _Problem, method: str, start: float, **fields: Any) -> dict:
    from importlib import metadata

    from bargain.formats.manifest import build_manifest

    return build_manifest(
        model=prob.model,
        regime=prob.regime,
        method=method,
        output=prob.output,
        vary={n: list(b) for n, b in zip(prob.names, prob.bounds, strict=True)},
        fixed=prob.fixed,
        salib=metadata.version("SALib"),
        seconds=round(time.perf_counter() - start, 3),
        **fields,
    )


def _check_n(name: str, n: Any, *, power_of_two: bool = False) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ParameterError(name, f"must be a whole number >= 2, got {n!r}")
    if power_of_two and n & (n - 1):
        raise ParameterError(
            name,
            f"must be a power of 2 for the Sobol' sequence's balance, got {n} "
            f"(try {1 << (int(n).bit_length() - 1)} or {1 << int(n).bit_length()})",
        )
    return int(n)


def sobol(
    model: Any,
    regime: str | None,
    output: str,
    *,
    n: int = 1024,
    vary: Sequence[str] | Mapping[str, Any] | None = None,
    fixed: Mapping[str, float] | None = None,
    seed: int = 0,
    backend: str = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    calc_second_order: bool = False,
    conf_level: float = 0.95,
    num_resamples: int = 100,
) -> SensitivityResult:
    """Sobol' first-order and total indices of a scalar output, with confidence intervals.

    Parameters
    ----------
    model : Model or str
    regime : str or None
        The regime whose equilibrium gives the output (None for closed-form outputs).
    output : str
        ``"agreement"`` (0/1), ``"payoff_<player>"``, or a closed-form output's name.
    n : int
        Base sample size, a power of 2; the model is evaluated ``n (d + 2)`` times
        (``n (2d + 2)`` with second-order indices) for ``d`` varied parameters.
    vary : sequence of str or mapping, optional
        Parameters to vary (default: all non-integer ones), optionally with
        ``(low, high)`` ranges inside their bounds.
    fixed : mapping, optional
        Values of the parameters not varied (defaults otherwise).
    seed : int
        Seeds the scrambled Sobol' sample and the bootstrap.
    backend, workers, scheduler
        See :class:`bargain.sweep.backends.Backend`.
    calc_second_order : bool
    conf_level : float
    num_resamples : int
        Bootstrap resamples for the confidence intervals.

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> r = sobol("entry_deterrence", "entry_commitment", "agreement", n=256, seed=1)
    >>> r.frame.columns.tolist()
    ['parameter', 'S1', 'S1_conf', 'ST', 'ST_conf']
    >>> r.frame.sort_values("ST").parameter.iloc[-1]  # agreement iff cost <= entrant_profit
    'commitment_cost'
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    start = time.perf_counter()
    prob = _problem(model, regime, output, vary, fixed)
    n = _check_n("n", n, power_of_two=True)
    problem = prob.salib()
    x = sample.sample(problem, n, calc_second_order=calc_second_order, scramble=True, seed=seed)
    y, described = _evaluate(prob, prob.full(x), backend, workers, scheduler)
    import pandas as pd

    notes = []
    if np.ptp(y) == 0:
        notes.append("the output is constant over the design: the indices are undefined (NaN)")
        nan = np.full(len(prob.names), np.nan)
        si = {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
        if calc_second_order:
            si["S2"] = si["S2_conf"] = np.full((len(prob.names),) * 2, np.nan)
    else:
        with np.errstate(all="ignore"):
            si = analyze.analyze(
                problem,
                y,
                calc_second_order=calc_second_order,
                num_resamples=num_resamples,
                conf_level=conf_level,
                # a Generator, not the int: SALib 1.6 ignores seed=0 (`if seed:`) and then
                # draws the bootstrap from NumPy's global state
                seed=np.random.default_rng(seed),
            )
    frame = pd.DataFrame(
        {
            "parameter": list(prob.names),
            **{k: np.asarray(si[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")},
        }
    )
    second = None
    if calc_second_order:
        rows = [
            (a, b, float(si["S2"][i, j]), float(si["S2_conf"][i, j]))
            for i, a in enumerate(prob.names)
            for j, b in enumerate(prob.names)
            if j > i
        ]
        second = pd.DataFrame(rows, columns=["parameter_1", "parameter_2", "S2", "S2_conf"])
    manifest = _manifest(
        prob,
        "sobol (SALib: Saltelli sample, Jansen/Saltelli estimators)",
        start,
        n=n,
        seed=seed,
        n_evaluations=len(y),
        calc_second_order=calc_second_order,
        conf_level=conf_level,
        num_resamples=num_resamples,
        notes=notes,
        **described,
    )
    return SensitivityResult("sobol", output, frame, manifest, prob.model, regime, second)


def morris(
    model: Any,
    regime: str | None,
    output: str,
    *,
    n: int = 100,
    vary: Sequence[str] | Mapping[str, Any] | None = None,
    fixed: Mapping[str, float] | None = None,
    seed: int = 0,
    backend: str = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
    num_levels: int = 4,
    conf_level: float = 0.95,
    num_resamples: int = 100,
) -> SensitivityResult:
    """Morris elementary-effects screening (μ, μ*, σ) of a scalar output.

    Same call shape as :func:`sobol`; `n` is the number of trajectories (the model is
    evaluated ``n (d + 1)`` times) on a grid of `num_levels` levels.  Effects are output
    changes per the parameter's whole range (SALib's unscaled elementary effects).

    Examples
    --------
    >>> r = morris("entry_deterrence", None, "commitment_margin", n=20, seed=0)
    >>> mu = r.frame.set_index("parameter")["mu"]  # per whole range: entrant_profit spans 9.9
    >>> mu[["entrant_profit", "fight_cost"]].round(6).tolist()
    [9.9, 0.0]
    """
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    start = time.perf_counter()
    prob = _problem(model, regime, output, vary, fixed)
    n = _check_n("n", n)
    problem = prob.salib()
    x = sample.sample(problem, n, num_levels=num_levels, seed=seed)
    y, described = _evaluate(prob, prob.full(x), backend, workers, scheduler)
    import pandas as pd

    # SALib's elementary effects are output changes per step in the unit hypercube, i.e.
    # per the parameter's whole range
    with np.errstate(all="ignore"):
        si = analyze.analyze(
            problem,
            x,
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=num_levels,
            seed=seed,
        )
    frame = pd.DataFrame(
        {
            "parameter": list(prob.names),
            **{
                k: np.asarray(si[k], dtype=float)
                for k in ("mu", "mu_star", "mu_star_conf", "sigma")
            },
        }
    )
    manifest = _manifest(
        prob,
        "morris (SALib: elementary effects)",
        start,
        n=n,
        seed=seed,
        n_evaluations=len(y),
        num_levels=num_levels,
        conf_level=conf_level,
        num_resamples=num_resamples,
        **described,
    )
    return SensitivityResult("morris", output, frame, manifest, prob.model, regime)


def tornado(
    model: Any,
    regime: str | None,
    output: str,
    *,
    vary: Sequence[str] | Mapping[str, Any] | None = None,
    fixed: Mapping[str, float] | None = None,
    backend: str = "auto",
    workers: int | None = None,
    scheduler: str | None = None,
) -> SensitivityResult:
    """One-at-a-time swings: the output with each parameter at its low and high bound.

    Same call shape as :func:`sobol` (no sample, so no `n` or `seed`).  The others stay
    at the base point (defaults with `fixed`); rows are sorted by absolute swing
    (``output_high - output_low``), largest first, ties in parameter order.

    Examples
    --------
    >>> r = tornado("entry_deterrence", None, "commitment_margin")
    >>> r.base_output, r.frame.parameter.tolist()[:2], r.frame.swing.tolist()[:2]
    (1.0, ['commitment_cost', 'entrant_profit'], [-10.0, 9.9])
    """
    start = time.perf_counter()
    prob = _problem(model, regime, output, vary, fixed)
    d = len(prob.names)
    x = np.tile(prob.base[list(prob.cols)], (2 * d + 1, 1))
    for j, (lo, hi) in enumerate(prob.bounds):
        x[2 * j, j], x[2 * j + 1, j] = lo, hi
    pts = np.tile(prob.base, (len(x), 1))
    pts[:, list(prob.cols)] = x
    y, described = _evaluate(prob, pts, backend, workers, scheduler)
    import pandas as pd

    lows, highs = y[0 : 2 * d : 2], y[1 : 2 * d : 2]
    frame = pd.DataFrame(
        {
            "parameter": list(prob.names),
            "low": [b[0] for b in prob.bounds],
            "high": [b[1] for b in prob.bounds],
            "output_low": lows,
            "output_high": highs,
            "swing": highs - lows,
        }
    )
    order = np.argsort(-np.abs(frame["swing"].to_numpy()), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    manifest = _manifest(
        prob,
        "tornado (one at a time, bounds)",
        start,
        n=len(y),
        seed=None,
        base_output=float(y[-1]),
        **described,
    )
    return SensitivityResult(
        "tornado", output, frame, manifest, prob.model, regime, base_output=float(y[-1])
    )
