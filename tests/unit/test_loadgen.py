"""The load generator's parts that need no server: the page, the frames, the models, the math."""

from __future__ import annotations

import json
import math
import random

import pytest
from ipywidgets.widgets import widget as widget_module
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)

from benchmarks.actions import step_actions
from benchmarks.loadgen import report
from benchmarks.protocol import (
    Message,
    PageError,
    channel_url,
    decode_v1,
    encode_v1,
    origin_of,
    page_config,
    parse_frame,
)
from benchmarks.samples import RunResult, Sample, percentile
from benchmarks.widget_state import (
    Models,
    apply_message,
    error_card_shown,
    feedback_problem,
    nav_button,
    prepare_button,
    step_shown,
    step_view,
)
from workbook.content import load_content
from workbook.ui.app import create_app
from workbook.ui.inputs import accept_only_patient_input

KERNEL_ID = "2feef744-6e95-4df5-b82f-e01315db6d4c"


def page_with(config: str) -> str:
    return (
        "<!DOCTYPE html><html><head><title>Back Spasm Workbook</title>\n"
        '<script id="jupyter-config-data" type="application/json">\n'
        f"  {config}\n</script>\n<script>var x = 1 < 2;</script></head><body></body></html>"
    )


# ---- the page ---------------------------------------------------------------------------------


def test_the_page_config_gives_kernel_base_url_and_heartbeat():
    config = {"appUrl": "voila/", "baseUrl": "/workbook/", "kernelId": KERNEL_ID,
              "workbookSession": {"heartbeatSeconds": 7, "idleSeconds": 600}}
    found = page_config(page_with(json.dumps(config)))
    assert (found.kernel_id, found.base_url, found.heartbeat_seconds) == (KERNEL_ID, "/workbook/", 7.0)


def test_the_page_config_defaults_base_url_and_heartbeat():
    found = page_config(page_with(json.dumps({"kernelId": KERNEL_ID})))
    assert (found.base_url, found.heartbeat_seconds) == ("/", 5.0)


def test_a_page_without_config_is_a_clear_error():
    busy = "<html><body><h1>The workbook is busy</h1><script>retry()</script></body></html>"
    with pytest.raises(PageError, match="no jupyter-config-data"):
        page_config(busy)


@pytest.mark.parametrize(
    ("config", "why"),
    [("{not json", "not JSON"), ('["a list"]', "not a JSON object"), ('{"baseUrl": "/"}', "no kernelId")],
)
def test_a_broken_page_config_is_a_clear_error(config, why):
    with pytest.raises(PageError, match=why):
        page_config(page_with(config))


def test_the_origin_is_what_a_browser_sends():
    assert origin_of("https://localhost:8443/") == "https://localhost:8443"
    assert origin_of("https://clinic.example:443/x/") == "https://clinic.example"
    assert origin_of("http://127.0.0.1:8890/") == "http://127.0.0.1:8890"
    with pytest.raises(ValueError):
        origin_of("ftp://host/")


def test_the_channel_url_follows_the_page_scheme():
    assert channel_url("https://localhost:8443", "/", KERNEL_ID, "s1") == (
        f"wss://localhost:8443/api/kernels/{KERNEL_ID}/channels?session_id=s1")
    assert channel_url("http://127.0.0.1:8890", "/wb/", KERNEL_ID, "s1").startswith("ws://127.0.0.1:8890/wb/api/")


# ---- the v1 frames ----------------------------------------------------------------------------


def test_frames_are_the_ones_jupyter_server_reads_and_writes():
    parts = [b'{"msg_type":"comm_msg"}', b"{}", b"{}", b'{"comm_id":"c"}']
    frame = encode_v1("shell", parts)
    assert frame == serialize_msg_to_ws_v1(parts, "shell")
    assert deserialize_msg_from_ws_v1(frame) == ("shell", parts)
    with_buffer = serialize_msg_to_ws_v1([*parts, b"\x00\x01"], "iopub")
    assert decode_v1(with_buffer) == ("iopub", [*parts, b"\x00\x01"])


