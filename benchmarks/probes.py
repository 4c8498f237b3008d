"""What the benchmarks measure inside the page, in the page's own clock (performance.now).

Every time is taken in the browser: from navigation start (time to interactive) or from the
click (latencies) to the first animation frame after the awaited state is in the DOM, so
that it counts what the patient waits for and not the test driver's own round trips.
"""

# Added before any page script: records when "Step 1 of 10" and an enabled, visible Next
# button are first in the page, and the frame after that (when they are on screen).
READY_PROBE = """
(() => {
  const ready = () => {
    const next = Array.from(document.querySelectorAll("button"))
      .find((b) => b.textContent.trim() === "Next");
    if (!next || next.disabled || next.getClientRects().length === 0) return false;
    return (document.body.textContent || "").includes("Step 1 of 10");
  };
  const observer = new MutationObserver(() => {
    if (window.__wbReadyAt !== undefined || !ready()) return;
    window.__wbReadyAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { window.__wbShownAt = performance.now(); });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  window.addEventListener("error", (event) => {
    (window.__wbErrors = window.__wbErrors || []).push(String(event.message));
  });
})();
"""

# Shared by STEP_LATENCY and MENU_LATENCY: the step heading on screen, and `newStepShown`,
# which does `act` (a click, a choice in the menu), waits until the heading shows another
# text, then for the next frame, and resolves with the milliseconds from just before `act`:
# a step change is timed this one way, whatever started it.
_NEW_STEP_SHOWN = """
  const heading = () => {
    const h = document.querySelector("h1.wb-chapter__title");
    return h && h.getClientRects().length ? h.textContent.trim() : null;
  };
  const newStepShown = (act, timeout) => new Promise((resolve, reject) => {
    const before = heading();
    const start = performance.now();
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no new step after " + timeout + " ms")); }, timeout);
    const observer = new MutationObserver(() => {
      const now = heading();
      if (now === null || now === before) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve(performance.now() - start));
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    act();
  });
"""

# Clicks Next `count` times, each `pause` ms after the last step showed (a patient reads
# before moving on); after each click waits until the step heading shows another text, then
# for the next frame. Returns the milliseconds of each click. At the last step it returns
# early (the caller goes back to the first step).
STEP_LATENCY = """
async ({ count, timeout, pause = 0 }) => {""" + _NEW_STEP_SHOWN + """
  const next = () => Array.from(document.querySelectorAll("button"))
    .find((b) => b.textContent.trim() === "Next");
  const times = [];
  for (let i = 0; i < count; i++) {
    if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    const button = next();
    if (!button || button.disabled) break;
    times.push(await newStepShown(() => button.click(), timeout));
  }
  return times;
}
"""

# Chooses each of `steps` (numbers from 1) in the step menu ("Go to step") in turn, each
# `pause` ms after the last step showed, as a person choosing it there (the menu's change
# event); times each choice as STEP_LATENCY times Next. Returns the milliseconds of each.
MENU_LATENCY = """
async ({ steps, timeout, pause = 0 }) => {""" + _NEW_STEP_SHOWN + """
  const menu = document.querySelector(".wb-step-menu select");
  if (!menu) throw new Error("no step menu");
  const times = [];
  for (const step of steps) {
    if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    times.push(await newStepShown(() => {
      menu.selectedIndex = step - 1;
      menu.dispatchEvent(new Event("change", { bubbles: true }));
    }, timeout));
  }
  return times;
}
"""

# On the first one-answer question of the step: chooses options in turn (so the feedback
# changes every time), clicks "Check my answer" and waits for the new feedback on screen.
QUIZ_LATENCY = """
async ({ count, timeout }) => {
  const question = Array.from(document.querySelectorAll(".wb-quiz__question"))
    .find((q) => q.querySelectorAll("input[type=radio]").length >= 2);
  if (!question) throw new Error("no one-answer question on this step");
  const radios = () => question.querySelectorAll("input[type=radio]");
  const check = Array.from(question.querySelectorAll("button"))
    .find((b) => b.textContent.trim() === "Check my answer");
  const feedback = () => {
    const f = question.querySelector(".wb-quiz__feedback");
    return f ? f.textContent.trim() : "";
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
  const times = [];
  for (let i = 0; i < count; i++) {
    radios()[i % 2].click();
    await settle();  // the choice reaches the kernel before the check (one socket, in order)
    const before = feedback();
    const start = performance.now();
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => { observer.disconnect(); reject(new Error("no feedback after " + timeout + " ms")); }, timeout);
      const observer = new MutationObserver(() => {
        const now = feedback();
        if (!now || now === before) return;
        observer.disconnect();
        clearTimeout(timer);
        requestAnimationFrame(() => resolve());
      });
      observer.observe(question, { childList: true, subtree: true, attributes: true, characterData: true });
      check.click();
    });
    times.push(performance.now() - start);
  }
  return times;
}
"""

