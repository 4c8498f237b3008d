"""Static files are gzip-compressed once per process, and sent whole from memory."""

from __future__ import annotations

import gzip
import os

import tornado.web
from tornado.testing import AsyncHTTPTestCase

from workbook.compressed import CompressedStatic, compressible

SCRIPT = ("console.log('a line of a script that compresses well');\n" * 200).encode()


class Handler(CompressedStatic, tornado.web.StaticFileHandler):
    pass


class CompressedStaticTest(AsyncHTTPTestCase):
    def get_app(self):
        self.folder = self.get_tmp_folder()
        (self.folder_path / "app.js").write_bytes(SCRIPT)
        (self.folder_path / "tiny.js").write_bytes(b"x=1;")
        return tornado.web.Application([(r"/s/(.*)", Handler, {"path": str(self.folder)})], compress_response=True)

    def get_tmp_folder(self):
        import tempfile
        from pathlib import Path

        folder = tempfile.mkdtemp()
        self.folder_path = Path(folder)
        return folder

    def fetch_gzip(self, path, **headers):
        return self.fetch(path, headers={"Accept-Encoding": "gzip", **headers}, decompress_response=False)

    def test_compressed_once_and_sent_whole(self):
        before = len(CompressedStatic._compressed)
        first, second = self.fetch_gzip("/s/app.js"), self.fetch_gzip("/s/app.js")
        assert first.headers["Content-Encoding"] == "gzip" and first.headers["Vary"] == "Accept-Encoding"
        assert gzip.decompress(first.body) == SCRIPT and second.body == first.body
        assert int(first.headers["Content-Length"]) == len(first.body) < len(SCRIPT) / 10
        assert len(CompressedStatic._compressed) == before + 1  # the second came from memory

    def test_plain_when_not_asked_and_a_changed_file_is_compressed_again(self):
        plain = self.fetch("/s/app.js", decompress_response=False)
        assert "Content-Encoding" not in plain.headers and plain.body == SCRIPT
        changed = SCRIPT + b"// one more line\n"
        (self.folder_path / "app.js").write_bytes(changed)
        os.utime(self.folder_path / "app.js", ns=(1, 2_000_000_000_000_000_000))
        assert gzip.decompress(self.fetch_gzip("/s/app.js").body) == changed

    def test_a_tiny_file_is_left_to_tornado(self):
        before = len(CompressedStatic._compressed)
        tiny = self.fetch_gzip("/s/tiny.js")
        assert gzip.decompress(tiny.body) == b"x=1;"  # tornado's own compression, as it goes
        assert len(CompressedStatic._compressed) == before


def test_what_is_compressible():
    assert compressible("text/javascript") and compressible("application/javascript; charset=utf-8")
    assert compressible("image/svg+xml") and not compressible("image/png") and not compressible(None)
