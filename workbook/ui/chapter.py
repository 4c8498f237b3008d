"""A step's chapter: title, key message and text; FAQ chapters as sections that open."""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from workbook.content import Chapter, ChapterItem
from workbook.content.chapters import render_markdown
from workbook.ui.lean import lean


def chapter_html(chapter: Chapter, *, key_message_label: str) -> str:
    """The chapter's markup: its title as the page heading, the key message, then the text.

    Chapter text comes from Markdown with raw HTML switched off; titles are escaped.
    """
    if chapter.accordion:
        text = "".join(_accordion_section(item) for item in chapter.items)
    else:
        text = chapter.html
    return (
        f'<h1 class="wb-chapter__title">{escape(chapter.title)}</h1>'
        f'<div class="wb-key-message"><p class="wb-key-message__label">{escape(key_message_label)}</p>'
        f'<p class="wb-key-message__text">{escape(chapter.key_message)}</p></div>'
        f'<div class="wb-chapter__text">{text}</div>'
    )


def _accordion_section(item: ChapterItem) -> str:
    heading, _, answer = item.markdown.partition("\n")
    return (
        '<details class="wb-faq">'
        f'<summary class="wb-faq__question">{escape(heading.removeprefix("## ").strip())}</summary>'
        f'<div class="wb-faq__answer">{render_markdown(answer)}</div></details>'
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
