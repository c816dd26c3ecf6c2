"""Parameter sweeps: designs, evaluation backends, checkpoints, sensitivity indices, plots.

``bargain.sweep`` is both this package and the function :func:`bargain.sweep.core.sweep`:
the module is callable, so ``bg.sweep(model, regime, vary=...)`` works however the
package was imported.
"""

import sys
import types

from bargain.sweep.core import SweepResult, sweep

__all__ = ["SweepResult", "sweep"]


class _CallableModule(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
