"""Pure logic never imports ipywidgets (STYLE.md section 3)."""

import subprocess
import sys

import pytest

PURE_MODULES = [
    "workbook.cli",
    "workbook.content",
    "workbook.figures",
    "workbook.plan",
    "workbook.proxy",
    "workbook.quiz",
    "workbook.readability",
    "workbook.redflags",
    "workbook.selfcheck",
    "workbook.serve",
    "workbook.session",
    "workbook.workers",
]


@pytest.mark.parametrize("module", PURE_MODULES)
def test_module_does_not_import_ipywidgets(module):
    code = f"import sys, {module}; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_check_itself_can_fail():
    code = "import sys, workbook.ui.app; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
