/* The page watches its own session: its kernel connection is up, reconnecting, or gone.
 *
 * Notes
 * [1] Loaded in the page's head, before Voilà's scripts, so that the kernel's websocket is
 *     watched from its first connection (open and close), whatever Voilà does with it.
 * [2] Heartbeat: the page asks the server for its own kernel every few seconds while it is
 *     on screen, at once when it becomes visible again, when the network comes back, and at
 *     a tap. Each ask also asks the kernel itself (a kernel round trip on the server), so a
 *     frozen kernel is found out. 200 with the channel open: up. No answer: reconnecting
 *     (the answers stay). 404 or 403: the kernel is gone (culled, died, frozen, server
 *     restarted), and the page ends.
 * [3] Ending removes every piece of patient content from the page (the elements, not just
 *     their display), closes the channel, and shows one plain card whose button opens a
 *     fresh page. "New patient" and the idle reset end the page the same way and open a
 *     fresh page at once, so nothing of the last patient can survive, kernel or no kernel.
 * [4] Voilà's kernel connection (its widget manager's `kernel`) gives up after about seven
 *     tries (two minutes). If the kernel is still there after that, the connection is asked
 *     to try again; if there is no such connection, the page ends and its kernel is shut down.
 * [5] Every word shown comes from data/page.yaml, through the page's configuration.
 */
