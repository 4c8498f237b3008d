"""Only the patient's own inputs take changes from the page.

A page can send any widget an `update` with any synced trait: an HTML widget's value (whose
inline handlers would then run in the page), the care card, a button's label, a layout that
hides the card. Here a change from the page is kept only where a patient gives input: the
value of a tick box or text box, the chosen item of a list or set of choices. Every other
trait of every widget is the kernel's alone. Button presses are messages of their own and are
not touched.
"""

from __future__ import annotations

import ipywidgets as widgets

# Widget classes a patient types or chooses in, and the trait the page sends for each.
PATIENT_INPUTS: tuple[tuple[type, frozenset[str]], ...] = (
    (widgets.Checkbox, frozenset({"value"})),
    (widgets.Textarea, frozenset({"value"})),
    (widgets.Text, frozenset({"value"})),
    (widgets.Dropdown, frozenset({"index"})),
    (widgets.RadioButtons, frozenset({"index"})),
)


def accepted_from_page(widget: widgets.Widget, state: dict) -> dict:
    """The part of a state update from the page that the widget takes: its input, nothing else.

    Args:
        widget: the widget the page wrote to.
        state: the traits and values the page sent.
    """
    for kind, traits in PATIENT_INPUTS:
        if isinstance(widget, kind):
            return {name: value for name, value in state.items() if name in traits}
    return {}


def accept_only_patient_input() -> None:
    """From now on, every widget in this kernel takes from the page only its patient input.

    A widget hears its page through the method it registers when its channel opens, so this
    is done before any widget is made. Calling it again does nothing more.
    """
    handle = widgets.Widget._handle_msg
    if getattr(handle, "_workbook", False):
        return

    def handle_msg(self, msg):
        data = msg.get("content", {}).get("data", {})
        if data.get("method") == "update":
            data = {**data, "state": accepted_from_page(self, data.get("state") or {})}
            data.pop("buffer_paths", None)
            if not data["state"]:
                return None
            msg = {**msg, "content": {**msg["content"], "data": data}}
        return handle(self, msg)

    handle_msg._workbook = True  # type: ignore[attr-defined]
    widgets.Widget._handle_msg = handle_msg
