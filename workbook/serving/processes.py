"""The processes of `workbook serve --workers N`: nginx's program and one worker's process.

Each is started in a session of its own and is sent SIGTERM when `workbook serve` dies, even by
SIGKILL (Linux), so that no worker, and no kernel, outlives it. `workbook.serving.workers` starts
them, watches them and stops them together.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from workbook.serving.settings import COOKIE_SECRET_VARIABLE, ServeSettings, voila_command, voila_environment

NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
NGINX_MISSING = "nginx is needed for --workers and --certfile: install it with 'apt-get install nginx'"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class WorkersError(RuntimeError):
    """The workers or nginx cannot be started; the message says why in one line."""


def find_nginx() -> str:
    """The nginx program. Raises WorkersError with how to install it when it is missing."""
    found = shutil.which("nginx") or next((p for p in NGINX_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise WorkersError(NGINX_MISSING)
    return found


def free_loopback_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    """Whether something accepts connections on this loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def end_with_parent() -> None:
    """Run in a worker or nginx before it starts: when `workbook serve` itself dies, even by
    SIGKILL, the child is sent SIGTERM (Linux), so no worker, and no kernel, is left behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the service manager stops the group
        pass


def log(text: str) -> None:
    """One line of `workbook serve`'s own on standard error, beside the workers' lines."""
    print(f"workbook: {text}", file=sys.stderr, flush=True)


class Worker:
    """One Voilà process on a loopback port, numbered from 1."""

    def __init__(self, number: int, settings: ServeSettings, idle_minutes: float, cookie_secret: str) -> None:
        self.number = number
        self.settings = settings
        self.cookie_secret = cookie_secret
        self.command = [
            *voila_command(settings, idle_minutes=idle_minutes),
            f"--Voila.log_format=[%(name)s worker {number}]%(highlevel)s %(message)s",
        ]
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restarts = 0
        self.restart_at: float | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.settings.port}"

    def start(self) -> None:
        self.started_at = time.monotonic()
        environment = {**voila_environment(self.settings), COOKIE_SECRET_VARIABLE: self.cookie_secret}
        self.process = subprocess.Popen(
            self.command, env=environment, start_new_session=True,
            preexec_fn=end_with_parent,
        )

    def stopped(self) -> int | None:
        """Its exit status once it has stopped, else None."""
        return None if self.process is None else self.process.poll()


def how_it_ended(status: int) -> str:
    """A process's exit status in words: "exit status 1", "killed by SIGKILL"."""
    if status < 0:
        try:
            return f"killed by {signal.Signals(-status).name}"
        except ValueError:
            return f"killed by signal {-status}"
    return f"exit status {status}"
