"""The serving fixes: the kernel channel sends at once and reports its page leaving; a kernel
taken from the pool is not culled before its page connects; the page gets its words."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.content import load_content
from workbook.serving.guard import rendering_for
from workbook.serving.kernels import WorkbookKernelManager
from workbook.serving.pages import message_page
from workbook.serving.channel import NoDelayKernelWebsocketHandler
from workbook.serving.handlers import page_session_config

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

    async def _take_from_pool(self, notebook_name: str) -> tuple:
        return "render task", ["rendered cell"], "k1"

    _owners: dict[str, str] = {}
    _unclaimed: dict[str, float] = {}
    _addresses: dict[str, str] = {}
    _bind_to_page = WorkbookKernelManager._bind_to_page
    _claimed_from = WorkbookKernelManager._claimed_from
    owner_of = WorkbookKernelManager.owner_of


def test_a_kernel_taken_from_the_pool_counts_as_active_from_then_on():
    manager = PoolManager({"k1": Kernel()})
    before = datetime.now(timezone.utc)
    taken = run(WorkbookKernelManager._hand_out_from_pool(manager, "workbook.ipynb"))
    assert taken == ("render task", ["rendered cell"], "k1")
    assert manager.kernels["k1"].last_activity >= before


def test_a_kernel_taken_from_the_pool_belongs_to_the_browser_it_was_rendered_for():
    manager = PoolManager({"k1": Kernel()})
    manager._owners = {}

    async def render_for(secret):
        rendering_for.set(secret)
        return await WorkbookKernelManager._hand_out_from_pool(manager, "workbook.ipynb")

    run(render_for("secret-of-browser-a"))
    assert manager.owner_of("k1") == "secret-of-browser-a"
    assert manager.owner_of("k2") is None and manager.owner_of(None) is None


def test_a_kernel_gone_before_it_was_taken_is_passed_on_as_it_is():
    manager = PoolManager({})
    assert run(WorkbookKernelManager._hand_out_from_pool(manager, "workbook.ipynb"))[2] == "k1"


class Connections(PoolManager):
    cull_idle_timeout = 600
    log = logging.getLogger("test")

    def __init__(self, kernels, connections):
        super().__init__(kernels)
        self._kernel_connections = connections


def test_the_wait_for_a_page_counts_from_its_disconnect():
    manager = Connections({"k1": Kernel()}, {"k1": 0})
    before = datetime.now(timezone.utc)
    WorkbookKernelManager.page_disconnected(manager, "k1")
    assert manager.kernels["k1"].last_activity >= before
    WorkbookKernelManager.page_disconnected(manager, "gone")  # a kernel already ended: nothing


def test_the_page_gets_its_words_idle_time_and_heartbeat():
    content = load_content()
    config = page_session_config(content.page, idle_seconds=content.clinic.idle_reset_minutes * 60)
    assert config["idleSeconds"] == 600  # 10 minutes in clinic.yaml
    assert config["text"]["ended_button"] == "Start again"
    assert config["text"]["reconnecting"] == content.page.reconnecting
    assert config["heartbeatSeconds"] > 0


def test_the_busy_page_is_plain_escaped_and_local(edit, data_copy):
    edit("page.yaml", '"The workbook is busy. Please try again in a minute."', '"Busy <img src=x onerror=alert(1)>"')
    page = message_page(load_content(data_copy).page, base_url="/")
    assert "Busy &lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script" not in page and "http" not in page
    assert 'href="/voila/templates/workbook/static/workbook.css"' in page


def test_the_kernel_channel_turns_off_the_send_delay_before_it_connects(monkeypatch):
    calls = []

    async def connect(self, kernel_id):
        calls.append(("connect", kernel_id))

    monkeypatch.setattr(VoilaKernelWebsocketHandler, "open", connect)
    handler = object.__new__(NoDelayKernelWebsocketHandler)
    handler.set_nodelay = lambda value: calls.append(("nodelay", value))
    run(handler.open("k1"))
    assert calls == [("nodelay", True), ("connect", "k1")]


def test_running_a_page_waits_for_slow_output_instead_of_dropping_it():
    import nbformat
    from voila.execute import VoilaExecutor

    from workbook.serving.app import production_config
    from workbook.serving.handlers import OUTPUT_WAIT_SECONDS

    executor = VoilaExecutor(nbformat.v4.new_notebook(), config=production_config())
    assert executor.iopub_timeout == OUTPUT_WAIT_SECONDS >= 30
    assert VoilaExecutor(nbformat.v4.new_notebook()).iopub_timeout == 4  # what would drop it


class Socket:
    """Stands in for the channel's websocket handler."""

    def __init__(self, subprotocol: str | None) -> None:
        self.selected_subprotocol = subprotocol
        self.closed_with: list[int] = []
        self.sent: list = []

    def close(self, code: int) -> None:
        self.closed_with.append(code)

    def write_message(self, message, binary: bool = False) -> None:
        self.sent.append(message)


