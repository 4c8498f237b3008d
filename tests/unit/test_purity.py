"""Pure logic never imports ipywidgets (STYLE.md section 3): every module of the package outside
`workbook.ui`, found by walking the package, is imported alone in a fresh interpreter."""

import pkgutil
import subprocess
import sys

import pytest

import workbook

# Modules left out of the check, each with its reason; a package leaves out all below it.
NOT_PURE = {
    "workbook.ui": "the widgets themselves: building them is what ipywidgets is for",
}
NOT_IMPORTED = {
    "workbook.__main__": "importing it runs the command line; its one import, workbook.cli, is checked",
}


def package_modules() -> list[str]:
    return sorted(module.name for module in pkgutil.walk_packages(workbook.__path__, "workbook."))


def left_out(module: str) -> bool:
    return module in NOT_IMPORTED or any(module == name or module.startswith(name + ".") for name in NOT_PURE)


PURE_MODULES = [module for module in package_modules() if not left_out(module)]


def widgets_imported(module: str) -> bool:
    code = f"import sys, {module}; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip() == "True"


@pytest.mark.parametrize("module", PURE_MODULES)
def test_module_does_not_import_ipywidgets(module):
    assert not widgets_imported(module)


def test_the_walk_finds_the_package_and_every_exclusion_exists():
    found = package_modules()
    assert {"workbook.cli", "workbook.content.loader", "workbook.serve", "workbook.ui.app"} <= set(found)
    assert set(NOT_PURE) | set(NOT_IMPORTED) <= set(found)
    assert len(PURE_MODULES) >= 20


def test_the_check_itself_can_fail():
    assert widgets_imported("workbook.ui.app")
