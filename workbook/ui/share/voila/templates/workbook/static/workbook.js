/* The page's own behaviour around Voilà's rendering (its session is session.js's).
 *
 * Notes
 * [1] Loaded in the page's head, after Voilà's head scripts and before its main scripts:
 *     the _xsrf cookie is set at once, before anything can post with it.
 * [2] Voilà ends a page's kernel when the page closes by posting the _xsrf cookie back to
 *     the server (double submit). The server never sets that cookie, so without it the post
 *     is refused (403) and the kernel, with the patient's answers, stays running.
 * [3] `workbookPage.watch()` is called from the end of the body, after `voila_finish()`:
 *     the observers need the body, and watch it from then on.
 * [4] A new step starts at its top, and focus moves to its heading, as a new page would.
 *     The progress text changes before the new step is drawn, so the focus waits for the
 *     new step's own heading: the old one, about to be removed, would take the focus with
 *     it. Steps are built ahead of time, one at a time while the page is idle: the next step
 *     first, then the others (`prepare_ahead` in workbook/ui/app.py). The kernel answers each
 *     press of its hidden button with the count of built steps as the button's text; the
 *     page presses again only after that answer, so builds never pile up in the kernel
 *     ahead of a tap, and after a pause twice as long as that build took, so a busy server
 *     (many pages starting at once) spends at most a third of its time building ahead for
 *     one page. A new step always asks again at once, as the next step has changed.
 * [5] Charts: each is named by the sentence of its text alternative, and the drawing itself
 *     (with plotly's hidden measuring SVG) is kept out of the accessibility tree.
 * [6] A frame (the summary) that has the keyboard focus matches no :focus rule of this
 *     page, so it is marked here for the theme to draw the focus around it.
 * [7] Where the care card is kept in view at the top (position: sticky), a control the
 *     keyboard moves to is scrolled to just below the card, whatever its height: the page's
 *     scroll padding follows the card. The theme's own padding stays as the fallback.
 * [8] The kernel sends each chart as its figure's JSON (`workbook/ui/charts.py`); this script
 *     draws it with the plotly.js the server sends (`workbook/page/charts_script.py`), fetched when
 *     the first chart, or the hidden one drawn on the step before it, appears: never before
 *     the first step. A drawing whose element has left the page is purged, so a redrawn chart
 *     leaves nothing behind. If plotly.js cannot be fetched (the Wi-Fi dropped), the chart's
 *     words still say everything, and the next change of the page tries again.
 */
