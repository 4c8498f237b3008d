"""The plotly.js the served page draws its charts with, and how the page asks for it.

plotly's lab extension brings plotly.js into the page at start, all 4.8 MB of it, although
the first chart is on step 4. The served page draws its charts itself instead (workbook.js,
note [8]): it fetches the plotly.js that the plotly package ships, from this server, on the
step before the first chart, and keeps it for a year (it is asked for by its version).
The kernel learns from its environment that the page draws its charts (`PAGE_CHARTS_VARIABLE`);
anywhere else (JupyterLab, nbval) a chart stays plotly's own output.
"""

from __future__ import annotations

from importlib.metadata import version
from importlib.util import find_spec
import re
from pathlib import Path

import tornado.web
from jupyter_server.utils import url_path_join

from workbook.compressed import CompressedStatic

# Set (to "1") for the served dashboard's kernels, by `workbook.serve`.
PAGE_CHARTS_VARIABLE = "WORKBOOK_PAGE_CHARTS"
# The lab extensions the served page does without (`extension_denylist`).
UNUSED_EXTENSIONS = ("jupyterlab-plotly", "jupyterlab_pygments")
SCRIPT_NAME = "plotly.min.js"
ROUTE = "workbook/charts/"


def script_folder() -> Path:
    """Where the plotly package keeps its plotly.js (found without importing plotly)."""
    spec = find_spec("plotly")
    if spec is None or spec.origin is None:
        raise RuntimeError("plotly is not installed")
    return Path(spec.origin).parent / "package_data"


def script_version() -> str:
    return version("plotly")


def route_pattern(server_url: str) -> str:
    return url_path_join(server_url, ROUTE) + f"({re.escape(SCRIPT_NAME)})"


def page_charts_config(base_url: str) -> dict:
    """What the page's script needs to fetch plotly.js."""
    return {"script": f"{base_url}{ROUTE}{SCRIPT_NAME}?v={script_version()}"}


class ChartsScriptHandler(CompressedStatic, tornado.web.StaticFileHandler):
    """plotly.js (its route names it alone), compressed once; kept for a year when asked for
    by the installed plotly's version."""

    def set_extra_headers(self, path: str) -> None:
        if self.get_query_argument("v", None) == script_version():
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
