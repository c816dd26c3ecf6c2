"""List the literature citations in the tree, with file:line, so the audit can be repeated.

A citation is an author–year reference: one or more surnames (joined by ``,``, ``&``,
``and`` or an en dash, optionally ``et al.``, optionally possessive) followed by a year,
bare or in parentheses, e.g. ``Signorino 2003``, ``Fearon (1995)``, ``Fearon's (1995)``,
``McKelvey & Palfrey 1995, 1998``, ``Binmore, Shaked & Sutton (1989)``.  A reference that
breaks across lines (or across ``#`` comment lines) is joined before matching.  Each match
is reduced to a *key* (``"Binmore, Shaked & Sutton 1989"``) after :data:`ALIASES`; the keys
are what the audit table ``docs/reference/citations.md`` lists, and
``tests/test_citations.py`` fails when the tree cites a key the table does not have.

Usage (from the repository root)::

    python tools/citations.py              # every place: key <TAB> file:line <TAB> text
    python tools/citations.py --keys       # the distinct keys, with a count of places
    python tools/citations.py --check      # exit 1 if a key is missing from the audit table

Only the standard library is used, and nothing is imported from ``bargain``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: what is scanned (relative to the repository root)
SCAN = ("src", "models", "docs", "examples", "tests", "benchmarks", "README.md", "CONTRIBUTING.md")
SUFFIXES = {".py", ".md", ".txt", ".toml", ".cfg", ".R", ".efg", ".nfg"}
#: the audit itself, this script and its test quote keys as data, not as citations
EXCLUDE = {
    "docs/reference/citations.md",
    "tools/citations.py",
    "tests/test_citations.py",
}
AUDIT = ROOT / "docs" / "reference" / "citations.md"

_PARTICLE = r"(?:(?:von|van|den|der|de|di|du|le|la)\s+)"
_NAME = r"[A-Z][a-zà-ÿ]*(?:[A-Z][a-zà-ÿ]+)?(?:[-'’][A-Z][a-zà-ÿ]+)?"
_SURNAME = rf"{_PARTICLE}*{_NAME}"
_SEP = r"(?:\s*,\s*and\s+|\s*,\s*&\s*|\s*,\s*|\s*&\s*|\s+and\s+|\s*–\s*)"
_YEAR = r"(?:1[5-9]\d\d|20[0-2]\d)"
CITATION = re.compile(
    rf"(?<![\w.-])(?P<authors>{_SURNAME}(?:{_SEP}{_SURNAME})*(?:\s+et\s+al\.?)?)"
    rf"(?:['’]s)?\s*,?\s*\(?\s*(?P<years>{_YEAR}(?:[a-z]|[–-]\d\d)?"
    rf"(?:\s*,\s*{_YEAR}[a-z]?)*)(?![\d])"
)
_INITIALS = r"(?:[A-Z][a-z]?\.(?:\s*-?[A-Z]\.)*)"
#: a reference-list entry: ``Binmore, K., Shaked, A. & Sutton, J. (1989).``
REFERENCE = re.compile(
    rf"(?<![\w.-])(?P<authors>{_SURNAME},\s*{_INITIALS}"
    rf"(?:(?:\s*,\s*&?\s*|\s*&\s*|\s+and\s+){_SURNAME},\s*{_INITIALS})*)"
    rf"\s*\((?P<years>{_YEAR}(?:[a-z]|[–-]\d\d)?(?:\s*,\s*{_YEAR}[a-z]?)*)\)"
)
#: abbreviations used for a reference
ABBREVIATION = re.compile(rf"\b(?P<authors>MWG|BRW|BSS)\s*\(?(?P<years>{_YEAR})\b")

#: words that precede a year without being an author (dates, ranges, places, bodies)
NOT_AUTHORS = set(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Disputes Experts State Survey Affairs Accords MFA Reuters Agreement Principles Framework
    Interview Final Congo Group Doha Washington Kigali DRC UN U S
    Python Copyright In Since From Until Before After The A See
    """.split()
)
#: keys written differently in different places -> the key the audit lists
ALIASES = {
    "MWG 1995": "Mas-Colell, Whinston & Green 1995",
    "BRW 1986": "Binmore, Rubinstein & Wolinsky 1986",
    "BSS 1989": "Binmore, Shaked & Sutton 1989",
    "Binmore et al. 1986": "Binmore, Rubinstein & Wolinsky 1986",
    "Binmore et al. 1989": "Binmore, Shaked & Sutton 1989",
    "Singer 1996": "Jones, Bremer & Singer 1996",
    "Smith 1982": "Maynard Smith 1982",
    "Harsanyi 1967-68": "Harsanyi 1967–68",
}


