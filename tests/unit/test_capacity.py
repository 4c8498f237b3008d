"""The default limit on patients follows the machine's memory, at 130 MB each, at most 50."""

from __future__ import annotations

import pytest

from workbook.serving import capacity
from workbook.serving.capacity import default_max_patients

GB = 1024**3


@pytest.mark.parametrize(
    ("memory", "patients"),
    [
        (24 * GB, 50),  # plenty: never more than 50
        (4 * GB, 23),  # (4 GB - 1 GB) / 130 MB = 23.6
        (2 * GB, 7),
        (1 * GB, 1),  # nothing to spare still serves one patient
    ],
)
def test_default_limit_from_memory(memory, patients):
    assert default_max_patients(memory) == patients


def test_a_service_memory_limit_lowers_the_default(tmp_path, monkeypatch):
    limit = tmp_path / "memory.max"
    limit.write_text(f"{2 * GB}\n")
    monkeypatch.setattr(capacity, "CGROUP_LIMIT", limit)
    assert capacity.usable_memory() == 2 * GB
    limit.write_text("max\n")
    assert capacity.usable_memory() == capacity.os.sysconf("SC_PHYS_PAGES") * capacity.os.sysconf("SC_PAGE_SIZE")
