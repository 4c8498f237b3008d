"""The workbook's own plain pages for "busy" and for every error: no script, no other host,
no version, escaped text from `data/page.yaml`."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workbook.content import PageText

_PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
    autoescape=select_autoescape(default=True),
)


def message_page(text: PageText, *, base_url: str) -> str:
    """The workbook's own plain page for "busy": no script, no other host, escaped text."""
    return _PAGES.get_template("message.html.j2").render(
        title=text.busy_title, heading=text.busy_heading, body=text.busy_body,
        button=text.busy_button, base_url=base_url,
    )


def error_page(text: PageText | None, *, base_url: str) -> str:
    """The same plain page for every error (400 to 500); empty before the words are loaded."""
    if text is None:
        return ""
    return _PAGES.get_template("message.html.j2").render(
        title=text.error_title, heading=text.error_heading, body=text.error_body,
        button=text.error_button, base_url=base_url,
    )
