"""The chapter notebooks are written from `data/` alone, and a notebook that drifts from it is named."""

from __future__ import annotations

import ast
import json
from html import escape
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt

from workbook import cli
from workbook.content import load_content
from workbook.content.loader import DEFAULT_DATA_DIR
from workbook.notebooks.build import (
    SHOW_PART,
    SHOW_QUESTION,
    chapter_notebooks,
    markdown_text,
    notebook_drift,
    notebook_folder,
    write_notebooks,
)

NOTEBOOKS = notebook_folder(DEFAULT_DATA_DIR)
# As JupyterLab and GitHub render a Markdown cell: raw HTML such as <small> is shown as HTML.
RENDER = MarkdownIt("commonmark", {"html": True})


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def expected(content) -> dict[str, str]:
    return chapter_notebooks(content)


def cells(text: str) -> list[dict]:
    return nbformat.reads(text, as_version=4).cells


def test_every_committed_notebook_is_what_data_gives(expected):
    assert notebook_drift(expected, NOTEBOOKS) == []


def test_one_notebook_per_chapter_named_by_step_and_id(content, expected):
    assert list(expected) == [
        "01_welcome.ipynb", "02_safety_check.ipynb", "03_what_are_back_spasms.ipynb", "04_causes.ipynb",
        "05_symptoms_and_diagnosis.ipynb", "06_treatment.ipynb", "07_when_to_get_help.ipynb",
        "08_prevention.ipynb", "09_questions_people_ask.ipynb", "10_your_summary.ipynb",
    ]
    assert len(expected) == content.step_count


def test_a_drifted_cell_is_named_with_its_notebook_index_and_id(expected, tmp_path):
    write_notebooks(expected, tmp_path)
    assert notebook_drift(expected, tmp_path) == []
    path = tmp_path / "04_causes.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][2]["source"] = ["A hand-edited line.\n"]
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    (problem,) = notebook_drift(expected, tmp_path)
    assert problem.startswith(f"{path}: cell 2 (id 'causes_item_posture') differs from the content; ")
    assert problem.endswith("run 'workbook notebooks' to write it again")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda cells: cells.append(dict(cells[0], id="extra")), "cell 10 (id 'extra') is not in the content"),
        (lambda cells: cells.pop(), "cell 9 (id 'causes_question_cause-conditions') is missing"),
        (lambda cells: cells[0]["metadata"].update(tags=["x"]), "cell 0 (id 'causes_title') differs"),
    ],
)
def test_a_cell_added_or_lost_is_named_too(expected, tmp_path, change, said):
    write_notebooks(expected, tmp_path)
    path = tmp_path / "04_causes.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    change(notebook["cells"])
    path.write_text(json.dumps(notebook), encoding="utf-8")
    (problem,) = notebook_drift(expected, tmp_path)
    assert said in problem


def test_a_missing_a_broken_and_a_stray_notebook_are_named(expected, tmp_path):
    write_notebooks(expected, tmp_path)
    (tmp_path / "01_welcome.ipynb").unlink()
    (tmp_path / "02_safety_check.ipynb").write_text("{", encoding="utf-8")
    (tmp_path / "11_old.ipynb").write_text("{}", encoding="utf-8")
    assert notebook_drift(expected, tmp_path) == [
        f"{tmp_path}/01_welcome.ipynb: missing; run 'workbook notebooks' to write it again",
        f"{tmp_path}/02_safety_check.ipynb: not a notebook: not JSON (Expecting property name enclosed in "
        "double quotes, line 1); run 'workbook notebooks' to write it again",
        f"{tmp_path}/11_old.ipynb: no chapter gives this notebook; run 'workbook notebooks' to remove it",
    ]
    written, removed = write_notebooks(expected, tmp_path)
    assert [path.name for path in written] == ["01_welcome.ipynb", "02_safety_check.ipynb"]
    assert [path.name for path in removed] == ["11_old.ipynb"]
    assert notebook_drift(expected, tmp_path) == []


