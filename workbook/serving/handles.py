"""Connections and file handles: one device cannot use up the server's handles.

Every open socket takes one of the process's file handles; with none left, tornado can accept
nothing, every page stops loading, and it logs a traceback at each try. So:

- **The open-file limit** is raised to the most the system allows (its hard limit) at start.
- **A header timeout.** A connection that has not sent a whole request's headers within
  `header_seconds`, or that sits idle between requests that long, is closed. (A page's kernel
  channel, once open, is a websocket and not affected.)
- **A handle reserve.** A new connection that would leave fewer than the handles kept back
  for the kernels' channels is closed at once, without a word to the client; the log says so
  once, and again once it has recovered.
"""

from __future__ import annotations

import logging
import resource

from tornado.httpserver import HTTPServer

# Handles kept back for what is not a client's connection: the log, the pool, and for each
# patient its kernel's zmq channels (several sockets each, more while its page is connected).
HANDLES_KEPT_BASE = 64
HANDLES_KEPT_PER_PATIENT = 32

log = logging.getLogger("WorkbookVoila")


def raise_open_file_limit() -> tuple[int, int]:
    """Raise this process's open-file limit to its hard limit; returns (before, after)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft, soft
    return soft, target


def most_connection_handles(limit: int, patients: int) -> int:
    """The highest handle number a client connection may take, keeping the rest for kernels."""
    kept = HANDLES_KEPT_BASE + HANDLES_KEPT_PER_PATIENT * max(patients, 1)
    return max(limit - kept, limit // 2)


class HandleKeepingHTTPServer(HTTPServer):
    """Tornado's HTTP server, closing at once a connection that would eat into the handles
    kept back (`workbook.serving.app.WorkbookVoila.listen` makes it the server's class)."""

    def initialize(self, *args, most_handle: int = 0, **kwargs) -> None:
        super().initialize(*args, **kwargs)
        self.most_handle = most_handle
        self.refusing = False

    def handle_stream(self, stream, address) -> None:
        handle = stream.socket.fileno()
        if self.most_handle and handle > self.most_handle:
            if not self.refusing:
                self.refusing = True
                log.warning("workbook: new connections closed at once: file handles up to %d are in "
                            "use, the rest are kept for the kernels", handle)
            stream.close()
            return
        if self.refusing:
            self.refusing = False
            log.info("workbook: new connections accepted again")
        super().handle_stream(stream, address)
