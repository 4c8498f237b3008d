"""A step's chapter text."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from workbook.content import Chapter


def chapter_view(*, chapter: Chapter) -> widgets.HTML:
    """The chapter's title as the page heading, then its text.

    Args:
        chapter: validated content; its HTML comes from Markdown with raw HTML disabled.
    """
    view = widgets.HTML(
        value=(
            f'<h1 class="wb-chapter__title">{escape(chapter.title)}</h1>'
            f'<div class="wb-chapter__text">{chapter.html}</div>'
        )
    )
    view.add_class("wb-chapter")
    return view
