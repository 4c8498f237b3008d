"""A "yes" shows the care card at once; "no" removes it; New patient clears everything."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from tests.widgets.helpers import button, find, find_all
from workbook.content import load_content
from workbook.ui.app import create_app


@pytest.fixture
def app():
    return create_app(content=load_content())


def yes_no(app, flag_id: str) -> widgets.RadioButtons:
    app.session.go_to(2)
    index = [flag.id for flag in app.content.red_flags].index(flag_id)
    return find_all(app.widget, "wb-choice--yes-no")[index]


def care_area(app) -> widgets.HTML:
    return find(app.widget, "wb-care-area")


def test_yes_shows_the_card_and_no_removes_it(app):
    choice = yes_no(app, "bladder-bowel")
    assert care_area(app).layout.display == "none"
    choice.value = True
    area = care_area(app)
    assert area.layout.display is None
    assert 'role="alert"' in area.value
    assert "Immediate action required:" in area.value
    assert "Call 999 or go to A&amp;E now" in area.value
    # The call to action comes before telling the physiotherapist, and the signs come last.
    assert area.value.index("Call 999 now") < area.value.index("Tell your physiotherapist too: call Physiotherapy Department on 01632 960000.")
    assert area.value.index("Tell your physiotherapist too: call Physiotherapy Department on 01632 960000.") < area.value.index("You said yes to")
    choice.value = False
    assert care_area(app).layout.display == "none"
    assert app.session.answers.red_flag_answers == {"bladder-bowel": False}


def test_card_stays_on_every_later_step_compact_then_in_full_on_the_summary(app):
    yes_no(app, "lump").value = True
    for step in range(3, 10):
        app.session.go_to(step)
        area = care_area(app)
        assert area.layout.display is None, step
        assert "wb-care-card--compact" in area.value
        assert "Urgent advice:" in area.value
    app.session.go_to(10)
    assert "wb-care-card--compact" not in care_area(app).value
    app.session.go_to(1)
    assert care_area(app).layout.display == "none"


def test_highest_level_wins_on_screen(app):
    yes_no(app, "weeks").value = True
    assert "Non-urgent advice:" in care_area(app).value
    yes_no(app, "chest-pain").value = True
    assert "Immediate action required:" in care_area(app).value


def test_step_seven_teaches_the_three_levels_and_links_back_to_the_answers(app):
    app.session.go_to(7)
    cards = find(app.widget, "wb-help-levels-area").value
    headings = ["Call 999 or go to A&amp;E now", "Ask for an urgent GP appointment today, or call NHS 111",
                "See a GP or your physiotherapist"]
    assert [cards.index(heading) for heading in headings] == sorted(cards.index(heading) for heading in headings)
    assert cards.count('class="wb-care-card ') == 3 and 'role="alert"' not in cards
    assert "A numb or different feeling when you wipe after using the toilet" in cards
    # Each level's signs under short headings.
    assert '<p class="wb-signs__heading">Bladder, bowels and sex: new or getting worse</p>' in cards
    assert "You can call Physiotherapy Department on 01632 960000." in cards
    button(app.widget, "See your safety check answers").click()
    assert app.session.step == 2


def test_summary_shows_unanswered_as_not_answered(app):
    from tests.widgets.test_summary_view import downloaded

    yes_no(app, "chest-pain").value = False
    app.session.go_to(10)
    page = downloaded(find(app.widget, "wb-summary-view").value)
    assert "You did not say yes to any warning sign we asked about." in page
    assert "You did not answer every warning sign question. Your physiotherapist will go through the others with you." in page
    assert "You said no to every warning sign" not in page  # one no is not a no to all


def test_new_patient_asks_then_clears_everything(app):
    yes_no(app, "bladder-bowel").value = True
    app.session.record_answer("spasm-what", ("a",))
    app.session.go_to(10)
    button(app.widget, "New patient").click()
    assert app.session.answers.red_flag_answers  # nothing cleared before the confirm
    button(app.widget, "Cancel").click()
    button(app.widget, "New patient").click()
    button(app.widget, "Yes, clear everything").click()
    assert app.session.step == 1
    assert app.session.answers.red_flag_answers == {}
    assert app.session.answers.quiz_attempts == {}
    assert care_area(app).layout.display == "none"
    assert yes_no(app, "bladder-bowel").value is None  # the widgets are new, at their defaults


def test_card_names_the_emergency_number_of_the_clinic(edit, data_copy):
    edit("clinic.yaml", 'emergency_number: "999"', 'emergency_number: "112"')
    app = create_app(content=load_content(data_copy))
    yes_no(app, "chest-pain").value = True
    assert "Call 112 or go to A&amp;E now" in care_area(app).value
    assert "999" not in care_area(app).value


def test_patient_text_in_the_card_is_escaped(app):
    from workbook.domain.redflags import CareCard
    from workbook.ui.redflags import care_card_html

    from workbook.domain.redflags import SignGroup

    card = CareCard(level="urgent", prefix="Urgent advice:", heading="<img src=x onerror=alert(1)>",
                    bullets=("<script>x</script>",), said_yes="<b>said</b>",
                    signs=(SignGroup(heading="<i>group</i>", signs=("<svg onload=alert(1)>",)),))
    html = care_card_html(card, compact=False, announce=False)
    assert "<img" not in html and "<script>" not in html and "<b>" not in html
    assert "<i>" not in html and "<svg" not in html


def test_the_alert_is_read_out_when_the_card_appears_or_changes_level_only(app):
    yes_no(app, "weeks").value = True
    assert 'role="alert"' in care_area(app).value
    yes_no(app, "chest-pain").value = False  # a later "no": the same card, not read out again
    assert 'role="alert"' not in care_area(app).value
    yes_no(app, "lump").value = True  # a higher level: read out
    assert 'role="alert"' in care_area(app).value
    assert "Urgent advice:" in care_area(app).value


def test_the_chapter_notebook_of_the_safety_check_shows_the_card():
    from workbook.ui.app import chapter_page

    page = chapter_page(2)
    find_all(page, "wb-choice--yes-no")[0].value = True
    area = find(page, "wb-care-area")
    assert area.layout.display is None
    assert "Immediate action required:" in area.value
    assert "wb-care-card--compact" not in area.value
