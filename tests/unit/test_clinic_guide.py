"""The clinic guide's tables: one row per thing they list, each value from the content and the
workbook's own logic, and a change in `data/` shows in them."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from workbook.notebooks.clinic_guide import (
    CHART_CONFIG,
    NO_CARD,
    NONE,
    grades_chart,
    hazard_log,
    quiz_answers,
    reading_grades,
    risk_factor_plan,
    scenario_cards,
    warning_signs,
)
from workbook.content import load_content
from workbook.domain.plan import preselected_strategies
from workbook.domain.readability import readability_table, readings
from workbook.domain.redflags import care_card, evaluate_red_flags
from workbook.domain.scenarios import scenarios

CONTENT = load_content()
# The words each level's source must say, as the loader checks them (`level_source`).
LEVEL_SOURCES = {
    "emergency": "NHS back pain page: call 999 or go to A&E",
    "urgent": "NHS back pain page: ask for an urgent GP appointment or call 111",
}
TABLES = [warning_signs, scenario_cards, reading_grades, quiz_answers, risk_factor_plan, hazard_log]


def change_level(data_dir: Path, sign_id: str, level: str) -> None:
    """Give one warning sign of a content folder another level, with a level source that says it."""
    path = data_dir / "redflags.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {sign_id}\n")
    end = text.find("\n  - id: ", start + 1)
    block = text[start:end]
    changed = re.sub(r"(?m)^    level: .*$", f"    level: {level}", block)
    changed = re.sub(r"(?m)^    level_source: .*$", f'    level_source: "{LEVEL_SOURCES[level]}"', changed)
    assert changed != block, f"{sign_id} is already {level}"
    path.write_text(text[:start] + changed + text[end:], encoding="utf-8")


@pytest.mark.parametrize("table", TABLES)
def test_every_table_is_a_plain_frame_numbered_from_one(table):
    frame = table(CONTENT)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == list(range(1, len(frame) + 1))
    assert all(isinstance(column, str) and column == column.lower() for column in frame.columns)
    assert frame.equals(table(CONTENT))  # the same content gives the same table


def test_warning_signs_one_row_per_sign_in_order_with_the_card_words():
    frame = warning_signs(CONTENT)
    assert list(frame.columns) == ["sign", "level", "source", "level from"]
    assert list(frame["sign"]) == [flag.sign for flag in CONTENT.red_flags]
    assert list(frame["level from"]) == [flag.level_source for flag in CONTENT.red_flags]
    assert set(frame["level"]) == {"Immediate action required", "Urgent advice", "Non-urgent advice"}
    chest = frame[frame["sign"] == "Chest pain"].iloc[0]
    assert chest["level"] == "Immediate action required"
    assert chest["source"] == "Added: NHS back pain guidance (call 999 or go to A&E)"


def test_a_level_changed_in_the_data_shows_in_the_table(data_copy):
    change_level(data_copy, "chest-pain", "urgent")
    frame = warning_signs(load_content(data_copy))
    chest = frame[frame["sign"] == "Chest pain"].iloc[0]
    assert chest["level"] == "Urgent advice"
    assert chest["level from"] == "NHS back pain page: ask for an urgent GP appointment or call 111"


def test_scenario_cards_agree_with_the_safety_check():
    frame = scenario_cards(CONTENT)
    named = scenarios(CONTENT)
    assert list(frame["scenario"]) == list(named)
    for row in frame.to_dict("records"):
        groups = CONTENT.red_flag_groups
        result = evaluate_red_flags(CONTENT.red_flags, named[row["scenario"]].red_flag_answers, groups=groups)
        card = care_card(result, CONTENT.care_cards, CONTENT.clinic, CONTENT.card_words, groups=groups)
        assert row["card says first"] == ("" if card is None else card.heading)
        assert row["answered yes"] == ("; ".join(flag.sign for flag in result.triggered) or NONE)
        assert (row["card"] == NO_CARD) == (card is None)
    by_name = frame.set_index("scenario")
    assert by_name.loc["emergency-bladder-bowel", "card"] == "Immediate action required"
    assert by_name.loc["emergency-bladder-bowel", "card says first"] == "Call 999 or go to A&E now"
    assert by_name.loc["urgent-lump", "card"] == "Urgent advice"
    assert by_name.loc["nothing-answered", "card"] == NO_CARD
    # card_mode: from the safety check (step 2) on, in full there and on the summary (step 10).
    assert by_name.loc["urgent-lump", "in full on steps"] == "2, 10"
    assert by_name.loc["urgent-lump", "as one line on steps"] == "3 to 9"
    assert by_name.loc["nothing-answered", "in full on steps"] == ""


def test_a_scenario_follows_a_level_changed_in_the_data(data_copy):
    change_level(data_copy, "lump", "emergency")
    by_name = scenario_cards(load_content(data_copy)).set_index("scenario")
    assert by_name.loc["urgent-lump", "card"] == "Immediate action required"
    assert by_name.loc["urgent-lump", "card says first"] == "Call 999 or go to A&E now"


def test_reading_grades_are_those_of_the_readability_check():
    frame = reading_grades(CONTENT)
    groups = readings(CONTENT)
    assert list(frame.columns) == ["group", "grade", "longest sentence (words)", "note"]
    assert list(frame["group"]) == [group.name for group in groups]
    assert list(frame["grade"]) == [round(group.grade, 1) for group in groups]
    assert list(frame["longest sentence (words)"]) == [group.longest for group in groups]
    # The same figures as `workbook check --readability` prints, row by row.
    printed = readability_table(groups).splitlines()[1:-1]
    assert len(printed) == len(frame)
    for line, row in zip(printed, frame.to_dict("records")):
        grade, longest, rest = line.split(maxsplit=2)
        assert (float(grade), int(longest)) == (row["grade"], row["longest sentence (words)"])
        assert rest.startswith(row["group"])
        assert (f"({row['note']})" in rest) == bool(row["note"])


def test_quiz_answers_give_the_right_options_in_words():
    frame = quiz_answers(CONTENT)
    assert list(frame.columns) == ["step", "question", "right answer", "source"]
    assert len(frame) == len(CONTENT.questions)
    first = frame.iloc[0]
    assert (first["step"], first["question"], first["right answer"], first["source"]) == (
        3, "What is a back spasm?", "A back muscle that tightens on its own", "Introduction",
    )
    assert frame.set_index("question").loc[CONTENT.question("spasm-range").prompt, "right answer"] == "True"
    several = [q for q in CONTENT.questions if len(q.correct) > 1]
    assert several, "the data has a question with more than one right answer"
    row = frame[frame["question"] == several[0].prompt].iloc[0]
    assert row["right answer"].count("; ") == len(several[0].correct) - 1


def test_risk_factor_plan_names_what_each_factor_preselects():
    frame = risk_factor_plan(CONTENT)
    assert list(frame.columns) == ["group", "risk factor", "pre-selects"]
    assert list(frame["risk factor"]) == [factor.question for factor in CONTENT.risk_factors]
    labels = {item.id: item.label for item in CONTENT.prevention}
    for factor, said in zip(CONTENT.risk_factors, frame["pre-selects"]):
        chosen = preselected_strategies(CONTENT.risk_factors, (factor.id,), CONTENT.prevention)
        assert said == ("; ".join(labels[item] for item in chosen) or NONE)
    sitting = frame[frame["risk factor"] == "Do you sit for a long time most days?"].iloc[0]
    assert sitting["group"] == "Posture and weak muscles"
    assert sitting["pre-selects"] == f"{labels['posture']}; {labels['workstation']}"
    assert NONE in set(frame["pre-selects"])  # a factor no plan item helps, such as arthritis


def test_hazard_log_gives_each_hazard_its_risks_in_words_and_its_controls_with_their_tests():
    frame = hazard_log(CONTENT)
    assert list(frame.columns) == ["id", "hazard", "effect", "initial risk", "controls", "remaining risk"]
    assert list(frame["id"]) == [hazard.id for hazard in CONTENT.hazards]
    first = frame.set_index("id").loc["missed-emergency-sign"]
    assert first["hazard"] == "The safety check does not ask about an emergency warning sign."
    assert first["initial risk"] == "3 Medium (major × medium)"
    assert first["remaining risk"] == "2 Low (major × very low)"
    assert first["controls"].startswith(
        "1. The warning signs are a fixed list from the NHS back pain, cauda equina syndrome, sciatica and "
        "stroke pages, the red flags for cancer, infection and a broken bone that NHS back pain pathways list, "
        "and the article, kept in a test apart from the data with the heading each shows under, so a sign "
        "removed, added or moved fails the build. "
        "[tests: tests/unit/test_redflags.py::test_every_warning_sign_has_its_expected_level, "
    )
    for hazard, said in zip(CONTENT.hazards, frame["controls"], strict=True):
        for number, control in enumerate(hazard.controls, start=1):
            assert f"{number}. {control.control} [tests: {', '.join(control.tests)}]" in said, hazard.id


def test_a_risk_changed_in_the_data_shows_in_the_log(edit, data_copy):
    edit("hazards.yaml", "    remaining_risk: {severity: major, likelihood: low}\n",
         "    remaining_risk: {severity: major, likelihood: medium}\n")
    row = hazard_log(load_content(data_copy)).set_index("id").loc["read-as-diagnosis"]
    assert row["remaining risk"] == "3 Medium (major × medium)"


def test_grades_chart_has_one_bar_per_chapter_and_no_toolbar():
    figure = grades_chart(CONTENT)
    assert isinstance(figure, go.Figure)
    (bar,) = figure.data
    assert len(bar.y) == len(CONTENT.chapters)
    assert bar.y[0] == f"1. {CONTENT.chapter(1).title}"
    chapters = reading_grades(CONTENT).head(len(CONTENT.chapters))
    assert list(bar.x) == list(chapters["grade"])
    assert figure.layout.font.size >= 19
    assert CHART_CONFIG["displayModeBar"] is False
