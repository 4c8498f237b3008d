"""Nothing of a kernel is left on disk after it is gone: not when its process dies, not when
the server itself is killed outright (each connection file holds a kernel's signing key)."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import psutil

from tests.browser.pages import wait_for
from tests.browser.test_hostile import Visit
from tests.support.servers import serve_workbook

STORING = re.compile(r"Storing connection files in (\S+?)\.?$", re.MULTILINE)


def connection_file(server, kernel: str) -> tuple[psutil.Process, Path]:
    for process in server.processes():
        line = process.cmdline()
        if any(f"kernel-{kernel}.json" in part for part in line):
            return process, Path(next(part for part in line if part.endswith(f"kernel-{kernel}.json")))
    raise AssertionError(f"no process for kernel {kernel}")


def test_a_kernel_that_dies_leaves_no_connection_file(server):
    visit = Visit(server)
    process, path = connection_file(server, visit.kernel)
    assert path.exists()
    os.kill(process.pid, signal.SIGKILL)
    wait_for(lambda: visit.kernel not in server.kernel_ids(), timeout=15, what="the kernel to be gone")
    wait_for(lambda: not path.exists(), timeout=10, what="its connection file to be removed")


def test_a_server_killed_outright_leaves_no_connection_files_after_the_next_start(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    first = serve_workbook(log=tmp_path / "first.log", env=env)
    folder = Path(STORING.search(first.log.read_text()).group(1))
    assert list(folder.glob("kernel-*.json"))
    kernels = [p for p in first.processes() if p.pid != first.process.pid]
    first.process.kill()
    first.process.wait()
    psutil.wait_procs(kernels, timeout=30)  # the kernels notice their server has gone
    assert list(folder.glob("kernel-*.json")), "a server killed outright cannot remove them itself"
    second = serve_workbook(log=tmp_path / "second.log", env=env)
    try:
        assert not folder.exists()
        assert "removed the connection files of 1 server(s) stopped outright" in second.log.read_text()
    finally:
        second.stop()