(function () {
  "use strict";

  var WATCH_ALL = { childList: true, subtree: true, characterData: true };
  var IDLE_FALLBACK_MS = 200;
  var IDLE_TIMEOUT_MS = 2000;
  var CARD_GAP_PX = 16;
  var BUILD_GAP_FACTOR = 2;

  /* [2] */
  function randomToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function setXsrfCookie() {
    if (/(?:^|;\s*)_xsrf=/.test(document.cookie)) { return; }
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "_xsrf=" + randomToken() + "; path=/; SameSite=Strict" + secure;
  }

  function watchBody(onChange) {
    new MutationObserver(onChange).observe(document.body, WATCH_ALL);
  }

  /* [4] */
  function whenIdle(run) {
    var idle = window.requestIdleCallback || function (later) { return setTimeout(later, IDLE_FALLBACK_MS); };
    idle(run, { timeout: IDLE_TIMEOUT_MS });
  }

  var preparing = false, builtCount = null, pressedAt = null;

  function prepareAhead(wait) {
    if (preparing) { return; }
    preparing = true;
    setTimeout(function () {
      whenIdle(function () {
        var prepare = document.querySelector(".wb-prepare-next");
        if (prepare) {
          pressedAt = performance.now();
          prepare.click();
        } else {
          preparing = false;
        }
      });
    }, wait);
  }

  function watchBuilds() {
    watchBody(function () {
      var prepare = document.querySelector(".wb-prepare-next");
      var count = prepare ? prepare.textContent : null;
      if (count !== builtCount) {
        builtCount = count;
        preparing = false;
        // A build that took long means a busy server: wait that long again, twice over.
        var took = pressedAt === null ? 0 : performance.now() - pressedAt;
        if (count !== null) { prepareAhead(BUILD_GAP_FACTOR * took); }
      }
    });
  }

  function progressText() {
    return document.querySelector(".wb-progress__text");
  }

  /* The new step's heading, once the progress title names it; null before. */
  function newStepHeading(progress) {
    var title = progress.querySelector(".wb-progress__title");
    var heading = document.querySelector(".wb-app__body h1");
    if (heading && title && title.textContent === ": " + heading.textContent) { return heading; }
    return null;
  }

  function focusHeading(heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }

  function watchSteps() {
    var shown = null, moving = false;
    watchBody(function () {
      var progress = progressText();
      var step = progress ? progress.textContent : null;
      if (step !== shown) {
        moving = shown !== null;
        shown = step;
        if (moving) { window.scrollTo(0, 0); }
        if (step !== null) {
          preparing = false;
          prepareAhead(0);
        }
      }
      if (!moving) { return; }
      var heading = newStepHeading(progress);
      if (heading) {
        moving = false;
        focusHeading(heading);
      }
    });
  }

  /* [5] */
  function setAll(root, selector, name, value) {
    root.querySelectorAll(selector).forEach(function (element) {
      element.setAttribute(name, value);
    });
  }

  function nameChart(figure) {
    var plot = figure.querySelector(".wb-chart");
    var sentence = figure.querySelector(".wb-figure__sentence");
    if (plot && sentence && plot.getAttribute("aria-label") !== sentence.textContent) {
      plot.setAttribute("role", "img");
      plot.setAttribute("aria-label", sentence.textContent);
    }
    setAll(figure, ".wb-chart svg:not([aria-hidden])", "aria-hidden", "true");
  }

  function nameCharts() {
    document.querySelectorAll(".wb-figure").forEach(nameChart);
    setAll(document, "svg#js-plotly-tester:not([aria-hidden])", "aria-hidden", "true");
  }

  /* [8] */
  var plotlyLoading = null;
  var drawn = [];

  function plotlyScript() {
    var config = document.getElementById("jupyter-config-data");
    return JSON.parse(config.textContent).workbookCharts.script;
  }

  function loadPlotly() {
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = plotlyScript();
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () {
          script.remove();
          plotlyLoading = null;
          reject(new Error("plotly.js could not be fetched"));
        };
        document.head.appendChild(script);
      });
    }
    return plotlyLoading;
  }

  function purgeRemoved() {
    drawn = drawn.filter(function (plot) {
      if (document.contains(plot)) { return true; }
      if (window.Plotly) { window.Plotly.purge(plot); }
      return false;
    });
  }

  function drawChart(plot) {
    var figure = JSON.parse(plot.getAttribute("data-figure"));
    plot.setAttribute("data-drawing", "");
    loadPlotly().then(function (Plotly) {
      if (!document.contains(plot)) { return null; }
      drawn.push(plot);
      return Plotly.newPlot(plot, figure.data, figure.layout, figure.config);
    }).then(nameCharts, function () {
      plot.removeAttribute("data-drawing");
    });
  }

  function drawCharts() {
    purgeRemoved();
    document.querySelectorAll(".wb-chart[data-figure]:not([data-drawing])").forEach(drawChart);
  }

  /* [6] */
  function markFocusedFrames() {
    document.querySelectorAll("iframe").forEach(function (frame) {
      frame.classList.toggle("wb-frame--focused", frame === document.activeElement);
    });
  }

  function watchFrames() {
    window.addEventListener("blur", markFocusedFrames);
    document.addEventListener("focusin", markFocusedFrames);
  }

  /* [7] */
  function keepFocusClearOfCard() {
    var area = document.querySelector(".wb-care-area");
    var sticky = area && area.offsetHeight > 0 && window.getComputedStyle(area).position === "sticky";
    var padding = sticky ? (area.offsetHeight + CARD_GAP_PX) + "px" : "";
    if (document.documentElement.style.scrollPaddingTop !== padding) {
      document.documentElement.style.scrollPaddingTop = padding;
    }
  }

  function watchCard() {
    // The card shows, hides, opens and changes level by its size, not always by a change of
    // the page's elements: its size is what is watched, once the card's area is there.
    var watched = null;
    var sizes = new ResizeObserver(keepFocusClearOfCard);
    watchBody(function () {
      var area = document.querySelector(".wb-care-area");
      if (area && area !== watched) {
        if (watched) { sizes.unobserve(watched); }
        sizes.observe(area);
        watched = area;
      }
    });
    window.addEventListener("resize", keepFocusClearOfCard);
  }

  /* [1] */
  setXsrfCookie();

  /* [3] */
  window.workbookPage = {
    watch: function () {
      watchSteps();
      watchBuilds();
      watchBody(nameCharts);
      drawCharts();
      watchBody(drawCharts);
      watchFrames();
      watchCard();
    }
  };
})();
