"""The workbook behind nginx with HTTPS and three workers, as a clinic network reaches it.

`workbook serve --workers 3 --certfile ... --keyfile ...` with a certificate made by openssl:
six patients' pages over HTTPS spread over the workers; a worker killed outright ends its own
pages (and its kernels), while the other pages and new ones carry on.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.pages import (
    ARTIFACTS,
    ENDED,
    PATIENT_TEXT,
    TABLET,
    answer_chest_pain_yes,
    expect_ended,
    expect_step,
    kernel_id,
    shot,
    wait_for,
)
from tests.support.servers import READY_PATH, free_port, make_certificate, production_env, unverified
from workbook.content import load_content
from workbook.serving.pages import message_page
from workbook.serving.proxy import main_config
from workbook.serving.proxy_site import local_site, route_tag
from workbook.serving.processes import find_nginx

WORKERS = 3
SERVING = re.compile(r"workbook: serving (https://\S+) with \d+ workers \(([^)]*)\)")


@dataclass
class Cluster:
    """`workbook serve --workers 3` with HTTPS: its URL, its workers' ports, its log."""

    process: subprocess.Popen
    url: str
    port: int
    worker_ports: list[int]
    log: Path
    contexts: list[BrowserContext] = field(default_factory=list)

    def tags(self) -> dict[str, int]:
        """Route tag → worker port."""
        return {route_tag("127.0.0.1", port): port for port in self.worker_ports}

    def worker_process(self, port: int) -> psutil.Process:
        for child in psutil.Process(self.process.pid).children():
            if f"--port={port}" in child.cmdline():
                return child
        raise AssertionError(f"no worker on port {port}")


def status_of(url: str, method: str = "GET") -> int:
    """The status of a request; 0 when nothing answers."""
    try:
        request = urllib.request.Request(url, method=method)
        with urllib.request.urlopen(request, timeout=30, context=unverified()) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    find_nginx()  # fails with how to install it
    folder = tmp_path_factory.mktemp("https")
    cert, key = make_certificate(folder)
    port = free_port()
    log = ARTIFACTS / "workers.log"
    env = production_env()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "workbook", "serve", "--workers", str(WORKERS), "--port", str(port),
             "--certfile", str(cert), "--keyfile", str(key), "--pool-size", "3", "--max-patients", "24"],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    try:
        match = wait_for(lambda: SERVING.search(log.read_text()) or process.poll(), timeout=120,
                         what="the workers and nginx")
        assert process.poll() is None, log.read_text()
        ports = [int(address.rpartition(":")[2]) for address in match.group(2).split(", ")]
        running = Cluster(process=process, url=match.group(1), port=port, worker_ports=ports, log=log)
        wait_for(lambda: status_of(running.url + READY_PATH) == 200, timeout=60, what="the page's files")
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_loading(browser: Browser, cluster: Cluster) -> Page:
    """A new tablet (browser profile) starts loading the page; returns without waiting."""
    context = browser.new_context(ignore_https_errors=True, viewport=TABLET)
    cluster.contexts.append(context)
    page = context.new_page()
    page.evaluate("url => { window.location.href = url; }", cluster.url)
    return page


# A page's wait for its kernel here: the workers, their kernels and six tablets share 2 cores.
READY_MS = 120_000


def new_patient(browser: Browser, cluster: Cluster) -> tuple[Page, str]:
    page = start_loading(browser, cluster)
    return page, kernel_id(page, READY_MS)


@pytest.fixture(scope="module")
def six_pages(browser: Browser, cluster: Cluster) -> Iterator[list[tuple[Page, str]]]:
    # Six patients arrive together, as at the start of a clinic session.
    loading = [start_loading(browser, cluster) for _ in range(6)]
    pages = [(page, kernel_id(page, READY_MS)) for page in loading]
    yield pages
    for context in cluster.contexts:
        context.close()


def test_six_patients_over_https_spread_over_the_workers(cluster, six_pages):
    tags = cluster.tags()
    for page, kernel in six_pages:
        assert kernel[:8] in tags, f"kernel {kernel} is from no worker"
        answer_chest_pain_yes(page)  # the kernel channel works through nginx and TLS
    used = {kernel[:8] for _, kernel in six_pages}
    assert len(used) >= 2, f"all six pages on one worker: {used}"
    shot(six_pages[0][0], "https-3-workers-768x1024")

    page = six_pages[0][0]
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["workbook_session"]["secure"] and cookies["workbook_session"]["httpOnly"]
    assert cookies["_xsrf"]["secure"]  # made by the page's own script
    response = page.request.get(cluster.url)
    assert response.headers["strict-transport-security"].startswith("max-age=")

    # Plain HTTP to the HTTPS port is redirected to HTTPS.
    plain = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=10)
    plain.request("GET", "/", headers={"Host": f"localhost:{cluster.port}"})
    answer = plain.getresponse()
    assert answer.status == 301
    assert answer.getheader("Location") == f"https://localhost:{cluster.port}/"
    plain.close()

    # A kernel id that no worker has started, and one with another worker's tag, open nothing.
    assert status_of(f"{cluster.url}api/kernels/0badc0de-0000-4000-8000-000000000000") == 404
    own = six_pages[0][1]
    other = next(tag for tag in tags if tag != own[:8])
    assert status_of(f"{cluster.url}api/kernels/{other}{own[8:]}") == 403
    assert status_of(f"{cluster.url}api/kernels/{own}") == 403  # not this browser's page


