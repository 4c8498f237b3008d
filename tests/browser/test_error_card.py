"""Errors in the notebook or in a callback: the patient sees a plain card, the details
stay in the server's log."""

from __future__ import annotations

import urllib.request

import nbformat
from playwright.sync_api import expect

from tests.browser.pages import ARTIFACTS, PATIENT_MUST_NOT_SEE, TABLET, leave, open_page, shot
from tests.support.servers import free_port, start_server
from workbook.serving.settings import ServeSettings, voila_command, voila_environment


def test_a_failing_notebook_shows_a_plain_card_and_nothing_else(browser, tmp_path):
    notebook = tmp_path / "broken.ipynb"
    source = 'raise RuntimeError("secret-internal-detail")'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    port = free_port()
    settings = ServeSettings(port=port, pool_size=1, notebook=notebook)
    server = start_server(
        voila_command(settings), port=port, log=ARTIFACTS / "broken-server.log",
        env=voila_environment(settings),
    )
    try:
        with urllib.request.urlopen(server.url) as response:
            html = response.read().decode()
        visit = open_page(browser, server.url)
        expect(visit.page.get_by_text("Sorry, the workbook could not start.")).to_be_visible(
            timeout=60_000
        )
        shot(visit.page, "error-card-768x1024")
        text = visit.page.inner_text("body")
        for leaked in ("secret-internal-detail", "RuntimeError", *PATIENT_MUST_NOT_SEE):
            assert leaked not in html
            assert leaked not in text
        leave(visit.page)
    finally:
        server.stop()


CALLBACK_FAILS = """\
import ipywidgets as widgets
from workbook.ui.errors import error_card, guarded, log_to_server

log_to_server()
card = error_card()
button = widgets.Button(description="Break")

def fail():
    raise RuntimeError("secret-callback-detail")

button.on_click(guarded(lambda _button: fail(), card=card))
widgets.VBox([button, card])
"""


def test_a_failing_callback_shows_a_plain_card_and_logs_only_on_the_server(browser, tmp_path):
    notebook = tmp_path / "callback.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CALLBACK_FAILS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    port = free_port()
    settings = ServeSettings(port=port, pool_size=1, notebook=notebook)
    log = ARTIFACTS / "callback-server.log"
    server = start_server(voila_command(settings), port=port, log=log, env=voila_environment(settings))
    frames: list[str] = []
    try:
        page = browser.new_page(viewport=TABLET)
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
        page.goto(server.url)
        page.get_by_role("button", name="Break").click()
        expect(page.get_by_role("alert")).to_contain_text("Sorry, something went wrong")
        text = page.inner_text("body")
        leave(page)
    finally:
        server.stop()
    assert "secret-callback-detail" not in text and "Traceback" not in text
    leaked = [frame for frame in frames if "secret-callback-detail" in frame or "Traceback" in frame]
    (ARTIFACTS / "callback-frames.txt").write_text("\n".join(leaked))
    assert not leaked
    assert "secret-callback-detail" in log.read_text()
