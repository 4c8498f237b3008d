"""The dashboard: one guided path through the steps.

`build_app()` is all the dashboard notebook calls. Each call makes its own session, so each
Voilà page (one kernel per page) has its own patient state and nothing is shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import ipywidgets as widgets

from workbook.content import Content, QuizQuestion, load_content
from workbook.quiz import Grade, grade
from workbook.session import Session
from workbook.ui.chapter import chapter_view
from workbook.ui.errors import error_card, guarded, log_to_server
from workbook.ui.navigation import nav_button, progress_bar, progress_html, step_menu
from workbook.ui.quiz import quiz_block

APP_TITLE = "Back Spasm Workbook"
# The theme; Voilà links it from the page template, a chapter notebook carries it inline.
THEME_CSS = Path(__file__).parent / "share" / "voila" / "templates" / "workbook" / "static" / "workbook.css"


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


def step_view(*, content: Content, session: Session, step: int, card: widgets.HTML) -> widgets.VBox:
    """One step: its chapter, then its questions (answers go to the session).

    Args:
        content: validated content.
        session: the patient's session.
        step: the step, 1-based.
        card: the error card shown if a callback fails.
    """

    def make_on_check(question: QuizQuestion):
        def on_check(answer: tuple[str, ...]) -> Grade:
            result = grade(question, answer)
            session.record_answer(question.id, result.chosen)
            return result

        return on_check

    parts: list[widgets.Widget] = [chapter_view(chapter=content.chapter(step))]
    questions = content.questions_for(step)
    if questions:
        parts.append(quiz_block(questions=questions, make_on_check=make_on_check, card=card))
    view = widgets.VBox(children=parts)
    view.add_class("wb-step")
    return view


def chapter_page(step: int, data_dir: str | Path | None = None) -> widgets.VBox:
    """One chapter on its own, with its questions, for the chapter notebooks.

    Args:
        step: the chapter's step, 1-based.
        data_dir: the content folder; defaults to the project's `data/`.
    """
    log_to_server()
    content = load_content(data_dir)
    card = error_card()
    session = Session(step_count=content.step_count)
    theme = widgets.HTML(value=f"<style>{THEME_CSS.read_text(encoding='utf-8')}</style>")
    page = widgets.VBox(
        children=(theme, card, step_view(content=content, session=session, step=step, card=card))
    )
    page.add_class("wb-app")
    page.add_class("wb-page")
    return page


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
            views[step] = step_view(content=content, session=session, step=step, card=card)
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
