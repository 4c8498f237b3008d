"""Every sentence a patient reads, by group and by place, for the reading-level checks.

The groups: each chapter; each step's quiz questions; the safety questions; the care cards;
the self-check; the home plan; the symptom options; each section of the interface text
(`data/ui.yaml` but its `summary`, and `data/page.yaml`); and the summary's own words.

A text is split into sentences at `.`, `?`, `!` or `…` followed by a capital or a number; a
text without end punctuation is one sentence, and gets a full stop. A value in braces is
read as a short number, except on the care cards, which are read with the clinic's settings
filled in, as the patient sees them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from markdown_it import MarkdownIt

from workbook.content import Chapter, Content

SUMMARY_SECTION = "summary"  # the `ui.yaml` section with the summary's own words
# The sections of `data/page.yaml`, whose texts `PageText` holds flattened ("ended_heading").
PAGE_SECTIONS = ("ended", "busy", "error", "idle_warning")
SHORT_NUMBER = "3"
_END = ".?!…:"
_CLOSING = "\"”’')]"
# Between sentences: after end punctuation (perhaps closed by a quote or bracket), before a
# capital or a number (perhaps opened by one).
_BETWEEN = re.compile(
    r"(?:(?<=[.?!…])|(?<=[.?!…][\"”’')\]]))\s+(?=[\"“‘'(\[]?[A-Z0-9])"
)
_BRACES = re.compile(r"\{([A-Za-z_]\w*)\}")


class Sentence(NamedTuple):
    """One sentence, the group it is graded with, and where it is written."""

    group: str
    where: str
    text: str


def chapter_group(chapter: Chapter) -> str:
    return f"chapter {chapter.step}: {chapter.title}"


def quiz_group(step: int) -> str:
    return f"quiz, step {step}"


def interface_group(section: str) -> str:
    return f"interface: {section}"


def group_names(content: Content) -> tuple[str, ...]:
    """Every group, in the order of `patient_sentences`; each must have something to read."""
    return (
        *(chapter_group(chapter) for chapter in content.chapters),
        *(quiz_group(step) for step in sorted({question.step for question in content.questions})),
        "safety questions",
        "care cards",
        "self-check",
        "plan",
        "symptom options",
        *(interface_group(section) for section in _interface_sections(content)),
        interface_group("page"),
        "summary",
    )


def patient_sentences(content: Content) -> Iterator[Sentence]:
    """Every sentence a patient reads in the workbook, group by group."""
    yield from _chapters(content)
    yield from _quizzes(content)
    yield from _safety_questions(content)
    yield from _care_cards(content)
    yield from _self_check(content)
    yield from _plan(content)
    yield from _symptom_options(content)
    yield from _interface(content)
    yield from _summary(content)


def sentences(text: str) -> tuple[str, ...]:
    """A text as sentences, each ending in punctuation (a full stop added where none is)."""
    parts = _BETWEEN.split(" ".join(text.split()))
    return tuple(part if part.rstrip(_CLOSING)[-1:] in _END else f"{part}." for part in parts if part)


def filled(text: str, values: Mapping[str, str] | None = None) -> str:
    """The text with each value in braces filled in from `values`, or else read as a short number."""
    return _BRACES.sub(lambda match: (values or {}).get(match[1], SHORT_NUMBER), text)


def chapter_texts(chapter: Chapter) -> Iterator[tuple[str, str]]:
    """(where, text) of a chapter: its title, key message, then each heading, list item and
    paragraph of its items, without markup."""
    yield "title", chapter.title
    yield "key_message", chapter.key_message
    for item in chapter.items:
        for block in _text_blocks(item.markdown):
            yield f"item {item.id}", block


def _read(group: str, where: str, text: str, values: Mapping[str, str] | None = None) -> Iterator[Sentence]:
    for sentence in sentences(filled(text, values)):
        yield Sentence(group, where, sentence)


def _chapters(content: Content) -> Iterator[Sentence]:
    for chapter in content.chapters:
        for where, text in chapter_texts(chapter):
            yield from _read(chapter_group(chapter), f"chapter {chapter.id}: {where}", text)


def _text_blocks(markdown: str) -> Iterator[str]:
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            text = "".join(
                child.content if child.type in ("text", "code_inline") else " "
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            if text.strip():
                yield " ".join(text.split())


def _quizzes(content: Content) -> Iterator[Sentence]:
    for question in content.questions:
        group, place = quiz_group(question.step), f"quizzes.yaml, question {question.id}"
        yield from _read(group, f"{place}: prompt", question.prompt)
        for option in question.options:
            yield from _read(group, f"{place}, option {option.id}: text", option.text)
            yield from _read(group, f"{place}, option {option.id}: feedback", option.feedback)
        yield from _read(group, f"{place}: reason", question.reason)


def _safety_questions(content: Content) -> Iterator[Sentence]:
    for group in content.red_flag_groups:
        yield from _read("safety questions", f"redflags.yaml, group {group.id}: heading", group.heading)
        if group.intro:
            yield from _read("safety questions", f"redflags.yaml, group {group.id}: intro", group.intro)
    for flag in content.red_flags:
        yield from _read("safety questions", f"redflags.yaml, question {flag.id}: question", flag.question)
        yield from _read("safety questions", f"redflags.yaml, question {flag.id}: sign", flag.sign)


def _care_cards(content: Content) -> Iterator[Sentence]:
    clinic = {name: str(value) for name, value in dataclasses.asdict(content.clinic).items()}
    for card in content.care_cards:
        place = f"redflags.yaml, card {card.level}"
        yield from _read("care cards", f"{place}: prefix", card.prefix, clinic)
        yield from _read("care cards", f"{place}: heading", card.heading, clinic)
        for number, bullet in enumerate(card.bullets, start=1):
            yield from _read("care cards", f"{place}: bullet {number}", bullet, clinic)
    for name in type(content.card_words).model_fields:
        text = getattr(content.card_words, name)
        yield from _read("care cards", f"redflags.yaml, every_card: {name}", text, clinic)


def _self_check(content: Content) -> Iterator[Sentence]:
    for group in content.risk_groups:
        yield from _read("self-check", f"risk_factors.yaml, group {group.id}: title", group.title)
    for factor in content.risk_factors:
        for field in ("question", "meaning", "helps"):
            text = getattr(factor, field)
            yield from _read("self-check", f"risk_factors.yaml, factor {factor.id}: {field}", text)


def _plan(content: Content) -> Iterator[Sentence]:
    for part, items in (("self_care", content.self_care), ("prevention", content.prevention)):
        for item in items:
            for field in dataclasses.fields(item):
                value = getattr(item, field.name)
                # Not the id or the picture's name, nor where a text comes from (`source`,
                # `how_source`): no patient reads them.
                if field.name in ("id", "picture") or field.name.endswith("source"):
                    continue
                texts = value if isinstance(value, tuple) else (value,)
                for number, text in enumerate(texts, start=1):
                    if isinstance(text, str):
                        where = f"{field.name}[{number - 1}]" if isinstance(value, tuple) else field.name
                        yield from _read("plan", f"plan.yaml, {part} {item.id}: {where}", text)


def _symptom_options(content: Content) -> Iterator[Sentence]:
    options = content.symptom_options
    for field in dataclasses.fields(options):
        choices = getattr(options, field.name)
        if field.name == "region_signs":  # what to check when places are marked together
            for number, sign in enumerate(choices, start=1):
                yield from _read("symptom options", f"symptoms.yaml, region sign {number}: note", sign.note)
        elif isinstance(choices, tuple):
            for choice in choices:
                where = f"symptoms.yaml, {field.name} {choice.id}: label"
                yield from _read("symptom options", where, choice.label)


def _interface_sections(content: Content) -> tuple[str, ...]:
    return tuple(name for name in type(content.text).model_fields if name != SUMMARY_SECTION)


def _interface(content: Content) -> Iterator[Sentence]:
    for section in _interface_sections(content):
        yield from _section(interface_group(section), section, getattr(content.text, section))
    for field in dataclasses.fields(content.page):
        yield from _read(interface_group("page"), _page_place(field.name), getattr(content.page, field.name))


def _summary(content: Content) -> Iterator[Sentence]:
    yield from _section("summary", SUMMARY_SECTION, getattr(content.text, SUMMARY_SECTION))


def _section(group: str, name: str, section: object) -> Iterator[Sentence]:
    for field in type(section).model_fields:
        value = getattr(section, field)
        if isinstance(value, list):  # a list of small sections, such as the words a page explains
            for index, member in enumerate(value):
                yield from _section(group, f"{name}: {field}[{index}]", member)
        else:
            yield from _read(group, f"ui.yaml, {name}: {field}", value)


def _page_place(name: str) -> str:
    """Where a `PageText` field is written in `data/page.yaml` ("ended_heading": ended, heading)."""
    for section in PAGE_SECTIONS:
        if name.startswith(f"{section}_"):
            return f"page.yaml, {section}: {name.removeprefix(f'{section}_')}"
    return f"page.yaml: {name}"
