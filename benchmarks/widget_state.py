"""The widget models of one kernel, as the page keeps them, and what is on screen in them.

`Models` is the table of every widget model by id; `apply_message` keeps it up to date with the
kernel's `comm_open`, `update`, `echo_update`, `update_states` and `comm_close`. The functions
after it find in the table what a patient sees: the step on screen, the navigation buttons, the
hidden "prepare" button, the error card and a quiz question's feedback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from benchmarks.protocol import Message

STEP_TEXT = re.compile(r"Step (\d+) of (\d+)")
MODEL_REF = "IPY_MODEL_"


def put_buffers(state: dict, buffer_paths: Sequence[Sequence[Any]], buffers: Sequence[bytes]) -> None:
    """Put binary buffers back into a state at their paths (as ipywidgets' `put_buffers`)."""
    for path, buffer in zip(buffer_paths, buffers):
        target: Any = state
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = buffer


class Models:
    """The widget models of one kernel, by model id (which is also the comm id)."""

    def __init__(self) -> None:
        self.states: dict[str, dict] = {}

    def open(self, model_id: str, state: dict) -> None:
        self.states[model_id] = dict(state)

    def update(self, model_id: str, state: dict) -> None:
        """Merge a state change; a change to a model not (yet) known is kept as its state."""
        self.states.setdefault(model_id, {}).update(state)

    def close(self, model_id: str) -> None:
        self.states.pop(model_id, None)

    def load(self, states: dict, buffer_paths: Sequence[Sequence[Any]] = (), buffers: Sequence[bytes] = ()) -> None:
        """Take every model from a `request_states` answer (`update_states`)."""
        put_buffers(states, buffer_paths, buffers)
        for model_id, entry in states.items():
            self.open(model_id, entry.get("state", {}))

    def get(self, model_id: str | None) -> dict:
        return self.states.get(model_id, {}) if model_id else {}

    def name(self, model_id: str) -> str:
        return self.get(model_id).get("_model_name", "")

    def classes(self, model_id: str) -> list[str]:
        return self.get(model_id).get("_dom_classes") or []

    def children(self, model_id: str) -> list[str]:
        refs = self.get(model_id).get("children") or []
        return [r[len(MODEL_REF):] for r in refs if isinstance(r, str) and r.startswith(MODEL_REF)]

    def descendants(self, model_id: str) -> Iterator[str]:
        """The model's children, depth first and in order, then theirs."""
        for child in self.children(model_id):
            yield child
            yield from self.descendants(child)

    def with_class(self, css_class: str, within: Iterable[str] | None = None) -> list[str]:
        ids = self.states if within is None else within
        return [i for i in ids if css_class in self.classes(i)]


def apply_message(models: Models, message: Message, control_comm: str | None = None) -> bool:
    """Keep the model table up to date with one message from the kernel, as the page does.

    Returns:
        True when the message was the answer to `request_states` on `control_comm`.
    """
    content = message.content
    comm_id = content.get("comm_id", "")
    data = content.get("data") or {}
    if message.msg_type == "comm_open" and content.get("target_name") == "jupyter.widget":
        state = dict(data.get("state") or {})
        put_buffers(state, data.get("buffer_paths") or [], message.buffers)
        models.open(comm_id, state)
    elif message.msg_type == "comm_msg" and data.get("method") in ("update", "echo_update"):
        state = dict(data.get("state") or {})
        put_buffers(state, data.get("buffer_paths") or [], message.buffers)
        models.update(comm_id, state)
    elif message.msg_type == "comm_msg" and data.get("method") == "update_states":
        if comm_id == control_comm:
            models.load(data.get("states") or {}, data.get("buffer_paths") or [], message.buffers)
            return True
    elif message.msg_type == "comm_close":
        models.close(comm_id)
    return False


def step_view(models: Models) -> str | None:
    """The model id of the step on screen: the one child of the app's body."""
    for body in models.with_class("wb-app__body"):
        children = models.children(body)
        if children:
            return children[0]
    return None


def step_shown(models: Models) -> tuple[int, int] | None:
    """The step on screen and the number of steps, from the progress text ("Step 3 of 10")."""
    for progress in models.with_class("wb-progress"):
        match = STEP_TEXT.search(str(models.get(progress).get("value", "")))
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def nav_button(models: Models, label: str) -> str | None:
    """The Back or Next button (by its label) of the navigation row."""
    for nav in models.with_class("wb-nav"):
        for child in models.children(nav):
            if models.name(child) == "ButtonModel" and models.get(child).get("description") == label:
                return child
    return None


def prepare_button(models: Models) -> str | None:
    """The hidden button the page presses to have the next step built ahead."""
    found = models.with_class("wb-prepare-next")
    return found[0] if found else None


def error_card_shown(models: Models) -> bool:
    """Whether the plain error card is on screen (a callback failed in the kernel)."""
    for card in models.with_class("wb-error-card"):
        layout = models.get(models.get(card).get("layout", "").removeprefix(MODEL_REF))
        if models.get(card).get("value") and layout.get("display") != "none":
            return True
    return False


def feedback_problem(models: Models, feedback_id: str) -> str | None:
    """Why a quiz check's feedback is wrong, or None when it shows a graded answer."""
    value = str(models.get(feedback_id).get("value", ""))
    if not value:
        return "no feedback after Check my answer"
    if "wb-feedback--empty" in value:
        return "the answer chosen was not taken (feedback asks to choose first)"
    return None
