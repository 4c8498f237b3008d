"""Start and watch the servers the benchmarks load: the workbook, the bare Voilà page, the floor."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.baselines import BARE_NOTEBOOK
from workbook.serve import ServeSettings, voila_command, voila_environment

KERNEL_FILE = re.compile(r"ipykernel_launcher .*kernel-([0-9a-f-]{36})\.json")
VOILA_READY_PATH = "voila/templates/workbook/static/workbook.css"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A server process and its URL."""

    name: str
    process: subprocess.Popen
    url: str

    def processes(self) -> list[psutil.Process]:
        """The server and every process it started (its kernels)."""
        try:
            root = psutil.Process(self.process.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernel_count(self) -> int:
        count = 0
        for process in self.processes():
            try:
                if KERNEL_FILE.search(" ".join(process.cmdline())):
                    count += 1
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
        return count

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


def _wait_until_answers(server: Server, path: str, log: Path) -> Server:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=30) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within 120 s:\n{log.read_text()}")


def _production_env() -> dict[str, str]:
    # Served as in production, without the variables of whatever started the benchmark.
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def start_workbook(*, pool_size: int, log: Path) -> Server:
    """The dashboard exactly as `workbook serve` runs it."""
    port = free_port()
    command = [sys.executable, "-m", "workbook", "serve", "--port", str(port), "--pool-size", str(pool_size)]
    return _start("workbook", command, port=port, log=log, env=_production_env())


def start_bare_voila(*, pool_size: int, log: Path) -> Server:
    """The bare Voilà page, with the same production settings as the dashboard."""
    port = free_port()
    settings = ServeSettings(port=port, pool_size=pool_size, notebook=BARE_NOTEBOOK)
    env = {k: v for k, v in voila_environment(settings).items() if not k.startswith("PYTEST_")}
    return _start("bare Voilà", voila_command(settings), port=port, log=log, env=env)


def start_static(*, folder: Path, log: Path) -> Server:
    """The floor: `python -m http.server` on a folder with the static page."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)]
    return _start("static page", command, port=port, log=log, env=_production_env(), ready_path="index.html")


def _start(name: str, command: list[str], *, port: int, log: Path, env: dict[str, str],
           ready_path: str = VOILA_READY_PATH) -> Server:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Server(name=name, process=process, url=f"http://127.0.0.1:{port}/")
    return _wait_until_answers(server, ready_path, log)


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User plus system CPU time of the processes, their ended children included."""
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def browser_processes() -> list[psutil.Process]:
    """The Chromium processes this benchmark started."""
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name().lower():
                found.append(process)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found
