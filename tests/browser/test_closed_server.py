"""What the server keeps closed: every path but the page, the page's source, and
running code in the page's kernel."""

from __future__ import annotations

import http.client
import urllib.request

from tests.browser.pages import expect_step, kernel_id


CLOSED_PATHS = [
    "/api/contents",
    "/api/contents/workbook.ipynb",
    "/api/kernels",
    "/api/sessions",
    "/api/terminals",
    "/api/kernelspecs",
    "/tree",
    "/lab",
    "/voila/tree",
    "/voila/api/contents",
    "/voila/api/contents/workbook.ipynb",
    "/voila/render/workbook.ipynb",
    "/voila/files/workbook.ipynb",
    "/login",
    "/logout",
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/static/../../../../etc/passwd",
    "/voila/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/voila/templates/workbook/static/../../../../../../pyproject.toml",
    "/voila/templates/workbook/static/..%2f..%2f..%2f..%2fpyproject.toml",
    "/voila/templates/workbook/index.html.j2",
]


def test_nothing_but_the_page_is_reachable(server):
    host, port = server.host.split(":")
    answers = {}
    for path in CLOSED_PATHS:
        # http.client sends the path as written: no client-side clean-up of '..'.
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        answers[path] = response.status
        body = response.read()
        assert b"root:" not in body and b"[project]" not in body
        connection.close()
    assert {path: status for path, status in answers.items() if status not in (403, 404)} == {}
    with urllib.request.urlopen(server.url + "voila/templates/workbook/static/workbook.css") as css:
        assert css.status == 200


def test_page_carries_no_source_code_and_a_strict_policy(server):
    with urllib.request.urlopen(server.url) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    assert "build_app" not in html
    assert "import" not in html.split("<body", 1)[1].split("<script", 1)[0]
    assert "default-src 'self'" in policy
    assert "cdn.jsdelivr.net" not in html and "fontawesome" not in html.lower()


SEND_EXECUTE_REQUEST = """
async ([kernelId, code]) => {
  const socket = new WebSocket(`ws://${location.host}/api/kernels/${kernelId}/channels`);
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });
  const replies = [];
  socket.onmessage = (event) => replies.push(String(event.data));
  socket.send(JSON.stringify({
    header: {msg_id: "probe-1", msg_type: "execute_request", username: "", session: "probe",
             date: new Date().toISOString(), version: "5.3"},
    parent_header: {}, metadata: {}, channel: "shell",
    content: {code, silent: false, store_history: false, user_expressions: {},
              allow_stdin: false, stop_on_error: true},
  }));
  await new Promise((resolve) => setTimeout(resolve, 3000));
  socket.close();
  return replies;
}
"""


def test_the_page_cannot_run_code_in_its_kernel(visit, server, tmp_path):
    marker = tmp_path / "executed"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    replies = visit.page.evaluate(SEND_EXECUTE_REQUEST, [kernel_id(visit.page), code])
    assert not marker.exists()
    # The request did reach the server, which refused it.
    assert 'Received message of type "execute_request", which is not allowed' in server.log.read_text()
    assert not [reply for reply in replies if '"execute_reply"' in reply and '"ok"' in reply]
    # The page still works after the refused request.
    visit.page.get_by_role("button", name="Next", exact=True).click()
    expect_step(visit.page, 2)
