"""The plotly.js the served page draws its charts with, and how the page asks for it.

plotly's lab extension brings plotly.js into the page at start, all 4.8 MB of it, although
the first chart is on step 4. The served page draws its charts itself instead (workbook.js,
note [8]): it fetches the plotly.js that the plotly package ships, from this server, on the
step before the first chart, and keeps it for a year (it is asked for by its version).
The kernel learns from its environment that the page draws its charts (`PAGE_CHARTS_VARIABLE`);
anywhere else (JupyterLab, nbval) a chart stays plotly's own output. The kernel reads this
module too, so it imports nothing of the server (its handler is in `workbook.serving.app`).
"""

from __future__ import annotations

import functools
import re
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

# Set (to "1") for the served dashboard's kernels, by `workbook.serving.settings`.
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


@functools.cache
def script_version() -> str:
    """The installed plotly's version, read once (every page and every request asks)."""
    return version("plotly")


def route_pattern(server_url: str) -> str:
    return server_url.rstrip("/") + "/" + ROUTE + f"({re.escape(SCRIPT_NAME)})"


def page_charts_config(base_url: str) -> dict:
    """What the page's script needs to fetch plotly.js."""
    return {"script": f"{base_url}{ROUTE}{SCRIPT_NAME}?v={script_version()}"}
