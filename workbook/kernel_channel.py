"""The page's channel to its kernel: only well-formed frames in, no error output out, every
message sent at once, and the kernel manager told when the page goes."""

from __future__ import annotations

import json

from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.kernels import WorkbookKernelManager

# The most offsets a v1 frame from the page has: five message parts and a few buffers.
MOST_V1_OFFSETS = 32
# The largest message the page sends is a widget update with the patient's own words (at
# most 300 letters): 1.3 KB measured. Tornado's default would take 10 MB.
MAX_MESSAGE_BYTES = 64 * 1024
# Kernel messages a page never needs, and that can carry a traceback.
PRIVATE_OUTPUT = {"error", "stream:stderr"}


def well_formed_v1_frame(frame: bytes) -> bool:
    """Whether a v1 kernel-channel frame's offsets are few and point inside the frame."""
    if len(frame) < 8:
        return False
    count = int.from_bytes(frame[:8], "little")
    if not 2 <= count <= MOST_V1_OFFSETS or len(frame) < 8 * (count + 1):
        return False
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    return all(a <= b <= len(frame) for a, b in zip(offsets, offsets[1:]))


def message_kind(message) -> str | None:
    """A kernel message's type, with the stream's name for stream output ("stream:stderr")."""
    try:
        if isinstance(message, bytes):
            count = int.from_bytes(message[:8], "little")
            if count < 6 or len(message) < 8 * (count + 1):
                return None
            offsets = [int.from_bytes(message[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
            header = json.loads(message[offsets[1]:offsets[2]])
            content = json.loads(message[offsets[4]:offsets[5]]) if header.get("msg_type") == "stream" else {}
        else:
            parsed = message if isinstance(message, dict) else json.loads(message)
            header, content = parsed.get("header") or {}, parsed.get("content") or {}
    except (ValueError, TypeError, AttributeError):
        return None
    kind = header.get("msg_type")
    return f"{kind}:{content.get('name')}" if kind == "stream" else kind


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

    def on_message(self, message) -> None:
        """A message from the page, passed on only if its frame is well formed.

        A v1 frame starts with the number of offsets that follow; Jupyter builds that many
        before any check, so one small frame with a huge count would hold up every page.
        """
        if isinstance(message, bytes) and not well_formed_v1_frame(message):
            self.log.warning("workbook: malformed message on kernel %s's channel; closed", self.kernel_id)
            self.close(1008)
            return
        super().on_message(message)

    def write_message(self, message, binary: bool = False):
        # Errors and error output of the kernel (a traceback, server paths) never reach a page.
        if message_kind(message) in PRIVATE_OUTPUT:
            return None
        return super().write_message(message, binary)

    def on_close(self) -> None:
        super().on_close()
        manager = self.kernel_manager
        if isinstance(manager, WorkbookKernelManager) and getattr(self, "kernel_id", None):
            manager.page_disconnected(self.kernel_id)
