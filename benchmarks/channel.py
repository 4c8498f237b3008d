"""The page's kernel channel: shell messages out, the widget models kept, each message timed."""

from __future__ import annotations

import asyncio
import time

from tornado.websocket import WebSocketClientConnection

from benchmarks.protocol import Message, encode_v1, new_message, parse_frame
from benchmarks.widget_state import Models, apply_message


class PatientFailed(Exception):
    """Something went wrong that ends this patient's walk; its text is the error."""


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
