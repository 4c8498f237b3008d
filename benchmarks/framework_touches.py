"""How far the workbook reaches into the frameworks it runs on: `python -m benchmarks.framework_touches`.

Counts, in `workbook/`:

- methods overwritten on an instance (`obj.method = something callable`, `self` included);
- global patches (an attribute of an imported library's module or class assigned);
- private names of Voilà, Jupyter Server, jupyter_client, tornado, traitlets and ipywidgets read,
  written or overridden (a `_name` the workbook does not define itself, or one it overrides in a
  subclass of a framework class), each listed with where;
- `escape(` calls in `workbook/ui/`;
- lines of JavaScript the page loads from the workbook.

Writes the figures as Markdown to standard output; `--out FILE` also writes them to a file.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbook"
FRAMEWORKS = ("voila", "jupyter_server", "jupyter_client", "tornado", "traitlets", "ipywidgets")


def _framework_private_names() -> set[str]:
    """Every `_name` (one underscore) a framework defines: a def, a class attribute or a `self._name =`."""
    names: set[str] = set()
    pattern = re.compile(r"(?:def\s+|self\.|^\s*)(_[a-zA-Z][a-zA-Z0-9_]*)\s*[(=:]", re.MULTILINE)
    for package in FRAMEWORKS:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            for path in Path(location).rglob("*.py"):
                names.update(pattern.findall(path.read_text(encoding="utf-8", errors="replace")))
    return {name for name in names if not name.startswith("__")}


def _own_names(trees: dict[Path, ast.Module]) -> set[str]:
    """Every `_name` the workbook defines itself outside a class that subclasses a framework class."""
    own: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        own.add(target.id)
                    elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                        own.add(target.attr)
    return own


def _imported_names(tree: ast.Module) -> set[str]:
    """Names bound by imports from outside the workbook (frameworks and other libraries)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] != "workbook":
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.split(".")[0] != "workbook":
            names.update(alias.asname or alias.name for alias in node.names)
    return names


class _Assignments(ast.NodeVisitor):
    """Attribute assignments whose value is a function or a method, with the function scope known
    (a parameter that shares a function's name is not a function)."""

    def __init__(self, functions: set[str]) -> None:
        self.functions = functions
        self.parameters: list[set[str]] = [set()]
        self.found: list[ast.Assign] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        arguments = node.args
        names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
        names |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a}
        self.parameters.append(names)
        self.generic_visit(node)
        self.parameters.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        callable_value = (
            isinstance(value, ast.Lambda)
            or (isinstance(value, ast.Name) and value.id in self.functions and value.id not in self.parameters[-1])
            or (isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self"
                and value.attr in self.functions)
            or (isinstance(value, ast.Call) and getattr(value.func, "attr", getattr(value.func, "id", "")) in ("MethodType", "partial"))
        )
        for target in node.targets:
            # A `*_hook` is a documented place to hand a function to (Voilà's page_config_hook).
            if callable_value and isinstance(target, ast.Attribute) and not target.attr.endswith("_hook"):
                self.found.append(node)
        self.generic_visit(node)


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def count(package: Path = PACKAGE) -> dict[str, list[str]]:
    """What the workbook touches, by kind: each as `path:line what`."""
    root = package.parent
    files = sorted(package.rglob("*.py"))
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in files}
    framework = _framework_private_names()
    own = _own_names(trees)
    found: dict[str, list[str]] = defaultdict(list)
    for path, tree in trees.items():
        where = path.relative_to(root).as_posix()
        imported = _imported_names(tree)
        module_functions = {
            node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        assignments = _Assignments(module_functions)
        assignments.visit(tree)
        for node in assignments.found:
            target = node.targets[0]
            found["methods overwritten on an instance or a class"].append(f"{where}:{node.lineno} {ast.unparse(target)}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and _root(target) in imported:
                        found["global patches"].append(f"{where}:{node.lineno} {ast.unparse(target)}")
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                if node.attr in framework and (node.attr not in own or _root(node) != "self" or node.attr.startswith("_handle")):
                    found["framework private names"].append(f"{where}:{node.lineno} {node.attr}")
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if (
                        isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                        and item.name.startswith("_") and not item.name.startswith("__")
                        and item.name in framework
                    ):
                        found["framework private names"].append(f"{where}:{item.lineno} {item.name} (overridden)")
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("getattr", "hasattr", "setattr"):
                if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                    name = node.args[1].value
                    if name.startswith("_") and not name.startswith("__") and name in framework:
                        found["framework private names"].append(f"{where}:{node.lineno} {name} (by name)")
    for path in sorted((package / "ui").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for _ in re.finditer(r"\bescape\(", line):
                found["escape( calls in ui/"].append(f"{path.relative_to(root).as_posix()}:{number}")
    for path in sorted(package.rglob("*.js")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found["lines of JavaScript"].extend(f"{path.relative_to(root).as_posix()}:{n}" for n in range(1, len(lines) + 1))
    return found


def report(found: dict[str, list[str]]) -> str:
    kinds = (
        "methods overwritten on an instance or a class",
        "global patches",
        "framework private names",
        "escape( calls in ui/",
        "lines of JavaScript",
    )
    lines = ["| what | count |", "|---|---:|"]
    lines += [f"| {kind} | {len(found.get(kind, []))} |" for kind in kinds]
    for kind in kinds[:3]:
        if found.get(kind):
            lines += ["", f"**{kind}**", ""] + [f"- `{item}`" for item in found[kind]]
    private = sorted({item.split(" ", 1)[1].split(" ")[0] for item in found.get("framework private names", [])})
    lines += ["", "Distinct framework private names: " + (", ".join(f"`{name}`" for name in private) or "none")]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    arguments = parser.parse_args()
    text = report(count())
    print(text, end="")
    if arguments.out:
        arguments.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
