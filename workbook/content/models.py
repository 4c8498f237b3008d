"""The domain models: frozen, slotted dataclasses with tuples, used everywhere else.

They are built only from content that passed every check; the parsing models that check the
raw files (`files.py`, `question_files.py`, `plan_files.py`, `safety_files.py`) build them with
`to_domain()`. Here: the chapters and their quiz questions, the clinic's settings, the page's
own words, and `Content`, which holds everything; beside it, by concern, `redflag_models.py`
(the safety check), `plan_models.py` (the self-check, the symptom notes and the home plan) and
`safety_models.py` (the release and the hazard log).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from workbook.content.plan_models import PlanItem, RiskFactor, RiskGroup, SymptomOptions
from workbook.content.redflag_models import CareCardText, RedFlag, RedFlagGroup
from workbook.content.safety_models import Hazard, Release
from workbook.content.screen import EveryCardText, ScreenText

QuestionKind = Literal["single", "multiple", "true_false"]
# The interactive parts a chapter may carry (its front matter's `part:`), at most one chapter each.
PartName = Literal[
    "safety-check", "self-check", "symptom-notes", "self-care", "help-levels", "prevention-plan",
    "quiz-results", "summary",
]
PART_NAMES: tuple[PartName, ...] = get_args(PartName)
# The parts the workbook cannot do without, and why.
REQUIRED_PARTS: dict[PartName, str] = {
    "safety-check": "the care card shows from it on, and 'help-levels' links back to it",
    "summary": "it shows the care card in full, and New patient",
}
# The parts shown under their step's questions, not above them: the quiz results chart the
# answers to those questions.
PARTS_AFTER_QUESTIONS: frozenset[PartName] = frozenset({"quiz-results"})


@dataclass(frozen=True, slots=True)
class ChapterItem:
    """One piece of a chapter's text, with the article section it restates."""

    id: str
    source: str
    markdown: str
    html: str
    # A second source the item also follows (the marker's "| also: ..."), or "".
    also: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        """Its source, then the source it also follows, if any."""
        return (self.source, self.also) if self.also else (self.source,)


@dataclass(frozen=True, slots=True)
class Chapter:
    """One step of the workbook: its title, key message, text items and interactive part."""

    id: str
    step: int
    title: str
    key_message: str
    items: tuple[ChapterItem, ...]
    accordion: bool = False
    # The interactive part shown with the chapter, one of PART_NAMES; None for text only.
    part: str | None = None
    # Whether its key message stays on a take-home sheet with a care card (get help first).
    remember_with_card: bool = True

    @property
    def part_after_questions(self) -> bool:
        """Whether its part is shown under the step's questions instead of above them."""
        return self.part in PARTS_AFTER_QUESTIONS

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
    red_flag_groups: tuple[RedFlagGroup, ...]
    care_cards: tuple[CareCardText, ...]
    card_words: EveryCardText  # what every care card says first and last (redflags.yaml `every_card`)
    risk_groups: tuple[RiskGroup, ...]
    risk_factors: tuple[RiskFactor, ...]
    symptom_options: SymptomOptions
    self_care: tuple[PlanItem, ...]
    prevention: tuple[PlanItem, ...]
    page: PageText
    text: ScreenText  # the words on the screens, from data/ui.yaml
    release: Release  # the content's version, review dates and sources, from data/release.yaml
    hazards: tuple[Hazard, ...]  # the hazard log, from data/hazards.yaml

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

    def summary_line(self, warnings: int = 0) -> str:
        """What was checked, in one line, ending "all valid", or "valid, with N warning(s)"."""
        verdict = "all valid" if not warnings else f"valid, with {warnings} warning{'s' if warnings > 1 else ''}"
        return (
            f"{len(self.chapters)} chapters, {len(self.questions)} quiz questions, "
            f"{len(self.red_flags)} warning-sign questions, {len(self.hazards)} hazards, "
            f"content version {self.release.content_version}, "
            f"clinic settings for {self.clinic.clinic_name!r}: {verdict}"
        )
