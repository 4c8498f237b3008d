"""Simulated patients against the served dashboard, over the page's own protocol, with no browser.

Each simulated patient does what the page and its scripts do in a browser:

1. `GET /`: keeps the cookies it sets (the `workbook_session` secret that the kernel routes
   require), adds the `_xsrf` cookie the page script makes, and reads the kernel id, the base
   URL and the heartbeat from the page's `jupyter-config-data`. A 503 is the "busy" page: a
   refusal, not an error.
2. `GET api/kernels/<id>` (the kernel's model, as JupyterLab's kernel connection asks first),
   then the kernel channel `api/kernels/<id>/channels?session_id=<uuid>` with the cookies and
   the page's `Origin`, in the v1 binary protocol the page speaks.
3. `kernel_info_request`; then, as the ipywidgets 8 widget manager does, a comm to
   `jupyter.widget.control` with `request_states`, whose answer holds every widget model, and
   the comm closed again. From then on every `comm_open`, `update`, `echo_update` and
   `comm_close` from the kernel keeps a table of the models up to date.
4. Once a step is on screen, the hidden "prepare" button is pressed (the page does this when
   it is idle, so that the kernel builds the next step ahead). On each step, at a patient's
   pace, the patient answers the safety check ("No" to every question), ticks a risk factor,
   answers every quiz question and checks it, then presses Next; a Next that does not move
   to the next step is an error.
5. At the end the patient leaves as the page does when it closes: the channel closes and
   `POST voila/api/shutdown/<id>` ends the kernel. Meanwhile the page's heartbeat
   (`GET api/kernels/<id>` every few seconds and at a touch) runs as in the page.

Every message sent to the kernel is timed from its sending to the kernel's iopub
`status: idle` whose parent is that message: the time the kernel took to handle it and to
send every change it made. Samples are labelled by kind: `kernel_info`, `states`, `prepare`,
`answer`, `tick`, `choose`, `check` and `next`.

Run against a server (`workbook serve`, or nginx in front of it):

    .venv/bin/python -m benchmarks.loadgen http://127.0.0.1:8866/ --patients 5
    .venv/bin/python -m benchmarks.loadgen https://localhost:8443/ --patients 20 --insecure
    .venv/bin/python -m benchmarks.loadgen https://localhost:8443/ --patients 20 --ca-file ca.pem
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import secrets
import ssl
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import WebSocketClientConnection, websocket_connect

# The kernel channel's binary protocol, the one the page speaks.
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
# The protocol version the page's messages carry.
PROTOCOL_VERSION = "5.2"
# Longest wait for the kernel to finish one message, and for an HTTP answer.
IDLE_TIMEOUT = 60.0
HTTP_TIMEOUT = 60.0
# The page's heartbeat gives up after this long (session.js TIMEOUT_MS).
HEARTBEAT_TIMEOUT = 4.0
# A touch asks for the heartbeat when the last one is older than this (session.js).
TOUCH_CHECK_AFTER = 2.0
# The page presses "prepare" once it is idle after a step shows; in Chromium that is about
# 50 to 150 ms after the kernel has finished drawing the step.
PREPARE_DELAY = 0.1
# Each step takes the patient `step_seconds` times a factor drawn from this range; the first
# part of it is spent reading, the rest is shared evenly by the step's answers and Next.
JITTER = (0.8, 1.2)
READING_SHARE = 0.5
STEP_TEXT = re.compile(r"Step (\d+) of (\d+)")
MODEL_REF = "IPY_MODEL_"


# ---- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """One message to the kernel, timed until the kernel was idle again.

    Attributes:
        patient: the simulated patient, from 1.
        step: the step on screen when it was sent (for `next`, the step being left).
        kind: what it was: kernel_info, states, prepare, answer, tick, choose, check, next.
        latency_ms: from sending until the iopub `status: idle` whose parent it is.
        sent_at: wall-clock time it was sent (seconds since the epoch).
    """

    patient: int
    step: int
    kind: str
    latency_ms: float
    sent_at: float


@dataclass(slots=True)
class RunResult:
    """What a run of `simulate` gave.

    Attributes:
        patients: how many patients were started.
        samples: every timed message, in the order they finished.
        errors: one short string per thing that went wrong, naming the patient and the step.
        refusals: pages answered with the "busy" page (503).
        completed: patients that walked all steps and left without an error.
    """

    patients: int
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refusals: int = 0
    completed: int = 0

    def latencies(self, kinds: Iterable[str] | None = None) -> list[float]:
        """The latencies in ms of the samples of the given kinds (all when None)."""
        wanted = None if kinds is None else frozenset(kinds)
        return [s.latency_ms for s in self.samples if wanted is None or s.kind in wanted]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100), interpolated between the closest ranks.

    Returns NaN for no values, so that a summary line can still be printed.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100 (got {q!r})")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# ---- the page -------------------------------------------------------------------------------


class PageError(ValueError):
    """The page is not the workbook page the generator expects."""


@dataclass(frozen=True, slots=True)
class PageConfig:
    """What a simulated patient needs from the page's `jupyter-config-data`."""

    kernel_id: str
    base_url: str
    heartbeat_seconds: float


