"""What every request to the workbook passes before a handler sees it.

- **Host names.** A request whose `Host` is not an IP address, `localhost`, or one of the
  names the server was given (`workbook serve --server-name`) gets 400 and nothing else: a
  web page elsewhere cannot reach the workbook through a name it controls (DNS rebinding).
- **The page's own browser.** When a page is rendered, its browser gets an unguessable
  secret in an HttpOnly, SameSite=Strict cookie, signed with the server's cookie secret, and
  the page's kernel is bound to it. A secret the server did not issue (one a client chose,
  to share it with someone else's page) is never adopted: a new one is issued instead. Every
  route that takes a kernel id (the kernel, its channel, its shutdown) refuses a request
  without that secret with a bare 403: the kernel id alone opens nothing.
- **One face for errors.** Every error answers with a small plain page, no script, no link
  to another host, no version; every response carries the security headers.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from contextvars import ContextVar

import tornado.web
from tornado.log import app_log

from workbook.serving.pages import error_page

SECRET_COOKIE = "workbook_session"
# How long an issued secret is honoured: longer than any patient's visit.
SECRET_DAYS = 1
# The secret of the browser whose page is being rendered now, for the kernel it is given,
# and the client address it came from.
rendering_for: ContextVar[str | None] = ContextVar("rendering_for", default=None)
rendering_from: ContextVar[str | None] = ContextVar("rendering_from", default=None)
# Peers whose forwarded address (X-Real-IP, X-Forwarded-For) is believed: nginx on this machine.
LOOPBACK = ("127.0.0.1", "::1")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}


def allowed_host(host_header: str, names: tuple[str, ...]) -> bool:
    """Whether a `Host` header names this server: an IP address, localhost, or a given name.

    Args:
        host_header: the header as sent, with or without a port.
        names: the server's own names (lower case).
    """
    host = host_header.strip().lower()
    if host.startswith("["):  # [IPv6]:port
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host in ("localhost", *names)
    return True


def client_address(request, proxies: tuple[str, ...] = ()) -> str:
    """The address of the device that sent a request.

    The peer itself, unless the peer is this machine or one of the given proxies (nginx):
    then the address the proxy forwarded. A device that reaches the server directly cannot
    pass for another by sending the proxy's headers.
    """
    try:
        peer = request.connection.context.address[0]
    except (AttributeError, IndexError, TypeError):  # not a TCP connection (a test's request)
        return request.remote_ip
    return request.remote_ip if peer in LOOPBACK or peer in proxies else peer


def new_secret() -> str:
    """An unguessable secret for one browser (256 bits)."""
    return secrets.token_urlsafe(32)


def valid_secret(value: str | None) -> bool:
    return value is not None and _SECRET.match(value) is not None


def issued_secret(handler: tornado.web.RequestHandler) -> str | None:
    """The browser's secret, if this server (or a worker beside it) issued it; else None."""
    signed = handler.get_signed_cookie(SECRET_COOKIE, max_age_days=SECRET_DAYS)
    try:
        secret = signed.decode("ascii") if signed is not None else None
    except UnicodeDecodeError:
        return None
    return secret if valid_secret(secret) else None


def issue_secret(handler: tornado.web.RequestHandler, secret: str) -> None:
    """Give the browser its secret: signed, HttpOnly, SameSite=Strict, for this session only
    (and Secure when the page came over HTTPS)."""
    handler.set_signed_cookie(
        SECRET_COOKIE, secret, expires_days=None, path=handler.settings.get("base_url", "/"),
        httponly=True, samesite="Strict", secure=handler.request.protocol == "https",
    )


def same_secret(given: str | None, kept: str | None) -> bool:
    return given is not None and kept is not None and hmac.compare_digest(given, kept)


class Guarded:
    """Mixed in front of every handler: host check, the kernel's owner, one face for errors.

    A handler whose route takes a kernel id first (`owner_checked = True`) serves only the
    browser that holds that kernel's secret.
    """

    owner_checked = False

    def set_default_headers(self) -> None:
        super().set_default_headers()
        for name, value in SECURITY_HEADERS.items():
            self.set_header(name, value)
        csp = self.settings.get("headers", {}).get("Content-Security-Policy")
        if csp:
            self.set_header("Content-Security-Policy", csp)
        self.clear_header("Server")

    def prepare(self):
        if not allowed_host(self.request.host or "", self.settings.get("workbook_server_names", ())):
            raise tornado.web.HTTPError(400)
        if self.owner_checked:
            kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args[0] if self.path_args else None)
            manager = self.settings.get("kernel_manager")
            kept = manager.owner_of(kernel_id) if hasattr(manager, "owner_of") else None
            if not same_secret(issued_secret(self), kept):
                raise tornado.web.HTTPError(403)
        return super().prepare()

    def write_error(self, status_code: int, **kwargs) -> None:
        self.clear()  # no header or half-written body of the failed answer stays
        self.set_status(status_code)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(error_page(self.settings.get("workbook_page_text"), base_url=self.settings.get("base_url", "/")))

    def log_exception(self, typ, value, tb) -> None:
        # An HTTP error is an answer, not a fault: one line, no traceback.
        if isinstance(value, tornado.web.HTTPError):
            app_log.warning("%d %s %s", value.status_code, self.request.method, self.request.path)
            return
        super().log_exception(typ, value, tb)


def guarded(handler_class: type, *, owner_checked: bool = False) -> type:
    """The handler class with the guard in front of it."""
    return type(f"Guarded{handler_class.__name__}", (Guarded, handler_class), {"owner_checked": owner_checked})
