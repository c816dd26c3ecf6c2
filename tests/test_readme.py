"""The README states facts that the code must keep true."""

import re
from pathlib import Path

import bargain as bg

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_every_model_and_no_other():
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- models -->", 1)[1].split("<!-- /models -->", 1)[0]
    listed = re.findall(r"^- `([a-z_0-9]+)`", block, flags=re.MULTILINE)
    assert sorted(listed) == sorted(bg.list_models())
    assert len(listed) == len(set(listed))


def test_readme_points_at_the_architecture_page():
    text = README.read_text(encoding="utf-8")
    for path in ("docs/explanation/architecture.md", "CONTRIBUTING.md"):
        assert path in text
        assert (README.parent / path).is_file()