def test_writing_again_gives_the_same_bytes_and_writes_nothing(content, expected, tmp_path):
    write_notebooks(expected, tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert write_notebooks(chapter_notebooks(content), tmp_path) == ([], [])
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


def test_notebooks_are_written_as_nbformat_writes_them(expected):
    for text in expected.values():
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
        assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
        assert notebook.metadata.kernelspec.name == "python3"
        assert text == nbformat.writes(notebook) + "\n"
        assert text.startswith('{\n "cells": [\n  {\n')
        for cell in notebook.cells:
            assert cell.cell_type == "markdown" or (cell.outputs == [] and cell.execution_count is None)


def test_the_first_cell_is_the_title_and_what_to_remember(content, expected):
    for chapter, text in zip(content.chapters, expected.values()):
        first = cells(text)[0]
        assert first.id == f"{chapter.id}_title"
        assert first.source.startswith(f"# {markdown_text(chapter.title)}\n")
        html = RENDER.render(first.source)
        assert "<strong>What to remember</strong>" in html
        assert html.count("<h1>") == 1 and "<blockquote>" in html
        assert content.text.app.key_message == "What to remember"
        assert chapter.key_message.replace("&", "&amp;") in html


def test_each_item_is_its_markdown_as_written_then_its_source_in_small_print(content, expected):
    for chapter, text in zip(content.chapters, expected.values()):
        item_cells = [cell for cell in cells(text) if cell.id.startswith(f"{chapter.id}_item_")]
        assert [cell.id for cell in item_cells] == [f"{chapter.id}_item_{item.id}" for item in chapter.items]
        for item, cell in zip(chapter.items, item_cells):
            markdown, _, note = cell.source.rpartition("\n\n")
            assert markdown == item.markdown
            assert note.startswith("<small>Source: ") and note.endswith("</small>")
            assert "Added:" not in note


def test_a_source_shows_without_its_mark_and_with_what_it_also_follows(expected):
    notes = {cell.id: cell.source.rpartition("\n\n")[2] for text in expected.values() for cell in cells(text)}
    assert notes["welcome_item_about"] == "<small>Source: workbook guidance (no clinical claim)</small>"
    serious = notes["questions-people-ask_item_serious"]
    assert serious.startswith("<small>Source: FAQs: Can back spasms be a sign of a more serious condition?; "
                              "NHS back pain guidance (how soon: call 999 or go to A&E;")
    rendered = RENDER.renderInline(serious)
    assert rendered.startswith("<small>Source: FAQs:") and "A&amp;E" in rendered


def test_parts_and_questions_come_where_the_dashboard_shows_them(content, expected):
    causes = [cell.id for cell in cells(expected["04_causes.ipynb"])]
    assert causes == [
        "causes_title", "causes_item_intro", "causes_item_posture", "causes_item_overuse",
        "causes_item_conditions", "causes_item_stress", "causes_part_self-check", "causes_questions",
        "causes_question_cause-groups", "causes_question_cause-conditions",
    ]
    faq = [cell.id for cell in cells(expected["09_questions_people_ask.ipynb"])]
    assert faq[-1] == "questions-people-ask_part_quiz-results", "the results come under the questions they chart"
    assert faq.index("questions-people-ask_questions") < faq.index("questions-people-ask_question_go-away")
    welcome = [cell.id for cell in cells(expected["01_welcome.ipynb"])]
    assert welcome == ["welcome_title", "welcome_item_about", "welcome_item_how"], "text only: no code cell"


def test_the_questions_heading_is_the_dashboards(content, expected):
    (heading,) = [cell for cell in cells(expected["04_causes.ipynb"]) if cell.id == "causes_questions"]
    assert heading.source == f"## {content.text.quiz.heading}\n\n{content.text.quiz.intro}"


def test_code_cells_only_name_a_part_or_a_question(content, expected):
    names = {
        SHOW_PART: {chapter.part for chapter in content.chapters},
        SHOW_QUESTION: {question.id for question in content.questions},
    }
    called: dict[str, set[str]] = {SHOW_PART: set(), SHOW_QUESTION: set()}
    for text in expected.values():
        for cell in cells(text):
            if cell.cell_type != "code":
                continue
            imported, call = ast.parse(cell.source).body
            assert isinstance(imported, ast.ImportFrom) and imported.module == "workbook.ui.notebook"
            function, (argument,) = call.value.func.id, call.value.args
            assert [alias.name for alias in imported.names] == [function]
            assert argument.value in names[function]
            called[function].add(argument.value)
    assert called[SHOW_PART] == names[SHOW_PART] - {None}
    assert called[SHOW_QUESTION] == names[SHOW_QUESTION], "every question is in one notebook"


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("Call 999 or go to A&E now.", "Call 999 or go to A&E now."),
        ("a *star*, an _under_ and <b>", "a \\*star\\*, an \\_under\\_ and \\<b\\>"),
        ("# not a heading", "\\# not a heading"),
        ("&amp; stays", "\\&amp; stays"),
        ("A&E; A&B", "A&E; A&B"),
    ],
)
def test_plain_text_shows_as_written(text, markdown):
    assert markdown_text(text) == markdown
    assert RENDER.render(markdown) == f"<p>{escape(text, quote=False)}</p>\n"


def test_the_command_writes_checks_and_check_reports_drift(data_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["notebooks", "--data-dir", "data"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "wrote notebooks/chapters/01_welcome.ipynb"
    assert out[-1] == "notebooks/chapters: 10 chapter notebooks, 10 written"
    assert cli.main(["notebooks", "--data-dir", "data", "--check"]) == 0
    assert cli.main(["check", "data"]) == 0
    # Valid, with the one warning of the example phone number the copy ships with.
    assert capsys.readouterr().out.splitlines()[-1].endswith(": valid, with 1 warning")
    path = Path("notebooks/chapters/06_treatment.ipynb")
    path.write_text(path.read_text(encoding="utf-8").replace("Ice or heat", "Ice or warmth", 1), encoding="utf-8")
    drift = ("notebooks/chapters/06_treatment.ipynb: cell 2 (id 'treatment_item_ice-heat') differs from the "
             "content; run 'workbook notebooks' to write it again")
    assert cli.main(["notebooks", "--data-dir", "data", "--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [drift]
    assert cli.main(["check", "data"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[1:] == [drift]
    assert captured.out.rstrip().endswith(": valid, with 1 warning"), "the content itself is valid"
    assert cli.main(["notebooks", "--data-dir", "data"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote notebooks/chapters/06_treatment.ipynb", "notebooks/chapters: 10 chapter notebooks, 1 written",
    ]
