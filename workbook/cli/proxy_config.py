"""`workbook proxy-config`: print the nginx site configuration for workbook servers on several machines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook.cli.shared import certificate, tls_arguments
from workbook.content import InvalidContent, load_content
from workbook.serving.pages import error_page, message_page
from workbook.serving.proxy import site_config
from workbook.serving.proxy_site import ProxyConfigError, Site, Upstream


def add_command(commands: argparse._SubParsersAction) -> None:
    """Add `proxy-config` to the command line."""
    proxy = commands.add_parser(
        "proxy-config",
        help="print the nginx site configuration for workbook servers on several machines",
    )
    proxy.add_argument(
        "--upstream", action="append", required=True, metavar="HOST:PORT", dest="upstreams",
        help="a machine running 'workbook serve --host HOST --port PORT' (repeatable; the same "
        "HOST and PORT as given to it)",
    )
    proxy.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default 0.0.0.0)")
    proxy.add_argument("--port", type=int, default=None, help="its port (default 443 with a certificate, else 80)")
    proxy.add_argument(
        "--server-name", action="append", default=[], metavar="NAME", dest="server_names",
        help="a name tablets use to reach the workbook (repeatable)",
    )
    tls_arguments(proxy)
    proxy.add_argument("--data-dir", type=Path, help="content folder, for the busy page's words (default: data/)")
    proxy.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the site; 2 on a setting nginx cannot take, 1 on content with problems."""
    try:
        tls = certificate(args)
        if tls is not None:
            tls.check()
        else:
            print("# without --certfile and --keyfile the site is plain HTTP: answers cross the "
                  "network in clear text", file=sys.stderr)
        site = Site(
            upstreams=tuple(Upstream.parse(text) for text in args.upstreams),
            host=args.host,
            port=args.port or (443 if tls else 80),
            certificate=tls,
            http_port=args.http_port,
            server_names=tuple(args.server_names),
            unavailable_page=message_page(load_content(args.data_dir).page, base_url="/"),
            error_page=error_page(load_content(args.data_dir).page, base_url="/"),
        )
    except ProxyConfigError as error:
        print(f"workbook proxy-config: {error}", file=sys.stderr)
        return 2
    except InvalidContent as error:
        print(error.located, file=sys.stderr)
        return 1
    print(site_config(site), end="")
    return 0
