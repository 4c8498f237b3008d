"""What every part's builder is given: one small context object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbook.content import Content
from workbook.content.screen import ScreenText
from workbook.domain.session import Session
from workbook.ui.errors import Guard
from workbook.ui.watches import Watches


@dataclass(frozen=True, slots=True)
class StepContext:
    """What a part's builder may use.

    Args:
        content: validated content.
        session: the patient's session; every answer goes there.
        guard: wraps a callback so that a failure shows the error card, not a traceback.
        watch: observes answers for this step's view (its observers go with the view), and
            draws what need not be drawn before the step is shown (`watch.when_shown`).
        go_to_part: shows the step that carries a part, by the part's name (None where a
            chapter stands alone, as in a chapter notebook).
        new_patient: clears everything for the next patient (None where there is no app).
    """

    content: Content
    session: Session
    guard: Guard
    watch: Watches
    go_to_part: Callable[[str], None] | None = None
    new_patient: Callable[[], None] | None = None

    @property
    def text(self) -> ScreenText:
        return self.content.text
