"""Text shows as text in every family of widget markup: a script, a tag, quotes or an
ampersand in a content text or a patient's words come out escaped, never as markup."""

from __future__ import annotations

import dataclasses
from html import escape

import pytest

from tests.widgets.helpers import find
from workbook.content import load_content
from workbook.domain.figures import TextAlternative
from workbook.domain.redflags import HelpLevel, SignGroup
from workbook.ui.app import create_app, header
from workbook.ui.chapter import chapter_html
from workbook.ui.charts import text_alternative_html
from workbook.ui.errors import error_card, show_error
from workbook.ui.navigation import progress_html
from workbook.ui.plan import section_heading
from workbook.ui.redflags import help_level_html
from workbook.ui.selfcheck import factor_notes_html
from workbook.ui.summary import summary_actions_html
from workbook.ui.symptoms import subheading

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(1)"> "&\'<>'
CONTENT = load_content()


def chapter() -> str:
    first = CONTENT.chapter(1)
    return chapter_html(dataclasses.replace(first, title=HOSTILE, key_message=HOSTILE), key_message_label=HOSTILE)


def faq_heading() -> str:
    faq = next(c for c in CONTENT.chapters if c.accordion)
    item = dataclasses.replace(faq.items[0], markdown=f"## {HOSTILE}\nAn answer.")
    return chapter_html(dataclasses.replace(faq, items=(item,)), key_message_label="Remember")


def text_alternative() -> str:
    return text_alternative_html(TextAlternative(sentence=HOSTILE, headers=(HOSTILE,), rows=((HOSTILE,),)))


def error() -> str:
    card = error_card(CONTENT.text.error.model_copy(update={"heading": HOSTILE, "body": HOSTILE}))
    show_error(card)
    return card.value


def progress() -> str:
    return progress_html(step=2, step_count=10, title=HOSTILE, text=CONTENT.text.app)


def help_level() -> str:
    level = HelpLevel(level="urgent", prefix=HOSTILE, heading=HOSTILE, bullets=(HOSTILE,),
                      signs=(SignGroup(heading=HOSTILE, signs=(HOSTILE,)),))
    return help_level_html(level, signs_label=HOSTILE, do_label=HOSTILE)


def factor_notes() -> str:
    factor = dataclasses.replace(CONTENT.risk_factors[0], question=HOSTILE, meaning=HOSTILE, helps=HOSTILE)
    content = dataclasses.replace(CONTENT, risk_factors=(factor,))
    return factor_notes_html(content, (factor.id,))


def summary_actions() -> str:
    from datetime import date

    text = CONTENT.text.summary_view.model_copy(update={"heading": HOSTILE, "intro": HOSTILE, "frame_title": HOSTILE})
    return summary_actions_html(HOSTILE, on=date(2026, 1, 2), text=text)


def free_text_in_the_notes() -> str:
    app = create_app(content=CONTENT)
    app.session.change(trigger_text=HOSTILE)
    app.session.go_to(5)
    return find(app.widget, "wb-appointment-notes").value


MADE = {
    "chapter title and key message": chapter,
    "FAQ question": faq_heading,
    "chart's words": text_alternative,
    "error card": error,
    "progress bar": progress,
    "header": lambda: header(title=HOSTILE, clinic=HOSTILE).value,
    "plan heading": lambda: section_heading(HOSTILE, HOSTILE).value,
    "symptom question heading": lambda: subheading(HOSTILE, HOSTILE).value,
    "level of help": help_level,
    "risk factor notes": factor_notes,
    "summary and its frame": summary_actions,
    "patient's own words": free_text_in_the_notes,
}


@pytest.mark.parametrize("family", MADE)
def test_hostile_text_comes_out_escaped(family):
    made = MADE[family]()
    assert escape(HOSTILE) in made
    assert "<script" not in made and "<img" not in made
