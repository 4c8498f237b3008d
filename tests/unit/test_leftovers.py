"""Connection folders of servers killed outright are removed by the next server's start."""

from __future__ import annotations

import os
import subprocess

from workbook.serving.leftovers import PID_FILE, mark_as_ours, remove_left_behind


def test_only_the_folders_of_servers_that_are_gone_are_removed(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead, alive, starting, other = (tmp_path / f"voila_{name}" for name in ("dead", "alive", "starting", "x"))
    for folder in (dead, alive, starting):
        folder.mkdir()
        (folder / "kernel-1.json").write_text("{}")
    (dead / PID_FILE).write_text(str(gone.pid))
    mark_as_ours(alive)
    assert (alive / PID_FILE).read_text() == str(os.getpid())
    (tmp_path / "not-a-server").mkdir()
    assert remove_left_behind(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and starting.exists() and (tmp_path / "not-a-server").exists()
    assert not other.exists()
