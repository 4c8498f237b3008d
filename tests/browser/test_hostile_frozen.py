"""A page's kernel that freezes (stopped with SIGSTOP: alive to the server, answering nothing):
its page ends within seconds, with nothing of the patient left on it."""

from __future__ import annotations

import os
import signal
import time

import psutil

from tests.browser.pages import answer_chest_pain_yes, expect_ended, kernel_id, open_page, shot

ENDED_WITHIN_S = 20


def kernel_process(server, kernel: str) -> psutil.Process:
    for process in server.processes():
        if f"kernel-{kernel}.json" in " ".join(process.cmdline()):
            return process
    raise AssertionError(f"no process for kernel {kernel}")


def test_a_frozen_kernel_ends_its_page_with_nothing_of_the_patient_left(browser, server):
    visit = open_page(browser, server.url)
    page = visit.page
    kernel = kernel_id(page)
    answer_chest_pain_yes(page)
    process = kernel_process(server, kernel)
    os.kill(process.pid, signal.SIGSTOP)
    try:
        stopped = time.monotonic()
        # The patient keeps tapping, which must not keep the frozen page on screen.
        while time.monotonic() - stopped < ENDED_WITHIN_S:
            if page.get_by_role("button", name="Start again", exact=True).count():
                break
            page.mouse.click(5, 5)
            page.wait_for_timeout(1000)
        expect_ended(page, timeout=max(1, ENDED_WITHIN_S - (time.monotonic() - stopped)) * 1000)
        shot(page, "frozen-kernel-ended-768x1024")
        assert "Reconnecting" not in page.locator("body").inner_text()
        # The page shows the ending as soon as the kernel is gone; the log line that says why
        # is written by the same ending, and may reach the file a moment later.
        ended = f"kernel {kernel} ended: it did not answer for"
        deadline = time.monotonic() + 10
        while ended not in server.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server.log.read_text()
        assert ended in log, [line for line in log.splitlines() if kernel in line]
        psutil.wait_procs([process], timeout=10)
        assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    finally:
        try:
            os.kill(process.pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
        page.close()
