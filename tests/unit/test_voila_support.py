"""The server refuses a Voilà whose routes or kernel pool are not the ones it changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.execution_request_handler import ExecutionRequestHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from workbook.serving.support import missing_pool_support
from workbook.serving.settings import DASHBOARD, TEMPLATE, TEMPLATE_ROOT
from workbook.serving.app import WorkbookVoila, production_config
from workbook.serving.support import UnsupportedVoila, check_voila, missing_route, missing_template_block

KERNEL = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
STOCK = [
    (f"/api/kernels/{KERNEL}", KernelHandler),
    (f"/api/kernels/{KERNEL}/channels", VoilaKernelWebsocketHandler),
    ("/voila/templates/(.*)", TemplateStaticFileHandler),
    ("/voila/api/shutdown/(.*)", VoilaShutdownKernelHandler),
    ("/login", object),
    ("/logout", object),
    (f"/voila/query/{KERNEL}", RequestInfoSocketHandler),
    (f"/voila/execution/{KERNEL}", ExecutionRequestHandler),
    ("/voila/files/(.*)", object, {"path": "."}),
    ("/voila/labextensions/(.*)", FileFindHandler, {"path": []}),
    ("/(.*)", TornadoVoilaHandler, {}),
]


def without(index: int) -> list:
    return STOCK[:index] + STOCK[index + 1:]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (0, "no KernelHandler route to guard"),
        (1, "no VoilaKernelWebsocketHandler route to replace"),
        (2, "no TemplateStaticFileHandler route to replace"),
        (3, "no VoilaShutdownKernelHandler route to guard"),
        (4, "no route '/login' to drop"),
        (5, "no route '/logout' to drop"),
        (6, "no RequestInfoSocketHandler route to drop"),
        (7, "no ExecutionRequestHandler route to drop"),
        (8, "no route '/voila/files/(.*)' to drop"),
        (9, "no FileFindHandler route '/voila/labextensions/(.*)' to replace"),
        (10, "no TornadoVoilaHandler route '/(.*)' to replace"),
    ],
)
def test_each_missing_route_is_named(index, message):
    assert missing_route(STOCK, preheat=True, progressive=True, login=True) is None
    assert missing_route(without(index), preheat=True, progressive=True, login=True) == message


def test_a_route_of_a_setting_that_is_off_is_not_expected():
    assert missing_route(without(7), preheat=True, progressive=False, login=True) is None
    assert missing_route(without(6), preheat=False, progressive=True, login=True) is None


def test_the_login_route_is_expected_only_with_a_login():
    assert missing_route(without(4), preheat=True, progressive=True, login=False) is None
    assert missing_route(without(5), preheat=True, progressive=True, login=False) == "no route '/logout' to drop"


def test_the_page_route_must_be_the_catch_all_one():
    moved = [*STOCK[:-1], ("/voila/render/(?P<path>.*)", TornadoVoilaHandler, {})]
    assert missing_route(moved, preheat=True, progressive=True, login=True) == (
        "no TornadoVoilaHandler route '/(.*)' to replace"
    )


class Pool:
    _pools: dict = {}
    kernel_pools_config: dict = {}
    notebook_path = "workbook.ipynb"

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        pass

    async def get_rendered_notebook(self, notebook_name):
        pass


@pytest.mark.parametrize("name", ["fill_if_needed", "get_rendered_notebook", "kernel_pools_config", "_pools", "notebook_path"])
def test_each_missing_pool_method_or_attribute_is_named(name):
    assert missing_pool_support(Pool()) is None
    lacking = type("Lacking", (Pool,), {name: property(lambda self: (_ for _ in ()).throw(AttributeError))})
    assert missing_pool_support(lacking()) == name


def test_a_refill_without_its_arguments_counts_as_missing():
    class Renamed(Pool):
        def fill_if_needed(self, wait=None, notebook_name=None):
            pass

    assert missing_pool_support(Renamed()) == "fill_if_needed(delay=...)"


def test_the_message_is_one_line_that_names_the_piece():
    configuration = SimpleNamespace(preheat_kernel=True, progressive_rendering=False)
    with pytest.raises(UnsupportedVoila) as caught:
        check_voila(without(8), Pool(), configuration, login=True)
    assert str(caught.value) == (
        "Voilà has no route '/voila/files/(.*)' to drop; this version of Voilà is not supported"
    )
    with pytest.raises(UnsupportedVoila, match="no kernel pool method or attribute '_pools'"):
        lacking = type("Lacking", (Pool,), {"_pools": property(lambda self: (_ for _ in ()).throw(AttributeError))})
        check_voila(STOCK, lacking(), configuration, login=True)
    check_voila(STOCK, Pool(), configuration, login=True)


@pytest.mark.parametrize("trait", ["page_config_hook", "extension_denylist"])
def test_each_missing_setting_is_named(trait, monkeypatch):
    from voila.configuration import VoilaConfiguration

    traits = {name: value for name, value in VoilaConfiguration.class_traits().items() if name != trait}
    monkeypatch.setattr(VoilaConfiguration, "class_traits", classmethod(lambda cls, **_: traits))
    configuration = SimpleNamespace(preheat_kernel=True, progressive_rendering=False)
    with pytest.raises(UnsupportedVoila, match=f"no VoilaConfiguration.{trait} "):
        check_voila(STOCK, Pool(), configuration, login=True)


def test_a_voila_without_the_kernel_connection_setting_is_refused(monkeypatch):
    from voila.app import Voila

    traits = {name: value for name, value in Voila.class_traits().items() if name != "kernel_websocket_connection_class"}
    monkeypatch.setattr(Voila, "class_traits", classmethod(lambda cls, **_: traits))
    configuration = SimpleNamespace(preheat_kernel=True, progressive_rendering=False)
    with pytest.raises(UnsupportedVoila, match="no Voila.kernel_websocket_connection_class "):
        check_voila(STOCK, Pool(), configuration, login=True)


def installed_voila(monkeypatch) -> tuple[list, dict]:
    """The installed Voilà's handlers as the workbook sets them up, with the template's resources."""
    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATE_ROOT))
    app = WorkbookVoila(config=production_config())
    app.initialize([str(DASHBOARD), f"--template={TEMPLATE}", "--VoilaConfiguration.default_pool_size=0"])
    try:
        app.init_settings()
        handlers = app.init_handlers()  # checks the installed Voilà's routes and kernel manager
        return handlers, app.voila_configuration.config.VoilaConfiguration.resources
    finally:
        app.clear_instance()


def test_the_installed_voila_is_supported(monkeypatch):
    handlers, _ = installed_voila(monkeypatch)
    assert len(handlers) > 5


def template_with_a_block_voila_lacks(tmp_path) -> Path:
    """A copy of the workbook's templates whose page fills a block no Voilà template has."""
    import shutil

    copy = tmp_path / "share"
    shutil.copytree(TEMPLATE_ROOT, copy)
    page = copy / "voila" / "templates" / TEMPLATE / "index.html.j2"
    page.write_text(page.read_text(encoding="utf-8") + "{% block no_such_block %}{% endblock %}\n", encoding="utf-8")
    return copy


