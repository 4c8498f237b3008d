"""Content models in two layers.

The parsing models (`*File`, pydantic, strict, `extra="forbid"`) check the shape of each raw
file. The domain models (frozen, slotted dataclasses with tuples) are what the rest of the
package uses; they are built only from content that passed every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbook.content.screen import ScreenText

# ---------------------------------------------------------------------------------------------
# Parsing models: one per file shape.

Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
QuestionKind = Literal["single", "multiple", "true_false"]
CareLevel = Literal["emergency", "urgent", "non_urgent"]
# Highest first: the card shown is that of the highest level answered "yes".
CARE_LEVELS: tuple[CareLevel, ...] = ("emergency", "urgent", "non_urgent")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ChapterFrontMatter(_Strict):
    id: Identifier
    step: Annotated[int, Field(ge=1)]
    title: Text
    key_message: Text
    # True: each item is a question (its '##' heading) shown as a section to open.
    accordion: bool = False
    part: str | None = None


class CoverageBulletFile(_Strict):
    bullet: Text
    item: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*$")]


class CoverageFile(_Strict):
    sections: Annotated[list[Text], Field(min_length=1)]
    faqs: list[Text]
    bullets: list[CoverageBulletFile]


class QuizOptionFile(_Strict):
    id: Identifier
    text: Text
    feedback: Text


class QuizQuestionFile(_Strict):
    id: Identifier
    step: Annotated[int, Field(ge=1)]
    kind: QuestionKind
    prompt: Text
    options: Annotated[list[QuizOptionFile], Field(min_length=2)]
    correct: Annotated[list[Identifier], Field(min_length=1)]
    reason: Text
    source: Text


class QuizzesFile(_Strict):
    # Each question is validated on its own, so that one bad question hides no other problem.
    questions: list[dict[str, Any]]


class RedFlagFile(_Strict):
    id: Identifier
    level: CareLevel
    question: Text
    sign: Text
    source: Text


class CareCardFile(_Strict):
    prefix: Text
    heading: Text
    bullets: Annotated[list[Text], Field(min_length=1, max_length=3)]


class RedFlagsFile(_Strict):
    # Each question is validated on its own, so that one bad question hides no other problem.
    questions: Annotated[list[dict[str, Any]], Field(min_length=1)]
    cards: dict[CareLevel, CareCardFile]


class ChoiceFile(_Strict):
    id: Identifier
    label: Text


class RegionFile(ChoiceFile):
    row: Annotated[int, Field(ge=1, le=9)]
    column: Annotated[int, Field(ge=1, le=4)]


class SymptomsFile(_Strict):
    source: Text
    choices_source: Text
    symptoms: Annotated[list[ChoiceFile], Field(min_length=1)]
    regions: Annotated[list[RegionFile], Field(min_length=1)]
    durations: Annotated[list[ChoiceFile], Field(min_length=1)]
    triggers: Annotated[list[ChoiceFile], Field(min_length=1)]


class RiskGroupFile(_Strict):
    id: Identifier
    title: Text


class RiskFactorFile(_Strict):
    id: Identifier
    group: Identifier
    question: Text
    meaning: Text
    helps: Text
    helps_source: Text
    modifiable: bool
    strategies: list[Identifier]
    source: Text


class SelfCheckFile(_Strict):
    groups: Annotated[list[RiskGroupFile], Field(min_length=1)]
    factors: Annotated[list[RiskFactorFile], Field(min_length=1)]


class PlanItemFile(_Strict):
    id: Identifier
    label: Text
    source: Text


class PlanFile(_Strict):
    self_care: Annotated[list[PlanItemFile], Field(min_length=1)]
    prevention: Annotated[list[PlanItemFile], Field(min_length=1)]


class ClinicFile(_Strict):
    clinic_name: Text
    clinic_phone: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{2,19}$")]
    emergency_number: Annotated[str, Field(pattern=r"^[0-9]{2,6}$")]
    urgent_service: Text
    idle_reset_minutes: Annotated[float, Field(ge=0.5, le=120)]


class EndedTextFile(_Strict):
    heading: Text
    body: Text
    button: Text
    unreachable: Text


class BusyTextFile(_Strict):
    title: Text
    heading: Text
    body: Text
    button: Text


class ErrorTextFile(_Strict):
    title: Text
    heading: Text
    body: Text
    button: Text


class IdleWarningFile(_Strict):
    heading: Text
    body: Annotated[str, Field(min_length=1, pattern=r"^[^{}]*\{seconds\}[^{}]*$")]
    action: Text


class PageTextFile(_Strict):
    reconnecting: Text
    ended: EndedTextFile
    busy: BusyTextFile
    error: ErrorTextFile
    idle_warning: IdleWarningFile


# ---------------------------------------------------------------------------------------------
# Domain models: frozen, used everywhere else.


@dataclass(frozen=True, slots=True)
class ChapterItem:
    """One piece of a chapter's text, with the article section it restates."""

    id: str
    source: str
    markdown: str
    html: str


