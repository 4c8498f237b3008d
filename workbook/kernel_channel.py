"""The page's channel to its kernel: only well-formed frames in, no error output out, every
message sent at once, and the kernel manager told when the page goes.

The checks and the output filter live in the channel's connection class, Jupyter Server's own
extension point (`kernel_websocket_connection_class`); the handler only sends at once and
reports the page leaving.
"""

from __future__ import annotations

import json

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.kernels import WorkbookKernelManager

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


def _header_problem(header) -> str | None:
    if not isinstance(header, dict) or not isinstance(header.get("msg_type"), str):
        return "a message without a header"
    return None


def frame_problem(message, *, v1: bool) -> str | None:
    """What is wrong with a message from the page, for the protocol its channel speaks.

    Every message is checked before Jupyter Server parses it, so that no frame can make the
    server build a huge table or write a traceback. A legacy channel takes text (JSON) only:
    its binary frames start with a buffer count that Jupyter Server believes, and the page
    never sends one. A v1 channel takes binary frames only.

    Returns:
        a few words for the log, or None for a message that may pass.
    """
    if isinstance(message, bytes) != v1:
        return "a binary frame on a legacy channel" if not v1 else "a text frame on a v1 channel"
    try:
        if v1:
            offsets = v1_offsets(message)
            if offsets is None:
                return "a frame whose offsets do not fit it"
            if message[offsets[0]:offsets[1]].decode("utf-8") not in CHANNELS:
                return "a frame for no channel"
            return _header_problem(json.loads(message[offsets[1]:offsets[2]]))
        parsed = json.loads(message)
        if not isinstance(parsed, dict) or not isinstance(parsed.get("channel", "shell"), str):
            return "a message that is not an object"
        return _header_problem(parsed.get("header"))
    except (ValueError, RecursionError):  # bad UTF-8 or JSON, or JSON nested past the parser
        return "a message that is not JSON"


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
    """The page's connection to its kernel: a malformed message closes it with one log line,
    and no error output of the kernel reaches the page."""

    refused = False

    def handle_incoming_message(self, incoming_msg) -> None:
        if self.refused:
            return
        problem = frame_problem(incoming_msg, v1=self.subprotocol == V1_PROTOCOL)
        if problem is not None:
            self.refuse(problem)
            return
        super().handle_incoming_message(incoming_msg)

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
