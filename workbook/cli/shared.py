"""What several commands share: the content, loaded with every problem printed, its warnings, and
the certificate arguments of `serve` and `proxy-config`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from workbook.content import Content, InvalidContent, load_content
from workbook.content.safety import release_warnings
from workbook.serving.proxy_site import Certificate, ProxyConfigError


def load(data_dir: Path | None) -> Content | None:
    """The content, or None after printing every problem it has."""
    try:
        return load_content(data_dir)
    except InvalidContent as error:
        print(error.located, file=sys.stderr)
        return None


def warn(content: Content, data_dir: Path | None) -> list[str]:
    """The content's release warnings (`release_warnings`), each printed as "warning: ..." on stderr."""
    warnings = release_warnings(content, today=date.today(), data_dir=data_dir)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return warnings


def tls_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --certfile, --keyfile and --http-port to a command."""
    parser.add_argument("--certfile", type=Path, help="the certificate (PEM, with its chain): serve HTTPS through nginx")
    parser.add_argument("--keyfile", type=Path, help="the certificate's private key (PEM)")
    parser.add_argument(
        "--http-port", type=int, default=None, metavar="PORT",
        help="with a certificate, also redirect plain HTTP on this port to HTTPS (for example 80)",
    )


def certificate(args: argparse.Namespace) -> Certificate | None:
    """The certificate --certfile and --keyfile give; None without them.

    Raises:
        ProxyConfigError: only one of them is given, or a path nginx cannot take.
    """
    if (args.certfile is None) != (args.keyfile is None):
        raise ProxyConfigError("--certfile and --keyfile go together")
    if args.certfile is None:
        return None
    return Certificate(args.certfile.resolve(), args.keyfile.resolve())

