"""The main job: a model's paper bundle (tables, conditions, figures, manifest).

:func:`write_report` writes the bundle that ``bargain report MODEL --out DIR`` writes,
whole or not at all (see :mod:`bargain.formats.files`).

Examples
--------
>>> import tempfile
>>> from bargain.report import write_report
>>> [p.name for p in write_report("entry_deterrence", tempfile.mkdtemp(), points=11,
...                               progress=False)][-1]
'manifest.json'
"""

from bargain.report.bundle import write_report
from bargain.report.equilibria import equilibria_table

__all__ = ["equilibria_table", "write_report"]
