"""The interactive parts a step can carry, by the name its chapter gives in `part:`.

Every part is built the same way: from one `StepContext`, into one widget. A new step is a
new chapter in `data/chapters/`; a new kind of part is one builder and one line here, and its
name in `PartName` (`workbook/content/models.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

from workbook.ui.context import StepContext
from workbook.ui.plan import prevention_plan, self_care_choices
from workbook.ui.quiz import quiz_results
from workbook.ui.redflags import help_levels_part, safety_check
from workbook.ui.selfcheck import self_check
from workbook.ui.summary import summary_part
from workbook.ui.symptoms import symptom_notes


@dataclass(frozen=True, slots=True)
class Part:
    """How a part is built. Where it goes, above or below its step's questions, is content
    (`Chapter.part_after_questions`): the chapter notebooks place it the same way.

    Args:
        build: makes the part's widget (or widgets, shown one under another).
        chart: draws a chart (plotly.js is warmed up on the step before).
    """

    build: Callable[[StepContext], widgets.Widget | tuple[widgets.Widget, ...]]
    chart: bool = False


PARTS: dict[str, Part] = {
    "safety-check": Part(safety_check),
    "self-check": Part(self_check, chart=True),
    "symptom-notes": Part(symptom_notes),
    "self-care": Part(self_care_choices),
    "prevention-plan": Part(prevention_plan),
    "help-levels": Part(help_levels_part),
    "summary": Part(summary_part),
    "quiz-results": Part(quiz_results, chart=True),
}


def build_part(ctx: StepContext, name: str) -> tuple[widgets.Widget, ...]:
    """Build a part by its name, as the widgets shown one under another.

    Args:
        ctx: the context of the step or cell that shows it.
        name: the part's name, as a chapter gives it in `part:`.

    Raises:
        KeyError: no part has that name.
    """
    if name not in PARTS:
        raise KeyError(f"no part {name!r}; the parts are {', '.join(PARTS)}")
    built = PARTS[name].build(ctx)
    return built if isinstance(built, tuple) else (built,)
