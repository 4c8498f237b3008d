"""The guided path: progress bar, Back and Next, and the step menu."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets

from workbook.content.screen import AppText
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html


def progress_html(*, step: int, step_count: int, title: str, text: AppText) -> Markup:
    """The progress bar's markup: the text and a native progress element.

    Args:
        step: the step on screen, 1-based.
        step_count: how many steps there are.
        title: the step's title, escaped here.
        text: the words of the frame around the steps.
    """
    return html(
        '<div class="wb-progress__inner">'
        '<p class="wb-progress__text">{said}<span class="wb-progress__title">: {title}</span></p>'
        '<progress class="wb-progress__bar" max="{count}" value="{step}" aria-label="{said}"></progress></div>',
        said=text.progress.format(step=step, count=step_count), title=title, count=step_count, step=step,
    )


def progress_bar(*, step: int, step_count: int, title: str, text: AppText) -> widgets.HTML:
    """The progress bar widget; update it with `progress_html`.

    Args:
        step: the step on screen, 1-based.
        step_count: how many steps there are.
        title: the step's title.
        text: the words of the frame around the steps.
    """
    bar = lean(widgets.HTML, value=progress_html(step=step, step_count=step_count, title=title, text=text))
    bar.add_class("wb-progress")
    return bar


def nav_button(*, label: str, primary: bool, on_click: Callable[[], None]) -> widgets.Button:
    """A large Back or Next button.

    Args:
        label: the button text, which is also its accessible name.
        primary: True for the main action (Next), drawn filled.
        on_click: called with no argument when the button is pressed.
    """
    button = lean(widgets.Button, description=label, tooltip="")
    button.add_class("wb-button")
    button.add_class("wb-button--primary" if primary else "wb-button--secondary")
    button.on_click(lambda _button: on_click())
    return button


def step_menu(
    *, titles: Sequence[str], step: int, on_value: Callable[[int], None], text: AppText
) -> widgets.Dropdown:
    """The step menu: jump to any step.

    Args:
        titles: the titles of the steps, in order.
        step: the step selected at first.
        on_value: called with the chosen step number when the choice changes.
        text: the words of the frame around the steps.
    """
    menu = lean(
        widgets.Dropdown,
        options=[
            (text.step_menu_item.format(number=number, title=title), number)
            for number, title in enumerate(titles, start=1)
        ],
        value=step,
        description=text.step_menu,
        style={"description_width": "initial"},
    )
    menu.add_class("wb-step-menu")
    menu.observe(lambda change: on_value(change["new"]), names="value")
    return menu
