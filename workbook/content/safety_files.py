"""The parsing models of the clinical safety case: release.yaml.

`release.yaml` says which version of the content this is, who reviewed it, when, when it is due
for review again, and which pages it was checked against.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from workbook.content.errors import Rule, broken_rules, repeated
from workbook.content.files import StrictModel, Text
from workbook.content.models import Release, ReleaseSource

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_HTTPS_URL = re.compile(r"^https://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")
_VERSION = re.compile(r"^[0-9]+\.[0-9]+\.[0-9]+$")


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
