"""Every warning sign, answered yes on the safety check, shows the care card of its level with
that sign on it; the groups show under their headings, health history under its own."""

from __future__ import annotations

from html import escape

import pytest

from tests.widgets.helpers import find, find_all
from workbook.content import load_content
from workbook.ui.app import create_app

CONTENT = load_content()
PREFIX = {"emergency": "Immediate action required:", "urgent": "Urgent advice:", "non_urgent": "Non-urgent advice:"}
HEADING = {
    "emergency": "Call 999 or go to A&E now",
    "urgent": "Ask for an urgent GP appointment today, or call NHS 111",
    "non_urgent": "See a GP or your physiotherapist",
}


def answer(app, flag_id: str, value: bool) -> None:
    app.session.go_to(2)
    index = [flag.id for flag in app.content.red_flags].index(flag_id)
    find_all(app.widget, "wb-choice--yes-no")[index].value = value


def card(app) -> str:
    area = find(app.widget, "wb-care-area")
    return area.value if area.layout.display is None else ""


@pytest.mark.parametrize("flag", CONTENT.red_flags, ids=lambda flag: flag.id)
def test_each_sign_answered_yes_shows_the_card_of_its_level_with_the_sign(flag):
    app = create_app(content=CONTENT)
    answer(app, flag.id, True)
    shown = card(app)
    assert PREFIX[flag.level] in shown and escape(HEADING[flag.level]) in shown
    assert escape(flag.sign) in shown
    group = next(group for group in CONTENT.red_flag_groups if group.id == flag.group)
    assert f'<p class="wb-signs__heading">{escape(group.heading)}</p>' in shown
    answer(app, flag.id, False)
    assert card(app) == ""


def test_sudden_weakness_down_one_side_is_an_emergency():
    app = create_app(content=CONTENT)
    answer(app, "one-side", True)
    assert "Immediate action required:" in card(app)
    assert "drooping face or slurred speech" in card(app)


def test_a_health_history_yes_alone_keeps_its_level_and_with_another_sign_is_urgent():
    app = create_app(content=CONTENT)
    answer(app, "age", True)
    assert "Non-urgent advice:" in card(app)
    answer(app, "worried", True)  # a non-urgent symptom as well: at least urgent
    assert "Urgent advice:" in card(app)
    answer(app, "worried", False)
    assert "Non-urgent advice:" in card(app)
    answer(app, "cancer", True)  # urgent on its own
    assert "Urgent advice:" in card(app)


def test_the_safety_check_shows_each_group_under_its_heading_with_health_last():
    app = create_app(content=CONTENT)
    app.session.go_to(2)
    headings = [widget.value for widget in find_all(app.widget, "wb-redflag-group")]
    assert [CONTENT.red_flag_groups[i].heading in value for i, value in enumerate(headings)] == [True] * 4
    assert "Your health" in headings[-1]
    assert "not only your back" in headings[-1]  # says these are not about symptoms
