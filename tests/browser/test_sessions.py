"""A patient's session on a clinic floor: kernels that die, servers that restart, Wi-Fi that
drops, tablets left alone, and more pages than the machine holds."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from playwright.sync_api import expect

from tests.browser.pages import (
    ENDED,
    PATIENT_TEXT,
    answer_chest_pain_yes,
    expect_ended,
    expect_step,
    get,
    kernel_id,
    leave,
    open_page,
    serve_copy,
    shot,
    wait_for,
)
from tests.browser.proxy import BlipProxy
from tests.support.servers import free_port, serve_workbook, start_server


def kernel_process(kernel: str) -> psutil.Process:
    for process in psutil.process_iter(["cmdline"]):
        if f"kernel-{kernel}.json" in " ".join(process.info["cmdline"] or []):
            return process
    raise AssertionError(f"no process for kernel {kernel}")


def expect_a_working_step_one(page) -> None:
    start_again = page.get_by_role("button", name=ENDED, exact=True)
    start_again.click()
    # The button first asks the server whether it answers (4 s at most). A server still busy
    # starting its kernels may not, and the card says so: a person taps again, as here.
    next_button = page.get_by_role("button", name="Next", exact=True)
    unreachable = page.locator(".wb-ended__unreachable")
    expect(next_button.or_(unreachable)).to_be_visible(timeout=60_000)
    if unreachable.is_visible():
        start_again.click()
    next_button.click(timeout=60_000)
    expect_step(page, 2)
    expect(page.locator(".wb-redflag", has_text=PATIENT_TEXT).get_by_label("Yes")).not_to_be_checked()


def test_a_page_whose_kernel_is_killed_ends_and_starts_again(browser, server):
    visit = open_page(browser, server.url)
    page = visit.page
    kernel = kernel_id(page)
    answer_chest_pain_yes(page)
    kernel_process(kernel).send_signal(signal.SIGKILL)
    expect_ended(page, timeout=20_000)
    shot(page, "session-ended-768x1024")
    assert "not restarted under its page" in server.log.read_text()
    assert kernel not in server.kernel_ids(), "no empty kernel is restarted under the page"
    expect_a_working_step_one(page)
    assert kernel_id(page) != kernel
    leave(page)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_page_whose_server_restarts_ends_and_starts_again(browser, tmp_path, stop):
    port = free_port()
    command = [sys.executable, "-m", "workbook", "serve", "--port", str(port), "--pool-size", "1"]
    server = start_server(command, port=port, log=tmp_path / "first.log")
    restarted = None
    try:
        page = open_page(browser, server.url).page
        kernel = kernel_id(page)
        kernels = server.kernel_ids()
        answer_chest_pain_yes(page)
        server.process.send_signal(stop)
        server.process.wait(timeout=30)
        expect(page.locator(".wb-connection")).to_contain_text("Reconnecting", timeout=15_000)
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)  # kept while it tries
        restarted = start_server(command, port=port, log=tmp_path / "second.log")
        expect_ended(page, timeout=20_000)
        expect_a_working_step_one(page)
        assert kernel_id(page) != kernel
        leave(page)
        # The stopped server's kernels, the patient's among them, do not outlive it.
        wait_for(lambda: not any(psutil.pid_exists(p.pid) and p.status() != psutil.STATUS_ZOMBIE
                                 for p in map(kernel_process_or_none, kernels) if p),
                 timeout=30, what="the old server's kernels to end")
    finally:
        if server.process.poll() is None:
            server.stop()
        if restarted is not None:
            restarted.stop()


def kernel_process_or_none(kernel: str) -> psutil.Process | None:
    try:
        return kernel_process(kernel)
    except AssertionError:
        return None


def test_a_wifi_blip_after_quiet_reading_keeps_the_answers(browser, tmp_path):
    server = serve_workbook("--cull-after", "20", log=tmp_path / "server.log")
    proxy = BlipProxy(int(server.url.rsplit(":", 1)[1].strip("/")))
    try:
        page = open_page(browser, proxy.url).page
        kernel = kernel_id(page)
        answer_chest_pain_yes(page)
        time.sleep(30)  # reading quietly, longer than the wait for a page that has gone
        proxy.blip()
        expect(page.locator(".wb-connection")).to_contain_text("Reconnecting", timeout=9_000)
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)
        shot(page, "session-reconnecting-768x1024")
        time.sleep(10)  # the network is away for 10 s in all
        proxy.restore()
        expect(page.locator(".wb-connection")).to_be_hidden(timeout=30_000)
        assert kernel in server.kernel_ids()
        page.get_by_role("button", name="Next", exact=True).click()
        expect_step(page, 3)
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)
        leave(page)
    finally:
        proxy.close()
        server.stop()


def test_a_page_whose_kernel_does_not_answer_ends_and_starts_again(browser, tmp_path):
    server = serve_copy(tmp_path, ("idle_reset_minutes: 10", "idle_reset_minutes: 0.6"))  # 36 s
    try:
        page = open_page(browser, server.url).page
        kernel = kernel_id(page)
        answer_chest_pain_yes(page)  # the first touch arms the idle timer
        frozen = kernel_process(kernel)
        frozen.send_signal(signal.SIGSTOP)
        try:
            # The kernel is found out before the idle reset would clear the page.
            expect_ended(page, timeout=20_000)
        finally:
            with contextlib.suppress(psutil.NoSuchProcess):  # ended as dead already
                frozen.send_signal(signal.SIGCONT)
        page.get_by_role("button", name=ENDED, exact=True).click()
        expect(page.locator(".wb-progress__text")).to_contain_text("Step 1 of 10", timeout=60_000)
        assert kernel_id(page) != kernel
        page.get_by_role("button", name="Next", exact=True).click()
        expect(page.locator(".wb-redflag", has_text=PATIENT_TEXT).get_by_label("Yes")).not_to_be_checked()
        wait_for(lambda: kernel not in server.kernel_ids(), timeout=15, what="the old kernel to end")
        leave(page)
    finally:
        server.stop()


def test_past_the_limit_a_new_page_is_told_the_workbook_is_busy(browser, tmp_path):
    # Every page comes from this machine's one address, which may hold every place here.
    server = serve_workbook("--max-patients", "2", "--pool-size", "1", "--places-per-address", "3",
                            log=tmp_path / "server.log")
    try:
        first = open_page(browser, server.url).page
        kernel_id(first)
        second = open_page(browser, server.url).page
        kernel_id(second)
        status, body = get(server.url)
        assert status == 503
        assert "The workbook is busy. Please try again in a minute." in body
        assert "Traceback" not in body and "<script" not in body
        for page in (first, second):
            page.get_by_role("button", name="Next", exact=True).click()
            expect_step(page, 2)
        busy = browser.new_page()
        busy.goto(server.url)
        expect(busy.get_by_role("heading", name="The workbook is busy")).to_be_visible()
        shot(busy, "busy-page")
        busy.close()
        assert "page refused, the workbook is busy (2 of 2 places in use)" in server.log.read_text()
        leave(first)
        # A place freed: the next page is served.
        wait_for(lambda: get(server.url)[0] == 200, timeout=30, what="a place for a new page")
        leave(second)
    finally:
        server.stop()


def test_a_burst_of_page_loads_starts_no_more_kernels_than_the_limit(tmp_path):
    # Every page comes from this machine's one address, which may hold every place here.
    server = serve_workbook("--max-patients", "8", "--pool-size", "1", "--places-per-address", "9",
                            log=tmp_path / "server.log")
    most = [0]
    watching = threading.Event()
    watching.set()

    def watch() -> None:
        while watching.is_set():
            most[0] = max(most[0], len(server.kernel_ids()))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = [status for status, _ in pool.map(lambda _: get(server.url), range(20))]
        time.sleep(3)  # any pool refill would have started by now
        watching.clear()
        watcher.join()
        assert statuses.count(200) <= 8 and statuses.count(503) >= 12, statuses
        assert set(statuses) <= {200, 503}, statuses
        assert most[0] <= 8, f"{most[0]} kernels at once"
        started = time.monotonic()
        with urllib.request.urlopen(server.url + "voila/templates/workbook/static/workbook.css", timeout=5):
            pass
        assert time.monotonic() - started < 1, "the server still answers at once"
        assert server.process.poll() is None
    finally:
        watching.clear()
        server.stop()


def test_a_connected_page_is_never_culled_and_a_gone_one_waits_from_its_disconnect(browser, tmp_path):
    server = serve_workbook("--cull-after", "15", log=tmp_path / "server.log")
    try:
        staying = open_page(browser, server.url).page
        stays = kernel_id(staying)
        going = open_page(browser, server.url).page
        goes = kernel_id(going)
        time.sleep(25)  # both read quietly for longer than the wait
        going.close()  # gone without a goodbye, as a tablet switched off
        gone_at = time.monotonic()
        time.sleep(10)
        assert goes in server.kernel_ids(), "a page that went 10 s ago is still waited for"
        wait_for(lambda: goes not in server.kernel_ids(), timeout=20, what="the gone page's kernel to be culled")
        waited = time.monotonic() - gone_at
        assert 15 <= waited <= 30, f"culled {waited:.0f} s after its page went"
        time.sleep(10)
        assert stays in server.kernel_ids(), "a connected page is never culled"
        staying.get_by_role("button", name="Next", exact=True).click()
        expect_step(staying, 2)
        log = server.log.read_text()
        assert f"kernel {goes} lost its page" in log
        assert f"kernel {goes} ended: no page connected for 15 s" in log
        leave(staying)
    finally:
        server.stop()
