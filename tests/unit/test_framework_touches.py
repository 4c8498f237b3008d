"""The count of how far the workbook reaches into its frameworks finds each kind it counts."""

from __future__ import annotations

from benchmarks.framework_touches import count

PLANTED = '''
import ipywidgets as widgets
from voila.app import Voila


def handle(self, msg):
    return msg


widgets.Widget._handle_msg = handle


class Pool(Voila):
    def _handle_kernel_died(self, kernel_id):
        return self._kernel_connections.get(kernel_id)

    def start(self):
        self.fill_if_needed = self.start
        self.page_config_hook = self.start  # a documented hook: not counted


def message(item, line):
    item.line = line  # a parameter named like a function elsewhere: not counted
'''


def test_each_kind_is_found_in_a_planted_module(tmp_path):
    package = tmp_path / "workbook"
    (package / "ui").mkdir(parents=True)
    (package / "serving.py").write_text(PLANTED, encoding="utf-8")
    (package / "ui" / "page.py").write_text("from html import escape\nescape('a') + escape('b')\n", encoding="utf-8")
    (package / "ui" / "page.js").write_text("one();\ntwo();\nthree();\n", encoding="utf-8")
    found = count(package)
    assert found["global patches"] == ["workbook/serving.py:10 widgets.Widget._handle_msg"]
    assert found["methods overwritten on an instance or a class"] == [
        "workbook/serving.py:10 widgets.Widget._handle_msg",
        "workbook/serving.py:18 self.fill_if_needed",
    ]
    private = {item.split(" ", 1)[1] for item in found["framework private names"]}
    assert {"_handle_msg", "_handle_kernel_died (overridden)", "_kernel_connections"} <= private
    assert len(found["escape( calls in ui/"]) == 2
    assert len(found["lines of JavaScript"]) == 3


def test_a_clean_module_has_nothing_counted(tmp_path):
    package = tmp_path / "workbook"
    package.mkdir()
    (package / "clean.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    assert not any(count(package).values())
