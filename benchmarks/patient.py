"""One simulated patient: the page's HTTP requests, its heartbeat, and the walk through every step.

What a patient does, step by step, is described at the top of `benchmarks/loadgen.py`.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import ssl
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import websocket_connect

from benchmarks.actions import Action, click, step_actions
from benchmarks.channel import Channel, PatientFailed
from benchmarks.protocol import V1_PROTOCOL, PageConfig, PageError, channel_url, origin_of, page_config
from benchmarks.samples import RunResult, Sample
from benchmarks.widget_state import (
    error_card_shown,
    feedback_problem,
    nav_button,
    prepare_button,
    step_shown,
    step_view,
)

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
            asked = time.monotonic()
            if not await self.open_page():
                return
            await self.connect()
            self.result.ready_ms.append((time.monotonic() - asked) * 1000)
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
