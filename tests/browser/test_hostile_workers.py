"""The hostile device's attacks through nginx, on `workbook serve --workers 2`: a legacy
binary frame, and plain page requests in a loop from one address."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.browser.pages import ARTIFACTS, expect_step, kernel_id, leave, open_page, wait_for
from tests.browser.test_hostile import V1, Visit, close_code, kernel_round_trip, legacy_frame
from tests.browser.test_hostile_places import own_address
from tests.support.servers import READY_PATH, free_port, production_env
from workbook.serving.proxy_site import route_tag

SERVING = re.compile(r"workbook: serving (http://\S+) with \d+ workers \(([^)]*)\)")
CLAIM_SECONDS = 12


@dataclass
class Cluster:
    process: subprocess.Popen
    url: str
    host: str
    worker_ports: list[int]
    log: Path

    def worker_of(self, kernel: str) -> psutil.Process:
        port = next(p for p in self.worker_ports if route_tag("127.0.0.1", p) == kernel[:8])
        return next(c for c in psutil.Process(self.process.pid).children() if f"--port={port}" in c.cmdline())

    def kernel_ids(self) -> set[str]:
        ids = set()
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            if found:
                ids.add(found.group(1))
        return ids


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    port = free_port()
    log = ARTIFACTS / "hostile-workers.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "workbook", "serve", "--workers", "2", "--host", "0.0.0.0", "--port", str(port),
             "--pool-size", "2", "--max-patients", "8", "--claim-seconds", str(CLAIM_SECONDS)],
            stdout=out, stderr=subprocess.STDOUT, env=production_env(),
        )
    try:
        match = wait_for(lambda: SERVING.search(log.read_text()) or process.poll(), timeout=120, what="the workers")
        assert process.poll() is None, log.read_text()
        ports = [int(address.rpartition(":")[2]) for address in match.group(2).split(", ")]
        running = Cluster(process, f"http://127.0.0.1:{port}/", f"127.0.0.1:{port}", ports, log)
        wait_for(lambda: urllib.request.urlopen(running.url + READY_PATH, timeout=10).status == 200, timeout=60,
                 what="the page's files")
        yield running
    finally:
        process.terminate()
        process.wait(timeout=40)


@pytest.mark.parametrize("first_byte", [2, 4, 32])
def test_a_legacy_binary_frame_through_nginx_is_refused_before_it_is_parsed(cluster, first_byte):
    attacker = Visit(cluster)
    other = Visit(cluster)
    other_channel = other.channel(protocol=V1)
    kernel_round_trip(other_channel)
    worker = cluster.worker_of(attacker.kernel)
    before = worker.memory_info().rss
    channel = attacker.channel()
    channel.send_binary(legacy_frame(first_byte))
    round_trip = kernel_round_trip(other_channel)
    grown = (worker.memory_info().rss - before) / 2**20
    assert round_trip < 1 and grown <= 50, f"another page's round trip {round_trip:.2f} s, worker +{grown:.0f} MB"
    assert close_code(channel) == 1008
    other_channel.close()
    attacker.end()
    other.end()


def test_plain_page_requests_through_nginx_leave_a_patients_page_loading(browser, cluster):
    port = int(cluster.host.split(":")[1])
    started = time.monotonic()
    statuses = []
    for _ in range(50):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
            client.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            statuses.append(client.recv(12)[9:12])
    assert b"429" in statuses  # this address holds what one address may, on each worker
    patient = open_page(browser, f"http://{own_address()}:{port}/")
    kernel = kernel_id(patient.page, timeout=90_000)
    patient.page.get_by_role("button", name="Next", exact=True).click()
    expect_step(patient.page, 2)
    # Only the patient's kernel and the pools' (two) are left within the claim time.
    wait_for(lambda: len(cluster.kernel_ids() - {kernel}) <= 2, timeout=CLAIM_SECONDS + 15,
             what="the unclaimed kernels to end")
    assert time.monotonic() - started < CLAIM_SECONDS + 60
    assert "Traceback" not in cluster.log.read_text()
    leave(patient.page)
