"""A device on the clinic's Wi-Fi that takes places without being a patient's page: plain
page requests in a loop, a channel held open without a page, a monitor's HEAD requests."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator

import pytest
import websocket

from tests.browser.pages import ARTIFACTS, expect_step, kernel_id, leave, open_page, wait_for
from tests.support.servers import Server, serve_workbook
from workbook.serving.guard import SECRET_COOKIE

CLAIM_SECONDS = 12
CULL_SECONDS = 20
PLACES = 6


def own_address() -> str:
    """This machine's address on its network (not loopback), as a tablet would reach it."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only the route is chosen
        return probe.getsockname()[0]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = serve_workbook(
        "--host", "0.0.0.0", "--max-patients", str(PLACES), "--claim-seconds", str(CLAIM_SECONDS),
        "--cull-after", str(CULL_SECONDS), log=ARTIFACTS / "places-server.log",
    )
    yield running
    running.stop()


def hang_up_get(port: int, method: str = "GET") -> None:
    """A page request from a client that hangs up at once and never runs the page's script."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(f"{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        time.sleep(0.003)


def test_a_monitors_head_request_takes_no_place(server):
    port = int(server.host.split(":")[1])
    wait_for(lambda: "is filled with" in server.log.read_text(), timeout=60, what="the pool to fill")
    log_before = server.log.read_text()
    for _ in range(10):
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(f"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert client.recv(4096).startswith(b"HTTP/1.1 200 ")
    time.sleep(2)
    new_log = server.log.read_text()[len(log_before):]
    assert "Using pre-heated kernel" not in new_log and "started (" not in new_log


def test_plain_page_requests_from_one_address_leave_a_patients_page_loading(browser, server):
    port = int(server.host.split(":")[1])
    started = time.monotonic()
    for _ in range(50):
        hang_up_get(port)
    # A patient on another address opens the page and uses it as usual.
    patient = open_page(browser, f"http://{own_address()}:{port}/")
    kernel = kernel_id(patient.page, timeout=90_000)
    patient.page.get_by_role("button", name="Next", exact=True).click()
    expect_step(patient.page, 2)
    log = server.log.read_text()
    assert "page refused: 127.0.0.1 holds 3 places, the most one address may" in log
    # The requests' places are free again within the claim time (and one cull round): only
    # the patient's kernel and the pool's are left.
    wait_for(lambda: len(server.kernel_ids() - {kernel}) <= 1, timeout=CLAIM_SECONDS + 10,
             what="the unclaimed kernels to end")
    assert time.monotonic() - started < CLAIM_SECONDS + 45
    assert f"did not connect within {CLAIM_SECONDS} s" in server.log.read_text()
    assert kernel in server.kernel_ids(), "the patient's own kernel stays"
    assert "Traceback" not in server.log.read_text()
    leave(patient.page)


def test_a_channel_held_open_without_its_page_is_ended_after_the_cull_time(server):
    import urllib.request
    from http.cookiejar import CookieJar

    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(server.url, timeout=120) as response:
        html = response.read().decode()
    kernel = html.split('"kernelId": "', 1)[1][:36]
    secret = next(c.value for c in jar if c.name == SECRET_COOKIE)
    channel = websocket.create_connection(
        f"ws://{server.host}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}",
        cookie=f"{SECRET_COOKIE}={secret}", origin=f"http://{server.host}", timeout=10,
    )
    opened = time.monotonic()
    # The channel is open (and the server pings it), but no page ever asks for its kernel.
    wait_for(lambda: kernel not in server.kernel_ids(), timeout=CULL_SECONDS + 20,
             what="the kernel of a page that is never heard to end")
    assert time.monotonic() - opened >= CULL_SECONDS - 1
    said = f"kernel {kernel} ended: its page was not heard for {CULL_SECONDS} s"
    wait_for(lambda: said in server.log.read_text(), timeout=10, what="the log line that says why it ended")
    channel.close()