class _ConfigScript(HTMLParser):
    """Collects the text of `<script id="jupyter-config-data">`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.inside = False
        self.found = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and ("id", "jupyter-config-data") in attrs:
            self.inside = self.found = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.text.append(data)


def page_config(html: str) -> PageConfig:
    """The kernel id, base URL and heartbeat of a served page.

    Raises:
        PageError: the page has no configuration, or one without a kernel id.
    """
    parser = _ConfigScript()
    parser.feed(html)
    parser.close()
    if not parser.found:
        raise PageError("the page has no jupyter-config-data script (not a workbook page?)")
    try:
        data = json.loads("".join(parser.text))
    except ValueError as error:
        raise PageError(f"the page's jupyter-config-data is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise PageError("the page's jupyter-config-data is not a JSON object")
    kernel_id = data.get("kernelId")
    if not isinstance(kernel_id, str) or not kernel_id:
        raise PageError("the page's jupyter-config-data has no kernelId")
    base_url = data.get("baseUrl") or "/"
    if not base_url.endswith("/"):
        base_url += "/"
    session = data.get("workbookSession") or {}
    heartbeat = session.get("heartbeatSeconds", 5) if isinstance(session, dict) else 5
    return PageConfig(kernel_id=kernel_id, base_url=base_url, heartbeat_seconds=float(heartbeat))


def origin_of(url: str) -> str:
    """The origin a browser sends for a page at `url`: scheme, host, and a port only if not default."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    default = 443 if scheme == "https" else 80
    port = "" if parts.port in (None, default) else f":{parts.port}"
    return f"{scheme}://{host}{port}"


def channel_url(origin: str, base_url: str, kernel_id: str, session_id: str) -> str:
    """The kernel channel's websocket URL for a page at `origin`."""
    scheme = "wss" if origin.startswith("https:") else "ws"
    return f"{scheme}{origin[origin.index(':'):]}{base_url}api/kernels/{kernel_id}/channels?session_id={session_id}"


# ---- the v1 kernel channel protocol ---------------------------------------------------------


def encode_v1(channel: str, parts: Sequence[bytes]) -> bytes:
    """A v1 frame: the offset count, the offsets, the channel name, then the message parts."""
    name = channel.encode()
    offsets = [8 * (len(parts) + 3)]
    offsets.append(offsets[-1] + len(name))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + name + b"".join(parts)


def decode_v1(frame: bytes) -> tuple[str, list[bytes]]:
    """The channel name and the parts (header, parent, metadata, content, buffers) of a v1 frame."""
    if len(frame) < 8:
        raise ValueError("frame too short")
    count = int.from_bytes(frame[:8], "little")
    if count < 2 or len(frame) < 8 * (count + 1):
        raise ValueError("frame offsets do not fit")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    channel = frame[offsets[0]:offsets[1]].decode()
    return channel, [frame[offsets[i]:offsets[i + 1]] for i in range(1, count - 1)]


