"""Write docs/reference/bibliography.md from the models' Reference records.

Run from the repository root: ``PYTHONPATH=src python docs/make_bibliography.py``.
``tests/test_references.py`` fails when the page is out of date.
"""

from pathlib import Path

from bargain.report.citations import bibliography_markdown

PAGE = Path(__file__).resolve().parent / "reference" / "bibliography.md"


def main() -> None:
    """Write the page and print its path."""
    PAGE.write_text(bibliography_markdown(), encoding="utf-8")
    print(PAGE)


if __name__ == "__main__":
    main()
