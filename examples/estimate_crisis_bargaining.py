"""Fit the crisis-bargaining game of Signorino (2003) to the 1816–1899 disputes.

The egame12 example of the R package ``games`` (Kenkel & Signorino 2014, *Journal of
Statistical Software* 56(8)): player 1 keeps the status quo or escalates, player 2 backs
down or fights.  Fits the probit and logit agent-error models and the private-information
model, prints the first fit's summary and a side-by-side LaTeX table, and writes the table
and a figure of the outcome probabilities as player 2's regime varies, with 95% delta-method
bands (``war1800_regime2.pdf`` and ``.png``, 300 dpi).

Run ``python examples/estimate_crisis_bargaining.py [OUTDIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from bargain.datasets import load_war1800  # noqa: E402
from bargain.estimate import (  # noqa: E402
    egame12,
    latex_table,
    plot_probabilities,
    predicted_probabilities,
)

FORMULA = "esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2"
#          y: escalate, war  u11 (status quo) u13  u14 (war, 1)  u24 (war, 2)


def main(outdir: Path) -> None:
    war = load_war1800()
    fits = {
        "Probit, agent": egame12(FORMULA, war),
        "Logit, agent": egame12(FORMULA, war, link="logit"),
        "Probit, private": egame12(FORMULA, war, type="private"),
    }
    first = fits["Probit, agent"]
    print(first.summary())
    print()
    table = latex_table(
        list(fits.values()),
        model_names=list(fits),
        stars=True,
        caption="Strategic models of crisis bargaining, 1816-1899",
        label="tab:war1800",
    )
    print(table)
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "war1800_egame12.tex").write_text(table + "\n")
    print(f"\nwrote {outdir / 'war1800_egame12.tex'}")
    curve = predicted_probabilities(first, "regime2", ci=0.95, method="delta")
    print(curve.round(3).to_string(index=False))
    plot_probabilities(
        curve, outdir / "war1800_regime2", title="Crisis outcomes by player 2's regime"
    )
    print(f"wrote {outdir / 'war1800_regime2.pdf'} and .png")


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
