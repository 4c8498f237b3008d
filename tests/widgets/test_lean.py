"""Widgets share one layout and one style model of each kind; a shared model cannot change."""

from __future__ import annotations

from collections import Counter

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as widget_module

from tests.widgets.helpers import walk
from workbook.content import load_content
from workbook.ui.app import create_app
from workbook.ui.lean import lean, shared


def models_of(root: widgets.Widget) -> set[str]:
    """The ids of every model a tree uses: its widgets, and their layouts and styles."""
    ids = set()
    for widget in walk(root):
        ids.add(widget.model_id)
        for name in ("layout", "style"):
            model = getattr(widget, name, None)
            if isinstance(model, widgets.Widget):
                ids.add(model.model_id)
    return ids


def test_lean_widgets_share_their_layout_and_style():
    first, second = lean(widgets.HTML, value="a"), lean(widgets.HTML, value="b")
    box = lean(widgets.Checkbox, description="c")
    assert first.layout is second.layout is box.layout
    assert first.style is second.style
    assert type(box.style).__name__ == "CheckboxStyle"
    assert box.style is not first.style  # one per kind of style


def test_a_layout_or_style_given_is_kept():
    own = widgets.Layout(width="100%")
    widget = lean(widgets.Textarea, layout=own, style={"description_width": "initial"})
    assert widget.layout is own
    assert widget.style is not lean(widgets.Textarea).style
    assert widget.style.description_width == "initial"


def test_a_shared_model_refuses_a_change_and_names_itself():
    widget = lean(widgets.HTML)
    with pytest.raises(AttributeError, match=r"Layout\.display: this model is shared"):
        widget.layout.display = "none"
    assert widget.layout.display is None
    widget.layout = widgets.Layout(display="none")  # a widget can still have its own
    assert widget.layout.display == "none"
    assert lean(widgets.HTML).layout.display is None


def test_a_closed_shared_model_is_made_again():
    layout = shared(widgets.Layout)
    layout.close()
    again = lean(widgets.HTML).layout
    assert again is not layout and again.comm is not None


def test_the_whole_workbook_uses_few_layout_and_style_models():
    app = create_app(content=load_content())
    models = models_of(app.widget)
    for step in range(2, app.content.step_count + 1):
        app.session.go_to(step)
        models |= models_of(app.widget)  # each step's view, as it is shown
    live = widget_module._instances  # every model the kernel holds, by id
    kinds = Counter(type(live[model_id]).__name__ for model_id in models if model_id in live)
    styling = sum(count for kind, count in kinds.items() if kind.endswith(("Layout", "Style")))
    others = sum(kinds.values()) - styling
    # Before sharing, every widget had a layout and most a style: more of these than widgets.
    # Only widgets shown and hidden, or placed on the body diagram's grid, have their own.
    assert others > 250, kinds
    assert styling < 40, kinds
