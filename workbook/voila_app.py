"""Voilà with only the routes the dashboard page needs; every other path answers 404.

Stock Voilà serving one notebook sends any unknown path to `/voila/files/<path>` with a
redirect, serves `/login` and `/logout` (the latter fails with a 500), and answers a
path-traversal attempt under `/voila/templates/` with a 500. Here the page, its scripts,
styles, widget extensions and its own kernel's channels are routed; nothing else is. The
kernel channel sends small messages without delay and tells the kernel manager when its page
goes; a page past the limit on patients gets the workbook's own "busy" page (503). The
kernels themselves are `workbook.kernels.WorkbookKernelManager`'s.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from dataclasses import asdict

import tornado.web
from traitlets import List, Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.configuration import VoilaConfiguration
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.execution_request_handler import ExecutionRequestHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.content import PageText, load_content
from workbook.guard import SECRET_COOKIE, guarded, new_secret, rendering_for, valid_secret
from workbook.kernels import WorkbookFull, WorkbookKernelManager, missing_pool_support
from workbook.pages import message_page
from workbook.serve import COOKIE_SECRET_VARIABLE

# How often the page asks whether its kernel is still there, while it is on screen.
HEARTBEAT_SECONDS = 5

# Routes of stock Voilà that the dashboard page does not need: files, login, the request
# information channel (for notebooks that read their URL) and progressive rendering.
LOGIN_ROUTE = "/login"
DROPPED_ROUTES = ("/voila/files/(.*)", LOGIN_ROUTE, "/logout")
DROPPED_HANDLERS = (RequestInfoSocketHandler, ExecutionRequestHandler)
# Routes that take a kernel id: only the browser its page was rendered for may use them.
KERNEL_ROUTES = (KernelHandler, VoilaShutdownKernelHandler)
# The page route: stock Voilà serves the notebook at any path under the root.
PAGE_ROUTE = "/(.*)"


class UnsupportedVoila(Exception):
    """Voilà lacks a route or method the workbook drops, replaces or relies on.

    Each of them closes a path or keeps a limit: serving without one would reopen the path
    silently, so the server does not start.
    """

    def __init__(self, missing: str) -> None:
        super().__init__(f"Voilà has {missing}; this version of Voilà is not supported")


def missing_route(handlers: list, *, preheat: bool, progressive: bool, login: bool) -> str | None:
    """What `WorkbookVoila.init_handlers` expects among stock Voilà's routes and does not find.

    Args:
        handlers: stock Voilà's routes, `(pattern, handler class, ...)` each.
        preheat, progressive, login: whether Voilà's settings add the route that each of them
            adds (pre-rendering's request information, progressive rendering, a login page
            when there is a token or password). Each of these routes is dropped.
    Returns:
        the first missing piece, as in "no route '/logout' to drop"; None when all are there.
    """
    patterns = [pattern for pattern, *_ in handlers]
    classes = {handler_class for _, handler_class, *_ in handlers}
    for route in DROPPED_ROUTES:
        if route == LOGIN_ROUTE and not login:
            continue
        if not any(pattern.endswith(route) for pattern in patterns):
            return f"no route '{route}' to drop"
    expected = {
        RequestInfoSocketHandler: "drop" if preheat else None,
        ExecutionRequestHandler: "drop" if progressive else None,
        VoilaKernelWebsocketHandler: "replace",
        TemplateStaticFileHandler: "replace",
        KernelHandler: "guard",
        VoilaShutdownKernelHandler: "guard",
    }
    for handler_class, action in expected.items():
        if action and handler_class not in classes:
            return f"no {handler_class.__name__} route to {action}"
    if not any(is_page_route(handler) for handler in handlers):
        return f"no TornadoVoilaHandler route '{PAGE_ROUTE}' to replace"
    return None


def is_page_route(handler: tuple) -> bool:
    pattern, handler_class, *_ = handler
    return handler_class is TornadoVoilaHandler and pattern.endswith(PAGE_ROUTE)


def check_voila(handlers: list, kernel_manager, configuration, *, login: bool) -> None:
    """Refuse to serve with a Voilà whose routes or kernel manager are not the expected ones.

    Raises:
        UnsupportedVoila: with the first missing piece.
    """
    missing = missing_route(
        handlers, preheat=configuration.preheat_kernel, progressive=configuration.progressive_rendering,
        login=login,
    )
    if missing is None and not VoilaConfiguration.class_traits().get("page_config_hook"):
        missing = "no VoilaConfiguration.page_config_hook for the page's session settings"
    if missing is None and configuration.preheat_kernel:
        name = missing_pool_support(kernel_manager)
        missing = name and f"no kernel pool method or attribute '{name}' in its kernel manager"
    if missing is not None:
        raise UnsupportedVoila(missing)


class NotFoundHandler(tornado.web.RequestHandler):
    """Answers 404 for every method, without a body that says anything about the server."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """The template's static files; a path that does not resolve to one is a 404, not a 500."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or ".." in parts or not parts[-1]:
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)


