"""Widgets that share one layout model and one style model of each kind.

Every ipywidgets widget makes a layout model of its own, and most a style model too: on a
step, two of every three models were these, all left at their defaults. Each is one more
message for the kernel to send, one more model for the page to create before the step
shows, and one more for both to hold. The workbook styles its widgets with CSS classes,
never through their layout or style, so its widgets share one of each kind instead.

A shared model refuses every change, with an error that says so: a widget whose layout
changes (shown and hidden, placed on a grid) is given a layout of its own.
"""

from __future__ import annotations

from typing import TypeVar

import ipywidgets as widgets

W = TypeVar("W", bound=widgets.DOMWidget)

_shared: dict[type, widgets.Widget] = {}


class _Frozen:
    """Once made, no synced trait of the model can change."""

    _frozen = False

    def __setattr__(self, name: str, value: object) -> None:
        if self._frozen and not name.startswith("_") and name in self.keys:  # type: ignore[attr-defined]
            raise AttributeError(
                f"{type(self).__name__}.{name}: this model is shared by many widgets and cannot change; "
                "give the widget a layout or style of its own"
            )
        super().__setattr__(name, value)


def shared(model_class: type[widgets.Widget]) -> widgets.Widget:
    """The one model of this class that widgets share (made again if it was closed)."""
    model = _shared.get(model_class)
    if model is None or model.comm is None:
        model = type(model_class.__name__, (_Frozen, model_class), {})()
        model._frozen = True
        _shared[model_class] = model
    return model


def lean(widget_class: type[W], **kwargs: object) -> W:
    """`widget_class(**kwargs)`, with the shared layout and style unless either is given."""
    kwargs.setdefault("layout", shared(widgets.Layout))
    style = widget_class.class_traits().get("style")
    if style is not None:
        kwargs.setdefault("style", shared(style.klass))
    return widget_class(**kwargs)
