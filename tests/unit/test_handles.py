"""File handles: the limit raised at start, and handles kept back for the kernels."""

from __future__ import annotations

import logging
import resource
import subprocess
import sys

from workbook.serving.handles import HandleKeepingHTTPServer, most_connection_handles


def test_the_open_file_limit_is_raised_to_the_hard_limit():
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    script = "from workbook.serving.handles import raise_open_file_limit; print(*raise_open_file_limit())"
    result = subprocess.run(["prlimit", f"--nofile=256:{hard}", sys.executable, "-c", script],
                            capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["256", str(hard)]


def test_handles_are_kept_back_for_each_patients_kernel():
    assert most_connection_handles(1024, 4) == 1024 - 64 - 4 * 32
    assert most_connection_handles(1024, 50) == 512  # never fewer than half for connections
    assert most_connection_handles(524288, 50) == 524288 - 64 - 50 * 32


class Stream:
    def __init__(self, handle: int) -> None:
        self.socket = type("Socket", (), {"fileno": lambda self: handle})()
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_connection_past_the_handles_is_closed_at_once_with_one_log_line(monkeypatch, caplog):
    served = []
    monkeypatch.setattr("tornado.httpserver.HTTPServer.handle_stream", lambda self, stream, address: served.append(stream))
    server = object.__new__(HandleKeepingHTTPServer)
    server.most_handle, server.refusing = 100, False
    streams = [Stream(50), Stream(101), Stream(102), Stream(60), Stream(103)]
    with caplog.at_level(logging.INFO, "WorkbookVoila"):
        for stream in streams:
            server.handle_stream(stream, ("192.0.2.9", 1))
    assert served == [streams[0], streams[3]]
    assert [s.closed for s in streams] == [False, True, True, False, True]
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "workbook: new connections closed at once: file handles up to 101 are in use, the rest are kept for the kernels",
        "workbook: new connections accepted again",
        "workbook: new connections closed at once: file handles up to 103 are in use, the rest are kept for the kernels",
    ]
