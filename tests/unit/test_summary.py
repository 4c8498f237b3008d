"""The take-home summary: sections in order, escaping, standalone, small, two A4 pages."""

from __future__ import annotations

from datetime import date

import pytest

from workbook import cli
from workbook.answers import Answers
from workbook.content import load_content
from workbook.scenarios import MARKUP, scenarios
from workbook.summary import summary_html

CONTENT = load_content()
SCENARIOS = scenarios(CONTENT)
ON = date(2026, 11, 25)
# What a patient acts on first: what to remember, when to get help, then the notes, the plan
# and its diary, the topics to go over, and what helps with each risk factor.
SECTIONS = [
    "This is education, not a diagnosis.",
    "What to remember",
    "When to get help",
    "Notes for your appointment",
    "Your safety check answers",
    "Your plan and 7-day diary",
    "Topics to go over with your physiotherapist",
    "What helps with your risk factors",
]


def page(name: str) -> str:
    return summary_html(CONTENT, SCENARIOS[name], on=ON)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_summary_is_standalone_small_and_in_order(name):
    html = page(name)
    sections = SECTIONS
    if 'class="card' in html:  # a care card: it and the notes (for whoever sees them) come first
        assert html.index('class="card') < html.index("Do this first.") < html.index("Notes for your appointment")
        sections = [SECTIONS[0], SECTIONS[3], SECTIONS[4], *SECTIONS[1:3], *SECTIONS[5:]]
    assert "<script" not in html.lower()
    assert "http" not in html.lower()  # no link, font or file from anywhere
    assert "<link" not in html and "@import" not in html and "src=" not in html.replace("src=x", "")
    assert len(html.encode()) < 200 * 1024
    positions = [html.index(section) for section in sections]
    assert positions == sorted(positions)
    assert "Physiotherapy Department" in html and "01632 960000" in html
    assert "25 November 2026" in html


def test_care_card_comes_first_when_a_warning_sign_was_answered_yes():
    html = page("emergency-bladder-bowel")
    card = html.index("Immediate action required: Call 999 or go to A&amp;E now")
    assert card < html.index("Do this first. The rest of this page is for later.")
    assert html.index("Call 999 now, or go straight to A&amp;E") < html.index("Tell your physiotherapist too.")
    assert "You said yes to: Loss of bladder or bowel control (peeing or pooing yourself)." in html
    # Nothing to do at home comes before what to do now: the diary is well after the card.
    assert html.index("Your plan and 7-day diary") > html.index("When to get help") > card
    assert 'class="card' not in page("nothing-answered")


def test_when_to_get_help_lists_every_sign_under_its_level():
    html = page("nothing-answered")
    help_part = html[html.index("When to get help"):html.index("Notes for your appointment")]
    headings = ["Immediate action required: Call 999 or go to A&amp;E now",
                "Urgent advice: Ask for an urgent GP appointment today, or call NHS 111",
                "Non-urgent advice: See a GP or your physiotherapist"]
    at = [help_part.index(heading) for heading in headings]
    assert at == sorted(at)
    for flag in CONTENT.red_flags:
        level = ["emergency", "urgent", "non_urgent"].index(flag.level)
        end = at[level + 1] if level < 2 else len(help_part)
        assert f"<li>{flag.sign}</li>".replace("&", "&amp;") in help_part[at[level]:end], flag.id
    assert "Questions about your plan? Call Physiotherapy Department on 01632 960000." in help_part


def test_what_to_remember_gives_the_key_messages_after_the_safety_check():
    html = page("nothing-answered")
    remember = html[html.index("What to remember"):html.index("When to get help")]
    for chapter in CONTENT.chapters:
        expected = 3 <= chapter.step <= 9
        assert (chapter.key_message.replace("&", "&amp;") in remember) == expected, chapter.step


