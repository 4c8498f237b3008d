"""The dashboard: one guided path through the steps.

`build_app()` is all the dashboard notebook calls. Each call makes its own session, so each
Voilà page (one kernel per page) has its own patient state and nothing is shared. A step is
its chapter, the part its chapter names (`workbook.ui.parts`), then its questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from workbook.content import Content, load_content
from workbook.domain.redflags import card_mode
from workbook.domain.session import Session
from workbook.ui.chapter import chapter_view
from workbook.ui.charts import chart_warmup
from workbook.ui.context import StepContext
from workbook.ui.errors import error_card, guard_with, hide_error, log_to_server
from workbook.ui.inputs import accept_only_patient_input
from workbook.ui.lean import lean
from workbook.ui.markup import html
from workbook.ui.navigation import nav_button, progress_bar, progress_html, step_menu
from workbook.ui.notebook import Pages
from workbook.ui.parts import PARTS, build_part
from workbook.ui.quiz import quiz_block
from workbook.ui.redflags import care_area
from workbook.ui.watches import Watches


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


def step_view(ctx: StepContext, step: int) -> widgets.VBox:
    """One step: its chapter, the part it names, then its questions.

    Args:
        ctx: what the step's part may use.
        step: the step, 1-based.
    """
    chapter = ctx.content.chapter(step)
    built = build_part(ctx, chapter.part) if chapter.part else ()
    questions = ctx.content.questions_for(step)
    asked = (quiz_block(ctx, questions),) if questions else ()
    below = (*asked, *built) if chapter.part_after_questions else (*built, *asked)
    text = chapter_view(chapter=chapter, key_message_label=ctx.text.app.key_message)
    view = lean(widgets.VBox, children=(text, *below))
    view.add_class("wb-step")
    return view


def step_of(content: Content, part: str) -> int:
    """The step whose chapter carries a part.

    Raises:
        KeyError: no chapter names that part.
    """
    for chapter in content.chapters:
        if chapter.part == part:
            return chapter.step
    raise KeyError(f"no chapter has the part {part!r}")


def chapter_page(step: int, data_dir: str | Path | None = None) -> widgets.VBox:
    """One chapter on its own, with its part and questions, in a session of its own (the chapter
    notebooks show each piece in a cell of its own instead: `workbook.ui.notebook`).

    Args:
        step: the chapter's step, 1-based.
        data_dir: the content folder; defaults to the project's `data/`.
    """
    log_to_server()
    accept_only_patient_input()
    pages = Pages(load_content(data_dir))
    ctx, card = pages.context()
    area, _ = care_area(ctx, mode=lambda: "full")
    return pages.page((step_view(ctx, step),), card=card, area=area)


class Steps:
    """The steps' views, each built on its first visit (the first page carries one step, not
    ten), with the observers each one made, so that "New patient" can drop them all.

    Args:
        session: the patient's session, which the views observe.
        make_context: the context of a new view, given the view's own observers.
    """

    def __init__(self, session: Session, make_context: Callable[[Watches], StepContext]) -> None:
        self._session = session
        self._make_context = make_context
        self._views: dict[int, tuple[widgets.Widget, Watches]] = {}

    def built(self, step: int) -> bool:
        return step in self._views

    def __len__(self) -> int:
        return len(self._views)

    def build(self, step: int) -> None:
        """Build a step's view if it is not built yet (ahead of time, it redraws only when shown)."""
        if step not in self._views:
            watches = Watches(self._session, step)
            self._views[step] = (step_view(self._make_context(watches), step), watches)

    def view(self, step: int) -> widgets.Widget:
        """A step's view, built now if it is not built yet, and up to date with the answers."""
        self.build(step)
        view, watches = self._views[step]
        watches.catch_up()
        return view

    def forget(self) -> Callable[[], None]:
        """Forget every view (the next `view` builds anew); returns what closes the old ones."""
        old = list(self._views.values())
        self._views.clear()

        def close() -> None:
            for built, watches in old:
                watches.close()  # the old views no longer hear the session
                close_tree(built)

        return close


