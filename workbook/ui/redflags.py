"""The safety check: yes/no warning-sign questions and the care card they call for."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from workbook.domain.summary import picture_svg
from workbook.domain.redflags import CareCard, HelpLevel, SignGroup, care_card, evaluate_red_flags, help_levels
from workbook.ui.context import StepContext
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join


def care_card_html(card: CareCard, *, compact: bool, announce: bool) -> Markup:
    """A care card's markup; all text escaped.

    Args:
        card: the card to show.
        compact: show the call to action only; the bullets open under it.
        announce: mark it as an alert, so screen readers read it out as it appears.
    """
    level = card.level.replace("_", "-")
    heading = html('<span class="wb-visually-hidden">{} </span>{}', card.prefix, card.heading)
    bullets = join(html("<li>{}</li>", bullet) for bullet in card.bullets)
    body = html(
        '<ul>{}</ul><p class="wb-care-card__said">{}</p>{}', bullets, card.said_yes, signs_html(card.signs)
    )
    role = html(' role="alert"') if announce else ""
    if compact:
        return html(
            '<details class="wb-care-card wb-care-card--{level} wb-care-card--compact"{role}>'
            '<summary class="wb-care-card__heading">{heading}</summary>'
            '<div class="wb-care-card__content">{body}</div></details>',
            level=level, role=role, heading=heading, body=body,
        )
    return html(
        '<div class="wb-care-card wb-care-card--{level}"{role}>'
        '<p class="wb-care-card__heading">{heading}</p>'
        '<div class="wb-care-card__content">{body}</div></div>',
        level=level, role=role, heading=heading, body=body,
    )


def signs_html(groups: tuple[SignGroup, ...]) -> Markup:
    """Signs under their short headings (nerves, bladder and bowels, ...); all text escaped."""
    return join(
        html(
            '<p class="wb-signs__heading">{}</p><ul class="wb-signs">{}</ul>',
            group.heading, join(html("<li>{}</li>", sign) for sign in group.signs),
        )
        for group in groups
    )


def safety_check(ctx: StepContext) -> widgets.VBox:
    """The warning-sign questions under their group headings, each with big Yes and No
    choices; answers go to the session."""
    flags, text = ctx.content.red_flags, ctx.text.safety_check
    answers = ctx.session.answers.red_flag_answers
    rows = []
    starts = {next(flag.id for flag in flags if flag.group == group.id): group for group in ctx.content.red_flag_groups}
    for number, flag in enumerate(flags, start=1):
        if flag.id in starts:
            group = starts[flag.id]
            intro = html('<p class="wb-redflag-group__intro">{}</p>', group.intro) if group.intro else ""
            picture = ""
            if group.picture and group.picture_text:
                picture = html(
                    '<figure class="wb-redflag-group__picture">{}<figcaption>{}</figcaption></figure>',
                    picture_svg(group.picture, group.picture_text), group.picture_text,
                )
            heading = lean(
                widgets.HTML,
                value=html('<h2 class="wb-redflag-group__heading">{}</h2>{}{}', group.heading, intro, picture),
            )
            heading.add_class("wb-redflag-group")
            rows.append(heading)
        count = text.number.format(number=number, count=len(flags))
        question = lean(
            widgets.HTML,
            value=html(
                '<p class="wb-redflag__question"><span class="wb-quiz__number">{}</span> {}</p>', count, flag.question
            ),
        )
        choice = lean(widgets.RadioButtons, options=[(text.yes, True), (text.no, False)], value=answers.get(flag.id))
        choice.add_class("wb-choice")
        choice.add_class("wb-choice--yes-no")
        choice.observe(
            ctx.guard(lambda change, flag_id=flag.id: ctx.session.answer_red_flag(flag_id, change["new"])),
            names="value",
        )
        row = lean(widgets.VBox, children=(question, choice))
        row.add_class("wb-redflag")
        rows.append(row)
    box = lean(widgets.VBox, children=rows)
    box.add_class("wb-redflags")
    return box


def help_level_html(level: HelpLevel, *, signs_label: str, do_label: str) -> Markup:
    """One level of help as a card: its call to action, every sign of that level, and what
    to do; all text escaped. Not an alert: it teaches, it does not answer the patient."""
    return html(
        '<section class="wb-care-card wb-care-card--{name} wb-help-level">'
        '<h3 class="wb-care-card__heading"><span class="wb-visually-hidden">{prefix} </span>{heading}</h3>'
        '<div class="wb-care-card__content"><p class="wb-help-level__label">{signs_label}</p>{signs}'
        '<p class="wb-help-level__label">{do_label}</p><ul>{bullets}</ul></div></section>',
        name=level.level.replace("_", "-"), prefix=level.prefix, heading=level.heading, signs_label=signs_label,
        signs=signs_html(level.signs), do_label=do_label,
        bullets=join(html("<li>{}</li>", bullet) for bullet in level.bullets),
    )


def help_levels_part(ctx: StepContext) -> tuple[widgets.Widget, ...]:
    """The three levels of help as three cards, highest first, and the way back to the
    safety check's answers."""
    text = ctx.text.safety_check
    content = ctx.content
    levels = help_levels(content.red_flags, content.care_cards, content.clinic, groups=content.red_flag_groups)
    cards = lean(
        widgets.HTML,
        value=html(
            '<div class="wb-help-levels">{}</div>',
            join(help_level_html(level, signs_label=text.help_signs, do_label=text.help_do) for level in levels),
        ),
    )
    cards.add_class("wb-help-levels-area")
    return (cards, *back_to_safety_check(ctx))


def back_to_safety_check(ctx: StepContext) -> tuple[widgets.Button, ...]:
    """A button back to the safety check, to see the answers given there; none where the
    chapter stands alone (there is no safety check to go back to)."""
    if ctx.go_to_part is None:
        return ()
    go_to_part = ctx.go_to_part
    button = lean(widgets.Button, description=ctx.text.safety_check.back_to_answers)
    button.add_class("wb-button")
    button.add_class("wb-button--secondary")
    button.on_click(ctx.guard(lambda _button: go_to_part("safety-check")))
    return (button,)


def care_area(ctx: StepContext, *, mode: Callable[[], str | None]) -> tuple[widgets.HTML, Callable[[], None]]:
    """The care card area: it follows the warning-sign answers at once.

    Args:
        ctx: the context; the area observes the answers through `ctx.watch`.
        mode: "full", "compact" or None (hidden), for the step on screen.

    Returns:
        The widget, and a function that redraws it (call it when the step changes).
    """
    content, session = ctx.content, ctx.session
    area = lean(widgets.HTML, value="", layout=widgets.Layout(display="none"))
    area.add_class("wb-care-area")
    announced: list[str | None] = [None]  # the level screen readers last heard

    def draw(*, announce: bool = False) -> None:
        groups = content.red_flag_groups
        result = evaluate_red_flags(content.red_flags, session.answers.red_flag_answers, groups=groups)
        shown = care_card(result, content.care_cards, content.clinic, content.card_words, groups=groups)
        how = mode()
        if shown is None or how is None:
            area.value, area.layout.display = "", "none"
            announced[0] = None if shown is None else announced[0]
            return
        # Read out as it appears or changes level; not again at every later "no".
        alert = announce and shown.level != announced[0]
        announced[0] = shown.level
        area.value = care_card_html(shown, compact=how == "compact", announce=alert)
        area.layout.display = None

    ctx.watch(ctx.guard(lambda _change: draw(announce=True)), "red_flag_answers")
    draw()
    return area, draw
