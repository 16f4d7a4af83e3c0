"""README.rst, generated from readme/*.md, is reStructuredText through and
through: no Markdown left in it (a heading without a blank line before it
stays "##" text in some pandoc versions), and docutils reads it cleanly."""

import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.rst").read_text()


def test_no_markdown_heading_or_fence_left():
    assert not re.search(r"(^|\s)#{2,6}(\s|$)", README, re.MULTILINE)
    assert not re.search(r"^\s*(`{3}|~{3})", README, re.MULTILINE)


def test_every_fragment_heading_has_a_blank_line_before_it():
    for fragment in sorted((ROOT / "readme").glob("*.md")):
        lines = fragment.read_text().splitlines()
        for number, line in enumerate(lines[1:], start=2):
            if line.startswith("#"):
                assert not lines[number - 2].strip(), f"{fragment.name}:{number}"


def test_docutils_reads_it_without_a_warning():
    docutils = pytest.importorskip("docutils.core")
    warnings = io.StringIO()
    docutils.publish_doctree(
        README, settings_overrides={"warning_stream": warnings, "report_level": 2}
    )
    assert not warnings.getvalue()


def test_links_point_at_the_repository_root():
    # the repository root is the addon: no ".../19.0/isp_sales_desk/..." path
    assert "/19.0/isp_sales_desk" not in README
