"""The words on the screens around the article: `data/ui.yaml`.

Headings, labels, button names and short explanations, by part. Each section is a frozen,
strict model, so a missing, misspelt or extra key is an error naming it. A text that fills in
values names them in braces (`{step}`); a text must name exactly the values its place fills in,
so that an edit can neither drop a number nor ask for one that is never given.
"""

from __future__ import annotations

import string
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

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
                raise ValueError(f"{{{name}}} is not a value in braces that can be filled in")
            names.add(name)
    return names


class TextSection(BaseModel):
    """A group of texts; `FILLS` names the values each text may fill in (none if absent)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)
    FILLS: ClassVar[dict[str, tuple[str, ...]]] = {}

    @field_validator("*", mode="after")
    @classmethod
    def _fills_match(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        wanted = set(cls.FILLS.get(info.field_name or "", ()))
        found = placeholders(value)
        if found != wanted:
            said = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "no value in braces"
            raise ValueError(f"must fill in {said}")
        return value


class AppText(TextSection):
    title: Text
    back: Text
    next: Text
    step_menu: Text
    step_menu_item: Text
    progress: Text
    key_message: Text
    FILLS = {"step_menu_item": ("number", "title"), "progress": ("step", "count")}


class ErrorText(TextSection):
    heading: Text
    body: Text


class SafetyCheckText(TextSection):
    yes: Text
    no: Text
    number: Text
    back_to_answers: Text
    help_signs: Text
    help_do: Text
    FILLS = {"number": ("number", "count")}


class SelfCheckText(TextSection):
    heading: Text
    intro: Text
    not_a_score: Text
    meanings_heading: Text
    what_it_means: Text
    what_helps: Text


class SymptomNotesText(TextSection):
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


class NotesText(TextSection):
    """The notes for the appointment, on screen and on the summary."""

    where: Text
    pain: Text
    pain_value: Text
    duration: Text
    triggers: Text
    own_words: Text
    symptoms: Text
    not_noted: Text
    check: Text
    FILLS = {"pain_value": ("pain",)}


class PlanText(TextSection):
    self_care_heading: Text
    self_care_intro: Text
    prevention_heading: Text
    prevention_intro: Text


class QuizText(TextSection):
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


class SummaryViewText(TextSection):
    heading: Text
    intro: Text
    print: Text
    download: Text
    frame_title: Text
    new_patient: Text
    new_patient_question: Text
    new_patient_confirm: Text
    new_patient_cancel: Text


class ChartText(TextSection):
    """The two charts, and their text alternatives."""

    of: Text
    risk_title: Text
    risk_axis: Text
    risk_group: Text
    risk_ticked: Text
    risk_none: Text
    risk_one: Text
    risk_many: Text
    risk_part: Text
    quiz_title: Text
    quiz_axis: Text
    quiz_bar: Text
    quiz_step: Text
    quiz_step_header: Text
    quiz_right_now: Text
    quiz_right_first_time: Text
    quiz_none: Text
    quiz_some: Text
    FILLS = {
        "of": ("count", "total"),
        "risk_one": ("groups",),
        "risk_many": ("count", "groups"),
        "risk_part": ("count", "total", "group"),
        "quiz_bar": ("right", "total"),
        "quiz_step": ("step", "title"),
        "quiz_some": ("right", "total"),
    }


class WordMeaning(TextSection):
    """A word a reader may not know, and what it means, in one sentence."""

    term: Text
    meaning: Text


class SummaryText(TextSection):
    """The take-home summary page."""

    title: Text
    purpose: Text
    purpose_card: Text
    words: list[WordMeaning]
    card_notes_heading: Text
    later_heading: Text
    remember_heading: Text
    help_heading: Text
    help_call: Text
    notes_heading: Text
    help_intro: Text
    help_intro_card: Text
    plan_heading: Text
    plan_empty: Text
    plan_after_card: Text
    once: Text
    diary_heading: Text
    diary_intro: Text
    diary_column: Text
    exercise_name: Text
    exercise_times: Text
    day: Text
    pain_row: Text
    pain_scale_low: Text
    pain_scale_high: Text
    pain_scale_text: Text
    risk_heading: Text
    risk_intro: Text
    risk_none: Text
    answers_heading: Text
    answers_yes: Text
    answers_all_no: Text
    answers_check: Text
    check_action: Text
    answers_not_answered: Text
    remember_card: Text
    remember_card_notes: Text
    remember_card_plan: Text
    where_picture: Text
    where_left: Text
    where_right: Text
    answers_none: Text
    not_a_diagnosis: Text
    footer: Text
    FILLS = {
        "day": ("day",),
        "help_call": ("clinic_name", "clinic_phone"),
        "remember_card": ("action",),
        "check_action": ("action",),
        "footer": ("version", "reviewed", "clinic_name"),
        "risk_intro": ("groups",),
    }


class LoadingText(TextSection):
    """What the page says before the workbook is on it."""

    getting_ready: Text
    needs_javascript: Text
    could_not_start_heading: Text
    could_not_start_body: Text


class EveryCardText(TextSection):
    """What every care card says after its own bullets: to tell the physiotherapist, then the
    words before the signs the patient said yes to (listed under their headings)."""

    tell: Text
    said_yes: Text
    FILLS = {"tell": ("clinic_name", "clinic_phone")}


class ScreenText(TextSection):
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
    charts: ChartText
    summary: SummaryText
    loading: LoadingText
