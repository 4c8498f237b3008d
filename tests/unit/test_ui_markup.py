"""The widgets' markup escapes by construction: `workbook/ui/markup.py` escapes every value, and
no other module in `workbook/ui/` escapes by hand or builds markup from strings (an f-string,
`%`, `+`, or `str.format` on markup), where one missed call would let a text become a script."""

from __future__ import annotations

import ast
from html import escape as stdlib_escape
from pathlib import Path

import pytest
from markupsafe import Markup

from workbook.ui.markup import html, join, trusted

UI = Path(__file__).resolve().parents[2] / "workbook" / "ui"
HELPER = "markup.py"
HOSTILE = '<script>alert(1)</script>"&\'<>'


def _markup_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def hand_built_markup(source: str) -> list[tuple[int, str]]:
    """The places in a module's source that escape by hand or build markup from strings, as
    (line, what) pairs."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.JoinedStr):
            literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
            if "<" in literal and any(isinstance(part, ast.FormattedValue) for part in node.values):
                found.add((line, "an f-string of markup"))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            if _markup_literal(node.left) or _markup_literal(node.right):
                found.add((line, "markup joined with + or filled with %"))
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name == "escape":
                found.add((line, "an escape call"))
            elif name == "Markup" and (node.args or node.keywords):
                found.add((line, "Markup made outside markup.py"))
            elif name in ("format", "format_map", "join") and _markup_literal(getattr(node.func, "value", None)):
                found.add((line, f"str.{name} on markup"))
            elif name == "html" and not (node.args and isinstance(node.args[0], ast.Constant)):
                found.add((line, "an html() template that is not a literal in the code"))
    return sorted(found)


def test_no_module_in_ui_escapes_by_hand_or_builds_markup_from_strings():
    found = [
        f"workbook/ui/{path.relative_to(UI)}:{line}: {what}"
        for path in sorted(UI.rglob("*.py")) if path.name != HELPER
        for line, what in hand_built_markup(path.read_text(encoding="utf-8"))
    ]
    assert not found, "build markup with workbook.ui.markup.html:\n" + "\n".join(found)


# Markup taken as it is: only the workbook's own, each place reviewed (a chapter's Markdown,
# rendered with raw HTML off, twice; the theme's stylesheet once).
TRUSTED = {"chapter.py": 2, "notebook.py": 1}


def test_markup_is_taken_as_it_is_only_where_it_is_the_workbooks_own():
    used = {}
    for path in sorted(UI.rglob("*.py")):
        calls = [
            node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and _name(node.func) == "trusted"
        ]
        if calls and path.name != HELPER:
            used[str(path.relative_to(UI))] = len(calls)
    assert used == TRUSTED


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("x = escape(text)", "an escape call"),
        ("x = html.escape(text, quote=True)", "an escape call"),
        ("x = f'<p>{text}</p>'", "an f-string of markup"),
        ("x = '<p>' + text + '</p>'", "markup joined with + or filled with %"),
        ("x = '<p>%s</p>' % text", "markup joined with + or filled with %"),
        ("x = '<p>{}</p>'.format(text)", "str.format on markup"),
        ("x = '<br>'.join(texts)", "str.join on markup"),
        ("x = Markup(text)", "Markup made outside markup.py"),
        ("x = html(template, text)", "an html() template that is not a literal in the code"),
    ],
)
def test_the_check_finds_each_way_of_building_markup_by_hand(source, what):
    assert hand_built_markup(source) == [(1, what)]


def test_the_check_lets_markup_from_the_helper_and_plain_text_pass():
    source = (
        "a = html('<p>{}</p>', text)\n"
        "b = join(html('<li>{}</li>', item) for item in items)\n"
        "c = f'{css_class}__item'\n"  # not markup: no "<"
        "d = text.format(step=1)\n"
        "e = Markup()\n"  # empty
    )
    assert hand_built_markup(source) == []


def test_values_are_escaped_as_the_standard_library_escapes_them():
    made = html('<p class="{}">{}</p>', HOSTILE, HOSTILE)
    assert made == f'<p class="{stdlib_escape(HOSTILE)}">{stdlib_escape(HOSTILE)}</p>'
    assert "&#x27;" in made and "&quot;" in made  # not markupsafe's &#39; and &#34;
    assert html("<b>{n}</b>", n=3) == "<b>3</b>"


def test_markup_stays_markup_and_text_never_becomes_markup():
    inner = html("<li>{}</li>", HOSTILE)
    assert html("<ul>{}</ul>", inner) == f"<ul><li>{stdlib_escape(HOSTILE)}</li></ul>"
    assert join([inner, HOSTILE]) == f"<li>{stdlib_escape(HOSTILE)}</li>{stdlib_escape(HOSTILE)}"
    assert html("<p>{}</p>", Markup("<svg></svg>")) == "<p><svg></svg></p>"  # a drawing from the domain
    assert html("<div>{}</div>", trusted(html="<p>Chapter</p>")) == "<div><p>Chapter</p></div>"
    assert inner + "<i>" == f"<li>{stdlib_escape(HOSTILE)}</li>&lt;i&gt;"
