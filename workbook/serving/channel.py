"""The page's channel to its kernel: only well-formed frames in, no error output out, every
message sent at once, and the kernel manager told when the page goes.

The checks and the output filter live in the channel's connection class, Jupyter Server's own
extension point (`kernel_websocket_connection_class`); the handler only sends at once and
reports the page leaving.
"""

from __future__ import annotations

import json
import time
from collections import deque

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from traitlets import Int
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.serving.kernels import WorkbookKernelManager

# The protocol the page's widget manager asks for (and Jupyter Server chooses). A channel
# opened without it speaks the legacy protocol, which the page never uses.
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
# The most offsets a v1 frame from the page has: five message parts and a few buffers.
MOST_V1_OFFSETS = 32
# The fewest: the channel's name, then header, parent header, metadata and content.
FEWEST_V1_OFFSETS = 6
CHANNELS = ("shell", "control", "stdin", "iopub")
# The largest message the page sends is a widget update with the patient's own words (at
# most 300 letters): 1.3 KB measured. Tornado's default would take 10 MB.
MAX_MESSAGE_BYTES = 64 * 1024
# Kernel messages a page never needs, and that can carry a traceback.
PRIVATE_OUTPUT = {"error", "stream:stderr"}
# The close code for a message the workbook refuses (RFC 6455: a policy violation).
REFUSED = 1008
# How many of its latest message ids a channel remembers: a message sent again (a replay)
# would make the kernel write a traceback for each copy.
REMEMBERED_IDS = 1024
# The most messages a page may send its kernel in a second: a real page's peak, measured by
# `python -m benchmarks.channel_rate` (at most 43, typing at 20 ms a key), times about 4.5.
MESSAGES_PER_SECOND = 200


def v1_offsets(frame: bytes) -> list[int] | None:
    """A v1 frame's offsets, if they are few and point, in order, inside the frame."""
    if len(frame) < 8:
        return None
    count = int.from_bytes(frame[:8], "little")
    if not FEWEST_V1_OFFSETS <= count <= MOST_V1_OFFSETS or len(frame) < 8 * (count + 1):
        return None
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    if offsets[0] < 8 * (count + 1) or not all(a <= b <= len(frame) for a, b in zip(offsets, offsets[1:])):
        return None
    return offsets


def well_formed_v1_frame(frame: bytes) -> bool:
    """Whether a v1 kernel-channel frame's offsets are few and point inside the frame."""
    return v1_offsets(frame) is not None


class Refused(ValueError):
    """A message from the page that may not pass; its text says what is wrong, for the log."""


def _checked_header(header) -> dict:
    if not isinstance(header, dict) or not isinstance(header.get("msg_type"), str):
        raise Refused("a message without a header")
    return header


def read_header(message, *, v1: bool) -> dict:
    """The header of a message from the page, read as the protocol its channel speaks.

    Every message is checked before Jupyter Server parses it, so that no frame can make the
    server build a huge table or write a traceback. A legacy channel takes text (JSON) only:
    its binary frames start with a buffer count that Jupyter Server believes, and the page
    never sends one. A v1 channel takes binary frames only.

    Raises:
        Refused: with a few words for the log.
    """
    if isinstance(message, bytes) != v1:
        raise Refused("a binary frame on a legacy channel" if not v1 else "a text frame on a v1 channel")
    try:
        if v1:
            offsets = v1_offsets(message)
            if offsets is None:
                raise Refused("a frame whose offsets do not fit it")
            if message[offsets[0]:offsets[1]].decode("utf-8") not in CHANNELS:
                raise Refused("a frame for no channel")
            return _checked_header(json.loads(message[offsets[1]:offsets[2]]))
        parsed = json.loads(message)
        if not isinstance(parsed, dict) or not isinstance(parsed.get("channel", "shell"), str):
            raise Refused("a message that is not an object")
        return _checked_header(parsed.get("header"))
    except Refused:
        raise
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, or JSON nested past the parser
        raise Refused("a message that is not JSON") from None


def frame_problem(message, *, v1: bool) -> str | None:
    """What is wrong with a message from the page (`read_header`); None when it may pass."""
    try:
        read_header(message, v1=v1)
    except Refused as refused:
        return str(refused)
    return None


