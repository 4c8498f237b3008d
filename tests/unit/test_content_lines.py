"""Every content problem in a file carries the line it is on; `located` shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.content import ContentError, InvalidContent, load_content


@pytest.fixture(autouse=True)
def relative_paths(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(data_copy.parent)


def only_problem() -> ContentError:
    with pytest.raises(InvalidContent) as caught:
        load_content(Path("data"))
    (problem,) = caught.value.problems
    return problem


def line_of(path: Path, text: str) -> int:
    """The line of the first line of a file holding `text`."""
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# (file, old text, new text, text on the line the problem must name, start of the message)
BROKEN = [
    pytest.param("quizzes.yaml", "  - id: heat-ice-time\n    step: 6\n",
                 "  - id: heat-ice-time\n    step: six\n", "step: six",
                 "data/quizzes.yaml: question 'heat-ice-time': step:", id="quiz-field"),
    pytest.param("quizzes.yaml", "    reason: A back spasm is a back muscle tightening on its own, "
                 "without you choosing it.\n",
                 "", "  - id: spasm-what",
                 "data/quizzes.yaml: question 'spasm-what': reason: is required",
                 id="quiz-missing-field-names-its-item"),
    pytest.param("quizzes.yaml", "    correct: [b]\n", "    correct: [d]\n",
                 "correct: [d]", "data/quizzes.yaml: question 'heat-ice-time': correct[0]:", id="quiz-rule"),
    pytest.param("clinic.yaml", 'urgent_service: "NHS 111"\n', 'urgent_service: "NHS 111"\ncolour: blue\n',
                 "colour: blue", "data/clinic.yaml: settings: colour:", id="clinic-field"),
    pytest.param("redflags.yaml", "    level: emergency\n    question: Do you have chest pain?",
                 "    level: critical\n    question: Do you have chest pain?",
                 "level: critical", "data/redflags.yaml: question 'chest-pain': level:", id="redflags-field"),
    pytest.param("redflags.yaml", '"Call {emergency_number} or go', '"Call {ambulance} or go',
                 "{ambulance}", "data/redflags.yaml: card 'emergency': heading:", id="redflags-card-rule"),
    pytest.param("risk_factors.yaml", "  - id: sitting\n    group: posture\n",
                 "  - id: sitting\n    group: 7\n", "group: 7",
                 "data/risk_factors.yaml: self-check: factors[0].group:", id="risk-factors-field"),
    pytest.param("symptoms.yaml", "  - {id: knotted,", "  - {id: sharp,",
                 "{id: sharp, label: \"Muscles", "data/symptoms.yaml: symptom 'sharp': id: is used twice",
                 id="symptoms-rule"),
    pytest.param("symptoms.yaml", 'row: 1, column: 1}', 'row: 1, column: 5}',
                 "column: 5", "data/symptoms.yaml: symptoms: regions[0].column:", id="symptoms-field"),
    pytest.param("plan.yaml", "  - id: medicine\n", "  - id: Medicine\n",
                 "id: Medicine", "data/plan.yaml: self-care item 'Medicine': id:", id="plan-field"),
    pytest.param("plan.yaml", "    diary: false\n    medicine: true\n", "    diary: true  # each day\n    medicine: true\n",
                 "diary: true  # each day", "data/plan.yaml: self-care item 'medicine': diary:",
                 id="plan-rule"),
    pytest.param("page.yaml", '  heading: "Your answers have been cleared"', '  heading: ""',
                 'heading: ""', "data/page.yaml: page: ended.heading: must not be empty", id="page-field"),
    pytest.param("coverage.yaml", '  - "Can back spasms be prevented?"', "  - 12",
                 "  - 12", "data/coverage.yaml: coverage: faqs[4]:", id="coverage-field"),
]


@pytest.mark.parametrize(("relative", "old", "new", "on_line", "start"), BROKEN)
def test_a_problem_in_a_yaml_file_names_its_line(edit, relative, old, new, on_line, start):
    path = edit(relative, old, new)
    problem = only_problem()
    line = line_of(path, on_line)
    assert problem.message.startswith(start), problem.message
    assert problem.line == line
    assert problem.located == f"{problem.message} (line {line})"
    assert str(problem) == problem.located


@pytest.mark.parametrize(
    ("relative", "old", "new", "on_line", "message"),
    [
        pytest.param("quizzes.yaml", "    step: 9\n", "    step: 11\n", "step: 11",
                     "data/quizzes.yaml: question 'go-away': step: must be the step of a chapter (1 to 10) "
                     "(got 11)", id="question-step"),
        pytest.param("coverage.yaml", "item: causes/overuse}", "item: causes/over-use}", "causes/over-use",
                     "data/coverage.yaml: coverage: bullets[1].item: is not a chapter item "
                     "('chapter-id/item-id') (got 'causes/over-use')", id="bullet-item"),
        pytest.param("risk_factors.yaml", "strategies: [posture, workstation]", "strategies: [posture, desk]",
                     "[posture, desk]",
                     "data/risk_factors.yaml: factor 'sitting': strategies[1]: must be a prevention strategy "
                     "of plan.yaml ('posture', 'exercise', 'stress', 'workstation') (got 'desk')",
                     id="strategy"),
        pytest.param("redflags.yaml", '    source: "When to Seek Medical Attention"\n    level_source: "NHS back pain page: call 999 or go to A&E (loss of bladder or bowel control)"\n  - id: sex',
                     '    source: "Somewhere"\n    level_source: "NHS back pain page: call 999 or go to A&E (loss of bladder or bowel control)"\n  - id: sex', '"Somewhere"',
                     "data/redflags.yaml: question 'bladder-bowel': source: must name a section or FAQ "
                     "listed in coverage.yaml, or start with 'Added: ' (got 'Somewhere')", id="source"),
    ],
)
def test_a_problem_across_files_names_its_line(edit, relative, old, new, on_line, message):
    path = edit(relative, old, new)
    problem = only_problem()
    assert problem.message == message
    assert problem.located == f"{message} (line {line_of(path, on_line)})"


def test_a_chapter_source_names_the_chapter_file_and_its_line(edit):
    path = edit("chapters/08-prevention.md", "<!-- item: exercise | source: Prevention Strategies -->",
                "<!-- item: exercise | source: Prevention Tips -->")
    problem = only_problem()
    assert problem.message.startswith("data/chapters: chapter 'prevention' item 'exercise': source: ")
    assert problem.located.endswith(
        f" (data/chapters/08-prevention.md, line {line_of(path, 'Prevention Tips')})"
    )


@pytest.mark.parametrize(
    ("old", "new", "on_line", "start"),
    [
        pytest.param("title: What causes back spasms\n", 'title: ""\n', 'title: ""',
                     "data/chapters/04-causes.md: chapter 'causes': title: must not be empty",
                     id="front-matter"),
        pytest.param("step: 4\n", "step: 3\n", "step: 3",
                     "data/chapters/04-causes.md: chapter 'causes': step: is used twice",
                     id="front-matter-twice"),
        pytest.param("Back spasms can have many causes.", "# Back spasms can have many causes.",
                     "# Back spasms",
                     "data/chapters/04-causes.md: chapter 'causes' item 'intro': text: must not use a "
                     "level-1 heading", id="item-text"),
    ],
)
def test_a_chapter_problem_names_its_line_in_the_file(edit, old, new, on_line, start):
    path = edit("chapters/04-causes.md", old, new)
    problem = only_problem()
    assert problem.message.startswith(start), problem.message
    assert problem.located == f"{problem.message} (line {line_of(path, on_line)})"


def test_a_problem_without_item_or_field_names_its_line_in_the_message():
    error = ContentError(path="data/x.yaml", line=3, hint="YAML syntax: oops")
    assert error.message == error.located == "data/x.yaml: line 3: YAML syntax: oops"


def test_every_problem_together_is_located_one_per_line(edit):
    edit("quizzes.yaml", "    correct: [b]\n", "    correct: [d]\n")
    edit("clinic.yaml", 'clinic_name: "Physiotherapy Department"', 'clinic_name: ""')
    with pytest.raises(InvalidContent) as caught:
        load_content(Path("data"))
    assert str(caught.value) == caught.value.located
    assert caught.value.located.splitlines() == [problem.located for problem in caught.value.problems]
    assert all(problem.line for problem in caught.value.problems)
