"""The screen words in data/ui.yaml: complete, each filling in exactly its values, and plain."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.content import InvalidContent, load_content
from workbook.content.screen import ScreenText, placeholders

CONTENT = load_content()


def problems_after(data_copy: Path, old: str, new: str) -> list[str]:
    path = data_copy / "ui.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidContent) as caught:
        load_content(data_copy)
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("text", "names"),
    [("Step {step} of {count}", {"step", "count"}), ("No value.", set()), ("{a}{a}", {"a"})],
)
def test_placeholders_are_the_names_in_braces(text, names):
    assert placeholders(text) == names


@pytest.mark.parametrize("text", ["{", "}", "{step", "{}", "{0}", "{a b}"])
def test_a_brace_that_names_nothing_is_refused(text):
    with pytest.raises(ValueError):
        placeholders(text)


def test_every_section_is_loaded_with_its_words():
    assert CONTENT.text.app.progress.format(step=3, count=10) == "Step 3 of 10"
    assert set(type(CONTENT.text).model_fields) == {
        "app", "error", "safety_check", "self_check", "symptom_notes", "notes", "plan", "quiz",
        "summary_view", "charts", "summary", "loading",
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('progress: "Step {step} of {count}"', 'progress: "Step {step} of {total}"',
         r"^data/ui\.yaml: screen: app\.progress: must fill in \{count\}, \{step\} \(got 'Step \{step\} of \{total\}'\)"),
        ('quiz_bar: "{right} of {total} right"', 'quiz_bar: "All right"',
         r"^data/ui\.yaml: screen: charts\.quiz_bar: must fill in \{right\}, \{total\} \(got 'All right'\)"),
        ('back: "Back"', 'back: "Back {step}"',
         r"^data/ui\.yaml: screen: app\.back: must fill in no value in braces \(got 'Back \{step\}'\)"),
        ('  back: "Back"\n', "", r"^data/ui\.yaml: screen: app\.back: is required"),
        ('  back: "Back"\n', '  back: "Back"\n  colour: "blue"\n',
         r"^data/ui\.yaml: screen: app\.colour: is not a known field \(got 'blue'\)"),
        ('  back: "Back"\n', '  back: ""\n', r"^data/ui\.yaml: screen: app\.back: must not be empty"),
    ],
)
def test_a_broken_text_names_its_file_section_field_and_value(data_copy, monkeypatch, old, new, message):
    monkeypatch.chdir(data_copy.parent)
    problems = problems_after(data_copy, old, new)
    assert len(problems) == 1, problems
    assert __import__("re").search(message, problems[0]), problems[0]