def message_kind(message) -> str | None:
    """A kernel message's type, with the stream's name for stream output ("stream:stderr")."""
    try:
        if isinstance(message, bytes):
            offsets = v1_offsets(message)
            if offsets is None:
                return None
            header = json.loads(message[offsets[1]:offsets[2]])
            content = json.loads(message[offsets[4]:offsets[5]]) if header.get("msg_type") == "stream" else {}
        else:
            parsed = message if isinstance(message, dict) else json.loads(message)
            header, content = parsed.get("header") or {}, parsed.get("content") or {}
    except (ValueError, TypeError, AttributeError, IndexError, RecursionError):
        return None
    kind = header.get("msg_type")
    return f"{kind}:{content.get('name')}" if kind == "stream" else kind


class WorkbookKernelConnection(ZMQChannelsWebsocketConnection):
    """The page's connection to its kernel: a malformed message, or one past the page's
    budget, closes it with one log line, and no error output of the kernel reaches the page."""

    messages_per_second = Int(
        MESSAGES_PER_SECOND, config=True,
        help="Most messages a page may send its kernel in one second (and at once); past it, the "
        "channel is closed with one log line. A real page's peak is 43 (benchmarks/channel_rate.md).",
    )

    refused = False
    _seen: tuple[deque, set] | None = None
    # The budget left (messages) and when it was last topped up: a token bucket.
    _budget: float | None = None
    _topped_up = 0.0

    def within_budget(self, now: float | None = None) -> bool:
        """Whether one more message fits the page's budget of messages a second."""
        rate = self.messages_per_second
        if rate <= 0:
            return True
        now = time.monotonic() if now is None else now
        budget = rate if self._budget is None else min(rate, self._budget + (now - self._topped_up) * rate)
        self._topped_up = now
        fits = budget >= 1
        self._budget = budget - 1 if fits else budget
        return fits

    def handle_incoming_message(self, incoming_msg) -> None:
        if self.refused:
            return
        if not self.within_budget():
            self.refuse(f"more than {self.messages_per_second} messages a second")
            return
        try:
            header = read_header(incoming_msg, v1=self.subprotocol == V1_PROTOCOL)
            self.remember(header.get("msg_id"))
        except Refused as refused:
            self.refuse(str(refused))
            return
        super().handle_incoming_message(incoming_msg)

    def remember(self, msg_id) -> None:
        """Note a message's id. Raises Refused for one the channel has seen lately."""
        if self._seen is None:
            self._seen = (deque(maxlen=REMEMBERED_IDS), set())
        latest, seen = self._seen
        if not isinstance(msg_id, str) or not msg_id:
            raise Refused("a message without an id")
        if msg_id in seen:
            raise Refused("a message sent again")
        if len(latest) == latest.maxlen:
            seen.discard(latest[0])
        latest.append(msg_id)
        seen.add(msg_id)

    def refuse(self, problem: str) -> None:
        """Close the channel (a policy violation) with one log line; the page may connect again."""
        self.refused = True
        self.log.warning("workbook: kernel %s's channel closed: %s", self.kernel_id, problem)
        self.websocket_handler.close(REFUSED)

    @property
    def write_message(self):
        """The handler's send, without the kernel's errors (a traceback, server paths)."""
        send = self.websocket_handler.write_message

        def send_public(message, binary: bool = False):
            if message_kind(message) in PRIVATE_OUTPUT:
                return None
            return send(message, binary=binary)

        return send_public


class NoDelayKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The page's channel to its kernel, with every message sent at once.

    Tornado leaves Nagle's algorithm on for websockets, so a small message (a widget update)
    waited for the browser's delayed acknowledgement before it left the server: every tap
    took about 35 ms longer than it needed to (`make bench`: a button's round trip fell from
    50 ms to 17 ms with this).
    """

    async def open(self, kernel_id: str) -> None:
        self.set_nodelay(True)
        await super().open(kernel_id)

    def on_close(self) -> None:
        super().on_close()
        manager = self.kernel_manager
        if isinstance(manager, WorkbookKernelManager) and getattr(self, "kernel_id", None):
            manager.page_disconnected(self.kernel_id)
