"""The parsing models' shared parts, and the models of chapter front matter, coverage, clinic and page.

Each parsing model is pydantic, strict, frozen and `extra="forbid"`, checks the shape of one
raw file (or part of one), and builds its domain object with `to_domain()`. The rules of one
item or one file sit beside their fields as validators; a broken rule is reported through
`broken_rules`, so that every rule broken in a file is listed at once with the line it is on.
The other files' models are in `question_files.py` and `plan_files.py`; rules that need
another file (the article, the chapters, plan.yaml) live in `integrity.py`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from workbook.content.errors import broken_rules, repeated
from workbook.content.models import Chapter, ChapterItem, Clinic, Coverage, PageText, PartName

Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class StrictModel(BaseModel):
    """The base of every parsing model."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def unique_ids(members: list[Any], noun: str | None = None) -> None:
    """Refuse an id used twice in one list; `noun` names the members ("item 'x'") when given."""
    broken_rules(
        repeated(
            ((index, "id"), f"{noun} {member.id!r}" if noun else None, "id", member.id)
            for index, member in enumerate(members)
        )
    )


class ChapterFrontMatter(StrictModel):
    id: Identifier
    step: Annotated[int, Field(ge=1)]
    title: Text
    key_message: Text
    # True: each item is a question (its '##' heading) shown as a section to open.
    accordion: bool = False
    # The interactive part shown with the chapter (see PART_NAMES).
    part: PartName | None = None
    # False: the key message is about caring for yourself at home, and is left off a take-home
    # sheet that tells the patient to get help first (a care card).
    remember_with_card: bool = True

    def to_domain(self, items: tuple[ChapterItem, ...]) -> Chapter:
        return Chapter(
            id=self.id, step=self.step, title=self.title, key_message=self.key_message, items=items,
            accordion=self.accordion, part=self.part, remember_with_card=self.remember_with_card,
        )


class CoverageBulletFile(StrictModel):
    bullet: Text
    item: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*$")]


class CoverageFile(StrictModel):
    sections: Annotated[list[Text], Field(min_length=1)]
    faqs: list[Text]
    bullets: list[CoverageBulletFile]

    def to_domain(self) -> Coverage:
        return Coverage(
            sections=tuple(self.sections),
            faqs=tuple(self.faqs),
            bullets=tuple((entry.bullet, entry.item) for entry in self.bullets),
        )


class ClinicFile(StrictModel):
    clinic_name: Text
    clinic_phone: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{2,19}$")]
    emergency_number: Annotated[str, Field(pattern=r"^[0-9]{2,6}$")]
    urgent_service: Text
    idle_reset_minutes: Annotated[float, Field(ge=0.5, le=120)]

    def to_domain(self) -> Clinic:
        return Clinic(**self.model_dump())


class EndedTextFile(StrictModel):
    heading: Text
    body: Text
    button: Text
    unreachable: Text


class BusyTextFile(StrictModel):
    title: Text
    heading: Text
    body: Text
    button: Text


class ErrorTextFile(BusyTextFile):
    pass


class IdleWarningFile(StrictModel):
    heading: Text
    body: Annotated[str, Field(min_length=1, pattern=r"^[^{}]*\{seconds\}[^{}]*$")]
    action: Text


class PageTextFile(StrictModel):
    reconnecting: Text
    ended: EndedTextFile
    busy: BusyTextFile
    error: ErrorTextFile
    idle_warning: IdleWarningFile

    def to_domain(self) -> PageText:
        """Flatten the page's texts: `ended.heading` becomes `ended_heading`."""
        fields = {}
        for section, values in self.model_dump().items():
            if isinstance(values, dict):
                fields.update({f"{section}_{name}": value for name, value in values.items()})
            else:
                fields[section] = values
        return PageText(**fields)
