"""The nginx configuration, the route tags in kernel ids, and the workers' shares."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from workbook import cli
from workbook.cli import serve
from workbook.content import load_content
from workbook.serving.kernels import WorkbookKernelManager
from workbook.serving.pages import error_page, message_page
from workbook.serving.proxy import main_config, site_config
from workbook.serving.proxy_site import Certificate, ProxyConfigError, Site, Upstream, local_site, route_tag
from workbook.serving.settings import COOKIE_SECRET_VARIABLE, ServeSettings
from workbook.serving.processes import NGINX_MISSING, WorkersError, find_nginx
from workbook.serving.workers import split

CERT = Certificate(Path("/etc/workbook/cert.pem"), Path("/etc/workbook/key.pem"))


@pytest.mark.parametrize(
    ("text", "host", "port", "address"),
    [("10.0.0.5:8866", "10.0.0.5", 8866, "10.0.0.5:8866"),
     ("clinic-pc-1:9000", "clinic-pc-1", 9000, "clinic-pc-1:9000"),
     ("[fd00::5]:8866", "fd00::5", 8866, "[fd00::5]:8866")],
)
def test_an_upstream_is_read_as_host_and_port(text, host, port, address):
    upstream = Upstream.parse(text)
    assert (upstream.host, upstream.port, upstream.address) == (host, port, address)
    assert upstream.tag == route_tag(host, port)


@pytest.mark.parametrize("text", ["10.0.0.5", "10.0.0.5:", ":8866", "10.0.0.5:99999", "a b:80", "x;y:80", "h:0"])
def test_a_bad_upstream_is_refused_with_its_text(text):
    with pytest.raises(ProxyConfigError, match="upstream"):
        Upstream.parse(text)


def test_a_route_tag_is_eight_hex_digits_and_differs_by_address():
    tags = {route_tag("127.0.0.1", port) for port in range(9000, 9100)}
    assert len(tags) == 100
    assert all(len(tag) == 8 and int(tag, 16) >= 0 for tag in tags)
    assert route_tag("10.0.0.5", 8866) == route_tag("10.0.0.5", 8866)


def test_kernel_ids_begin_with_the_servers_route_tag():
    manager = WorkbookKernelManager(route_tag="0a1b2c3d")
    ids = {manager.new_kernel_id() for _ in range(20)}
    assert len(ids) == 20
    for kernel_id in ids:
        assert kernel_id.startswith("0a1b2c3d-") and len(kernel_id) == 36 and kernel_id.count("-") == 4
    assert WorkbookKernelManager().new_kernel_id()[8] == "-"
    with pytest.raises(Exception, match="route_tag must be 8 lower-case hex digits"):
        WorkbookKernelManager(route_tag="../etc")


def test_every_upstream_gets_its_route_and_pages_go_to_the_least_busy():
    site = Site(upstreams=(Upstream.parse("10.0.0.5:8866"), Upstream.parse("10.0.0.6:8866")), host="0.0.0.0", port=80)
    text = site_config(site)
    assert "least_conn;" in text
    for upstream in site.upstreams:
        assert f"server {upstream.address} max_fails=0;" in text
        assert f"    {upstream.tag} workbook_{upstream.tag};  # {upstream.address}" in text
    assert "proxy_next_upstream error timeout http_502 http_503 http_429;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Host $http_host;" in text and "X-Forwarded-Proto $scheme" in text


def test_without_a_certificate_there_is_no_tls_and_no_hsts():
    text = site_config(Site(upstreams=(Upstream.parse("127.0.0.1:9001"),), host="0.0.0.0", port=80))
    assert "listen 0.0.0.0:80;" in text
    assert "ssl" not in text and "Strict-Transport-Security" not in text


def test_with_a_certificate_it_is_https_only():
    site = local_site([9001, 9002], host="0.0.0.0", port=8443, certificate=CERT, http_port=8080,
                      server_names=["workbook.example.org"])
    text = site_config(site)
    assert "listen 0.0.0.0:8443 ssl;" in text
    assert "ssl_certificate /etc/workbook/cert.pem;" in text
    assert "ssl_certificate_key /etc/workbook/key.pem;" in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "error_page 497 =301 https://$http_host$request_uri;" in text
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in text
    assert "listen 0.0.0.0:8080;" in text and "return 301 https://$host:8443$request_uri;" in text
    assert text.count("server_name workbook.example.org;") == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"upstreams": ()}, "at least one upstream"),
     ({"upstreams": (Upstream.parse("a:1"), Upstream.parse("a:1"))}, "given twice"),
     ({"http_port": 80}, "a redirect port needs a certificate"),
     ({"server_names": ("evil; include /etc",)}, "not a host name"),
     ({"host": "0.0.0.0:80; include /etc/passwd"}, "listen address .*: not an address"),
     ({"host": ""}, "listen address '': not an address"),
     ({"port": 0}, "port 0: not a port"),
     ({"port": 70000}, "port 70000: not a port")],
)
def test_a_site_that_cannot_be_written_says_why(kwargs, message):
    settings = {"upstreams": (Upstream.parse("a:1"),), "host": "0.0.0.0", "port": 80, **kwargs}
    with pytest.raises(ProxyConfigError, match=message):
        Site(**settings)


@pytest.mark.parametrize("path", ["/etc/my certs/cert.pem", "/c.pem;\ninclude /etc/passwd", "/c{.pem", "/$c.pem"])
def test_a_path_nginx_would_read_as_more_than_a_path_is_refused(path):
    with pytest.raises(ProxyConfigError, match="the certificate file .*: nginx cannot take a space"):
        Certificate(Path(path), Path("/k.pem"))
    with pytest.raises(ProxyConfigError, match="the folder .*: nginx cannot take a space"):
        main_config(Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=80), runtime_dir=Path(path))


def test_a_missing_certificate_file_is_named(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("k")
    with pytest.raises(ProxyConfigError, match=f"the certificate file {tmp_path / 'cert.pem'} does not exist"):
        Certificate(tmp_path / "cert.pem", key).check()


def test_the_machines_places_and_pool_are_shared_between_workers():
    share = split(ServeSettings(max_patients=31, pool_size=2), 3)
    assert (share.max_patients, share.pool_size) == (10, 1)
    assert split(ServeSettings(max_patients=8, pool_size=0), 4).pool_size == 0
    assert share.places_per_address == 6  # half of 31, spread over 3
    assert split(ServeSettings(max_patients=31, pool_size=2, places_per_address=31), 3).places_per_address == 11
    with pytest.raises(WorkersError, match="3 places for 3 workers leave 1 each, fewer than a pool of 1 and one page"):
        split(ServeSettings(max_patients=3, pool_size=2), 3)


def test_a_missing_nginx_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("workbook.serving.processes.NGINX_PLACES", ())
    with pytest.raises(WorkersError) as caught:
        find_nginx()
    assert str(caught.value) == NGINX_MISSING
    assert "apt-get install nginx" in NGINX_MISSING


def test_serve_with_workers_and_no_nginx_fails_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("workbook.serving.processes.NGINX_PLACES", ())
    monkeypatch.setattr(os, "execve", lambda *args: pytest.fail("must not start"))
    assert cli.main(["serve", "--workers", "2", "--max-patients", "6"]) == 1
    *warnings, error = capsys.readouterr().err.splitlines()
    assert error == f"workbook: {NGINX_MISSING}"
    assert all(line.startswith("warning: ") for line in warnings)  # the content's, printed at start


def test_serve_passes_its_route_tag(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda path, argv, env: calls.append(argv))
    assert cli.main(["serve", "--host", "10.0.0.5", "--port", "8866"]) == 0
    assert f"--WorkbookKernelManager.route_tag={route_tag('10.0.0.5', 8866)}" in calls[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["serve", "--certfile", "c.pem"], "--certfile and --keyfile go together"),
     (["serve", "--http-port", "80"], "--http-port needs a certificate"),
     (["proxy-config", "--upstream", "nowhere"], "upstream 'nowhere': expected HOST:PORT")],
)
def test_serve_and_proxy_config_refuse_bad_settings(argv, message, monkeypatch, capsys):
    monkeypatch.setattr(os, "execve", lambda *args: pytest.fail("must not start"))
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_proxy_config_prints_the_site(capsys):
    assert cli.main(["proxy-config", "--upstream", "10.0.0.5:8866"]) == 0
    captured = capsys.readouterr()
    busy = message_page(load_content().page, base_url="/")
    error = error_page(load_content().page, base_url="/")
    assert captured.out == site_config(Site(upstreams=(Upstream.parse("10.0.0.5:8866"),), host="0.0.0.0", port=80,
                                            unavailable_page=busy, error_page=error))
    assert "clear text" in captured.err


def test_with_no_worker_reachable_the_page_is_the_workbooks_own():
    page = '<p class="x">It\'s busy \\ now</p>\n<p>Try again</p>'
    text = site_config(Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=80, unavailable_page=page))
    assert "error_page 502 503 504 = @workbook_unavailable;" in text
    assert 'add_header Retry-After "60" always;' in text
    assert """return 503 '<p class="x">It\\'s busy \\\\ now</p> <p>Try again</p>';""" in text
    with pytest.raises(ProxyConfigError, match="cannot hold '\\$'"):
        Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=80, unavailable_page="<p>$host</p>")
    assert "@workbook_unavailable" not in site_config(Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=80))


