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
for the nginx that `workbook serve --workers N` runs itself. Their text is in
`templates/site.conf.j2` and `templates/nginx.conf.j2`; every value they are given is checked
here first, so that no setting can add a directive of its own.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

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


# What a name, an address or a path must not hold to stay one word of nginx's configuration:
# a space or newline, a quote, ';' or a brace would end the directive or start another, '#' a
# comment, '$' a variable.
NOT_A_WORD = "nginx cannot take a space, a quote, ';', '{', '}', '#' or '$' in it"


def _is_word(text: str) -> bool:
    """Whether `text` is one word of nginx's configuration, with nothing it reads as syntax."""
    return bool(text) and not any(c.isspace() or c in ";{}'\"#$" for c in text)


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
        if not _is_word(host):
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

    def __post_init__(self) -> None:
        for what, path in (("certificate", self.certfile), ("key", self.keyfile)):
            if not _is_word(str(path)):
                raise ProxyConfigError(f"the {what} file {str(path)!r}: {NOT_A_WORD}")

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
        if not _is_word(self.host):
            raise ProxyConfigError(f"listen address {self.host!r}: not an address ({NOT_A_WORD})")
        for what, port in (("port", self.port), ("redirect port", self.http_port)):
            if port is not None and not 0 < port < 65536:
                raise ProxyConfigError(f"{what} {port}: not a port (1 to 65535)")
        for name in self.server_names:
            if not _is_word(name):
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


# nginx's configuration is not HTML: nothing is escaped by the template. Every value is checked
# (`_is_word`, the dataclasses above) or quoted (`nginx_string`) here before it reaches it.
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["nginx_string"] = _quoted


def site_config(site: Site) -> str:
    """The `upstream`, `map` and `server` blocks for nginx's `http` context (a site file)."""
    page_headers = list(ERROR_PAGE_HEADERS.items())
    if site.certificate is not None:  # a location's own add_header replaces the server's
        page_headers.append(("Strict-Transport-Security", f"max-age={HSTS_SECONDS}"))
    # Every status nginx answers itself, with the workbook's own pages (where given): the status
    # codes and the named location that answers them.
    errors: list[tuple[str, str]] = []
    if site.error_page:
        errors += [("400 494", "@workbook_400"), ("404", "@workbook_404"), ("413", "@workbook_413")]
    if site.unavailable_page:
        errors.append(("502 503 504", "@workbook_unavailable"))
    return _TEMPLATES.get_template("site.conf.j2").render(
        upstreams=site.upstreams,
        listen=_listen(site.host, site.port),
        port=site.port,
        http_port=site.http_port,
        redirect_listen=_listen(site.host, site.http_port) if site.http_port is not None else "",
        certificate=site.certificate,
        names=" ".join(site.server_names) or "_",
        errors=errors,
        page_headers=page_headers,
        error_page=site.error_page,
        unavailable_page=site.unavailable_page,
        tls12_ciphers=TLS12_CIPHERS,
        hsts_seconds=HSTS_SECONDS,
        max_body=MAX_BODY,
        header_timeout=HEADER_TIMEOUT,
        header_buffers=HEADER_BUFFERS,
        connections_per_address=CONNECTIONS_PER_ADDRESS,
        channel_timeout_seconds=CHANNEL_TIMEOUT_SECONDS,
        retry_after_seconds=RETRY_AFTER_SECONDS,
    )


def main_config(site: Site | str, *, runtime_dir: Path) -> str:
    """A whole nginx configuration for `nginx -p runtime_dir -c ...`, run in the foreground.

    Everything nginx writes (its pid, temporary files) stays in `runtime_dir`; errors go to
    standard error, beside the workers' log lines. No access log: the workers log what matters.

    Args:
        site: the site, or a site configuration already written.

    Raises:
        ProxyConfigError: `runtime_dir` has characters nginx cannot take in a path.
    """
    if not _is_word(str(runtime_dir)):
        raise ProxyConfigError(f"the folder {str(runtime_dir)!r}: {NOT_A_WORD}")
    return _TEMPLATES.get_template("nginx.conf.j2").render(
        site=site if isinstance(site, str) else site_config(site),
        pid_file=runtime_dir / "nginx.pid",
        temp_paths={name: runtime_dir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")},
    )


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
