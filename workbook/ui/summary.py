"""Step 10: the take-home summary on screen, to print or download; nothing is written on the server."""

from __future__ import annotations

import base64
from datetime import date
from html import escape

import ipywidgets as widgets

from workbook.content import Content
from workbook.plan import SymptomNotes
from workbook.session import Session
from workbook.summary import PatientAnswers, summary_html
from workbook.ui.watches import Watch

ANSWER_TRAITS = [
    "red_flag_answers", "risk_factors", "symptoms", "regions", "pain", "duration", "triggers",
    "trigger_text", "self_care", "prevention", "quiz_attempts",
]


def answers_from(session: Session) -> PatientAnswers:
    """A snapshot of the session's answers, for the pure summary."""
    return PatientAnswers(
        red_flag_answers=dict(session.red_flag_answers),
        risk_factors=session.risk_factors,
        notes=SymptomNotes(
            symptoms=session.symptoms, regions=session.regions, pain=session.pain,
            duration=session.duration, triggers=session.triggers, trigger_text=session.trigger_text,
        ),
        self_care=session.self_care,
        prevention=session.prevention,
        quiz_attempts=dict(session.quiz_attempts),
    )


def summary_actions_html(page: str, *, on: date) -> str:
    """Print and download buttons and the summary in a frame; the page is escaped into the frame.

    Print uses the frame's own print, so only the summary prints. Download is a data URL: the
    browser saves the file, and nothing is written on the server.
    """
    name = f"back-spasm-summary-{on.isoformat()}.html"
    data = base64.b64encode(page.encode("utf-8")).decode("ascii")
    return (
        '<div class="wb-summary">'
        '<h2 class="wb-section__title">Your summary to take home</h2>'
        "<p>Print it, or save it on this device or your own.</p>"
        '<div class="wb-summary__actions">'
        '<button type="button" class="wb-summary__button wb-summary__button--primary" '
        "onclick=\"this.closest('.wb-summary').querySelector('iframe').contentWindow.print()\">"
        "Print / save as PDF</button>"
        f'<a class="wb-summary__button" download="{name}" href="data:text/html;charset=utf-8;base64,{data}">'
        "Download</a></div>"
        f'<iframe class="wb-summary__frame" title="Your summary" srcdoc="{escape(page, quote=True)}"></iframe>'
        "</div>"
    )


def summary_view(*, content: Content, session: Session, watch: Watch) -> widgets.HTML:
    """The summary with its Print and Download buttons, kept up to date with the session.

    Args:
        content: validated content.
        session: the patient's session.
        watch: observes the session for this view (its observers go with it).
    """
    view = widgets.HTML()
    view.add_class("wb-summary-view")

    def draw(_change: object = None) -> None:
        today = date.today()
        view.value = summary_actions_html(summary_html(content, answers_from(session), on=today), on=today)

    draw()
    watch(draw, ANSWER_TRAITS)
    return view