# Goes back to step 1 through the step menu, as a person choosing it there.
FIRST_STEP = """
async ({ timeout }) => {
  const select = document.querySelector(".wb-step-menu select");
  select.selectedIndex = 0;
  select.dispatchEvent(new Event("change", { bubbles: true }));
  const end = performance.now() + timeout;
  while (performance.now() < end) {
    const progress = document.querySelector(".wb-progress__text");
    if (progress && progress.textContent.includes("Step 1 of")) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("step 1 did not show");
}
"""

# One patient's walk through every step: the safety check answered (one "yes" on every
# other walk), every question answered and checked, then Next. Clicks are the controls' own
# click events, as a tap gives them.
WALK = """
async ({ walk, timeout }) => {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const until = async (check, what) => {
    const end = performance.now() + timeout;
    while (performance.now() < end) {
      if (check()) return;
      await sleep(20);
    }
    throw new Error("timed out waiting for " + what);
  };
  const settled = async () => {  // the step's widgets are all drawn
    let last = -1;
    for (let i = 0; i < 50; i++) {
      const now = document.querySelectorAll(".wb-app__body input, .wb-app__body button").length;
      if (now === last) return;
      last = now;
      await sleep(100);
    }
  };
  const steps = document.querySelectorAll(".wb-step-menu select option").length;
  for (let step = 1; step <= steps; step++) {
    await settled();
    document.querySelectorAll(".wb-redflag").forEach((row, index) => {
      const answer = walk % 2 === 1 && index === 0 ? "Yes" : "No";
      row.querySelector(`input[type=radio][data-value="${answer}"]`).click();
    });
    for (const question of document.querySelectorAll(".wb-quiz__question")) {
      const radios = question.querySelectorAll("input[type=radio]");
      const choice = radios.length ? radios[walk % radios.length] : question.querySelector("input[type=checkbox]");
      choice.click();
      const feedback = () => (question.querySelector(".wb-quiz__feedback") || {}).textContent || "";
      const before = feedback();
      Array.from(question.querySelectorAll("button"))
        .find((b) => b.textContent.trim() === "Check my answer").click();
      await until(() => feedback(), "feedback on step " + step);
      const end = performance.now() + 2000;  // the same answer again may give the same words
      while (feedback() === before && performance.now() < end) await sleep(20);
    }
    if (step < steps) {
      Array.from(document.querySelectorAll("button")).find((b) => b.textContent.trim() === "Next").click();
      await until(() => (document.querySelector(".wb-progress__text") || {}).textContent.includes(`Step ${step + 1} of`),
                  "step " + (step + 1));
    }
  }
}
"""

# How many widget models the page's widget manager holds, and how many its kernel holds: the
# kernel's answer to `request_states` on a control comm of the probe's own, as the widget
# manager asks for every model when the page loads.
WIDGET_MODELS = """
async ({ timeout }) => {
  const manager = window.jupyterapp && window.jupyterapp.widgetManager;
  if (!manager || !manager.kernel) throw new Error("no widget manager in the page");
  const page = Object.keys(manager._models).length;
  const comm = manager.kernel.createComm("jupyter.widget.control");
  const kernel = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no update_states after " + timeout + " ms")), timeout);
    comm.onMsg = (msg) => {
      const data = msg.content.data || {};
      if (data.method !== "update_states") return;
      clearTimeout(timer);
      resolve(Object.keys(data.states || {}).length);
    };
    comm.open({}, { version: "1.0.0" });
    comm.send({ method: "request_states" }, {});
  });
  comm.close();
  return { page, kernel };
}
"""
