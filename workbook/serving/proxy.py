"""The nginx configuration in front of one or more workbook servers.

Voilà serves plain HTTP from one process. nginx, in front of it, gives the clinic network
HTTPS and spreads patients over several processes or machines ("workers"):

- **A page goes to the worker with the fewest open connections** (each open page keeps one,
  its kernel channel). A worker that answers "busy" (503, or 429 when the patient's address
  holds as many pages as one address may there), or cannot be reached, passes the page on to
  the next one; only when every worker is busy does the patient see the busy page. No answer
  takes a worker out for the others (`max_fails=0`): a device past its own limit must not
  make the workers look full to everyone else.
- **Everything about a page's kernel goes to the worker that holds it.** Each worker starts
  kernels whose ids begin with its route tag (`route_tag`), and nginx sends a kernel's
  requests (its state, its channel, its shutdown) by that tag. This follows the patient's
  page, not the address or the browser: tablets behind one NAT spread over the workers, and
  two tabs of one browser may use two workers. A kernel whose worker has stopped is answered
  404, so its page says at once that the session has ended.
- **With a certificate, HTTPS only**: plain HTTP to the same port (and, if asked, to a
  second port) is redirected, and browsers are told to keep to HTTPS (HSTS). TLS 1.2 with
  ECDHE key exchange and AEAD ciphers only, and TLS 1.3.
- **One face for errors.** Every status nginx answers itself (400, 404, 413, 502, 503, 504)
  carries the workbook's own plain page and security headers, never nginx's page; the busy
  page says when to try again (`Retry-After`).
- **Slow or greedy clients.** A request's headers must arrive within 10 s, each header line
  fits 8 KB, and one address holds at most 128 connections.

`site_config` is what hospital IT installs (`workbook proxy-config`); `main_config` wraps it
for the nginx that `workbook serve --workers N` runs itself.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# nginx tells the workers the browser's address and scheme with these; the workers trust them.
FORWARDED_HEADERS = """\
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;"""
# A year; browsers remember to use HTTPS for this server (HSTS).
HSTS_SECONDS = 365 * 24 * 3600
# The largest request body the page sends is a shutdown with no body; the channel's messages
# are limited by the workers (64 KiB).
MAX_BODY = "64k"
# A quiet kernel channel stays open this long without a byte; the server pings it long before.
CHANNEL_TIMEOUT_SECONDS = 3600
# A request's headers (and a body) must arrive within this; the workers close theirs after 10 s too.
HEADER_TIMEOUT = "10s"
# Header lines up to 8 KB, four of them at once: a page's request carries two short cookies.
HEADER_BUFFERS = "4 8k"
# Connections one address may hold: an open page keeps one or two, a tablet a few more while a
# page loads; tablets behind one NAT share it.
CONNECTIONS_PER_ADDRESS = 128
# When to try again, on the busy page nginx answers itself (as the workers' own busy page says).
RETRY_AFTER_SECONDS = 60
# TLS 1.2 with ECDHE key exchange and AEAD ciphers only (TLS 1.3 suites are all of this kind).
TLS12_CIPHERS = ":".join([
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
])
# The headers of every page the workbook sends (workbook.serving.guard, workbook.serving.app), for the
# pages nginx answers itself.
ERROR_PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
    "Cache-Control": "no-store",
}


class ProxyConfigError(ValueError):
    """A setting the proxy configuration cannot be written with."""


@dataclass(frozen=True, slots=True)
class Upstream:
    """One worker as nginx reaches it: `host:port`, exactly as the worker was started with."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Upstream:
        """`HOST:PORT` or `[IPv6]:PORT`.

        Raises:
            ProxyConfigError: not an address with a port.
        """
        host, sep, port = text.strip().rpartition(":")
        host = host.removeprefix("[").removesuffix("]")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ProxyConfigError(f"upstream {text!r}: expected HOST:PORT, for example 10.0.0.5:8866")
        if any(c.isspace() or c in ";{}'\"#$" for c in host):
            raise ProxyConfigError(f"upstream {text!r}: the host has characters nginx cannot take")
        return cls(host, int(port))

    @property
    def address(self) -> str:
        """The address in nginx's form (IPv6 in brackets)."""
        return f"[{self.host}]:{self.port}" if _is_ipv6(self.host) else f"{self.host}:{self.port}"

    @property
    def tag(self) -> str:
        return route_tag(self.host, self.port)


