"""When a page's kernel ends: when the page is left, when it vanishes (culled), and not
while a preheated kernel's page is still connecting."""

from __future__ import annotations

import re
import time

from tests.browser.pages import (
    ARTIFACTS,
    TABLET,
    expect_step,
    kernel_id,
    leave,
    open_page,
    wait_for,
)
from tests.support.servers import serve_workbook


def test_leaving_the_page_ends_its_kernel(browser, server):
    visit = open_page(browser, server.url)
    kernel = kernel_id(visit.page)
    assert kernel in server.kernel_ids()
    leave(visit.page)
    wait_for(lambda: kernel not in server.kernel_ids(), timeout=10, what="the page's kernel to end")


def test_a_page_that_vanishes_without_unloading_is_culled(browser):
    # Long enough for a page on a busy machine to reach its kernel before the cull time.
    server = serve_workbook("--cull-after", "15", log=ARTIFACTS / "cull-server.log")
    try:
        visit = open_page(browser, server.url)
        kernel = kernel_id(visit.page)
        assert kernel in server.kernel_ids()
        visit.page.close()  # no unload handler runs, as when a tablet's browser is killed
        wait_for(lambda: kernel not in server.kernel_ids(), timeout=45, what="the kernel to be culled")
        pool = server.kernel_ids()
        assert len(pool) == 1, "only the preheated kernel is left"
    finally:
        server.stop()


def test_a_preheated_kernel_is_not_culled_while_its_page_is_connecting(browser):
    server = serve_workbook("--cull-after", "12", log=ARTIFACTS / "quiet-pool-server.log")
    try:
        time.sleep(17)  # the pool waits past the cull time, as in a quiet spell in clinic
        page = browser.new_page(viewport=TABLET)

        delayed = []

        def connect_late(route):
            if not delayed:  # the page's first look at its kernel; later ones are its heartbeat
                delayed.append(route.request.url)
                time.sleep(7)  # the culler (every 5 s) runs before the page reaches its kernel
            route.continue_()

        page.route(re.compile(r".*/api/kernels/[0-9a-f-]{36}(\?.*)?$"), connect_late)
        page.goto(server.url)
        page.get_by_role("button", name="Next", exact=True).click(timeout=60_000)
        expect_step(page, 2)
        assert "Kernel does not exist" not in server.log.read_text()
        leave(page)
    finally:
        server.stop()
