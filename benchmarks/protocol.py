"""The page's side of the wire: its configuration and URLs, and kernel messages in v1 frames.

What the page reads from its own HTML (`jupyter-config-data`), the origin and the kernel
channel's URL it uses, and the v1 binary frames (`v1.kernel.websocket.jupyter.org`) in which it
sends and receives kernel messages.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import urlsplit

# The kernel channel's binary protocol, the one the page speaks.
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
# The protocol version the page's messages carry.
PROTOCOL_VERSION = "5.2"


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
