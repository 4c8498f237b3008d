"""The parsing models of the question files: quizzes.yaml and redflags.yaml."""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from workbook.content.errors import Rule, broken_rules, repeated
from workbook.content.files import Identifier, StrictModel, Text, unique_ids
from workbook.content.screen import EveryCardText
from workbook.content.models import QuestionKind, QuizOption, QuizQuestion
from workbook.content.redflag_models import CARE_LEVELS, CareCardText, CareLevel, RedFlag, RedFlagGroup

# The clinic settings a care card may name, as {placeholder}.
CARD_PLACEHOLDERS = ("emergency_number", "urgent_service", "clinic_name", "clinic_phone")
# The standards a warning sign's level may come from, and the words each level's action has
# (the NHS back pain page's: "call 999 or go to A&E", "ask for an urgent GP appointment or
# call 111", "see a GP"; the other standards' levels are said in those words).
LEVEL_STANDARDS = (
    "NHS back pain page", "NHS cauda equina syndrome page", "NHS sciatica page", "NHS stroke page",
    "NHS Gloucestershire back pain pathway", "NHS acute back pain pathway", "NICE NG59",
)
LEVEL_ACTIONS: dict[CareLevel, str] = {
    "emergency": "call 999 or go to A&E",
    "urgent": "ask for an urgent GP appointment or call 111",
    "non_urgent": "see a GP",
}


class QuizOptionFile(StrictModel):
    id: Identifier
    text: Text
    feedback: Text

    def to_domain(self) -> QuizOption:
        return QuizOption(id=self.id, text=self.text, feedback=self.feedback)


class QuizQuestionFile(StrictModel):
    id: Identifier
    step: Annotated[int, Field(ge=1)]
    kind: QuestionKind
    prompt: Text
    options: Annotated[list[QuizOptionFile], Field(min_length=2)]
    correct: Annotated[list[Identifier], Field(min_length=1)]
    reason: Text
    source: Text

    @model_validator(mode="after")
    def _answers_fit_the_options(self) -> QuizQuestionFile:
        option_ids = tuple(option.id for option in self.options)
        rules = list(repeated((("options", i, "id"), None, None, o.id) for i, o in enumerate(self.options)))
        rules += [
            Rule(("correct", index), f"must be one of {option_ids}", answer)
            for index, answer in enumerate(self.correct)
            if answer not in option_ids
        ]
        if self.kind in ("single", "true_false") and len(self.correct) != 1:
            rules.append(
                Rule(("correct",), f"a '{self.kind}' question must have exactly one right answer",
                     self.correct)
            )
        if self.kind == "true_false" and sorted(option_ids) != ["false", "true"]:
            rules.append(
                Rule(("options",), "a 'true_false' question must have the options 'true' and 'false'",
                     list(option_ids))
            )
        if len(set(self.correct)) != len(self.correct):
            rules.append(Rule(("correct",), "lists an option twice", self.correct))
        broken_rules(rules)
        return self

    def to_domain(self) -> QuizQuestion:
        return QuizQuestion(
            id=self.id, step=self.step, kind=self.kind, prompt=self.prompt,
            options=tuple(option.to_domain() for option in self.options),
            correct=tuple(self.correct), reason=self.reason, source=self.source,
        )


class QuizzesFile(StrictModel):
    questions: list[QuizQuestionFile]

    @field_validator("questions")
    @classmethod
    def _unique_questions(cls, questions: list[Any]) -> list[Any]:
        unique_ids(questions)
        return questions

    def to_domain(self) -> tuple[QuizQuestion, ...]:
        return tuple(question.to_domain() for question in self.questions)


class RedFlagGroupFile(StrictModel):
    id: Identifier
    heading: Text
    intro: Text | None = None
    with_another_yes: CareLevel | None = None
    # A black-and-white picture beside the group's signs on the summary
    # (workbook/templates/pictures/<name>.svg.j2), what it shows, and where that comes from.
    picture: Literal["saddle-area-large"] | None = None
    picture_text: Text | None = None
    picture_source: Text | None = None
    # The questions of the group whose signs the picture shows: it shows beside them only.
    picture_for: list[Identifier] = []

    @model_validator(mode="after")
    def _picture_with_its_words(self) -> RedFlagGroupFile:
        given = (self.picture, self.picture_text, self.picture_source, self.picture_for or None)
        if len({value is None for value in given}) > 1:
            broken_rules([Rule(("picture",), "a picture, its picture_text, picture_source and picture_for go "
                               "together: give all four or none", self.picture)])
        return self

    def to_domain(self) -> RedFlagGroup:
        return RedFlagGroup(**{**self.model_dump(), "picture_for": tuple(self.picture_for)})


