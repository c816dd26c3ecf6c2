"""Statistical backward induction for egame122 and egame123, without the tree walk.

The same starting values as :func:`bargain.estimate._strategic.start_values` (Bas,
Signorino & Walker 2008, *Political Analysis* 16(1): 21–40): each decision, deepest
first, is a binary regression of the mover's choice on their utilities weighted by
``w_t = P(t | second action) − P(t | first action)``, given the choice probabilities
already estimated below.  For these fixed trees the weights are written out, so the
NumPy backward pass over the tree at every decision is not needed (on 1,000 rows it
took more time than the regressions).
"""

from __future__ import annotations

import numpy as np

from bargain.estimate._fit import binary_regression
from bargain.estimate._links import link_cdf

__all__ = ["shape_start_values"]

_SQRT2 = np.sqrt(2.0)


class _Start:
    def __init__(self, model, y, mats):
        self.model, self.y, self.mats = model, y, mats
        self.theta = np.zeros(model.k)

    def util(self, p, t):
        """Player `p`'s utility at leaf `t` under the values estimated so far."""
        v = np.full(len(self.y), float(self.model.ct.payoffs[p, t]))
        for j, slot in enumerate(self.model.slots):
            if tuple(slot) == (p, t):
                v = v + self.mats[j] @ self.theta[self.model.slices[j]]
        return v

    def prob(self, p, w):
        """The chance of the second action: ``F(Σ_t w_t V[p, t] / √2)``."""
        return link_cdf(self.model.link, sum(wt * self.util(p, t) for t, wt in w.items()) / _SQRT2)

    def regress(self, p, w, reached, target):
        """Player `p`'s slots below this decision, from their choices on `reached` rows."""
        model = self.model
        blocks, which = [], []
        for j, (pp, t) in enumerate(model.slots):
            if pp == p and t in w:
                wt = w[t]
                blocks.append(wt[:, None] * self.mats[j] if np.ndim(wt) else wt * self.mats[j])
                which.append(j)
        if not which or not reached.any():
            return
        offset = sum(wt * self.util(p, t) for t, wt in w.items())
        offset = np.broadcast_to(offset, self.y.shape)[reached]
        X = np.hstack(blocks)[reached]
        c = binary_regression(X, target[reached].astype(float), model.link, offset=offset / _SQRT2)
        pos = 0
        for j in which:
            sl = model.slices[j]
            self.theta[sl] = _SQRT2 * c[pos : pos + (sl.stop - sl.start)]
            pos += sl.stop - sl.start


def shape_start_values(model, y, mats) -> np.ndarray:
    """The two-step starting values of an egame122 or egame123 :class:`TreeModel`.

    Examples
    --------
    >>> from bargain.datasets import load_data_122
    >>> from bargain.estimate import egame122
    >>> from bargain.estimate._strategic import start_values
    >>> fit = egame122("y ~ x1 | 1 | 0 | x4 | z1 | z3", load_data_122())
    >>> m, y = fit._model, fit._y
    >>> a = shape_start_values(m, y, fit._matrices)
    >>> m.shape = None  # the generic tree walk gives the same values
    >>> bool(abs(a - start_values(m, y, fit._matrices)).max() < 1e-10)
    True
    """
    y = np.asarray(y)
    s = _Start(model, y, mats)
    everyone = np.ones(len(y), dtype=bool)
    if model.shape == "egame122":  # leaves LL, LR, RL, RR; player 2 moves after L and R
        s.regress(1, {0: -1.0, 1: 1.0}, y <= 1, y == 1)
        s.regress(1, {2: -1.0, 3: 1.0}, y >= 2, y == 3)
        p_l = s.prob(1, {0: -1.0, 1: 1.0})
        p_r = s.prob(1, {2: -1.0, 3: 1.0})
        s.regress(0, {0: -(1.0 - p_l), 1: -p_l, 2: 1.0 - p_r, 3: p_r}, everyone, y >= 2)
    else:  # egame123: leaves L, RL, RRL, RRR; players 1, 2, 3 in turn
        s.regress(2, {2: -1.0, 3: 1.0}, y >= 2, y == 3)
        p3 = s.prob(2, {2: -1.0, 3: 1.0})
        w2 = {1: -1.0, 2: 1.0 - p3, 3: p3}
        s.regress(1, w2, y >= 1, y >= 2)
        p2 = s.prob(1, w2)
        s.regress(0, {0: -1.0, 1: 1.0 - p2, 2: p2 * (1.0 - p3), 3: p2 * p3}, everyone, y >= 1)
    return s.theta
