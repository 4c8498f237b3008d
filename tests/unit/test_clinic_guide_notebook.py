"""The clinic guide notebook's saved tables are what the content gives: nbval passes on `data/`,
and fails on a copy in which a warning sign has another level, naming the cell of its table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.unit.test_clinic_guide import change_level
from workbook.content.loader import DATA_DIR_VARIABLE

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "clinic-guide.ipynb"
CHECKED = "# NBVAL_CHECK_OUTPUT"


def run_nbval(data_dir: Path | None) -> subprocess.CompletedProcess[str]:
    """nbval on the clinic guide in a fresh pytest, its kernel in this environment, reading
    `data_dir` (None: the project's `data/`)."""
    env = {key: value for key, value in os.environ.items() if key != DATA_DIR_VARIABLE}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    if data_dir is not None:
        env[DATA_DIR_VARIABLE] = str(data_dir)
    command = [
        sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
        "--color=no", "-q", str(NOTEBOOK.relative_to(ROOT)),
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def code_cells() -> dict[str, int]:
    """The number nbval names each code cell by ("Cell 1": it counts code cells only), by the cell's id."""
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    return {cell["id"]: index for index, cell in enumerate(cell for cell in cells if cell["cell_type"] == "code")}


def test_every_table_cell_is_checked_and_has_its_saved_output():
    cells = {cell["id"]: cell for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]}
    tables = ["warning-signs", "scenario-cards", "quiz-answers", "risk-factor-plan", "reading-grades", "hazard-log"]
    for name in tables:
        source = "".join(cells[name]["source"])
        assert source.startswith(CHECKED), name
        (output,) = cells[name]["outputs"]
        assert {"text/plain", "text/html"} <= set(output["data"]), name
    assert CHECKED not in "".join(cells["grades-chart"]["source"])


def test_nbval_passes_on_the_data_and_names_the_cell_a_changed_level_breaks(data_copy):
    passed = run_nbval(None)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert f"{len(code_cells())} passed" in passed.stdout

    change_level(data_copy, "chest-pain", "urgent")
    failed = run_nbval(data_copy)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert f"FAILED notebooks/clinic-guide.ipynb::Cell {code_cells()['warning-signs']}" in failed.stdout
    assert "1 failed" in failed.stdout
    assert f"Cell {code_cells()['warning-signs']}: Cell outputs differ" in failed.stdout
    assert "mismatch 'text/" in failed.stdout
    assert "Urgent advice" in failed.stdout
    assert "Immediate action required" in failed.stdout
