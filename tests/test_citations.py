"""Every literature citation in the tree has a row in the citation audit.

``tools/citations.py`` lists the author-year citations of ``src/``, ``models/``, ``docs/``,
``examples/``, ``tests/``, ``benchmarks/``, ``README.md`` and ``CONTRIBUTING.md``;
``docs/reference/citations.md`` records, for each, the source it was checked against.  A
citation added without an audit row fails here, so new references get checked.  No network.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def citations():
    spec = importlib.util.spec_from_file_location("citations", ROOT / "tools" / "citations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_citation_in_the_tree_is_in_the_audit_table(citations):
    known = citations.audited_keys()
    missing = {}
    for key, rel, line, _ in citations.citations():
        if key not in known:
            missing.setdefault(key, []).append(f"{rel}:{line}")
    assert not missing, (
        "cited but not audited in docs/reference/citations.md (check the reference and add "
        f"a row): {missing}"
    )


def test_the_listing_finds_known_citations_with_their_places(citations):
    # the listing must see citations in every form the tree uses, or the check above
    # would pass vacuously: a bare year, a parenthesised year after a possessive, a
    # reference-list entry, a citation broken across comment lines, an abbreviation
    found = {(key, rel) for key, rel, _, _ in citations.citations()}
    for key, rel in [
        ("Signorino 2003", "src/bargain/estimate/_egame12_lik.py"),
        ("Fearon 1995", "src/bargain/bargaining/war.py"),
        ("Binmore, Shaked & Sutton 1989", "docs/explanation/bargaining.md"),
        ("Fudenberg & Tirole 1991", "tests/solvers/test_dominance.py"),
        ("Mas-Colell, Whinston & Green 1995", "tests/solvers/test_sequence_form.py"),
        ("Harsanyi 1967–68", "src/bargain/games/bayesian.py"),
    ]:
        assert (key, rel) in found, (key, rel)


def test_dates_of_the_case_record_are_not_taken_for_citations(citations):
    keys = {key for key, *_ in citations.citations()}
    assert not {k for k in keys if k.split()[0] in {"June", "April", "Reuters", "UN", "Congo"}}


def test_the_audit_table_lists_each_key_once_with_a_verdict(citations):
    rows = citations.audit_rows()
    keys = [row[0] for row in rows]
    assert len(keys) > 50
    assert len(keys) == len(set(keys))
    verdicts = {"verified", "verified (secondary)", "partly verified", "corrected", "unverified"}
    for row in rows:
        assert len(row) == 5, row
        assert row[3] in verdicts, row
        assert row[4], row  # a source seen, or why none was
