"""Production settings for serving the dashboard with Voilà.

Every serving setting is defined here once, as a `Setting`: its name, type, default, help and
check, and the Voilà trait it sets. The rest is made from these definitions: the options of
`workbook serve` (`workbook.cli.serve`), the `ServeSettings` fields and their checks, the Voilà
command line (`voila_command`), the help of the workbook's own traits
(`workbook.serving.kernels`, `workbook.serving.app`), and the README's table of serving settings
(`settings_table`, checked by a test).
"""

from __future__ import annotations

import math
import os
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from types import UnionType

from workbook.serving.capacity import MEMORY_PER_PATIENT, MOST_PATIENTS, default_max_patients
from workbook.page.charts_script import PAGE_CHARTS_VARIABLE
from workbook.content import load_content
from workbook.content.loader import DATA_DIR_VARIABLE
from workbook.serving.proxy_site import route_tag
from workbook.serving.setting import Setting, positive, setting

PROJECT_DIR = Path(__file__).resolve().parents[2]
DASHBOARD = PROJECT_DIR / "notebooks" / "workbook.ipynb"
# JUPYTER_PATH entry that holds voila/templates/workbook (the page template and its CSS).
TEMPLATE_ROOT = Path(__file__).resolve().parents[1] / "ui" / "share"
TEMPLATE = "workbook"
# The cookie secret (hex) that workers behind one nginx share, in their environment only.
COOKIE_SECRET_VARIABLE = "WORKBOOK_COOKIE_SECRET"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """How the dashboard is served: one field for each setting, defined by its `Setting`
    (`SETTINGS[name]`). A value its setting's check refuses raises ValueError."""

    host: str = setting(
        "127.0.0.1", voila="Voila.ip",
        help="the address to listen on; 127.0.0.1 keeps it on this machine: use the machine's "
        "address (or 0.0.0.0) to serve tablets on the clinic network",
    )
    port: int = setting(8866, voila="port", help="the port to listen on")
    pool_size: int = setting(
        2, voila="VoilaConfiguration.default_pool_size",
        help="kernels started ahead of time, so that a new patient's page is ready at once; each "
        "holds about 90 MB while it waits, and takes one of the places",
    )
    cull_after: int | None = setting(
        check=positive, voila="MappingKernelManager.cull_idle_timeout", metavar="SECONDS",
        default_help="the clinic's idle_reset_minutes",
        help="seconds a page's kernel waits for its page, counted from the moment the page's "
        "last connection closed, before it is ended (a tablet that sleeps comes back to its "
        "answers within this time); closing the page ends its kernel at once",
    )
    max_patients: int | None = setting(
        check=positive, voila="WorkbookKernelManager.max_kernels", metavar="N",
        default_now=default_max_patients,
        default_help=f"what this machine's memory allows at {MEMORY_PER_PATIENT // 1024**2} MB a patient, "
        f"at most {MOST_PATIENTS}",
        off="0: no limit",
        help="most patients at once, of open pages and of the preheated pool together; past it "
        "a new page is told the workbook is busy",
    )
    places_per_address: int | None = setting(
        check=positive, voila="WorkbookKernelManager.places_per_address", metavar="N",
        default_help="half of --max-patients", off="0: no limit",
        help="most patients' pages one client address may hold at once; past it that address is "
        "told the workbook is busy and others are not, so that one device cannot take every "
        "place. Where every tablet reaches the server through one address (a NAT), make it the "
        "most patients at once",
    )
    claim_seconds: int = setting(
        30, check=positive, voila="WorkbookKernelManager.claim_seconds", metavar="SECONDS",
        off="0: it waits for the cull time",
        help="seconds a kernel handed to a page waits for the page to open its channel; a client "
        "that never runs the page's script (a monitor, a link preview, a loop of plain requests) "
        "then gives its place back: the kernel is ended and its place freed",
    )
    server_names: tuple[str, ...] = setting(
        (), voila="WorkbookVoila.server_names", option_name="server_name", metavar="NAME",
        help="names tablets use to reach this server (as in its address); a request for any "
        "other name, except an IP address or localhost, is refused",
    )
    proxy_addresses: tuple[str, ...] = setting(
        (), voila="WorkbookVoila.proxy_addresses", option_name="proxy_address", metavar="ADDRESS",
        help="addresses of the nginx machines in front of this one (workbook proxy-config), "
        "whose forwarded client address (X-Real-IP) is believed; nginx on this machine always is",
    )
    data_dir: Path | None = setting(default_help="data/", help="the content folder")
    notebook: Path = setting(DASHBOARD, option=False, help="the dashboard notebook")

    def __post_init__(self) -> None:
        for each in fields(self):
            problem = SETTINGS[each.name].problem(getattr(self, each.name))
            if problem:
                raise ValueError(f"{each.name}: {problem}")


