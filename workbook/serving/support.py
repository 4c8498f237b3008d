"""What the workbook expects of Voilà, checked before it serves: every route it drops,
replaces or guards, the settings it relies on, every kernel-pool method it wraps, the
methods of Jupyter Server and tornado it overrides or calls (`SERVER_SUPPORT`), and every
block of Voilà's page templates that its page template fills. A Voilà without one of them would
silently reopen a closed path, so the server refuses to start instead."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import jinja2
from jinja2 import nodes
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.web import RequestHandler
from voila.app import Voila
from voila.configuration import VoilaConfiguration
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.execution_request_handler import ExecutionRequestHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler


# Routes of stock Voilà that the dashboard page does not need: files, login, the request
# information channel (for notebooks that read their URL) and progressive rendering.
LOGIN_ROUTE = "/login"
DROPPED_ROUTES = ("/voila/files/(.*)", LOGIN_ROUTE, "/logout")
DROPPED_HANDLERS = (RequestInfoSocketHandler, ExecutionRequestHandler)
# The page route: stock Voilà serves the notebook at any path under the root.
PAGE_ROUTE = "/(.*)"
# The widgets' scripts: stock Voilà asks browsers to check every one of them at every visit;
# the workbook lets them keep the versioned ones.
LABEXTENSIONS_ROUTE = "/voila/labextensions/(.*)"


# What the workbook overrides or calls in Jupyter Server and tornado, and what for. The
# names with an underscore are not Jupyter Server's public API.
SERVER_SUPPORT = {
    ZMQChannelsWebsocketConnection: {
        "handle_incoming_message": "to check every message from a page",
        "write_message": "to keep the kernel's errors from the page",
        "subprotocol": "to check a message against its channel's protocol",
    },
    AsyncMappingKernelManager: {
        "notify_connect": "to see a page claim its kernel",
        "cull_kernels": "to end the kernels of pages that never came or are never heard",
        "connect_control": "to ask a kernel whether it still answers",
        "_kernel_connections": "to tell a connected page from a gone one",
        "_handle_kernel_died": "to end a kernel that died with its reason and its files",
    },
    HTTPServer: {
        "handle_stream": "to keep file handles back for the kernels",
        "configure": "to serve with that HTTP server",
    },
    Voila: {
        "listen": "to serve with the HTTP server that keeps file handles back",
        "init_handlers": "to drop, replace and guard routes",
        "init_settings": "to set the page's words and compression",
    },
}
# Attributes tornado sets on every request handler (not in its class), with what for.
HANDLER_SUPPORT = {
    "_headers_written": "to tell a busy page from one already on its way",
}


def missing_server_support(support: dict = SERVER_SUPPORT, handler_support: dict = HANDLER_SUPPORT) -> str | None:
    """The first method or attribute of Jupyter Server or tornado the workbook relies on that
    the installed one lacks, as "Class.name (what for)"; None when all are there."""
    for owner, names in support.items():
        for name, use in names.items():
            if not hasattr(owner, name) and name not in getattr(owner, "class_traits", dict)():
                return f"{owner.__name__}.{name} ({use})"
    if "connection" not in HTTPServerRequest.__init__.__code__.co_varnames:
        return "HTTPServerRequest.connection (to find a request's peer address)"
    source = inspect.getsource(RequestHandler.__init__)
    for name, use in handler_support.items():
        if f"self.{name} =" not in source:
            return f"RequestHandler.{name} ({use})"
    return None


# What the workbook's kernel manager (`workbook.serving.kernels`) takes from Voilà's preheating
# kernel manager (the class Voilà makes from it): the two methods it wraps and what it reads of
# the pool. Without one of them the pool would no longer keep to the places, or hand its
# kernels to their pages' owners.
VOILA_POOL_SUPPORT = ("fill_if_needed", "get_rendered_notebook", "kernel_pools_config", "_pools", "notebook_path")
# The arguments the pool refill is called with.
FILL_ARGUMENTS = ("delay", "notebook_name")


def missing_pool_support(manager) -> str | None:
    """The first of Voilà's pool methods and attributes the workbook's kernel manager relies on
    that `manager` lacks (a refill without its arguments counts as missing); None when it has them all."""
    for name in VOILA_POOL_SUPPORT:
        if not hasattr(manager, name):
            return name
    fill = getattr(manager, "_fill_pool", manager.fill_if_needed)
    parameters = inspect.signature(fill).parameters
    for argument in FILL_ARGUMENTS:
        if argument not in parameters:
            return f"fill_if_needed({argument}=...)"
    return None


class UnsupportedVoila(Exception):
    """Voilà lacks a route or method the workbook drops, replaces or relies on.

    Each of them closes a path or keeps a limit: serving without one would reopen the path
    silently, so the server does not start.
    """

    def __init__(self, missing: str) -> None:
        super().__init__(f"Voilà has {missing}; this version of Voilà is not supported")


def missing_route(handlers: list, *, preheat: bool, progressive: bool, login: bool) -> str | None:
    """What `WorkbookVoila.init_handlers` expects among stock Voilà's routes and does not find.

    Args:
        handlers: stock Voilà's routes, `(pattern, handler class, ...)` each.
        preheat, progressive, login: whether Voilà's settings add the route that each of them
            adds (pre-rendering's request information, progressive rendering, a login page
            when there is a token or password). Each of these routes is dropped.
    Returns:
        the first missing piece, as in "no route '/logout' to drop"; None when all are there.
    """
    patterns = [pattern for pattern, *_ in handlers]
    classes = {handler_class for _, handler_class, *_ in handlers}
    for route in DROPPED_ROUTES:
        if route == LOGIN_ROUTE and not login:
            continue
        if not any(pattern.endswith(route) for pattern in patterns):
            return f"no route '{route}' to drop"
    expected = {
        RequestInfoSocketHandler: "drop" if preheat else None,
        ExecutionRequestHandler: "drop" if progressive else None,
        VoilaKernelWebsocketHandler: "replace",
        TemplateStaticFileHandler: "replace",
        KernelHandler: "guard",
        VoilaShutdownKernelHandler: "guard",
    }
    for handler_class, action in expected.items():
        if action and handler_class not in classes:
            return f"no {handler_class.__name__} route to {action}"
    if not any(is_page_route(handler) for handler in handlers):
        return f"no TornadoVoilaHandler route '{PAGE_ROUTE}' to replace"
    if not any(is_labextensions_route(handler) for handler in handlers):
        return f"no FileFindHandler route '{LABEXTENSIONS_ROUTE}' to replace"
    return None


def is_labextensions_route(handler: tuple) -> bool:
    pattern, handler_class, *_ = handler
    return handler_class is FileFindHandler and pattern.endswith(LABEXTENSIONS_ROUTE)


def is_page_route(handler: tuple) -> bool:
    pattern, handler_class, *_ = handler
    return handler_class is TornadoVoilaHandler and pattern.endswith(PAGE_ROUTE)


# The settings of Voilà's configuration the workbook relies on, and what for.
NEEDED_SETTINGS = {
    "page_config_hook": "for the page's session settings",
    "extension_denylist": "to leave plotly's lab extension out of the page",
}
# The settings of Voilà's application the workbook relies on, and what for.
NEEDED_APP_SETTINGS = {
    "kernel_websocket_connection_class": "to check every message from a page before it is parsed",
}


# The page template, found first among Voilà's template folders.
PAGE_TEMPLATE = "index.html.j2"


def _blocks_and_parent(environment: jinja2.Environment, name: str) -> tuple[set[str], str | None]:
    source, _, _ = environment.loader.get_source(environment, name)
    tree = environment.parse(source)
    blocks = {block.name for block in tree.find_all(nodes.Block)}
    extends = next(tree.find_all(nodes.Extends), None)
    parent = extends.template.value if extends is not None and isinstance(extends.template, nodes.Const) else None
    return blocks, parent


def missing_template_block(template_paths: Sequence[str], name: str = PAGE_TEMPLATE) -> str | None:
    """A block the page template fills that none of the templates it extends has (Jinja would
    drop the block without a word: the page would lose its theme, its script or its words), as
    "block 'x' in the template it extends"; None when every block is there."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(list(template_paths)))
    try:
        own, parent = _blocks_and_parent(environment, name)
        inherited: set[str] = set()
        seen = {name}
        while parent is not None and parent not in seen:
            seen.add(parent)
            blocks, parent = _blocks_and_parent(environment, parent)
            inherited |= blocks
    except jinja2.TemplateNotFound as missing:
        return f"template '{missing.name}' that the page template extends"
    absent = sorted(own - inherited)
    return f"block '{absent[0]}' in the template the page template extends" if absent else None


