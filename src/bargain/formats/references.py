"""Structured references: the sources a model rests on, as records a paper can cite.

A :class:`Reference` holds what a citation needs (authors, title, year or date, the
journal, newspaper or series it appeared in, publisher or institution, a document symbol
such as a UN ``S/2025/...``, a URL and a note) and nothing is guessed: a field the source
does not give stays ``None`` and is left out of the BibTeX entry.  :func:`bibtex_entries`
writes the entries of a list of references with stable, unique keys; ``Reference.text``
is the one-line form that ``bargain show`` prints.

Authors are written ``"Last, F."``; a name without a comma is a corporate author
(``"U.S. Department of State"``) and is braced in BibTeX so that it is not split into
first and last names.

Examples
--------
>>> r = Reference(kind="article", authors=("Rubinstein, A.",), year=1982,
...               title="Perfect equilibrium in a bargaining model", container="Econometrica",
...               volume="50", number="1", pages="97-109")
>>> r.text()
'Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica 50(1), 97-109.'
>>> print(bibtex_entries([r]))
@article{rubinstein1982perfect,
  author = {Rubinstein, A.},
  title = {Perfect equilibrium in a bargaining model},
  journal = {Econometrica},
  year = {1982},
  volume = {50},
  number = {1},
  pages = {97--109}
}
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from bargain.errors import BargainError

__all__ = ["KINDS", "Reference", "as_reference", "bibtex_entries", "bibtex_keys"]

#: reference kinds and the BibTeX entry type each is written as
KINDS = {
    "article": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "document": "misc",  # official documents: agreements, declarations, UN documents
    "news": "misc",
    "misc": "misc",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_STOP = {"a", "an", "the", "on", "of", "and", "in", "to", "for", "with", "as", "is"}


@dataclass(frozen=True)
class Reference:
    """One source: the fields of a citation, each absent (``None``) when unknown.

    Parameters
    ----------
    title : str, optional
    authors : sequence of str
        ``"Last, F."`` each; a name without a comma is a corporate author.
    year : int or str, optional
        ``1982``, or a range ``"1967-1968"``; derived from `date` when absent.
    date : str, optional
        ISO date ``"2025-06-27"`` or month ``"2025-06"``.
    kind : str
        One of :data:`KINDS`: ``article``, ``book``, ``chapter``, ``report``,
        ``document``, ``news``, ``misc``.
    container : str, optional
        Journal (article), book title (chapter), newspaper or agency (news), series.
    volume, number, pages : str, optional
        ``number`` is the issue.
    publisher : str, optional
        Publisher (book), institution (report), issuing body (document).
    symbol : str, optional
        Document symbol (``"S/2025/446"``).
    url, note : str, optional
    key : str, optional
        BibTeX key; derived from the first author, year and title when absent.

    Examples
    --------
    >>> Reference(kind="document", authors=("U.S. Department of State",),
    ...           title="Washington Peace Agreement", date="2025-06-27").text()
    'U.S. Department of State (2025). Washington Peace Agreement. 27 June 2025.'
    """

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | str | None = None
    date: str | None = None
    kind: str = "misc"
    container: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    publisher: str | None = None
    symbol: str | None = None
    url: str | None = None
    note: str | None = None
    key: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.authors, str):
            raise BargainError(f"reference {self.title!r}: authors must be a tuple of names")
        object.__setattr__(self, "authors", tuple(self.authors))
        if self.kind not in KINDS:
            raise BargainError(
                f"reference {self.title!r}: unknown kind {self.kind!r}; kinds: {', '.join(KINDS)}"
            )
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("authors", "year") or value is None:
                continue
            if not isinstance(value, str):
                raise BargainError(f"reference {self.title!r}: {f.name} must be text")
        if self.date is not None:
            m = _DATE.match(self.date)
            if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12):
                raise BargainError(
                    f"reference {self.title!r}: date {self.date!r} is not YYYY, YYYY-MM or "
                    "YYYY-MM-DD"
                )
            if self.year is None:
                object.__setattr__(self, "year", int(m.group(1)))
        if self.key is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9:_-]*", self.key):
            raise BargainError(f"reference key {self.key!r}: letters, digits, ':', '_', '-'")
        if not (self.title or self.note):
            raise BargainError("a reference needs a title or a note")

    @classmethod
    def from_text(cls, text: str) -> Reference:
        """A free-text reference (the older ``references=("...",)`` form): a ``misc``
        note, its year taken from the first four-digit number in it.

        Examples
        --------
        >>> Reference.from_text("Selten (1978). The chain store paradox.").year
        1978
        """
        year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)
        return cls(kind="misc", note=text, year=int(year.group(1)) if year else None)

    def to_dict(self) -> dict[str, Any]:
        """The set fields, for JSON (``authors`` as a list).

        Examples
        --------
        >>> Reference(title="T", year=2000).to_dict()
        {'title': 'T', 'year': 2000, 'kind': 'misc'}
        """
        out = {k: v for k, v in asdict(self).items() if v not in (None, ())}
        if "authors" in out:
            out["authors"] = list(out["authors"])
        return out

    def _month_day(self) -> tuple[int | None, int | None]:
        if self.date is None:
            return None, None
        m = _DATE.match(self.date)
        assert m is not None  # checked in __post_init__
        return (int(m.group(2)) if m.group(2) else None, int(m.group(3)) if m.group(3) else None)

    def day_text(self) -> str | None:
        """The date in words when it has a month (``27 June 2025``), else None."""
        month, day = self._month_day()
        if month is None:
            return None
        year = self.date[:4] if self.date else ""
        return (
            f"{day} {_MONTH_NAMES[month - 1]} {year}"
            if day
            else f"{_MONTH_NAMES[month - 1]} {year}"
        )

    def text(self) -> str:
        """The reference on one line, author-year style (see the module example)."""
        if not (self.authors or self.title or self.container) and self.note:
            return self.note  # free text, as the model gave it
        who = _join_names(self.authors) if self.authors else (self.container or "")
        head = f"{who} ({self.year})." if self.year is not None else f"{who}."
        parts = [head.strip()] if who or self.year is not None else []
        if self.title:
            parts.append(self.title.rstrip(".") + ".")
        where = self.container if self.authors or self.kind == "chapter" else None
        if self.kind == "article" and where:
            vol = f" {self.volume}" if self.volume else ""
            vol += f"({self.number})" if self.number and self.volume else ""
            pages = f", {self.pages}" if self.pages else ""
            parts.append(f"{where}{vol}{pages}.")
        elif where:
            parts.append(f"{where}.")
        if self.publisher and self.publisher != who:
            parts.append(f"{self.publisher}.")
        for extra in (self.symbol, self.day_text(), self.note, self.url):
            if extra:
                parts.append(extra.rstrip(".") + ".")
        return " ".join(parts)

    def __str__(self) -> str:
        return self.text()


def as_reference(item: Any, *, where: str = "references") -> Reference:
    """`item` as a :class:`Reference`: records pass, a string becomes a ``misc`` note.

    Examples
    --------
    >>> as_reference("Nash, J. (1950). The bargaining problem.").kind
    'misc'
    """
    if isinstance(item, Reference):
        return item
    if isinstance(item, str) and item.strip():
        return Reference.from_text(item.strip())
    raise BargainError(f"{where}: expected a Reference or a non-empty string, got {item!r}")


def _join_names(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " & " + names[-1]


def _ascii_word(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _keyword(word: str) -> bool:
    return len(word) > 1 and not word.isdigit() and word.lower() not in _STOP


def _base_key(ref: Reference) -> str:
    if ref.key:
        return ref.key
    if ref.authors:
        first = ref.authors[0]
        who = first.split(",")[0] if "," in first else first.split()[0]
    else:
        who = (ref.container or ref.publisher or (ref.note or "ref").split()[0]).split()[0]
    who = _ascii_word(who) or "ref"
    year = re.match(r"\d{4}", str(ref.year)) if ref.year is not None else None
    words = re.findall(r"[A-Za-z0-9]+", ref.title or ref.note or "")
    if not ref.title and words and _ascii_word(words[0]) == who:
        words = words[1:]  # a free-text note starts with its author
    word = next((_ascii_word(w) for w in words if _keyword(w)), "")
    return f"{who}{year.group(0) if year else ''}{word}"


def bibtex_keys(references: Iterable[Reference]) -> list[str]:
    """A key per reference, unique in the list, the same for the same record anywhere.

    Keys are ``author`` + ``year`` + first word of the title (``rubinstein1982perfect``).
    Distinct records that would share a key get a suffix from a hash of their content,
    so a key does not depend on the order of the list.  Equal records share one key.

    Examples
    --------
    >>> a = Reference(title="Final report", authors=("Group of Experts",), year=2024)
    >>> b = Reference(title="Final report", authors=("Group of Experts",), year=2024,
    ...               note="annexes")
    >>> k = bibtex_keys([a, b, a])
    >>> k[0] == k[2] != k[1], k[0].startswith("group2024final")
    (True, True)
    """
    refs = list(references)
    base = [_base_key(r) for r in refs]
    distinct: dict[str, set[Reference]] = {}
    for r, k in zip(refs, base, strict=True):
        distinct.setdefault(k, set()).add(r)
    out = []
    for r, k in zip(refs, base, strict=True):
        if len(distinct[k]) > 1 and not r.key:
            k += "-" + hashlib.sha1(repr(r.to_dict()).encode()).hexdigest()[:4]
        out.append(k)
    seen: dict[str, Reference] = {}
    for r, k in zip(refs, out, strict=True):
        if seen.setdefault(k, r) != r:
            raise BargainError(f"two different references have the key {k!r}")
    return out


_ESCAPE = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
           "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
           "^": r"\textasciicircum{}", "–": "--", "—": "---", "‘": "`", "’": "'",
           "“": "``", "”": "''", "…": r"\ldots{}", "\u00a0": "~"}  # fmt: skip


def bib_escape(text: str) -> str:
    """`text` as the value of a BibTeX field: TeX's special characters escaped.

    Examples
    --------
    >>> print(bib_escape("R&D: 50% of $x_1$ – {sic}"))
    R\\&D: 50\\% of \\$x\\_1\\$ -- \\{sic\\}
    """
    return "".join(_ESCAPE.get(ch, ch) for ch in text)


def _protect(title: str) -> str:
    """Braces around words with capitals a style must not lowercase (``{Nash}``)."""
    out = []
    for k, word in enumerate(title.split(" ")):
        caps = any(c.isupper() for c in (word[1:] if k == 0 else word))
        out.append(f"{{{bib_escape(word)}}}" if caps else bib_escape(word))
    return " ".join(out)


def _range(text: str) -> str:
    return bib_escape(re.sub(r"(?<=\d)\s*[-–]\s*(?=\d)", "--", text)).replace("---", "--")


def _author(name: str) -> str:
    return bib_escape(name) if "," in name else "{" + bib_escape(name) + "}"


def _entry(ref: Reference, key: str) -> str:
    kind = KINDS[ref.kind]
    f: list[tuple[str, str]] = []
    container_name = ref.container
    if ref.authors:
        f.append(("author", " and ".join(_author(a) for a in ref.authors)))
    elif ref.kind == "news" and ref.container:  # no byline: the agency stands as author
        f.append(("author", _author(ref.container)))
        container_name = None
    if ref.title:
        f.append(("title", _protect(ref.title)))
    container = {"article": "journal", "incollection": "booktitle"}.get(kind, "howpublished")
    if kind == "techreport":
        container = "type" if ref.container else container
    if container_name and kind != "book":
        f.append((container, bib_escape(container_name)))
    if ref.publisher:
        field = {"techreport": "institution", "book": "publisher", "incollection": "publisher"}
        name = field.get(kind, "organization")
        if kind == "misc" and not ref.container:
            name = "howpublished"
        f.append((name, bib_escape(ref.publisher)))
    if ref.year is not None:
        f.append(("year", _range(str(ref.year))))
    month, _ = ref._month_day()
    if month:
        f.append(("month", _MONTHS[month - 1]))
    for name in ("volume", "number", "pages"):
        value = getattr(ref, name)
        if value:
            f.append((name, _range(value) if name == "pages" else bib_escape(value)))
    notes = []
    if ref.symbol:
        if kind == "techreport" and not ref.number:
            f.append(("number", bib_escape(ref.symbol)))
        else:
            notes.append(f"UN document {ref.symbol}" if ref.symbol.startswith("S/") else ref.symbol)
    if ref.date and ref._month_day()[1] and kind == "misc":
        notes.append(ref.day_text() or "")
    if ref.note:
        notes.append(ref.note)
    if notes:
        f.append(("note", bib_escape(". ".join(n.rstrip(".") for n in notes) + ".")))
    if ref.url:
        f.append(("url", ref.url.replace("%", r"\%").replace("#", r"\#")))
    if all(name != "author" for name, _ in f):  # the sort key styles ask for
        f.append(("key", bib_escape(ref.container or ref.publisher or ref.note or key)))
    # a month is BibTeX's macro (jan, feb, ...), which styles print as the month's name
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in f
    )
    return f"@{kind}{{{key},\n{body}\n}}"


def bibtex_entries(references: Iterable[Any]) -> str:
    """The BibTeX entries of `references` (records or strings), duplicates once.

    Examples
    --------
    >>> print(bibtex_entries(["Nash, J. (1950). The bargaining problem."]))
    @misc{nash1950bargaining,
      year = {1950},
      note = {Nash, J. (1950). The bargaining problem.},
      key = {Nash, J. (1950). The bargaining problem.}
    }
    """
    refs = [as_reference(r) for r in references]
    keys = bibtex_keys(refs)
    out, done = [], set()
    for r, k in zip(refs, keys, strict=True):
        if k not in done:
            done.add(k)
            out.append(_entry(r, k))
    return "\n\n".join(out)