@dataclass(frozen=True, slots=True)
class Chapter:
    """One step of the workbook: its title, key message and text items."""

    id: str
    step: int
    title: str
    key_message: str
    items: tuple[ChapterItem, ...]
    accordion: bool = False
    part: str | None = None

    @property
    def markdown(self) -> str:
        return "\n\n".join(item.markdown for item in self.items)

    @property
    def html(self) -> str:
        return "\n".join(item.html for item in self.items)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.source for item in self.items))


@dataclass(frozen=True, slots=True)
class Coverage:
    """Where the article is taught: its sections, FAQs, and each bullet's chapter item."""

    sections: tuple[str, ...]
    faqs: tuple[str, ...]
    bullets: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class QuizOption:
    id: str
    text: str
    feedback: str


@dataclass(frozen=True, slots=True)
class QuizQuestion:
    """A teach-back question; `correct` holds the ids of the right options."""

    id: str
    step: int
    kind: QuestionKind
    prompt: str
    options: tuple[QuizOption, ...]
    correct: tuple[str, ...]
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A warning sign, asked as a yes/no question."""

    id: str
    level: CareLevel
    question: str
    sign: str
    source: str


@dataclass(frozen=True, slots=True)
class CareCardText:
    """The words of a care card, with {placeholders} for the clinic's settings."""

    level: CareLevel
    prefix: str
    heading: str
    bullets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """One choice the patient can make, e.g. a symptom or a trigger."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Region:
    """A place on the body diagram (back view)."""

    id: str
    label: str
    row: int
    column: int


@dataclass(frozen=True, slots=True)
class SymptomOptions:
    """The choices for the symptom notes, in the order the notes use them."""

    source: str
    choices_source: str
    symptoms: tuple[Choice, ...]
    regions: tuple[Region, ...]
    durations: tuple[Choice, ...]
    triggers: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class RiskGroup:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class RiskFactor:
    """A cause the article names, asked as a plain question."""

    id: str
    group: str
    question: str
    meaning: str
    helps: str
    helps_source: str
    modifiable: bool
    strategies: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A self-care measure or prevention strategy the patient can choose."""

    id: str
    label: str
    source: str


@dataclass(frozen=True, slots=True)
class Clinic:
    """The settings of the clinic that runs the workbook."""

    clinic_name: str
    clinic_phone: str
    emergency_number: str
    urgent_service: str
    idle_reset_minutes: float


@dataclass(frozen=True, slots=True)
class PageText:
    """What the page itself says about its own session: reconnecting, ended, busy, idle.

    Each field is a plain string; `idle_warning_body` holds `{seconds}` for the countdown.
    """

    reconnecting: str
    ended_heading: str
    ended_body: str
    ended_button: str
    ended_unreachable: str
    busy_title: str
    busy_heading: str
    busy_body: str
    busy_button: str
    error_title: str
    error_heading: str
    error_body: str
    error_button: str
    idle_warning_heading: str
    idle_warning_body: str
    idle_warning_action: str


@dataclass(frozen=True, slots=True)
class Content:
    """All validated content of the workbook."""

    chapters: tuple[Chapter, ...]
    questions: tuple[QuizQuestion, ...]
    clinic: Clinic
    article: str
    coverage: Coverage
    red_flags: tuple[RedFlag, ...]
    care_cards: tuple[CareCardText, ...]
    risk_groups: tuple[RiskGroup, ...]
    risk_factors: tuple[RiskFactor, ...]
    symptom_options: SymptomOptions
    self_care: tuple[PlanItem, ...]
    prevention: tuple[PlanItem, ...]
    page: PageText
    text: ScreenText  # the words on the screens, from data/ui.yaml

    @property
    def step_count(self) -> int:
        return len(self.chapters)

    def chapter(self, step: int) -> Chapter:
        """The chapter of a step (1-based).

        Raises:
            KeyError: no chapter has that step.
        """
        for chapter in self.chapters:
            if chapter.step == step:
                return chapter
        raise KeyError(f"no chapter for step {step!r}")

    def item(self, reference: str) -> ChapterItem:
        """A chapter item by its reference, "chapter-id/item-id".

        Raises:
            KeyError: no such item.
        """
        chapter_id, _, item_id = reference.partition("/")
        for chapter in self.chapters:
            if chapter.id == chapter_id:
                for item in chapter.items:
                    if item.id == item_id:
                        return item
        raise KeyError(f"no chapter item {reference!r}")

    def question(self, question_id: str) -> QuizQuestion:
        """A quiz question by its id.

        Raises:
            KeyError: no such question.
        """
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"no quiz question {question_id!r}")

    def questions_for(self, step: int) -> tuple[QuizQuestion, ...]:
        return tuple(question for question in self.questions if question.step == step)

    def summary_line(self) -> str:
        return (
            f"{len(self.chapters)} chapters, {len(self.questions)} quiz questions, "
            f"{len(self.red_flags)} warning-sign questions, "
            f"clinic settings for {self.clinic.clinic_name!r}: all valid"
        )
