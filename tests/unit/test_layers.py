"""The package's layers, read from its import graph: a module imports only from its own layer
or from a lower one, and the widgets stay in `workbook.ui` (STYLE.md section 3).

Lowest first: `content` (validated data), `domain` (pure logic), `page` (what the served page
carries), `ui` (widgets), then `notebooks` and `serving` side by side (neither imports the
other), the command line, and `python -m workbook` on top."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workbook"
LAYERS: tuple[tuple[str, ...], ...] = (
    ("workbook.content",),
    ("workbook.domain",),
    ("workbook.page",),
    ("workbook.ui",),
    ("workbook.notebooks", "workbook.serving"),
    ("workbook.cli",),
    ("workbook.__main__",),
)
WIDGETS = ("ipywidgets", "anywidget")


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def place(module: str) -> tuple[int, str] | None:
    """The layer (its rank) and the part of it that holds `module`; None for the package itself."""
    for rank, parts in enumerate(LAYERS):
        for part in parts:
            if module == part or module.startswith(part + "."):
                return rank, part
    return None


def imported(tree: ast.Module, module: str) -> list[tuple[int, str]]:
    """Every name an import statement of `module` reaches, with its line (imports inside
    functions too; `from workbook import x` as `workbook.x`)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(module.split(".")[: -node.level] + ([base] if base else []))
            names.append((node.lineno, base))
            if base == "workbook":
                names += [(node.lineno, f"workbook.{alias.name}") for alias in node.names]
    return names


def wrong_way_imports(package: Path = PACKAGE) -> list[str]:
    """Every import that breaks the layers, as `path:line: a imports b (why)`."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        module = module_name(path, package)
        here = place(module)
        if here is None:
            continue
        where = path.relative_to(package.parent).as_posix()
        for line, name in imported(ast.parse(path.read_text(encoding="utf-8")), module):
            if name.split(".")[0] in WIDGETS and here[1] != "workbook.ui":
                problems.append(f"{where}:{line}: {module} imports {name} (widgets belong in workbook.ui)")
            target = place(name) if name.split(".")[0] == "workbook" else None
            if target is None:
                continue
            if target[0] > here[0]:
                problems.append(f"{where}:{line}: {module} imports {name} (a higher layer)")
            elif target[0] == here[0] and target[1] != here[1]:
                problems.append(f"{where}:{line}: {module} imports {name} (a side-by-side layer)")
    return problems


def test_every_import_goes_to_the_same_or_a_lower_layer():
    assert wrong_way_imports() == []


def test_every_module_is_in_a_layer():
    modules = [module_name(path, PACKAGE) for path in PACKAGE.rglob("*.py")]
    assert len(modules) > 40
    assert [m for m in modules if m != "workbook" and place(m) is None] == []


def test_a_wrong_way_import_on_a_copy_is_named(tmp_path):
    copy = tmp_path / "workbook"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "share", "templates"))
    for part, line in (
        ("domain/summary.py", "from workbook.ui.app import build_app"),
        ("serving/guard.py", "from workbook.notebooks import build"),
        ("domain/plan.py", "import ipywidgets"),
    ):
        path = copy / part
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    problems = wrong_way_imports(copy)
    assert len(problems) == 3, problems
    assert problems[0].startswith("workbook/domain/plan.py:")
    assert problems[0].endswith("workbook.domain.plan imports ipywidgets (widgets belong in workbook.ui)")
    assert problems[1].endswith("workbook.domain.summary imports workbook.ui.app (a higher layer)")
    assert problems[2].endswith("workbook.serving.guard imports workbook.notebooks (a side-by-side layer)")


def test_the_server_and_the_command_line_load_no_widgets():
    """What the layers cannot see: a library that imports the widgets itself. One interpreter
    imports the top of every layer but `ui`; another shows the check sees widgets when they load."""
    tops = "workbook.cli, workbook.serving.app, workbook.serving.workers, workbook.notebooks.clinic_guide, workbook.domain.figures"
    code = f"import sys, {tops}; print(sorted(m for m in sys.modules if m.split('.')[0] in {WIDGETS!r}))"

    def run(source: str) -> str:
        return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True,
                              cwd=PACKAGE.parent).stdout.strip()

    assert run(code) == "[]"
    assert run(code.replace(tops, tops + ", workbook.ui.app")) != "[]"
