"""The self-care measures and the prevention plan the patient takes home."""

from __future__ import annotations

import ipywidgets as widgets

from workbook.domain.plan import plan_choice, preselected_strategies
from workbook.ui.choices import checkbox_list
from workbook.ui.context import StepContext
from workbook.ui.lean import lean
from workbook.ui.markup import html


def section_heading(heading: str, intro: str) -> widgets.HTML:
    """A part's heading and one line under it; both escaped."""
    return lean(widgets.HTML, value=html('<h2 class="wb-section__title">{}</h2><p>{}</p>', heading, intro))


def self_care_choices(ctx: StepContext) -> widgets.VBox:
    """The self-care measures to try at home; choices go to the session's `self_care`."""
    text = ctx.text.plan
    boxes, _ = checkbox_list(
        choices=[(i.id, i.label) for i in ctx.content.self_care], chosen=ctx.session.answers.self_care,
        on_change=lambda ids: ctx.session.change(self_care=ids), guard=ctx.guard,
    )
    box = lean(widgets.VBox, children=(section_heading(text.self_care_heading, text.self_care_intro), boxes))
    box.add_class("wb-self-care")
    box.add_class("wb-panel")
    return box


def prevention_plan(ctx: StepContext) -> widgets.VBox:
    """The prevention plan: chosen from the ticked risk factors until the patient changes it."""
    content, session, text = ctx.content, ctx.session, ctx.text.plan

    def current() -> tuple[str, ...]:
        answers = session.answers
        preselected = preselected_strategies(content.risk_factors, answers.risk_factors, content.prevention)
        return plan_choice(answers.prevention, preselected)

    boxes, set_chosen = checkbox_list(
        choices=[(i.id, i.label) for i in content.prevention], chosen=current(),
        on_change=lambda ids: session.change(prevention=ids), guard=ctx.guard,
    )
    # New risk factors change the plan only until the patient has made it their own.
    ctx.watch(ctx.guard(lambda _change: set_chosen(current())), "risk_factors")
    box = lean(widgets.VBox, children=(section_heading(text.prevention_heading, text.prevention_intro), boxes))
    box.add_class("wb-prevention")
    box.add_class("wb-panel")
    return box
