"""A chapter notebook and the clinic guide in JupyterLab, as a physiotherapist meets them after
`make lab`: opened, run top to bottom, read, answered. JupyterLab runs on a copy of the
notebooks, so nothing it saves reaches the committed ones."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import expect

from tests.browser.pages import ARTIFACTS
from tests.support.servers import Server, free_port, start_server
from workbook.content import load_content

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TOKEN = "workbook-test"
RUN_TIMEOUT_MS = 90_000  # a kernel to start and every cell to run, on a busy machine


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(NOTEBOOKS, home / "notebooks")
    # The clinic guide is committed with its outputs: without them here, what shows after
    # Run All was made by this run.
    guide = home / "notebooks" / "clinic-guide.ipynb"
    notebook = nbformat.read(guide, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(notebook, guide)
    port = free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={home / 'notebooks'}",
        f"--IdentityProvider.token={TOKEN}",
        # As `make lab` starts it: nothing fetched from the web.
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    env = {
        **os.environ,  # and JupyterLab's own folders in the copy, not in the home folder
        "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    running = start_server(command, port=port, log=ARTIFACTS / "jupyterlab.log", env=env, name="JupyterLab",
                           ready_path="api")
    yield running
    running.stop()


def open_and_run_all(page, url: str) -> None:
    """Open a notebook afresh (no tabs kept from before), run all its cells, and wait until
    the last has run."""
    # JupyterLab may ask which kernel to start; the notebook's own is the one offered.
    page.add_locator_handler(page.get_by_text("Select Kernel", exact=True),
                             lambda: page.get_by_role("button", name="Select", exact=True).click())
    page.goto(url)
    expect(page.locator(".jp-Notebook")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    # Run All acts on the notebook in focus, once its kernel is up.
    expect(page.locator(".jp-StatusBar-TextItem", has_text="Idle").first).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.click()
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    code_cells = page.locator(".jp-CodeCell").count()
    expect(page.locator(".jp-InputPrompt", has_text=f"[{code_cells}]:")).to_have_count(1, timeout=RUN_TIMEOUT_MS)


def test_a_chapter_notebook_runs_and_works_in_jupyterlab(browser, lab):
    content = load_content()
    chapter = content.chapter(4)
    question = content.questions_for(4)[0]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) else None)
    open_and_run_all(page, f"{lab.url}lab/tree/chapters/04_causes.ipynb?reset&token={TOKEN}")
    # Read: the chapter's title, as a Markdown cell.
    expect(page.locator(".jp-MarkdownOutput h1", has_text=chapter.title)).to_be_visible(timeout=RUN_TIMEOUT_MS)
    # The self-check, drawn by plotly's extension, follows a tick.
    factor = content.risk_factors[0]
    page.get_by_label(factor.question).check(timeout=RUN_TIMEOUT_MS)
    bars = page.locator(".js-plotly-plot .bars text")
    expect(bars.first).to_have_text(content.text.charts.of.format(count=1, total=3), timeout=RUN_TIMEOUT_MS)
    page.screenshot(path=ARTIFACTS / "screenshots" / "jupyterlab-chapter-04-chart-1366.png")
    # A question: a right option, checked, gets its feedback.
    box = page.locator(".wb-quiz__question", has_text=question.prompt)
    right = next(option for option in question.options if option.id in question.correct)
    box.get_by_label(right.text).check()
    box.get_by_role("button", name=content.text.quiz.check).click()
    expect(box.locator(".wb-quiz__feedback")).to_contain_text(right.feedback, timeout=30_000)
    box.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "screenshots" / "jupyterlab-chapter-04-question-1366.png")
    assert outside == [], f"JupyterLab fetched from the web: {outside[:5]}"
    context.close()


def test_the_clinic_guide_runs_in_jupyterlab(browser, lab):
    content = load_content()
    sign = content.red_flags[0]
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    open_and_run_all(page, f"{lab.url}lab/tree/clinic-guide.ipynb?reset&token={TOKEN}")
    expect(page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")).to_have_count(0)
    table = page.locator(".jp-RenderedHTMLCommon table").first
    expect(table).to_contain_text(sign.sign)
    expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=30_000)
    page.screenshot(path=ARTIFACTS / "screenshots" / "jupyterlab-clinic-guide-1366.png")
    context.close()
