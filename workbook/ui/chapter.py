"""A step's chapter: title, key message and text; FAQ chapters as sections that open."""

from __future__ import annotations

import ipywidgets as widgets

from workbook.content import Chapter, ChapterItem
from workbook.content.chapters import render_markdown
from workbook.ui.lean import lean
from workbook.ui.markup import Markup, html, join, trusted


def chapter_html(chapter: Chapter, *, key_message_label: str) -> Markup:
    """The chapter's markup: its title as the page heading, the key message, then the text.

    Chapter text comes from Markdown with raw HTML switched off; every other text is escaped.
    """
    if chapter.accordion:
        text = join(_accordion_section(item) for item in chapter.items)
    else:
        text = trusted(html=chapter.html)
    return html(
        '<h1 class="wb-chapter__title">{}</h1>'
        '<div class="wb-key-message"><p class="wb-key-message__label">{}</p>'
        '<p class="wb-key-message__text">{}</p></div>'
        '<div class="wb-chapter__text">{}</div>',
        chapter.title, key_message_label, chapter.key_message, text,
    )


def _accordion_section(item: ChapterItem) -> Markup:
    heading, _, answer = item.markdown.partition("\n")
    return html(
        '<details class="wb-faq"><summary class="wb-faq__question">{}</summary>'
        '<div class="wb-faq__answer">{}</div></details>',
        heading.removeprefix("## ").strip(), trusted(html=render_markdown(answer)),
    )


def chapter_view(*, chapter: Chapter, key_message_label: str) -> widgets.HTML:
    """The chapter as a widget.

    Args:
        chapter: validated content.
        key_message_label: the words above the key message.
    """
    view = lean(widgets.HTML, value=chapter_html(chapter, key_message_label=key_message_label))
    view.add_class("wb-chapter")
    return view