# One of each kind of thing the workbook relies on, taken away from the installed Voilà,
# Jupyter Server or template before the server starts, and the line the server stops with.
LACKING = {
    "a route": (
        "support.DROPPED_ROUTES = (*support.DROPPED_ROUTES, '/no/such/route')",
        "no route '/no/such/route' to drop",
    ),
    "a method of Jupyter Server": (
        "from jupyter_client.multikernelmanager import MultiKernelManager\ndel MultiKernelManager.connect_control",
        "no AsyncMappingKernelManager.connect_control (to ask a kernel whether it still answers)",
    ),
    "a block of Voilà's page template": (
        "",
        "no block 'no_such_block' in the template the page template extends",
    ),
}


@pytest.mark.parametrize("kind", list(LACKING))
def test_an_unsupported_voila_stops_the_server_with_one_line(kind, tmp_path):
    change, line = LACKING[kind]
    templates = template_with_a_block_voila_lacks(tmp_path) if "template" in kind else TEMPLATE_ROOT
    script = f"import sys, workbook.serving.app as app, workbook.serving.support as support\n{change}\napp.main()\n"
    result = subprocess.run(
        [sys.executable, "-c", script, str(DASHBOARD), "--no-browser", "--port=0", f"--template={TEMPLATE}",
         "--VoilaConfiguration.default_pool_size=0", "--Voila.log_level=CRITICAL"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**__import__("os").environ, "JUPYTER_PATH": str(templates)},
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr.strip().splitlines()[-1] == f"workbook: Voilà has {line}; this version of Voilà is not supported"


def test_every_block_the_page_fills_is_in_a_template_it_extends(tmp_path, monkeypatch):
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(TEMPLATE_ROOT))  # as `workbook serve` sets it
    paths = collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)
    assert missing_template_block(paths) is None
    own = [path for path in paths if Path(path).name == TEMPLATE]
    assert own, paths  # the workbook's own template folder is among them, so the check reads it
    broken = template_with_a_block_voila_lacks(tmp_path) / "voila" / "templates" / TEMPLATE
    swapped = [str(broken) if path in own else path for path in paths]
    assert missing_template_block(swapped) == "block 'no_such_block' in the template the page template extends"
    assert missing_template_block([str(broken)]) == "template 'lab/index.html.j2' that the page template extends"