def test_a_short_frame_is_refused():
    with pytest.raises(ValueError):
        decode_v1(b"\x05\x00")
    with pytest.raises(ValueError):
        decode_v1((9).to_bytes(8, "little") + b"\x00" * 16)


def server_message(msg_type: str, content: dict, parent: str = "p1", buffers: tuple[bytes, ...] = ()) -> Message:
    """A message as the server sends it, through a real frame."""
    header = {"msg_id": "k1", "msg_type": msg_type}
    parts = [json.dumps(x).encode() for x in (header, {"msg_id": parent}, {}, content)]
    return parse_frame(serialize_msg_to_ws_v1([*parts, *buffers], "iopub"))


def test_the_model_table_follows_open_update_echo_and_close():
    models = Models()
    opened = {"comm_id": "b1", "target_name": "jupyter.widget",
              "data": {"state": {"_model_name": "ButtonModel", "description": "Next"}, "buffer_paths": []}}
    apply_message(models, server_message("comm_open", opened))
    update = {"comm_id": "b1", "data": {"method": "update", "state": {"disabled": True}, "buffer_paths": []}}
    apply_message(models, server_message("comm_msg", update))
    echo = {"comm_id": "b1", "data": {"method": "echo_update", "state": {"tooltip": "x"}, "buffer_paths": []}}
    apply_message(models, server_message("comm_msg", echo))
    assert models.get("b1") == {"_model_name": "ButtonModel", "description": "Next", "disabled": True, "tooltip": "x"}
    apply_message(models, server_message("comm_close", {"comm_id": "b1", "data": {}}))
    assert models.states == {}


def test_the_states_answer_loads_every_model_with_its_buffers():
    models = Models()
    states = {"m1": {"model_name": "ImageModel", "state": {"_model_name": "ImageModel", "format": "png"}},
              "m2": {"model_name": "HTMLModel", "state": {"_model_name": "HTMLModel", "value": "<p>x</p>"}}}
    content = {"comm_id": "control", "data": {"method": "update_states", "states": states,
                                              "buffer_paths": [["m1", "state", "value"]]}}
    message = server_message("comm_msg", content, buffers=(b"\x89PNG",))
    assert not apply_message(models, message, control_comm="another")
    assert models.states == {}
    assert apply_message(models, message, control_comm="control")
    assert models.get("m1")["value"] == b"\x89PNG"
    assert models.get("m2")["value"] == "<p>x</p>"


# ---- the dashboard's widgets as the page sees them ---------------------------------------------


@pytest.fixture(autouse=True)
def guard() -> None:
    accept_only_patient_input()


class Kernel:
    """The dashboard built in this process, seen as a model table, answering messages as a kernel."""

    def __init__(self) -> None:
        before = set(widget_module._instances)
        self.app = create_app(content=load_content())
        self.before = before

    def models(self) -> Models:
        table = Models()
        for model_id, widget in widget_module._instances.items():
            if model_id not in self.before:
                table.open(model_id, widget.get_state())
        return table

    def send(self, model_id: str, data: dict) -> None:
        """Deliver a comm message's data to its widget, as ipykernel does."""
        widget_module._instances[model_id]._handle_msg({"content": {"data": data}, "buffers": []})


def click_data() -> dict:
    return {"method": "custom", "content": {"event": "click"}}


@pytest.fixture
def kernel() -> Kernel:
    return Kernel()


def test_next_and_prepare_are_found_and_move_the_step(kernel):
    models = kernel.models()
    assert step_shown(models) == (1, 10)
    first = step_view(models)
    next_button = nav_button(models, "Next")
    assert models.get(next_button)["description"] == "Next"
    assert "wb-button--primary" in models.classes(next_button)
    kernel.send(prepare_button(models), click_data())
    assert len(kernel.models().states) > len(models.states)  # the next step is built ahead
    kernel.send(next_button, click_data())
    moved = kernel.models()
    assert step_shown(moved) == (2, 10)
    assert step_view(moved) not in (None, first)
    assert kernel.app.session.step == 2


