"""Every part of the source article is taught: headings, FAQs and every bullet."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.content import InvalidContent, load_content
from workbook.content.article import article_bullets, article_headings, article_questions

CONTENT = load_content()
SOURCES = (
    [item.source for chapter in CONTENT.chapters for item in chapter.items]
    + [item.also for chapter in CONTENT.chapters for item in chapter.items if item.also]
    + [question.source for question in CONTENT.questions]
    + [flag.source for flag in CONTENT.red_flags]
)
# The only guidance content may add to the article, besides the workbook's own instructions.
ADDED_GUIDANCE = (
    "Added: NHS back pain guidance (",
    "Added: NHS cauda equina syndrome guidance (",
    "Added: NHS sciatica guidance (",
    "Added: NHS stroke guidance (",
    "Added: NHS back pain exercises (",
    "Added: Chartered Society of Physiotherapy back pain exercises (",
    "Added: NHS breathing exercise for stress (",
    "Added: NHS guidance on how to sit correctly (",
    "Added: NHS Gloucestershire back pain pathway (",
    "Added: NICE NG59 (",
    "Added: NHS medicines guidance (",
    "Added: standard medicines advice (",
    "Added: workbook guidance (",
)


def section_of_each_bullet(article: str) -> dict[str, str]:
    """Each bullet of the article with the nearest heading above it."""
    headings = set(article_headings(article))
    current, found = "", {}
    for line in article.splitlines():
        text = line.strip()
        if text in headings:
            current = text
        elif text.startswith("•"):
            found[text[1:].strip()] = current
    return found


def test_the_article_is_parsed_as_expected():
    assert len(article_headings(CONTENT.article)) == 9
    assert len(article_bullets(CONTENT.article)) == 22
    assert len(article_questions(CONTENT.article)) == 7


@pytest.mark.parametrize("heading", article_headings(CONTENT.article))
def test_every_article_heading_is_cited_by_a_content_item(heading):
    assert any(heading in source for source in SOURCES), heading


@pytest.mark.parametrize("question", article_questions(CONTENT.article))
def test_every_faq_is_cited_and_taught(question):
    assert f"FAQs: {question}" in SOURCES
    faq_chapter = next(chapter for chapter in CONTENT.chapters if chapter.accordion)
    assert f"FAQs: {question}" in faq_chapter.sources


@pytest.mark.parametrize("bullet", article_bullets(CONTENT.article))
def test_every_article_bullet_is_taught_by_a_chapter_item(bullet):
    rows = [item for start, item in CONTENT.coverage.bullets if bullet.startswith(start)]
    assert len(rows) == 1, f"bullet has {len(rows)} rows in coverage.yaml: {bullet}"
    item = CONTENT.item(rows[0])
    section = section_of_each_bullet(CONTENT.article)[bullet]
    assert section in item.source, (bullet, item.source)


def test_an_item_can_name_the_guidance_it_also_follows():
    item = CONTENT.item("questions-people-ask/serious")
    assert item.source == "FAQs: Can back spasms be a sign of a more serious condition?"
    assert item.also.startswith("Added: NHS back pain guidance (")
    assert "also:" not in item.source
    assert CONTENT.item("questions-people-ask/stress").also == ""


def test_added_content_names_the_guidance_it_comes_from():
    added = [source for source in SOURCES if source.startswith("Added: ")]
    assert added, "the welcome, pharmacist advice and NHS warning signs are added content"
    assert [source for source in added if not source.startswith(ADDED_GUIDANCE)] == []


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "coverage.yaml",
            '{bullet: "Overuse and strain", item: causes/overuse}',
            '{bullet: "Overuse and rest", item: causes/overuse}',
            "data/coverage.yaml: coverage: bullets[1].bullet: is not the start of a bullet of the "
            "article (got 'Overuse and rest')",
        ),
        (
            "coverage.yaml",
            "item: causes/overuse}",
            "item: causes/over-use}",
            "data/coverage.yaml: coverage: bullets[1].item: is not a chapter item "
            "('chapter-id/item-id') (got 'causes/over-use')",
        ),
        (
            "coverage.yaml",
            '  - "Can back spasms be prevented?"',
            '  - "Can back spasms be cured?"',
            "data/coverage.yaml: coverage: faqs[4]: is not a question of the article's FAQs "
            "(got 'Can back spasms be cured?')",
        ),
        (
            "chapters/08-prevention.md",
            "<!-- item: exercise | source: Prevention Strategies -->",
            "<!-- item: exercise | source: Prevention Tips -->",
            "data/chapters: chapter 'prevention' item 'exercise': source: must name a section or "
            "FAQ listed in coverage.yaml, or start with 'Added: ' (got 'Prevention Tips')",
        ),
        (
            "chapters/08-prevention.md",
            "<!-- item: intro | source: Prevention Strategies -->\n",
            "",
            "data/chapters/08-prevention.md: chapter 'prevention': text: has text before its first "
            "item marker (got 'You cannot always stop back spasms. But you can lower your risk.')",
        ),
        (
            "chapters/09-questions-people-ask.md",
            "| also: Added: NHS back pain guidance (how soon:",
            "| also: NHS back pain guidance (how soon:",
            "data/chapters: chapter 'questions-people-ask' item 'serious': also: must name a section or "
            "FAQ listed in coverage.yaml, or start with 'Added: ' (got 'NHS back pain guidance (how soon: "
            "call 999 or go to A&E; urgent GP appointme...)",
        ),
    ],
    ids=["bullet-not-in-article", "item-missing", "faq-not-in-article", "unknown-source", "no-marker",
         "unknown-second-source"],
)
def test_broken_coverage_is_named(edit, data_copy, monkeypatch, relative, old, new, expected):
    monkeypatch.chdir(data_copy.parent)
    edit(relative, old, new)
    with pytest.raises(InvalidContent) as caught:
        load_content(Path("data"))
    assert [problem.message for problem in caught.value.problems] == [expected]
