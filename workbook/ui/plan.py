"""Steps 6 and 8: the self-care measures and the prevention plan the patient takes home."""

from __future__ import annotations

import ipywidgets as widgets

from workbook.content import Content
from workbook.plan import plan_choice, preselected_strategies
from workbook.session import Session
from workbook.ui.choices import checkbox_list
from workbook.ui.errors import guarded
from workbook.ui.watches import Watch


def self_care_choices(*, content: Content, session: Session, card: widgets.HTML) -> widgets.VBox:
    """The self-care measures to try at home.

    Args:
        content: validated content.
        session: the patient's session; choices go to `session.self_care`.
        card: the error card shown if a callback fails.
    """
    heading = widgets.HTML(
        value='<h2 class="wb-section__title">Your self-care at home</h2>'
        "<p>Choose what you will try at home. Your choices go into your plan on the last step.</p>"
    )
    boxes, _ = checkbox_list(
        choices=[(i.id, i.label) for i in content.self_care], chosen=session.self_care,
        on_change=lambda ids: setattr(session, "self_care", ids), card=card,
    )
    box = widgets.VBox(children=(heading, boxes))
    box.add_class("wb-self-care")
    box.add_class("wb-panel")
    return box


def prevention_plan(*, content: Content, session: Session, card: widgets.HTML, watch: Watch) -> widgets.VBox:
    """The prevention plan: chosen from the ticked risk factors until the patient changes it.

    Args:
        content: validated content.
        session: the patient's session; the patient's own choice goes to `session.prevention`.
        card: the error card shown if a callback fails.
        watch: observes the session for this view (its observers go with it).
    """

    def current() -> tuple[str, ...]:
        preselected = preselected_strategies(content.risk_factors, session.risk_factors, content.prevention)
        return plan_choice(session.prevention, preselected)

    heading = widgets.HTML(
        value='<h2 class="wb-section__title">Your prevention plan</h2>'
        "<p>We ticked the ones that fit your self-check. Change them as you like.</p>"
    )
    boxes, set_chosen = checkbox_list(
        choices=[(i.id, i.label) for i in content.prevention], chosen=current(),
        on_change=lambda ids: setattr(session, "prevention", ids), card=card,
    )
    # New risk factors change the plan only until the patient has made it their own.
    watch(guarded(lambda _change: set_chosen(current()), card=card), "risk_factors")
    box = widgets.VBox(children=(heading, boxes))
    box.add_class("wb-prevention")
    box.add_class("wb-panel")
    return box
