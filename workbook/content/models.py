"""Content models in two layers.

The parsing models (`*File`, pydantic, strict, `extra="forbid"`) check the shape of each raw
file. The domain models (frozen, slotted dataclasses with tuples) are what the rest of the
package uses; they are built only from content that passed every check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# ---------------------------------------------------------------------------------------------
# Parsing models: one per file shape.

Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
QuestionKind = Literal["single", "multiple", "true_false"]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ChapterFrontMatter(_Strict):
    id: Identifier
    step: Annotated[int, Field(ge=1)]
    title: Text
    source: Text


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


class ClinicFile(_Strict):
    clinic_name: Text
    clinic_phone: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{2,19}$")]
    emergency_number: Annotated[str, Field(pattern=r"^[0-9]{2,6}$")]
    urgent_service: Text
    idle_reset_minutes: Annotated[int, Field(ge=1, le=120)]


# ---------------------------------------------------------------------------------------------
# Domain models: frozen, used everywhere else.


@dataclass(frozen=True, slots=True)
class Chapter:
    """One step of the workbook: its title and text."""

    id: str
    step: int
    title: str
    source: str
    markdown: str
    html: str


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
    idle_reset_minutes: int


@dataclass(frozen=True, slots=True)
class Content:
    """All validated content of the workbook."""

    chapters: tuple[Chapter, ...]
    questions: tuple[QuizQuestion, ...]
    clinic: Clinic
    article: str

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

    def questions_for(self, step: int) -> tuple[QuizQuestion, ...]:
        return tuple(question for question in self.questions if question.step == step)

    def summary_line(self) -> str:
        return (
            f"{len(self.chapters)} chapters, {len(self.questions)} quiz questions, "
            f"clinic settings for {self.clinic.clinic_name!r}: all valid"
        )
