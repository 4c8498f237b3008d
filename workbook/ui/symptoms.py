"""Step 5: symptom notes for the appointment, with a tappable body diagram."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from workbook.content import Content
from workbook.plan import MAX_TEXT, SymptomNotes, appointment_notes, clean_text
from workbook.session import Session
from workbook.ui.choices import checkbox_list, radio_row
from workbook.ui.errors import guarded
from workbook.ui.watches import Watch

PAIN_WORDS = {0: "0 (no pain)", 10: "10 (worst pain)"}


def notes_html(content: Content, session: Session) -> str:
    """The notes for the appointment as a table; all text escaped."""
    notes = SymptomNotes(
        symptoms=session.symptoms, regions=session.regions, pain=session.pain,
        duration=session.duration, triggers=session.triggers, trigger_text=session.trigger_text,
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(text)}</td></tr>'
        for label, text in appointment_notes(content.symptom_options, notes)
    )
    return (
        '<h3 class="wb-subheading">Notes for your appointment</h3>'
        f'<table class="wb-table wb-notes-table"><tbody>{rows}</tbody></table>'
    )


def body_diagram(*, content: Content, session: Session, card: widgets.HTML) -> widgets.VBox:
    """Where it hurts: tappable regions laid out as a back view; each is a checkbox with a name.

    Args:
        content: validated content.
        session: the patient's session; regions go to `session.regions`.
        card: the error card shown if a callback fails.
    """
    regions = content.symptom_options.regions
    group, _ = checkbox_list(
        choices=[(r.id, r.label) for r in regions], chosen=session.regions,
        on_change=lambda ids: setattr(session, "regions", ids), card=card, css_class="wb-body",
    )
    # Place each region on a grid shaped like a back: left side on the left (a back view).
    for region, tile in zip(regions, group.children):
        tile.layout.grid_area = f"{region.row} / {region.column}"
    grid = widgets.GridBox(children=group.children)
    grid.add_class("wb-body__grid")
    group.children = ()
    group.close()  # its tiles now live in the grid
    caption = widgets.HTML(
        value='<h3 class="wb-subheading">Where does it hurt?</h3>'
        "<p>Tap every place that hurts. This is a view of your back, so your left side is on the left.</p>"
    )
    box = widgets.VBox(children=(caption, grid))
    box.add_class("wb-body")
    return box


def symptom_notes(*, content: Content, session: Session, card: widgets.HTML, watch: Watch) -> widgets.VBox:
    """Symptoms, pain now, where, how long, and what set it off; and the notes they make.

    Args:
        content: validated content.
        session: the patient's session; every answer goes there.
        card: the error card shown if a callback fails.
        watch: observes the session for this view (its observers go with it).
    """
    options = content.symptom_options
    heading = widgets.HTML(
        value='<h2 class="wb-section__title">Your notes</h2>'
        "<p>Your answers make notes to show your doctor or physiotherapist.</p>"
        '<h3 class="wb-subheading">What do you notice?</h3>'
    )
    symptoms, _ = checkbox_list(
        choices=[(c.id, c.label) for c in options.symptoms], chosen=session.symptoms,
        on_change=lambda ids: setattr(session, "symptoms", ids), card=card,
    )
    pain_label = widgets.HTML(
        value='<h3 class="wb-subheading">How bad is the pain now?</h3>'
        "<p>Choose a number: 0 is no pain, 10 is the worst pain.</p>"
    )
    pain = radio_row(
        choices=[(PAIN_WORDS.get(n, str(n)), n) for n in range(11)], value=session.pain,
        on_change=lambda n: setattr(session, "pain", n), card=card, css_class="wb-pain",
    )
    how_long = widgets.HTML(value='<h3 class="wb-subheading">How long have you had it?</h3>')
    duration = radio_row(
        choices=[(c.label, c.id) for c in options.durations], value=session.duration,
        on_change=lambda d: setattr(session, "duration", d), card=card, css_class="wb-duration",
    )
    set_off = widgets.HTML(value='<h3 class="wb-subheading">What may have set it off?</h3>')
    triggers, _ = checkbox_list(
        choices=[(c.id, c.label) for c in options.triggers], chosen=session.triggers,
        on_change=lambda ids: setattr(session, "triggers", ids), card=card,
    )
    own_words = widgets.Textarea(
        value=session.trigger_text, description=f"In your own words (optional, up to {MAX_TEXT} letters)",
        placeholder="For example: it started after gardening", layout=widgets.Layout(width="100%"),
        style={"description_width": "initial"},
    )
    own_words.add_class("wb-textarea")
    def on_words(change: dict) -> None:
        kept = clean_text(change["new"])
        if kept != change["new"]:
            own_words.value = kept  # the patient sees what is kept
            return
        session.trigger_text = kept

    own_words.observe(guarded(on_words, card=card), names="value")
    notes = widgets.HTML(value=notes_html(content, session))
    notes.add_class("wb-appointment-notes")
    redraw = guarded(lambda _change: setattr(notes, "value", notes_html(content, session)), card=card)
    watch(redraw, ["symptoms", "regions", "pain", "duration", "triggers", "trigger_text"])
    box = widgets.VBox(children=(
        heading, symptoms, body_diagram(content=content, session=session, card=card),
        pain_label, pain, how_long, duration, set_off, triggers, own_words, notes,
    ))
    box.add_class("wb-symptoms")
    box.add_class("wb-panel")
    return box
