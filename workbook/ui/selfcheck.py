"""The risk-factor self-check, with its chart and what each ticked factor means."""

from __future__ import annotations


import ipywidgets as widgets

from workbook.content import Content
from workbook.domain.selfcheck import group_counts, tick_group
from workbook.ui.choices import checkbox_list
from workbook.ui.context import StepContext
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join


def factor_notes_html(content: Content, ticked: tuple[str, ...]) -> Markup:
    """What each ticked factor means and what helps; all text escaped."""
    text = content.text.self_check
    items = join(
        html(
            "<li><strong>{}</strong><br>{} {}<br>{} {}</li>",
            f.question, text.what_it_means, f.meaning, text.what_helps, f.helps,
        )
        for f in content.risk_factors
        if f.id in ticked
    )
    if not items:
        return Markup()
    return html('<h3 class="wb-subheading">{}</h3><ul class="wb-meanings">{}</ul>', text.meanings_heading, items)


def self_check(ctx: StepContext) -> widgets.VBox:
    """The self-check: factors by group, the chart by group, and the meaning of each ticked one."""
    content, session, text = ctx.content, ctx.session, ctx.text.self_check
    intro = lean(
        widgets.HTML,
        value=html(
            '<h2 class="wb-section__title">{}</h2><p>{}</p><p class="wb-note">{}</p>',
            text.heading, text.intro, text.not_a_score,
        ),
    )
    intro.add_class("wb-selfcheck__intro")
    parts: list[widgets.Widget] = [intro]
    for group in content.risk_groups:
        heading = lean(widgets.HTML, value=html('<h3 class="wb-subheading">{}</h3>', group.title))

        def on_change(ticked: tuple[str, ...], group_id: str = group.id) -> None:
            factors = tick_group(content.risk_factors, session.answers.risk_factors, group_id, ticked)
            session.change(risk_factors=factors)

        boxes, _ = checkbox_list(
            choices=[(f.id, f.question) for f in content.risk_factors if f.group == group.id],
            chosen=session.answers.risk_factors, on_change=on_change, guard=ctx.guard,
            css_class="wb-selfcheck",
        )
        parts += [heading, boxes]

    from workbook.ui.charts import figure_view

    def make():
        # Imported when the chart is first drawn: a kernel starts without plotly, and a
        # step built ahead does not bring it in (see ui/charts.py).
        from workbook.domain.figures import risk_chart, risk_text

        counts = group_counts(content.risk_factors, session.answers.risk_factors, content.risk_groups)
        return risk_chart(counts, ctx.text.charts), risk_text(counts, ctx.text.charts)

    figure, redraw = figure_view(make=make)
    ctx.watch.when_shown(ctx.guard(redraw))
    notes = lean(widgets.HTML, value=factor_notes_html(content, session.answers.risk_factors))
    notes.add_class("wb-factor-notes")

    def changed(_change: dict) -> None:
        redraw()
        notes.value = factor_notes_html(content, session.answers.risk_factors)

    ctx.watch(ctx.guard(changed), "risk_factors")
    box = lean(widgets.VBox, children=(*parts, figure, notes))
    box.add_class("wb-selfcheck-part")
    box.add_class("wb-panel")
    return box