def connection(subprotocol: str | None):
    """The workbook's kernel connection on a stand-in websocket, for kernel "k1"."""
    from workbook.serving.channel import WorkbookKernelConnection

    class Probe(WorkbookKernelConnection):
        websocket_handler = Socket(subprotocol)
        kernel_id = "k1"
        log = logging.getLogger("test-channel")

    return Probe()


def test_a_refused_frame_closes_the_channel_with_one_line_and_goes_no_further(monkeypatch, caplog):
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    from workbook.serving.channel import REFUSED

    passed = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "handle_incoming_message", lambda self, m: passed.append(m))
    legacy = connection(None)
    with caplog.at_level(logging.WARNING, "test-channel"):
        for _ in range(3):
            legacy.handle_incoming_message((2).to_bytes(8, "little") + (24).to_bytes(8, "little") * 2)
    assert passed == [] and legacy.websocket_handler.closed_with == [REFUSED]
    assert [r.getMessage() for r in caplog.records] == ["workbook: kernel k1's channel closed: a binary frame on a legacy channel"]
    legacy_text = connection(None)
    legacy_text.handle_incoming_message('{"header": {"msg_type": "comm_msg", "msg_id": "m1"}, "channel": "shell"}')
    assert len(passed) == 1 and legacy_text.websocket_handler.closed_with == []


def test_a_message_sent_again_closes_the_channel(monkeypatch):
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    passed = []
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "handle_incoming_message", lambda self, m: passed.append(m))
    channel = connection(None)
    first, second = ('{"header": {"msg_type": "comm_msg", "msg_id": "%s"}}' % i for i in ("m1", "m2"))
    for message in (first, second, first, second):
        channel.handle_incoming_message(message)
    assert passed == [first, second] and channel.websocket_handler.closed_with == [1008]


def test_past_its_budget_a_page_is_refused_until_it_slows():
    channel = connection(None)
    assert sum(channel.within_budget(now=10.0) for _ in range(300)) == 200
    assert not channel.within_budget(now=10.001)
    assert sum(channel.within_budget(now=10.5) for _ in range(300)) == 100  # half a second: half the budget


def test_no_error_output_reaches_the_page():
    channel = connection("v1.kernel.websocket.jupyter.org")
    channel.write_message('{"header": {"msg_type": "error"}}')
    channel.write_message('{"header": {"msg_type": "comm_msg"}}')
    assert channel.websocket_handler.sent == ['{"header": {"msg_type": "comm_msg"}}']


class Places:
    """Stands in for the kernel manager's bookkeeping of pages' kernels."""

    claim_seconds = 30
    cull_idle_timeout = 600
    places_per_address = 2

    def __init__(self) -> None:
        self._unclaimed, self._heard, self._addresses, self._kernel_connections = {}, {}, {}, {}
        self._arriving = {}

    kernels_to_end = WorkbookKernelManager.kernels_to_end
    places_held_by = WorkbookKernelManager.places_held_by
    address_is_full = WorkbookKernelManager.address_is_full
    page_for = WorkbookKernelManager.page_for
    _arrived = WorkbookKernelManager._arrived


def test_a_kernel_whose_page_never_connects_is_ended_after_the_claim_time():
    places = Places()
    places._unclaimed = {"quick": 910.0, "never": 900.0}
    assert places.kernels_to_end(now=925.0) == {}
    assert places.kernels_to_end(now=931.0) == {"never": "its page did not connect within 30 s"}
    places.claim_seconds = 0  # no claim time: the cull time alone
    assert places.kernels_to_end(now=5000.0) == {}


