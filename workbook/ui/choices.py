"""Shared controls: a list of big checkbox tiles, and a row of big radio tiles."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

import ipywidgets as widgets

from workbook.ui.errors import Guard
from workbook.ui.lean import lean


def checkbox_list(
    *,
    choices: Sequence[tuple[str, str]],
    chosen: Collection[str],
    on_change: Callable[[tuple[str, ...]], None],
    guard: Guard,
    css_class: str = "wb-checklist",
) -> tuple[widgets.VBox, Callable[[Collection[str]], None]]:
    """Checkbox tiles, one per (id, label); reports the tuple of ticked ids on every change.

    Args:
        choices: (id, label) pairs, in order.
        chosen: the ids ticked at first.
        on_change: called with the ticked ids, in order, after each change by the patient.
        guard: wraps the callbacks (a failure shows the error card).
        css_class: the block class of the list.

    Returns:
        The widget, and a function that sets the ticked ids without calling `on_change`.
    """
    boxes = []
    for item_id, label in choices:
        box = lean(widgets.Checkbox, value=item_id in chosen, description=label, indent=False)
        box.add_class("wb-quiz__checkbox")
        box.add_class(f"{css_class}__item")
        box.add_class(f"wb-choice-id--{item_id}")
        boxes.append(box)
    quiet = [False]

    def changed(_change: dict) -> None:
        if not quiet[0]:
            on_change(tuple(item_id for (item_id, _), box in zip(choices, boxes) if box.value))

    for box in boxes:
        box.observe(guard(changed), names="value")

    def set_chosen(ids: Collection[str]) -> None:
        quiet[0] = True
        try:
            for (item_id, _), box in zip(choices, boxes):
                box.value = item_id in ids
        finally:
            quiet[0] = False

    group = lean(widgets.VBox, children=boxes)
    group.add_class(css_class)
    return group, set_chosen


def radio_row(
    *,
    choices: Sequence[tuple[str, object]],
    value: object,
    on_change: Callable[[object], None],
    guard: Guard,
    css_class: str,
) -> widgets.RadioButtons:
    """Radio tiles in a row that wraps; reports the chosen value.

    Args:
        choices: (label, value) pairs.
        value: the value chosen at first, or None.
        on_change: called with the chosen value.
        guard: wraps the callbacks (a failure shows the error card).
        css_class: the block class of the row.
    """
    radios = lean(widgets.RadioButtons, options=list(choices), value=value)
    radios.add_class("wb-choice")
    radios.add_class("wb-choice--row")
    radios.add_class(css_class)
    radios.observe(guard(lambda change: on_change(change["new"])), names="value")
    return radios
