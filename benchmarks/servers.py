"""The benchmark's own servers (the bare Voilà page, the static floor) and CPU readings; the
workbook itself is started by `tests.support.servers`, as in the browser tests."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil

from benchmarks.baselines import BARE_NOTEBOOK
from tests.support.servers import Server, free_port, start_server
from workbook.serve import ServeSettings, voila_command, voila_environment

# The servers' logs, and screenshots of pages that did not become ready, from a run.
ARTIFACTS = Path(__file__).parent / "artifacts"


def start_bare_voila(*, pool_size: int, log: Path) -> Server:
    """The bare Voilà page, with the same production settings as the dashboard."""
    port = free_port()
    settings = ServeSettings(port=port, pool_size=pool_size, notebook=BARE_NOTEBOOK)
    return start_server(voila_command(settings), port=port, log=log, env=voila_environment(settings),
                        name="bare Voilà")


def start_static(*, folder: Path, log: Path) -> Server:
    """The floor: `python -m http.server` on a folder with the static page."""
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)]
    return start_server(command, port=port, log=log, name="static page", ready_path="index.html")


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
