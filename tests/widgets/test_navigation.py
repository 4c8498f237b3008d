"""Next, Back and the step menu move through all steps and keep the progress in step."""

from __future__ import annotations

import html
import json
import re

import pytest
from ipywidgets.widgets import widget as widget_module

from tests.widgets.helpers import button, find
from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
from workbook.content import load_content
from workbook.ui.app import create_app


@pytest.fixture
def app():
    return create_app(content=load_content())


def progress_text(app) -> str:
    html = find(app.widget, "wb-progress").value
    return re.search(r"Step \d+ of \d+", html).group(0)


def heading(app) -> str:
    html = find(app.widget, "wb-chapter").value
    return re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)


def test_next_walks_all_ten_steps(app):
    titles = [chapter.title for chapter in app.content.chapters]
    assert progress_text(app) == "Step 1 of 10"
    assert button(app.widget, "Back").disabled
    for step in range(2, 11):
        button(app.widget, "Next").click()
        assert app.session.step == step
        assert progress_text(app) == f"Step {step} of 10"
        assert heading(app) == titles[step - 1]
        assert find(app.widget, "wb-step-menu").value == step
    assert button(app.widget, "Next").disabled
    assert not button(app.widget, "Back").disabled


def test_back_walks_to_the_start(app):
    app.session.go_to(10)
    for step in range(9, 0, -1):
        button(app.widget, "Back").click()
        assert progress_text(app) == f"Step {step} of 10"
    assert button(app.widget, "Back").disabled


def test_step_menu_jumps_and_updates_progress(app):
    menu = find(app.widget, "wb-step-menu")
    menu.value = 7
    assert app.session.step == 7
    assert progress_text(app) == "Step 7 of 10"
    assert heading(app) == "When to get help"
    menu.value = 2
    assert progress_text(app) == "Step 2 of 10"


def test_only_the_current_step_is_on_screen(app):
    body = find(app.widget, "wb-app__body")
    assert len(body.children) == 1
    button(app.widget, "Next").click()
    assert len(body.children) == 1


def test_a_failing_step_shows_the_error_card_until_the_next_step(app, caplog, monkeypatch):
    import workbook.ui.app as app_module

    card = find(app.widget, "wb-error-card")
    assert card.layout.display == "none"

    def broken(**kwargs):
        raise RuntimeError("internal detail")

    # Drawing the next step fails inside the step observer, itself inside the Next button.
    monkeypatch.setattr(app_module, "progress_html", broken)
    with caplog.at_level("ERROR", logger="workbook"):
        button(app.widget, "Next").click()
    assert card.layout.display is None
    assert "Sorry, something went wrong" in card.value
    assert "internal detail" not in card.value
    assert "Traceback" not in card.value
    assert "internal detail" in caplog.text
    monkeypatch.undo()
    button(app.widget, "Next").click()
    assert card.layout.display == "none"


def widget_count() -> int:
    """Widgets alive in this kernel (each one is a model the page must be sent)."""
    return len(widget_module._instances)


def test_preparing_builds_the_next_step_ahead_so_next_sends_no_new_widgets(app):
    prepare = find(app.widget, "wb-prepare-next")
    assert prepare.layout.display == "none"
    before = widget_count()
    prepare.click()
    built = widget_count() - before
    assert built > 50, "the safety check's questions are built ahead"
    assert app.session.step == 1, "preparing does not move on"
    before = widget_count()
    button(app.widget, "Next").click()
    assert progress_text(app) == "Step 2 of 10"
    assert widget_count() - before == 0
    assert find(app.widget, "wb-redflags") is not None


def test_the_chart_warmup_is_drawn_only_when_a_chart_step_is_next(app):
    warmup = find(app.widget, "wb-chart-warmup")
    prepare = find(app.widget, "wb-prepare-next")
    for step in (1, 2):
        app.session.go_to(step)
        prepare.click()
        assert warmup.outputs == (), f"nothing to warm up before step {step + 1}"
    app.session.go_to(3)
    prepare.click()
    assert [list(output["data"]) for output in warmup.outputs] == [["application/vnd.plotly.v1+json"]]
    assert warmup.layout.display == "none"


def test_on_the_served_page_the_warmup_is_a_figure_for_the_page_to_draw(monkeypatch):
    monkeypatch.setenv(PAGE_CHARTS_VARIABLE, "1")
    app = create_app(content=load_content())
    warmup = find(app.widget, "wb-chart-warmup")
    assert warmup.value == ""
    app.session.go_to(3)
    find(app.widget, "wb-prepare-next").click()
    figure = json.loads(html.unescape(re.fullmatch(r'<div class="wb-chart" data-figure="(.*)"></div>', warmup.value).group(1)))
    assert figure["data"][0]["type"] == "bar"
    assert figure["config"] == {"staticPlot": True}  # a hidden chart follows no size
    assert warmup.layout.display == "none"


def press_until_nothing_is_built(prepare) -> list[str]:
    """Press the hidden button as the page does, until a press builds nothing; its texts."""
    counts = []
    while not counts or counts[-1] != prepare.description:
        counts.append(prepare.description)
        prepare.click()
    return counts


def test_preparing_builds_one_step_a_press_the_next_first(app):
    prepare = find(app.widget, "wb-prepare-next")
    counts = press_until_nothing_is_built(prepare)
    assert counts == ["", "2", "3", "4", "5", "6", "7", "8", "9", "10"]  # step 1 is built at start
    before = widget_count()
    for step in (3, 6, 9, 5, 8, 10, 2, 7, 4):
        find(app.widget, "wb-step-menu").value = step
    assert widget_count() == before, "every step jumped to was built ahead"


def test_preparing_on_the_last_step_builds_the_steps_before_it(app):
    app.session.go_to(10)
    prepare = find(app.widget, "wb-prepare-next")
    counts = press_until_nothing_is_built(prepare)
    assert counts == ["", "3", "4", "5", "6", "7", "8", "9", "10"]  # steps 1 and 10, then 2 to 9


def test_a_step_built_ahead_redraws_once_when_it_is_shown(app):
    app.session.go_to(10)
    summary = find(app.widget, "wb-summary-view")
    app.session.go_to(5)
    shown = summary.value
    app.session.change(trigger_text="lifting a box")
    app.session.change(pain=7)
    assert summary.value == shown, "a step not shown does not redraw at each answer"
    app.session.go_to(10)
    assert "lifting a box" in summary.value and summary.value != shown


def test_a_new_patient_is_built_ahead_again(app):
    prepare = find(app.widget, "wb-prepare-next")
    press_until_nothing_is_built(prepare)
    app.new_patient()
    assert prepare.description == "1", "the page sees the count change and presses again"
    assert press_until_nothing_is_built(prepare)[-1] == "10"


