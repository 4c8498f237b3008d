"""The routes of the served workbook: its page, its kernels' routes guarded for the browser
the page was rendered for, the theme, the charts' script, Voilà's static files compressed once,
and 404 for everything else. `workbook.serving.app` puts them in Voilà's route table."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import asdict

import tornado.web
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler

from workbook.content import PageText
from workbook.page.charts_script import script_version
from workbook.page.theme import theme_css, theme_version
from workbook.serving.compressed import CompressedStatic
from workbook.serving.guard import (
    client_address,
    issue_secret,
    issued_secret,
    new_secret,
    rendering_for,
    rendering_from,
)
from workbook.serving.kernels import WorkbookFull, WorkbookKernelManager
from workbook.serving.pages import message_page

# How often the page asks whether its kernel is still there, while it is on screen.
HEARTBEAT_SECONDS = 5
# How long running the notebook for a page waits for a cell's output (see production_config).
OUTPUT_WAIT_SECONDS = 60

# Routes that take a kernel id: only the browser its page was rendered for may use them.
KERNEL_ROUTES = (KernelHandler, VoilaShutdownKernelHandler)


class NotFoundHandler(tornado.web.RequestHandler):
    """Answers 404 for every method, without a body that says anything about the server."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


# What a response asked for by its version may be: kept by the browser for a year; and
# otherwise: checked at every use.
KEPT_A_YEAR = "public, max-age=31536000, immutable"
CHECKED = "no-cache"


class ThemeHandler(tornado.web.RequestHandler):
    """The theme as one stylesheet (`workbook.page.theme`). Asked for by its version, as the page
    does, it is kept by the browser for a year; otherwise it is checked each time (ETag)."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        versioned = self.get_query_argument("v", None) == theme_version()
        self.set_header("Cache-Control", KEPT_A_YEAR if versioned else CHECKED)
        self.finish(theme_css())


class VersionedExtensionHandler(CompressedStatic, FileFindHandler):
    """The lab extensions' scripts (the widgets'). The page asks for each by its content
    hash (`?v=`), so a browser may keep such a file for a year and a returning tablet fetches
    none of them again; stock Voilà asks it to check every one at every visit. A file asked
    for without a version is still checked each time."""

    def set_headers(self) -> None:
        super().set_headers()
        if self.get_query_argument("v", None):
            self.set_header("Cache-Control", KEPT_A_YEAR)


class ChartsScriptHandler(CompressedStatic, tornado.web.StaticFileHandler):
    """plotly.js (its route names it alone), compressed once; kept for a year when asked for
    by the installed plotly's version."""

    def set_extra_headers(self, path: str) -> None:
        versioned = self.get_query_argument("v", None) == script_version()
        self.set_header("Cache-Control", KEPT_A_YEAR if versioned else CHECKED)


class CompressedVoilaStaticHandler(CompressedStatic, MultiStaticFileHandler):
    """Voilà's own scripts, compressed once (`workbook.serving.compressed`)."""


class SafeTemplateStaticFileHandler(CompressedStatic, TemplateStaticFileHandler):
    """The template's static files; a path that does not resolve to one is a 404, not a 500."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or ".." in parts or not parts[-1]:
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)


class PageKernelHandler(KernelHandler):
    """A page's kernel, as the page asks for it: each ask is its heartbeat, and asks the
    kernel itself whether it still answers. One that has stopped answering is ended as dead,
    and the page is told it is gone (404)."""

    async def get(self, kernel_id):
        manager = self.kernel_manager
        if isinstance(manager, WorkbookKernelManager):
            manager.page_heard(kernel_id)
            if not manager.kernel_answers(kernel_id):
                await manager.end_unanswering(kernel_id)
                raise tornado.web.HTTPError(404)
        return await super().get(kernel_id)


class PageHandler(TornadoVoilaHandler):
    """The dashboard page: a kernel for it from the pool, or the "busy" page when all are taken
    or its client address holds as many as one address may."""

    async def get(self, path=None):
        manager = self.kernel_manager
        address = client_address(self.request, self.settings.get("workbook_proxies", ()))
        if isinstance(manager, WorkbookKernelManager):
            if manager.address_is_full(address):
                self.log.warning("workbook: page refused: %s holds %d places, the most one address may",
                                 address, manager.places_held_by(address))
                # 429, not 503: nginx passes it on, and does not take the worker for full.
                return self.busy(manager, logged=True, status=429)
            if not manager.make_room_for_a_page():
                return self.busy(manager)
        # The browser's secret, if this server issued it: the kernel this page gets is bound
        # to it (workbook.serving.guard).
        secret = issued_secret(self) or new_secret()
        issue_secret(self, secret)
        rendering, rendering_address = rendering_for.set(secret), rendering_from.set(address)
        try:
            with manager.page_for(address) if isinstance(manager, WorkbookKernelManager) else nullcontext():
                await super().get(path)
        except WorkbookFull:
            if self._headers_written:
                raise
            self.busy(manager)
        finally:
            rendering_for.reset(rendering)
            rendering_from.reset(rendering_address)

    def head(self, path=None) -> None:
        """A monitor's look at the page: its headers, and no kernel."""
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish()

    def busy(self, manager: WorkbookKernelManager, *, logged: bool = False, status: int = 503) -> None:
        if not logged:
            self.log.warning("workbook: page refused, the workbook is busy (%d of %d places in use)",
                             manager.places_in_use, manager.max_kernels)
        self.clear()
        self.set_status(status)
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
