"""Voilà with only the routes the dashboard page needs; every other path answers 404.

Stock Voilà serving one notebook sends any unknown path to `/voila/files/<path>` with a
redirect, serves `/login` and `/logout` (the latter fails with a 500), and answers a
path-traversal attempt under `/voila/templates/` with a 500. Here the page, its scripts,
styles, widget extensions and its own kernel's channels are routed; nothing else is. The
kernel channel sends small messages without delay and tells the kernel manager when its page
goes; a page past the limit on patients gets the workbook's own "busy" page (503). The
kernels themselves are `workbook.serving.kernels.WorkbookKernelManager`'s.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.utils import url_path_join
from tornado.httpserver import HTTPServer
from traitlets import Float, List, Unicode, default
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import MultiStaticFileHandler, TemplateStaticFileHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.content import load_content
from workbook.page.charts_script import UNUSED_EXTENSIONS, page_charts_config, route_pattern, script_folder
from workbook.page.theme import THEME_PATH, theme_version
from workbook.serving.channel import (
    MAX_MESSAGE_BYTES,
    NoDelayKernelWebsocketHandler,
    WorkbookKernelConnection,
)
from workbook.serving.guard import guarded
from workbook.serving.handlers import (
    ChartsScriptHandler,
    CompressedVoilaStaticHandler,
    KERNEL_ROUTES,
    NotFoundHandler,
    OUTPUT_WAIT_SECONDS,
    PageHandler,
    PageKernelHandler,
    SafeTemplateStaticFileHandler,
    ThemeHandler,
    VersionedExtensionHandler,
    page_session_config,
)
from workbook.serving.handles import HandleKeepingHTTPServer, most_connection_handles, raise_open_file_limit
from workbook.serving.kernels import WorkbookKernelManager
from workbook.serving.leftovers import connection_root, mark_as_ours, remove_left_behind
from workbook.serving.settings import COOKIE_SECRET_VARIABLE, SETTINGS, TEMPLATE
from workbook.serving.support import (
    DROPPED_HANDLERS,
    DROPPED_ROUTES,
    UnsupportedVoila,
    check_voila,
    is_labextensions_route,
    is_page_route,
)

class WorkbookVoila(Voila):
    """Voilà serving one dashboard notebook and nothing else."""

    server_names = SETTINGS["server_names"].trait(List, Unicode())
    header_seconds = SETTINGS["header_seconds"].trait(Float)
    proxy_addresses = SETTINGS["proxy_addresses"].trait(List, Unicode())

    @default("connection_dir_root")
    def _private_connection_root(self) -> str:
        # One root for every workbook server's connection files, so that one started after
        # another was killed outright removes what it left (workbook.serving.leftovers).
        return str(connection_root())

    @default("cookie_secret")
    def _shared_cookie_secret(self) -> bytes:
        # Workers behind one nginx sign their cookies alike, so a browser whose requests reach
        # two of them keeps one cookie (`workbook.serving.workers` sets it, in the environment only).
        shared = os.environ.get(COOKIE_SECRET_VARIABLE, "")
        return bytes.fromhex(shared) if shared else os.urandom(32)

    def init_settings(self) -> dict:
        # Voilà has just made this server's folder of connection files (none when the settings
        # are made without a server start).
        if self.connection_dir:
            mark_as_ours(Path(self.connection_dir))
        removed = remove_left_behind(Path(self.connection_dir_root))
        if removed:
            self.log.info("workbook: removed the connection files of %d server(s) stopped outright", len(removed))
        # The page's words and idle time go into every page's configuration; Voilà reads the
        # hook when it makes its kernel manager, so it is set first.
        content = load_content()
        session = page_session_config(content.page, idle_seconds=content.clinic.idle_reset_minutes * 60)

        def add_session(page_config: dict, **_kwargs) -> dict:
            # The page needs no version of Voilà (it shows "unknown" without one).
            kept = {key: value for key, value in page_config.items() if key != "appVersion"}
            charts = page_charts_config(page_config.get("baseUrl", "/"))
            return {**kept, "workbookSession": session, "workbookCharts": charts}

        self.voila_configuration.page_config_hook = add_session
        # The template's own words (loading, no JavaScript, could not start), which Voilà's
        # renderer reads from the configuration at every page.
        self.config.VoilaConfiguration.resources = {
            "workbook_text": content.text.loading.model_dump(), "workbook_theme": theme_version(),
        }
        settings = super().init_settings()
        # gzip every text response (pages, scripts, styles, JSON), so a first visit carries a
        # fraction of the bytes over a clinic's Wi-Fi. Tornado reads this when it makes the
        # application, before Voilà applies its `tornado_settings`, so it is set here.
        settings["compress_response"] = True
        settings["workbook_page_text"] = content.page
        settings["workbook_server_names"] = tuple(name.lower() for name in self.server_names)
        settings["workbook_proxies"] = tuple(self.proxy_addresses)
        manager = self.kernel_manager
        self.log.info(
            "workbook: serving up to %s patients (kernels of open pages and the pool), "
            "a pool of %s, a page's kernel waits %s s after its page goes",
            manager.max_kernels or "any number of", self.voila_configuration.default_pool_size,
            manager.cull_idle_timeout,
        )
        self.log.info(
            "workbook: a page's kernel waits %s for its page to connect; one client address "
            "holds at most %s places",
            f"{manager.claim_seconds} s" if manager.claim_seconds else "the cull time",
            manager.places_per_address or "any number of",
        )
        return settings

    def listen(self) -> None:
        # Tornado makes its HTTP server from the class configured for it (its Configurable):
        # here, one that keeps file handles back for the kernels (workbook.serving.handles).
        # Behind nginx, the browser's scheme and address come in X-Forwarded-* headers: the
        # secret cookie is marked Secure when the page came over HTTPS. A client that reaches
        # the server directly and sends these headers only changes its own cookie and the
        # address in the log (`workbook.serving.guard.client_address` does not believe it).
        before, limit = raise_open_file_limit()
        most = most_connection_handles(limit, self.kernel_manager.max_kernels)
        HTTPServer.configure(
            HandleKeepingHTTPServer, xheaders=True, idle_connection_timeout=self.header_seconds,
            most_handle=most,
        )
        self.log.info(
            "workbook: open-file limit %d (was %d), connections may use handles up to %d; a "
            "connection is closed after %g s without a whole request's headers",
            limit, before, most, self.header_seconds,
        )
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
        check_voila(stock, self.kernel_manager, self.voila_configuration, login=login,
                    template_paths=self.template_paths)
        handlers = []
        for handler in stock:
            pattern, handler_class, *rest = handler
            if pattern.endswith(DROPPED_ROUTES) or handler_class in DROPPED_HANDLERS:
                continue
            if handler_class is VoilaKernelWebsocketHandler:
                handler_class = NoDelayKernelWebsocketHandler
            elif handler_class is KernelHandler:
                handler_class = PageKernelHandler
            elif handler_class is TemplateStaticFileHandler:
                handler_class = SafeTemplateStaticFileHandler
            elif is_labextensions_route(handler):
                handler_class = VersionedExtensionHandler
            elif handler_class is MultiStaticFileHandler:
                handler_class = CompressedVoilaStaticHandler
            elif is_page_route(handler):
                # The dashboard lives at the root only; stock Voilà redirects any other path.
                pattern, handler_class = pattern[: -len("(.*)")] + "()", PageHandler
            owner_checked = issubclass(handler_class, (*KERNEL_ROUTES, NoDelayKernelWebsocketHandler))
            handlers.append((pattern, guarded(handler_class, owner_checked=owner_checked), *rest))
        # Before the template's static files, which would look for it on disk.
        theme = url_path_join(self.server_url, re.escape(f"/voila/templates/{TEMPLATE}/{THEME_PATH}"))
        handlers.insert(0, (theme, guarded(ThemeHandler)))
        handlers.append((route_pattern(self.server_url), guarded(ChartsScriptHandler), {"path": str(script_folder())}))
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
    """The fixed hardening every served page gets; `workbook.serving.settings` adds the settings.

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
    # Every message from a page is checked against its channel's protocol before Jupyter
    # Server parses it; no error output of a kernel reaches a page.
    config.Voila.kernel_websocket_connection_class = WorkbookKernelConnection
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
    # The page draws its charts itself, with plotly.js fetched on the step before the first
    # chart (`workbook.page.charts_script`); plotly's lab extension would fetch all 4.8 MB of it
    # before the first step. The code highlighter's styles style no code on this page.
    config.VoilaConfiguration.extension_denylist = list(UNUSED_EXTENSIONS)
    # Places for patients, reasons for endings, culling from the disconnect.
    config.VoilaConfiguration.multi_kernel_manager_class = WorkbookKernelManager
    # A kernel that dies is never restarted empty under its page: it is removed, and the
    # page shows that it has ended.
    config.KernelRestarter.restart_limit = 0
    # A kernel whose page has gone is culled (the timeout is a setting); a connected one never.
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_interval = 5
    # Running the notebook for a page, Voilà waits this long for a cell's output after the
    # kernel has answered; past it, the cell's output (the whole workbook) is dropped and the
    # page never becomes ready. nbclient's 4 s can pass on a machine busy starting several
    # kernels at once (the server's log said so while pages arrived every 1.5 s).
    config.VoilaExecutor.iopub_timeout = OUTPUT_WAIT_SECONDS
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
