"""The words on the screens around the article: `data/ui.yaml`.

Headings, labels, button names and short explanations, by part. Each section is a frozen,
strict model, so a missing, misspelt or extra key is an error naming it. A text that fills in
values names them in braces (`{step}`); a text must name exactly the values its place fills in,
so that an edit can neither drop a number nor ask for one that is never given.
"""

from __future__ import annotations

import string
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1)]


def placeholders(text: str) -> set[str]:
    """The names in braces in a text ("Step {step} of {count}" -> {"step", "count"}).

    Raises:
        ValueError: a brace that opens or closes nothing, or a brace with no name.
    """
    names = set()
    for _literal, name, _spec, _conversion in string.Formatter().parse(text):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"'{{{name}}}' is not a value this text can fill in")
            names.add(name)
    return names


class _Section(BaseModel):
    """A group of texts; `FILLS` names the values each text may fill in (none if absent)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    FILLS: ClassVar[dict[str, tuple[str, ...]]] = {}

    @model_validator(mode="after")
    def _fills_match(self) -> _Section:
        for name in type(self).model_fields:
            wanted = set(self.FILLS.get(name, ()))
            try:
                found = placeholders(getattr(self, name))
            except ValueError as error:
                raise ValueError(f"field '{name}': {error}") from None
            if found != wanted:
                said = ", ".join(f"{{{n}}}" for n in sorted(wanted)) or "no value in braces"
                raise ValueError(f"field '{name}': must fill in {said} (got {sorted(found)})")
        return self


class AppText(_Section):
    title: Text
    back: Text
    next: Text
    step_menu: Text
    step_menu_item: Text
    progress: Text
    key_message: Text
    FILLS = {"step_menu_item": ("number", "title"), "progress": ("step", "count")}


class ErrorText(_Section):
    heading: Text
    body: Text


class SafetyCheckText(_Section):
    yes: Text
    no: Text
    not_answered: Text
    number: Text
    back_to_answers: Text
    FILLS = {"number": ("number", "count")}


class SelfCheckText(_Section):
    heading: Text
    intro: Text
    not_a_score: Text
    meanings_heading: Text
    what_it_means: Text
    what_helps: Text


class SymptomNotesText(_Section):
    heading: Text
    intro: Text
    notice_heading: Text
    where_heading: Text
    where_intro: Text
    pain_heading: Text
    pain_intro: Text
    pain_lowest: Text
    pain_highest: Text
    duration_heading: Text
    triggers_heading: Text
    own_words_label: Text
    own_words_example: Text
    notes_heading: Text
    FILLS = {"own_words_label": ("letters",)}


class NotesText(_Section):
    """The notes for the appointment, on screen and on the summary."""

    where: Text
    pain: Text
    pain_value: Text
    duration: Text
    triggers: Text
    own_words: Text
    symptoms: Text
    not_noted: Text
    FILLS = {"pain_value": ("pain",), "own_words": ("text",)}


class PlanText(_Section):
    self_care_heading: Text
    self_care_intro: Text
    prevention_heading: Text
    prevention_intro: Text


class QuizText(_Section):
    heading: Text
    intro: Text
    question_number: Text
    check: Text
    choose_first: Text
    right: Text
    partly: Text
    wrong: Text
    right_answer: Text
    why: Text
    source: Text
    try_again: Text
    results_heading: Text
    results_intro: Text
    FILLS = {"question_number": ("number",)}


class SummaryViewText(_Section):
    heading: Text
    intro: Text
    print: Text
    download: Text
    frame_title: Text
    new_patient: Text
    new_patient_question: Text
    new_patient_confirm: Text
    new_patient_cancel: Text


class LoadingText(_Section):
    """What the page says before the workbook is on it."""

    getting_ready: Text
    needs_javascript: Text
    could_not_start_heading: Text
    could_not_start_body: Text


class ScreenText(_Section):
    """Every section of `data/ui.yaml`."""

    app: AppText
    error: ErrorText
    safety_check: SafetyCheckText
    self_check: SelfCheckText
    symptom_notes: SymptomNotesText
    notes: NotesText
    plan: PlanText
    quiz: QuizText
    summary_view: SummaryViewText
    loading: LoadingText

    @model_validator(mode="after")
    def _fills_match(self) -> ScreenText:
        return self  # the sections check their own texts
