"""The dashboard: one guided path through the steps.

`build_app()` is all the dashboard notebook calls. Each call makes its own session, so each
Voilà page (one kernel per page) has its own patient state and nothing is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import ipywidgets as widgets

from workbook.content import Content, QuizQuestion, load_content
from workbook.figures import quiz_chart, quiz_text
from workbook.quiz import Grade, grade, step_scores
from workbook.redflags import care_card, evaluate_red_flags
from workbook.session import Session
from workbook.ui.chapter import chapter_view
from workbook.ui.charts import chart_warmup, figure_view
from workbook.ui.errors import error_card, guarded, hide_error, log_to_server
from workbook.ui.inputs import accept_only_patient_input
from workbook.ui.navigation import nav_button, progress_bar, progress_html, step_menu
from workbook.ui.plan import prevention_plan, self_care_choices
from workbook.ui.quiz import quiz_block
from workbook.ui.redflags import care_card_html, red_flag_questions
from workbook.ui.selfcheck import self_check
from workbook.ui.summary import summary_view
from workbook.ui.symptoms import symptom_notes
from workbook.ui.watches import Watch, Watches

# The chapters that carry an interactive part, by chapter id.
SAFETY_CHECK = "safety-check"
WHEN_TO_GET_HELP = "when-to-get-help"
SUMMARY = "your-summary"
CAUSES = "causes"
SYMPTOMS = "symptoms-and-diagnosis"
TREATMENT = "treatment"
PREVENTION = "prevention"
FAQS = "questions-people-ask"
# The chapters that show a chart: on the step before, plotly.js draws a hidden chart first.
CHART_CHAPTERS = frozenset({CAUSES, FAQS})

APP_TITLE = "Back Spasm Workbook"
# The theme; Voilà links it from the page template, a chapter notebook carries it inline.
THEME_CSS = Path(__file__).parent / "share" / "voila" / "templates" / "workbook" / "static" / "workbook.css"


@dataclass(frozen=True, slots=True)
class App:
    """The dashboard widget with the session it writes to."""

    widget: widgets.VBox
    session: Session
    content: Content
    new_patient: Callable[[], None]


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
    accept_only_patient_input()
    return create_app(content=load_content(data_dir)).widget


def step_view(
    *,
    content: Content,
    session: Session,
    step: int,
    card: widgets.HTML,
    watch: Watch,
    on_show_answers: Callable[[], None] | None = None,
    on_new_patient: Callable[[], None] | None = None,
) -> widgets.VBox:
    """One step: its chapter, its interactive part, then its questions.

    Args:
        content: validated content.
        session: the patient's session; every answer goes there.
        step: the step, 1-based.
        card: the error card shown if a callback fails.
        watch: observes the session for this view (its observers go with it).
        on_show_answers: goes to the safety check (step 7 links back to it).
        on_new_patient: clears everything for the next patient (the summary step offers it).
    """

    def make_on_check(question: QuizQuestion):
        def on_check(answer: tuple[str, ...]) -> Grade:
            result = grade(question, answer)
            session.record_answer(question.id, result.chosen)
            return result

        return on_check

    chapter = content.chapter(step)
    parts: list[widgets.Widget] = [chapter_view(chapter=chapter)]
    if chapter.id == SAFETY_CHECK:
        parts.append(
            red_flag_questions(
                flags=content.red_flags, answers=session.red_flag_answers,
                on_answer=session.answer_red_flag, card=card,
            )
        )
    if chapter.id == CAUSES:
        parts.append(self_check(content=content, session=session, card=card, watch=watch))
    if chapter.id == SYMPTOMS:
        parts.append(symptom_notes(content=content, session=session, card=card, watch=watch))
    if chapter.id == TREATMENT:
        parts.append(self_care_choices(content=content, session=session, card=card))
    if chapter.id == PREVENTION:
        parts.append(prevention_plan(content=content, session=session, card=card, watch=watch))
    if chapter.id == WHEN_TO_GET_HELP and on_show_answers is not None:
        back = widgets.Button(description="See your safety check answers")
        back.add_class("wb-button")
        back.add_class("wb-button--secondary")
        back.on_click(guarded(lambda _button: on_show_answers(), card=card))
        parts.append(back)
    if chapter.id == SUMMARY:
        parts.append(summary_view(content=content, session=session, watch=watch))
        if on_new_patient is not None:
            parts.append(new_patient_controls(on_confirm=on_new_patient, card=card))
    questions = content.questions_for(step)
    if questions:
        parts.append(quiz_block(questions=questions, make_on_check=make_on_check, card=card))
    if chapter.id == FAQS:
        parts.append(quiz_results(content=content, session=session, card=card, watch=watch))
    view = widgets.VBox(children=parts)
    view.add_class("wb-step")
    return view


def quiz_results(*, content: Content, session: Session, card: widgets.HTML, watch: Watch) -> widgets.VBox:
    """A chart of the quiz answers by step, kept up to date as questions are answered.

    Args:
        content: validated content.
        session: the patient's session.
        card: the error card shown if a callback fails.
        watch: observes the session for this view (its observers go with it).
    """
    titles = {chapter.step: chapter.title for chapter in content.chapters}

    def make():
        scores = step_scores(content.questions, session.quiz_attempts)
        return quiz_chart(scores, titles), quiz_text(scores, titles)

    heading = widgets.HTML(
        value='<h2 class="wb-section__title">How the questions went</h2>'
        "<p>This shows how well the workbook explained things, step by step.</p>"
    )
    figure, redraw = figure_view(make=make)
    watch(guarded(lambda _change: redraw(), card=card), "quiz_attempts")
    box = widgets.VBox(children=(heading, figure))
    box.add_class("wb-panel")
    box.add_class("wb-quiz-results")
    return box


def care_area(
    *, content: Content, session: Session, card: widgets.HTML, mode: Callable[[], str | None]
) -> tuple[widgets.HTML, Callable[[], None]]:
    """The care card area: it follows the warning-sign answers at once.

    Args:
        content: validated content.
        session: the patient's session.
        card: the error card shown if a callback fails.
        mode: "full", "compact" or None (hidden), for the step on screen.

    Returns:
        The widget, and a function that redraws it (call it when the step changes).
    """
    area = widgets.HTML(value="", layout=widgets.Layout(display="none"))
    area.add_class("wb-care-area")
    announced: list[str | None] = [None]  # the level screen readers last heard

    def draw(*, announce: bool = False) -> None:
        result = evaluate_red_flags(content.red_flags, session.red_flag_answers)
        shown = care_card(result, content.care_cards, content.clinic)
        how = mode()
        if shown is None or how is None:
            area.value, area.layout.display = "", "none"
            announced[0] = None if shown is None else announced[0]
            return
        # Read out as it appears or changes level; not again at every later "no".
        alert = announce and shown.level != announced[0]
        announced[0] = shown.level
        area.value = care_card_html(shown, compact=how == "compact", announce=alert)
        area.layout.display = None

    session.observe(guarded(lambda change: draw(announce=True), card=card), names="red_flag_answers")
    draw()
    return area, draw


def new_patient_controls(*, on_confirm: Callable[[], None], card: widgets.HTML) -> widgets.VBox:
    """"New patient", which asks to confirm before it clears every answer.

    Args:
        on_confirm: clears everything and returns to step 1.
        card: the error card shown if a callback fails.
    """
    start = widgets.Button(description="New patient")
    question = widgets.HTML(
        value='<p class="wb-confirm__text">Clear every answer so that the next patient starts '
        "fresh? This cannot be undone.</p>"
    )
    confirm = widgets.Button(description="Yes, clear everything")
    cancel = widgets.Button(description="Cancel")
    for button, kind in ((start, "secondary"), (confirm, "primary"), (cancel, "secondary")):
        button.add_class("wb-button")
        button.add_class(f"wb-button--{kind}")
    # On the served page, the page script opens a fresh page when this is pressed (a new
    # kernel, the old one shut down); on_confirm clears in place where there is no such script.
    confirm.add_class("wb-new-patient__confirm")
    ask = widgets.VBox(children=(question, widgets.HBox(children=(confirm, cancel))))
    ask.add_class("wb-confirm")
    ask.layout.display = "none"

    def show(visible: bool) -> None:
        ask.layout.display = None if visible else "none"
        start.layout.display = "none" if visible else None

    start.on_click(guarded(lambda _button: show(True), card=card))
    cancel.on_click(guarded(lambda _button: show(False), card=card))
    confirm.on_click(guarded(lambda _button: on_confirm(), card=card))
    box = widgets.VBox(children=(start, ask))
    box.add_class("wb-new-patient")
    return box


def chapter_page(step: int, data_dir: str | Path | None = None) -> widgets.VBox:
    """One chapter on its own, with its questions, for the chapter notebooks.

    Args:
        step: the chapter's step, 1-based.
        data_dir: the content folder; defaults to the project's `data/`.
    """
    log_to_server()
    accept_only_patient_input()
    content = load_content(data_dir)
    card = error_card()
    session = Session(step_count=content.step_count)
    theme = widgets.HTML(value=f"<style>{THEME_CSS.read_text(encoding='utf-8')}</style>")
    area, _ = care_area(content=content, session=session, card=card, mode=lambda: "full")
    view = step_view(content=content, session=session, step=step, card=card, watch=Watches(session))
    page = widgets.VBox(children=(theme, area, card, view))
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
    views: dict[int, tuple[widgets.Widget, Watches]] = {}

    safety_step = next(c.step for c in content.chapters if c.id == SAFETY_CHECK)

    def view(step: int) -> widgets.Widget:
        # Built on first visit only: the first page carries one step, not ten.
        if step not in views:
            watches = Watches(session)
            built = step_view(
                content=content, session=session, step=step, card=card, watch=watches,
                on_show_answers=lambda: session.go_to(safety_step), on_new_patient=new_patient,
            )
            views[step] = (built, watches)
        return views[step][0]

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
    def card_mode() -> str | None:
        # From the safety check on, the card stays at the top of every step: in full on the
        # safety check and the summary, elsewhere as one line that opens.
        if session.step < safety_step:
            return None
        return "full" if session.step in (safety_step, content.step_count) else "compact"

    area, draw_card = care_area(content=content, session=session, card=card, mode=card_mode)
    body = widgets.VBox()  # render() puts the current step in
    body.add_class("wb-app__body")
    nav = widgets.HBox(children=(back, forward))
    nav.add_class("wb-nav")

    def render(step: int) -> None:
        hide_error(card)  # a new step starts without the last one's error
        chapter = content.chapter(step)
        progress.value = progress_html(step=step, step_count=content.step_count, title=chapter.title)
        menu.value = step
        back.disabled = step == 1
        forward.disabled = step == content.step_count
        draw_card()
        body.children = (view(step),)

    warmup, warm_charts = chart_warmup()

    def prepare_step(step: int) -> None:
        """Build a step's view before it is shown (a step past the last is ignored)."""
        if 1 <= step <= content.step_count:
            view(step)
            if content.chapter(step).id in CHART_CHAPTERS:
                warm_charts()

    def new_patient() -> None:
        """Clear every answer and every widget, and return to step 1."""
        old = list(views.values())
        views.clear()
        was = session.step
        session.reset()
        if session.step == was:  # otherwise the step observer has drawn it already
            render(session.step)
        for built, watches in old:
            watches.close()  # the old views no longer hear the session
            close_tree(built)

    session.observe(guarded(lambda change: render(change["new"]), card=card), names="step")
    render(session.step)

    header = widgets.HTML(
        value=(
            f'<p class="wb-header__title">{APP_TITLE}</p>'
            f'<p class="wb-header__clinic">{escape(content.clinic.clinic_name)}</p>'
        )
    )
    # Pressed by the page script once a step is on screen and the page is idle: builds the
    # next step ahead, so that Next shows it at once instead of sending a hundred widgets.
    prepare = widgets.Button(description="Prepare the next step", layout=widgets.Layout(display="none"))
    prepare.add_class("wb-prepare-next")
    prepare.on_click(guarded(lambda _button: prepare_step(session.step + 1), card=card))
    header.add_class("wb-header")
    root = widgets.VBox(children=(header, progress, area, menu, card, body, nav, prepare, warmup))
    root.add_class("wb-app")
    return App(widget=root, session=session, content=content, new_patient=new_patient)


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and all its children, so nothing of them stays in the kernel."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
