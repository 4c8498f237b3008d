"""What goes over the wire: text is gzip-compressed when the browser asks for it."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from workbook.page.theme import theme_version

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


def test_the_charts_script_is_compressed_kept_by_its_version_and_alone(server):
    from workbook.page.charts_script import page_charts_config

    url = server.url.rstrip("/") + page_charts_config("/")["script"]
    headers, packed = fetch(url, gzip_ok=True)
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert b"window.Plotly" in gzip.decompress(packed)
    unversioned, _ = fetch(url.split("?")[0], gzip_ok=True)
    assert unversioned["Cache-Control"] == "no-cache"
    for other in ("workbook/charts/widgetbundle.js", "workbook/charts/templates/plotly.json",
                  "workbook/charts/../__init__.py", "workbook/charts/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(server.url.rstrip("/") + "/" + other, gzip_ok=True)
        assert refused.value.code == 404, other


def labextension_file() -> str:
    """A script of the widgets' lab extension, as the page names it: by its hash."""
    from voila.utils import get_voila_labextensions_path

    for root in map(Path, get_voila_labextensions_path()):
        for script in sorted((root / "@jupyter-widgets" / "jupyterlab-manager" / "static").glob("*.*.js")):
            return f"voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/{script.name}"
    raise AssertionError("no widgets lab extension installed")


def test_versioned_extension_scripts_are_kept_and_others_checked(server):
    path = labextension_file()
    url = server.url.rstrip("/") + "/" + path
    versioned, _ = fetch(f"{url}?v={path.split('.')[-2]}", gzip_ok=True)
    assert versioned["Cache-Control"] == "public, max-age=31536000, immutable"
    plain, _ = fetch(url, gzip_ok=True)
    assert plain["Cache-Control"] == "no-cache"
