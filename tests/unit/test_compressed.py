"""Static files are gzip-compressed once per process, and sent whole from memory."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import tornado.web

from workbook.serving.compressed import CompressedStatic, compressible

SCRIPT = ("console.log('a line of a script that compresses well');\n" * 200).encode()


class Handler(CompressedStatic, tornado.web.StaticFileHandler):
    pass


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, Path]]:
    """A tornado server on its own thread and event loop, serving tmp_path at /s/."""
    (tmp_path / "app.js").write_bytes(SCRIPT)
    (tmp_path / "tiny.js").write_bytes(b"x=1;")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/s/(.*)", Handler, {"path": str(tmp_path)})], compress_response=True)
        app.listen(port, address="127.0.0.1")
        loop.call_soon(started.set)
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started.wait(10)
    yield f"http://127.0.0.1:{port}/s/", tmp_path
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def fetch(url: str, **headers: str) -> tuple[dict, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return dict(response.headers), response.read()


def test_compressed_once_and_sent_whole(served):
    base, _ = served
    before = len(CompressedStatic._compressed)
    (headers, first), (_, second) = fetch(base + "app.js", **{"Accept-Encoding": "gzip"}), \
        fetch(base + "app.js", **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(first) == SCRIPT and second == first
    assert int(headers["Content-Length"]) == len(first) < len(SCRIPT) / 10  # sent whole, not as it goes
    assert len(CompressedStatic._compressed) == before + 1  # the second came from memory


def test_plain_when_not_asked_and_a_changed_file_is_compressed_again(served):
    base, folder = served
    headers, plain = fetch(base + "app.js")
    assert "Content-Encoding" not in headers and plain == SCRIPT
    changed = SCRIPT + b"// one more line\n"
    (folder / "app.js").write_bytes(changed)
    os.utime(folder / "app.js", ns=(1, 2_000_000_000_000_000_000))
    assert gzip.decompress(fetch(base + "app.js", **{"Accept-Encoding": "gzip"})[1]) == changed


def test_a_tiny_file_is_left_to_tornado(served):
    base, _ = served
    before = len(CompressedStatic._compressed)
    _, tiny = fetch(base + "tiny.js", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(tiny) == b"x=1;"  # tornado's own compression, as it goes
    assert len(CompressedStatic._compressed) == before


def test_what_is_compressible():
    assert compressible("text/javascript") and compressible("application/javascript; charset=utf-8")
    assert compressible("image/svg+xml") and not compressible("image/png") and not compressible(None)
