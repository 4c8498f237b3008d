"""Voilà with only the routes the dashboard page needs; every other path answers 404.

Stock Voilà serving one notebook sends any unknown path to `/voila/files/<path>` with a
redirect, serves `/login` and `/logout` (the latter fails with a 500), and answers a
path-traversal attempt under `/voila/templates/` with a 500. Here the page, its scripts,
styles, widget extensions and its own kernel's channels are routed; nothing else is. The
kernel channel sends small messages without delay, and a kernel taken from the preheated
pool is not culled before its page connects.
"""

from __future__ import annotations

from datetime import datetime, timezone

import tornado.web
from traitlets.config import Config
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

# Routes of stock Voilà that the dashboard page does not need.
DROPPED_ROUTES = ("/voila/files/(.*)", "/login", "/logout")


class NotFoundHandler(tornado.web.RequestHandler):
    """Answers 404 for every method, without a body that says anything about the server."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class SafeTemplateStaticFileHandler(TemplateStaticFileHandler):
    """The template's static files; a path that does not resolve to one is a 404, not a 500."""

    def parse_url_path(self, url_path: str) -> str:
        parts = url_path.split("/")
        if len(parts) < 3 or parts[1] != "static" or ".." in parts:
            raise tornado.web.HTTPError(404)
        return super().parse_url_path(url_path)


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


def count_handed_out_kernels_as_active(manager) -> None:
    """A preheated kernel counts as active from the moment a page takes it from the pool.

    Voilà keeps its pooled kernels from being culled, but once one is handed to a page, its
    last activity is still the time it was preheated. When the pool had waited longer than
    the cull time (a quiet hour in clinic), the culler could shut the kernel down in the
    seconds before the page connected to it, and the page never became ready ("Kernel does
    not exist"): 2 of 10 pages opened at once after a quiet spell, in `make bench`.

    Args:
        manager: Voilà's kernel manager, with preheating on.
    """
    take = manager.get_rendered_notebook

    async def get_rendered_notebook(*args, **kwargs):
        render_task, rendered_cache, kernel_id = await take(*args, **kwargs)
        if kernel_id in manager:  # one that has died is Voilà's to handle, as before
            manager.get_kernel(kernel_id).last_activity = datetime.now(timezone.utc)
        return render_task, rendered_cache, kernel_id

    manager.get_rendered_notebook = get_rendered_notebook


class WorkbookVoila(Voila):
    """Voilà serving one dashboard notebook and nothing else."""

    def init_settings(self) -> dict:
        settings = super().init_settings()
        if self.voila_configuration.preheat_kernel:
            count_handed_out_kernels_as_active(self.kernel_manager)
        return settings

    def init_handlers(self) -> list:
        handlers = []
        for handler in super().init_handlers():
            pattern, handler_class, *rest = handler
            if pattern.endswith(DROPPED_ROUTES):
                continue
            if handler_class is VoilaKernelWebsocketHandler:
                handler = (pattern, NoDelayKernelWebsocketHandler, *rest)
            elif handler_class is TemplateStaticFileHandler:
                handler = (pattern, SafeTemplateStaticFileHandler, *rest)
            elif pattern.endswith("/(.*)") and handler_class.__name__ == "TornadoVoilaHandler":
                # The dashboard lives at the root only; stock Voilà redirects any other path.
                handler = (pattern[: -len("(.*)")] + "()", handler_class, *rest)
            handlers.append(handler)
        handlers.append((r".*", NotFoundHandler))
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
    """The fixed hardening every served page gets; `workbook.serve` adds the settings."""
    config = Config()
    config.Voila.tornado_settings = {"headers": {"Content-Security-Policy": CONTENT_SECURITY_POLICY}}
    # Patients never see source code or tracebacks; the template shows a plain error card.
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.show_tracebacks = False
    # The page needs no file from the notebook folder.
    config.VoilaConfiguration.file_allowlist = []
    config.VoilaConfiguration.preheat_kernel = True
    # A kernel whose page has gone is culled (the timeout is a setting); a connected one never.
    config.MappingKernelManager.cull_connected = False
    config.MappingKernelManager.cull_interval = 5
    return config


def main() -> None:
    """Serve with the production config; command-line settings are applied on top."""
    WorkbookVoila.launch_instance(config=production_config())


if __name__ == "__main__":
    main()
