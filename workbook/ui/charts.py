"""A plotly figure with its text alternative beside it, redrawn on demand.

plotly is imported when the first chart is made (and pandas never, on the dashboard),
not when the workbook starts: a kernel waiting in the pool, and a patient on the steps before
the first chart, do without it. The chart parts import this module's charts the same way.

On the served dashboard the page draws each figure itself, from the figure's JSON, with the
plotly.js that the server sends when a chart first needs it (`workbook.page.charts_script`);
anywhere else (JupyterLab, nbval) a figure is plotly's own output.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import ipywidgets as widgets

from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from workbook.domain.figures import TextAlternative

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def text_alternative_html(text: TextAlternative) -> Markup:
    """The figure in words: a sentence and a small table; all text escaped."""
    head = join(html('<th scope="col">{}</th>', h) for h in text.headers)
    rows = join(html("<tr>{}</tr>", join(html("<td>{}</td>", c) for c in row)) for row in text.rows)
    return html(
        '<p class="wb-figure__sentence">{}</p>'
        '<table class="wb-table"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        text.sentence, head, rows,
    )


def page_draws_charts() -> bool:
    """Whether this kernel serves the dashboard page, which draws its charts itself."""
    return os.environ.get(PAGE_CHARTS_VARIABLE) == "1"


def figure_bundle(figure: go.Figure, config: dict | None = None) -> dict:
    """The figure as plotly.js takes it: data, layout and config."""
    import plotly.io as pio

    from workbook.domain.figures import CONFIG

    return {**json.loads(pio.to_json(figure, validate=False)), "config": CONFIG if config is None else config}


def figure_output(figure: go.Figure) -> dict:
    """The figure as plotly's own output (JupyterLab's plotly extension draws it)."""
    return {"output_type": "display_data", "data": {PLOTLY_MIME: figure_bundle(figure)}, "metadata": {}}


def figure_html(figure: go.Figure, config: dict | None = None) -> Markup:
    """The figure for the page's script to draw: its JSON in an attribute, escaped."""
    bundle = json.dumps(figure_bundle(figure, config), separators=(",", ":"))
    return html('<div class="wb-chart" data-figure="{}"></div>', bundle)


class _Chart:
    """Where a figure is drawn: an HTML widget the page draws into, or plotly's output."""

    def __init__(self, **kwargs) -> None:
        self.on_page = page_draws_charts()
        self.widget = lean(widgets.HTML, **kwargs) if self.on_page else widgets.Output(**kwargs)

    def show(self, figure: go.Figure, config: dict | None = None) -> None:
        if self.on_page:
            self.widget.value = figure_html(figure, config)
        else:
            # Set the output directly: no kernel output capture, and the page updates at once.
            self.widget.outputs = (figure_output(figure),)

    @property
    def empty(self) -> bool:
        return not (self.widget.value if self.on_page else self.widget.outputs)


def figure_view(*, make: Callable[[], tuple[go.Figure, TextAlternative]]) -> tuple[widgets.VBox, Callable[[], None]]:
    """A chart (plotly, served by this server) and its text alternative.

    Args:
        make: builds the figure and its text alternative from the current answers.

    Returns:
        The widget, empty, and a function that draws both: the caller draws it when the
        step is shown (`StepContext.watch.when_shown`), so a step built ahead does not
        bring plotly into the kernel.
    """
    chart = _Chart()
    chart.widget.add_class("wb-figure__chart")
    words = lean(widgets.HTML)
    words.add_class("wb-figure__text")

    def draw() -> None:
        figure, text = make()
        words.value = text_alternative_html(text)
        chart.show(figure)

    box = lean(widgets.VBox, children=(chart.widget, words))
    box.add_class("wb-figure")
    return box, draw


def chart_warmup() -> tuple[widgets.DOMWidget, Callable[[], None]]:
    """A hidden chart, so that plotly.js sets itself up in the page before the first real chart.

    The first chart a page draws makes plotly.js set itself up, which held that step back by
    about half a second. Drawn here while the patient reads the step before, it costs nothing
    they can notice. On the served page this is also when plotly.js is fetched.

    Returns:
        The widget (never shown), and a function that draws into it; calls after the first do
        nothing.
    """
    warmup = _Chart(layout=widgets.Layout(display="none"))
    warmup.widget.add_class("wb-chart-warmup")

    def draw() -> None:
        if warmup.empty:
            import plotly.graph_objects as go

            # Not responsive: a hidden chart has no size to follow.
            warmup.show(go.Figure(go.Bar(x=[1], y=[""], orientation="h")), config={"staticPlot": True})

    return warmup.widget, draw