def test_a_connected_page_that_is_never_heard_is_ended_after_the_cull_time():
    places = Places()
    places._heard = {"silent": 0.0, "heard": 500.0, "gone": 0.0}
    places._kernel_connections = {"silent": 1, "heard": 1, "gone": 0}
    # A page with no connection is the culler's, counted from its disconnect.
    assert places.kernels_to_end(now=601.0) == {"silent": "its page was not heard for 600 s"}


def test_one_address_holds_at_most_its_places():
    places = Places()
    places._addresses = {"k1": "10.0.0.9", "k2": "10.0.0.9", "k3": "10.0.0.7"}
    assert places.places_held_by("10.0.0.9") == 2 and places.address_is_full("10.0.0.9")
    assert not places.address_is_full("10.0.0.7") and not places.address_is_full("10.0.0.8")
    # A page being rendered counts already: requests at once cannot all pass the check.
    with places.page_for("10.0.0.7"):
        assert places.address_is_full("10.0.0.7")
    assert not places.address_is_full("10.0.0.7") and places._arriving == {}
    places.places_per_address = 0  # no limit
    assert not places.address_is_full("10.0.0.9")



def test_a_page_being_rendered_counts_once_when_its_kernel_is_bound():
    from workbook.serving.guard import rendering_from

    places = Places()
    places._owners = {}
    places._bind_to_page = WorkbookKernelManager._bind_to_page.__get__(places)

    async def render() -> tuple[int, int]:
        with places.page_for("10.0.0.7"):
            before = places.places_held_by("10.0.0.7")
            token = rendering_from.set("10.0.0.7")
            places._bind_to_page("k9")
            rendering_from.reset(token)
            return before, places.places_held_by("10.0.0.7")

    assert run(render()) == (1, 1)
    assert places.places_held_by("10.0.0.7") == 1 and places._arriving == {}


def test_the_client_address_is_the_peer_unless_the_peer_is_a_proxy():
    from types import SimpleNamespace

    from workbook.serving.guard import client_address

    def request(peer: str, forwarded: str):
        context = SimpleNamespace(address=(peer, 50000))
        return SimpleNamespace(connection=SimpleNamespace(context=context), remote_ip=forwarded)

    assert client_address(request("192.0.2.9", "10.9.9.9")) == "192.0.2.9"  # a forged X-Real-IP
    assert client_address(request("127.0.0.1", "192.0.2.9")) == "192.0.2.9"  # nginx on this machine
    assert client_address(request("10.0.0.2", "192.0.2.9"), ("10.0.0.2",)) == "192.0.2.9"
    assert client_address(SimpleNamespace(connection=None, remote_ip="192.0.2.4")) == "192.0.2.4"


class Asked:
    """Stands in for the kernel manager asking its kernels whether they answer."""

    answer_seconds = 8

    def __init__(self) -> None:
        self._probes, self.asked = {}, []

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id == "k1"

    def _ask(self, kernel_id: str, now: float):
        from workbook.serving.page_watch import Probe

        self.asked.append(now)
        return Probe(sent=now)

    kernel_answers = WorkbookKernelManager.kernel_answers


def test_a_kernel_that_does_not_answer_within_the_answer_time_is_found_out():
    manager = Asked()
    assert manager.kernel_answers("k1", now=100.0) and manager.asked == [100.0]
    assert manager.kernel_answers("k1", now=105.0) and manager.asked == [100.0]  # still waiting
    assert not manager.kernel_answers("k1", now=108.5)  # no answer in 8 s: frozen


def test_a_kernel_that_answers_is_asked_again_at_the_next_heartbeat():
    manager = Asked()
    manager.kernel_answers("k1", now=100.0)
    manager._probes["k1"].answer()
    assert manager.kernel_answers("k1", now=200.0) and manager.asked == [100.0, 200.0]
    assert manager.kernel_answers("unknown", now=300.0)  # not this manager's: nothing asked
    manager.answer_seconds = 0  # not asked at all
    assert manager.kernel_answers("k1", now=1000.0) and len(manager.asked) == 2