def test_every_status_nginx_answers_itself_has_the_workbooks_page_and_headers():
    page = '<p class="x">Not here</p>'
    text = site_config(Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=80,
                            unavailable_page="<p>busy</p>", error_page=page))
    server, kernel, *locations = text.split("\n    location ")
    pages = next(location for location in locations if location.startswith("/ {"))
    for codes, where in (("400 494", "@workbook_400"), ("404", "@workbook_404"), ("413", "@workbook_413"),
                         ("502 503 504", "@workbook_unavailable")):
        assert f"error_page {codes} = {where};" in server  # nginx's own answers, anywhere
        assert f"error_page {codes} = {where};" in pages  # the page's location says them again
    assert "error_page 404 502 503 504 = @workbook_gone;" in kernel
    for status in (400, 404, 413):
        assert f"return {status} '<p class=\"x\">Not here</p>';" in text
    assert text.count('add_header X-Content-Type-Options "nosniff" always;') == 5
    assert text.count("add_header Content-Security-Policy") == 5


def test_tls_takes_ecdhe_with_aead_only_and_slow_or_greedy_clients_are_bounded():
    text = site_config(Site(upstreams=(Upstream.parse("a:1"),), host="0.0.0.0", port=443,
                            certificate=Certificate(Path("/c.pem"), Path("/k.pem")), error_page="<p>x</p>"))
    ciphers = text.split("ssl_ciphers ", 1)[1].split(";", 1)[0].split(":")
    assert all(c.startswith("ECDHE-") and ("GCM" in c or "CHACHA20" in c) for c in ciphers)
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    for line in ("client_header_timeout 10s;", "large_client_header_buffers 4 8k;",
                 "limit_conn workbook_addresses 128;"):
        assert line in text
    # A location's own headers replace the server's: each error page keeps HSTS.
    assert text.count("Strict-Transport-Security") == 1 + 4


def test_the_systemd_unit_starts_the_workbook_with_flags_it_knows():
    unit = (Path(__file__).parents[2] / "deploy" / "workbook.service").read_text()
    exec_start = unit.replace("\\\n", " ").split("\nExecStart=", 1)[1].splitlines()[0]
    program, *argv = shlex.split(exec_start)
    assert program.endswith("/.venv/bin/workbook")
    args = cli._parser().parse_args(argv)
    assert args.run is serve.run
    assert args.certfile and args.keyfile and args.workers >= 2 and args.http_port == 80
    assert "\nMemoryMax=" in unit and "\nAmbientCapabilities=CAP_NET_BIND_SERVICE" in unit


def test_workers_share_the_cookie_secret_they_are_given(monkeypatch):
    from workbook.serving.app import WorkbookVoila

    monkeypatch.setenv(COOKIE_SECRET_VARIABLE, "ab" * 32)
    assert WorkbookVoila().cookie_secret == bytes.fromhex("ab" * 32)
    monkeypatch.delenv(COOKIE_SECRET_VARIABLE)
    first, second = WorkbookVoila().cookie_secret, WorkbookVoila().cookie_secret
    assert len(first) == 32 and first != second
