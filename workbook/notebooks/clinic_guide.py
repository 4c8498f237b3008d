"""The clinic guide: what the workbook decides and from what, as plain tables. Pure, no widgets.

Each table is computed from the content by the logic the workbook itself runs (the safety
check in `redflags.py`, the reading grades in `readability.py`, the plan's pre-selection in
`plan.py`, the risk matrix in `content/safety_models.py`), so the guide
(`notebooks/clinic-guide.ipynb`) shows what the workbook does, never a copy of it. The tables are
for the clinician who signs the workbook off: their column names are the guide's own; every
value comes from `data/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from workbook.content import Content
from workbook.domain.figures import BAR_COLOUR, CONFIG, FONT
from workbook.domain.patient_text import chapter_group
from workbook.domain.plan import preselected_strategies
from workbook.domain.readability import MAX_GRADE, TARGET_GRADE, reading_notes, readings
from workbook.domain.redflags import card_mode, care_card, evaluate_red_flags
from workbook.domain.scenarios import scenarios

# The chart is shown as the workbook shows its own: no toolbar, nothing to zoom or pan.
CHART_CONFIG = CONFIG
CHART_TITLE = "Reading grade by chapter (Flesch-Kincaid)"
NO_CARD = "no card"
NONE = "none"  # in a cell that lists nothing


def warning_signs(content: Content) -> pd.DataFrame:
    """Every warning sign of the safety check, in the order it is asked.

    Args:
        content: validated content.

    Returns:
        One row per sign: the sign, its level in the words its care card starts with
        ("Urgent advice"), where the sign comes from and where its level comes from.
    """
    words = _level_words(content)
    rows = [(flag.sign, words[flag.level], flag.source, flag.level_source) for flag in content.red_flags]
    return _table(rows, ["sign", "level", "source", "level from"])


def scenario_cards(content: Content) -> pd.DataFrame:
    """Each named demo patient (`workbook.domain.scenarios`) and the care card its answers give.

    The card is worked out by the safety check itself (`evaluate_red_flags`, `care_card`), and
    the steps it shows on by `card_mode`, as the dashboard does.

    Args:
        content: validated content.

    Returns:
        One row per scenario: its name, the signs answered yes (NONE for none), the card's
        level and call to action (NO_CARD and "" without one), and the steps that show it in
        full and as one line.
    """
    words = _level_words(content)
    full, compact = _card_steps(content)
    rows = []
    for name, answers in scenarios(content).items():
        groups = content.red_flag_groups
        result = evaluate_red_flags(content.red_flags, answers.red_flag_answers, groups=groups)
        card = care_card(result, content.care_cards, content.clinic, content.card_words, groups=groups)
        yes = _listed(flag.sign for flag in result.triggered)
        if card is None:
            rows.append((name, yes, NO_CARD, "", "", ""))
        else:
            rows.append((name, yes, words[card.level], card.heading, full, compact))
    columns = ["scenario", "answered yes", "card", "card says first", "in full on steps", "as one line on steps"]
    return _table(rows, columns)


def reading_grades(content: Content) -> pd.DataFrame:
    """The reading grade of every group of texts, as `workbook check --readability` gives it.

    Args:
        content: validated content.

    Returns:
        One row per group, in `patient_text.group_names` order: the group, its Flesch-Kincaid
        grade (to one decimal), its longest sentence in words, and what its row remarks on.
    """
    rows = [
        (group.name, round(group.grade, 1), group.longest, "; ".join(reading_notes(group)))
        for group in readings(content)
    ]
    return _table(rows, ["group", "grade", "longest sentence (words)", "note"])


def quiz_answers(content: Content) -> pd.DataFrame:
    """Each teach-back question and the answer the workbook marks right.

    Args:
        content: validated content.

    Returns:
        One row per question, in step order as written: its step, its question, the text of
        each right option (joined by "; ") and its source.
    """
    rows = []
    for question in content.questions:
        right = "; ".join(option.text for option in question.options if option.id in question.correct)
        rows.append((question.step, question.prompt, right, question.source))
    return _table(rows, ["step", "question", "right answer", "source"])


def risk_factor_plan(content: Content) -> pd.DataFrame:
    """Each self-check risk factor and the prevention plan items its tick pre-selects.

    The items are those `preselected_strategies` gives for that one factor ticked, as step 8
    starts the plan.

    Args:
        content: validated content.

    Returns:
        One row per factor: its group's title, its question, and the titles of the plan items
        it pre-selects, in plan order (joined by "; "; NONE for none).
    """
    groups = {group.id: group.title for group in content.risk_groups}
    labels = {item.id: item.label for item in content.prevention}
    rows = []
    for factor in content.risk_factors:
        chosen = preselected_strategies(content.risk_factors, (factor.id,), content.prevention)
        rows.append((groups[factor.group], factor.question, _listed(labels[item] for item in chosen)))
    return _table(rows, ["group", "risk factor", "pre-selects"])


def hazard_log(content: Content) -> pd.DataFrame:
    """The hazard log (data/hazards.yaml): each hazard, its effect, its risk before and after its
    controls, and the tests that show each control works.

    Args:
        content: validated content.

    Returns:
        One row per hazard, in the log's order: its id, what goes wrong, its effect on the
        patient, the initial risk in words ("3 Medium (major × medium)", rated by the DCB0129
        matrix), its controls, each followed by its tests in brackets and numbered "1. ", "2. "
        (joined by " "), and the remaining risk in words.
    """
    rows = []
    for hazard in content.hazards:
        controls = " ".join(
            f"{number}. {control.control} [tests: {', '.join(control.tests)}]"
            for number, control in enumerate(hazard.controls, start=1)
        )
        rows.append((hazard.id, hazard.hazard, hazard.effect, hazard.initial_risk.words, controls,
                     hazard.remaining_risk.words))
    return _table(rows, ["id", "hazard", "effect", "initial risk", "controls", "remaining risk"])


def grades_chart(content: Content) -> go.Figure:
    """Horizontal bars: the reading grade of each chapter, with the aim and the limit marked.

    Args:
        content: validated content.

    Returns:
        A plotly figure, one bar per chapter in step order, its grade written on it; show it
        with `CHART_CONFIG` (no toolbar).
    """
    chapters = {chapter_group(chapter): chapter for chapter in content.chapters}
    grades = [(chapters[group.name], group.grade) for group in readings(content) if group.name in chapters]
    figure = go.Figure(
        go.Bar(
            x=[round(grade, 1) for _chapter, grade in grades],
            y=[f"{chapter.step}. {chapter.title}" for chapter, _grade in grades],
            orientation="h",
            marker={"color": BAR_COLOUR},
            text=[f"{grade:.1f}" for _chapter, grade in grades],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    for grade, words in ((TARGET_GRADE, "aim"), (MAX_GRADE, "limit")):
        figure.add_vline(x=grade, line={"color": "#1b1b1f", "dash": "dash"}, annotation_text=f"{words} {grade:g}")
    figure.update_layout(
        template="none",
        title={"text": CHART_TITLE, "x": 0, "xanchor": "left", "font": {**FONT, "size": 22}},
        font=FONT,
        height=140 + 50 * len(grades),
        margin={"l": 10, "r": 30, "t": 90, "b": 60},
        showlegend=False,
    )
    top = max((grade for _chapter, grade in grades), default=0.0)
    figure.update_xaxes(range=[0, max(top, MAX_GRADE) + 1], dtick=1, title="grade", gridcolor="#e8edee")
    figure.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    return figure


def _level_words(content: Content) -> dict[str, str]:
    """Each level in the words its care card starts with, without the colon ("Urgent advice")."""
    return {card.level: card.prefix.rstrip().removesuffix(":") for card in content.care_cards}


def _card_steps(content: Content) -> tuple[str, str]:
    """The steps that show a care card in full and as one line, as `card_mode` decides them
    with the dashboard's settings: from the safety check on, in full there and on the summary."""
    safety, summary = _part_step(content, "safety-check"), _part_step(content, "summary")
    modes = {
        step: card_mode(step, safety_step=safety, full_steps=(safety, summary))
        for step in range(1, content.step_count + 1)
    }
    return (
        _steps_text(step for step, mode in modes.items() if mode == "full"),
        _steps_text(step for step, mode in modes.items() if mode == "compact"),
    )


def _part_step(content: Content, part: str) -> int:
    """The step whose chapter carries a part (the loader makes sure each required part has one)."""
    return next(chapter.step for chapter in content.chapters if chapter.part == part)


def _steps_text(steps: Iterable[int]) -> str:
    """Steps in words, runs joined: "2, 10" or "3 to 9"."""
    runs: list[list[int]] = []
    for step in sorted(steps):
        if runs and step == runs[-1][-1] + 1:
            runs[-1].append(step)
        else:
            runs.append([step])
    return ", ".join(f"{run[0]} to {run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


def _listed(texts: Iterable[str]) -> str:
    """Texts joined by "; ", or NONE for no text."""
    return "; ".join(texts) or NONE


def _table(rows: Sequence[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    """A table with its rows numbered from 1, as a clinician counts them."""
    return pd.DataFrame(list(rows), columns=columns, index=pd.RangeIndex(1, len(rows) + 1))
