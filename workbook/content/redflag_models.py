"""The safety check's domain objects: the warning signs, the headings they show under, and the
care cards' words, at three levels of care.

Built from `data/redflags.yaml` by `question_files.py` (`RedFlagsFile.to_domain()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CareLevel = Literal["emergency", "urgent", "non_urgent"]
# Highest first: the card shown is that of the highest level answered "yes".
CARE_LEVELS: tuple[CareLevel, ...] = ("emergency", "urgent", "non_urgent")


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
