"""Connection files left behind by a server that was stopped outright (SIGKILL, power loss).

Each kernel's connection file holds the key that signs its messages. A server that stops
normally removes its folder of them; one killed outright cannot. So every server keeps its
folder under one root of its own (`connection_root`), writes its process id into it, and at
start removes the folders of servers whose process is gone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PID_FILE = "server.pid"
FOLDER_PREFIX = "voila_"


def connection_root() -> Path:
    """The folder that holds each server's folder of connection files (private to this user)."""
    root = Path(tempfile.gettempdir()) / f"workbook-kernels-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    return root


def mark_as_ours(folder: Path) -> None:
    """Write this process's id into its connection folder."""
    (folder / PID_FILE).write_text(str(os.getpid()))


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_left_behind(root: Path) -> list[Path]:
    """Remove the connection folders under `root` whose server process is gone; returns them.
    A folder without a process id (a server that is starting) is left alone."""
    removed = []
    for folder in root.glob(f"{FOLDER_PREFIX}*"):
        try:
            pid = int((folder / PID_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not running(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
