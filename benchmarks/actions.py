"""What a simulated patient does on a step, as comm messages to the step's widgets."""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks.widget_state import Models, step_view


@dataclass(frozen=True, slots=True)
class Action:
    """One thing the patient does on a step: a state update or a button press.

    Attributes:
        kind: answer, tick, choose or check.
        model_id: the widget it goes to.
        data: the comm message's data, as the page sends it.
        feedback_id: for a check, the widget that must then show the feedback.
    """

    kind: str
    model_id: str
    data: dict
    feedback_id: str | None = None


def update(model_id: str, kind: str, state: dict) -> Action:
    """A change of a widget's input, as the page sends it (no binary buffers)."""
    return Action(kind=kind, model_id=model_id, data={"method": "update", "state": state, "buffer_paths": []})


def click(model_id: str, kind: str, feedback_id: str | None = None) -> Action:
    """A button press, as the page sends it: a custom message with the click event."""
    return Action(kind=kind, model_id=model_id, data={"method": "custom", "content": {"event": "click"}},
                  feedback_id=feedback_id)


def safety_answers(models: Models, view: str) -> list[Action]:
    """"No" to every unanswered warning-sign question of the step (no red flag)."""
    actions = []
    for radios in models.with_class("wb-choice--yes-no", models.descendants(view)):
        state = models.get(radios)
        labels = state.get("_options_labels") or []
        if state.get("index") is None and "No" in labels:
            actions.append(update(radios, "answer", {"index": labels.index("No")}))
    return actions


def risk_factor(models: Models, view: str, rng: random.Random) -> list[Action]:
    """One risk factor ticked on the self-check, unless one is ticked already."""
    boxes = models.with_class("wb-selfcheck__item", models.descendants(view))
    if not boxes or any(models.get(b).get("value") for b in boxes):
        return []
    return [update(rng.choice(boxes), "tick", {"value": True})]


def quiz_answers(models: Models, view: str, rng: random.Random) -> list[Action]:
    """For each quiz question of the step: choose an answer, then press "Check my answer"."""
    actions = []
    for question in models.with_class("wb-quiz__question", models.descendants(view)):
        parts = models.children(question)
        if len(parts) < 4:
            continue
        choices, check, feedback = parts[1], parts[2], parts[3]
        if models.name(choices) == "RadioButtonsModel":
            count = len(models.get(choices).get("_options_labels") or [])
            if count:
                actions.append(update(choices, "choose", {"index": rng.randrange(count)}))
        else:
            boxes = [b for b in models.children(choices) if models.name(b) == "CheckboxModel"]
            if boxes:
                actions.append(update(rng.choice(boxes), "choose", {"value": True}))
        actions.append(click(check, "check", feedback_id=feedback))
    return actions


def step_actions(models: Models, rng: random.Random) -> list[Action]:
    """What a patient does on the step on screen, in the order of the page."""
    view = step_view(models)
    if view is None:
        return []
    return [*safety_answers(models, view), *risk_factor(models, view, rng), *quiz_answers(models, view, rng)]
