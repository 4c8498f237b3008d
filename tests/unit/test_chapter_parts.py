"""A chapter's front matter names the interactive part it carries (`part:`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.content import PART_NAMES, InvalidContent, load_content


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(InvalidContent) as caught:
        load_content(data_dir)
    return [problem.located for problem in caught.value.problems]


def test_each_part_is_carried_by_one_chapter_of_the_real_data():
    parts = {chapter.part: chapter.id for chapter in load_content().chapters if chapter.part}
    assert parts == {
        "safety-check": "safety-check",
        "self-check": "causes",
        "symptom-notes": "symptoms-and-diagnosis",
        "self-care": "treatment",
        "help-levels": "when-to-get-help",
        "prevention-plan": "prevention",
        "quiz-results": "questions-people-ask",
        "summary": "your-summary",
    }
    assert tuple(parts) == PART_NAMES
    assert load_content().chapter(1).part is None


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        pytest.param(
            "chapters/04-causes.md", "part: self-check\n", "part: risk-check\n",
            "data/chapters/04-causes.md: chapter 'causes': part: must be 'safety-check', 'self-check', "
            "'symptom-notes', 'self-care', 'help-levels', 'prevention-plan', 'quiz-results' or 'summary' "
            "(got 'risk-check') (line 6)",
            id="unknown-part",
        ),
        pytest.param(
            "chapters/08-prevention.md", "part: prevention-plan\n", "part: self-check\n",
            "data/chapters/08-prevention.md: chapter 'prevention': part: is used twice: chapter 'causes' "
            "has it too (got 'self-check') (line 6)",
            id="part-twice-names-both-chapters",
        ),
    ],
)
def test_a_bad_part_is_named(edit, data_copy, monkeypatch, relative, old, new, expected):
    monkeypatch.chdir(data_copy.parent)
    edit(relative, old, new)
    assert problems_of(Path("data")) == [expected]


def test_a_chapter_may_carry_no_part(edit, data_copy):
    edit("chapters/04-causes.md", "part: self-check\n", "")
    assert load_content(data_copy).chapter(4).part is None


@pytest.mark.parametrize(
    ("relative", "line", "part", "why"),
    [
        ("chapters/02-safety-check.md", "part: safety-check\n", "safety-check",
         "the care card shows from it on, and 'help-levels' links back to it"),
        ("chapters/10-your-summary.md", "part: summary\n", "summary", "it shows the care card in full, and New patient"),
    ],
)
def test_the_workbook_cannot_do_without_the_safety_check_and_the_summary(
    edit, data_copy, monkeypatch, relative, line, part, why
):
    monkeypatch.chdir(data_copy.parent)
    edit(relative, line, "")
    assert problems_of(Path("data")) == [f"data/chapters: part: one chapter must carry {part!r} ({why})"]
