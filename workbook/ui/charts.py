"""A plotly figure with its text alternative beside it, redrawn on demand.

plotly (and pandas, through `workbook.figures`) are imported when the first chart is made,
not when the workbook starts: a kernel waiting in the pool, and a patient on the steps before
the first chart, do without them. The chart parts import this module's charts the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

import ipywidgets as widgets

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from workbook.figures import TextAlternative

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def text_alternative_html(text: TextAlternative) -> str:
    """The figure in words: a sentence and a small table; all text escaped."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in text.headers)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in text.rows)
    return (
        f'<p class="wb-figure__sentence">{escape(text.sentence)}</p>'
        f'<table class="wb-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def figure_output(figure: go.Figure) -> dict:
    """The figure as an output that the page renders with the plotly.js this server serves."""
    import plotly.io as pio

    from workbook.figures import CONFIG

    bundle = {**json.loads(pio.to_json(figure, validate=False)), "config": CONFIG}
    return {"output_type": "display_data", "data": {PLOTLY_MIME: bundle}, "metadata": {}}


def figure_view(*, make: Callable[[], tuple[go.Figure, TextAlternative]]) -> tuple[widgets.VBox, Callable[[], None]]:
    """A chart (plotly, served by this server) and its text alternative.

    Args:
        make: builds the figure and its text alternative from the current answers.

    Returns:
        The widget, and a function that redraws both.
    """
    chart = widgets.Output()
    chart.add_class("wb-figure__chart")
    words = widgets.HTML()
    words.add_class("wb-figure__text")

    def draw() -> None:
        figure, text = make()
        words.value = text_alternative_html(text)
        # Set the output directly: no kernel output capture, and the page updates at once.
        chart.outputs = (figure_output(figure),)

    box = widgets.VBox(children=(chart, words))
    box.add_class("wb-figure")
    draw()
    return box, draw


def chart_warmup() -> tuple[widgets.Output, Callable[[], None]]:
    """A hidden chart, so that plotly.js sets itself up in the page before the first real chart.

    The first chart a page draws makes plotly.js set itself up, which held that step back by
    about half a second. Drawn here while the patient reads the step before, it costs nothing
    they can notice.

    Returns:
        The widget (never shown), and a function that draws into it; calls after the first do
        nothing.
    """
    warmup = widgets.Output(layout=widgets.Layout(display="none"))
    warmup.add_class("wb-chart-warmup")

    def draw() -> None:
        if not warmup.outputs:
            import plotly.graph_objects as go

            warmup.outputs = (figure_output(go.Figure(go.Bar(x=[1], y=[""], orientation="h"))),)

    return warmup, draw
