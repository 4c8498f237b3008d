"""Each step shows the part its chapter names: the wiring is data, not code."""

from __future__ import annotations

from tests.widgets.helpers import find, find_all
from workbook.content import PART_NAMES, load_content
from workbook.ui.app import create_app
from workbook.ui.parts import PARTS


def test_every_part_name_has_a_builder_and_every_builder_a_name():
    assert set(PARTS) == set(PART_NAMES)


def test_a_part_moves_with_its_chapter(edit, data_copy):
    edit("chapters/04-causes.md", "part: self-check\n", "")
    edit("chapters/03-what-are-back-spasms.md", 'key_message: "', 'part: self-check\nkey_message: "')
    app = create_app(content=load_content(data_copy))
    app.session.go_to(4)
    assert find_all(app.widget, "wb-selfcheck-part") == []
    app.session.go_to(3)
    assert len(find_all(app.widget, "wb-selfcheck-part")) == 1


def test_the_care_card_follows_the_safety_check_wherever_it_is(edit, data_copy):
    edit("chapters/02-safety-check.md", "part: safety-check\n", "")
    edit("chapters/03-what-are-back-spasms.md", 'key_message: "', 'part: safety-check\nkey_message: "')
    app = create_app(content=load_content(data_copy))
    app.session.answer_red_flag("chest-pain", True)
    app.session.go_to(2)
    assert find(app.widget, "wb-care-area").layout.display == "none", "before the safety check: no card"
    app.session.go_to(3)
    area = find(app.widget, "wb-care-area")
    assert area.layout.display is None and "wb-care-card--compact" not in area.value, "in full on it"
    app.session.go_to(4)
    assert "wb-care-card--compact" in find(app.widget, "wb-care-area").value


def test_a_chapter_notebook_shows_no_link_to_a_safety_check_it_does_not_have():
    from workbook.ui.app import chapter_page

    page = chapter_page(7)
    labels = [widget.description for widget in find_all(page, "wb-button")]
    assert labels and set(labels) == {"Check my answer"}, labels
    assert "When to get help" in find(page, "wb-chapter").value
