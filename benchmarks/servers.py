"""The benchmark's own servers (the bare Voilà page, the static floor, the workbook behind nginx
with HTTPS) and CPU readings; the workbook on its own is started by `tests.support.servers`, as
in the browser tests."""

from __future__ import annotations

import sys
from pathlib import Path

import psutil

from benchmarks.baselines import BARE_NOTEBOOK
from tests.support.servers import Server, free_port, start_server
from workbook.serving.settings import ServeSettings, voila_command, voila_environment

# The servers' logs, and screenshots of pages that did not become ready, from a run.
ARTIFACTS = Path(__file__).parent / "artifacts"
# Preheated kernels of one process in `benchmarks.proxy` (directly, or behind nginx).
PROXY_POOL_SIZE = 2


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


def start_behind_nginx(*, workers: int, certificate: tuple[Path, Path], log: Path,
                       pool_size: int = PROXY_POOL_SIZE, max_patients: int | None = None) -> Server:
    """`workbook serve --workers N` with HTTPS; its processes include nginx, workers, kernels."""
    port = free_port()
    cert, key = certificate
    command = [sys.executable, "-m", "workbook", "serve", "--workers", str(workers), "--port", str(port),
               "--certfile", str(cert), "--keyfile", str(key), "--pool-size", str(pool_size)]
    if max_patients is not None:
        # Every simulated patient comes from this machine's one address.
        command += ["--max-patients", str(max_patients), "--places-per-address", str(max_patients)]
    return start_server(command, port=port, log=log, name=f"nginx, {workers} worker(s)",
                        url=f"https://localhost:{port}/", ready_line="workbook: serving https://", timeout=180)


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
