"""The serving fixes: the kernel channel sends at once; a kernel taken from the pool is not
culled before its page connects."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.voila_app import NoDelayKernelWebsocketHandler, count_handed_out_kernels_as_active

LONG_AGO = datetime(2020, 1, 1, tzinfo=timezone.utc)


def run(coroutine):
    """Run a coroutine to its end, on a thread of its own (the browser tests leave an event
    loop running on this one)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


class Kernel:
    last_activity = LONG_AGO


class PoolManager:
    """Stands in for Voilà's kernel manager: hands out kernel 'k1' from its pool."""

    def __init__(self, kernels: dict[str, Kernel]) -> None:
        self.kernels = kernels

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.kernels

    def get_kernel(self, kernel_id: str) -> Kernel:
        return self.kernels[kernel_id]

    async def get_rendered_notebook(self, notebook_name: str) -> tuple:
        return "render task", ["rendered cell"], "k1"


def test_a_kernel_taken_from_the_pool_counts_as_active_from_then_on():
    manager = PoolManager({"k1": Kernel()})
    count_handed_out_kernels_as_active(manager)
    before = datetime.now(timezone.utc)
    taken = run(manager.get_rendered_notebook("workbook.ipynb"))
    assert taken == ("render task", ["rendered cell"], "k1")
    assert manager.kernels["k1"].last_activity >= before


def test_a_kernel_gone_before_it_was_taken_is_passed_on_as_it_is():
    manager = PoolManager({})
    count_handed_out_kernels_as_active(manager)
    assert run(manager.get_rendered_notebook("workbook.ipynb"))[2] == "k1"


def test_the_kernel_channel_turns_off_the_send_delay_before_it_connects(monkeypatch):
    calls = []

    async def connect(self, kernel_id):
        calls.append(("connect", kernel_id))

    monkeypatch.setattr(VoilaKernelWebsocketHandler, "open", connect)
    handler = object.__new__(NoDelayKernelWebsocketHandler)
    handler.set_nodelay = lambda value: calls.append(("nodelay", value))
    run(handler.open("k1"))
    assert calls == [("nodelay", True), ("connect", "k1")]
