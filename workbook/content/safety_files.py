"""The parsing models of the clinical safety case: release.yaml and hazards.yaml.

`release.yaml` says which version of the content this is, who reviewed it, when, when it is due
for review again, and which pages it was checked against. `hazards.yaml` is the hazard log
(DCB0129): each hazard with its causes, its effect on the patient, its risk before and after its
controls, and the tests that show each control works. Whether those tests exist is checked by
`safety.missing_tests`, which reads the test files.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from workbook.content.errors import Rule, broken_rules, repeated
from workbook.content.files import Identifier, StrictModel, Text, unique_ids
from workbook.content.safety_models import (
    Hazard,
    HazardControl,
    Likelihood,
    Release,
    ReleaseSource,
    Risk,
    Severity,
)

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")
_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")
_TEST_NAME = re.compile(r"^tests/[A-Za-z0-9_/]+\.py::([A-Za-z_][A-Za-z0-9_]*::)?test_[A-Za-z0-9_]*$")


def _iso_date(value: Any) -> Any:
    """A date written YYYY-MM-DD (the YAML reader leaves it as text) as a date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD, for example 2026-12-06")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("is not a date that exists (written YYYY-MM-DD)") from None


def _matching(pattern: re.Pattern[str], hint: str) -> AfterValidator:
    """A check that a text matches a pattern, saying `hint` when it does not."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(hint)
        return value

    return AfterValidator(check)


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
HttpsUrl = Annotated[str, _matching(_HTTPS_URL, "must be a web address that starts with https://")]
Version = Annotated[str, _matching(_VERSION, "must be a version of three numbers, such as 2.0.0")]
TestName = Annotated[
    str,
    _matching(_TEST_NAME, "must name a test as tests/<file>.py::test_name or tests/<file>.py::TestClass::test_name"),
]


class ReleaseSourceFile(StrictModel):
    title: Text
    url: HttpsUrl | None = None
    publisher: Text | None = None
    cited_as: Text | None = None
    read_on: IsoDate

    def to_domain(self) -> ReleaseSource:
        return ReleaseSource(
            title=self.title, read_on=self.read_on, url=self.url, publisher=self.publisher,
            cited_as=self.cited_as,
        )


class ReleaseFile(StrictModel):
    content_version: Version
    reviewed_on: IsoDate
    next_review_by: IsoDate
    reviewed_by: Text
    sources_label: Text
    sources: Annotated[list[ReleaseSourceFile], Field(min_length=1)]

    @field_validator("sources")
    @classmethod
    def _unique_titles(cls, sources: list[ReleaseSourceFile]) -> list[ReleaseSourceFile]:
        broken_rules(repeated(((i, "title"), None, "title", s.title) for i, s in enumerate(sources)))
        return sources

    @model_validator(mode="after")
    def _review_after_the_last(self) -> ReleaseFile:
        if self.next_review_by <= self.reviewed_on:
            broken_rules([
                Rule(("next_review_by",), f"must be after reviewed_on ({self.reviewed_on.isoformat()})",
                     self.next_review_by.isoformat()),
            ])
        return self

    def to_domain(self) -> Release:
        return Release(
            content_version=self.content_version, reviewed_on=self.reviewed_on,
            next_review_by=self.next_review_by, reviewed_by=self.reviewed_by,
            sources_label=self.sources_label, sources=tuple(source.to_domain() for source in self.sources),
        )


class RiskFile(StrictModel):
    severity: Severity
    likelihood: Likelihood

    def to_domain(self) -> Risk:
        return Risk(severity=self.severity, likelihood=self.likelihood)


class HazardControlFile(StrictModel):
    control: Text
    tests: Annotated[list[TestName], Field(min_length=1)]

    def to_domain(self) -> HazardControl:
        return HazardControl(control=self.control, tests=tuple(self.tests))


class HazardFile(StrictModel):
    id: Identifier
    hazard: Text
    causes: Annotated[list[Text], Field(min_length=1)]
    effect: Text
    initial_risk: RiskFile
    controls: Annotated[list[HazardControlFile], Field(min_length=1)]
    remaining_risk: RiskFile

    @model_validator(mode="after")
    def _controls_lower_the_risk(self) -> HazardFile:
        initial, remaining = self.initial_risk.to_domain(), self.remaining_risk.to_domain()
        if remaining.rating > initial.rating:
            broken_rules([
                Rule(("remaining_risk",), f"must not be above the initial risk, {initial.words}", remaining.words),
            ])
        return self

    def to_domain(self) -> Hazard:
        return Hazard(
            id=self.id, hazard=self.hazard, causes=tuple(self.causes), effect=self.effect,
            initial_risk=self.initial_risk.to_domain(),
            controls=tuple(control.to_domain() for control in self.controls),
            remaining_risk=self.remaining_risk.to_domain(),
        )


class HazardsFile(StrictModel):
    hazards: Annotated[list[HazardFile], Field(min_length=1)]

    @field_validator("hazards")
    @classmethod
    def _unique_hazards(cls, hazards: list[Any]) -> list[Any]:
        unique_ids(hazards)
        return hazards

    def to_domain(self) -> tuple[Hazard, ...]:
        return tuple(hazard.to_domain() for hazard in self.hazards)
