"""Patients never see a traceback: a plain card instead, and the details in the server log."""

from __future__ import annotations

import functools
import io
import logging
import sys
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from workbook.content import load_content
from workbook.content.screen import ErrorText
from workbook.ui.markup import html

LOG = logging.getLogger("workbook")

# Wraps a widget callback so that a failure shows the error card (`guarded` with its card).
Guard = Callable[[Callable[..., Any]], Callable[..., None]]


def log_to_server() -> None:
    """In a kernel, send the workbook's log to the server's log, never to the page.

    ipykernel replaces `sys.stderr` with a stream that goes to the browser, so a default
    handler would show a traceback to the patient. When it also captures file descriptor 2,
    it keeps a copy of the real one (the server's log) for its own logger; the workbook's log
    goes there too. Otherwise descriptor 2 is untouched and `sys.__stderr__` still writes to
    it. Outside a kernel nothing changes. Calling it again does nothing more.
    """
    if not type(sys.stderr).__module__.startswith("ipykernel"):
        return
    if any(getattr(handler, "_workbook", False) for handler in LOG.handlers):
        return
    original = getattr(sys.stderr, "_original_stdstream_copy", None)
    if original is not None:
        stream = io.TextIOWrapper(io.FileIO(original, "w", closefd=False), line_buffering=True)
    else:
        stream = sys.__stderr__
    handler = logging.StreamHandler(stream)
    handler._workbook = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("[workbook] %(levelname)s %(message)s"))
    LOG.addHandler(handler)
    LOG.propagate = False


class ErrorCard(widgets.HTML):
    """The error card: an HTML widget that keeps, on the kernel's side only, what it says."""

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message


def error_card(text: ErrorText | None = None) -> ErrorCard:
    """An empty, hidden error card; `show_error` fills it.

    Args:
        text: its words; by default those of the project's `data/ui.yaml`.

    Returns:
        An HTML widget with the class `wb-error-card`, announced to screen readers when shown.
    """
    text = text or load_content().text.error
    message = html(
        '<div role="alert" class="wb-error-card__body"><p class="wb-error-card__heading">{}</p><p>{}</p></div>',
        text.heading, text.body,
    )
    card = ErrorCard(message=message, value="", layout=widgets.Layout(display="none"))
    card.add_class("wb-error-card")
    return card


def show_error(card: ErrorCard) -> None:
    """Show the plain-language error text in `card` (built by `error_card`)."""
    card.value = card.message
    card.layout.display = None


def hide_error(card: widgets.HTML) -> None:
    """Hide the error card again."""
    card.value = ""
    card.layout.display = "none"


def guard_with(card: ErrorCard) -> Guard:
    """The guard of one error card: `guard(handler)` is `guarded(handler, card=card)`."""
    return functools.partial(guarded, card=card)


def guarded(handler: Callable[..., Any], *, card: ErrorCard) -> Callable[..., None]:
    """Wrap a widget callback so that an exception shows the error card and is logged.

    An exception in an ipywidgets callback is otherwise shown nowhere and logged nowhere.

    Args:
        handler: the callback.
        card: the error card (from `error_card`) to show on failure.

    Returns:
        A callback with the same arguments that never raises.
    """

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            handler(*args, **kwargs)
        except Exception:  # noqa: BLE001 - any failure must reach the log, not the patient
            LOG.exception("callback %s failed", getattr(handler, "__qualname__", handler))
            try:
                show_error(card)
            except Exception:  # noqa: BLE001 - nothing may escape to the page
                LOG.exception("the error card could not be shown")

    return wrapper
