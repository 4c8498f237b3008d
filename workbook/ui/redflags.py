"""The safety check: yes/no warning-sign questions and the care card they call for."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape

import ipywidgets as widgets

from workbook.content import RedFlag
from workbook.redflags import CareCard
from workbook.ui.errors import guarded


def care_card_html(card: CareCard, *, compact: bool, announce: bool) -> str:
    """A care card's markup; all text escaped.

    Args:
        card: the card to show.
        compact: show the call to action only, with the bullets behind "Show details".
        announce: mark it as an alert, so screen readers read it out as it appears.
    """
    level = card.level.replace("_", "-")
    heading = (
        f'<span class="wb-visually-hidden">{escape(card.prefix)} </span>{escape(card.heading)}'
    )
    bullets = "".join(f"<li>{escape(bullet)}</li>" for bullet in card.bullets)
    role = ' role="alert"' if announce else ""
    if compact:
        return (
            f'<details class="wb-care-card wb-care-card--{level} wb-care-card--compact"{role}>'
            f'<summary class="wb-care-card__heading">{heading}</summary>'
            f'<div class="wb-care-card__content"><ul>{bullets}</ul></div></details>'
        )
    return (
        f'<div class="wb-care-card wb-care-card--{level}"{role}>'
        f'<p class="wb-care-card__heading">{heading}</p>'
        f'<div class="wb-care-card__content"><ul>{bullets}</ul></div></div>'
    )


def red_flag_questions(
    *,
    flags: Sequence[RedFlag],
    answers: Mapping[str, bool],
    on_answer: Callable[[str, bool | None], None],
    card: widgets.HTML,
) -> widgets.VBox:
    """The warning-sign questions, each with big Yes and No choices.

    Args:
        flags: the questions, in order.
        answers: the answers so far (question id -> True/False).
        on_answer: called with the question id and True, False or None (cleared).
        card: the error card shown if a callback fails.
    """
    rows = []
    for number, flag in enumerate(flags, start=1):
        text = widgets.HTML(
            value=f'<p class="wb-redflag__question"><span class="wb-quiz__number">{number} of '
            f"{len(flags)}</span> {escape(flag.question)}</p>"
        )
        choice = widgets.RadioButtons(options=[("Yes", True), ("No", False)], value=answers.get(flag.id))
        choice.add_class("wb-choice")
        choice.add_class("wb-choice--yes-no")
        choice.observe(
            guarded(lambda change, flag_id=flag.id: on_answer(flag_id, change["new"]), card=card),
            names="value",
        )
        row = widgets.VBox(children=(text, choice))
        row.add_class("wb-redflag")
        rows.append(row)
    box = widgets.VBox(children=rows)
    box.add_class("wb-redflags")
    return box