def route_tag(host: str, port: int) -> str:
    """The 8 hex digits that begin the ids of the kernels a worker at `host:port` starts.

    It is derived from the address the worker listens on, so nginx, given the same address,
    finds the worker from a kernel id with nothing else to agree on.
    """
    address = f"[{host}]:{port}" if _is_ipv6(host) else f"{host}:{port}"
    return hashlib.sha256(address.encode()).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate (with its chain) and its private key, both PEM files."""

    certfile: Path
    keyfile: Path

    def check(self) -> None:
        """Raises ProxyConfigError naming a file that is missing or unreadable."""
        for what, path in (("certificate", self.certfile), ("key", self.keyfile)):
            if not path.is_file():
                raise ProxyConfigError(f"the {what} file {path} does not exist")
            try:
                path.open("rb").close()
            except OSError as error:
                raise ProxyConfigError(f"the {what} file {path} cannot be read: {error.strerror}") from None


@dataclass(frozen=True, slots=True)
class Site:
    """What nginx listens on and where it sends patients.

    Args:
        upstreams: the workers.
        host: the address nginx listens on ("0.0.0.0" for every IPv4 address).
        port: its port (HTTPS when there is a certificate).
        certificate: None for plain HTTP (one clinic PC on a closed network only).
        http_port: with a certificate, a second port whose plain HTTP is redirected to HTTPS.
        server_names: the names tablets use; nginx answers to them (and to any name: the
            workers refuse names they were not given).
        unavailable_page: the HTML a patient sees when no worker can be reached (the
            workbook's own "busy" page); empty for nginx's own.
        error_page: the HTML of every other error nginx answers itself (the workbook's own
            error page); empty for nginx's own.
    """

    upstreams: tuple[Upstream, ...]
    host: str
    port: int
    certificate: Certificate | None = None
    http_port: int | None = None
    server_names: tuple[str, ...] = ()
    unavailable_page: str = ""
    error_page: str = ""

    def __post_init__(self) -> None:
        if not self.upstreams:
            raise ProxyConfigError("at least one upstream (a worker's HOST:PORT) is needed")
        tags = [upstream.tag for upstream in self.upstreams]
        if len(set(tags)) != len(tags):
            raise ProxyConfigError("an upstream is given twice")
        if self.http_port is not None and self.certificate is None:
            raise ProxyConfigError("a redirect port needs a certificate: without one, the site is plain HTTP")
        for name in self.server_names:
            if not name or any(c.isspace() or c in ";{}'\"#$" for c in name):
                raise ProxyConfigError(f"server name {name!r}: not a host name")
        if "$" in self.unavailable_page or "$" in self.error_page:
            raise ProxyConfigError("the unavailable and error pages cannot hold '$' (nginx reads it as a variable)")


def _is_ipv6(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False


def _listen(host: str, port: int) -> str:
    return f"[{host}]:{port}" if _is_ipv6(host) else f"{host}:{port}"


def _quoted(page: str) -> str:
    """A page as one quoted nginx string."""
    one_line = " ".join(line.strip() for line in page.splitlines())
    return "'" + one_line.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _page_location(name: str, status: int, page: str, headers: str, extra: str = "") -> str:
    return f"""
    location @{name} {{
        default_type "text/html; charset=utf-8";
{headers}{extra}
        return {status} {_quoted(page)};
    }}"""


def site_config(site: Site) -> str:
    """The `upstream`, `map` and `server` blocks for nginx's `http` context (a site file)."""
    pages = "\n".join(
        f"    server {u.address} max_fails=0;" for u in site.upstreams
    )
    kernel_groups = "\n\n".join(
        f"upstream workbook_{u.tag} {{\n    server {u.address};\n}}" for u in site.upstreams
    )
    routes = "\n".join(f"    {u.tag} workbook_{u.tag};  # {u.address}" for u in site.upstreams)
    names = " ".join(site.server_names) or "_"
    listen = _listen(site.host, site.port)
    if site.certificate is None:
        tls = f"    listen {listen};"
    else:
        cert = site.certificate
        tls = f"""\
    listen {listen} ssl;
    ssl_certificate {cert.certfile};
    ssl_certificate_key {cert.keyfile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers {TLS12_CIPHERS};
    ssl_prefer_server_ciphers off;
    ssl_session_cache shared:workbook_tls:1m;
    ssl_session_timeout 1d;
    # Plain HTTP sent to this port is redirected to HTTPS.
    error_page 497 =301 https://$http_host$request_uri;
    add_header Strict-Transport-Security "max-age={HSTS_SECONDS}" always;"""
    redirect = ""
    if site.http_port is not None:
        redirect = f"""

# Plain HTTP: redirected to HTTPS, nothing else.
server {{
    listen {_listen(site.host, site.http_port)};
    server_name {names};
    server_tokens off;
    return 301 https://$host:{site.port}$request_uri;
}}"""
    headers = "\n".join(f'        add_header {name} "{value}" always;' for name, value in ERROR_PAGE_HEADERS.items())
    if site.certificate is not None:  # a location's own add_header replaces the server's
        headers += f'\n        add_header Strict-Transport-Security "max-age={HSTS_SECONDS}" always;'
    # Every status nginx answers itself, with the workbook's own pages (where given).
    errors: dict[str, str] = {}  # status codes -> the named location that answers them
    page_locations = ""
    if site.error_page:
        errors = {"400 494": "@workbook_400", "404": "@workbook_404", "413": "@workbook_413"}
        page_locations += "".join(
            _page_location(f"workbook_{status}", status, site.error_page, headers) for status in (400, 404, 413)
        )
    if site.unavailable_page:
        errors["502 503 504"] = "@workbook_unavailable"
        retry = f'\n        add_header Retry-After "{RETRY_AFTER_SECONDS}" always;'
        page_locations += _page_location("workbook_unavailable", 503, site.unavailable_page, headers, retry)
    # A location with error pages of its own inherits none of the server's: each says them all.
    error_pages = "".join(f"\n    error_page {codes} = {where};" for codes, where in errors.items())
    page_errors = error_pages.replace("\n    ", "\n        ")
    kernel_errors = "".join(
        f"\n        error_page {codes} = {where};" for codes, where in errors.items()
        if codes in ("400 494", "413")
    )
    gone = f"""
    location @workbook_gone {{
        return 404;
    }}""" if not site.error_page else _page_location("workbook_gone", 404, site.error_page, headers)
    kernel_errors = f"""
        # Its worker has stopped, so the kernel has gone with it: the page shows it has ended.
        error_page 404 502 503 504 = @workbook_gone;{kernel_errors.rstrip()}"""
    return f"""\
# Back Spasm Workbook: nginx in front of {len(site.upstreams)} workbook server(s).
# Written by `workbook proxy-config`; each worker runs `workbook serve --host HOST --port PORT`
# with exactly the address given here.

# New pages: the worker with the fewest open connections (each open page keeps one).
upstream workbook_pages {{
    least_conn;
{pages}
}}

# A page's kernel: the worker that started it, found by the tag that begins the kernel id.
{kernel_groups}

map $uri $workbook_kernel_tag {{
    "~^/(?:api/kernels|voila/api/shutdown)/(?<tag>[0-9a-f]{{8}})-" $tag;
    default "";
}}

map $workbook_kernel_tag $workbook_kernel_worker {{
{routes}
    default "";
}}

# The connections each client address holds (limit_conn below).
limit_conn_zone $binary_remote_addr zone=workbook_addresses:1m;

map $http_upgrade $workbook_connection {{
    default upgrade;
    "" close;
}}

server {{
{tls}
    server_name {names};
    server_tokens off;
    client_max_body_size {MAX_BODY};
    client_header_timeout {HEADER_TIMEOUT};
    client_body_timeout {HEADER_TIMEOUT};
    large_client_header_buffers {HEADER_BUFFERS};
    limit_conn workbook_addresses {CONNECTIONS_PER_ADDRESS};{error_pages}

    # A page's kernel: its state, its channel and its shutdown, at the worker that holds it.
    location ~ ^/(?:api/kernels|voila/api/shutdown)/ {{
        if ($workbook_kernel_worker = "") {{
            return 404;
        }}
        proxy_pass http://$workbook_kernel_worker;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $workbook_connection;
{FORWARDED_HEADERS}
        proxy_buffering off;
        proxy_read_timeout {CHANNEL_TIMEOUT_SECONDS}s;
        proxy_send_timeout {CHANNEL_TIMEOUT_SECONDS}s;
        proxy_next_upstream off;{kernel_errors}
    }}
{gone}

    # The page and its files: any worker; a busy or unreachable one passes the page on.
    location / {{
        proxy_pass http://workbook_pages;
        proxy_http_version 1.1;
{FORWARDED_HEADERS}
        proxy_next_upstream error timeout http_502 http_503 http_429;
        proxy_connect_timeout 5s;
        proxy_read_timeout 120s;
        # Large scripts (plotly.js) pass through memory, never through a file on disk.
        proxy_max_temp_file_size 0;{page_errors}
    }}{page_locations}
}}{redirect}
"""


def main_config(site: Site | str, *, runtime_dir: Path) -> str:
    """A whole nginx configuration for `nginx -p runtime_dir -c ...`, run in the foreground.

    Everything nginx writes (its pid, temporary files) stays in `runtime_dir`; errors go to
    standard error, beside the workers' log lines. No access log: the workers log what matters.

    Args:
        site: the site, or a site configuration already written.
    """
    text = site if isinstance(site, str) else site_config(site)
    indented = "\n".join(f"    {line}" if line else "" for line in text.splitlines())
    temp = {name: runtime_dir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""\
worker_processes 1;
pid {runtime_dir / "nginx.pid"};
error_log stderr warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    default_type application/octet-stream;

{indented}
}}
"""


def local_site(
    ports: Sequence[int], *, host: str, port: int, certificate: Certificate | None,
    http_port: int | None = None, server_names: Sequence[str] = (), unavailable_page: str = "",
    error_page: str = "",
) -> Site:
    """The site for workers on this machine's loopback ports."""
    return Site(
        upstreams=tuple(Upstream("127.0.0.1", p) for p in ports),
        host=host, port=port, certificate=certificate, http_port=http_port,
        server_names=tuple(server_names), unavailable_page=unavailable_page, error_page=error_page,
    )
