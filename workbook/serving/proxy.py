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
first (`workbook.serving.proxy_site`), so that no setting can add a directive of its own.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from workbook.serving.proxy_site import NOT_A_WORD, ProxyConfigError, Site, is_word, listen_address

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


def _quoted(page: str) -> str:
    """A page as one quoted nginx string."""
    one_line = " ".join(line.strip() for line in page.splitlines())
    return "'" + one_line.replace("\\", "\\\\").replace("'", "\\'") + "'"


# nginx's configuration is not HTML: nothing is escaped by the template. Every value is checked
# (`workbook.serving.proxy_site`) or quoted (`nginx_string`) here before it reaches it.
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["nginx_string"] = _quoted
# The limits and timeouts every site shares, by their names in the template.
_TEMPLATES.globals.update({
    "tls12_ciphers": TLS12_CIPHERS,
    "hsts_seconds": HSTS_SECONDS,
    "max_body": MAX_BODY,
    "header_timeout": HEADER_TIMEOUT,
    "header_buffers": HEADER_BUFFERS,
    "connections_per_address": CONNECTIONS_PER_ADDRESS,
    "channel_timeout_seconds": CHANNEL_TIMEOUT_SECONDS,
    "retry_after_seconds": RETRY_AFTER_SECONDS,
})


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
        site=site,
        listen=listen_address(site.host, site.port),
        redirect_listen=listen_address(site.host, site.http_port) if site.http_port is not None else "",
        names=" ".join(site.server_names) or "_",
        errors=errors,
        page_headers=page_headers,
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
    if not is_word(str(runtime_dir)):
        raise ProxyConfigError(f"the folder {str(runtime_dir)!r}: {NOT_A_WORD}")
    return _TEMPLATES.get_template("nginx.conf.j2").render(
        site=site if isinstance(site, str) else site_config(site),
        pid_file=runtime_dir / "nginx.pid",
        temp_paths={name: runtime_dir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")},
    )
