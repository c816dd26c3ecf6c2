"""Structural estimation of strategic (extensive-form) models: strategic probit and logit.

The Python counterpart of the R package ``games`` (Kenkel & Signorino 2014, "Estimating
extensive form games in R", *Journal of Statistical Software* 56(8)): the utilities at the
end of a game tree are linear in regressors, players choose with random (agent or
private-information) errors, and the parameters are fitted by maximum likelihood on the
outcomes (Signorino 1999, *American Political Science Review* 93(2): 279–297; Signorino
2003, *Political Analysis* 11: 316–344).

Examples
--------
>>> from bargain import datasets, estimate
>>> fit = estimate.egame12("esc + war ~ s_wt_re1 + revis1 | 0 | regime1 | balanc + regime2",
...                        datasets.load_war1800())
>>> fit.nobs, round(fit.llf, 4)
(282, -286.1238)
"""

from __future__ import annotations

from bargain.estimate._egame12 import egame12
from bargain.estimate._fit import EstimationWarning
from bargain.estimate._named_games import egame122, egame123
from bargain.estimate._qre import QREResults, logit_qre
from bargain.estimate._strategic import strategic
from bargain.estimate._ultimatum import ultimatum
from bargain.estimate.inference import (
    NonNestedTest,
    bootstrap,
    clarke,
    predicted_probabilities,
    vuong,
)
from bargain.estimate.latex import latex_table
from bargain.estimate.plots import plot_probabilities
from bargain.estimate.results import StrategicResults

__all__ = [
    "EstimationWarning",
    "NonNestedTest",
    "QREResults",
    "StrategicResults",
    "bootstrap",
    "clarke",
    "egame12",
    "egame122",
    "egame123",
    "latex_table",
    "logit_qre",
    "plot_probabilities",
    "predicted_probabilities",
    "strategic",
    "ultimatum",
    "vuong",
]