def check_voila(handlers: list, kernel_manager, configuration, *, login: bool,
                template_paths: Sequence[str] = ()) -> None:
    """Refuse to serve with a Voilà whose routes or kernel manager are not the expected ones.

    Raises:
        UnsupportedVoila: with the first missing piece.
    """
    missing = missing_route(
        handlers, preheat=configuration.preheat_kernel, progressive=configuration.progressive_rendering,
        login=login,
    )
    for trait, use in NEEDED_SETTINGS.items():
        if missing is None and not VoilaConfiguration.class_traits().get(trait):
            missing = f"no VoilaConfiguration.{trait} {use}"
    for trait, use in NEEDED_APP_SETTINGS.items():
        if missing is None and not Voila.class_traits().get(trait):
            missing = f"no Voila.{trait} {use}"
    if missing is None:
        absent = missing_server_support(SERVER_SUPPORT)
        missing = absent and f"no {absent}"
    if missing is None and template_paths:
        absent = missing_template_block(template_paths)
        missing = absent and f"no {absent}"
    if missing is None and configuration.preheat_kernel:
        name = missing_pool_support(kernel_manager)
        missing = name and f"no kernel pool method or attribute '{name}' in its kernel manager"
    if missing is not None:
        raise UnsupportedVoila(missing)
