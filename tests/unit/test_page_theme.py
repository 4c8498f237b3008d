"""The page's theme files: the template inlines the ones workbook.css lists, in its order."""

from __future__ import annotations

import re

from workbook.serve import TEMPLATE, TEMPLATE_ROOT

TEMPLATE_DIR = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE


def test_the_page_inlines_the_theme_files_in_the_order_workbook_css_lists_them():
    listed = re.findall(r'@import url\("([^"]+)"\);', (TEMPLATE_DIR / "static" / "workbook.css").read_text())
    inlined = re.findall(r'{% include "static/([^"]+)" %}', (TEMPLATE_DIR / "index.html.j2").read_text())
    assert listed == inlined == ["css/tokens.css", "css/base.css", "css/components.css", "css/print.css"]
    for name in listed:
        text = (TEMPLATE_DIR / "static" / name).read_text()
        assert not re.search(r"{[{%#]", text), name  # nothing Jinja would read as its own
        assert "<" not in text, name  # nothing the page's HTML would read as a tag


def test_the_card_box_is_written_once():
    components = (TEMPLATE_DIR / "static" / "css" / "components.css").read_text()
    assert components.count("border: 1px solid var(--wb-border-colour);\n  border-radius: var(--wb-radius);") == 1