# The most offsets a v1 frame from the page has: five message parts and a few buffers.
MOST_V1_OFFSETS = 32
# The largest message the page sends is a widget update with the patient's own words (at
# most 300 letters): 1.3 KB measured. Tornado's default would take 10 MB.
MAX_MESSAGE_BYTES = 64 * 1024
# Kernel messages a page never needs, and that can carry a traceback.
PRIVATE_OUTPUT = {"error", "stream:stderr"}


def well_formed_v1_frame(frame: bytes) -> bool:
    """Whether a v1 kernel-channel frame's offsets are few and point inside the frame."""
    if len(frame) < 8:
        return False
    count = int.from_bytes(frame[:8], "little")
    if not 2 <= count <= MOST_V1_OFFSETS or len(frame) < 8 * (count + 1):
        return False
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    return all(a <= b <= len(frame) for a, b in zip(offsets, offsets[1:]))


def message_kind(message) -> str | None:
    """A kernel message's type, with the stream's name for stream output ("stream:stderr")."""
    try:
        if isinstance(message, bytes):
            count = int.from_bytes(message[:8], "little")
            if count < 6 or len(message) < 8 * (count + 1):
                return None
            offsets = [int.from_bytes(message[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
            header = json.loads(message[offsets[1]:offsets[2]])
            content = json.loads(message[offsets[4]:offsets[5]]) if header.get("msg_type") == "stream" else {}
        else:
            parsed = message if isinstance(message, dict) else json.loads(message)
            header, content = parsed.get("header") or {}, parsed.get("content") or {}
    except (ValueError, TypeError, AttributeError):
        return None
    kind = header.get("msg_type")
    return f"{kind}:{content.get('name')}" if kind == "stream" else kind


class NoDelayKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The page's channel to its kernel, with every message sent at once.

    Tornado leaves Nagle's algorithm on for websockets, so a small message (a widget update)
    waited for the browser's delayed acknowledgement before it left the server: every tap
    took about 35 ms longer than it needed to (`make bench`: a button's round trip fell from
    50 ms to 17 ms with this).
    """

    async def open(self, kernel_id: str) -> None:
        self.set_nodelay(True)
        await super().open(kernel_id)

    def on_message(self, message) -> None:
        """A message from the page, passed on only if its frame is well formed.

        A v1 frame starts with the number of offsets that follow; Jupyter builds that many
        before any check, so one small frame with a huge count would hold up every page.
        """
        if isinstance(message, bytes) and not well_formed_v1_frame(message):
            self.log.warning("workbook: malformed message on kernel %s's channel; closed", self.kernel_id)
            self.close(1008)
            return
        super().on_message(message)

    def write_message(self, message, binary: bool = False):
        # Errors and error output of the kernel (a traceback, server paths) never reach a page.
        if message_kind(message) in PRIVATE_OUTPUT:
            return None
        return super().write_message(message, binary)

    def on_close(self) -> None:
        super().on_close()
        manager = self.kernel_manager
        if isinstance(manager, WorkbookKernelManager) and getattr(self, "kernel_id", None):
            manager.page_disconnected(self.kernel_id)


class PageHandler(TornadoVoilaHandler):
    """The dashboard page: a kernel for it from the pool, or the "busy" page when all are taken."""

    async def get(self, path=None):
        manager = self.kernel_manager
        if isinstance(manager, WorkbookKernelManager) and not manager.make_room_for_a_page():
            return self.busy(manager)
        # The browser's secret: the kernel this page gets is bound to it (workbook.guard).
        secret = self.get_cookie(SECRET_COOKIE)
        if not valid_secret(secret):
            secret = new_secret()
        self.set_cookie(
            SECRET_COOKIE, secret, path=self.base_url, httponly=True, samesite="Strict",
            secure=self.request.protocol == "https",
        )
        rendering = rendering_for.set(secret)
        try:
            await super().get(path)
        except WorkbookFull:
            if self._headers_written:
                raise
            self.busy(manager)
        finally:
            rendering_for.reset(rendering)

    def busy(self, manager: WorkbookKernelManager) -> None:
        self.log.warning("workbook: page refused, the workbook is busy (%d of %d places in use)",
                    manager.places_in_use, manager.max_kernels)
        self.clear()
        self.set_status(503)
        self.set_header("Retry-After", "60")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(message_page(self.settings["workbook_page_text"], base_url=self.base_url))


def page_session_config(text: PageText, *, idle_seconds: float) -> dict:
    """What the page's session script needs: its words, the idle time, the heartbeat."""
    return {
        "text": asdict(text),
        "idleSeconds": round(idle_seconds),
        "heartbeatSeconds": HEARTBEAT_SECONDS,
    }


class WorkbookVoila(Voila):
    """Voilà serving one dashboard notebook and nothing else."""

    server_names = List(
        Unicode(), config=True,
        help="Host names the server answers to, besides its IP addresses and localhost.",
    )

    @default("cookie_secret")
    def _shared_cookie_secret(self) -> bytes:
        # Workers behind one nginx sign their cookies alike, so a browser whose requests reach
        # two of them keeps one cookie (`workbook.workers` sets it, in the environment only).
        shared = os.environ.get(COOKIE_SECRET_VARIABLE, "")
        return bytes.fromhex(shared) if shared else os.urandom(32)

    def init_settings(self) -> dict:
        # The page's words and idle time go into every page's configuration; Voilà reads the
        # hook when it makes its kernel manager, so it is set first.
        content = load_content()
        session = page_session_config(content.page, idle_seconds=content.clinic.idle_reset_minutes * 60)

        def add_session(page_config: dict, **_kwargs) -> dict:
            # The page needs no version of Voilà (it shows "unknown" without one).
            kept = {key: value for key, value in page_config.items() if key != "appVersion"}
            return {**kept, "workbookSession": session}

        self.voila_configuration.page_config_hook = add_session
        settings = super().init_settings()
        settings["workbook_page_text"] = content.page
        settings["workbook_server_names"] = tuple(name.lower() for name in self.server_names)
        manager = self.kernel_manager
        self.log.info(
            "workbook: serving up to %s patients (kernels of open pages and the pool), "
            "a pool of %s, a page's kernel waits %s s after its page goes",
            manager.max_kernels or "any number of", self.voila_configuration.default_pool_size,
            manager.cull_idle_timeout,
        )
        return settings

    def listen(self) -> None:
        # Behind nginx, the browser's scheme and address come in X-Forwarded-* headers: the
        # secret cookie is marked Secure when the page came over HTTPS. A client that reaches
        # the server directly and sends these headers only changes its own cookie and the
        # address in the log.
        self.app.listen = functools.partial(self.app.listen, xheaders=True)
        super().listen()

    def start(self) -> None:
        try:
            super().start()
        except UnsupportedVoila:
            shutil.rmtree(self.connection_dir, ignore_errors=True)
            raise

    def init_handlers(self) -> list:
        stock = super().init_handlers()
        login = bool(getattr(self.identity_provider, "login_available", True))
        check_voila(stock, self.kernel_manager, self.voila_configuration, login=login)
        handlers = []
        for handler in stock:
            pattern, handler_class, *rest = handler
            if pattern.endswith(DROPPED_ROUTES) or handler_class in DROPPED_HANDLERS:
                continue
            if handler_class is VoilaKernelWebsocketHandler:
                handler_class = NoDelayKernelWebsocketHandler
            elif handler_class is TemplateStaticFileHandler:
                handler_class = SafeTemplateStaticFileHandler
            elif is_page_route(handler):
                # The dashboard lives at the root only; stock Voilà redirects any other path.
                pattern, handler_class = pattern[: -len("(.*)")] + "()", PageHandler
            owner_checked = handler_class in KERNEL_ROUTES or issubclass(handler_class, NoDelayKernelWebsocketHandler)
            handlers.append((pattern, guarded(handler_class, owner_checked=owner_checked), *rest))
        handlers.append((r".*", guarded(NotFoundHandler)))
        return handlers


# Nothing the page loads may come from another host. Widgets and plotly need inline and
# eval'd scripts, so those stay allowed, but only from this server.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'self'",
    ]
)


def production_config() -> Config:
    """The fixed hardening every served page gets; `workbook.serve` adds the settings.

    These stay here rather than in the template's conf.json: Voilà 0.5 reads a template's
    `traitlet_configuration` after it has made its VoilaConfiguration, into the config only,
    so a trait set there (strip_sources, show_tracebacks, file_allowlist, preheat_kernel, the
    overrides, the kernel manager class) would not take effect; only `resources`, read at
    each render, does. The conf.json keeps `base_template`.
    """
    config = Config()
    config.Voila.tornado_settings = {
        "headers": {"Content-Security-Policy": CONTENT_SECURITY_POLICY},
        "websocket_max_message_size": MAX_MESSAGE_BYTES,
    }
    # Patients never see source code or tracebacks; the template shows a plain error card.
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.show_tracebacks = False
    # The page needs no file from the notebook folder.
    config.VoilaConfiguration.file_allowlist = []
    config.VoilaConfiguration.preheat_kernel = True
    # One template and theme: a query string cannot ask for another (nor for a kernel
    # outside the pool and its limit).
    config.VoilaConfiguration.allow_template_override = "NO"
    config.VoilaConfiguration.allow_theme_override = "NO"
    # Places for patients, reasons for endings, culling from the disconnect.
    config.VoilaConfiguration.multi_kernel_manager_class = WorkbookKernelManager
    # A kernel that dies is never restarted empty under its page: it is removed, and the
    # page shows that it has ended.
    config.KernelRestarter.restart_limit = 0
    # A kernel whose page has gone is culled (the timeout is a setting); a connected one never.
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_interval = 5
    return config


def main() -> None:
    """Serve with the production config; command-line settings are applied on top.

    A Voilà this workbook does not support stops the server with one line and status 1.
    """
    try:
        WorkbookVoila.launch_instance(config=production_config())
    except UnsupportedVoila as error:
        sys.exit(f"workbook: {error}")


if __name__ == "__main__":
    main()
