"""The dashboard: one guided path through the steps.

`build_app()` is all the dashboard notebook calls. Each call makes its own session, so each
Voilà page (one kernel per page) has its own patient state and nothing is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import ipywidgets as widgets

from workbook.content import Content, load_content
from workbook.session import Session
from workbook.ui.chapter import chapter_view
from workbook.ui.errors import error_card, guarded, log_to_server
from workbook.ui.navigation import nav_button, progress_bar, progress_html, step_menu

APP_TITLE = "Back Spasm Workbook"


@dataclass(frozen=True, slots=True)
class App:
    """The dashboard widget with the session it writes to."""

    widget: widgets.VBox
    session: Session
    content: Content


def build_app(data_dir: str | Path | None = None) -> widgets.VBox:
    """Build the dashboard for one patient.

    Args:
        data_dir: the content folder; defaults to the project's `data/`.

    Returns:
        The dashboard widget, ready to display.

    Raises:
        InvalidContent: the content has problems (`workbook serve` checks it before starting).
    """
    log_to_server()
    return create_app(content=load_content(data_dir)).widget


def create_app(*, content: Content) -> App:
    """Build the dashboard and return it with its session, for tests and the notebooks.

    Args:
        content: validated content.
    """
    session = Session(step_count=content.step_count)
    card = error_card()
    views: dict[int, widgets.Widget] = {}

    def view(step: int) -> widgets.Widget:
        # Built on first visit only: the first page carries one step, not ten.
        if step not in views:
            views[step] = chapter_view(chapter=content.chapter(step))
        return views[step]

    first = content.chapter(1)
    progress = progress_bar(step=1, step_count=content.step_count, title=first.title)
    menu = step_menu(
        titles=[chapter.title for chapter in content.chapters],
        step=1,
        on_value=guarded(session.go_to, card=card),
    )
    back = nav_button(
        label="Back", primary=False, on_click=guarded(lambda: session.go_to(session.step - 1), card=card)
    )
    forward = nav_button(
        label="Next", primary=True, on_click=guarded(lambda: session.go_to(session.step + 1), card=card)
    )
    body = widgets.VBox(children=(view(1),))
    body.add_class("wb-app__body")
    nav = widgets.HBox(children=(back, forward))
    nav.add_class("wb-nav")

    def render(step: int) -> None:
        chapter = content.chapter(step)
        progress.value = progress_html(step=step, step_count=content.step_count, title=chapter.title)
        menu.value = step
        back.disabled = step == 1
        forward.disabled = step == content.step_count
        body.children = (view(step),)

    session.observe(guarded(lambda change: render(change["new"]), card=card), names="step")
    render(session.step)

    header = widgets.HTML(
        value=(
            f'<p class="wb-header__title">{APP_TITLE}</p>'
            f'<p class="wb-header__clinic">{escape(content.clinic.clinic_name)}</p>'
        )
    )
    header.add_class("wb-header")
    root = widgets.VBox(children=(header, progress, menu, card, body, nav))
    root.add_class("wb-app")
    return App(widget=root, session=session, content=content)
