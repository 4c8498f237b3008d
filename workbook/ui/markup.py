"""The widgets' HTML, escaped by construction: every piece of markup a widget shows is made here.

`html(template, *values)` fills the template's `{}` with the values, each escaped unless it
is markup already (made by `html`, `join` or `trusted`, or a `markupsafe.Markup` such as a
drawing); `join(pieces)` puts pieces together the same way. So a text is shown as text
wherever it goes: there is no escape call to forget. The template is a literal in the code;
the words come from `data/` as values. `trusted(html=...)` is the one way to take markup as it
is: a chapter's Markdown, rendered with raw HTML switched off, and the theme's stylesheet.

Text is escaped as the standard library's `html.escape` does it (`'` as `&#x27;`, `"` as
`&quot;`), not as markupsafe would (`&#39;`, `&#34;`): the screens keep the bytes they have
always had, so that captures of them compare exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape as escape_text

from markupsafe import Markup


class _Markup(Markup):
    """markupsafe's `Markup`, escaping with `html.escape`: its `format`, `join` and `+` escape
    every value that is not markup already."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> _Markup:
        if hasattr(s, "__html__"):
            return cls(s)
        return cls(escape_text(str(s)))


def html(template: str, /, *values: object, **named: object) -> Markup:
    """Markup from a template written in the code, its `{}` (or `{name}`) filled in with values
    that are escaped unless they are markup already.

    Args:
        template: the markup, as `str.format` takes it; never text from `data/` or a patient.
        values: what fills the braces in order (texts, numbers or markup).
        named: what fills the braces by name.

    Returns:
        The markup, which stays markup when it fills another template.
    """
    return _Markup(template).format(*values, **named)


def join(pieces: Iterable[object]) -> Markup:
    """Pieces one after another, each escaped unless it is markup already.

    Args:
        pieces: markup made by `html`, or texts.
    """
    return _Markup().join(pieces)


def trusted(*, html: str) -> Markup:
    """Markup taken as it is, for markup the workbook makes itself and never from a patient's
    text: a chapter's Markdown rendered with raw HTML switched off, the theme's stylesheet.

    Args:
        html: the markup.
    """
    return _Markup(html)