def test_a_template_conf_sets_no_voila_configuration_trait(tmp_path, monkeypatch):
    """Why the fixed settings stay in production_config and not in the template's conf.json."""
    import json
    import shutil

    from traitlets.config import Config

    template = tmp_path / "voila" / "templates" / TEMPLATE
    shutil.copytree(TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE, template)
    (template / "conf.json").write_text(json.dumps(
        {"base_template": "lab", "traitlet_configuration": {"strip_sources": False, "preheat_kernel": True}}
    ))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    app = WorkbookVoila(config=Config())
    try:
        app.initialize([str(DASHBOARD), f"--template={TEMPLATE}"])
        assert app.config.VoilaConfiguration.strip_sources is False  # in the config only
        assert app.voila_configuration.strip_sources is True  # the trait keeps its default
        assert app.voila_configuration.preheat_kernel is False
    finally:
        app.clear_instance()


def test_the_theme_route_comes_before_the_template_files_and_the_page_asks_for_its_version(monkeypatch):
    import re

    from workbook.page.theme import theme_version

    handlers, resources = installed_voila(monkeypatch)
    url = "/voila/templates/workbook/static/workbook.css"
    first = next(i for i, (pattern, *_) in enumerate(handlers) if re.fullmatch(pattern, url))
    assert handlers[first][1].__name__ == "GuardedThemeHandler"
    assert resources["workbook_theme"] == theme_version()
    assert resources["workbook_text"]["getting_ready"] == "Getting the workbook ready…"


def test_each_method_of_jupyter_server_and_tornado_relied_on_is_named(monkeypatch):
    from workbook.serving import support as voila_support

    class Server:
        handle_stream = None

    assert voila_support.missing_server_support() is None  # the installed ones have them all
    assert voila_support.missing_server_support({Server: {"handle_stream": "x", "configure": "to serve"}}) == \
        "Server.configure (to serve)"
    monkeypatch.setattr(voila_support, "SERVER_SUPPORT", {Server: {"configure": "to serve"}})
    configuration = SimpleNamespace(preheat_kernel=True, progressive_rendering=False)
    with pytest.raises(UnsupportedVoila, match=r"no Server.configure \(to serve\)"):
        check_voila(STOCK, Pool(), configuration, login=True)


def test_an_attribute_tornado_sets_on_each_handler_is_checked_in_its_constructor():
    from workbook.serving import support as voila_support

    assert voila_support.missing_server_support() is None
    assert voila_support.missing_server_support(handler_support={"_no_such_flag": "to test"}) == \
        "RequestHandler._no_such_flag (to test)"
