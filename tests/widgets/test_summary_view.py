"""Step 10 shows the summary, with a download that carries the same page."""

from __future__ import annotations

import base64
import re
from html import unescape

from tests.widgets.helpers import find
from workbook.content import load_content
from workbook.ui.app import create_app


def downloaded(html: str) -> str:
    data = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', html).group(1)
    return base64.b64decode(data).decode("utf-8")


def test_summary_view_follows_the_session_and_escapes_patient_text():
    app = create_app(content=load_content())
    app.session.change(trigger_text='<img src=x onerror="alert(1)"> marker-3141')
    app.session.go_to(10)
    view = find(app.widget, "wb-summary-view").value
    page = downloaded(view)
    assert "marker-3141" in page and "<img" not in page
    assert unescape(re.search(r'srcdoc="([^"]*)"', view).group(1)) == page  # the frame shows the same page
    assert re.search(r'download="back-spasm-summary-\d{4}-\d{2}-\d{2}\.html"', view)
    app.session.answer_red_flag("chest-pain", True)
    assert "Immediate action required" in downloaded(find(app.widget, "wb-summary-view").value)
    app.new_patient()
    app.session.go_to(10)
    assert "marker-3141" not in find(app.widget, "wb-summary-view").value
