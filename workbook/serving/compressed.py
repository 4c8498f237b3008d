"""Static files sent gzip-compressed, each compressed once per server process.

Tornado's `compress_response` compresses every response as it goes out: right for the page
and the kernel API, but it would compress plotly.js's 4.8 MB again for every tablet, holding
the server (and every patient on it) for a quarter of a second each time. Static files are
compressed once instead, kept in memory by path, time and size, and sent as they are.
"""

from __future__ import annotations

import functools
import gzip
import os
from collections.abc import Callable
from typing import Any, ClassVar

# Compressed once and kept, so the best compression costs nothing after the first request.
GZIP_LEVEL = 9
# Smaller files gain too little to be worth it (tornado's own threshold).
MIN_BYTES = 1024
COMPRESSIBLE = ("application/javascript", "application/json", "image/svg+xml", "application/xml")


class _ClassOrInstance:
    """A method tornado calls on the class (to hash a file for its ETag) and on the handler
    (to send the body): it gets both, the handler being None in the first case."""

    def __init__(self, method: Callable[..., Any]) -> None:
        self.method = method

    def __get__(self, handler: Any, owner: type) -> Callable[..., Any]:
        return functools.partial(self.method, handler, owner)


def compressible(content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip()
    return kind.startswith("text/") or kind in COMPRESSIBLE


class CompressedStatic:
    """A mixin for tornado static file handlers: the whole file, gzip-compressed from memory,
    to a browser that accepts it (a byte range is always sent as it is on disk)."""

    _compressed: ClassVar[dict[tuple[str, int, int], bytes]] = {}
    _gzip: bytes | None = None

    def set_headers(self) -> None:
        super().set_headers()  # type: ignore[misc]
        self._gzip = self._gzipped() if self._gzip_wanted() else None
        if self._gzip is not None:
            # Tornado's own compression sees this and leaves the body alone; it adds the
            # "Vary: Accept-Encoding" itself.
            self.set_header("Content-Encoding", "gzip")  # type: ignore[attr-defined]

    def get_content_size(self) -> int:
        return len(self._gzip) if self._gzip is not None else super().get_content_size()  # type: ignore[misc]

    @_ClassOrInstance
    def get_content(handler: Any, owner: type, abspath: str, start: int | None = None, end: int | None = None) -> Any:
        if handler is not None and handler._gzip is not None:
            return handler._gzip
        return super(CompressedStatic, owner).get_content(abspath, start, end)  # type: ignore[misc]

    def _gzip_wanted(self) -> bool:
        headers = self.request.headers  # type: ignore[attr-defined]
        return ("gzip" in headers.get("Accept-Encoding", "") and "Range" not in headers
                and compressible(self.get_content_type()))  # type: ignore[attr-defined]

    def _gzipped(self) -> bytes | None:
        path: str = self.absolute_path  # type: ignore[attr-defined]
        stat = os.stat(path)
        if stat.st_size < MIN_BYTES:
            return None
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._compressed:
            with open(path, "rb") as file:
                self._compressed[key] = gzip.compress(file.read(), GZIP_LEVEL, mtime=0)
        return self._compressed[key]
