"""Start the dashboard's servers and find Chromium, for the browser tests and the benchmarks alike.

It lives in `tests.support`, a plain package without pytest, so that pytest (rootdir on the path)
and `python -m benchmarks.run` from the repository root both import this one copy.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

CHROMIUM = os.environ.get("WORKBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KERNEL_FILE = re.compile(r"ipykernel_launcher .*kernel-([0-9a-f-]{36})\.json")
# A static file of the page: polling it does not take a kernel, as loading the page does.
READY_PATH = "voila/templates/workbook/static/workbook.css"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without pytest's variables, which change how kernels treat their output
    (ipykernel stops capturing file descriptors under pytest): served as in production."""
    return {k: v for k, v in (os.environ if env is None else env).items() if not k.startswith("PYTEST_")}


def unverified() -> ssl.SSLContext:
    """A TLS context that accepts the self-signed certificate of `make_certificate`."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made with openssl: (cert, key)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


@dataclass
class Server:
    """A running server process, its URL and its log."""

    process: subprocess.Popen
    url: str
    log: Path
    name: str = "server"

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def processes(self) -> list[psutil.Process]:
        """The server and every process it started (its kernels, its workers)."""
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernel_ids(self) -> set[str]:
        """The ids of the kernels this server has started and not yet ended."""
        ids = set()
        for process in self.processes():
            try:
                match = KERNEL_FILE.search(" ".join(process.cmdline()))
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            if match:
                ids.add(match.group(1))
        return ids

    def kernel_count(self) -> int:
        return len(self.kernel_ids())

    def memory(self) -> dict[str, float]:
        """Resident (RSS) and proportional (PSS: shared pages split between their users) memory
        of the server and its kernels, in MB."""
        rss = pss = 0
        for process in self.processes():
            try:
                info = process.memory_full_info()
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
            rss += info.rss
            pss += info.pss
        return {"rss_mb": rss / 2**20, "pss_mb": pss / 2**20}

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(command: Sequence[str], *, port: int, log: Path, env: Mapping[str, str] | None = None,
                 name: str = "server", url: str | None = None, ready_path: str = READY_PATH,
                 ready_line: str | None = None, timeout: float = 120) -> Server:
    """Start a server (without pytest's variables) and wait until `ready_path` answers 200 and,
    if given, `ready_line` is in its log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=production_env(env))
    server = Server(process=process, url=url or f"http://127.0.0.1:{port}/", log=log, name=name)
    context = unverified() if server.url.startswith("https:") else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()}")
        if ready_line is None or ready_line in log.read_text():
            try:
                with urllib.request.urlopen(server.url + ready_path, timeout=30, context=context) as response:
                    if response.status == 200:
                        return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not answer within {timeout:g} s:\n{log.read_text()}")


def serve_workbook(*options: str, log: Path, pool_size: int = 1, env: Mapping[str, str] | None = None,
                   name: str = "workbook") -> Server:
    """`python -m workbook serve` on a free port, as in production, with the given options."""
    port = free_port()
    command = [sys.executable, "-m", "workbook", "serve", "--port", str(port), "--pool-size", str(pool_size),
               *options]
    return start_server(command, port=port, log=log, env=env, name=name)
