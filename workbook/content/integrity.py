"""Checks across files: what one content file names must exist in another.

Coverage against the article, each item's source against coverage, coverage's bullets
against the chapters, quiz steps against the chapters, and risk-factor strategies against
plan.yaml. Each problem names the line of the item it is about.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from workbook.content.article import article_bullets, article_questions
from workbook.content.chapters import CHAPTER_DIR, LoadedChapter
from workbook.content.errors import ContentError, dotted
from workbook.content.files import CoverageFile
from workbook.content.plan_files import PlanFile, SelfCheckFile, SymptomsFile
from workbook.content.question_files import QuizzesFile, RedFlagsFile
from workbook.content.models import Coverage
from workbook.content.source import YamlSource, shown

ADDED = "Added: "


class Citation(NamedTuple):
    """A content item that names a source, with where it is written."""

    path: str
    item: str
    source: str
    line: int | None
    line_file: str | None = None
    field: str = "source"


def known_sources(coverage: Coverage) -> frozenset[str]:
    """The sources a content item may name, besides added guidance ("Added: ...")."""
    return frozenset(coverage.sections) | {f"FAQs: {faq}" for faq in coverage.faqs}


def check_coverage(source: YamlSource, coverage: CoverageFile, article: str) -> Iterator[ContentError]:
    """Every section, FAQ and bullet coverage.yaml names is in the article."""
    lines = {line.strip() for line in article.splitlines()}
    questions = article_questions(article)
    bullets = article_bullets(article)
    wrong = [
        *((("sections", i), "is not a heading of the article", section)
          for i, section in enumerate(coverage.sections)
          if not all(part in lines for part in section.split(": "))),
        *((("faqs", i), "is not a question of the article's FAQs", faq)
          for i, faq in enumerate(coverage.faqs) if faq not in questions),
        *((("bullets", i, "bullet"), "is not the start of a bullet of the article", entry.bullet)
          for i, entry in enumerate(coverage.bullets)
          if not any(bullet.startswith(entry.bullet) for bullet in bullets)),
    ]
    for loc, hint, got in wrong:
        yield source.error(loc, item="coverage", field=dotted(loc), hint=hint, got=got)


def check_bullet_items(
    source: YamlSource, coverage: CoverageFile, chapters: Sequence[LoadedChapter]
) -> Iterator[ContentError]:
    """Every bullet of coverage.yaml is taught by an item of a chapter."""
    references = {f"{entry.chapter.id}/{item.id}" for entry in chapters for item in entry.chapter.items}
    for index, bullet in enumerate(coverage.bullets):
        if bullet.item not in references:
            loc = ("bullets", index, "item")
            yield source.error(loc, item="coverage", field=dotted(loc), got=bullet.item,
                               hint="is not a chapter item ('chapter-id/item-id')")


def check_question_steps(
    source: YamlSource, quizzes: QuizzesFile, chapters: Sequence[LoadedChapter]
) -> Iterator[ContentError]:
    """Every quiz question belongs to the step of a chapter."""
    steps = {entry.chapter.step for entry in chapters}
    for index, question in enumerate(quizzes.questions):
        if question.step not in steps:
            yield source.error(("questions", index, "step"), item=f"question {question.id!r}", field="step",
                               hint=f"must be the step of a chapter (1 to {max(steps)})", got=question.step)


def check_strategies(source: YamlSource, selfcheck: SelfCheckFile, plan: PlanFile) -> Iterator[ContentError]:
    """Every strategy a risk factor names is a prevention strategy of plan.yaml."""
    strategies = tuple(item.id for item in plan.prevention)
    for index, factor in enumerate(selfcheck.factors):
        for number, strategy in enumerate(factor.strategies):
            if strategy not in strategies:
                yield source.error(
                    ("factors", index, "strategies", number), item=f"factor {factor.id!r}",
                    field=f"strategies[{number}]", got=strategy,
                    hint=f"must be a prevention strategy of plan.yaml {strategies}",
                )


def check_sources(citations: Sequence[Citation], coverage: Coverage) -> Iterator[ContentError]:
    """Every content item's source names the article or says "Added: <guidance>"."""
    known = known_sources(coverage)
    hint = "must name a section or FAQ listed in coverage.yaml, or start with 'Added: '"
    for cited in citations:
        if cited.source not in known and not _is_added(cited.source):
            yield ContentError(path=cited.path, item=cited.item, field=cited.field, hint=hint, got=cited.source,
                               line=cited.line, line_file=cited.line_file)


def citations(
    root: Path,
    chapters: Sequence[LoadedChapter],
    quizzes: tuple[YamlSource, QuizzesFile],
    red_flags: tuple[YamlSource, RedFlagsFile] | None,
    selfcheck: tuple[YamlSource, SelfCheckFile] | None,
    symptoms: tuple[YamlSource, SymptomsFile] | None,
    plan: tuple[YamlSource, PlanFile] | None,
) -> list[Citation]:
    """Every content item that names a source, in file order."""
    folder = shown(root / CHAPTER_DIR)
    cited = [
        Citation(folder, f"chapter {entry.chapter.id!r} item {item.id!r}", source,
                 entry.source.item_line(item.id), shown(entry.source.path), field)
        for entry in chapters
        for item in entry.chapter.items
        for field, source in (("source", item.source), ("also", item.also))
        if field == "source" or source
    ]
    cited += _cited(quizzes, "questions", "question", "source")
    if red_flags is not None:
        cited += _cited(red_flags, "questions", "question", "source")
        cited += [entry for entry in _cited(red_flags, "groups", "group", "picture_source") if entry.source is not None]
    if selfcheck is not None:
        cited += _cited(selfcheck, "factors", "factor", "source")
        cited += _cited(selfcheck, "factors", "factor", "helps_source")
    if symptoms is not None:
        source, parsed = symptoms
        for field in ("source", "choices_source"):
            cited.append(Citation(source.shown, "symptoms", getattr(parsed, field), source.line((field,))))
    if plan is not None:
        for members, noun in (("self_care", "self-care item"), ("prevention", "prevention item")):
            cited += _cited(plan, members, noun, "source") + _cited(plan, members, noun, "how_source")
            cited += [entry for entry in _cited(plan, members, noun, "picture_source") if entry.source is not None]
    return cited


def _cited(loaded: tuple[YamlSource, object], members: str, noun: str, field: str) -> list[Citation]:
    """The sources named by the members of one list of a file."""
    source, parsed = loaded
    return [
        Citation(source.shown, f"{noun} {member.id!r}", getattr(member, field),
                 source.line((members, index, field)))
        for index, member in enumerate(getattr(parsed, members))
    ]


def shown_source(source: str) -> str:
    """A source as a patient reads it: without the "Added: " mark of added guidance."""
    return source.removeprefix(ADDED)


def _is_added(source: str) -> bool:
    return source.startswith(ADDED) and len(source) > len(ADDED)


def check_region_signs(symptoms: tuple[YamlSource, SymptomsFile], red_flags: tuple[YamlSource, RedFlagsFile]
                       ) -> Iterator[ContentError]:
    """Every warning sign that symptoms.yaml's region signs name is a question of redflags.yaml."""
    source, parsed = symptoms
    flags = tuple(flag.id for flag in red_flags[1].questions)
    for index, sign in enumerate(parsed.region_signs):
        if sign.flag not in flags:
            yield source.error(("region_signs", index, "flag"), item=f"region sign {index + 1}", field="flag",
                               hint="must be a question of redflags.yaml", got=sign.flag)
