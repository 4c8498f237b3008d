"""Production settings for serving the dashboard with Voilà.

All serving settings live here, each with its default and the reason for it. `voila_command`
turns them into the Voilà command line; `workbook serve` runs it.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from workbook.serving.capacity import default_max_patients
from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
from workbook.content import load_content
from workbook.content.loader import DATA_DIR_VARIABLE
from workbook.serving.proxy_site import route_tag

PROJECT_DIR = Path(__file__).resolve().parents[2]
DASHBOARD = PROJECT_DIR / "notebooks" / "workbook.ipynb"
# JUPYTER_PATH entry that holds voila/templates/workbook (the page template and its CSS).
TEMPLATE_ROOT = Path(__file__).resolve().parents[1] / "ui" / "share"
TEMPLATE = "workbook"
# The cookie secret (hex) that workers behind one nginx share, in their environment only.
COOKIE_SECRET_VARIABLE = "WORKBOOK_COOKIE_SECRET"

@dataclass(frozen=True, slots=True)
class ServeSettings:
    """How the dashboard is served.

    Args:
        host: the address to listen on; 127.0.0.1 keeps it on this machine. Use the machine's
            address (or 0.0.0.0) to serve tablets on the clinic network.
        port: the port to listen on.
        pool_size: kernels started ahead of time, so a new patient's page is ready at once.
            Each one holds about 90 MB while it waits, and takes one of the places.
        cull_after: seconds a page's kernel waits for its page, counted from the moment the
            page's last connection closed, before it is shut down (a tablet that sleeps
            comes back to its answers within this time). Closing the page shuts its kernel at
            once. None: the clinic's idle time (`idle_reset_minutes`).
        server_names: the names tablets use to reach the server (as in its address); a
            request for any other name, except an IP address or localhost, is refused.
        max_patients: most kernels at once, of open pages and of the pool together; past it
            a new page gets the "busy" page. None: what this machine's memory allows.
        places_per_address: most pages' kernels one client address may hold at once; past it
            that address gets the "busy" page and others do not, so one device cannot take
            every place. None: half of `max_patients`. Where every tablet reaches the server
            through one address (a NAT), set it to `max_patients`.
        claim_seconds: seconds a kernel handed to a page waits for the page to open its
            channel; a client that never runs the page's script (a monitor, a link preview, a
            loop of plain requests) then gives its place back.
        proxy_addresses: the nginx machines in front of this server (`workbook proxy-config`),
            whose forwarded client address is believed; nginx on this machine always is.
        data_dir: the content folder; None for the project's `data/`.
        notebook: the dashboard notebook.
    """

    host: str = "127.0.0.1"
    port: int = 8866
    pool_size: int = 2
    cull_after: int | None = None
    max_patients: int | None = None
    places_per_address: int | None = None
    claim_seconds: int = 30
    server_names: tuple[str, ...] = ()
    proxy_addresses: tuple[str, ...] = ()
    data_dir: Path | None = None
    notebook: Path = DASHBOARD


def voila_command(settings: ServeSettings, *, idle_minutes: float | None = None) -> list[str]:
    """The command line that serves the dashboard with the given settings.

    The fixed hardening (no sources, no tracebacks, no files, security headers, preheating)
    is in `workbook.serving.app.production_config`; these are the settings that vary.

    Args:
        settings: how to serve.
        idle_minutes: the clinic's idle time, the default wait for a page that has gone;
            None reads it from the content.
    """
    if idle_minutes is None and settings.cull_after is None:
        idle_minutes = load_content(settings.data_dir).clinic.idle_reset_minutes
    cull_after = settings.cull_after if settings.cull_after is not None else round(idle_minutes * 60)
    max_patients = settings.max_patients if settings.max_patients is not None else default_max_patients()
    per_address = settings.places_per_address or default_places_per_address(max_patients)
    return [
        sys.executable,
        "-m",
        "workbook.serving.app",
        str(settings.notebook),
        "--no-browser",
        f"--Voila.ip={settings.host}",
        f"--port={settings.port}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        f"--VoilaConfiguration.default_pool_size={settings.pool_size}",
        f"--MappingKernelManager.cull_idle_timeout={cull_after}",
        f"--WorkbookKernelManager.max_kernels={max_patients}",
        f"--WorkbookKernelManager.places_per_address={per_address}",
        f"--WorkbookKernelManager.claim_seconds={settings.claim_seconds}",
        f"--WorkbookKernelManager.route_tag={route_tag(settings.host, settings.port)}",
        *(f"--WorkbookVoila.server_names={name}" for name in settings.server_names),
        *(f"--WorkbookVoila.proxy_addresses={address}" for address in settings.proxy_addresses),
    ]


def default_places_per_address(max_patients: int) -> int:
    """Half the places (at least one): one device can never take them all."""
    return max(1, math.ceil(max_patients / 2))


def voila_environment(settings: ServeSettings) -> dict[str, str]:
    """The environment for Voilà and its kernels: the template path and the content folder."""
    env = dict(os.environ)
    paths = [str(TEMPLATE_ROOT), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    if settings.data_dir is not None:
        env[DATA_DIR_VARIABLE] = str(Path(settings.data_dir).resolve())
    # The kernels draw charts for the page's own script, not for plotly's lab extension,
    # which the served page does without (`workbook.page.charts_script`).
    env[PAGE_CHARTS_VARIABLE] = "1"
    return env
