"""The domain models: frozen, slotted dataclasses with tuples, used everywhere else.

They are built only from content that passed every check; the parsing models that check the
raw files (`files.py`, `question_files.py`, `plan_files.py`) build them with `to_domain()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from workbook.content.screen import EveryCardText, ScreenText

QuestionKind = Literal["single", "multiple", "true_false"]
CareLevel = Literal["emergency", "urgent", "non_urgent"]
# Highest first: the card shown is that of the highest level answered "yes".
CARE_LEVELS: tuple[CareLevel, ...] = ("emergency", "urgent", "non_urgent")
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
# The hazard log's scales (DCB0129), lowest first.
Severity = Literal["minor", "significant", "considerable", "major", "catastrophic"]
Likelihood = Literal["very_low", "low", "medium", "high", "very_high"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
LIKELIHOODS: tuple[Likelihood, ...] = get_args(Likelihood)
# The DCB0129 risk matrix: the rating (1 to 5) of each likelihood, by severity in SEVERITIES order.
RISK_MATRIX: dict[Likelihood, tuple[int, int, int, int, int]] = {
    "very_high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very_low": (1, 1, 2, 2, 3),
}
RISK_WORDS = {1: "Very low", 2: "Low", 3: "Medium", 4: "High", 5: "Very high"}


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
class RedFlag:
    """A warning sign, asked as a yes/no question."""

    id: str
    group: str  # the id of the RedFlagGroup it shows under
    level: CareLevel
    question: str
    sign: str
    source: str  # where the sign comes from
    level_source: str  # where its level comes from: "<standard>: <the level's action>"


@dataclass(frozen=True, slots=True)
class RedFlagGroup:
    """A heading the warning signs show under, on the page, the cards and the summary.

    `with_another_yes`: a group of facts about a person's health rather than symptoms; a yes
    in it together with a yes to any other question calls for at least this level.
    """

    id: str
    heading: str
    intro: str | None = None
    with_another_yes: CareLevel | None = None
    picture: str | None = None  # a picture beside its signs on the summary, with `picture_text`
    picture_text: str | None = None
    picture_source: str | None = None
    picture_for: tuple[str, ...] = ()  # the questions whose signs the picture shows


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
    both: str  # the words for this place and its other side, marked together
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
    region_signs: tuple["RegionSign", ...] = ()


@dataclass(frozen=True, slots=True)
class RegionSign:
    """Places on the body diagram that, marked together, may be a warning sign: the notes then
    say so, unless that sign was answered yes."""

    regions: tuple[str, ...]
    flag: str  # the warning sign's question id
    note: str


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
    """A self-care measure or prevention strategy the patient can choose.

    `label` is an action of a few words; `steps` say how to do it, how often and for how long,
    as far as the sources say (`how_source`). `diary` says whether the take-home diary gives
    the item a daily tick row; a medicine (`medicine`) never gets one.
    """

    id: str
    label: str
    steps: tuple[str, ...]
    how_source: str
    diary: bool
    source: str
    medicine: bool = False
    diary_label: str | None = None  # the diary row's heading, a few words
    picture: str | None = None  # a picture beside it on the summary, with `picture_text`
    picture_text: str | None = None
    picture_source: str | None = None


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
class ReleaseSource:
    """A page the content was checked against, and the day it was read."""

    title: str
    read_on: date
    url: str | None = None
    publisher: str | None = None  # e.g. "NHS"; sources of one publisher share it in the sources line
    cited_as: str | None = None  # its own words in the sources line, instead of its title


@dataclass(frozen=True, slots=True)
class Release:
    """The version of the content, who reviewed it and when, and what it was checked against."""

    content_version: str
    reviewed_on: date
    next_review_by: date
    reviewed_by: str
    sources_label: str
    sources: tuple[ReleaseSource, ...]


@dataclass(frozen=True, slots=True)
class Risk:
    """A hazard's risk: how bad its harm is and how likely it is, rated by RISK_MATRIX."""

    severity: Severity
    likelihood: Likelihood

    @property
    def rating(self) -> int:
        """1 (very low) to 5 (very high)."""
        return RISK_MATRIX[self.likelihood][SEVERITIES.index(self.severity)]

    @property
    def words(self) -> str:
        """The rating in words with what it comes from: "3 Medium (major × low)"."""
        scales = f"{self.severity} × {self.likelihood.replace('_', ' ')}"
        return f"{self.rating} {RISK_WORDS[self.rating]} ({scales})"


@dataclass(frozen=True, slots=True)
class HazardControl:
    """What keeps a hazard from harm, and the tests that show it works ("tests/<file>.py::<name>")."""

    control: str
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Hazard:
    """One hazard of the hazard log: what goes wrong, why, its harm, and its risk before and after
    its controls."""

    id: str
    hazard: str
    causes: tuple[str, ...]
    effect: str
    initial_risk: Risk
    controls: tuple[HazardControl, ...]
    remaining_risk: Risk


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
