"""Ticking factors updates the chart; the plan starts from them and keeps the patient's edits."""

from __future__ import annotations

import pytest

from tests.widgets.helpers import find, find_all
from workbook.content import load_content
from workbook.ui.app import create_app
from workbook.ui.charts import PLOTLY_MIME


@pytest.fixture
def app():
    return create_app(content=load_content())


def tick(app, step: int, css: str, on: bool = True) -> None:
    app.session.go_to(step)
    find(app.widget, css).value = on


def chart_bars(app) -> dict:
    output = find(app.widget, "wb-figure__chart").outputs[-1]
    trace = output["data"][PLOTLY_MIME]["data"][0]
    return dict(zip(trace["y"], trace["x"]))


def test_ticking_factors_updates_the_chart_and_its_words(app):
    app.session.go_to(4)
    assert chart_bars(app)["Posture and weak muscles"] == 0
    tick(app, 4, "wb-choice-id--sitting")
    tick(app, 4, "wb-choice-id--lifting")
    assert chart_bars(app) == {
        "Posture and weak muscles": 1, "Overuse and strain": 1, "Other health problems": 0, "Stress and worry": 0,
    }
    assert app.session.answers.risk_factors == ("sitting", "lifting")
    words = find(app.widget, "wb-figure__text").value
    assert "You ticked 2 risk factors" in words
    assert "What it means: Sitting for a long time" in find(app.widget, "wb-factor-notes").value


def plan_ticked(app) -> list[str]:
    app.session.go_to(8)
    boxes = find_all(app.widget, "wb-checklist__item")
    return [next(c[len("wb-choice-id--"):] for c in box._dom_classes if c.startswith("wb-choice-id--"))
            for box in boxes if box.value]


def test_plan_starts_from_the_ticked_factors_and_keeps_edits(app):
    tick(app, 4, "wb-choice-id--sitting")
    assert plan_ticked(app) == ["posture", "workstation"]
    tick(app, 4, "wb-choice-id--stressed")  # not edited yet: the plan follows
    assert plan_ticked(app) == ["posture", "stress", "workstation"]
    tick(app, 8, "wb-choice-id--workstation", on=False)  # the patient's own edit
    tick(app, 8, "wb-choice-id--exercise")
    assert app.session.answers.prevention == ("posture", "exercise", "stress")
    tick(app, 4, "wb-choice-id--inactive")  # back and forth: the edit is kept
    assert plan_ticked(app) == ["posture", "exercise", "stress"]


def test_two_regions_make_the_notes_and_text_is_escaped(app):
    tick(app, 5, "wb-choice-id--lower-left")
    tick(app, 5, "wb-choice-id--buttock-right")
    find(app.widget, "wb-textarea").value = '<img src=x onerror="alert(1)">'
    notes = find(app.widget, "wb-appointment-notes").value
    assert "<td>Lower back, left; Buttock, right</td>" in notes
    assert "<img" not in notes and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in notes
    assert app.session.answers.regions == ("lower-left", "buttock-right")


def observers(session) -> int:
    return sum(len(handlers) for by_type in session._trait_notifiers.values() for handlers in by_type.values())


def test_new_patient_clears_widgets_and_leaves_no_old_observer(app):
    at_start = observers(app.session)
    for step in range(1, 11):  # build every step, with its observers
        app.session.go_to(step)
    tick(app, 6, "wb-choice-id--ice-heat")
    tick(app, 4, "wb-choice-id--sitting")
    assert observers(app.session) > at_start
    app.new_patient()
    assert observers(app.session) == at_start
    assert app.session.answers.self_care == () and app.session.answers.risk_factors == () and app.session.answers.prevention is None
    app.session.go_to(6)
    assert find(app.widget, "wb-choice-id--ice-heat").value is False
    app.session.go_to(4)
    assert find(app.widget, "wb-choice-id--sitting").value is False
    assert "You have not ticked any risk factors." in find(app.widget, "wb-figure__text").value


def test_long_own_words_are_cut_in_the_box_itself(app):
    from workbook.domain.answers import MAX_TEXT

    app.session.go_to(5)
    box = find(app.widget, "wb-textarea")
    box.value = "x" * (MAX_TEXT + 50)
    assert box.value == "x" * (MAX_TEXT - 1) + "…"
    assert app.session.answers.trigger_text == box.value


def test_the_screen_says_it_is_not_a_score(app):
    app.session.go_to(4)
    assert "It is not a test or a score" in find(app.widget, "wb-selfcheck__intro").value


def test_the_last_step_shows_the_notes_and_the_home_plan(app):
    from tests.widgets.test_summary_view import downloaded

    tick(app, 4, "wb-choice-id--stressed")
    tick(app, 6, "wb-choice-id--ice-heat")
    tick(app, 5, "wb-choice-id--leg-left")
    app.session.go_to(10)
    shown = downloaded(find(app.widget, "wb-summary-view").value)
    assert "<td>Leg, left</td>" in shown
    assert "Put ice or heat on the sore area" in shown
    assert "Lower stress with slow, calm breathing" in shown
    app.session.change(self_care=())
    assert "Put ice or heat" not in downloaded(find(app.widget, "wb-summary-view").value)
