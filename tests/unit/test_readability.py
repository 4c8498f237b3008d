"""Every chapter reads at grade 8 or below (Flesch-Kincaid), measured offline."""

from __future__ import annotations

import pytest

from workbook.content import load_content
from workbook.readability import MAX_GRADE, chapter_grade, chapter_sentences, grade_level

CONTENT = load_content()


@pytest.fixture(autouse=True)
def no_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("a download was attempted")

    monkeypatch.setattr(nltk, "download", refuse)


@pytest.mark.parametrize("chapter", CONTENT.chapters, ids=lambda chapter: chapter.id)
def test_chapter_reads_at_grade_8_or_below(chapter):
    assert chapter_grade(chapter) <= MAX_GRADE


def test_the_measure_can_fail_on_hard_text():
    # The source article itself measures far above the limit.
    assert grade_level(CONTENT.article) > 11


def test_headings_and_list_items_count_as_sentences():
    sentences = chapter_sentences(CONTENT.chapter(5))
    assert "Signs of a back spasm." in sentences
    assert "Sharp, strong pain in your back." in sentences
    assert sentences[0] == "Signs and finding the cause."


def test_markup_is_not_counted_as_words():
    sentences = chapter_sentences(CONTENT.chapter(6))
    assert not any("**" in sentence or "<" in sentence for sentence in sentences)