@dataclass(frozen=True, slots=True)
class Message:
    """A kernel message as it arrived."""

    channel: str
    header: dict
    parent_header: dict
    content: dict
    buffers: list[bytes]

    @property
    def msg_type(self) -> str:
        return self.header.get("msg_type", "")

    @property
    def parent_id(self) -> str | None:
        return self.parent_header.get("msg_id")


def parse_frame(frame: bytes) -> Message:
    """A v1 frame from the server as a message (metadata is not needed and not parsed)."""
    channel, parts = decode_v1(frame)
    if len(parts) < 4:
        raise ValueError("frame has fewer than four message parts")
    return Message(
        channel=channel, header=json.loads(parts[0]), parent_header=json.loads(parts[1]),
        content=json.loads(parts[3]), buffers=parts[4:],
    )


def new_message(msg_type: str, session_id: str, content: dict, metadata: dict | None = None) -> tuple[str, list[bytes]]:
    """A message from the page to the kernel's shell: its id and its four parts."""
    msg_id = str(uuid.uuid4())
    header = {
        "date": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "msg_id": msg_id, "msg_type": msg_type, "session": session_id,
        "username": "", "version": PROTOCOL_VERSION,
    }
    parts = [json.dumps(x, separators=(",", ":")).encode() for x in (header, {}, metadata or {}, content)]
    return msg_id, parts


# ---- the widget models ----------------------------------------------------------------------


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


def feedback_problem(models: Models, feedback_id: str) -> str | None:
    """Why a quiz check's feedback is wrong, or None when it shows a graded answer."""
    value = str(models.get(feedback_id).get("value", ""))
    if not value:
        return "no feedback after Check my answer"
    if "wb-feedback--empty" in value:
        return "the answer chosen was not taken (feedback asks to choose first)"
    return None


# ---- one patient ----------------------------------------------------------------------------


class PatientFailed(Exception):
    """Something went wrong that ends this patient's walk; its text is the error."""


