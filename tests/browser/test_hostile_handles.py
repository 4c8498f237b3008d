"""A device that opens a thousand idle connections to a server whose open-file limit is the
usual 1,024 (a systemd service's soft limit)."""

from __future__ import annotations

import resource
import socket
import sys
import time

from tests.browser.pages import ARTIFACTS, expect_step, kernel_id, leave, open_page
from tests.support.servers import free_port, start_server

IDLE_SOCKETS = 1010


def test_a_thousand_idle_sockets_leave_a_patients_page_loading(browser):
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    port = free_port()
    command = ["prlimit", f"--nofile=1024:{hard}", sys.executable, "-m", "workbook", "serve",
               "--port", str(port), "--pool-size", "1", "--max-patients", "4"]
    server = start_server(command, port=port, log=ARTIFACTS / "handles-server.log")
    sockets = []
    try:
        for _ in range(IDLE_SOCKETS):
            sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        time.sleep(1)
        visit = open_page(browser, server.url)
        kernel_id(visit.page, timeout=60_000)
        visit.page.get_by_role("button", name="Next", exact=True).click()
        expect_step(visit.page, 2)
        leave(visit.page)
        log = server.log.read_text(errors="replace")
        assert "Too many open files" not in log and "Traceback" not in log
        assert log.count("workbook: open-file limit") == 1
        # The idle connections are closed by the server after its header timeout.
        sockets[0].settimeout(20)
        assert sockets[0].recv(1) == b""
    finally:
        for held in sockets:
            held.close()
        server.stop()


def test_where_the_limit_cannot_be_raised_open_pages_carry_on_and_the_log_says_it_once(browser):
    port = free_port()
    command = ["prlimit", "--nofile=1024:1024", sys.executable, "-m", "workbook", "serve",
               "--port", str(port), "--pool-size", "1", "--max-patients", "4"]
    server = start_server(command, port=port, log=ARTIFACTS / "handles-1024-server.log")
    sockets = []
    try:
        visit = open_page(browser, server.url)
        kernel_id(visit.page, timeout=60_000)
        for _ in range(IDLE_SOCKETS):
            try:
                sockets.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            except OSError:  # the test's own handles
                break
        time.sleep(1)
        # The open page still reaches its kernel: its channel's handles were kept back.
        visit.page.get_by_role("button", name="Next", exact=True).click()
        expect_step(visit.page, 2)
        log = server.log.read_text(errors="replace")
        assert "Too many open files" not in log and "Traceback" not in log
        assert log.count("workbook: new connections closed at once") == 1
        leave(visit.page)
    finally:
        for held in sockets:
            held.close()
        server.stop()
