"""The page's theme: small files in order, served as one stylesheet, the card box written once."""

from __future__ import annotations

import re

from workbook.page.theme import STATIC, THEME_FILES, theme_css


def test_every_theme_file_is_served_once_in_its_order():
    on_disk = sorted(path.name for path in (STATIC / "css").glob("*.css"))
    assert sorted(path.name for path in THEME_FILES) == on_disk
    assert THEME_FILES[0].name == "tokens.css" and THEME_FILES[-1].name == "print.css"
    whole = theme_css()
    positions = [whole.index(path.read_text(encoding="utf-8")) for path in THEME_FILES]
    assert positions == sorted(positions)


def test_the_theme_holds_nothing_markup_could_read():
    # A chapter notebook carries the theme inline in a <style> element.
    for path in THEME_FILES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"{[{%#]", text), path.name
        assert "<" not in text, path.name


def test_the_card_box_is_written_once():
    assert theme_css().count("border: 1px solid var(--wb-border-colour);\n  border-radius: var(--wb-radius);") == 1


def test_each_theme_file_is_small():
    assert all(len(path.read_text(encoding="utf-8").splitlines()) <= 400 for path in THEME_FILES)
