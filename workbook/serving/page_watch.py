"""Telling a page that is there from one that is gone, for the workbook's kernel manager
(`workbook.serving.kernels`, which mixes this in before Jupyter Server's manager).

- **A claim time.** A kernel handed to a page whose channel does not open within
  `claim_seconds` is ended, and its place freed.
- **A page that is heard.** A kernel whose channel stays open but whose page has not been
  heard (its channel opening, its heartbeat) for the cull time is ended as if its page had gone.
- **A kernel that answers.** Each heartbeat of a page asks its kernel for its info on its
  control channel; a kernel that has not answered within `answer_seconds` is ended as dead.
- **Culling from the disconnect.** A page's kernel waits for its page for the cull time
  counted from the moment its last connection closed, not from its last activity.

It reads the manager's `claim_seconds`, `answer_seconds` and `cull_idle_timeout`, and writes
the reason each kernel ends into its `_end_reasons`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass
class Probe:
    """One question to a kernel (a kernel_info_request on its control channel) and its answer."""

    sent: float
    stream: object = None
    answered: bool = field(default=False)

    def answer(self, _message=None) -> None:
        self.answered = True
        self.close()

    def close(self) -> None:
        if self.stream is not None and not self.stream.closed():
            self.stream.close()


class PageWatch:
    """When a page has claimed its kernel, when it was last heard, and whether its kernel
    still answers; the endings that follow from them."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._probes: dict[str, Probe] = {}
        # Pages' kernels handed to a page whose channel has not opened yet, and when; and when
        # each page was last heard.
        self._unclaimed: dict[str, float] = {}
        self._heard: dict[str, float] = {}

    def _claimed_from(self, kernel_id: str) -> None:
        """The kernel was handed to a page now: its claim time starts."""
        self._unclaimed[kernel_id] = time.monotonic()

    def _forget_page(self, kernel_id: str) -> None:
        """The kernel has ended: nothing more to watch."""
        self._unclaimed.pop(kernel_id, None)
        self._heard.pop(kernel_id, None)
        probe = self._probes.pop(kernel_id, None)
        if probe is not None:
            probe.close()

    def notify_connect(self, kernel_id: str) -> None:
        """A channel to the kernel opened: its page has claimed it, and is heard."""
        super().notify_connect(kernel_id)
        self._unclaimed.pop(kernel_id, None)
        self._heard[kernel_id] = time.monotonic()

    def page_heard(self, kernel_id: str) -> None:
        """The page asked for its kernel (its heartbeat): it is still there."""
        if kernel_id in self:
            self._heard[kernel_id] = time.monotonic()

    def kernel_answers(self, kernel_id: str, now: float | None = None) -> bool:
        """Whether the kernel still answers: False once a question to it has waited
        `answer_seconds`. Each call after an answer asks again; the answer is seen at the
        next call (the page's next heartbeat)."""
        if self.answer_seconds <= 0 or kernel_id not in self:
            return True
        now = time.monotonic() if now is None else now
        probe = self._probes.get(kernel_id)
        if probe is not None and not probe.answered:
            return now - probe.sent < self.answer_seconds
        self._probes[kernel_id] = self._ask(kernel_id, now)
        return True

    def _ask(self, kernel_id: str, now: float) -> Probe:
        probe = Probe(sent=now)
        try:
            probe.stream = self.connect_control(kernel_id)
            probe.stream.on_recv(probe.answer)
            self.get_kernel(kernel_id).session.send(probe.stream, "kernel_info_request")
        except Exception as error:  # noqa: BLE001 - a kernel that cannot be asked does not answer
            self.log.warning("workbook: kernel %s could not be asked whether it answers: %s", kernel_id, error)
        return probe

    async def end_unanswering(self, kernel_id: str) -> None:
        """End a kernel that did not answer its page in time, as dead."""
        if kernel_id in self:
            self._end_reasons[kernel_id] = f"it did not answer for {self.answer_seconds} s; ended as dead"
            await self.shutdown_kernel(kernel_id, now=True)

    def kernels_to_end(self, now: float | None = None) -> dict[str, str]:
        """Pages' kernels to end now, each with the reason: not claimed within the claim time,
        or connected but not heard from for the cull time."""
        now = time.monotonic() if now is None else now
        ending = {}
        if self.claim_seconds > 0:
            for kernel_id, handed in self._unclaimed.items():
                if now - handed > self.claim_seconds:
                    ending[kernel_id] = f"its page did not connect within {self.claim_seconds} s"
        if self.cull_idle_timeout > 0:
            for kernel_id, heard in self._heard.items():
                connected = self._kernel_connections.get(kernel_id, 0) > 0
                if connected and now - heard > self.cull_idle_timeout:
                    ending[kernel_id] = f"its page was not heard for {self.cull_idle_timeout} s"
        return ending

    async def cull_kernels(self):
        """End the kernels of pages that never came or no longer answer, then cull as usual."""
        for kernel_id, reason in self.kernels_to_end().items():
            if kernel_id in self:
                self._end_reasons[kernel_id] = reason
                try:
                    await self.shutdown_kernel(kernel_id, now=True)
                except Exception as error:  # noqa: BLE001 - one line; the next round tries again
                    self._end_reasons.pop(kernel_id, None)
                    self.log.warning("workbook: kernel %s could not be ended: %s", kernel_id, error)
        await super().cull_kernels()

    async def cull_kernel_if_idle(self, kernel_id: str):
        if kernel_id not in self or not self.get_kernel(kernel_id).trait_has_value("last_activity"):
            return None  # gone, or still starting: it has no activity to be idle from yet
        self._end_reasons[kernel_id] = f"no page connected for {self.cull_idle_timeout} s"
        try:
            return await super().cull_kernel_if_idle(kernel_id)
        finally:
            if kernel_id in self:  # not culled
                self._end_reasons.pop(kernel_id, None)

    def page_disconnected(self, kernel_id: str) -> None:
        """A page's connection to its kernel closed: its wait for the page starts now.

        The culler ends a kernel with no connection once it has been inactive for the cull
        time; its last activity is set to now, so the wait counts from the disconnect.
        """
        if kernel_id in self:
            kernel = self.get_kernel(kernel_id)
            kernel.last_activity = datetime.now(timezone.utc)
            if self._kernel_connections.get(kernel_id, 0) == 0:
                self.log.info("workbook: kernel %s lost its page; it waits %s s for it", kernel_id, self.cull_idle_timeout)