(function () {
  "use strict";

  var CHANNEL = /\/api\/kernels\/([0-9a-f-]{36})\/channels/;
  var TIMEOUT_MS = 4000;
  var REVIVE_AFTER_MS = 20000;
  var WARNING_SECONDS = 30;

  var config = null;
  var state = "up";
  var socket = null;
  var socketOpen = false;
  var closedAt = null;
  var lastReached = Date.now();
  var lastCheck = 0;
  var checking = false;
  var statusLine = null;

  /* [1] */
  var NativeWebSocket = window.WebSocket;
  function WatchedWebSocket(url, protocols) {
    var opened = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (CHANNEL.test(String(url))) {
      socket = opened;
      opened.addEventListener("open", function () {
        if (opened !== socket) { return; }
        socketOpen = true;
        closedAt = null;
        check();
      });
      opened.addEventListener("close", function () {
        if (opened !== socket) { return; }
        socketOpen = false;
        closedAt = Date.now();
        check();
      });
    }
    return opened;
  }
  WatchedWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    WatchedWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = WatchedWebSocket;

  /* Voilà's page configuration, or null without one. */
  function pageData() {
    var element = document.getElementById("jupyter-config-data");
    if (!element) { return null; }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function pageConfig() {
    var data = pageData();
    var session = data && data.workbookSession;
    if (!session || !data.kernelId) { return null; }
    var base = data.baseUrl || "/";
    return {
      text: session.text,
      idleSeconds: session.idleSeconds,
      heartbeatMs: session.heartbeatSeconds * 1000,
      kernelId: data.kernelId,
      base: base,
      kernelUrl: base + "api/kernels/" + encodeURIComponent(data.kernelId),
      shutdownUrl: base + "voila/api/shutdown/" + encodeURIComponent(data.kernelId),
      probeUrl: base + "voila/templates/workbook/static/workbook.css"
    };
  }

  function request(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    var settings = Object.assign({ cache: "no-store", credentials: "same-origin", signal: controller.signal }, options || {});
    return fetch(url, settings).finally(function () { clearTimeout(timer); });
  }

  function showStatus(text) {
    if (!statusLine) { return; }
    statusLine.textContent = text || "";
    statusLine.hidden = !text;
    document.body.classList.toggle("wb-page--reconnecting", Boolean(text));
  }

  function setState(next) {
    if (state === "ended" || state === next) { return; }
    state = next;
    showStatus(next === "reconnecting" ? config.text.reconnecting : "");
  }

  /* [2] */
  function check() {
    if (!config || state === "ended" || checking) { return; }
    checking = true;
    lastCheck = Date.now();
    request(config.kernelUrl).then(function (response) {
      if (response.status === 404 || response.status === 403 || response.status === 410) {
        end({});
      } else if (response.ok) {
        lastReached = Date.now();
        reached();
      } else {
        unreachable();
      }
    }, unreachable).finally(function () { checking = false; });
  }

  function reached() {
    if (socketOpen || socket === null) {
      setState("up");
      return;
    }
    setState("reconnecting");
    if (closedAt !== null && Date.now() - closedAt > REVIVE_AFTER_MS && !revive()) {
      end({ shutdown: true });
    }
  }

  function unreachable() {
    setState("reconnecting");
    // Past the wait for a page that has gone, the server has ended this page's kernel.
    if (Date.now() - lastReached > config.idleSeconds * 1000) {
      end({});
    }
  }

  function voilaConnection() {
    var app = window.jupyterapp;
    var connection = app && app.widgetManager && app.widgetManager.kernel;
    return connection && !connection.isDisposed ? connection : null;
  }

  /* [4] */
  function revive() {
    var connection = voilaConnection();
    if (!connection || typeof connection.reconnect !== "function" ||
        connection.id !== config.kernelId) {
      return false;
    }
    if (connection.connectionStatus === "disconnected") {
      connection.reconnect().catch(function () {});
      closedAt = Date.now();
    }
    return true;
  }

  function xsrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function shutDownKernel() {
    try {
      fetch(config.shutdownUrl, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "X-XSRFToken": xsrfToken() }
      }).catch(function () {});
    } catch (error) { /* the page is ending either way */ }
  }

  /* [3] */
  function end(how) {
    if (state === "ended") { return; }
    state = "ended";
    if (how.shutdown) { shutDownKernel(); }
    closeChannel();
    clearPage();
    document.body.appendChild(endedCard());
    if (how.fresh) {
      startAgain();
    } else {
      focusEndedHeading();
    }
  }

  function closeChannel() {
    var current = socket;
    socket = null;
    try {
      // Voilà's connection would otherwise keep trying to reach a kernel that has gone.
      var connection = voilaConnection();
      if (connection) { connection.dispose(); }
    } catch (error) { /* the page is ending either way */ }
    if (current) {
      try { current.close(); } catch (error) { /* already closed */ }
    }
  }

  /* Every element of the page but its scripts, and the status line, go. */
  function clearPage() {
    Array.prototype.slice.call(document.body.children).forEach(function (element) {
      if (element.tagName !== "SCRIPT") { element.remove(); }
    });
    showStatus("");
    statusLine = null;
  }

  function focusEndedHeading() {
    var heading = document.querySelector(".wb-ended__heading");
    if (heading) { heading.focus(); }
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    made.className = className;
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function endedCard() {
    var text = config.text;
    var card = element("main", "wb-ended");
    var heading = element("h1", "wb-ended__heading", text.ended_heading);
    heading.setAttribute("tabindex", "-1");
    var body = element("p", "wb-ended__text", text.ended_body);
    var unreachableText = element("p", "wb-ended__text wb-ended__unreachable", text.ended_unreachable);
    unreachableText.hidden = true;
    unreachableText.setAttribute("role", "status");
    var button = element("button", "wb-ended__button", text.ended_button);
    button.type = "button";
    button.addEventListener("click", startAgain);
    card.append(heading, body, unreachableText, button);
    return card;
  }

  function startAgain() {
    request(config.probeUrl).then(function (response) {
      if (!response.ok) { throw new Error("not reachable"); }
      window.location.replace(config.base);
    }).catch(function () {
      var note = document.querySelector(".wb-ended__unreachable");
      if (note) { note.hidden = false; }
    });
  }

  function freshPage() {
    end({ shutdown: true, fresh: true });
  }

  /* Idle reset: after the clinic's idle time without a touch, the page ends and a fresh one
     opens for the next patient. A warning shows for the last 30 seconds; any touch cancels
     it. The timer starts with the first touch, so an untouched page is left alone. */
  var lastTouch = Date.now();
  var armed = false;
  var warning = null;

  function hideWarning() {
    if (warning) { warning.remove(); warning = null; }
  }

  function idleWarning() {
    var text = config.text;
    var made = element("div", "wb-idle-warning");
    var box = element("div", "wb-idle-warning__box");
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-labelledby", "wb-idle-title");
    var title = element("p", "");
    title.id = "wb-idle-title";
    title.appendChild(element("strong", "", text.idle_warning_heading));
    var parts = text.idle_warning_body.split("{seconds}");
    var body = element("p", "");
    body.append(parts[0], element("span", "wb-idle-warning__count"), parts[1]);
    box.append(title, body, element("p", "", text.idle_warning_action));
    made.appendChild(box);
    return made;
  }

  function showWarning(left) {
    if (!warning) {
      warning = idleWarning();
      document.body.appendChild(warning);
    }
    warning.querySelector(".wb-idle-warning__count").textContent = String(left);
  }

  function idleTick() {
    if (!armed || state === "ended") { return; }
    var left = Math.ceil(config.idleSeconds - (Date.now() - lastTouch) / 1000);
    if (left <= 0) {
      armed = false;
      hideWarning();
      freshPage();
    } else if (left <= WARNING_SECONDS) {
      showWarning(left);
    }
  }

  function touched() {
    lastTouch = Date.now();
    armed = true;
    hideWarning();
    if (state !== "up" || Date.now() - lastCheck > 2000) { check(); }
  }

  function addStatusLine() {
    statusLine = element("p", "wb-connection");
    statusLine.setAttribute("role", "status");
    statusLine.setAttribute("aria-live", "polite");
    statusLine.hidden = true;
    document.body.insertBefore(statusLine, document.body.firstChild);
  }

  function watchTouches() {
    ["pointerdown", "keydown", "touchstart", "wheel", "input"].forEach(function (name) {
      document.addEventListener(name, touched, { capture: true, passive: true });
    });
  }

  /* "New patient", once confirmed: a fresh page, whatever state the kernel is in. */
  function watchNewPatient() {
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target && target.closest && target.closest(".wb-new-patient__confirm")) {
        event.stopPropagation();
        freshPage();
      }
    }, { capture: true });
  }

  function watchReturns() {
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { idleTick(); check(); }
    });
    window.addEventListener("online", check);
    window.addEventListener("pageshow", check);
  }

  /* [2] */
  function heartbeat() {
    var every = state === "reconnecting" ? 2000 : config.heartbeatMs;
    if (document.visibilityState === "visible" && Date.now() - lastCheck >= every - 250) { check(); }
  }

  function start() {
    config = pageConfig();
    if (!config) { return; }
    addStatusLine();
    watchTouches();
    watchNewPatient();
    watchReturns();
    setInterval(idleTick, 1000);
    setInterval(heartbeat, 1000);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
