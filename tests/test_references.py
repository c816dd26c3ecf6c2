"""Structured references, `bargain cite` and the BibTeX they write (issue 15)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import bargain as bg
from bargain.cli.main import main
from bargain.errors import BargainError, ModelError
from bargain.formats.references import Reference, bibtex_entries, bibtex_keys
from bargain.report.citations import bibliography_markdown

ROOT = Path(__file__).resolve().parents[1]
BIBTEX = shutil.which("bibtex")
PDFLATEX = shutil.which("pdflatex")


def _all_references():
    refs = []
    for name in bg.list_models():
        refs += [r for r in bg.load_model(name).references if r not in refs]
    return refs


def test_every_model_cites_structured_records():
    for name in bg.list_models():
        m = bg.load_model(name)
        assert m.references, name
        for r in m.references:
            assert isinstance(r, Reference)
            assert r.kind != "misc", f"{name}: {r.text()} is still free text"
            assert r.year is not None
            assert r.title or r.note


def test_plain_strings_still_load_as_misc_notes():
    m = bg.Model(
        "demo", "Demo", "", bg.load_model("entry_deterrence").parameters,
        bg.load_model("entry_deterrence").regimes,
        references=("Nash, J. (1950). The bargaining problem. Econometrica 18, 155-162.",),
    )  # fmt: skip
    (r,) = m.references
    assert (r.kind, r.year, r.title) == ("misc", 1950, None)
    assert r.text() == "Nash, J. (1950). The bargaining problem. Econometrica 18, 155-162."
    assert bibtex_keys([r]) == ["nash1950bargaining"]


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"title": "T", "kind": "paper"}, "unknown kind 'paper'"),
        ({"title": "T", "date": "27 June 2025"}, "not YYYY"),
        ({"title": "T", "date": "2025-13-01"}, "not YYYY"),
        ({"title": "T", "authors": "Nash, J."}, "tuple of names"),
        ({"year": 2000}, "needs a title or a note"),
        ({"title": "T", "key": "has space"}, "reference key"),
    ],
    ids=["kind", "date-words", "date-month", "authors-str", "empty", "key"],
)
def test_bad_records_are_refused(fields, match):
    with pytest.raises(BargainError, match=match):
        Reference(**fields)


def test_a_model_refuses_a_non_reference():
    m = bg.load_model("entry_deterrence")
    with pytest.raises(ModelError, match=r"references\[0\]"):
        bg.Model("demo", "Demo", "", m.parameters, m.regimes, references=(42,))


def test_keys_are_unique_and_the_same_record_has_the_same_key_everywhere():
    refs = _all_references()
    keys = bibtex_keys(refs)
    assert len(set(keys)) == len(refs)
    assert all(re.fullmatch(r"[a-z]+\d{4}[a-z0-9-]*", k) for k in keys), keys
    # a record cited by two models gets the key it has alone, whatever the list around it
    for r, k in zip(refs, keys, strict=True):
        assert bibtex_keys([r]) == [k] or "-" in k
    # two different records that would share a key are told apart, in any order
    a = Reference(kind="report", authors=("UN Group of Experts on the DRC",), year=2024,
                  title="Final report")  # fmt: skip
    b = Reference(kind="report", authors=("UN Group of Experts on the DRC",), year=2024,
                  title="Final report", symbol="S/2024/000")  # fmt: skip
    ab, ba = bibtex_keys([a, b]), bibtex_keys([b, a])
    assert ab[0] != ab[1]
    assert ab == ba[::-1]


def test_special_characters_are_escaped_and_braces_balance():
    r = Reference(kind="article", authors=("O'Neil, B.", "Smith & Sons"), year=2001,
                  title="Costs of 50% #1 deals_v2 in $ and {braces} ~ ^ \\",
                  container="J. R&D", pages="1–20")  # fmt: skip
    entry = bibtex_entries([r])
    assert r"50\%" in entry
    assert r"\#1" in entry
    assert r"deals\_v2" in entry
    assert r"\$" in entry
    assert r"\{braces\}" in entry
    assert r"J. R\&D" in entry
    assert "1--20" in entry
    assert "{Smith \\& Sons}" in entry  # a corporate author stays one name
    depth = 0
    for ch in re.sub(r"\\[{}]", "", entry):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0


def test_cite_prints_bibtex_text_and_json(capsys):
    assert main(["cite", "withdrawal_sequencing", "entry_deterrence"]) == 0
    out = capsys.readouterr().out
    keys = re.findall(r"^@\w+\{([^,]+),", out, flags=re.M)
    m = bg.load_model("withdrawal_sequencing")
    assert len(keys) == len(m.references) + len(bg.load_model("entry_deterrence").references)
    assert "selten1978chain" in keys
    assert "us2025washington" in keys
    assert main(["cite", "entry_deterrence", "--format", "text"]) == 0
    assert capsys.readouterr().out.startswith("Selten, R. (1978). The chain store paradox.")
    assert main(["cite", "nope_model"]) == 1


@pytest.mark.skipif(BIBTEX is None or PDFLATEX is None,
                    reason="bibtex/pdflatex not installed (apt-get install texlive-latex-recommended)")  # fmt: skip  # noqa: E501
@pytest.mark.parametrize("style", ["plain", "apalike"])
def test_every_key_of_every_model_compiles_with_bibtex(style, tmp_path):
    refs = _all_references()
    keys = bibtex_keys(refs)
    (tmp_path / "refs.bib").write_text(bibtex_entries(refs) + "\n", encoding="utf-8")
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\\usepackage{url}\\begin{document}\n"
        f"\\cite{{{','.join(keys)}}}\n\\bibliographystyle{{{style}}}\\bibliography{{refs}}\n"
        "\\end{document}\n"
    )

    def run(*cmd):
        return subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert run(PDFLATEX, "-interaction=nonstopmode", "doc.tex").returncode == 0
    bib = run(BIBTEX, "doc")
    assert bib.returncode == 0, bib.stdout
    assert "Warning" not in bib.stdout, bib.stdout
    assert "error" not in bib.stdout.lower(), bib.stdout
    bbl = (tmp_path / "doc.bbl").read_text()
    assert bbl.count("\\bibitem") == len(keys)
    for cmd in (PDFLATEX, PDFLATEX):
        done = run(cmd, "-interaction=nonstopmode", "-halt-on-error", "doc.tex")
        assert done.returncode == 0, done.stdout[-2000:]
    assert "Citation" not in done.stdout  # no undefined citation left


def test_report_writes_references_bib(tmp_path):
    from bargain.report import write_report

    written = write_report("entry_deterrence", tmp_path / "r", points=5, progress=False)
    bib = next(p for p in written if p.name == "references.bib")
    text = bib.read_text()
    assert text.count("@article{") == 2
    assert "selten1978chain" in text
    import json

    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert "references.bib" in json.dumps(manifest["files"])
    assert manifest["model"]["references"][0]["title"] == "The chain store paradox"


def test_bibliography_page_is_up_to_date(monkeypatch):
    monkeypatch.delenv("BARGAIN_MODELS_PATH", raising=False)
    page = ROOT / "docs" / "reference" / "bibliography.md"
    assert page.read_text(encoding="utf-8") == bibliography_markdown(), (
        "docs/reference/bibliography.md is out of date: run "
        "PYTHONPATH=src python docs/make_bibliography.py"
    )
