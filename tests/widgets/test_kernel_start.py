"""A kernel starts without plotly (the first chart brings it in, not the steps built ahead),
never imports pandas, and imports nothing of the server."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from workbook.content import load_content
from workbook.ui.app import create_app
app = create_app(content=load_content())
print("start", "pandas" in sys.modules, "plotly.graph_objects" in sys.modules)
print("server", "jupyter_server" in sys.modules, "tornado.web" in sys.modules, "workbook.serving.app" in sys.modules)
from tests.widgets.helpers import find
prepare = find(app.widget, "wb-prepare-next")
for _ in range(12):
    prepare.click()  # every step built ahead, from step 1
print("ahead", prepare.description, "pandas" in sys.modules, "plotly.graph_objects" in sys.modules)
for step in range(2, 5):
    app.session.go_to(step)
print("step 4", "pandas" in sys.modules, "plotly.graph_objects" in sys.modules)
"""


def test_plotly_waits_for_the_first_chart_and_pandas_never_comes():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.splitlines() == [
        "start False False", "server False False False", "ahead 10 False False", "step 4 False True",
    ], (
        done.stdout + done.stderr
    )
