"""The domain objects of the patient's choices: the self-check's causes, the symptom notes' options
and the home plan's measures.

Built from `data/risk_factors.yaml`, `data/symptoms.yaml` and `data/plan.yaml` by `plan_files.py`.
"""

from __future__ import annotations

from dataclasses import dataclass


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
