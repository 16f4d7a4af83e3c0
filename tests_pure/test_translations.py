"""The Spanish translation covers every string of the template."""

from pathlib import Path

import pytest

polib = pytest.importorskip("polib")

I18N = Path(__file__).resolve().parent.parent / "i18n"


def test_every_string_has_a_spanish_translation():
    template = polib.pofile(str(I18N / "isp_sales_desk.pot"))
    spanish = polib.pofile(str(I18N / "es.po"))
    translated = {entry.msgid: entry for entry in spanish if not entry.obsolete}
    missing = [e.msgid for e in template if e.msgid not in translated]
    empty = [
        e.msgid
        for e in template
        if e.msgid in translated and not translated[e.msgid].msgstr
    ]
    fuzzy = [e.msgid for e in spanish if "fuzzy" in e.flags]
    assert not missing, missing[:10]
    assert not empty, empty[:10]
    assert not fuzzy, fuzzy[:10]


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\([a-z_]+\)s|%s|%%")
    for entry in polib.pofile(str(I18N / "es.po")):
        if (
            entry.msgid
            and "python-format" not in entry.flags
            and "%" not in entry.msgid
        ):
            continue
        assert sorted(placeholder.findall(entry.msgid)) == sorted(
            placeholder.findall(entry.msgstr)
        ), entry.msgid