class Cookies:
    """The cookies a browser would keep for the workbook's host (names and raw values)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, response: HTTPResponse) -> None:
        for line in response.headers.get_list("Set-Cookie"):
            name, _, rest = line.partition("=")
            self.values[name.strip()] = rest.partition(";")[0].strip()

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.values.items())


class Channel:
    """The page's kernel channel: sends messages, keeps the models, times each message."""

    def __init__(self, connection: WebSocketClientConnection, session_id: str) -> None:
        self.connection = connection
        self.session_id = session_id
        self.models = Models()
        self.control_comm: str | None = None
        self.states_loaded = False
        self._waiting: dict[str, asyncio.Future[float]] = {}
        self._reader = asyncio.ensure_future(self._read())
        self.closed_because: str | None = None

    async def _read(self) -> None:
        try:
            while True:
                frame = await self.connection.read_message()
                if frame is None:
                    break
                if isinstance(frame, bytes):
                    self._handle(parse_frame(frame))
            self.closed_because = "the kernel channel closed"
        except Exception as error:  # noqa: BLE001 - every waiter hears why the channel ended
            self.closed_because = f"the kernel channel failed: {type(error).__name__}: {error}"
        for waiter in self._waiting.values():
            if not waiter.done():
                waiter.set_exception(PatientFailed(self.closed_because))

    def _handle(self, message: Message) -> None:
        if message.msg_type == "status":
            if message.content.get("execution_state") == "idle":
                waiter = self._waiting.pop(message.parent_id or "", None)
                if waiter is not None and not waiter.done():
                    waiter.set_result(time.perf_counter())
        elif apply_message(self.models, message, self.control_comm):
            self.states_loaded = True

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> tuple[float, asyncio.Future[float]]:
        """Send a shell message; its send time and a future that resolves at its idle."""
        msg_id, parts = self._message(msg_type, content, metadata)
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[msg_id] = waiter
        sent = time.perf_counter()
        await self.connection.write_message(encode_v1("shell", parts), binary=True)
        return sent, waiter

    async def post(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        """Send a shell message without waiting for the kernel to handle it (as the page does)."""
        _, parts = self._message(msg_type, content, metadata)
        await self.connection.write_message(encode_v1("shell", parts), binary=True)

    def _message(self, msg_type: str, content: dict, metadata: dict | None) -> tuple[str, list[bytes]]:
        if self.closed_because:
            raise PatientFailed(self.closed_because)
        return new_message(msg_type, self.session_id, content, metadata)

    async def close(self) -> None:
        self.connection.close()
        try:
            await asyncio.wait_for(asyncio.shield(self._reader), 5)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            self._reader.cancel()


@dataclass
class Patient:
    """One simulated patient's walk through the workbook."""

    number: int
    url: str
    result: RunResult
    client: AsyncHTTPClient
    step_seconds: float
    ssl_context: ssl.SSLContext | None
    rng: random.Random
    origin: str = ""
    cookies: Cookies = field(default_factory=Cookies)
    config: PageConfig | None = None
    channel: Channel | None = None
    step: int = 0
    last_check: float = 0.0
    checking: bool = False
    background: set[asyncio.Task] = field(default_factory=set)
    # Set when this patient's page is loaded and connected (or has failed or been refused).
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    # When given, the walk waits for it: every patient walks at once (see `simulate`).
    go: asyncio.Event | None = None

    def error(self, text: str) -> None:
        where = f"step {self.step}" if self.step else "loading"
        self.result.errors.append(f"patient {self.number}, {where}: {text}")

    def request(self, url: str, *, method: str = "GET", body: str | None = None, headers: dict | None = None,
                timeout: float = HTTP_TIMEOUT) -> HTTPRequest:
        all_headers = {"Cookie": self.cookies.header(), **(headers or {})}
        return HTTPRequest(url, method=method, body=body, headers=all_headers, ssl_options=self.ssl_context,
                           request_timeout=timeout, connect_timeout=timeout, follow_redirects=False)

    async def fetch(self, url: str, **kwargs: Any) -> HTTPResponse:
        response = await self.client.fetch(self.request(url, **kwargs), raise_error=False)
        self.cookies.take(response)
        return response

    def kernel_url(self) -> str:
        assert self.config is not None
        return f"{self.origin}{self.config.base_url}api/kernels/{self.config.kernel_id}"

    # -- the walk --

    async def run(self) -> None:
        """Walk all steps; every failure becomes one error string, never an exception."""
        try:
            if not await self.open_page():
                return
            await self.connect()
            self.connected.set()
            if self.go is not None:
                await self.go.wait()
                # Patients do not all tap in the same instant.
                await asyncio.sleep(self.rng.uniform(0, self.step_seconds))
            await self.walk()
            await self.leave()
            self.result.completed += 1
        except PatientFailed as failure:
            self.error(str(failure))
        except Exception as error:  # noqa: BLE001 - one patient's failure must not stop the others
            self.error(f"{type(error).__name__}: {str(error)[:200]}")
        finally:
            self.connected.set()
            for task in self.background:
                task.cancel()
            if self.channel is not None:
                await self.channel.close()

    async def open_page(self) -> bool:
        """`GET /` and read its configuration; False when the workbook is busy (503)."""
        self.origin = origin_of(self.url)
        response = await self.fetch(self.url)
        if response.code == 503:
            self.result.refusals += 1
            return False
        if response.code != 200:
            raise PatientFailed(f"the page answered {response.code} {_reason(response)}")
        try:
            self.config = page_config(response.body.decode("utf-8", "replace"))
        except PageError as error:
            raise PatientFailed(str(error)) from None
        # The page's own script makes the _xsrf cookie that Voilà's shutdown post sends back.
        self.cookies.values.setdefault("_xsrf", secrets.token_hex(16))
        return True

    async def connect(self) -> None:
        """Open the kernel channel and load every widget model, as the page does."""
        assert self.config is not None
        model = await self.fetch(self.kernel_url())
        if model.code != 200:
            raise PatientFailed(f"the kernel's model answered {model.code} {_reason(model)}")
        session_id = str(uuid.uuid4())
        request = self.request(channel_url(self.origin, self.config.base_url, self.config.kernel_id, session_id),
                               headers={"Origin": self.origin})
        try:
            connection = await websocket_connect(request, subprotocols=[V1_PROTOCOL])
        except Exception as error:  # noqa: BLE001 - any failure to connect is this patient's error
            raise PatientFailed(f"the kernel channel did not open: {type(error).__name__}: {error}") from None
        if connection.selected_subprotocol != V1_PROTOCOL:
            connection.close()
            raise PatientFailed(f"the kernel channel chose protocol {connection.selected_subprotocol!r}")
        self.channel = Channel(connection, session_id)
        self.start_heartbeat()
        self.step = 1
        await self.timed("kernel_info", "kernel_info_request", {})
        self.channel.control_comm = comm_id = str(uuid.uuid4())
        await self.channel.post("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
                                metadata={"version": "1.0.0"})
        await self.timed("states", "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        if not self.channel.states_loaded:
            raise PatientFailed("request_states got no update_states before the kernel was idle")
        await self.channel.post("comm_close", {"comm_id": comm_id, "data": {}})
        shown = step_shown(self.channel.models)
        if shown is None or step_view(self.channel.models) is None:
            raise PatientFailed("no progress text or no step in the widget models")
        self.step = shown[0]

    async def walk(self) -> None:
        """Every step at the patient's pace, with what a patient does on it, then Next.

        A step takes about `step_seconds`: first reading, then the answers and Next evenly
        spaced. Each waits until the kernel has handled the one before, as a patient waits to
        see what their tap did; a slow kernel therefore makes the walk longer.
        """
        assert self.channel is not None
        models = self.channel.models
        while True:
            self.prepare_soon()
            shown = step_shown(models)
            if shown is None:
                raise PatientFailed("the progress text is gone")
            step, count = shown
            self.step = step
            actions = step_actions(models, self.rng)
            dwell = self.step_seconds * self.rng.uniform(*JITTER)
            await asyncio.sleep(dwell * READING_SHARE)
            gap = dwell * (1 - READING_SHARE) / (len(actions) + 1)
            for action in actions:
                await asyncio.sleep(gap)
                await self.act(action)
            await asyncio.sleep(gap)
            if step >= count:
                return
            await self.next()

    async def act(self, action: Action) -> None:
        assert self.channel is not None
        self.touched()
        await self.timed(action.kind, "comm_msg", {"comm_id": action.model_id, "data": action.data})
        if action.feedback_id is not None:
            problem = feedback_problem(self.channel.models, action.feedback_id)
            if problem:
                self.error(problem)
        self.check_error_card()

    async def next(self) -> None:
        """Press Next; the step must then be the next one, with another step view."""
        assert self.channel is not None
        models = self.channel.models
        button = nav_button(models, "Next")
        if button is None or models.get(button).get("disabled"):
            raise PatientFailed("no enabled Next button")
        before, view = self.step, step_view(models)
        self.touched()
        await self.timed("next", "comm_msg", {"comm_id": button, "data": click(button, "next").data})
        shown = step_shown(models)
        if shown is None or shown[0] != before + 1 or step_view(models) in (None, view):
            now = f"Step {shown[0]} of {shown[1]}" if shown else "no progress text"
            raise PatientFailed(f"Next did not move to step {before + 1} ({now})")
        self.step = shown[0]
        self.check_error_card()

    def check_error_card(self) -> None:
        if self.channel is not None and error_card_shown(self.channel.models):
            self.error("the error card is shown")

    async def timed(self, kind: str, msg_type: str, content: dict) -> float:
        """Send a message and wait until the kernel is idle after it; record the sample."""
        assert self.channel is not None
        step, wall = self.step, time.time()
        sent, waiter = await self.channel.send(msg_type, content)
        try:
            done = await asyncio.wait_for(waiter, IDLE_TIMEOUT)
        except asyncio.TimeoutError:
            raise PatientFailed(f"{kind}: the kernel was not idle after {IDLE_TIMEOUT:.0f} s") from None
        latency = (done - sent) * 1000
        self.result.samples.append(Sample(self.number, step, kind, latency, wall))
        return latency

    def prepare_soon(self) -> None:
        """Press the hidden "prepare" button shortly after a step shows, as the page does."""
        task = asyncio.ensure_future(self._prepare())
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def _prepare(self) -> None:
        await asyncio.sleep(PREPARE_DELAY)
        assert self.channel is not None
        button = prepare_button(self.channel.models)
        if button is None:
            self.error("no prepare button")
            return
        try:
            await self.timed("prepare", "comm_msg", {"comm_id": button, "data": click(button, "prepare").data})
        except PatientFailed as failure:
            self.error(str(failure))

    # -- the heartbeat --

    def start_heartbeat(self) -> None:
        task = asyncio.ensure_future(self._heartbeat())
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        self.check()

    async def _heartbeat(self) -> None:
        assert self.config is not None
        every = self.config.heartbeat_seconds
        while True:
            await asyncio.sleep(1)
            if time.monotonic() - self.last_check >= every - 0.25:
                self.check()

    def touched(self) -> None:
        """A touch on the page: the heartbeat is asked at once if the last one is old."""
        if time.monotonic() - self.last_check > TOUCH_CHECK_AFTER:
            self.check()

    def check(self) -> None:
        if self.checking:
            return
        self.checking = True
        self.last_check = time.monotonic()
        task = asyncio.ensure_future(self._check())
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def _check(self) -> None:
        try:
            response = await self.fetch(self.kernel_url(), timeout=HEARTBEAT_TIMEOUT)
            if response.code in (403, 404, 410):
                self.error(f"heartbeat: the kernel is gone ({response.code})")
            elif response.code != 200:
                self.error(f"heartbeat answered {response.code} {_reason(response)}")
        finally:
            self.checking = False

    # -- leaving --

    async def leave(self) -> None:
        """Close the page: the channel closes and Voilà's shutdown post (with the _xsrf cookie) goes."""
        assert self.config is not None and self.channel is not None
        for task in self.background:
            task.cancel()
        await self.channel.close()
        token = self.cookies.values["_xsrf"]
        shutdown = f"{self.origin}{self.config.base_url}voila/api/shutdown/{self.config.kernel_id}"
        response = await self.fetch(shutdown, method="POST", body=urlencode({"_xsrf": token}), headers={
            "Origin": self.origin, "Content-Type": "application/x-www-form-urlencoded"})
        if response.code != 204:
            raise PatientFailed(f"the shutdown post answered {response.code} {_reason(response)}")


def _reason(response: HTTPResponse) -> str:
    """A short reason for an HTTP answer (the connection error for code 599)."""
    if response.code == 599 and response.error is not None:
        return f"({type(response.error).__name__}: {str(response.error)[:120]})"
    return f"({response.reason})" if response.reason else ""


# ---- a run ----------------------------------------------------------------------------------


async def simulate(
    base_url: str,
    patients: int,
    *,
    step_seconds: float = 3.0,
    start_spread: float = 10.0,
    ssl_context: ssl.SSLContext | None = None,
    together: Callable[[], Awaitable[None]] | None = None,
) -> RunResult:
    """Walk `patients` simulated patients through the dashboard at `base_url`.

    Args:
        base_url: the page's address, e.g. "http://127.0.0.1:8866/" or "https://localhost:8443/".
        patients: how many patients; they start evenly over `start_spread` seconds.
        step_seconds: how long a patient stays on a step (each step varies by up to 20%).
        start_spread: seconds from the first patient's start to the last one's; the pool of
            warm kernels needs a few seconds to refill, so patients arriving at once wait.
        ssl_context: for an HTTPS server with a certificate of its own (see `ssl_context_for`).
        together: when given, every patient first loads its page and connects; once all have
            (or have failed), this is awaited (to take a reading, say), and then all walk at
            once, each starting within one step's time. The walk's samples then measure
            `patients` patients at once, without the kernel starts of their arrival.

    Returns:
        Every sample, the errors, the refusals and how many patients completed.
    """
    if patients < 1:
        raise ValueError(f"patients must be at least 1 (got {patients!r})")
    result = RunResult(patients=patients)
    client = AsyncHTTPClient(force_instance=True, max_clients=max(10, 2 * patients))
    seeds = random.Random()
    go = asyncio.Event() if together is not None else None
    everyone = [
        Patient(number=number, url=base_url, result=result, client=client, step_seconds=step_seconds,
                ssl_context=ssl_context, rng=random.Random(seeds.random()), go=go)
        for number in range(1, patients + 1)
    ]

    async def start(patient: Patient) -> None:
        if patients > 1:
            await asyncio.sleep(start_spread * (patient.number - 1) / (patients - 1))
        await patient.run()

    async def start_together() -> None:
        await asyncio.gather(*(patient.connected.wait() for patient in everyone))
        try:
            await together()
        finally:
            go.set()

    tasks = [start(patient) for patient in everyone]
    if together is not None:
        tasks.append(start_together())
    try:
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        client.close()
    return result


def ssl_context_for(*, ca_file: str | None = None, insecure: bool = False) -> ssl.SSLContext:
    """A TLS context that trusts `ca_file` (a self-signed certificate), or trusts anything."""
    context = ssl.create_default_context(cafile=ca_file)
    if insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


# ---- command line ---------------------------------------------------------------------------


def summary_line(label: str, values: Sequence[float]) -> str:
    """One line of counts and percentiles in ms."""
    return (f"{label:<14} n={len(values):<5} p50={percentile(values, 50):7.1f}  "
            f"p95={percentile(values, 95):7.1f}  max={max(values, default=math.nan):7.1f}")


def report(result: RunResult, *, most_errors: int = 10) -> str:
    """The run in a few lines: patients, errors, refusals, and latencies by kind."""
    lines = [
        f"patients: {result.patients} started, {result.completed} completed, "
        f"{len(result.errors)} errors, {result.refusals} refused",
        "step latency in ms (sent until the kernel is idle again):",
        summary_line("next", result.latencies(["next"])),
        summary_line("all", result.latencies()),
    ]
    kinds = sorted({s.kind for s in result.samples})
    lines += [summary_line(f"  {kind}", result.latencies([kind])) for kind in kinds]
    if result.errors:
        lines.append(f"errors (first {min(most_errors, len(result.errors))} of {len(result.errors)}):")
        lines += [f"  {error}" for error in result.errors[:most_errors]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.loadgen",
        description="Walk simulated patients through the served workbook and time every step.",
    )
    parser.add_argument("url", help="the page's address, e.g. http://127.0.0.1:8866/")
    parser.add_argument("--patients", type=int, required=True, help="how many simulated patients")
    parser.add_argument("--step-seconds", type=float, default=3.0, help="time on each step (default 3)")
    parser.add_argument("--start-spread", type=float, default=10.0,
                        help="seconds over which the patients start (default 10)")
    parser.add_argument("--insecure", action="store_true", help="accept any TLS certificate")
    parser.add_argument("--ca-file", help="trust this CA or self-signed certificate (PEM)")
    parser.add_argument("--json", metavar="PATH", help="also write every sample and error to this file")
    args = parser.parse_args(argv)
    context = None
    if args.url.lower().startswith("https:") and (args.insecure or args.ca_file):
        context = ssl_context_for(ca_file=args.ca_file, insecure=args.insecure)
    result = asyncio.run(simulate(args.url, args.patients, step_seconds=args.step_seconds,
                                  start_spread=args.start_spread, ssl_context=context))
    print(report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(asdict(result), out, indent=1)
    return 0 if result.completed == result.patients and not result.errors else 1


if __name__ == "__main__":
    sys.exit(main())
