"""What goes over the wire: text is gzip-compressed when the browser asks for it."""

from __future__ import annotations

import gzip
import urllib.request

import pytest

from workbook.theme import theme_version

PATHS = [
    "voila/static/voila.js",  # Voilà's own script
    f"voila/templates/workbook/static/workbook.css?v={theme_version()}",  # the theme, served by the workbook
    "voila/templates/workbook/static/workbook.js",  # the page's own script
]


def fetch(url: str, *, gzip_ok: bool) -> tuple[dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return dict(response.headers), response.read()


@pytest.mark.parametrize("path", PATHS)
def test_text_is_compressed_when_asked_and_plain_when_not(server, path):
    url = server.url.rstrip("/") + "/" + path
    headers, packed = fetch(url, gzip_ok=True)
    assert headers.get("Content-Encoding") == "gzip", headers
    plain_headers, plain = fetch(url, gzip_ok=False)
    assert "Content-Encoding" not in plain_headers
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 2  # scripts and styles shrink to well under half
