"""What the page may change in the kernel: a patient's inputs, nothing else."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from workbook.ui.inputs import accept_only_patient_input


def from_page(widget: widgets.Widget, state: dict) -> None:
    """Deliver an `update` to a widget as its channel does when the page sends one."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


@pytest.fixture(autouse=True)
def guard() -> None:
    accept_only_patient_input()


def test_a_display_widget_ignores_what_the_page_sends():
    card = widgets.HTML(value="<p>Call 999 now</p>")
    from_page(card, {"value": "<img src=x onerror=alert(1)>"})
    assert card.value == "<p>Call 999 now</p>"
    label = widgets.Button(description="Next")
    from_page(label, {"description": "All clear", "disabled": True})
    assert (label.description, label.disabled) == ("Next", False)
    box = widgets.VBox()
    from_page(box.layout, {"display": "none"})
    assert box.layout.display is None


def test_inputs_take_their_value_and_only_that():
    words = widgets.Textarea()
    from_page(words, {"value": "after gardening", "description": "changed"})
    assert (words.value, words.description) == ("after gardening", "")
    tick = widgets.Checkbox(description="Leg")
    from_page(tick, {"value": True})
    assert tick.value is True
    choice = widgets.RadioButtons(options=["Yes", "No"], value=None)
    from_page(choice, {"index": 0, "options": ["<b>x</b>"]})
    assert (choice.value, choice.options) == ("Yes", ("Yes", "No"))
    menu = widgets.Dropdown(options=["1", "2"])
    from_page(menu, {"index": 1})
    assert menu.value == "2"


def test_a_button_press_still_reaches_its_handler():
    pressed = []
    button = widgets.Button(description="Next")
    button.on_click(lambda _button: pressed.append(True))
    button._handle_msg({"content": {"data": {"method": "custom", "content": {"event": "click"}}}, "buffers": []})
    assert pressed == [True]
