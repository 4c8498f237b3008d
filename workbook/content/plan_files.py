"""The parsing models of the files the personal plan is built from: symptoms, risk factors, plan."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from workbook.content.errors import Rule, broken_rules, repeated
from workbook.content.files import Identifier, StrictModel, Text, unique_ids
from workbook.content.plan_models import Choice, PlanItem, Region, RegionSign, RiskFactor, RiskGroup, SymptomOptions


class ChoiceFile(StrictModel):
    id: Identifier
    label: Text

    def to_domain(self) -> Choice:
        return Choice(id=self.id, label=self.label)


class RegionFile(ChoiceFile):
    both: Text
    row: Annotated[int, Field(ge=1, le=9)]
    column: Annotated[int, Field(ge=1, le=4)]

    def to_domain(self) -> Region:
        return Region(id=self.id, label=self.label, both=self.both, row=self.row, column=self.column)


class RegionSignFile(StrictModel):
    regions: Annotated[list[Identifier], Field(min_length=1)]
    flag: Identifier
    note: Text

    def to_domain(self) -> RegionSign:
        return RegionSign(regions=tuple(self.regions), flag=self.flag, note=self.note)


class SymptomsFile(StrictModel):
    source: Text
    choices_source: Text
    symptoms: Annotated[list[ChoiceFile], Field(min_length=1)]
    regions: Annotated[list[RegionFile], Field(min_length=1)]
    durations: Annotated[list[ChoiceFile], Field(min_length=1)]
    triggers: Annotated[list[ChoiceFile], Field(min_length=1)]
    # Places that, marked together, may be a warning sign (`flag`, a question of redflags.yaml).
    region_signs: list[RegionSignFile] = []

    @model_validator(mode="after")
    def _region_signs_name_regions(self) -> SymptomsFile:
        ids = tuple(region.id for region in self.regions)
        broken_rules(
            Rule(("region_signs", i, "regions", j), f"must be one of {ids}", region,
                 item=f"region sign {i + 1}", field=f"regions[{j}]")
            for i, sign in enumerate(self.region_signs)
            for j, region in enumerate(sign.regions)
            if region not in ids
        )
        return self

    @model_validator(mode="after")
    def _both_names_a_pair(self) -> SymptomsFile:
        shared = Counter(region.both for region in self.regions)
        broken_rules(
            Rule(("regions", i, "both"), "must be the same as another region's (its other side)", region.both,
                 item=f"region {region.id!r}", field="both")
            for i, region in enumerate(self.regions)
            if shared[region.both] < 2
        )
        return self

    @field_validator("symptoms", "regions", "durations", "triggers")
    @classmethod
    def _unique(cls, choices: list[ChoiceFile], info: ValidationInfo) -> list[ChoiceFile]:
        noun = str(info.field_name)[:-1]
        rules = list(repeated(((i, "id"), f"{noun} {c.id!r}", "id", c.id) for i, c in enumerate(choices)))
        if info.field_name == "regions":
            rules += repeated(
                ((i,), f"region {r.id!r}", "row, column", (r.row, r.column)) for i, r in enumerate(choices)
            )
        broken_rules(rules)
        return choices

    def to_domain(self) -> SymptomOptions:
        return SymptomOptions(
            source=self.source,
            choices_source=self.choices_source,
            symptoms=tuple(choice.to_domain() for choice in self.symptoms),
            regions=tuple(region.to_domain() for region in self.regions),
            durations=tuple(choice.to_domain() for choice in self.durations),
            triggers=tuple(choice.to_domain() for choice in self.triggers),
            region_signs=tuple(sign.to_domain() for sign in self.region_signs),
        )


class RiskGroupFile(StrictModel):
    id: Identifier
    title: Text

    def to_domain(self) -> RiskGroup:
        return RiskGroup(id=self.id, title=self.title)


class RiskFactorFile(StrictModel):
    id: Identifier
    group: Identifier
    question: Text
    meaning: Text
    helps: Text
    helps_source: Text
    modifiable: bool
    strategies: list[Identifier]
    source: Text

    def to_domain(self) -> RiskFactor:
        return RiskFactor(**{**self.model_dump(), "strategies": tuple(self.strategies)})


class SelfCheckFile(StrictModel):
    groups: Annotated[list[RiskGroupFile], Field(min_length=1)]
    factors: Annotated[list[RiskFactorFile], Field(min_length=1)]

    @field_validator("groups")
    @classmethod
    def _unique_groups(cls, groups: list[RiskGroupFile]) -> list[RiskGroupFile]:
        unique_ids(groups, "group")
        return groups

    @field_validator("factors")
    @classmethod
    def _unique_in_known_groups(
        cls, factors: list[RiskFactorFile], info: ValidationInfo
    ) -> list[RiskFactorFile]:
        rules = list(repeated(((i, "id"), f"factor {f.id!r}", "id", f.id) for i, f in enumerate(factors)))
        if "groups" in info.data:
            groups = tuple(group.id for group in info.data["groups"])
            rules += [
                Rule((i, "group"), f"must be one of {groups}", f.group,
                     item=f"factor {f.id!r}", field="group")
                for i, f in enumerate(factors)
                if f.group not in groups
            ]
        broken_rules(rules)
        return factors

    def to_domain(self) -> tuple[tuple[RiskGroup, ...], tuple[RiskFactor, ...]]:
        return tuple(g.to_domain() for g in self.groups), tuple(f.to_domain() for f in self.factors)


# The pictures the summary can show (workbook/templates/pictures/<name>.svg.j2).
Picture = Literal["ice-or-heat", "walking", "knees-to-chest", "knee-rolls", "posture", "breathing", "desk"]
# A plan item's label is the summary's row heading: an action a patient can take in at a glance.
LABEL_WORDS = 8
DIARY_LABEL_WORDS = 4


class PlanItemFile(StrictModel):
    id: Identifier
    label: Text
    # How to do it, in one to three short steps, as far as the sources say.
    steps: Annotated[list[Text], Field(min_length=1, max_length=3)]
    # Where the facts of `steps` come from, like `source`.
    how_source: Text
    # Whether the take-home diary gives the item a daily tick row, and that row's heading.
    diary: bool
    diary_label: Text | None = None
    # A medicine: the diary never asks for it to be ticked each day.
    medicine: bool = False
    source: Text
    # A black-and-white picture beside the item on the summary, and the words that say what
    # it shows (its caption, and what a screen reader reads).
    picture: Picture | None = None
    picture_text: Text | None = None
    # Where what the picture shows comes from, like `source`.
    picture_source: Text | None = None

    @model_validator(mode="after")
    def _no_daily_medicine(self) -> PlanItemFile:
        rules = []
        if len(self.label.split()) > LABEL_WORDS:
            rules.append(Rule(("label",), f"must be an action of at most {LABEL_WORDS} words; put the how in steps",
                              self.label))
        if self.diary and not self.medicine and (self.diary_label is None or len(self.diary_label.split()) > DIARY_LABEL_WORDS):
            rules.append(Rule(("diary_label",),
                              f"must be at most {DIARY_LABEL_WORDS} words, to fit a diary row" if self.diary_label
                              else f"is needed for a diary row (diary: true), in at most {DIARY_LABEL_WORDS} words",
                              self.diary_label))
        if not self.diary and self.diary_label is not None:
            rules.append(Rule(("diary_label",), "is only for a diary row (diary: true)", self.diary_label))
        if self.medicine and self.diary:
            rules.append(Rule(("diary",), "must be false for a medicine: the diary has no daily medicine tick",
                              self.diary))
        if not (self.picture is None) == (self.picture_text is None) == (self.picture_source is None):
            rules.append(Rule(("picture",), "a picture, its picture_text and its picture_source go together: "
                              "give all three or none", self.picture))
        broken_rules(rules)
        return self

    def to_domain(self) -> PlanItem:
        return PlanItem(**{**self.model_dump(), "steps": tuple(self.steps)})


class PlanFile(StrictModel):
    self_care: Annotated[list[PlanItemFile], Field(min_length=1)]
    prevention: Annotated[list[PlanItemFile], Field(min_length=1)]

    @field_validator("self_care", "prevention")
    @classmethod
    def _unique_items(cls, items: list[PlanItemFile]) -> list[PlanItemFile]:
        unique_ids(items)  # each is named by its list (see ITEM_NOUNS)
        return items

    def to_domain(self) -> tuple[tuple[PlanItem, ...], tuple[PlanItem, ...]]:
        """The self-care measures and the prevention strategies."""
        return tuple(i.to_domain() for i in self.self_care), tuple(i.to_domain() for i in self.prevention)
