"""The last step: the take-home summary on screen, to print or download, and "New patient".

Nothing is written on the server: Download is a data URL the browser saves.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date

import ipywidgets as widgets

from workbook.domain.answers import ANSWER_FIELDS
from workbook.content.screen import SummaryViewText
from workbook.domain.summary import summary_html
from workbook.ui.context import StepContext
from workbook.ui.errors import Guard
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html


def summary_actions_html(page: str, *, on: date, text: SummaryViewText) -> Markup:
    """Print and download buttons and the summary in a frame; the page is escaped into the frame.

    Print uses the frame's own print, so only the summary prints. Download is a data URL: the
    browser saves the file, and nothing is written on the server.
    """
    return html(
        '<div class="wb-summary">'
        '<h2 class="wb-section__title">{heading}</h2>'
        "<p>{intro}</p>"
        '<div class="wb-summary__actions">'
        '<button type="button" class="wb-summary__button wb-summary__button--primary" '
        "onclick=\"this.closest('.wb-summary').querySelector('iframe').contentWindow.print()\">"
        "{print}</button>"
        '<a class="wb-summary__button" download="back-spasm-summary-{on}.html" '
        'href="data:text/html;charset=utf-8;base64,{data}">{download}</a></div>'
        '<iframe class="wb-summary__frame" title="{frame_title}" srcdoc="{page}"></iframe>'
        "</div>",
        heading=text.heading, intro=text.intro, print=text.print, on=on.isoformat(),
        data=base64.b64encode(page.encode("utf-8")).decode("ascii"), download=text.download,
        frame_title=text.frame_title, page=page,
    )


def summary_view(ctx: StepContext) -> widgets.HTML:
    """The summary with its Print and Download buttons, kept up to date with every answer."""
    view = lean(widgets.HTML)
    view.add_class("wb-summary-view")

    def draw(_change: object = None) -> None:
        today = date.today()
        page = summary_html(ctx.content, ctx.session.answers, on=today)
        view.value = summary_actions_html(page, on=today, text=ctx.text.summary_view)

    draw()
    ctx.watch(draw, ANSWER_FIELDS)
    return view


def new_patient_controls(*, text: SummaryViewText, on_confirm: Callable[[], None], guard: Guard) -> widgets.VBox:
    """"New patient", which asks to confirm before it clears every answer.

    Args:
        text: the words of the buttons and the question.
        on_confirm: clears everything and returns to step 1.
        guard: wraps the callbacks (a failure shows the error card).
    """
    # Shown and hidden, so each has a layout of its own.
    start = widgets.Button(description=text.new_patient)
    question = lean(widgets.HTML, value=html('<p class="wb-confirm__text">{}</p>', text.new_patient_question))
    confirm = lean(widgets.Button, description=text.new_patient_confirm)
    cancel = lean(widgets.Button, description=text.new_patient_cancel)
    for button, kind in ((start, "secondary"), (confirm, "primary"), (cancel, "secondary")):
        button.add_class("wb-button")
        button.add_class(f"wb-button--{kind}")
    # On the served page, the page script opens a fresh page when this is pressed (a new
    # kernel, the old one shut down); on_confirm clears in place where there is no such script.
    confirm.add_class("wb-new-patient__confirm")
    ask = widgets.VBox(children=(question, lean(widgets.HBox, children=(confirm, cancel))))
    ask.add_class("wb-confirm")
    ask.layout.display = "none"

    def show(visible: bool) -> None:
        ask.layout.display = None if visible else "none"
        start.layout.display = "none" if visible else None

    start.on_click(guard(lambda _button: show(True)))
    cancel.on_click(guard(lambda _button: show(False)))
    confirm.on_click(guard(lambda _button: on_confirm()))
    box = lean(widgets.VBox, children=(start, ask))
    box.add_class("wb-new-patient")
    return box


def summary_part(ctx: StepContext) -> tuple[widgets.Widget, ...]:
    """The summary, then "New patient" where the app can clear itself (two parts of the step)."""
    if ctx.new_patient is None:
        return (summary_view(ctx),)
    controls = new_patient_controls(text=ctx.text.summary_view, on_confirm=ctx.new_patient, guard=ctx.guard)
    return summary_view(ctx), controls
