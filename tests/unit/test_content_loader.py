"""The content loader: the real data loads, and each kind of broken file says exactly what is wrong."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from workbook.content import ContentError, InvalidContent, load_content
from workbook.content.loader import DATA_DIR_VARIABLE, DEFAULT_DATA_DIR, default_data_dir, render_markdown


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(InvalidContent) as caught:
        load_content(data_dir)
    return [problem.message for problem in caught.value.problems]


def test_real_data_loads_and_is_complete():
    content = load_content()
    assert [chapter.step for chapter in content.chapters] == list(range(1, 11))
    assert content.chapter(1).title == "Welcome"
    assert content.chapter(10).title == "Your summary"
    assert all(chapter.html.strip() and chapter.key_message for chapter in content.chapters)
    assert all(item.source for chapter in content.chapters for item in chapter.items)
    assert len(content.questions) >= 16
    assert {question.kind for question in content.questions} == {"single", "multiple", "true_false"}
    assert content.clinic.emergency_number.isdigit()
    assert "Causes of Back Muscle Spasms" in content.article


def test_the_data_folder_is_named_by_the_environment_or_else_the_project_s(monkeypatch, edit, data_copy):
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    assert default_data_dir() == DEFAULT_DATA_DIR
    monkeypatch.setenv(DATA_DIR_VARIABLE, "")
    assert default_data_dir() == DEFAULT_DATA_DIR
    edit("clinic.yaml", "Physiotherapy Department", "Back Clinic")
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(data_copy))
    assert default_data_dir() == data_copy
    assert load_content().clinic.clinic_name == "Back Clinic"


def test_plan_items_say_how_and_whether_the_diary_ticks_them():
    content = load_content()
    items = content.self_care + content.prevention
    assert all(item.steps and item.how_source for item in items)
    # Each label an action of at most 8 words, for a row heading a patient takes in at a glance.
    assert all(len(item.label.split()) <= 8 for item in items)
    # Keep moving (NICE NG59) is a plan item with a daily row.
    assert next(item for item in content.self_care if item.id == "keep-moving").diary
    medicines = [item for item in items if item.medicine]
    assert [item.id for item in medicines] == ["medicine"]
    assert not any(item.diary for item in medicines)
    assert any(item.diary for item in items)


@pytest.fixture(autouse=True)
def relative_paths(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    # Messages show paths relative to the working directory, as an editor would see them.
    monkeypatch.chdir(data_copy.parent)


BROKEN = [
    pytest.param(
        "quizzes.yaml",
        "    reason: A back spasm is a back muscle tightening on its own, without you choosing it.\n",
        "",
        r"^data/quizzes\.yaml: question 'spasm-what': reason: is required$",
        id="missing-field",
    ),
    pytest.param(
        "quizzes.yaml",
        "  - id: heat-ice-time\n    step: 6\n",
        "  - id: heat-ice-time\n    step: six\n",
        r"^data/quizzes\.yaml: question 'heat-ice-time': step: must be a whole number \(got 'six'\)$",
        id="wrong-type",
    ),
    pytest.param(
        "clinic.yaml",
        'urgent_service: "NHS 111"\n',
        'urgent_service: "NHS 111"\ncolour: blue\n',
        r"^data/clinic\.yaml: settings: colour: is not a known field \(got 'blue'\)$",
        id="unknown-key",
    ),
    pytest.param(
        "quizzes.yaml",
        "  - id: spasm-range\n",
        "  - id: spasm-what\n",
        r"^data/quizzes\.yaml: question 'spasm-what': id: is used twice \(got 'spasm-what'\)$",
        id="duplicate-id",
    ),
    pytest.param(
        "quizzes.yaml",
        "    correct: [b]\n",
        "    correct: [d]\n",
        r"^data/quizzes\.yaml: question 'heat-ice-time': correct\[0\]: "
        r"must be one of \('a', 'b', 'c'\) \(got 'd'\)$",
        id="answer-not-an-option",
    ),
    pytest.param(
        "quizzes.yaml",
        "    correct: [a, b]\n",
        "    correct: [a, b]\n    correct: [a]\n",
        r"^data/quizzes\.yaml: line \d+: YAML syntax: the key 'correct' is given twice$",
        id="duplicate-key",
    ),
    pytest.param(
        "quizzes.yaml",
        "    kind: multiple\n",
        "    kind: many\n",
        r"^data/quizzes\.yaml: question 'cause-groups': kind: "
        r"must be 'single', 'multiple' or 'true_false' \(got 'many'\)$",
        id="bad-choice",
    ),
    pytest.param(
        "quizzes.yaml",
        "    correct: [\"true\"]\n    reason: Spasms range",
        "    correct: [\"true\", \"false\"]\n    reason: Spasms range",
        r"^data/quizzes\.yaml: question 'spasm-range': correct: a 'true_false' question "
        r"must have exactly one right answer \(got \['true', 'false'\]\)$",
        id="two-answers-for-one",
    ),
    pytest.param(
        "quizzes.yaml",
        "    step: 9\n",
        "    step: 11\n",
        r"^data/quizzes\.yaml: question 'go-away': step: must be the step of a chapter "
        r"\(1 to 10\) \(got 11\)$",
        id="question-step-without-chapter",
    ),
    pytest.param(
        "chapters/04-causes.md",
        "title: What causes back spasms\n",
        "title: \"\"\n",
        r"^data/chapters/04-causes\.md: chapter 'causes': title: must not be empty \(got ''\)$",
        id="chapter-empty-title",
    ),
    pytest.param(
        "chapters/04-causes.md",
        "step: 4\n",
        "step: 3\n",
        r"^data/chapters/04-causes\.md: chapter 'causes': step: is used twice \(got 3\)$",
        id="chapter-duplicate-step",
    ),
    pytest.param(
        "clinic.yaml",
        "idle_reset_minutes: 10",
        "idle_reset_minutes: 0",
        r"^data/clinic\.yaml: settings: idle_reset_minutes: must be at least 0\.5 \(got 0\)$",
        id="idle-reset-too-short",
    ),
    pytest.param(
        "clinic.yaml",
        'emergency_number: "999"',
        "emergency_number: 999",
        r"^data/clinic\.yaml: settings: emergency_number: must be text \(put it in quotes\) \(got 999\)$",
        id="clinic-number-not-text",
    ),
    pytest.param(
        "plan.yaml",
        "    diary: false\n    medicine: true\n",
        "    diary: true\n    medicine: true\n",
        r"^data/plan\.yaml: self-care item 'medicine': diary: must be false for a medicine: "
        r"the diary has no daily medicine tick \(got True\)$",
        id="plan-medicine-in-diary",
    ),
    pytest.param(
        "plan.yaml",
        '    steps:\n      - "Sit with your back supported."\n      - "To lift, bend your knees and hold what you lift close to you."\n',
        "",
        r"^data/plan\.yaml: prevention item 'posture': steps: is required$",
        id="plan-missing-steps",
    ),
    pytest.param(
        "plan.yaml",
        'diary_label: "Sit and lift well"',
        'diary_label: "Sit well and lift well too"',
        r"^data/plan\.yaml: prevention item 'posture': diary_label: must be at most 4 words, to fit a diary row "
        r"\(got 'Sit well and lift well too'\)$",
        id="plan-long-diary-label",
    ),
    pytest.param(
        "plan.yaml",
        '    diary_label: "Sit and lift well"\n',
        "",
        r"^data/plan\.yaml: prevention item 'posture': diary_label: is needed for a diary row \(diary: true\), "
        r"in at most 4 words \(got None\)$",
        id="plan-diary-without-label",
    ),
    pytest.param(
        "plan.yaml",
        'label: "Sit and lift with good posture"',
        'label: "Think about how you sit, stand and lift each day"',
        r"^data/plan\.yaml: prevention item 'posture': label: must be an action of at most 8 words; put the how "
        r"in steps \(got 'Think about how you sit, stand and lift each day'\)$",
        id="plan-label-too-long",
    ),
    pytest.param(
        "plan.yaml",
        "    diary: true\n    diary_label: \"Sit and lift well\"\n",
        "    diary: daily\n    diary_label: \"Sit and lift well\"\n",
        r"^data/plan\.yaml: prevention item 'posture': diary: must be a valid boolean \(got 'daily'\)$",
        id="plan-diary-not-true-or-false",
    ),
]


@pytest.mark.parametrize(("relative", "old", "new", "expected"), BROKEN)
def test_each_broken_file_names_file_item_and_field(edit, data_copy, relative, old, new, expected):
    edit(relative, old, new)
    problems = problems_of(Path("data"))
    assert len(problems) == 1, problems
    assert re.match(expected, problems[0]), problems[0]


def test_yaml_syntax_error_names_the_line(edit):
    path = edit("quizzes.yaml", "    prompt: What is a back spasm?\n",
                "    prompt: What is a back spasm?\n   bad: [\n")
    line = path.read_text().splitlines().index("   bad: [") + 1
    (problem,) = problems_of(Path("data"))
    assert problem.startswith(f"data/quizzes.yaml: line {line}: YAML syntax: ")


def test_all_problems_in_a_file_are_reported_at_once(edit, data_copy):
    edit("quizzes.yaml", "    kind: multiple\n", "    kind: many\n")
    edit("quizzes.yaml", "    correct: [b]\n", "    correct: [d]\n")
    edit("clinic.yaml", 'clinic_phone: "01632 960000"', 'clinic_phone: "call us"')
    problems = problems_of(Path("data"))
    assert problems == [
        "data/quizzes.yaml: question 'cause-groups': kind: "
        "must be 'single', 'multiple' or 'true_false' (got 'many')",
        "data/quizzes.yaml: question 'heat-ice-time': correct[0]: "
        "must be one of ('a', 'b', 'c') (got 'd')",
        "data/clinic.yaml: settings: clinic_phone: has a form that is not allowed "
        "(pattern ^\\+?[0-9][0-9 ()-]{2,19}$) (got 'call us')",
    ]


def test_missing_file_is_named(data_copy):
    os.remove(data_copy / "clinic.yaml")
    assert problems_of(Path("data")) == ["data/clinic.yaml: is missing"]


def test_gap_in_steps_is_reported(data_copy):
    os.remove(data_copy / "chapters" / "05-symptoms-and-diagnosis.md")
    problems = problems_of(Path("data"))
    assert problems[0] == (
        "data/chapters: step: steps must run 1, 2, 3 ... with no gap "
        "(got [1, 2, 3, 4, 6, 7, 8, 9, 10])"
    )


def test_level_one_heading_in_a_chapter_is_refused(edit):
    edit("chapters/06-treatment.md", "## Things you can do yourself", "# Things you can do yourself")
    assert problems_of(Path("data")) == [
        "data/chapters/06-treatment.md: chapter 'treatment' item 'self-care-intro': text: must not "
        "use a level-1 heading: the title is the page heading; use '##' "
        "(got '# Things you can do yourself')"
    ]


def test_front_matter_yaml_error_gives_the_line_in_the_file(edit):
    edit("chapters/04-causes.md", "title: What causes back spasms\n", "title: [Causes\n")
    (problem,) = problems_of(Path("data"))
    assert problem.startswith("data/chapters/04-causes.md: line 5: YAML syntax: ")


def test_content_error_is_a_value_error_with_its_parts():
    error = ContentError(path="data/x.yaml", item="question 'q'", field="options[2].text", hint="is required")
    assert isinstance(error, ValueError)
    assert str(error) == "data/x.yaml: question 'q': options[2].text: is required"


def test_markdown_raw_html_is_shown_not_run():
    html = render_markdown('Hello <img src=x onerror="alert(1)"> **there**')
    assert "<img" not in html
    assert "&lt;img" in html
    assert "<strong>there</strong>" in html
