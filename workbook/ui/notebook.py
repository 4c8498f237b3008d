"""What the chapter notebooks call: one interactive part, or one question, in each code cell.

`workbook notebooks` writes each chapter as Markdown cells, with a short code cell where the
dashboard shows the chapter's part or one of its questions:

    from workbook.ui.notebook import show_part

    show_part("self-check")

The cells of one kernel share one session, so an answer given in one cell is seen by the cells
after it: the self-check's chart follows its ticks, and the summary shows what was answered.
The dashboard keeps no state in a module (`build_app()` makes it for its page); here each cell
is a call of its own, so the kernel's pages are made on the first call and kept
(`kernel_pages`).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import ipywidgets as widgets

from workbook.content import Content, load_content
from workbook.domain.session import Session
from workbook.page.theme import theme_css
from workbook.ui.context import StepContext
from workbook.ui.errors import ErrorCard, error_card, guard_with, log_to_server
from workbook.ui.inputs import accept_only_patient_input
from workbook.ui.lean import lean
from workbook.ui.markup import html, trusted
from workbook.ui.parts import build_part
from workbook.ui.quiz import quiz_question, record_check
from workbook.ui.redflags import care_area
from workbook.ui.watches import Watches

# The part that carries the care card area: the card shows in full above its questions.
SAFETY_CHECK = "safety-check"


class Pages:
    """Pages outside the dashboard that share one session: the cells of a chapter notebook,
    or a chapter page on its own (`workbook.ui.app.chapter_page`).

    Each page is a box styled as the dashboard: the theme, its own error card (a failure shows
    under the cell where it happened), then what it shows. There is no step on screen, so every
    page follows the answers at once.

    Args:
        content: validated content.
    """

    def __init__(self, content: Content) -> None:
        self.content = content
        self.session = Session(step_count=content.step_count)
        self._watch = Watches(self.session)
        # One model for every page of the kernel; served pages link the theme instead.
        self._theme = lean(widgets.HTML, value=html("<style>{}</style>", trusted(html=theme_css())))

    def context(self) -> tuple[StepContext, ErrorCard]:
        """The context of one page, with the error card its guard shows."""
        card = error_card(self.content.text.error)
        ctx = StepContext(content=self.content, session=self.session, guard=guard_with(card), watch=self._watch)
        return ctx, card

    def page(
        self, children: Sequence[widgets.Widget], *, card: ErrorCard, area: widgets.Widget | None = None,
    ) -> widgets.VBox:
        """A page: the theme, the care card area if given, the error card, then the children.

        Args:
            children: what the page shows.
            card: the error card of the page's context.
            area: the care card area, on a page that shows the safety check.
        """
        top = (area,) if area is not None else ()
        page = lean(widgets.VBox, children=(self._theme, *top, card, *children))
        page.add_class("wb-app")
        page.add_class("wb-page")
        return page

    def part(self, name: str) -> widgets.VBox:
        """A page with an interactive part; the safety check has the care card area above it.

        Raises:
            KeyError: no part has that name.
        """
        ctx, card = self.context()
        built = build_part(ctx, name)
        area = care_area(ctx, mode=lambda: "full")[0] if name == SAFETY_CHECK else None
        return self.page(built, card=card, area=area)

    def question(self, question_id: str) -> widgets.VBox:
        """A page with one teach-back question, numbered as on its step; a checked answer
        goes to the session.

        Raises:
            KeyError: no question has that id.
        """
        question = self.content.question(question_id)
        number = self.content.questions_for(question.step).index(question) + 1
        ctx, card = self.context()
        view = quiz_question(
            question=question, number=number, on_check=record_check(ctx, question), guard=ctx.guard,
            text=ctx.text.quiz,
        )
        block = lean(widgets.VBox, children=(view,))
        block.add_class("wb-quiz")
        return self.page((block,), card=card)


@functools.cache
def kernel_pages() -> Pages:
    """The pages of this kernel, made on the first call from the project's content; every later
    call gives the same, so every cell shares its session. `kernel_pages.cache_clear()` starts
    afresh (the tests do)."""
    log_to_server()
    accept_only_patient_input()
    return Pages(load_content())


def show_part(name: str) -> widgets.VBox:
    """An interactive part, by the name a chapter gives it in `part:`, in this kernel's session.

    Args:
        name: the part's name, for example "self-check".

    Returns:
        The part as a page, ready to display.

    Raises:
        KeyError: no part has that name.
    """
    return kernel_pages().part(name)


def show_question(question_id: str) -> widgets.VBox:
    """A teach-back question, by its id in `data/quizzes.yaml`, in this kernel's session.

    Args:
        question_id: the question's id, for example "how-long".

    Returns:
        The question as a page, ready to display.

    Raises:
        KeyError: no question has that id.
    """
    return kernel_pages().question(question_id)
