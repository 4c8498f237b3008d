"""Step 4: the risk-factor self-check, with its chart and what each ticked factor means."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from workbook.content import Content
from workbook.figures import risk_chart, risk_text
from workbook.selfcheck import NOT_A_SCORE, group_counts, risk_profile
from workbook.session import Session
from workbook.ui.charts import figure_view
from workbook.ui.choices import checkbox_list
from workbook.ui.errors import guarded
from workbook.ui.watches import Watch


def factor_notes_html(content: Content, ticked: tuple[str, ...]) -> str:
    """What each ticked factor means and what helps; all text escaped."""
    items = "".join(
        f"<li><strong>{escape(f.question)}</strong><br>What it means: {escape(f.meaning)}<br>"
        f"What helps: {escape(f.helps)}</li>"
        for f in content.risk_factors
        if f.id in ticked
    )
    return f'<h3 class="wb-subheading">What your answers mean</h3><ul class="wb-meanings">{items}</ul>' if items else ""


def self_check(*, content: Content, session: Session, card: widgets.HTML, watch: Watch) -> widgets.VBox:
    """The self-check: factors by group, the chart by group, and the meaning of each ticked one.

    Args:
        content: validated content.
        session: the patient's session; ticked factors go to `session.risk_factors`.
        card: the error card shown if a callback fails.
        watch: observes the session for this view (its observers go with it).
    """
    intro = widgets.HTML(
        value='<h2 class="wb-section__title">Your self-check</h2>'
        "<p>Tick the ones that apply to you. The chart below shows them by group.</p>"
        f'<p class="wb-note">{escape(NOT_A_SCORE)}</p>'
    )
    intro.add_class("wb-selfcheck__intro")
    parts: list[widgets.Widget] = [intro]
    for group in content.risk_groups:
        heading = widgets.HTML(value=f'<h3 class="wb-subheading">{escape(group.title)}</h3>')
        factors = [(f.id, f.question) for f in content.risk_factors if f.group == group.id]

        def on_change(ticked: tuple[str, ...], group_ids=tuple(i for i, _ in factors)) -> None:
            others = tuple(f for f in session.risk_factors if f not in group_ids)
            session.risk_factors = tuple(f.id for f in content.risk_factors if f.id in (*others, *ticked))

        boxes, _ = checkbox_list(choices=factors, chosen=session.risk_factors, on_change=on_change,
                                 card=card, css_class="wb-selfcheck")
        parts += [heading, boxes]

    def make():
        counts = group_counts(risk_profile(content.risk_factors, session.risk_factors), content.risk_groups)
        return risk_chart(counts), risk_text(counts)

    figure, redraw = figure_view(make=make)
    notes = widgets.HTML(value=factor_notes_html(content, session.risk_factors))
    notes.add_class("wb-factor-notes")

    def changed(_change: dict) -> None:
        redraw()
        notes.value = factor_notes_html(content, session.risk_factors)

    watch(guarded(changed, card=card), "risk_factors")
    box = widgets.VBox(children=(*parts, figure, notes))
    box.add_class("wb-selfcheck-part")
    box.add_class("wb-panel")
    return box
