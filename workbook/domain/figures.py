"""Figures: plotly figures from results, each with a text alternative. Pure, no widgets.

Charts use words and numbers on the bars, not colour alone; large fonts; no toolbar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from workbook.content.screen import ChartText
from workbook.domain.quiz import StepScore
from workbook.domain.selfcheck import GroupCount

FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 19, "color": "#1b1b1f"}
BAR_COLOUR = "#1d4f91"
# Shown without plotly's toolbar: nothing to zoom or pan on a touch screen.
CONFIG = {"displayModeBar": False, "staticPlot": True, "responsive": True}


@dataclass(frozen=True, slots=True)
class TextAlternative:
    """A figure in words: one sentence and a small table."""

    sentence: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _layout(title: str, rows: int) -> dict:
    return {
        "template": "none",  # the default template adds ~10 KB to every figure sent to the page
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {**FONT, "size": 22}},
        "font": FONT,
        "height": 120 + 70 * rows,
        "margin": {"l": 10, "r": 30, "t": 70, "b": 80},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "showlegend": False,
        "bargap": 0.35,
    }


def risk_chart(counts: Sequence[GroupCount], text: ChartText) -> go.Figure:
    """Horizontal bars: how many factors of each group are ticked, out of how many."""
    figure = go.Figure(
        go.Bar(
            x=[c.ticked for c in counts],
            y=[c.title for c in counts],
            orientation="h",
            marker={"color": BAR_COLOUR},
            text=[text.of.format(count=c.ticked, total=c.total) for c in counts],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    figure.update_layout(**_layout(text.risk_title, len(counts)))
    top = max((c.total for c in counts), default=1)
    figure.update_xaxes(range=[0, top + 0.6], dtick=1, title=text.risk_axis, gridcolor="#e8edee")
    figure.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    return figure


def risk_text(counts: Sequence[GroupCount], text: ChartText) -> TextAlternative:
    """The risk chart in words."""
    ticked = sum(c.ticked for c in counts)
    if ticked == 0:
        sentence = text.risk_none
    else:
        parts = "; ".join(
            text.risk_part.format(count=c.ticked, total=c.total, group=c.title.lower()) for c in counts if c.ticked
        )
        sentence = (text.risk_one if ticked == 1 else text.risk_many).format(count=ticked, groups=parts)
    rows = tuple((c.title, text.of.format(count=c.ticked, total=c.total)) for c in counts)
    return TextAlternative(sentence=sentence, headers=(text.risk_group, text.risk_ticked), rows=rows)


def _step_label(score: StepScore, titles: dict[int, str], text: ChartText) -> str:
    return text.quiz_step.format(step=score.step, title=titles.get(score.step, ""))


def quiz_chart(scores: Sequence[StepScore], titles: dict[int, str], text: ChartText) -> go.Figure:
    """Horizontal bars: questions right (now) out of the questions of each step."""
    labels = [_step_label(s, titles, text) for s in scores]
    figure = go.Figure(
        go.Bar(
            x=[s.right_now for s in scores],
            y=labels,
            orientation="h",
            marker={"color": BAR_COLOUR},
            text=[text.quiz_bar.format(right=s.right_now, total=s.total) for s in scores],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    figure.update_layout(**_layout(text.quiz_title, len(scores)))
    top = max((s.total for s in scores), default=1)
    figure.update_xaxes(range=[0, top + 1.2], dtick=1, title=text.quiz_axis, gridcolor="#e8edee")
    figure.update_yaxes(autorange="reversed", automargin=True, ticksuffix="  ")
    return figure


def quiz_text(scores: Sequence[StepScore], titles: dict[int, str], text: ChartText) -> TextAlternative:
    """The quiz chart in words."""
    answered = sum(s.answered for s in scores)
    right = sum(s.right_now for s in scores)
    total = sum(s.total for s in scores)
    sentence = text.quiz_none if answered == 0 else text.quiz_some.format(right=right, total=total)
    rows = tuple(
        (_step_label(s, titles, text), text.of.format(count=s.right_now, total=s.total), f"{s.right_first_time}")
        for s in scores
    )
    return TextAlternative(
        sentence=sentence, headers=(text.quiz_step_header, text.quiz_right_now, text.quiz_right_first_time), rows=rows
    )
