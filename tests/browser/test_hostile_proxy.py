"""nginx in front of the workers, as a hostile device finds it: every status nginx answers
itself carries the workbook's own page and headers, and TLS 1.2 takes modern ciphers only."""

from __future__ import annotations

import http.client
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.browser.pages import wait_for
from tests.support.servers import free_port, make_certificate, unverified
from workbook.content import load_content
from workbook.serving.pages import error_page, message_page
from workbook.serving.proxy import main_config
from workbook.serving.proxy_site import Certificate, local_site, route_tag
from workbook.serving.processes import find_nginx

TEXT = load_content().page


@dataclass
class Proxy:
    port: int
    gone_tag: str


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[Proxy]:
    """nginx with HTTPS in front of a worker that cannot be reached."""
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = make_certificate(folder)
    port, gone = free_port(), free_port()
    site = local_site(
        [gone], host="127.0.0.1", port=port, certificate=Certificate(cert, key),
        unavailable_page=message_page(TEXT, base_url="/"), error_page=error_page(TEXT, base_url="/"),
    )
    config = folder / "nginx.conf"
    config.write_text(main_config(site, runtime_dir=folder))
    nginx = subprocess.Popen([find_nginx(), "-e", "stderr", "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
                             stderr=subprocess.PIPE)
    try:
        wait_for(lambda: answer(port, "GET", "/")[0] != 0, timeout=10, what="nginx")
        yield Proxy(port=port, gone_tag=route_tag("127.0.0.1", gone))
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def answer(port: int, method: str, path: str, headers: dict | None = None, body: bytes | None = None):
    """(status, headers, body) of a request over HTTPS; status 0 when nothing answers."""
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=unverified())
    try:
        connection.request(method, path, body=body, headers={"Host": f"localhost:{port}", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    except (ConnectionError, OSError):
        return 0, {}, ""
    finally:
        connection.close()


def assert_workbooks_own(status_headers_body, status: int, heading: str) -> None:
    status_got, headers, body = status_headers_body
    assert status_got == status
    assert heading in body and "nginx" not in body.lower() and "<script" not in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "default-src" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert not any(c.isdigit() for c in headers.get("Server", ""))


def test_an_unknown_route_tag_gets_the_workbooks_404(proxy):
    assert_workbooks_own(answer(proxy.port, "GET", f"/api/kernels/0badc0de-0000-4000-8000-{uuid.uuid4().hex[:12]}"),
                         404, TEXT.error_heading)


def test_a_kernel_whose_worker_is_gone_gets_the_workbooks_404(proxy):
    # nginx cannot reach the worker (502): the kernel has gone with it.
    assert_workbooks_own(answer(proxy.port, "GET", f"/api/kernels/{proxy.gone_tag}-0000-4000-8000-000000000000"),
                         404, TEXT.error_heading)


def test_headers_over_8_kb_get_the_workbooks_400(proxy):
    assert_workbooks_own(answer(proxy.port, "GET", "/", headers={"Cookie": "a=" + "x" * 10_000}), 400, TEXT.error_heading)


def test_a_body_over_64_kb_gets_the_workbooks_413(proxy):
    assert_workbooks_own(answer(proxy.port, "POST", "/", body=b"x" * 100_000), 413, TEXT.error_heading)


def test_no_worker_reachable_gets_the_busy_page_with_when_to_try_again(proxy):
    # nginx's 502 (and 504: a worker that does not answer in time) become the busy page.
    result = answer(proxy.port, "GET", "/")
    assert_workbooks_own(result, 503, TEXT.busy_heading)
    assert result[1]["Retry-After"] == "60"


def handshake(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", *args],
                          input="", capture_output=True, text=True, timeout=20)


def test_tls_1_2_takes_only_ecdhe_with_aead_ciphers(proxy):
    assert handshake(proxy.port, "-tls1_2", "-cipher", "AES128-SHA").returncode != 0  # static RSA, CBC-SHA1
    assert handshake(proxy.port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA").returncode != 0  # CBC
    assert handshake(proxy.port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256").returncode == 0
    assert handshake(proxy.port, "-tls1_3").returncode == 0
    # Every suite TLS 1.2 accepts, asked one by one.
    ciphers = subprocess.run(["openssl", "ciphers", "ALL:@SECLEVEL=0"], capture_output=True, text=True).stdout
    accepted = [c for c in ciphers.strip().split(":") if handshake(proxy.port, "-tls1_2", "-cipher", c).returncode == 0]
    assert accepted and all(c.startswith("ECDHE-") and ("GCM" in c or "CHACHA20" in c) for c in accepted), accepted