def _read_as(hint: object) -> tuple[Callable[[str], object], bool]:
    """How a field's value is read from one command-line value, and whether it takes several."""
    if isinstance(hint, UnionType):  # X | None: the setting is worked out when not given
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is tuple:
        return typing.get_args(hint)[0], True
    return hint, False


def _field_settings() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(ServeSettings)
    made = []
    for each in fields(ServeSettings):
        read, repeatable = _read_as(hints[each.name])
        made.append(Setting(name=each.name, default=each.default, type=read, repeatable=repeatable,
                            **each.metadata["setting"]))
    return tuple(made)


# Settings that are not fields of ServeSettings: an option `workbook serve` itself acts on, and
# traits that no option sets (their default is the trait's).
OTHER_SETTINGS = (
    Setting(
        "workers", type=int, default=1, check=positive, metavar="N",
        default_help="one process, no nginx unless there is a certificate",
        help="Voilà processes on this machine, behind nginx on --host/--port",
    ),
    Setting(
        "answer_seconds", type=int, default=8, option=False, voila="WorkbookKernelManager.answer_seconds",
        off="0: not asked",
        help="seconds a page's kernel has to answer its page's heartbeat (a kernel_info_request on "
        "its control channel); one that does not (stopped, frozen) is ended as dead, and its page "
        "shows that it has ended",
    ),
    Setting(
        "header_seconds", type=float, default=10, option=False, voila="WorkbookVoila.header_seconds",
        help="seconds a connection may take to send a request's headers, and may stay idle between "
        "requests, before it is closed (a page's open kernel channel is not affected)",
    ),
)

# Every serving setting by name: ServeSettings' fields in their order, then the others.
SETTINGS: dict[str, Setting] = {each.name: each for each in (*_field_settings(), *OTHER_SETTINGS)}
ServeSettings.__doc__ += "\n\n    Args:\n" + "".join(
    f"        {each.name}: {each.help}.\n" for each in SETTINGS.values() if hasattr(ServeSettings, each.name)
)


def voila_command(settings: ServeSettings, *, idle_minutes: float | None = None) -> list[str]:
    """The command line that serves the dashboard with the given settings.

    The fixed hardening (no sources, no tracebacks, no files, security headers, preheating)
    is in `workbook.serving.app.production_config`; these are the settings that vary, each
    passed to Voilà as its `Setting.voila` says.

    Args:
        settings: how to serve.
        idle_minutes: the clinic's idle time, the default wait for a page that has gone;
            None reads it from the content.
    """
    if idle_minutes is None and settings.cull_after is None:
        idle_minutes = load_content(settings.data_dir).clinic.idle_reset_minutes
    values = {each.name: getattr(settings, each.name) for each in fields(settings)}
    if settings.cull_after is None:
        values["cull_after"] = round(idle_minutes * 60)
    if settings.max_patients is None:
        values["max_patients"] = default_max_patients()
    if settings.places_per_address is None:
        values["places_per_address"] = default_places_per_address(values["max_patients"])
    return [
        sys.executable,
        "-m",
        "workbook.serving.app",
        str(settings.notebook),
        "--no-browser",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        *(argument for name, value in values.items() for argument in SETTINGS[name].voila_arguments(value)),
        f"--WorkbookKernelManager.route_tag={route_tag(settings.host, settings.port)}",
    ]


def default_places_per_address(max_patients: int) -> int:
    """Half the places (at least one): one device can never take them all."""
    return max(1, math.ceil(max_patients / 2))


def settings_table() -> str:
    """The README's table of serving settings (Markdown): each option of `workbook serve`,
    then each setting no option changes, with its default, what it sets in Voilà, and its help."""
    rows = ["| option | default | sets in Voilà | what it does |", "|---|---|---|---|"]
    for each in sorted(SETTINGS.values(), key=lambda each: not each.option):
        if not each.option and each.voila is None:
            continue  # not a setting anyone gives (the dashboard notebook)
        option = f"`{each.flag}`" if each.option else "none"
        default = (each.default_words if each.option else str(each.default)) or "none"
        sets = f"`{each.voila}`" if each.voila else "—"
        if not each.option:  # the trait's own default, so what 0 means there
            what = each.trait_help
        else:
            what = f"{each.sentence[:-1]} (repeatable)." if each.repeatable else each.sentence
        rows.append(f"| {option} | {default} | {sets} | {what} |")
    return "\n".join(rows) + "\n"


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