def _files() -> list[Path]:
    out = []
    for item in SCAN:
        path = ROOT / item
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts:
                    out.append(p)
    return [p for p in out if p.relative_to(ROOT).as_posix() not in EXCLUDE]


def _joined(text: str) -> tuple[str, list[int]]:
    """The text with each line break (and the next line's indent and ``#``/quote marks)
    turned into one space, and the line number of every character of the result."""
    chars: list[str] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.strip()
        body = re.sub(r'^(?:#+:?|\*|-|>|"+|\'+|r?f?")\s*', "", body)
        body = re.sub(r'"\s*$', "", body)
        if chars:
            chars.append(" ")
            lines.append(number)
        chars.extend(body)
        lines.extend([number] * len(body))
    return "".join(chars), lines


def _authors_key(authors: str) -> str:
    authors = re.sub(r"\s+", " ", authors.strip())
    etal = authors.endswith(("et al.", "et al"))
    authors = re.sub(r"\s+et al\.?$", "", authors)
    names = [n.strip() for n in re.split(_SEP, authors) if n.strip()]
    if etal:
        return f"{names[0]} et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " & " + names[-1]


def _trim(authors: str) -> str:
    """Drop leading words that are not surnames (a sentence's first word, a month)."""
    parts = re.split(rf"({_SEP})", authors)
    # parts alternates name, separator, name ...; drop leading names that are stop words
    while parts and re.split(r"[\s–-]", parts[0].strip())[0] in NOT_AUTHORS:
        parts = parts[2:]
    return "".join(parts)


def citations() -> list[tuple[str, str, int, str]]:
    """Every citation as ``(key, file, line, text)``, in file order."""
    found = []
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        joined, lines = _joined(text)
        rel = path.relative_to(ROOT).as_posix()
        seen: set[int] = set()
        matches = [(m, True) for m in REFERENCE.finditer(joined)]
        matches += [(m, False) for m in CITATION.finditer(joined)]
        matches += [(m, False) for m in ABBREVIATION.finditer(joined)]
        for m, listed in matches:
            if m.end("years") in seen:  # a reference-list entry, already counted
                continue
            seen.add(m.end("years"))
            if listed:
                names = re.findall(rf"({_SURNAME}),\s*{_INITIALS}", m.group("authors"))
                authors = " & ".join(names)
            else:
                authors = _trim(m.group("authors"))
            if not authors or re.split(r"[\s–-]", authors.split()[-1])[0] in NOT_AUTHORS:
                continue
            if any(n.strip() in NOT_AUTHORS for n in re.split(_SEP, authors)):
                continue
            key_authors = _authors_key(authors)
            years = re.split(r"\s*,\s*", m.group("years"))
            for year in years:
                key = f"{key_authors} {year}"
                key = ALIASES.get(key, key)
                line = lines[m.start("authors")]
                found.append((key, rel, line, joined[m.start() : m.end()]))
    found.sort(key=lambda f: (f[1], f[2]))
    return found


def audit_rows(audit: Path = AUDIT) -> list[list[str]]:
    """The rows of the table under the audit's ``## References`` heading, as cells."""
    rows, inside = [], False
    for line in audit.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = line.strip() == "## References"
        elif inside and line.startswith("| `"):
            rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
    return rows


def audited_keys(audit: Path = AUDIT) -> set[str]:
    """The keys in the first column of the audit table (between backticks)."""
    return {row[0].strip("`") for row in audit_rows(audit)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", action="store_true", help="distinct keys with counts")
    parser.add_argument("--check", action="store_true", help="fail on keys not audited")
    args = parser.parse_args(argv)
    found = citations()
    if args.check:
        missing = defaultdict(list)
        known = audited_keys()
        for key, rel, line, _ in found:
            if key not in known:
                missing[key].append(f"{rel}:{line}")
        for key, places in sorted(missing.items()):
            print(f"not in {AUDIT.relative_to(ROOT)}: {key!r} at {', '.join(places)}")
        return 1 if missing else 0
    if args.keys:
        counts: dict[str, int] = defaultdict(int)
        for key, *_ in found:
            counts[key] += 1
        for key in sorted(counts, key=lambda k: (k.split()[-1], k)):
            print(f"{counts[key]:4d}  {key}")
        return 0
    for key, rel, line, text in found:
        print(f"{key}\t{rel}:{line}\t{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
