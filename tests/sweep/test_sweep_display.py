"""A SweepResult in a notebook: a short repr, and HTML that parses (issue 15)."""

from html.parser import HTMLParser

import bargain as bg

VOID = {"br", "hr", "img", "meta", "input", "link", "col"}


class _Checker(HTMLParser):
    """Well-formedness: every tag closes in order; collects text and row count."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.rows = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "tr" and "tbody" in self.stack:
            self.rows += 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _check(html):
    p = _Checker()
    p.feed(html)
    p.close()
    assert p.errors == []
    assert p.stack == []
    return p


def test_grid_sweep_html_shows_the_head_and_the_summary():
    r = bg.sweep("withdrawal_sequencing", "withdraw_first", vary={"q": (0, 1, 11), "s": (0, 5, 6)})
    p = _check(r._repr_html_())
    text = " ".join(p.text)
    assert p.rows == 10  # the head only
    assert "56 more rows" in text
    for fact in ("withdrawal_sequencing", "withdraw_first", "q: 11 values in [0, 1]",
                 "s: 6 values in [0, 5]", r.manifest["backend"]):  # fmt: skip
        assert fact in text
    assert f"{r.manifest['seconds']:.3g} s" in text


def test_sample_sweep_repr_is_one_short_line():
    design = {"method": "sobol", "n": 64, "vary": ["commitment_cost"], "seed": 3}
    s = bg.sweep("entry_deterrence", "entry_commitment", outputs=["agreement"], sample=design)
    text = repr(s)
    assert "\n" not in text
    assert len(text) < 160
    assert text.startswith("<SweepResult entry_deterrence:entry_commitment: 64 points, sobol")
    assert "(seed 3)" in text
    p = _check(s._repr_html_())
    assert p.rows == 10


def test_small_sweep_shows_every_row_and_escapes_labels():
    r = bg.sweep("entry_deterrence", "entry_commitment", vary={"commitment_cost": (0, 4, 5)})
    p = _check(r._repr_html_())
    assert p.rows == 5
    assert "more rows" not in " ".join(p.text)
    assert "Commit -> Out" in " ".join(p.text)  # '>' escaped in the markup, read back


def test_bargain_namespace_has_no_internal_names():
    names = dir(bg)
    for internal in ("Any", "importlib", "TYPE_CHECKING", "annotations", "sys", "types"):
        assert internal not in names
    assert set(bg.__all__) <= set(names)
    assert "Reference" in names
