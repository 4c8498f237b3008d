"""What nginx is given, each value checked so that no setting can add a directive of its own.

`Site` holds the workers (`Upstream`), the address nginx listens on, the certificate and the
names tablets use; `workbook.serving.proxy` writes the configuration from it. Names, addresses
and paths must be one word of nginx's configuration (`is_word`), ports numbers from 1 to 65535,
and the pages nginx answers itself hold no '$'.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ProxyConfigError(ValueError):
    """A setting the proxy configuration cannot be written with."""


# What a name, an address or a path must not hold to stay one word of nginx's configuration:
# a space or newline, a quote, ';' or a brace would end the directive or start another, '#' a
# comment, '$' a variable.
NOT_A_WORD = "nginx cannot take a space, a quote, ';', '{', '}', '#' or '$' in it"


def is_word(text: str) -> bool:
    """Whether `text` is one word of nginx's configuration, with nothing it reads as syntax."""
    return bool(text) and not any(c.isspace() or c in ";{}'\"#$" for c in text)


@dataclass(frozen=True, slots=True)
class Upstream:
    """One worker as nginx reaches it: `host:port`, exactly as the worker was started with."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Upstream:
        """`HOST:PORT` or `[IPv6]:PORT`.

        Raises:
            ProxyConfigError: not an address with a port.
        """
        host, sep, port = text.strip().rpartition(":")
        host = host.removeprefix("[").removesuffix("]")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ProxyConfigError(f"upstream {text!r}: expected HOST:PORT, for example 10.0.0.5:8866")
        if not is_word(host):
            raise ProxyConfigError(f"upstream {text!r}: the host has characters nginx cannot take")
        return cls(host, int(port))

    @property
    def address(self) -> str:
        """The address in nginx's form (IPv6 in brackets)."""
        return listen_address(self.host, self.port)

    @property
    def tag(self) -> str:
        return route_tag(self.host, self.port)


def route_tag(host: str, port: int) -> str:
    """The 8 hex digits that begin the ids of the kernels a worker at `host:port` starts.

    It is derived from the address the worker listens on, so nginx, given the same address,
    finds the worker from a kernel id with nothing else to agree on.
    """
    return hashlib.sha256(listen_address(host, port).encode()).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate (with its chain) and its private key, both PEM files."""

    certfile: Path
    keyfile: Path

    def __post_init__(self) -> None:
        for what, path in (("certificate", self.certfile), ("key", self.keyfile)):
            if not is_word(str(path)):
                raise ProxyConfigError(f"the {what} file {str(path)!r}: {NOT_A_WORD}")

    def check(self) -> None:
        """Raises ProxyConfigError naming a file that is missing or unreadable."""
        for what, path in (("certificate", self.certfile), ("key", self.keyfile)):
            if not path.is_file():
                raise ProxyConfigError(f"the {what} file {path} does not exist")
            try:
                path.open("rb").close()
            except OSError as error:
                raise ProxyConfigError(f"the {what} file {path} cannot be read: {error.strerror}") from None


@dataclass(frozen=True, slots=True)
class Site:
    """What nginx listens on and where it sends patients.

    Args:
        upstreams: the workers.
        host: the address nginx listens on ("0.0.0.0" for every IPv4 address).
        port: its port (HTTPS when there is a certificate).
        certificate: None for plain HTTP (one clinic PC on a closed network only).
        http_port: with a certificate, a second port whose plain HTTP is redirected to HTTPS.
        server_names: the names tablets use; nginx answers to them (and to any name: the
            workers refuse names they were not given).
        unavailable_page: the HTML a patient sees when no worker can be reached (the
            workbook's own "busy" page); empty for nginx's own.
        error_page: the HTML of every other error nginx answers itself (the workbook's own
            error page); empty for nginx's own.
    """

    upstreams: tuple[Upstream, ...]
    host: str
    port: int
    certificate: Certificate | None = None
    http_port: int | None = None
    server_names: tuple[str, ...] = ()
    unavailable_page: str = ""
    error_page: str = ""

    def __post_init__(self) -> None:
        if not self.upstreams:
            raise ProxyConfigError("at least one upstream (a worker's HOST:PORT) is needed")
        tags = [upstream.tag for upstream in self.upstreams]
        if len(set(tags)) != len(tags):
            raise ProxyConfigError("an upstream is given twice")
        if self.http_port is not None and self.certificate is None:
            raise ProxyConfigError("a redirect port needs a certificate: without one, the site is plain HTTP")
        if not is_word(self.host):
            raise ProxyConfigError(f"listen address {self.host!r}: not an address ({NOT_A_WORD})")
        for what, port in (("port", self.port), ("redirect port", self.http_port)):
            if port is not None and not 0 < port < 65536:
                raise ProxyConfigError(f"{what} {port}: not a port (1 to 65535)")
        for name in self.server_names:
            if not is_word(name):
                raise ProxyConfigError(f"server name {name!r}: not a host name")
        if "$" in self.unavailable_page or "$" in self.error_page:
            raise ProxyConfigError("the unavailable and error pages cannot hold '$' (nginx reads it as a variable)")


def is_ipv6(host: str) -> bool:
    """Whether `host` is an IPv6 address (not a name, not IPv4)."""
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False


def listen_address(host: str, port: int) -> str:
    """`host:port` as nginx takes it (an IPv6 address in brackets)."""
    return f"[{host}]:{port}" if is_ipv6(host) else f"{host}:{port}"


def local_site(
    ports: Sequence[int], *, host: str, port: int, certificate: Certificate | None,
    http_port: int | None = None, server_names: Sequence[str] = (), unavailable_page: str = "",
    error_page: str = "",
) -> Site:
    """The site for workers on this machine's loopback ports."""
    return Site(
        upstreams=tuple(Upstream("127.0.0.1", p) for p in ports),
        host=host, port=port, certificate=certificate, http_port=http_port,
        server_names=tuple(server_names), unavailable_page=unavailable_page, error_page=error_page,
    )
