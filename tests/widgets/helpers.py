"""Find widgets by their CSS class, as a person finds things on screen, not by position."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets


def walk(root: widgets.Widget) -> Iterator[widgets.Widget]:
    yield root
    for child in getattr(root, "children", ()):
        yield from walk(child)


def find_all(root: widgets.Widget, css_class: str) -> list[widgets.Widget]:
    return [widget for widget in walk(root) if css_class in widget._dom_classes]


def find(root: widgets.Widget, css_class: str) -> widgets.Widget:
    found = find_all(root, css_class)
    assert len(found) == 1, f"expected one widget with class {css_class!r}, found {len(found)}"
    return found[0]


def button(root: widgets.Widget, label: str) -> widgets.Button:
    found = [w for w in walk(root) if isinstance(w, widgets.Button) and w.description == label]
    assert len(found) == 1, f"expected one button {label!r}, found {len(found)}"
    return found[0]