def test_unanswered_is_never_shown_as_no():
    html = page("emergency-bladder-bowel")
    assert "<strong>Yes:</strong> Loss of bladder or bowel control (peeing or pooing yourself)." in html
    assert "<strong>No:</strong> 1 of 22 questions" in html
    assert "<strong>Not answered:</strong> 20 of 22 questions" in html
    assert "Go through the questions not answered with your physiotherapist." in html
    nothing = page("nothing-answered")
    assert "<strong>Yes:</strong> none." in nothing and "<strong>No:</strong> 0 of 22 questions" in nothing
    assert "<strong>Not answered:</strong> 22 of 22 questions" in nothing
    everything = page("everything-answered")
    assert "<strong>Not answered:</strong> 0 of 22 questions" in everything
    assert "Go through the questions not answered" not in everything


def test_free_text_with_script_and_img_onerror_is_escaped():
    html = page("markup-in-free-text")
    assert "<img" not in html and "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert MARKUP not in html


def test_the_plan_is_steps_and_the_diary_ticks_no_medicine():
    html = page("everything-answered")
    chosen = list(CONTENT.self_care) + list(CONTENT.prevention)
    plan = html[html.index("Your plan and 7-day diary"):html.index("Topics to go over")]
    for item in chosen:
        assert f"<strong>{item.label}.</strong> {item.how}" in plan, item.id
    diary = plan[plan.index('<table class="diary">'):plan.index("</table>")]
    daily = [item for item in chosen if item.diary]
    # 7 days for each daily item, and for the exercises the physiotherapist shows
    assert diary.count('<span class="check"></span>') == 7 * (len(daily) + 1)
    assert "Exercises my physiotherapist showed me:" in diary
    assert all(item.label not in diary for item in chosen if item.medicine)
    assert any(item.medicine for item in chosen) and "Day 7" in diary
    assert "7 out of 10" in html


def test_pictures_have_a_caption_and_a_text_alternative():
    html = page("everything-answered")
    pictured = [item for item in list(CONTENT.self_care) + list(CONTENT.prevention) if item.picture]
    assert pictured
    for item in pictured:
        assert f'role="img" aria-label="{item.picture_text}"' in html
        assert f"<figcaption>{item.picture_text}</figcaption>" in html
    assert "<svg" not in page("nothing-answered")  # no plan, no pictures


def test_topics_to_go_over_are_the_questions_not_right_yet():
    html = page("everything-answered")
    topics = html[html.index("Topics to go over"):html.index("What helps with your risk factors")]
    for index, question in enumerate(CONTENT.questions):
        assert (question.reason.replace("&", "&amp;") in topics) == (index % 3 == 2), question.id
    assert "You did not answer the questions." in page("nothing-answered")


def test_what_helps_is_said_for_each_ticked_risk_factor():
    html = page("emergency-bladder-bowel")  # ticked: lifting
    risk = html[html.index("What helps with your risk factors"):]
    lifting = next(factor for factor in CONTENT.risk_factors if factor.id == "lifting")
    assert f"<li><strong>Overuse and strain.</strong> What helps: {lifting.helps}</li>" in risk
    assert risk.count("<li>") == 1
    everything = page("everything-answered")
    risk = everything[everything.index("What helps with your risk factors"):]
    assert risk.count("<li>") == len(CONTENT.risk_groups)
    for factor in CONTENT.risk_factors:  # each text once, under its group
        assert risk.count(factor.helps) == 1, factor.id
    assert "No risk factors ticked." in page("nothing-answered")


def test_cut_own_words_are_marked():
    long = Answers(trigger_text="It started after a long day of gardening. " * 20)
    html = summary_html(CONTENT, long, on=ON)
    kept = long.trigger_text
    assert kept.endswith("gardening. It…") and len(kept) <= 300  # cut after a whole word, and marked
    assert f"In my words: {kept}" in html


def test_cli_writes_a_scenario(tmp_path, capsys):
    out = tmp_path / "summary.html"
    assert cli.main(["summary", "--scenario", "urgent-lump", "--out", str(out), "--date", "2026-11-25"]) == 0
    assert "Urgent advice: Ask for an urgent GP appointment today, or call NHS 111" in out.read_text()
    assert cli.main(["summary", "--scenario", "nope", "--out", str(out)]) == 1
    assert "choose one of: nothing-answered" in capsys.readouterr().err