def test_the_safety_check_is_answered_no_to_every_question(kernel):
    kernel.app.session.go_to(2)
    models = kernel.models()
    actions = step_actions(models, random.Random(1))
    flags = kernel.app.content.red_flags
    assert [a.kind for a in actions] == ["answer"] * len(flags)
    for action in actions:
        kernel.send(action.model_id, action.data)
    assert kernel.app.session.answers.red_flag_answers == {flag.id: False for flag in flags}
    assert step_actions(kernel.models(), random.Random(1)) == []  # nothing left to answer
    assert not error_card_shown(kernel.models())


def test_a_risk_factor_is_ticked_and_the_quiz_answered_and_checked(kernel):
    kernel.app.session.go_to(4)
    models = kernel.models()
    actions = step_actions(models, random.Random(2))
    kinds = [a.kind for a in actions]
    questions = kernel.app.content.questions_for(4)
    assert kinds == ["tick"] + ["choose", "check"] * len(questions)
    for action in actions:
        kernel.send(action.model_id, action.data)
    after = kernel.models()
    assert len(kernel.app.session.answers.risk_factors) == 1
    assert set(kernel.app.session.answers.quiz_attempts) == {q.id for q in questions}
    checks = [a for a in actions if a.kind == "check"]
    assert all(feedback_problem(after, a.feedback_id) is None for a in checks)


def test_only_the_step_on_screen_is_acted_on(kernel):
    models = kernel.models()
    kernel.send(prepare_button(models), click_data())  # step 2, the safety check, built ahead
    assert step_actions(kernel.models(), random.Random(3)) == []  # step 1 has nothing to do


def test_a_check_without_a_choice_is_reported(kernel):
    kernel.app.session.go_to(3)
    models = kernel.models()
    check = next(a for a in step_actions(models, random.Random(4)) if a.kind == "check")
    assert feedback_problem(models, check.feedback_id) == "no feedback after Check my answer"
    kernel.send(check.model_id, check.data)
    assert "not taken" in feedback_problem(kernel.models(), check.feedback_id)


def test_the_error_card_is_seen_only_when_shown():
    models = Models()
    models.open("card", {"_dom_classes": ["wb-error-card"], "value": "", "layout": "IPY_MODEL_l"})
    models.open("l", {"display": "none"})
    assert not error_card_shown(models)
    models.update("card", {"value": "<p>Sorry</p>"})
    models.update("l", {"display": None})
    assert error_card_shown(models)


def test_next_is_looked_for_in_the_navigation_only():
    models = Models()
    models.open("other", {"_model_name": "ButtonModel", "description": "Next"})
    assert nav_button(models, "Next") is None
    models.open("nav", {"_dom_classes": ["wb-nav"], "children": ["IPY_MODEL_back", "IPY_MODEL_next"]})
    models.open("back", {"_model_name": "ButtonModel", "description": "Back"})
    models.open("next", {"_model_name": "ButtonModel", "description": "Next"})
    assert nav_button(models, "Next") == "next"


# ---- the figures ------------------------------------------------------------------------------


def test_percentiles_interpolate_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 95) == pytest.approx(3.85)
    assert percentile(values, 100) == 4.0
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_the_report_separates_next_from_all_and_names_errors():
    result = RunResult(patients=2, completed=1, refusals=1, errors=["patient 2, step 3: boom"])
    result.samples = [Sample(1, 1, "next", 10.0, 0.0), Sample(1, 1, "prepare", 300.0, 0.0)]
    text = report(result)
    assert "2 started, 1 completed, 1 errors, 1 refused" in text
    next_line = next(line for line in text.splitlines() if line.startswith("next"))
    all_line = next(line for line in text.splitlines() if line.startswith("all"))
    assert "max=   10.0" in next_line and "max=  300.0" in all_line
    assert "patient 2, step 3: boom" in text
