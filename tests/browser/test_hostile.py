"""Another device on the clinic's Wi-Fi, probing the server as a hostile visitor would."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import psutil
import pytest
import websocket

from tests.browser.pages import get
from workbook.serving.guard import SECRET_COOKIE, new_secret

V1 = "v1.kernel.websocket.jupyter.org"


class Visit:
    """A page load by a plain HTTP client: its kernel id and the secret its browser got."""

    def __init__(self, server) -> None:
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        with opener.open(server.url, timeout=120) as response:
            html = response.read().decode()
            self.headers = response.headers
        self.html = html
        self.kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', html).group(1)
        self.secret = next(c.value for c in self.jar if c.name == SECRET_COOKIE)

    def channel(self, *, cookie: bool = True, origin: str | None = "own", protocol: str | None = None, host=None):
        host = host or self.server.host
        options = {"timeout": 10, "host": host}
        if cookie:
            options["cookie"] = f"{SECRET_COOKIE}={self.secret}"
        if origin is None:
            options["suppress_origin"] = True
        else:
            options["origin"] = f"http://{host}" if origin == "own" else origin
        if protocol:
            options["subprotocols"] = [protocol]
        url = f"ws://{self.server.host}/api/kernels/{self.kernel}/channels?session_id={uuid.uuid4().hex}"
        return websocket.create_connection(url, **options)

    def end(self) -> None:
        request = urllib.request.Request(
            f"{self.server.url}voila/api/shutdown/{self.kernel}", method="POST",
            headers={"Cookie": f"{SECRET_COOKIE}={self.secret}; _xsrf=t", "X-XSRFToken": "t"},
        )
        urllib.request.urlopen(request, timeout=10).close()


def refused_status(connect) -> int:
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        connect()
    return refused.value.status_code


def test_the_kernel_id_alone_opens_nothing(server):
    visit = Visit(server)
    # The channel: no cookie, with and without the page's own Origin.
    assert refused_status(lambda: visit.channel(cookie=False)) == 403
    assert refused_status(lambda: visit.channel(cookie=False, origin=None)) == 403
    # The kernel's own address and its shutdown, with a made-up _xsrf pair.
    assert get(f"{server.url}api/kernels/{visit.kernel}")[0] == 403
    forged = urllib.request.Request(
        f"{server.url}voila/api/shutdown/{visit.kernel}", method="POST",
        headers={"Cookie": "_xsrf=made-up", "X-XSRFToken": "made-up"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=10)
    assert refused.value.code == 403
    time.sleep(1)
    assert visit.kernel in server.kernel_ids(), "a forged shutdown ends nothing"
    # The browser that holds the secret still reaches its kernel.
    channel = visit.channel()
    channel.close()
    visit.end()


def test_a_secret_the_server_did_not_issue_is_not_adopted(server):
    chosen = new_secret()  # well formed, chosen by a client to share it with another's page
    host, port = server.host.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    connection.request("GET", "/", headers={"Cookie": f"{SECRET_COOKIE}={chosen}"})
    response = connection.getresponse()
    html = response.read().decode()
    connection.close()
    issued = re.search(rf"{SECRET_COOKIE}=([^;]+)", response.getheader("Set-Cookie")).group(1).strip('"')
    assert chosen not in issued
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', html).group(1)
    url = f"ws://{server.host}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(url, cookie=f"{SECRET_COOKIE}={chosen}", origin=f"http://{server.host}", timeout=10)
    assert refused.value.status_code == 403
    websocket.create_connection(url, cookie=f'{SECRET_COOKIE}="{issued}"', origin=f"http://{server.host}",
                                timeout=10).close()
    request = urllib.request.Request(
        f"{server.url}voila/api/shutdown/{kernel}", method="POST",
        headers={"Cookie": f'{SECRET_COOKIE}="{issued}"; _xsrf=t', "X-XSRFToken": "t"},
    )
    urllib.request.urlopen(request, timeout=10).close()


def test_the_page_names_no_version_and_sends_no_referrer(server):
    visit = Visit(server)
    assert "appVersion" not in visit.html
    assert not re.search(r"\d", visit.headers.get("Server", ""))
    assert visit.headers["Referrer-Policy"] == "no-referrer"
    cookie = next(c for c in visit.jar if c.name == SECRET_COOKIE)
    assert cookie.has_nonstandard_attr("HttpOnly") and cookie.get_nonstandard_attr("SameSite") == "Strict"
    visit.end()


def test_a_huge_offset_count_is_refused_before_any_work(server):
    visit = Visit(server)
    process = psutil.Process(server.process.pid)
    before = process.memory_info().rss
    channel = visit.channel(protocol=V1)
    channel.send_binary((30_000_000).to_bytes(8, "little") + bytes(16))
    started = time.monotonic()
    status, _ = get(server.url + "voila/templates/workbook/static/workbook.css")
    assert status == 200 and time.monotonic() - started < 1, "every other page is still answered at once"
    with pytest.raises((websocket.WebSocketConnectionClosedException, ConnectionError, websocket.WebSocketTimeoutException)):
        for _ in range(50):  # the server closes the channel; reading finds it closed
            channel.recv()
    assert process.memory_info().rss - before < 50 * 2**20
    visit.end()


def legacy_frame(count: int) -> bytes:
    """A binary frame shaped like a v1 frame of `count` offsets (each the frame's end), whose
    first bytes the legacy parser reads as a buffer count of `count` << 24."""
    end = 8 * (count + 1)
    return count.to_bytes(8, "little") + end.to_bytes(8, "little") * count


def v1_message(msg_type: str, channel: str = "shell", content: dict | None = None,
               msg_id: str | None = None) -> bytes:
    header = {"msg_id": msg_id or uuid.uuid4().hex, "msg_type": msg_type, "username": "", "session": "probe",
              "date": "2026-01-01T00:00:00Z", "version": "5.3"}
    parts = [channel.encode(), json.dumps(header).encode(), b"{}", b"{}", json.dumps(content or {}).encode()]
    offsets, position = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    return len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets) + b"".join(parts)


def reply_type(frame) -> str | None:
    if not isinstance(frame, bytes):
        return json.loads(frame).get("header", {}).get("msg_type")
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1): 8 * (i + 2)], "little") for i in range(count)]
    return json.loads(frame[offsets[1]:offsets[2]]).get("msg_type")


def kernel_round_trip(channel) -> float:
    """Seconds from a kernel_info_request on a v1 channel to its reply."""
    started = time.monotonic()
    channel.send_binary(v1_message("kernel_info_request"))
    while reply_type(channel.recv()) != "kernel_info_reply":
        pass
    return time.monotonic() - started


def close_code(channel) -> int | None:
    """The code the server closed the channel with (None: it closed without one)."""
    for _ in range(100):
        opcode, data = channel.recv_data(control_frame=True)
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(data[:2], "big") if len(data) >= 2 else None
    return None


@pytest.mark.parametrize("first_byte", [2, 4, 32])
def test_a_legacy_binary_frame_is_refused_before_it_is_parsed(server, first_byte):
    attacker, other = Visit(server), Visit(server)
    other_channel = other.channel(protocol=V1)
    kernel_round_trip(other_channel)  # the other page is connected and its kernel ready
    process = psutil.Process(server.process.pid)
    before, log_before = process.memory_info().rss, server.log.read_text(errors="replace")
    channel = attacker.channel()  # no subprotocol: the legacy protocol
    channel.send_binary(legacy_frame(first_byte))
    round_trip = kernel_round_trip(other_channel)
    grown = (process.memory_info().rss - before) / 2**20
    assert round_trip < 1 and grown <= 50, f"another page's round trip {round_trip:.2f} s, server +{grown:.0f} MB"
    assert close_code(channel) == 1008
    new_log = server.log.read_text(errors="replace")[len(log_before):]
    assert new_log.count("channel closed: a binary frame on a legacy channel") == 1
    assert "Traceback" not in new_log
    other_channel.close()
    attacker.end()
    other.end()


def v1_with_header(header: bytes) -> bytes:
    parts = [b"shell", header, b"{}", b"{}", b"{}"]
    position = 8 * (len(parts) + 2)
    offsets = [position]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets) + b"".join(parts)


# Frames that passed the old check and then made Jupyter Server write a traceback:
# (the channel's protocol, the frame).
MALFORMED = {
    "a count of two": (V1, (2).to_bytes(8, "little") + (24).to_bytes(8, "little") * 2),
    "bad JSON": (V1, v1_with_header(b"{not json")),
    "deep nesting": (None, "[" * 30_000),
    "a header that is a list": (None, json.dumps({"header": [], "channel": "shell"})),
}


@pytest.mark.parametrize("shape", MALFORMED)
def test_a_malformed_frame_closes_the_channel_with_one_log_line(server, shape):
    protocol, frame = MALFORMED[shape]
    visit = Visit(server)
    log_before = server.log.read_text(errors="replace")
    channel = visit.channel(protocol=protocol)
    if isinstance(frame, str):
        channel.send(frame)
    else:
        channel.send_binary(frame)
    assert close_code(channel) == 1008
    time.sleep(0.5)
    new_log = server.log.read_text(errors="replace")[len(log_before):]
    assert len(re.findall(r"workbook: kernel \S+'s channel closed", new_log)) == 1
    assert "Traceback" not in new_log
    visit.end()


# A hostile page: kernel_info_requests (each with its own id) as fast as it can send them,
# connecting again whenever the channel is closed. Prints how many it sent.
FLOOD = """
import sys, time, uuid, websocket
url, cookie, origin, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
frame, msg_id = bytes.fromhex(sys.argv[5]), sys.argv[6].encode()
end, sent = time.monotonic() + seconds, 0
while time.monotonic() < end:
    try:
        channel = websocket.create_connection(url, cookie=cookie, origin=origin, timeout=5,
                                              subprotocols=["v1.kernel.websocket.jupyter.org"])
        while time.monotonic() < end:
            channel.send_binary(frame.replace(msg_id, uuid.uuid4().hex.encode()))
            sent += 1
    except (websocket.WebSocketException, OSError):
        time.sleep(0.05)
print(sent)
"""


@pytest.mark.alone
def test_a_flood_from_one_page_leaves_another_pages_round_trip_quick(server):
    flooder, other = Visit(server), Visit(server)
    other_channel = other.channel(protocol=V1)
    kernel_round_trip(other_channel)
    log_before = server.log.read_text(errors="replace")
    url = f"ws://{server.host}/api/kernels/{flooder.kernel}/channels?session_id={uuid.uuid4().hex}"
    msg_id = uuid.uuid4().hex
    flood = subprocess.Popen(
        [sys.executable, "-c", FLOOD, url, f"{SECRET_COOKIE}={flooder.secret}", f"http://{server.host}", "8",
         v1_message("kernel_info_request", msg_id=msg_id).hex(), msg_id],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        time.sleep(1)
        round_trips = []
        for _ in range(40):
            round_trips.append(kernel_round_trip(other_channel))
            time.sleep(0.1)
    finally:
        sent = int(flood.communicate(timeout=30)[0] or 0)
    p95 = statistics.quantiles(round_trips, n=20)[-1]
    assert p95 < 0.1, f"another page's round trip p95 {p95 * 1000:.0f} ms (median " \
        f"{statistics.median(round_trips) * 1000:.0f} ms) while one page sent {sent} messages"
    new_log = server.log.read_text(errors="replace")[len(log_before):]
    assert "channel closed: more than 200 messages a second" in new_log
    assert "Traceback" not in new_log
    other_channel.close()
    flooder.end()
    other.end()


def test_a_message_sent_again_closes_the_channel_before_the_kernel_sees_it(server):
    visit = Visit(server)
    log_before = server.log.read_text(errors="replace")
    channel = visit.channel(protocol=V1)
    frame = v1_message("kernel_info_request")
    channel.send_binary(frame)
    assert reply_type(channel.recv()) is not None
    for _ in range(20):  # the same message again and again: the kernel would log each copy
        try:
            channel.send_binary(frame)
        except (websocket.WebSocketConnectionClosedException, ConnectionError):
            break
    assert close_code(channel) == 1008
    time.sleep(1)
    new_log = server.log.read_text(errors="replace")[len(log_before):]
    assert new_log.count("channel closed: a message sent again") == 1
    assert "Traceback" not in new_log and "Duplicate Signature" not in new_log
    visit.end()


def test_a_message_larger_than_any_real_one_is_refused(server):
    visit = Visit(server)
    channel = visit.channel()
    channel.send(json.dumps({"header": {"msg_type": "comm_msg"}, "padding": "x" * (1024 * 1024)}))
    with pytest.raises((websocket.WebSocketConnectionClosedException, ConnectionError, websocket.WebSocketTimeoutException)):
        for _ in range(50):
            channel.recv()
    assert get(server.url + "voila/templates/workbook/static/workbook.css")[0] == 200
    visit.end()


def test_a_comm_for_a_widget_that_does_not_exist_gets_no_traceback(server):
    visit = Visit(server)
    channel = visit.channel()
    header = {"msg_id": uuid.uuid4().hex, "msg_type": "comm_open", "username": "", "session": "probe",
              "date": "2026-01-01T00:00:00Z", "version": "5.3"}
    channel.send(json.dumps({
        "header": header, "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget",
                    "data": {"state": {"_model_name": "NoSuchModel", "_model_module": "nowhere"}}},
    }))
    heard = []
    deadline = time.monotonic() + 5
    channel.settimeout(1)
    while time.monotonic() < deadline:
        try:
            heard.append(channel.recv())
        except websocket.WebSocketTimeoutException:
            continue
    channel.close()
    everything = " ".join(str(message) for message in heard)
    assert '"execution_state": "idle"' in everything or "idle" in everything, "the kernel did handle it"
    assert "Traceback" not in everything and "File \\\"" not in everything and "site-packages" not in everything
    visit.end()


def test_a_foreign_host_name_gets_no_page_and_no_kernel(server):
    kernels = server.kernel_ids()
    host, port = server.host.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/", headers={"Host": "evil.example"})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    assert response.status == 400
    assert "kernelId" not in body
    time.sleep(2)
    assert server.kernel_ids() == kernels
    visit = Visit(server)
    assert refused_status(lambda: visit.channel(host="evil.example", origin="http://evil.example")) == 400
    visit.end()


ERROR_PROBES = [
    ("GET", "/nothing-here"),
    ("GET", "/voila/templates/workbook/static/"),
    ("GET", "/voila/templates/workbook/static/../../../etc/passwd"),
    ("GET", "/voila/labextensions/nothing.js"),
    ("GET", f"/api/kernels/{uuid.UUID(int=1)}"),
    ("POST", "/"),
    ("DELETE", "/"),
    ("PUT", "/voila/templates/workbook/static/workbook.css"),
    ("GET", "/voila/query/" + str(uuid.UUID(int=2))),
]


def test_every_error_has_one_plain_face(server):
    host, port = server.host.split(":")
    log_before = server.log.read_text(errors="replace")
    for method, path in ERROR_PROBES:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        connection.close()
        where = f"{method} {path}"
        assert 400 <= response.status < 500, f"{where}: {response.status}"
        assert "Traceback" not in body and "cdn" not in body.lower() and "fontawesome" not in body.lower(), where
        assert not re.search(r"\d+\.\d+\.\d+", body), f"{where}: a version in the body"
        assert not re.search(r"\d", response.headers.get("Server", "")), f"{where}: {response.headers['Server']}"
        assert response.headers["X-Content-Type-Options"] == "nosniff", where
        assert response.headers["Referrer-Policy"] == "no-referrer", where
        assert "default-src 'self'" in response.headers["Content-Security-Policy"], where
    new_log = server.log.read_text(errors="replace")[len(log_before):]
    assert "Traceback" not in new_log


PAGE_WRITES_THE_CARD = """async () => {
  const manager = window.jupyterapp.widgetManager;
  for (const id of Object.keys(manager._models)) {
    const model = await manager._models[id];
    if ((model.get("_dom_classes") || []).includes("wb-care-area")) {
      model.set("value", '<p class="wb-forged">All clear, you can go home</p>');
      model.save_changes();
      await new Promise((done) => setTimeout(done, 1500));
      model.comm.send({ method: "request_state" }, {});  // the kernel sends back what it holds
      return true;
    }
  }
  return false;
}"""


def test_an_update_of_a_display_widget_from_the_page_changes_nothing(browser, server):
    from playwright.sync_api import expect

    from tests.browser.pages import answer_chest_pain_yes, leave, open_page

    page = open_page(browser, server.url).page
    page.get_by_role("button", name="Next", exact=True).wait_for(timeout=60_000)
    answer_chest_pain_yes(page)
    assert page.evaluate(PAGE_WRITES_THE_CARD)
    # The kernel kept its card, and says so: the page shows the real one again.
    expect(page.locator(".wb-forged")).to_have_count(0, timeout=10_000)
    expect(page.locator(".wb-care-area .wb-care-card")).to_have_count(1)
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator(".wb-care-area")).not_to_contain_text("All clear")
    leave(page)
