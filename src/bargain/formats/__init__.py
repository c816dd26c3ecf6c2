"""Output formats shared by sweeps, reports and estimates.

* :mod:`bargain.formats.tables` — a table as booktabs LaTeX, Markdown or CSV;
* :mod:`bargain.formats.manifest` — the provenance record written beside every table;
* :mod:`bargain.formats.files` — atomic files and bundles that are whole or marked
  unfinished.

They sit low in the house (they import only :mod:`bargain.errors`), so that the sweep
engine and the report, which stands above it, can both write.
"""