class RedFlagFile(StrictModel):
    id: Identifier
    group: Identifier
    level: CareLevel
    question: Text
    sign: Text
    source: Text
    level_source: Text

    @model_validator(mode="after")
    def _level_from_a_standard(self) -> RedFlagFile:
        standard, _, action = self.level_source.partition(": ")
        expected = LEVEL_ACTIONS[self.level]
        rules = []
        if standard not in LEVEL_STANDARDS:
            rules.append(Rule(("level_source",), f"must start with one of {LEVEL_STANDARDS} and ': '",
                              self.level_source))
        elif not action.startswith(expected):
            rules.append(Rule(("level_source",), f"a '{self.level}' sign must say '{expected}' after "
                              f"'{standard}: '", self.level_source))
        broken_rules(rules)
        return self

    def to_domain(self) -> RedFlag:
        return RedFlag(
            id=self.id, group=self.group, level=self.level, question=self.question, sign=self.sign,
            source=self.source,
            level_source=self.level_source,
        )


class CareCardFile(StrictModel):
    prefix: Text
    heading: Text
    bullets: Annotated[list[Text], Field(min_length=1, max_length=3)]

    def to_domain(self, level: CareLevel) -> CareCardText:
        return CareCardText(
            level=level, prefix=self.prefix, heading=self.heading, bullets=tuple(self.bullets)
        )


class RedFlagsFile(StrictModel):
    groups: Annotated[list[RedFlagGroupFile], Field(min_length=1)]
    questions: Annotated[list[RedFlagFile], Field(min_length=1)]
    cards: dict[CareLevel, CareCardFile]
    every_card: EveryCardText

    @field_validator("groups", "questions")
    @classmethod
    def _unique_ids(cls, entries: list[Any]) -> list[Any]:
        unique_ids(entries)
        return entries

    @model_validator(mode="after")
    def _every_question_in_a_group(self) -> RedFlagsFile:
        group_ids = tuple(group.id for group in self.groups)
        used = {flag.group for flag in self.questions}
        rules = [
            Rule(("questions", i, "group"), f"must be one of {group_ids}", flag.group,
                 item=f"question {flag.id!r}", field="group")
            for i, flag in enumerate(self.questions)
            if flag.group not in group_ids
        ]
        rules += [
            Rule(("groups", i), "has no question; give it one or remove it", group.id,
                 item=f"group {group.id!r}", field="id")
            for i, group in enumerate(self.groups)
            if group.id not in used
        ]
        rules += [
            Rule(("groups", i, "picture_for", j), "must be a question of this group", flag_id,
                 item=f"group {group.id!r}", field=f"picture_for[{j}]")
            for i, group in enumerate(self.groups)
            for j, flag_id in enumerate(group.picture_for)
            if flag_id not in {flag.id for flag in self.questions if flag.group == group.id}
        ]
        broken_rules(rules)
        return self

    @field_validator("cards")
    @classmethod
    def _every_level_with_known_placeholders(
        cls, cards: dict[CareLevel, CareCardFile]
    ) -> dict[CareLevel, CareCardFile]:
        rules = [
            Rule((), "is required", item="cards", field=level) for level in CARE_LEVELS if level not in cards
        ]
        for level, card in cards.items():
            texts = [(("heading",), "heading", card.heading)]
            texts += [(("bullets", i), f"bullets[{i}]", bullet) for i, bullet in enumerate(card.bullets)]
            rules += [
                Rule((level, *loc), f"uses {{{name}}}; a card may use only {CARD_PLACEHOLDERS}", value,
                     item=f"card {level!r}", field=field)
                for loc, field, value in texts
                for name in _placeholders(value)
                if name not in CARD_PLACEHOLDERS
            ]
        broken_rules(rules)
        return cards

    def to_domain(
        self,
    ) -> tuple[tuple[RedFlag, ...], tuple[RedFlagGroup, ...], tuple[CareCardText, ...], EveryCardText]:
        """The warning signs in the order they are asked (group by group), their groups, the
        care cards from the highest level down, and what every card says (frozen and strict
        already, so used as it is)."""
        order = [group.id for group in self.groups]
        return (
            tuple(flag.to_domain() for flag in sorted(self.questions, key=lambda flag: order.index(flag.group))),
            tuple(group.to_domain() for group in self.groups),
            tuple(self.cards[level].to_domain(level) for level in CARE_LEVELS),
            self.every_card,
        )


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return ["(an unclosed brace)"]