def kernel_processes(kernels: list[str]) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        line = " ".join(process.info["cmdline"] or [])
        if any(f"kernel-{kernel}.json" in line for kernel in kernels):
            found.append(process)
    return found


def test_a_worker_killed_outright_ends_its_pages_and_others_carry_on(browser, cluster, six_pages):
    tags = cluster.tags()
    victim_tag = six_pages[0][1][:8]
    gone = [(page, kernel) for page, kernel in six_pages if kernel[:8] == victim_tag]
    kept = [(page, kernel) for page, kernel in six_pages if kernel[:8] != victim_tag]
    assert kernel_processes([kernel for _, kernel in gone])

    worker = cluster.worker_process(tags[victim_tag])
    os.kill(worker.pid, signal.SIGKILL)

    for page, _ in gone:
        expect_ended(page, timeout=20_000)
    shot(gone[0][0], "https-worker-killed-ended")
    # Its kernels stop with it: none is left running without a page.
    wait_for(lambda: not kernel_processes([kernel for _, kernel in gone]), timeout=15,
             what="the killed worker's kernels to stop")
    # The other workers' pages carry on with their answers.
    for page, _ in kept:
        expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)
        page.get_by_role("button", name="Next", exact=True).click()
        expect_step(page, 3)
    # New pages are served, and the ended page starts again.
    for _ in range(2):
        page, kernel = new_patient(browser, cluster)
        assert kernel[:8] in tags
        page.get_by_role("button", name="Next", exact=True).click()
        expect_step(page, 2)
    ended = gone[0][0]
    ended.get_by_role("button", name=ENDED, exact=True).click()
    ended.get_by_role("button", name="Next", exact=True).click(timeout=60_000)
    expect_step(ended, 2)
    expect(ended.locator(".wb-redflag", has_text=PATIENT_TEXT).get_by_label("Yes")).not_to_be_checked()

    log = wait_for(lambda: "started again" in cluster.log.read_text() and cluster.log.read_text(),
                   timeout=30, what="the worker to start again")
    assert re.search(r"workbook: worker \d \(127\.0\.0\.1:\d+\) stopped \(killed by SIGKILL\)", log)
    assert "Traceback" not in log
    # The workers sign cookies alike: a browser's requests reach several without a quarrel.
    assert "Clearing invalid/expired login cookie" not in log


def test_when_workbook_serve_itself_is_killed_nothing_is_left_running(cluster, six_pages):
    # Last of the tests on the cluster: it ends it.
    children = psutil.Process(cluster.process.pid).children(recursive=True)
    kernels = [c for c in children if "ipykernel_launcher" in " ".join(c.cmdline())]
    assert len(kernels) >= 6 and any(c.name() == "nginx" for c in children)
    cluster.process.kill()
    cluster.process.wait()
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"left running: {[' '.join(p.cmdline())[:80] for p in alive]}"


def test_the_proxy_configuration_for_several_machines_is_valid_nginx(tmp_path):
    cert, key = make_certificate(tmp_path)
    upstreams = ("10.0.0.5:8866", "10.0.0.6:8866")
    result = subprocess.run(
        [sys.executable, "-m", "workbook", "proxy-config", *(f"--upstream={u}" for u in upstreams),
         "--server-name", "workbook.example.org", "--certfile", str(cert), "--keyfile", str(key),
         "--http-port", "80"],
        capture_output=True, text=True, check=True,
    )
    site = result.stdout
    for upstream in upstreams:
        host, port = upstream.split(":")
        tag = route_tag(host, int(port))
        assert f"    {tag} workbook_{tag};  # {upstream}" in site
        assert f"upstream workbook_{tag} {{\n    server {upstream};\n}}" in site
    assert f"ssl_certificate {cert.resolve()};" in site and "listen 0.0.0.0:443 ssl;" in site
    assert "return 301 https://$host:443$request_uri;" in site
    runtime = tmp_path / "nginx"
    runtime.mkdir()
    config = runtime / "nginx.conf"
    config.write_text(main_config(site, runtime_dir=runtime))
    # nginx checks the whole site as it would load it (the 10.0.0.x machines need not exist).
    checked = subprocess.run([find_nginx(), "-t", "-p", str(runtime), "-c", str(config)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_with_no_worker_reachable_a_patient_sees_the_busy_page(tmp_path):
    runtime = tmp_path / "nginx"
    runtime.mkdir()
    port, gone = free_port(), free_port()  # no worker listens on `gone`
    busy = message_page(load_content().page, base_url="/")
    site = local_site([gone], host="127.0.0.1", port=port, certificate=None, unavailable_page=busy)
    config = runtime / "nginx.conf"
    config.write_text(main_config(site, runtime_dir=runtime))
    nginx = subprocess.Popen([find_nginx(), "-e", "stderr", "-p", str(runtime), "-c", str(config),
                              "-g", "daemon off;"], stderr=subprocess.PIPE)
    try:
        wait_for(lambda: status_of(f"http://127.0.0.1:{port}/") != 0, timeout=10, what="nginx")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            raise AssertionError("the page was served with no worker")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            body = error.read().decode()
        assert "The workbook is busy. Please try again in a minute." in body
        assert "nginx" not in body.lower() and "<script" not in body
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