def create_app(*, content: Content) -> App:
    """Build the dashboard and return it with its session, for tests and the notebooks.

    Args:
        content: validated content.
    """
    session = Session(step_count=content.step_count)
    text = content.text.app
    card = error_card(content.text.error)
    guard = guard_with(card)
    safety_step, summary_step = step_of(content, "safety-check"), step_of(content, "summary")

    def context(watch: Watches) -> StepContext:
        return StepContext(
            content=content, session=session, guard=guard, watch=watch,
            go_to_part=lambda part: session.go_to(step_of(content, part)),
            new_patient=lambda: new_patient(),  # defined below, once the steps exist
        )

    steps = Steps(session, context)
    first = content.chapter(1)
    progress = progress_bar(step=1, step_count=content.step_count, title=first.title, text=text)
    menu = step_menu(
        titles=[chapter.title for chapter in content.chapters], step=1, on_value=guard(session.go_to), text=text,
    )
    back = nav_button(label=text.back, primary=False, on_click=guard(lambda: session.go_to(session.step - 1)))
    forward = nav_button(label=text.next, primary=True, on_click=guard(lambda: session.go_to(session.step + 1)))
    area, draw_card = care_area(
        context(Watches(session)),
        mode=lambda: card_mode(session.step, safety_step=safety_step, full_steps=(safety_step, summary_step)),
    )
    body = lean(widgets.VBox)  # render() puts the current step in
    body.add_class("wb-app__body")
    nav = lean(widgets.HBox, children=(back, forward))
    nav.add_class("wb-nav")

    def render(step: int) -> None:
        hide_error(card)  # a new step starts without the last one's error
        chapter = content.chapter(step)
        progress.value = progress_html(step=step, step_count=content.step_count, title=chapter.title, text=text)
        menu.value = step
        back.disabled = step == 1
        forward.disabled = step == content.step_count
        draw_card()
        body.children = (steps.view(step),)

    warmup, warm_charts = chart_warmup()
    prepare = prepare_button(on_click=guard(lambda: prepare_ahead()))

    def has_chart(step: int) -> bool:
        part = content.chapter(step).part
        return bool(part and PARTS[part].chart)

    def prepare_ahead() -> None:
        """Build one step before it is shown: the next step; once that is built, the first
        step after it not built yet, then those before it. The count of built steps tells
        the page that a build is done. A chart is drawn only on the step before its own
        (or when shown): a kernel whose patient is still on the first steps does without
        plotly. There, the page also gets plotly.js ready with a hidden chart."""
        following = session.step + 1
        following_steps = [following] if following <= content.step_count else []
        later = range(following + 1, content.step_count + 1)
        earlier = range(1, session.step)
        for step in (*following_steps, *later, *earlier):
            if not steps.built(step):
                steps.build(step)
                break
        if any(map(has_chart, following_steps)):
            steps.view(following)  # draws its chart
            warm_charts()
        prepare.description = str(len(steps))

    def new_patient() -> None:
        """Clear every answer and every widget, and return to step 1."""
        was = session.step
        close_old = steps.forget()
        session.reset()
        if session.step == was:  # otherwise the step observer has drawn it already
            render(session.step)
        close_old()
        prepare.description = str(len(steps))  # the page builds ahead again

    session.observe(guard(lambda change: render(change["new"])), names="step")
    render(session.step)
    root = lean(widgets.VBox, children=(
        header(title=text.title, clinic=content.clinic.clinic_name), progress, area, menu, card, body, nav,
        prepare, warmup,
    ))
    root.add_class("wb-app")
    return App(widget=root, session=session, content=content, new_patient=new_patient)


def header(*, title: str, clinic: str) -> widgets.HTML:
    """The workbook's name and the clinic's, above everything; both escaped."""
    view = lean(
        widgets.HTML,
        value=html('<p class="wb-header__title">{}</p><p class="wb-header__clinic">{}</p>', title, clinic),
    )
    view.add_class("wb-header")
    return view


def prepare_button(*, on_click: Callable[[], None]) -> widgets.Button:
    """A hidden button the page script presses whenever the page is idle: each press builds
    one step ahead, so that Next and the step menu show it at once instead of sending a hundred
    widgets. Its text is the count of built steps, which the page watches (workbook.js [4]).
    It is never shown, so it has no words for the patient."""
    button = lean(widgets.Button, description="", layout=widgets.Layout(display="none"))
    button.add_class("wb-prepare-next")
    button.on_click(lambda _button: on_click())
    return button


def close_tree(widget: widgets.Widget) -> None:
    """Close a widget and all its children, so nothing of them stays in the kernel."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
