"""The symptom notes for the appointment, with a tappable body diagram."""

from __future__ import annotations


import ipywidgets as widgets

from workbook.domain.answers import MAX_TEXT, Answers
from workbook.content import Content
from workbook.domain.plan import appointment_notes
from workbook.ui.choices import checkbox_list, radio_row
from workbook.ui.context import StepContext
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join

NOTE_FIELDS = ("symptoms", "regions", "pain", "duration", "triggers", "trigger_text")


def subheading(text: str, intro: str = "") -> widgets.HTML:
    """A question's heading, with an optional line under it; both escaped."""
    line = html("<p>{}</p>", intro) if intro else ""
    return lean(widgets.HTML, value=html('<h3 class="wb-subheading">{}</h3>{}', text, line))


def notes_html(content: Content, answers: Answers) -> Markup:
    """The notes for the appointment as a table; all text escaped."""
    rows = join(
        html('<tr><th scope="row">{}</th><td>{}</td></tr>', label, text)
        for label, text in appointment_notes(content.symptom_options, answers, content.text.notes)
    )
    return html(
        '<h3 class="wb-subheading">{}</h3><table class="wb-table wb-notes-table"><tbody>{}</tbody></table>',
        content.text.symptom_notes.notes_heading, rows,
    )


def body_diagram(ctx: StepContext) -> widgets.VBox:
    """Where it hurts: tappable regions laid out as a back view; each is a checkbox with a name."""
    regions, text = ctx.content.symptom_options.regions, ctx.text.symptom_notes
    group, _ = checkbox_list(
        choices=[(r.id, r.label) for r in regions], chosen=ctx.session.answers.regions,
        on_change=lambda ids: ctx.session.change(regions=ids), guard=ctx.guard, css_class="wb-body",
    )
    # Place each region on a grid shaped like a back: left side on the left (a back view).
    for region, tile in zip(regions, group.children):
        tile.layout = widgets.Layout(grid_area=f"{region.row} / {region.column}")
    grid = lean(widgets.GridBox, children=group.children)
    grid.add_class("wb-body__grid")
    group.children = ()
    group.close()  # its tiles now live in the grid
    box = lean(widgets.VBox, children=(subheading(text.where_heading, text.where_intro), grid))
    box.add_class("wb-body")
    return box


def own_words(ctx: StepContext) -> widgets.Textarea:
    """What set it off, in the patient's own words; the box shows what the answers keep."""
    text, session = ctx.text.symptom_notes, ctx.session
    box = widgets.Textarea(
        value=session.answers.trigger_text, description=text.own_words_label.format(letters=MAX_TEXT),
        placeholder=text.own_words_example, layout=widgets.Layout(width="100%"),
        style={"description_width": "initial"},
    )
    box.add_class("wb-textarea")

    def on_words(change: dict) -> None:
        session.change(trigger_text=change["new"])
        if box.value != session.answers.trigger_text:
            box.value = session.answers.trigger_text  # the patient sees what is kept

    box.observe(ctx.guard(on_words), names="value")
    return box


def symptom_notes(ctx: StepContext) -> widgets.VBox:
    """Symptoms, pain now, where, how long, and what set it off; and the notes they make."""
    content, session, text = ctx.content, ctx.session, ctx.text.symptom_notes
    options, answers = content.symptom_options, session.answers
    heading = lean(
        widgets.HTML,
        value=html(
            '<h2 class="wb-section__title">{}</h2><p>{}</p><h3 class="wb-subheading">{}</h3>',
            text.heading, text.intro, text.notice_heading,
        ),
    )
    symptoms, _ = checkbox_list(
        choices=[(c.id, c.label) for c in options.symptoms], chosen=answers.symptoms,
        on_change=lambda ids: session.change(symptoms=ids), guard=ctx.guard,
    )
    pain_words = {0: text.pain_lowest, 10: text.pain_highest}
    pain = radio_row(
        choices=[(pain_words.get(n, str(n)), n) for n in range(11)], value=answers.pain,
        on_change=lambda n: session.change(pain=n), guard=ctx.guard, css_class="wb-pain",
    )
    duration = radio_row(
        choices=[(c.label, c.id) for c in options.durations], value=answers.duration,
        on_change=lambda d: session.change(duration=d), guard=ctx.guard, css_class="wb-duration",
    )
    triggers, _ = checkbox_list(
        choices=[(c.id, c.label) for c in options.triggers], chosen=answers.triggers,
        on_change=lambda ids: session.change(triggers=ids), guard=ctx.guard,
    )
    notes = lean(widgets.HTML, value=notes_html(content, answers))
    notes.add_class("wb-appointment-notes")
    ctx.watch(ctx.guard(lambda _change: setattr(notes, "value", notes_html(content, session.answers))), NOTE_FIELDS)
    box = lean(widgets.VBox, children=(
        heading, symptoms, body_diagram(ctx),
        subheading(text.pain_heading, text.pain_intro), pain, subheading(text.duration_heading), duration,
        subheading(text.triggers_heading), triggers, own_words(ctx), notes,
    ))
    box.add_class("wb-symptoms")
    box.add_class("wb-panel")
    return box
