"""The take-home summary: sections in order, escaping, standalone, small, two A4 pages."""

from __future__ import annotations

from datetime import date

import pytest

from workbook import cli
from workbook.content import load_content
from workbook.scenarios import MARKUP, scenarios
from workbook.summary import summary_html

CONTENT = load_content()
SCENARIOS = scenarios(CONTENT)
ON = date(2026, 11, 25)
SECTIONS = [
    "Notes for your appointment",
    "Your risk factors",
    "Your plan and 7-day home diary",
    "What the questions showed",
    "When to get help",
    "Your safety check answers",
    "This is education, not a diagnosis.",
]


def page(name: str) -> str:
    return summary_html(CONTENT, SCENARIOS[name], on=ON)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_summary_is_standalone_small_and_in_order(name):
    html = page(name)
    assert "<script" not in html.lower()
    assert "http" not in html.lower()  # no link, font or file from anywhere
    assert "<link" not in html and "@import" not in html and "src=" not in html.replace("src=x", "")
    assert len(html.encode()) < 200 * 1024
    positions = [html.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "Physiotherapy Department" in html and "01632 960000" in html
    assert "25 November 2026" in html
    assert "not a test or a score" in html


def test_care_card_comes_first_when_a_warning_sign_was_answered_yes():
    html = page("emergency-bladder-bowel")
    card = html.index("Immediate action required: Call 999 or go to the emergency department now")
    assert card < html.index("Notes for your appointment")
    assert "You said yes to: Loss of bladder or bowel control." in html
    assert 'class="card' not in page("nothing-answered")


def test_unanswered_is_never_shown_as_no():
    html = page("emergency-bladder-bowel")
    assert "<strong>No:</strong> 1 of 16 questions" in html
    assert "<strong>Not answered:</strong> Pain, tingling, weakness or numbness in both legs;" in html
    nothing = page("nothing-answered")
    assert "<strong>Yes:</strong> none." in nothing and "<strong>No:</strong> 0 of 16 questions" in nothing
    assert "<strong>Not answered:</strong> Pain, tingling" in nothing


def test_free_text_with_script_and_img_onerror_is_escaped():
    html = page("markup-in-free-text")
    assert "<img" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert MARKUP not in html


def test_everything_answered_shows_the_plan_diary_and_quiz():
    html = page("everything-answered")
    plan_items = len(CONTENT.self_care) + len(CONTENT.prevention)
    assert html.count('<span class="check"></span>') == 8 * plan_items  # the checklist box and 7 days
    assert "7 out of 10" in html
    assert "Ice or heat on the sore area, for 20 to 30 minutes at a time" in html
    assert "Day 7" in html


def test_cli_writes_a_scenario(tmp_path, capsys):
    out = tmp_path / "summary.html"
    assert cli.main(["summary", "--scenario", "urgent-lump", "--out", str(out), "--date", "2026-11-25"]) == 0
    assert "Urgent advice: Get an urgent appointment with a doctor today" in out.read_text()
    assert cli.main(["summary", "--scenario", "nope", "--out", str(out)]) == 1
    assert "choose one of: nothing-answered" in capsys.readouterr().err
