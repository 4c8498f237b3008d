"""Kernel start to ready: how long a preheated kernel takes from its start until the pool
reports it ready, and until a page from it is served in full; on fresh servers, read from
outside the server.

- Start: the modification time of the kernel's connection file, which the server writes just
  before it starts the kernel's process (the file is named in the kernel's command line).
- Ready in the pool: the log line "Kernel pool of <notebook> is filled with N kernel(s)",
  which Voilà writes once every kernel of the pool has started; the notebook may still be
  running in them then. The log has no timestamps of its own: a thread reads it as it is
  written and notes when each line appears (every 10 ms).
- Served in full: as soon as the pool reports ready (and the server answers), `GET /` takes
  the first kernel of the pool; the page's HTML ends only once the notebook has run in it.
"""

from __future__ import annotations

import asyncio
import os
import re
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psutil

from tests.support.servers import Server

# How often the log is read, in seconds.
POLL = 0.01
# Longest wait for the pool to fill after the server starts, in seconds.
FILL_TIMEOUT = 120.0
FILLED = re.compile(r"Kernel pool of \S+ is filled with")
STARTED = re.compile(r"Kernel started: ([0-9a-f-]{36})")
TAKEN = re.compile(r"Using pre-heated kernel: ([0-9a-f-]{36})")
CONNECTION_FILE = re.compile(r"(\S*kernel-([0-9a-f-]{36})\.json)")


class LogWatch:
    """Reads a log file as it is written, noting the wall-clock time each line appeared."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[tuple[float, str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        offset, pending = 0, b""
        while not self._stop.is_set():
            if self.path.exists():
                with self.path.open("rb") as log:
                    log.seek(offset)
                    data = log.read()
                seen = time.time()
                offset += len(data)
                pending += data
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    self.lines.append((seen, line.decode("utf-8", "replace")))
            self._stop.wait(POLL)

    def find(self, pattern: re.Pattern[str]) -> list[tuple[float, re.Match[str]]]:
        """Every line seen so far that matches, with the time it appeared."""
        return [(seen, match) for seen, line in list(self.lines) if (match := pattern.search(line))]

    async def wait_for(self, pattern: re.Pattern[str], timeout: float) -> tuple[float, re.Match[str]]:
        """The first line that matches, with the time it appeared, waiting for it if need be."""
        deadline = time.monotonic() + timeout
        while not (found := self.find(pattern)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no line like {pattern.pattern!r} in {self.path.name} after {timeout:g} s")
            await asyncio.sleep(POLL)
        return found[0]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def kernel_start_times(server: Server) -> dict[str, float]:
    """When each running kernel of the server was started: its connection file's mtime."""
    found = {}
    for process in server.processes():
        try:
            match = CONNECTION_FILE.search(" ".join(process.cmdline()))
            if match:
                found[match.group(2)] = os.stat(match.group(1)).st_mtime
        except (OSError, psutil.Error):  # the process or its file is gone: not a kernel to time
            continue
    return found


def page_served_at(url: str) -> float:
    """`GET` the page and read it to its end; the wall-clock time it ended."""
    with urllib.request.urlopen(url, timeout=FILL_TIMEOUT) as response:
        response.read()
    return time.time()


async def one_start(start: Callable[[Path], Server], log: Path) -> dict[str, list[float]]:
    """One fresh server: each pool kernel's start to ready, and the first one's to served."""
    log.unlink(missing_ok=True)
    watch = LogWatch(log)
    starting = asyncio.ensure_future(asyncio.to_thread(start, log))
    try:
        ready_at, _ = await watch.wait_for(FILLED, FILL_TIMEOUT)
        server = await starting
        asked_at = time.time()
        served_at = await asyncio.to_thread(page_served_at, server.url)
        _, taken = await watch.wait_for(TAKEN, 10)
        started = kernel_start_times(server)
    finally:
        watch.stop()
        if not starting.cancelled():
            try:
                (await starting).stop()
            except Exception:  # noqa: BLE001 - the server did not start; the error is raised above
                pass
    pool = [match.group(1) for seen, match in watch.find(STARTED) if seen <= ready_at]
    return {
        "ready_ms": [(ready_at - started[k]) * 1000 for k in pool if k in started],
        "served_ms": [(served_at - started[taken.group(1)]) * 1000] if taken.group(1) in started else [],
        "asked_after_ready_ms": [(asked_at - ready_at) * 1000],
    }


async def kernel_start_to_ready(start: Callable[[Path], Server], log_of: Callable[[int], Path],
                                runs: int) -> dict:
    """Over `runs` fresh servers, each started with the log `log_of(run)`."""
    found: dict = {"runs": runs, "ready_ms": [], "served_ms": [], "asked_after_ready_ms": []}
    for run in range(runs):
        for key, values in (await one_start(start, log_of(run))).items():
            found[key] += values
    return found
