"""How many patients one server can hold at once, from the memory of the machine it runs on.

Each open page has its own kernel. `make bench` measured 112 MB (RSS) for each extra page
open (`benchmarks/results.md`); planning with 130 MB leaves room for pages that have drawn
every step. The server process itself and the operating system are kept 1 GB.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMORY_PER_PATIENT = 130 * 1024**2
MEMORY_KEPT_BACK = 1024**3
MOST_PATIENTS = 50
# cgroup v2: the memory limit of the service (for example systemd's MemoryMax=).
CGROUP_LIMIT = Path("/sys/fs/cgroup/memory.max")


def default_max_patients(memory: int | None = None) -> int:
    """The most patients a machine's memory allows, at about 130 MB each, never more than 50.

    Args:
        memory: the memory to plan with, in bytes; None for this machine's (`usable_memory`).
    """
    memory = usable_memory() if memory is None else memory
    return max(1, min(MOST_PATIENTS, (memory - MEMORY_KEPT_BACK) // MEMORY_PER_PATIENT))


def usable_memory() -> int:
    """This machine's physical memory in bytes, or the service's memory limit if lower."""
    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        limit = CGROUP_LIMIT.read_text().strip()
    except OSError:
        return memory
    return min(memory, int(limit)) if limit.isdigit() else memory
